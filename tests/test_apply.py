"""apply_plan: whole-definition updates; injected faults, concurrent applies, stale saved plans."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable

import attrs
import pytest

from ssm_mw import (
    ApplyCancelledError,
    ApplyOutcome,
    ApplyProgress,
    ApplyReport,
    DesiredState,
    MaintenanceWindowClient,
    Plan,
    PlanAction,
    ServiceError,
    StalePlanError,
    TaskUpdate,
    apply_plan,
    plan_tasks,
)
from ssm_mw._pacing import time_source
from ssm_mw.testing import EmbeddedSSMServer
from support.cancelling import cancelled_inside
from support.clock import SimulatedClock, simulated_backoff
from support.operations import DESCRIBE, GET, REGISTER, UPDATE
from support.plan import ALL_TASKS, actions, desired, patch_linux_applied
from support.waiting import until


async def _names(mw: MaintenanceWindowClient, state: DesiredState) -> Counter[str | None]:
    """The names of the tasks live in the state's one window."""
    (window_id,) = state.windows
    return Counter([t.name async for t in mw.paginate_maintenance_window_tasks(window_id)])


@pytest.fixture
async def half_applied(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> DesiredState:
    """The desired state of the window: three tasks live (two of them drifted), three to create."""
    window_id = maintenance_window_id
    state = desired(window_id)
    names = list(ALL_TASKS)
    await apply_plan(
        mw_client,
        DesiredState(windows={window_id: {n: state.windows[window_id][n] for n in names[:3]}}),
    )
    plan = await plan_tasks(mw_client, state)
    for task in plan.tasks[:2]:
        assert task.window_task_id is not None
        await mw_client.update_maintenance_window_task(
            window_id, task.window_task_id, TaskUpdate(priority=42)
        )
    return state


async def test_every_failure_is_reported_and_a_rerun_converges(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, half_applied: DesiredState
) -> None:
    """Registers that commit but answer an error, failed updates: each reported; a re-run heals."""
    state = half_applied
    plan = await plan_tasks(mw_client, state)
    assert Counter(actions(plan).values()) == {
        PlanAction.CREATE: 3, PlanAction.UPDATE: 2, PlanAction.UNCHANGED: 1,
    }  # fmt: skip
    ssm_server.inject_fault(
        REGISTER, "InternalServerError", status=500, times=None, after_commit=True
    )
    ssm_server.inject_fault(UPDATE, "ValidationException", status=400, times=None)
    report = await apply_plan(mw_client, plan)
    assert not report.ok
    failed = {r.name: r for r in report.failed}
    assert set(failed) == {t.name for t in plan.with_action(PlanAction.CREATE, PlanAction.UPDATE)}
    assert all(isinstance(r.error, ServiceError) for r in failed.values())
    assert [r.outcome for r in report.with_outcome(ApplyOutcome.UNCHANGED)] == [
        ApplyOutcome.UNCHANGED
    ]
    ssm_server.clear_faults()
    # The registers took effect (each retry sent the same client token): one task per name.
    assert await _names(mw_client, state) == Counter(list(ALL_TASKS))
    second = await apply_plan(mw_client, state)
    assert second.ok
    assert {r.name for r in second.with_outcome(ApplyOutcome.UPDATED)} == {
        t.name for t in plan.with_action(PlanAction.UPDATE)
    }
    assert second.with_outcome(ApplyOutcome.CREATED) == ()
    assert await _names(mw_client, state) == Counter(list(ALL_TASKS))
    final = await plan_tasks(mw_client, state)
    assert set(actions(final).values()) == {PlanAction.UNCHANGED}


async def test_random_faults_everywhere_still_converge_without_duplicates(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, half_applied: DesiredState
) -> None:
    """Any operation may fail, before or after taking effect: re-runs converge, one per name."""
    state = half_applied
    ssm_server.reseed(12)
    ssm_server.inject_fault(
        None, "InternalServerError", status=500, probability=0.4, after_commit=True
    )
    rounds = 0
    while True:
        rounds += 1
        assert rounds <= 30, "no convergence"
        try:
            report = await apply_plan(mw_client, state)
        except ServiceError:
            continue  # the plan's reads failed: nothing was changed, try again
        if report.ok:
            break
    ssm_server.clear_faults()
    assert await _names(mw_client, state) == Counter(list(ALL_TASKS))
    assert set(actions(await plan_tasks(mw_client, state)).values()) == {PlanAction.UNCHANGED}


async def test_throttling_is_paced_not_failed(
    mw_client: MaintenanceWindowClient,
    ssm_server: EmbeddedSSMServer,
    maintenance_window_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Throttled reads and writes, more than botocore retries: apply slows down and succeeds."""
    # The pacer's waits and botocore's back-offs run on a simulated clock.
    w = maintenance_window_id
    state = desired(w, ["lambda-minimal", "drain-queue", "notify-team"])
    clock = SimulatedClock()
    backoffs = simulated_backoff(monkeypatch, clock)
    with time_source(clock, clock.sleep):
        ssm_server.inject_fault(REGISTER, "ThrottlingException", status=400, times=8)
        report = await apply_plan(mw_client, state, concurrency=3)
        assert report.ok, [r.error for r in report.failed]
        assert ssm_server.request_count(REGISTER) == 3 + 8
        assert await _names(mw_client, state) == Counter(
            ["lambda-minimal", "drain-queue", "notify-team"]
        )
        ssm_server.inject_fault(GET, "ThrottlingException", status=400, times=6)
        plan = await plan_tasks(mw_client, state)
        assert {t.action for t in plan.tasks} == {PlanAction.UNCHANGED}
        assert ssm_server.request_count(GET) == 3 + 6
    assert backoffs, "botocore retried"
    assert clock.slept > 0, "the pacer paced"


async def test_two_applies_at_once_create_one_task(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Both plan "create"; both register with the same derived client token; one task results."""
    w = maintenance_window_id
    state = desired(w, ["lambda-minimal", "drain-queue"])
    ssm_server.inject_latency(0.3, operation=REGISTER)
    first, second = await asyncio.gather(apply_plan(mw_client, state), apply_plan(mw_client, state))
    assert first.ok
    assert second.ok
    assert {r.outcome for r in (*first.results, *second.results)} == {ApplyOutcome.CREATED}
    assert [r.window_task_id for r in first.results] == [r.window_task_id for r in second.results]
    assert ssm_server.request_count(REGISTER) == 4
    assert await _names(mw_client, state) == Counter(["lambda-minimal", "drain-queue"])


async def test_a_saved_plan_applies_later(
    mw_client: MaintenanceWindowClient, half_applied: DesiredState
) -> None:
    """dumps/loads keep the plan; applying it when nothing moved converges."""
    state = half_applied
    plan = await plan_tasks(mw_client, state)
    saved = Plan.loads(plan.dumps())
    assert saved == plan
    report = await apply_plan(mw_client, saved)
    assert report.ok
    assert set(actions(await plan_tasks(mw_client, state)).values()) == {PlanAction.UNCHANGED}


async def test_a_stale_saved_plan_is_refused_naming_the_tasks(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, half_applied: DesiredState
) -> None:
    """A task it would update changed, a task it would create appeared: refused, nothing sent."""
    state = half_applied
    (w,) = state.windows
    plan = await plan_tasks(mw_client, state)
    text = plan.dumps()
    updated = plan.with_action(PlanAction.UPDATE)[0]
    created = plan.with_action(PlanAction.CREATE)[0]
    assert updated.window_task_id is not None
    assert created.name is not None
    await mw_client.update_maintenance_window_task(
        w, updated.window_task_id, TaskUpdate(priority=9)
    )
    definition = state.windows[w][created.name]
    new_id = await mw_client.register_task_with_maintenance_window(w, definition)
    writes = ssm_server.request_count(REGISTER) + ssm_server.request_count(UPDATE)
    with pytest.raises(StalePlanError) as caught:
        await apply_plan(mw_client, Plan.loads(text))
    assert {t.name for t in caught.value.tasks} == {updated.name, created.name}
    message = str(caught.value)
    assert f"{w}/{updated.name}" in message
    assert f"{w}/{created.name}" in message
    assert new_id in message
    assert ssm_server.request_count(REGISTER) + ssm_server.request_count(UPDATE) == writes


async def test_a_plan_with_nothing_to_change_is_never_stale(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Only the tasks a plan would change are checked; an unchanged task that moved is no reason."""
    w = maintenance_window_id
    state = desired(w, ["lambda-minimal"])
    await apply_plan(mw_client, state)
    plan = await plan_tasks(mw_client, state)
    (task,) = plan.tasks
    assert task.window_task_id is not None
    await mw_client.update_maintenance_window_task(w, task.window_task_id, TaskUpdate(priority=9))
    report = await apply_plan(mw_client, Plan.loads(plan.dumps()))
    assert [r.outcome for r in report.results] == [ApplyOutcome.UNCHANGED]


async def test_a_task_update_is_a_replace_of_the_whole_definition(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """After apply, the live task is exactly the definition (drift in any member is undone)."""
    w = maintenance_window_id
    state, task_id = await patch_linux_applied(mw_client, w)
    await mw_client.update_maintenance_window_task(
        w, task_id, TaskUpdate(priority=5, max_errors="3")
    )
    await apply_plan(mw_client, state)
    live = await mw_client.get_maintenance_window_task(w, task_id)
    assert (live.priority, live.max_errors) == (1, "1")


async def test_a_plan_made_here_is_applied_with_its_own_reads(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """apply_plan of a desired state, or of a plan just made, reads each live task once (the
    plan's read); a saved plan read back reads the tasks it changes again, as before."""
    w = maintenance_window_id
    assert (await apply_plan(mw_client, desired(w))).ok
    drifted = DesiredState(
        windows={
            w: {
                name: attrs.evolve(d, description="v2") for name, d in desired(w).windows[w].items()
            }
        }
    )
    live = len(ALL_TASKS)
    reads = ssm_server.request_count(GET)
    report = await apply_plan(mw_client, drifted)
    assert [r.outcome for r in report.results] == [ApplyOutcome.UPDATED] * live
    assert ssm_server.request_count(GET) - reads == live
    again = DesiredState(
        windows={
            w: {name: attrs.evolve(d, description="v3") for name, d in drifted.windows[w].items()}
        }
    )
    plan = await plan_tasks(mw_client, again)
    reads = ssm_server.request_count(GET)
    assert (await apply_plan(mw_client, plan)).ok
    assert ssm_server.request_count(GET) == reads
    saved = Plan.loads((await plan_tasks(mw_client, desired(w))).dumps())
    reads = ssm_server.request_count(GET)
    assert (await apply_plan(mw_client, saved)).ok
    assert ssm_server.request_count(GET) - reads == live


async def _cancelled_apply(
    mw: MaintenanceWindowClient, plan: Plan, when: int, concurrency: int
) -> ApplyCancelledError:
    """Apply ``plan``; cancel the run once ``when`` tasks are done; the error it raised."""

    def start(cancel: Callable[[], None]) -> Awaitable[ApplyReport]:
        def progress(p: ApplyProgress) -> None:
            if p.done == when:
                cancel()

        return apply_plan(mw, plan, concurrency=concurrency, progress=progress)

    return await cancelled_inside(start, ApplyCancelledError)


async def test_a_cancelled_apply_reports_each_task_and_sends_nothing_more(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Cancelled while registers are throttled: created, interrupted and not started tasks,
    none failed; no request after the cancellation; the server holds exactly the created ones;
    a re-run converges without duplicates."""
    state = desired(maintenance_window_id)
    plan = await plan_tasks(mw_client, state)
    frozen = 0.0  # the bucket never refills: after its 2 tokens every register is throttled
    ssm_server.throttle(1, burst=2, operation=REGISTER, clock=lambda: frozen)
    try:
        error = await _cancelled_apply(mw_client, plan, when=2, concurrency=2)
        sent_at_the_end = ssm_server.request_count(REGISTER)
        await asyncio.sleep(0.3)  # nothing is left to send anything later
        assert ssm_server.request_count(REGISTER) == sent_at_the_end
    finally:
        ssm_server.throttle(None, operation=REGISTER)
    report = error.report
    assert report.complete is False
    assert report.failed == ()
    created = report.with_outcome(ApplyOutcome.CREATED)
    assert len(created) == 2
    cut_short = report.with_outcome(ApplyOutcome.INTERRUPTED, ApplyOutcome.NOT_STARTED)
    assert len(created) + len(cut_short) == len(ALL_TASKS)
    assert report.with_outcome(ApplyOutcome.NOT_STARTED), "the queue was cut short"
    assert str(error) == f"apply_plan was cancelled: 2 tasks done, {len(cut_short)} not changed"
    assert await _names(mw_client, state) == Counter(r.name for r in created)
    again = await apply_plan(mw_client, state)
    assert again.ok
    assert again.complete
    assert await _names(mw_client, state) == Counter(list(ALL_TASKS))


async def test_a_saved_plan_cancelled_while_read_again_changes_nothing(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Cancelled while a saved plan's tasks are read again: every change is not started."""
    state = desired(maintenance_window_id, ["lambda-minimal", "drain-queue"])
    saved = Plan.loads((await plan_tasks(mw_client, state)).dumps())
    ssm_server.inject_latency(5, operation=DESCRIBE)
    described = ssm_server.request_count(DESCRIBE)

    async def start(cancel: Callable[[], None]) -> ApplyReport:
        async def cancel_once_read() -> None:
            await until(lambda: ssm_server.request_count(DESCRIBE) > described, "the read again")
            cancel()

        watcher = asyncio.ensure_future(cancel_once_read())
        try:
            return await apply_plan(mw_client, saved)
        finally:
            watcher.cancel()

    error = await cancelled_inside(start, ApplyCancelledError)
    ssm_server.inject_latency(0, operation=DESCRIBE)
    assert error.report.complete is False
    assert {r.outcome for r in error.report.results} == {ApplyOutcome.NOT_STARTED}
    assert ssm_server.request_count(REGISTER) == 0
    assert await _names(mw_client, state) == Counter()
