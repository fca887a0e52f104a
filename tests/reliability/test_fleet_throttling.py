"""Fleet work under a rate limit: no task fails for throttling; every throttled request counted.

The embedded backend throttles with a token bucket (``EmbeddedSSMServer.throttle``)
on real HTTP; ``set_cutoff_behavior`` runs with its default pacer. The bucket,
the pacer and botocore's retry back-offs share a simulated clock (the waits
move it): no test of the pacer waits on the wall clock. Without the pacer,
botocore's ``adaptive`` mode sets the rate on its own clock, the wall clock:
that test runs in real time. The pacer's controller is also run against the backend's own token
bucket on a simulated clock, so its accuracy is checked without timing anything.
"""

from __future__ import annotations

from typing import Any

import pytest

from ssm_mw import (
    ClientStateError,
    CutoffBehavior,
    CutoffReport,
    MaintenanceWindowClient,
    ThrottlingError,
    set_cutoff_behavior,
)
from ssm_mw._pacing import Pacer, time_source
from ssm_mw.testing import EmbeddedSSMServer
from ssm_mw.testing._faults import TokenBucket
from support.clients import client_for
from support.clock import SimulatedClock, simulated_backoff
from support.figures import count
from support.fleet import fleet
from support.operations import DESCRIBE, UPDATE

CONTINUE, CANCEL = CutoffBehavior.CONTINUE_TASK, CutoffBehavior.CANCEL_TASK


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


@pytest.mark.parametrize(
    ("limit", "burst", "at_least", "refused_at_most"),
    [
        (50.0, 50.0, 0.95, 0.05),  # B10's service: one second's worth of burst
        (200.0, 20.0, 0.95, 0.02),
        (5.0, 5.0, 0.95, 0.25),  # few requests a second: each probe costs a larger share
        (50.0, 1.0, 0.75, 0.05),  # no burst at all: the dips after each decrease are lost
    ],
)
def test_the_pacer_settles_at_the_limit_of_a_token_bucket(
    limit: float, burst: float, at_least: float, refused_at_most: float
) -> None:
    """Saturated sender, simulated clock: the pacer gets most of a token bucket's rate."""
    # The pacer and the backend's token bucket share one simulated clock, and
    # every request's answer arrives 20 ms after it is sent (16 in flight at
    # most): the run is the same on any machine.
    clock = SimulatedClock()
    pacer = Pacer(clock=clock)
    bucket = TokenBucket(limit, burst, clock)
    seconds, rtt, in_flight = 60.0, 0.020, 16
    answers: list[tuple[float, bool, float]] = []  # (when, throttled, sent), sorted
    accepted = refused = 0
    free = in_flight
    next_free = 0.0
    while clock.now < seconds:
        if free == 0 or (answers and answers[0][0] <= next_free):
            when, throttled, sent = answers.pop(0)
            clock.now = max(clock.now, when)
            pacer.answered(UPDATE, "ThrottlingException" if throttled else None, sent)
            free += 1
            continue
        clock.now = max(clock.now, next_free)
        rate = pacer._rate(UPDATE)  # pyright: ignore[reportPrivateUsage]
        slot = rate.slot()
        while (wait := rate.wait(slot)) > 0:
            clock.now += wait
        ok = bucket.has_token()
        if ok:
            bucket.take()
            accepted += 1
        else:
            refused += 1
        answers.append((clock.now + rtt, not ok, clock.now))
        answers.sort()
        free -= 1
        next_free = clock.now
    assert accepted >= at_least * limit * seconds, (accepted, refused)
    assert accepted <= burst + limit * seconds
    assert refused <= refused_at_most * (accepted + refused), (accepted, refused)


async def test_the_pacer_gives_up_only_when_nothing_is_accepted_for_a_minute() -> None:
    """A call throttled for good fails after give_up_after seconds without an accepted request."""
    clock = SimulatedClock()
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    pacer = Pacer(clock=clock, sleep=sleep, pace=False)
    calls = 0

    async def throttled() -> None:
        nonlocal calls
        calls += 1
        pacer.answered(UPDATE, "ThrottlingException")
        clock.now += 1.0
        raise ThrottlingError(code="ThrottlingException", message="Rate exceeded", operation=UPDATE)

    with pytest.raises(ThrottlingError):
        await pacer.send(UPDATE, throttled)
    assert clock.now >= 60
    assert calls > 5
    assert pacer.throttled_retries == calls - 1

    accepted_once = 0

    async def flaky() -> str:
        nonlocal accepted_once
        accepted_once += 1
        if accepted_once < 100:
            pacer.answered(UPDATE, "ThrottlingException")
            clock.now += 1.0
            raise ThrottlingError(
                code="ThrottlingException", message="Rate exceeded", operation=UPDATE
            )
        pacer.answered(UPDATE, None)
        return "ok"

    pacer = Pacer(clock=clock, sleep=sleep, pace=False, give_up_after=1e9)
    assert await pacer.send(UPDATE, flaky) == "ok"
    assert pacer.throttled_retries == 99


async def test_an_unopened_client_raises_before_any_request(ssm_server: EmbeddedSSMServer) -> None:
    """A client that is not open: ClientStateError at once, and nothing is sent."""
    window_id = ssm_server.create_maintenance_window()
    before = ssm_server.request_count()
    with pytest.raises(ClientStateError):
        await set_cutoff_behavior(client_for(ssm_server), [window_id], CANCEL)
    assert ssm_server.request_count() == before
