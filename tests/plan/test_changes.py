"""plan_tasks on the embedded backend, over real HTTP: what a plan shows, what apply makes of it."""

from __future__ import annotations

import copy
from typing import Any

import attrs
import pytest

from ssm_mw import (
    ApplyOutcome,
    CutoffBehavior,
    DesiredState,
    MaintenanceWindowClient,
    Plan,
    PlanAction,
    PlanError,
    ValidationError,
    apply_plan,
    export_tasks,
    plan_tasks,
)
from ssm_mw.testing import EmbeddedSSMServer
from support.clients import raw_ssm
from support.operations import REGISTER, UPDATE
from support.plan import (
    INSTANCE,
    LIVE_SECRETS,
    actions,
    automation_targetless,
    desired,
    lambda_minimal,
    patch_linux_applied,
    window_task_ids,
)

_DROP = object()

#: For each task: the members drifted behind ssm-mw's back (wire path -> new value, or dropped).
DRIFT: dict[str, dict[str, Any]] = {
    "patch-linux": {
        "Priority": 7,
        "TaskInvocationParameters.RunCommand.TimeoutSeconds": 900,
        "Description": LIVE_SECRETS["Description"],
        "TaskInvocationParameters.RunCommand.Parameters": {
            "commands": [LIVE_SECRETS["TaskInvocationParameters.RunCommand.Parameters"]]
        },
    },
    "restart-nodes": {
        "MaxConcurrency": "5",
        "TaskInvocationParameters.Automation.Parameters": {"InstanceId": ["i-0fedcba987654321f"]},
        "CutoffBehavior": _DROP,
    },
    "drain-queue": {
        "TaskInvocationParameters.StepFunctions.Input": LIVE_SECRETS[
            "TaskInvocationParameters.StepFunctions.Input"
        ],
        "AlarmConfiguration": _DROP,
    },
    "notify-team": {
        "TaskInvocationParameters.Lambda.Payload": LIVE_SECRETS[
            "TaskInvocationParameters.Lambda.Payload"
        ].encode(),
        "TaskParameters": {"level": {"Values": [LIVE_SECRETS["TaskParameters"]]}},
    },
    "restart-targetless": {
        "Targets": [{"Key": "InstanceIds", "Values": [INSTANCE]}],
        "MaxConcurrency": "3",
        "MaxErrors": "2",
    },
    "lambda-minimal": {"Priority": 9, "Description": LIVE_SECRETS["Description"]},
}


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for key in parents:
        data = data.setdefault(key, {})
    if value is _DROP:
        del data[last]
    else:
        data[last] = value


async def drift(
    server: EmbeddedSSMServer, window_id: str, task_id: str, changes: dict[str, Any]
) -> None:
    """Change a task with plain aiobotocore: read it, change the members, replace it."""
    async with raw_ssm(server) as ssm:
        live = await ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id)
        members = {
            k: copy.deepcopy(v)
            for k, v in live.items()
            if k not in ("ResponseMetadata", "TaskType")
        }
        for path, value in changes.items():
            _set(members, path, value)
        if not members.get("Targets"):  # get reports placeholder limits a replace may not send
            for limit in ("MaxConcurrency", "MaxErrors"):
                if limit not in changes:
                    members.pop(limit, None)
        await ssm.update_maintenance_window_task(**members, Replace=True)


async def test_create_plan_drift_apply_converges(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Every type, targetless too: create, unchanged, drift shows its members, apply, unchanged."""
    w = maintenance_window_id
    state = desired(w)
    first = await plan_tasks(mw_client, state)
    assert set(actions(first).values()) == {PlanAction.CREATE}
    assert all(t.window_task_id is None for t in first.tasks)
    report = await apply_plan(mw_client, first)
    assert report.ok
    assert {r.outcome for r in report.results} == {ApplyOutcome.CREATED}
    again = await plan_tasks(mw_client, state)
    assert set(actions(again).values()) == {PlanAction.UNCHANGED}, again
    assert not again.has_changes
    ids = window_task_ids(again)
    for name, changes in DRIFT.items():
        task_id = ids[name]
        assert task_id is not None
        await drift(ssm_server, w, task_id, changes)
    drifted = await plan_tasks(mw_client, state)
    for task in drifted.tasks:
        assert task.action is PlanAction.UPDATE, task
        assert set(task.members) == set(DRIFT[str(task.name)]), (task.name, task.members)
        assert task.window_task_id == ids[task.name]
    updates_before = ssm_server.request_count(UPDATE)
    report = await apply_plan(mw_client, drifted)
    assert report.ok, [r.error for r in report.failed]
    assert {r.outcome for r in report.results} == {ApplyOutcome.UPDATED}
    assert ssm_server.request_count(UPDATE) - updates_before == len(DRIFT)
    final = await plan_tasks(mw_client, state)
    assert set(actions(final).values()) == {PlanAction.UNCHANGED}, final
    assert window_task_ids(final) == ids


async def test_update_shows_before_and_after(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """A changed member carries its value before and after; a sensitive one only that it changed."""
    w = maintenance_window_id
    state, task_id = await patch_linux_applied(mw_client, w)
    await drift(ssm_server, w, task_id, {"Priority": 7, "Description": "someone else's"})
    (task,) = (await plan_tasks(mw_client, state)).tasks
    by_member = {c.member: c for c in task.changes}
    assert (by_member["Priority"].before, by_member["Priority"].after) == (7, 1)
    assert not by_member["Priority"].sensitive
    description = by_member["Description"]
    assert (description.before, description.after, description.sensitive) == ("***", "***", True)


async def test_members_left_out_are_cleared(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Members the file leaves out but the live task has are changes, and apply clears them."""
    w = maintenance_window_id
    wanted = attrs.evolve(lambda_minimal(), priority=3)
    await mw_client.register_task_with_maintenance_window(
        w,
        attrs.evolve(
            wanted,
            name="lambda-minimal",
            description="x",
            cutoff_behavior=CutoffBehavior.CANCEL_TASK,
        ),
    )
    state = DesiredState(windows={w: {"lambda-minimal": wanted}})
    (task,) = (await plan_tasks(mw_client, state)).tasks
    assert task.action is PlanAction.UPDATE
    assert set(task.members) == {"CutoffBehavior", "Description"}
    assert {c.member: c.after for c in task.changes} == {
        "CutoffBehavior": None,
        "Description": None,
    }
    assert (await apply_plan(mw_client, state)).ok
    assert task.window_task_id is not None
    live = await mw_client.get_maintenance_window_task(w, task.window_task_id)
    assert (live.priority, live.description, live.cutoff_behavior) == (3, None, None)


async def test_an_update_without_priority_is_a_conflict_before_anything_is_sent(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """F10: a task to update whose definition has no Priority is a PlanError; nothing is sent.

    An update replaces the task, and the service refuses a replace without Priority. A task
    without Priority that is created, or that is unchanged, plans as before.
    """
    w = maintenance_window_id
    unprioritised = attrs.evolve(lambda_minimal(), priority=None)
    await mw_client.register_task_with_maintenance_window(
        w, attrs.evolve(unprioritised, name="lambda-minimal", priority=3, description="x")
    )
    await mw_client.register_task_with_maintenance_window(
        w, attrs.evolve(unprioritised, name="as-is")
    )
    state = DesiredState(
        windows={w: {"lambda-minimal": unprioritised, "as-is": unprioritised, "new": unprioritised}}
    )
    writes = ssm_server.request_count(UPDATE), ssm_server.request_count(REGISTER)
    with pytest.raises(PlanError) as caught:
        await plan_tasks(mw_client, state)
    (conflict,) = caught.value.conflicts
    assert conflict.name == "lambda-minimal"
    assert str(conflict).endswith(
        "/lambda-minimal: Priority is not given, and the update replaces the task: the service "
        "refuses a replace without it (F10 in docs/fidelity.md); give Priority "
        "(the live task has Priority 3)"
    )
    with pytest.raises(PlanError):
        await apply_plan(mw_client, state)
    assert (ssm_server.request_count(UPDATE), ssm_server.request_count(REGISTER)) == writes
    fixed = DesiredState(
        windows={w: {**state.windows[w], "lambda-minimal": attrs.evolve(unprioritised, priority=3)}}
    )
    assert actions(await plan_tasks(mw_client, fixed)) == {
        "lambda-minimal": PlanAction.UPDATE,
        "as-is": PlanAction.UNCHANGED,
        "new": PlanAction.CREATE,
    }
    assert (await apply_plan(mw_client, fixed)).ok


async def test_a_service_role_the_definition_leaves_out_is_no_change(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """F12: the service may fill in its service-linked role: a live role is no difference from a
    definition without one; a definition that gives another role changes it."""
    w = maintenance_window_id
    role = (
        "arn:aws:iam::123456789012:role/aws-service-role/ssm.amazonaws.com/"
        "AWSServiceRoleForAmazonSSM"
    )
    await mw_client.register_task_with_maintenance_window(
        w, attrs.evolve(lambda_minimal(), name="lambda-minimal", service_role_arn=role)
    )
    assert actions(await plan_tasks(mw_client, desired(w, ["lambda-minimal"]))) == {
        "lambda-minimal": PlanAction.UNCHANGED
    }
    other = "arn:aws:iam::123456789012:role/maintenance"
    state = DesiredState(
        windows={w: {"lambda-minimal": attrs.evolve(lambda_minimal(), service_role_arn=other)}}
    )
    (task,) = (await plan_tasks(mw_client, state)).tasks
    assert [(c.member, c.before, c.after) for c in task.changes] == [
        ("ServiceRoleArn", role, other)
    ]


async def test_unmanaged_tasks_are_listed_and_left_alone(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Live tasks the state does not name (or without a name) are unmanaged and left alone."""
    w = maintenance_window_id
    unnamed = await mw_client.register_task_with_maintenance_window(w, automation_targetless())
    other = await mw_client.register_task_with_maintenance_window(
        w, attrs.evolve(lambda_minimal(), name="not-in-the-file")
    )
    plan = await plan_tasks(mw_client, desired(w, ["lambda-minimal"]))
    assert [(t.name, t.action, t.window_task_id) for t in plan.tasks] == [
        ("lambda-minimal", PlanAction.CREATE, None),
        (None, PlanAction.UNMANAGED, unnamed),
        ("not-in-the-file", PlanAction.UNMANAGED, other),
    ]
    # create, update, unchanged, unmanaged, delete
    assert list(plan.summary.values()) == [1, 0, 0, 2, 0]
    updates = ssm_server.request_count(UPDATE)
    report = await apply_plan(mw_client, plan)
    assert [r.outcome for r in report.results] == [
        ApplyOutcome.CREATED, ApplyOutcome.UNMANAGED, ApplyOutcome.UNMANAGED,
    ]  # fmt: skip
    assert ssm_server.request_count(UPDATE) == updates


async def test_duplicate_live_names_are_an_error_naming_both(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Two live tasks with a managed name: PlanError names both ids; nothing is changed."""
    w = maintenance_window_id
    twin = attrs.evolve(lambda_minimal(), name="lambda-minimal")
    ids = [await mw_client.register_task_with_maintenance_window(w, twin) for _ in range(2)]
    with pytest.raises(PlanError) as caught:
        await plan_tasks(mw_client, desired(w, ["lambda-minimal"]))
    (conflict,) = caught.value.conflicts
    assert (conflict.window_id, conflict.name, set(conflict.window_task_ids)) == (
        w,
        "lambda-minimal",
        set(ids),
    )
    assert all(i in str(caught.value) for i in ids)
    with pytest.raises(PlanError):
        await apply_plan(mw_client, desired(w, ["lambda-minimal"]))
    assert ssm_server.request_count(UPDATE) == 0
    assert ssm_server.request_count(REGISTER) == 2


async def test_a_type_change_is_an_error(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """An update cannot change TaskType: the plan says so instead of failing at apply."""
    w = maintenance_window_id
    await mw_client.register_task_with_maintenance_window(
        w, attrs.evolve(lambda_minimal(), name="lambda-minimal")
    )
    state = DesiredState(windows={w: {"lambda-minimal": automation_targetless()}})
    with pytest.raises(PlanError, match="cannot change the task type"):
        await plan_tasks(mw_client, state)


async def test_arguments_are_checked_before_any_request(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Bad concurrency, a bad desired state, or bad window ids raise before anything is sent."""
    count = ssm_server.request_count()
    with pytest.raises(ValidationError, match="concurrency"):
        await plan_tasks(mw_client, desired(maintenance_window_id), concurrency=0)
    with pytest.raises(ValidationError, match="desired"):
        await plan_tasks(mw_client, {"x": 1})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="window_ids"):
        await export_tasks(mw_client, ["mw-0c50858d01EXAMPLE"])
    with pytest.raises(ValidationError, match="plan"):
        await apply_plan(mw_client, "plan.json")  # type: ignore[arg-type]
    assert ssm_server.request_count() == count


async def test_a_window_past_the_task_quota_is_a_warning(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Creates that take a window past the quota of tasks per window: one warning line each
    window, the plan still made; a bad quota is refused before any request."""
    w = maintenance_window_id
    await mw_client.register_task_with_maintenance_window(
        w, attrs.evolve(lambda_minimal(), name="live")
    )
    tasks = {f"new-{i}": lambda_minimal() for i in range(3)}
    state = DesiredState(windows={w: {"live": lambda_minimal(), **tasks}})
    assert (await plan_tasks(mw_client, state)).warnings == ()
    plan = await plan_tasks(mw_client, state, tasks_per_window=2)
    assert plan.warnings == (
        f"{w}: the plan makes 4 tasks in the window, past the service's quota of 2 tasks per "
        "maintenance window: 2 of its 3 creates would fail unless the quota was raised",
    )
    assert plan.summary[PlanAction.CREATE] == 3
    assert Plan.loads(plan.dumps()).warnings == ()
    count = ssm_server.request_count()
    with pytest.raises(ValidationError, match="tasks_per_window: 0 is below the minimum 1"):
        await plan_tasks(mw_client, state, tasks_per_window=0)
    assert ssm_server.request_count() == count
