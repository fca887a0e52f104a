"""The pacer, on a simulated clock: most of a token bucket's limit, few refusals, a last resort.

It settles at the limit of the embedded backend's token bucket, and gives up
only when nothing is accepted for a minute.

The model of benchmark B10: B10 runs ``set_cutoff_behavior`` (1,000 updates,
16 workers) against a token bucket of 50 a second that holds one second's
worth and starts full. This model runs the same work through the
:class:`Pacer`'s own controller, event by event on one simulated clock: each
worker waits for its send slot as ``Pacer.before_send`` does, its answer
arrives after a seeded random round trip, a throttled attempt waits botocore's
``standard`` retry backoff (3 attempts, ``random() * 2 ** (attempt - 1)``
seconds) and, after the third, ``Pacer.send`` sends it again. The run is the
same on any machine.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field

import pytest

from ssm_mw import ThrottlingError
from ssm_mw._pacing import _RECHECK, Pacer  # pyright: ignore[reportPrivateUsage]
from ssm_mw.testing._faults import TokenBucket
from support.clock import SimulatedClock
from support.operations import UPDATE

pytestmark = pytest.mark.reliability  # a guarantee of docs/reliability.md


@dataclass
class Run:
    """What one modelled run did."""

    seconds: float = 0.0
    accepted: int = 0
    refused: int = 0
    rates: list[tuple[float, float]] = field(default_factory=lambda: [])  # (when, rate)


def model_run(limit: float, burst: float, updates: int, *, seed: int, workers: int = 16) -> Run:
    """``updates`` accepted updates by ``workers`` workers through one Pacer, against a bucket."""
    rng = random.Random(seed)
    clock = SimulatedClock()
    pacer = Pacer(clock=clock)
    rate = pacer._rate(UPDATE)  # pyright: ignore[reportPrivateUsage]
    bucket = TokenBucket(limit, burst, clock)
    run = Run()
    events: list[tuple[float, int, str, int, int, float]] = []  # (when, seq, kind, worker, ...)
    seq = 0
    attempts = [0] * workers

    def at(when: float, kind: str, worker: int, slot: int = 0, sent: float = 0.0) -> None:
        nonlocal seq
        seq += 1
        heapq.heappush(events, (when, seq, kind, worker, slot, sent))

    for worker in range(workers):
        at(0.0, "attempt", worker)
    while run.accepted < updates:
        when, _, kind, worker, slot, sent = heapq.heappop(events)
        clock.now = when
        if kind == "attempt":  # before-send: take a slot
            at(when, "slot", worker, rate.slot())
        elif kind == "slot":  # its turn yet?
            wait = rate.wait(slot)
            if wait > 0:
                at(when + min(wait, _RECHECK), "slot", worker, slot)
                continue
            ok = bucket.has_token()
            if ok:
                bucket.take()
            at(when + rng.uniform(0.008, 0.030), "accepted" if ok else "refused", worker, sent=when)
        else:
            ok = kind == "accepted"
            pacer.answered(UPDATE, None if ok else "ThrottlingException", sent)
            if rate.rate is not None:
                run.rates.append((when, rate.rate))
            if ok:
                run.accepted += 1
                attempts[worker] = 0
                at(when, "attempt", worker)  # the next task
            else:
                run.refused += 1
                attempts[worker] += 1
                if attempts[worker] < 3:  # botocore's standard retry mode: its backoff
                    at(when + rng.random() * 2 ** (attempts[worker] - 1), "attempt", worker)
                else:  # Pacer.send: sent again (paced, no sleep of its own)
                    attempts[worker] = 0
                    at(when, "attempt", worker)
    run.seconds = clock.now
    return run


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(
    ("limit", "burst", "updates", "refused_at_most"),
    [
        (50.0, 50.0, 1000, 0.05),  # B10
        # Few requests a second, the same 20 s of work: the first 16 sends alone
        # meet a bucket of 5.
        (5.0, 5.0, 100, 0.30),
        (200.0, 200.0, 4000, 0.02),
        (200.0, 20.0, 4000, 0.02),
    ],
)
def test_a_b10_like_run_gets_most_of_the_limit(
    limit: float, burst: float, updates: int, refused_at_most: float, seed: int
) -> None:
    """16 workers, a full bucket, botocore's backoff: >= 80% of the limit, few refusals."""
    run = model_run(limit, burst, updates, seed=seed)
    # B10's target: the run takes at most 1.25 times updates / limit.
    assert run.seconds <= 1.25 * updates / limit, run.seconds
    share = run.refused / (run.accepted + run.refused)
    assert share <= refused_at_most, (run.accepted, run.refused)


@pytest.mark.parametrize("seed", range(5))
def test_after_the_first_seconds_the_b10_rate_stays_near_the_limit(seed: int) -> None:
    """No sawtooth: from 3 s on, the pacer's rate stays within 0.6 and 1.4 times the limit."""
    limit = 50.0
    run = model_run(limit, limit, 1000, seed=seed)
    settled = [r for when, r in run.rates if when >= 3.0]
    assert settled
    assert 0.6 * limit <= min(settled), min(settled)
    assert max(settled) <= 1.4 * limit, max(settled)


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
