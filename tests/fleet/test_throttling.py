"""Fleet work under a rate limit: no task fails for throttling; every throttled request counted.

The embedded backend throttles with a token bucket (``EmbeddedSSMServer.throttle``)
on real HTTP; ``set_cutoff_behavior`` runs with its default pacer. The bucket,
the pacer and botocore's retry back-offs share a simulated clock (the waits
move it): no test of the pacer waits on the wall clock. Without the pacer,
botocore's ``adaptive`` mode sets the rate on its own clock, the wall clock:
that test runs in real time. (The pacer on its own: ``tests/test_pacing.py``.)
"""

from __future__ import annotations

from typing import Any

import pytest

from ssm_mw import (
    ClientStateError,
    CutoffBehavior,
    CutoffReport,
    MaintenanceWindowClient,
    set_cutoff_behavior,
)
from ssm_mw._pacing import time_source
from ssm_mw.testing import EmbeddedSSMServer
from support.clients import client_for
from support.clock import SimulatedClock, simulated_backoff
from support.figures import count
from support.fleet import fleet
from support.operations import DESCRIBE, UPDATE

CONTINUE, CANCEL = CutoffBehavior.CONTINUE_TASK, CutoffBehavior.CANCEL_TASK


pytestmark = pytest.mark.reliability  # a guarantee of docs/reliability.md


async def behaviors(mw: MaintenanceWindowClient, window_ids: list[str]) -> list[Any]:
    """The behavior of every task of the windows, as the server has it."""
    return [
        t.cutoff_behavior
        for w in window_ids
        async for t in mw.paginate_maintenance_window_tasks(w)
    ]  # fmt: skip


async def throttled_sweep(
    server: EmbeddedSSMServer,
    monkeypatch: pytest.MonkeyPatch,
    operation: str,
    *,
    rate: float,
    burst: float,
    windows: int,
    concurrency: int,
    tasks: int = 1,
) -> tuple[CutoffReport, int, list[Any]]:
    """Sweep a new fleet to CANCEL_TASK with ``operation`` limited on a simulated clock.

    Returns the report, the requests the limit refused, and the tasks' behaviors after.
    """
    clock = SimulatedClock()
    simulated_backoff(monkeypatch, clock)
    async with client_for(server) as mw:
        window_ids = await fleet(server, mw, windows, tasks)
        server.throttle(rate, burst=burst, operation=operation, clock=clock)
        with time_source(clock, clock.sleep):
            report = await set_cutoff_behavior(mw, window_ids, CANCEL, concurrency=concurrency)
        refused = server.throttled_count(operation)
        server.throttle(None, operation=operation)
        return report, refused, await behaviors(mw, window_ids)


async def test_a_throttled_sweep_changes_every_task_and_counts_every_throttled_request(
    ssm_server: EmbeddedSSMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """16 workers, updates limited to 25/s (simulated): 0 failures; each refusal counted, resent."""
    report, refused, after = await throttled_sweep(
        ssm_server, monkeypatch, UPDATE, rate=25, burst=2, windows=10, tasks=10, concurrency=16
    )
    assert report.failed == ()
    assert len(report.changed) == 100
    assert report.complete
    assert refused > 0, "the limit was reached"
    assert report.throttled_retries == refused, "every refusal was seen, and sent again"
    assert ssm_server.request_count(UPDATE) == 100 + refused
    assert after == [CANCEL] * 100
    count("fleet:updates_under_throttling", 100)
    count("fleet:throttled_requests_retried", refused)


async def test_throttled_listings_are_sent_again_too(
    ssm_server: EmbeddedSSMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Describe limited to 10/s (simulated), burst 1: every window is listed, none fails."""
    report, refused, _ = await throttled_sweep(
        ssm_server, monkeypatch, DESCRIBE, rate=10, burst=1, windows=12, concurrency=8
    )
    assert report.failed == ()
    assert len(report.changed) == 12
    assert refused > 0
    assert report.throttled_retries == refused


async def test_without_the_pacer_throttled_updates_are_still_sent_again(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """``adapt_to_throttling=False`` under a limit: the fleet still fails no task."""
    async with client_for(ssm_server, retries={"mode": "adaptive"}) as mw:
        window_ids = await fleet(ssm_server, mw, 4, 5)
        ssm_server.throttle(30, burst=2, operation=UPDATE)
        report = await set_cutoff_behavior(
            mw, window_ids, CANCEL, concurrency=8, adapt_to_throttling=False
        )
        refused = ssm_server.throttled_count(UPDATE)
        ssm_server.throttle(None, operation=UPDATE)
        assert report.failed == ()
        assert len(report.changed) == 20
        assert report.throttled_retries == refused


async def test_an_unopened_client_raises_before_any_request(ssm_server: EmbeddedSSMServer) -> None:
    """A client that is not open: ClientStateError at once, and nothing is sent."""
    window_id = ssm_server.create_maintenance_window()
    before = ssm_server.request_count()
    with pytest.raises(ClientStateError):
        await set_cutoff_behavior(client_for(ssm_server), [window_id], CANCEL)
    assert ssm_server.request_count() == before
