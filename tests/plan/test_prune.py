"""``prune``: the windows a desired state names hold exactly its tasks, on the embedded backend."""

from __future__ import annotations

import attrs
import pytest

from ssm_mw import (
    ApplyOutcome,
    DesiredState,
    MaintenanceWindowClient,
    Plan,
    PlanAction,
    StalePlanError,
    TaskUpdate,
    ValidationError,
    apply_plan,
    plan_tasks,
)
from ssm_mw.testing import EmbeddedSSMServer, MaintenanceWindowClientFactory
from support.operations import DEREGISTER, GET, REGISTER, UPDATE
from support.plan import actions, automation_targetless, lambda_minimal


async def _window_with_strays(mw: MaintenanceWindowClient, w: str) -> tuple[str, str, str]:
    """A kept task, a stray named one and an unnamed one; their ids."""
    kept = await mw.register_task_with_maintenance_window(
        w, attrs.evolve(lambda_minimal(), name="kept")
    )
    stray = await mw.register_task_with_maintenance_window(
        w, attrs.evolve(lambda_minimal(), name="stray")
    )
    unnamed = await mw.register_task_with_maintenance_window(w, automation_targetless())
    return kept, stray, unnamed


async def test_prune_deletes_what_the_state_does_not_name_and_converges(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Without prune, strays are unmanaged and left; with it, each is a delete (id, name, type,
    ARN, unnamed ones included), deleted by apply; planning again shows no change."""
    w = maintenance_window_id
    kept, stray, unnamed = await _window_with_strays(mw_client, w)
    state = DesiredState(windows={w: {"kept": lambda_minimal(), "new": lambda_minimal()}})
    plain = await plan_tasks(mw_client, state)
    assert plain.with_action(PlanAction.DELETE) == ()
    assert not plain.prune
    assert [t.window_task_id for t in plain.with_action(PlanAction.UNMANAGED)] == [stray, unnamed]
    plan = await plan_tasks(mw_client, state, prune=True)
    deletes = plan.with_action(PlanAction.DELETE)
    assert [(t.window_task_id, t.name, t.task_type, t.task_arn) for t in deletes] == [
        (stray, "stray", lambda_minimal().task_type, lambda_minimal().task_arn),
        (unnamed, None, automation_targetless().task_type, automation_targetless().task_arn),
    ]
    assert plan.summary[PlanAction.DELETE] == 2
    assert plan.has_changes
    report = await apply_plan(mw_client, plan)
    assert {
        r.window_task_id: r.outcome for r in report.results if r.action is PlanAction.DELETE
    } == {
        stray: ApplyOutcome.DELETED,
        unnamed: ApplyOutcome.DELETED,
    }
    assert ssm_server.request_count(DEREGISTER) == 2
    live = [t async for t in mw_client.paginate_maintenance_window_tasks(w)]
    assert sorted(str(t.name) for t in live) == ["kept", "new"]
    assert kept in {t.window_task_id for t in live}
    again = await plan_tasks(mw_client, state, prune=True)
    assert set(actions(again).values()) == {PlanAction.UNCHANGED}


async def test_an_empty_window_under_prune_is_emptied_and_the_plan_says_so(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """A window the state names with no tasks: every task is a delete, and a warning says so."""
    w = maintenance_window_id
    await _window_with_strays(mw_client, w)
    plan = await plan_tasks(mw_client, DesiredState(windows={w: {}}), prune=True)
    assert len(plan.with_action(PlanAction.DELETE)) == 3
    assert plan.warnings == (
        f"{w}: the state names no task for this window: pruning deletes all 3 of its tasks",
    )
    assert (await apply_plan(mw_client, plan)).ok
    assert [t async for t in mw_client.paginate_maintenance_window_tasks(w)] == []


async def test_a_saved_plan_refuses_a_deletion_whose_task_changed(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """A saved plan keeps its deletions; a task to delete that changed since is named, and
    nothing is sent."""
    w = maintenance_window_id
    _, stray, _ = await _window_with_strays(mw_client, w)
    state = DesiredState(windows={w: {"kept": lambda_minimal()}})
    saved = Plan.loads((await plan_tasks(mw_client, state, prune=True)).dumps())
    assert saved.prune
    assert len(saved.with_action(PlanAction.DELETE)) == 2
    await mw_client.update_maintenance_window_task(w, stray, TaskUpdate(description="changed"))
    writes = ssm_server.request_count(DEREGISTER), ssm_server.request_count(REGISTER)
    with pytest.raises(StalePlanError, match=f"{stray}, to delete, changed since the plan"):
        await apply_plan(mw_client, saved)
    assert (ssm_server.request_count(DEREGISTER), ssm_server.request_count(REGISTER)) == writes


@pytest.mark.parametrize("attempts", [1, 3], ids=["no-retry", "botocore-retries"])
async def test_a_deletion_whose_answer_is_lost_is_deleted_not_failed(
    mw_client_factory: MaintenanceWindowClientFactory,
    ssm_server: EmbeddedSSMServer,
    maintenance_window_id: str,
    attempts: int,
) -> None:
    """The deregister commits and its answer is lost: re-checked (by botocore's retry, or by a
    get), the task is gone, so the task is deleted; a re-run converges."""
    w = maintenance_window_id
    async with mw_client_factory(max_attempts=attempts) as mw:
        await _window_with_strays(mw, w)
        state = DesiredState(windows={w: {"kept": lambda_minimal()}})
        ssm_server.inject_fault(DEREGISTER, "InternalServerError", status=500, after_commit=True)
        report = await apply_plan(mw, await plan_tasks(mw, state, prune=True))
        deleted = report.with_outcome(ApplyOutcome.DELETED)
        assert len(deleted) == 2
        assert report.failed == ()
        again = await plan_tasks(mw, state, prune=True)
        assert set(actions(again).values()) == {PlanAction.UNCHANGED}


async def test_prune_is_checked_before_any_request(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """prune takes a bool."""
    count = ssm_server.request_count()
    with pytest.raises(ValidationError, match="prune: expected a bool"):
        await plan_tasks(
            mw_client,
            DesiredState(windows={maintenance_window_id: {}}),
            prune="yes",  # type: ignore[arg-type]
        )
    assert ssm_server.request_count() == count
    assert ssm_server.request_count(GET) == ssm_server.request_count(UPDATE) == 0
