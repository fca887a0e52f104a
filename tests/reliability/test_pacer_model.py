"""The pacer in a model of benchmark B10, on a simulated clock: most of the limit, few refusals.

B10 runs ``set_cutoff_behavior`` (1,000 updates, 16 workers) against a token
bucket of 50 a second that holds one second's worth and starts full. This
model runs the same work through the :class:`Pacer`'s own controller, event
by event on one simulated clock: each worker waits for its send slot as
``Pacer.before_send`` does, its answer arrives after a seeded random round
trip, a throttled attempt waits botocore's ``standard`` retry backoff (3
attempts, ``random() * 2 ** (attempt - 1)`` seconds) and, after the third,
``Pacer.send`` sends it again. The run is the same on any machine.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field

import pytest

from ssm_mw._pacing import _RECHECK, Pacer  # pyright: ignore[reportPrivateUsage]
from ssm_mw.testing._faults import TokenBucket
from support.clock import SimulatedClock
from support.operations import UPDATE


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
