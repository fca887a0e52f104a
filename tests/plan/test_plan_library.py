"""plan_tasks, apply_plan and export_tasks against the embedded backend, over real HTTP."""

from __future__ import annotations

import copy
from typing import Any

import attrs
import pytest

from ssm_mw import (
    ApplyOutcome,
    DesiredState,
    MaintenanceWindowClient,
    Plan,
    PlanAction,
    PlanError,
    TaskDefinition,
    TaskUpdate,
    ValidationError,
    apply_plan,
    export_tasks,
    plan_tasks,
)
from ssm_mw.testing import EmbeddedSSMServer
from support.clients import raw_ssm
from support.in_flight import counting_client
from support.operations import DESCRIBE, GET, REGISTER, UPDATE
from support.plan import (
    ALL_TASKS,
    INSTANCE,
    LIVE_SECRETS,
    actions,
    automation_targetless,
    desired,
    lambda_minimal,
    run_command_full,
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


def _ids(plan: Plan) -> dict[str | None, str | None]:
    return {t.name: t.window_task_id for t in plan.tasks}


async def _patch_linux_applied(mw: MaintenanceWindowClient, w: str) -> tuple[DesiredState, str]:
    """The desired state of "patch-linux" alone, applied; returns it and the live task's id."""
    state = desired(w, ["patch-linux"])
    await apply_plan(mw, state)
    task_id = _ids(await plan_tasks(mw, state))["patch-linux"]
    assert task_id is not None
    return state, task_id


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
    ids = _ids(again)
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
    assert _ids(final) == ids


async def test_update_shows_before_and_after(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """A changed member carries its value before and after; a sensitive one only that it changed."""
    w = maintenance_window_id
    state, task_id = await _patch_linux_applied(mw_client, w)
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
    await mw_client.register_task_with_maintenance_window(
        w, attrs.evolve(lambda_minimal(), name="lambda-minimal", priority=3, description="x")
    )
    state = desired(w, ["lambda-minimal"])
    (task,) = (await plan_tasks(mw_client, state)).tasks
    assert task.action is PlanAction.UPDATE
    assert set(task.members) == {"Priority", "Description"}
    assert {c.member: c.after for c in task.changes} == {"Priority": None, "Description": None}
    assert (await apply_plan(mw_client, state)).ok
    assert task.window_task_id is not None
    live = await mw_client.get_maintenance_window_task(w, task.window_task_id)
    assert (live.priority, live.description) == (None, None)


async def test_export_then_plan_is_unchanged(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer
) -> None:
    """Windows with every task type and member set export to a state that plans all unchanged."""
    windows = [ssm_server.create_maintenance_window(name=f"w{i}") for i in range(2)]
    for window in windows:
        for name, make in ALL_TASKS.items():
            await mw_client.register_task_with_maintenance_window(
                window, attrs.evolve(make(), name=name)
            )
    unnamed = await mw_client.register_task_with_maintenance_window(
        windows[0], automation_targetless()
    )
    exported = await export_tasks(mw_client, windows)
    assert [s.window_task_id for s in exported.skipped] == [unnamed]
    assert set(exported.desired.windows) == set(windows)
    assert len(exported.desired) == 2 * len(ALL_TASKS)
    assert exported.desired.windows[windows[0]]["patch-linux"] == attrs.evolve(
        run_command_full(), name="patch-linux"
    )
    plan = await plan_tasks(mw_client, exported.desired)
    managed = [t for t in plan.tasks if t.action is not PlanAction.UNMANAGED]
    assert {t.action for t in managed} == {PlanAction.UNCHANGED}
    assert len(managed) == 2 * len(ALL_TASKS)
    (other,) = plan.with_action(PlanAction.UNMANAGED)
    assert (other.name, other.window_task_id) == (None, unnamed)
    # The state round-trips through the file's mapping unchanged.
    assert DesiredState.from_botocore(exported.desired.to_botocore()) == exported.desired


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
    assert list(plan.summary.values()) == [1, 0, 0, 2]  # create, update, unchanged, unmanaged
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


async def test_reads_are_bounded_and_all_windows_are_read(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer
) -> None:
    """plan describes each window once per page and gets only the managed live tasks."""
    windows = [ssm_server.create_maintenance_window(name=f"w{i}") for i in range(3)]
    state = DesiredState(
        windows={w: {n: ALL_TASKS[n]() for n in ("lambda-minimal", "drain-queue")} for w in windows}
    )
    await apply_plan(mw_client, state, concurrency=2)
    for w in windows:  # plus one unmanaged task per window: listed, never read in full
        await mw_client.register_task_with_maintenance_window(w, automation_targetless())
    describes, gets = ssm_server.request_count(DESCRIBE), ssm_server.request_count(GET)
    plan = await plan_tasks(mw_client, state, concurrency=3)
    assert ssm_server.request_count(DESCRIBE) - describes == 3
    assert ssm_server.request_count(GET) - gets == 6
    assert plan.summary[PlanAction.UNCHANGED] == 6
    assert [t.window_id for t in plan.tasks] == [w for w in windows for _ in range(3)]


@pytest.mark.parametrize("concurrency", [1, 3])
async def test_concurrency_is_bounded(ssm_server: EmbeddedSSMServer, concurrency: int) -> None:
    """At most ``concurrency`` requests are in flight, in plan and in apply."""
    windows = [ssm_server.create_maintenance_window(name=f"w{i}") for i in range(4)]
    state = DesiredState(
        windows={w: {n: ALL_TASKS[n]() for n in ("lambda-minimal", "drain-queue")} for w in windows}
    )
    ssm_server.inject_latency(0.02)
    async with counting_client(ssm_server) as (mw, in_flight):
        report = await apply_plan(mw, state, concurrency=concurrency)
        assert report.ok
        plan = await plan_tasks(mw, state, concurrency=concurrency)
    assert plan.summary[PlanAction.UNCHANGED] == 8
    assert in_flight.peak == concurrency


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


def test_desired_state_checks_every_definition() -> None:
    """A definition that register would refuse fails when the state is made, naming where."""
    w = "mw-0123456789abcdef0"
    bad = attrs.evolve(run_command_full(), max_errors=None)  # targets need MaxErrors
    with pytest.raises(ValidationError) as caught:
        DesiredState(windows={w: {"patch-linux": bad, "ab": lambda_minimal()}})
    paths = caught.value.paths
    assert f"windows['{w}']['patch-linux'].max_errors" in paths
    assert any(p.startswith(f"windows['{w}']['ab'].name") for p in paths)
    with pytest.raises(ValidationError, match="window id"):
        DesiredState(windows={"mw-0c50858d01EXAMPLE": {}})
    with pytest.raises(ValidationError, match="is not its key"):
        DesiredState(
            windows={w: {"lambda-minimal": attrs.evolve(lambda_minimal(), name="other-name")}}
        )
    state = DesiredState(windows={w: {"lambda-minimal": lambda_minimal()}})
    assert state.windows[w]["lambda-minimal"].name == "lambda-minimal"
    assert list(state.tasks()) == [(w, "lambda-minimal", state.windows[w]["lambda-minimal"])]


def test_desired_state_from_the_file_mapping() -> None:
    """from_botocore reads the file's shape and names unknown keys, Name and bad members."""
    w = "mw-0123456789abcdef0"
    task = {"TaskArn": "arn:aws:lambda:us-east-1:123456789012:function:x", "TaskType": "LAMBDA"}
    state = DesiredState.from_botocore({"windows": {w: {"notify": task}}})
    assert state.windows[w]["notify"] == TaskDefinition(
        task_arn=task["TaskArn"], task_type=lambda_minimal().task_type, name="notify"
    )
    assert state.to_botocore() == {"windows": {w: {"notify": task}}}
    for data, needle in [
        ({"windowz": {}}, "windowz"),
        ({"windows": {w: {"notify": {**task, "Name": "notify"}}}}, "Name"),
        ({"windows": {w: {"notify": {**task, "Priorty": 1}}}}, "Priorty"),
        ({"windows": {w: {"notify": {**task, "Priority": "high"}}}}, "priority"),
        ({"windows": {w: {"notify": "LAMBDA"}}}, "expected a mapping"),
    ]:
        with pytest.raises(ValidationError, match=needle):
            DesiredState.from_botocore(data)


async def test_a_task_update_is_a_replace_of_the_whole_definition(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """After apply, the live task is exactly the definition (drift in any member is undone)."""
    w = maintenance_window_id
    state, task_id = await _patch_linux_applied(mw_client, w)
    await mw_client.update_maintenance_window_task(
        w, task_id, TaskUpdate(priority=5, max_errors="3")
    )
    await apply_plan(mw_client, state)
    live = await mw_client.get_maintenance_window_task(w, task_id)
    assert (live.priority, live.max_errors) == (1, "1")
