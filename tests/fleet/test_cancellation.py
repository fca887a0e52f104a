"""Cancelling ``set_cutoff_behavior``: it stops, and its partial report is exactly what it did.

The run is cancelled from its progress callback at chosen points (while
windows are listed, while tasks are updated, between the two) while the
embedded backend answers slowly enough to have requests in flight. The
partial report is then checked against the server: every task reported
``CHANGED`` has the new behavior, every task with it is reported, and no
update is sent after the cancellation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from ssm_mw import (
    CutoffBehavior,
    CutoffCancelledError,
    CutoffProgress,
    CutoffReport,
    MaintenanceWindowClient,
    set_cutoff_behavior,
)
from ssm_mw.testing import EmbeddedSSMServer
from support.cancelling import cancelled_inside
from support.clients import client_for
from support.figures import count
from support.fleet import fleet
from support.operations import UPDATE
from support.waiting import answered

CONTINUE, CANCEL = CutoffBehavior.CONTINUE_TASK, CutoffBehavior.CANCEL_TASK
WINDOWS, TASKS = 6, 5


pytestmark = pytest.mark.reliability  # a guarantee of docs/reliability.md


async def on_server(
    mw: MaintenanceWindowClient, window_ids: list[str]
) -> dict[str, CutoffBehavior]:
    """Every task's behavior on the server, by task id."""
    found: dict[str, CutoffBehavior] = {}
    for window_id in window_ids:
        async for t in mw.paginate_maintenance_window_tasks(window_id):
            assert t.cutoff_behavior is not None
            found[t.window_task_id] = t.cutoff_behavior
    return found


async def cancelled_run(
    mw: MaintenanceWindowClient,
    window_ids: list[str],
    concurrency: int,
    when: Callable[[CutoffProgress], bool],
    *,
    twice: bool = False,
) -> CutoffCancelledError:
    """Run the sweep; cancel it (``twice``: twice) the first time ``when(progress)`` holds."""
    fired = False

    def start(cancel: Callable[[], None]) -> Awaitable[CutoffReport]:
        def progress(p: CutoffProgress) -> None:
            nonlocal fired
            if not fired and when(p):
                fired = True
                cancel()
                if twice:
                    asyncio.get_running_loop().call_later(0.3, cancel)

        return set_cutoff_behavior(
            mw, window_ids, CANCEL, concurrency=concurrency, progress=progress
        )

    error = await cancelled_inside(start, CutoffCancelledError)
    assert fired
    count("fleet:runs_cancelled")
    return error


async def check_exact(
    server: EmbeddedSSMServer,
    mw: MaintenanceWindowClient,
    window_ids: list[str],
    error: CutoffCancelledError,
) -> CutoffReport:
    """The partial report is what happened on the server, and nothing is sent afterwards."""
    report = error.report
    assert not report.complete
    assert report.failed == ()
    sent = server.request_count(UPDATE)
    # Nothing is left that could send: no task but this one, every request answered.
    current = asyncio.current_task()
    assert {t for t in asyncio.all_tasks() if t is not current and not t.done()} == set()
    await answered(server, UPDATE)
    assert server.request_count(UPDATE) == sent, "no update after the cancellation"
    state = await on_server(mw, window_ids)
    changed = {c.window_task_id for c in report.changed}
    assert changed == {t for t, b in state.items() if b is CANCEL}, "exactly the changed ones"
    assert len(changed) == sent, "every update sent is in the report"
    for change in report.changed:
        assert (change.before, change.after) == (CONTINUE, CANCEL)
    assert len(report.changes) < WINDOWS * TASKS, "the run stopped before the end"
    assert error.windows_total == WINDOWS
    count("fleet:tasks_changed_before_cancellation", len(changed))
    return report


async def test_cancelled_while_listing(ssm_server: EmbeddedSSMServer) -> None:
    """Cancelled after 2 of 6 windows are listed: what was changed is reported, exactly."""
    async with client_for(ssm_server) as mw:
        window_ids = await fleet(ssm_server, mw, WINDOWS, TASKS)
        ssm_server.inject_latency(0.05)
        error = await cancelled_run(mw, window_ids, 2, lambda p: p.windows_listed == 2)
        ssm_server.inject_latency(0)
        await check_exact(ssm_server, mw, window_ids, error)
        assert error.windows_listed < WINDOWS


async def test_cancelled_while_updating(ssm_server: EmbeddedSSMServer) -> None:
    """Cancelled after 10 tasks are done, with updates in flight: they finish and are reported."""
    async with client_for(ssm_server) as mw:
        window_ids = await fleet(ssm_server, mw, WINDOWS, TASKS)
        ssm_server.inject_latency(0.1, operation=UPDATE)
        error = await cancelled_run(mw, window_ids, 4, lambda p: p.tasks_done == 10)
        ssm_server.inject_latency(0, operation=UPDATE)
        report = await check_exact(ssm_server, mw, window_ids, error)
        # The 3 other workers' updates were in flight at the cancellation; they finished.
        assert len(report.changed) >= 10


async def test_cancelled_between_listing_and_updating(ssm_server: EmbeddedSSMServer) -> None:
    """One worker lists every window first; cancelled then: nothing changed, nothing sent."""
    async with client_for(ssm_server) as mw:
        window_ids = await fleet(ssm_server, mw, WINDOWS, TASKS)
        error = await cancelled_run(
            mw, window_ids, 1, lambda p: p.windows_listed == WINDOWS and p.tasks_done == 0
        )
        report = await check_exact(ssm_server, mw, window_ids, error)
        assert report.changes == ()
        assert error.windows_listed == WINDOWS
        assert ssm_server.request_count(UPDATE) == 0


async def test_cancelled_twice_the_updates_in_flight_are_cancelled_too(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """A second cancellation while updates finish cancels them: still nothing reported wrongly."""
    async with client_for(ssm_server) as mw:
        window_ids = await fleet(ssm_server, mw, WINDOWS, TASKS)
        ssm_server.inject_latency(1.0, operation=UPDATE)
        in_flight_before = ssm_server.request_count(UPDATE)
        error = await cancelled_run(mw, window_ids, 4, lambda p: p.tasks_done == 4, twice=True)
        in_flight = ssm_server.request_count(UPDATE) - in_flight_before - len(error.report.changed)
        ssm_server.inject_latency(0, operation=UPDATE)
        # The second cancellation came while updates were in flight (1 s each, 0.3 s in).
        assert in_flight > 0, "updates were cut off in flight"
        assert len(error.report.changed) >= 4
        await answered(ssm_server, UPDATE)  # the cancelled requests commit on the server's side
        state = await on_server(mw, window_ids)
        changed = {c.window_task_id for c in error.report.changed}
        on = {t for t, b in state.items() if b is CANCEL}
        assert changed <= on
        assert len(on - changed) == in_flight, "only the updates cut off are unreported"
        # After the cancellation the client still works.
        assert len(state) == WINDOWS * TASKS


async def test_the_error_message_says_what_was_done(ssm_server: EmbeddedSSMServer) -> None:
    """The cancellation's message gives tasks done, changed and windows listed."""
    async with client_for(ssm_server) as mw:
        window_ids = await fleet(ssm_server, mw, WINDOWS, TASKS)
        error = await cancelled_run(
            mw, window_ids, 1, lambda p: p.windows_listed == WINDOWS and p.tasks_done == 0
        )
    assert str(error) == (
        "set_cutoff_behavior was cancelled after 0 tasks (0 changed); 6 of 6 windows listed"
    )


async def test_cancelled_while_throttled_the_cut_off_tasks_are_interrupted_not_failed(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """Updates throttled at the cancellation are ``interrupted`` (unchanged), never failed."""
    frozen = 0.0  # the bucket never refills: after its 3 tokens every update is throttled
    async with client_for(ssm_server) as mw:
        window_ids = await fleet(ssm_server, mw, WINDOWS, TASKS)
        ssm_server.throttle(1, burst=3, operation=UPDATE, clock=lambda: frozen)
        try:
            error = await cancelled_run(mw, window_ids, 4, lambda p: p.tasks_done == 3)
        finally:
            ssm_server.throttle(None, operation=UPDATE)
        report = error.report
        assert report.failed == ()
        assert len(report.changed) == 3
        assert len(report.interrupted) >= 1, "an update in flight was throttled at the cancellation"
        state = await on_server(mw, window_ids)
        for change in report.interrupted:
            assert change.window_task_id is not None
            assert state[change.window_task_id] is CONTINUE, "an interrupted task is unchanged"
        assert {t for t, b in state.items() if b is CANCEL} == {
            c.window_task_id for c in report.changed
        }
        count("fleet:tasks_interrupted_while_throttled", len(report.interrupted))
