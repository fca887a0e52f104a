"""Simulated time: a clock that moves only when a sleep says so, and back-offs that take none.

The pacer's tests and the throttling tests run on it, so that seconds of
back-off and pacing take no wall-clock time.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from botocore.retries.standard import ExponentialBackoff

__all__ = ["SimulatedClock", "simulated_backoff"]


class SimulatedClock:
    """Seconds that pass only when the simulation says so (the pacer's tests' clock).

    :meth:`sleep` is the sleep that goes with it: it lets the other tasks run
    once, then moves the clock to the end of the sleep (unless it is already
    past it), so sleeps begun together overlap, as on the wall clock. Time
    passes only by sleeps (and what the test adds to ``now``): a request in
    flight takes none.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self.slept = 0.0  # seconds asked for by sleep, in all

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Yield to the other tasks once, then be at least ``seconds`` later than at the call."""
        end = self.now + max(seconds, 0.0)
        self.slept += max(seconds, 0.0)
        await asyncio.sleep(0)
        self.now = max(self.now, end)


def simulated_backoff(
    monkeypatch: pytest.MonkeyPatch, clock: SimulatedClock | None = None
) -> list[float]:
    """botocore's retry back-offs (standard and adaptive modes) take no wall-clock time.

    Each back-off botocore chooses is recorded (the list returned, in order)
    and moves ``clock`` by its length, if given; botocore then retries at once.
    """
    delays: list[float] = []
    choose = ExponentialBackoff.delay_amount

    def delay_amount(self: ExponentialBackoff, context: Any) -> float:
        delay = float(choose(self, context))
        delays.append(delay)
        if clock is not None:
            clock.now += delay
        return 0.0

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", delay_amount)
    return delays
