"""Fleet work that adapts to throttling (private): :class:`Pacer`.

Many coroutines of one fleet run (``set_cutoff_behavior``, ``apply``) share
one :class:`Pacer`. It has a send rate per operation, which every attempt
of that operation on the client waits for, botocore's own retries included:

* no pacing until the service first throttles the operation;
* on a throttled answer, the rate drops to 4/5 of itself (the first time,
  of the rate the service accepted so far, over up to the last second);
  throttled answers to requests sent before that drop say nothing new and
  are only counted;
* on accepted answers it grows again along CUBIC's curve (TCP's, and
  botocore's adaptive mode's), ``w_max + 0.4 * (t - k) ** 3`` requests a
  second ``t`` seconds after the drop from ``w_max``: quickly back towards the
  rate that was throttled, slowly around it (``k`` = 2.9 s at 50 a second),
  then faster beyond it, never beyond twice the accepted rate; so it keeps
  probing for the limit and settles around it. The curve and the drop are
  botocore's ``CubicCalculator`` (``botocore.retries.throttling``), with
  ``beta`` 0.8 (botocore's adaptive mode drops to 0.7);
* never below ``min_rate`` (0.5 a second, as botocore's adaptive mode);
* the attempts waiting for their turn (numbered, sent in order) are spaced
  at the current rate: a change of it applies to those waiting too, so no
  request goes out at a rate already dropped, and one waiting at a rate
  since grown looks again within half a second.

The accepted rate (the base of the first drop, and the cap of twice it) is
measured here: the accepted answers of the last second, over the time since
the operation's first send when that is shorter (0.05 s at least).
botocore's ``RateClocker`` (``botocore.retries.adaptive``, what its adaptive
mode measures with) is not used: it counts in half-second buckets and reports
0 until the first one closes, and the first throttled answer comes before
that (in B10, 0.07-0.21 s after the first send, 16 workers against a full
bucket), so the first drop goes to ``min_rate`` and the rate takes ~5 s to
climb back. B10 (1,000 updates at concurrency 16, 50 a second), medians of 3
rounds, the two ways interleaved in the same run, two runs: this module's
accepted rate 0.960-0.964x the 20 s floor and 0.975-0.978x botocore's
adaptive mode, 0 failed tasks, 2.2-3.0% of requests throttled;
``RateClocker`` in its place 1.154-1.160x the floor and 1.171-1.177x adaptive
mode, 0 failed tasks, 2.1-2.4% throttled. Of its 12 rounds in these and two
more runs, 9 took 22.9-23.5 s and 3 took 19.4-20.2 s (this module's: 19.2-21.2 s).

:meth:`Pacer.send` makes one call and, when it still fails with
:class:`~ssm_mw.ThrottlingError` after botocore's retries, sends it again
(paced like every other attempt) instead of failing: a call fails for
throttling only when the service accepted no request of that operation for
``give_up_after`` seconds (60), i.e. when the limit does not allow the work at
all. It counts every throttled answer; :attr:`Pacer.throttled_retries` is how
many of them were followed by another attempt. A throttled answer to one of a
call's first three attempts is retried at once, without botocore's backoff:
the retry still waits for its send slot at the rate just lowered, and the
backoff on top of that (up to 1 s, then up to 2 s, in ``standard`` mode) only
left it idle; in B11 those idle retries set the end of the run.

The pacing hooks are botocore events of the client (``before-send`` and
``needs-retry`` of each operation), registered by :meth:`Pacer.attached` for
the run and removed afterwards; with ``pace=False`` the Pacer only counts and
re-sends, and leaves the rate to the client's retry mode (e.g. botocore's
``adaptive``).

A Pacer's clock and sleep are ``time.monotonic`` and ``asyncio.sleep`` unless
given; :func:`time_source` sets others for the Pacers made inside its block,
those the library makes itself included (a test's simulated clock).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import itertools
import random
import time
from collections.abc import Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any, TypeVar

from botocore.retries.throttling import CubicCalculator

from ._service_errors import ThrottlingError

if TYPE_CHECKING:
    from ._client import MaintenanceWindowClient

__all__ = ["NotSent", "Pacer", "request_limit", "time_source"]

T = TypeVar("T")
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[Any]]

_DECREASE = 0.8  # the share of the rate kept after a throttled answer (CUBIC's beta)
_MIN_SPAN = 0.05  # seconds: the shortest time over which the accepted rate is measured
_WINDOW = 1.0  # seconds over which the accepted rate is measured
_MAX_SCALE = 2.0  # the rate never exceeds this multiple of the accepted rate
_SLACK = 0.5  # of a slot: how late a send may be and still keep the schedule
_RECHECK = 0.5  # seconds: the longest a send waits before it looks at the rate again
_THROTTLING_CODES = frozenset(ThrottlingError.codes)
#: The attempts of a call (botocore's standard mode's default) whose throttled answer the
#: pacer retries at once, spaced by its rate; after them botocore's retry handler decides
#: (and a throttled call that ends there is sent again by :meth:`Pacer.send`).
_PACED_ATTEMPTS = 3
_ids = itertools.count()
#: When the current attempt was sent: set by the ``before-send`` hook, read by
#: ``needs-retry``, which botocore runs in the same task for the same attempt.
_SENT_AT: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "ssm_mw_pacer_sent_at", default=None
)
#: The clock and sleep of the Pacers made without their own (see :func:`time_source`).
_TIME: contextvars.ContextVar[tuple[Clock, Sleep]] = contextvars.ContextVar(
    "ssm_mw_pacer_time", default=(time.monotonic, asyncio.sleep)
)


#: The bound on requests in flight of the Pacers made in a block (see :func:`request_limit`).
_LIMIT: contextvars.ContextVar[asyncio.Semaphore | None] = contextvars.ContextVar(
    "ssm_mw_pacer_limit", default=None
)
#: Whether the attempt of :meth:`Pacer.send` running in this task holds a place of the limit.
_HELD: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar(
    "ssm_mw_pacer_held", default=None
)


@contextlib.contextmanager
def request_limit(limit: asyncio.Semaphore) -> Generator[None]:
    """In the block (and the tasks it starts), new Pacers send at most ``limit``'s count at once.

    The runs across a scope's account-Regions each have their own Pacer (their
    own rates); this bounds the requests of all of them together. A place is
    taken once an attempt's send slot has come (waiting for the slot holds
    none: a throttled account-Region does not keep the others' places) and
    given back with its answer.
    """
    token = _LIMIT.set(limit)
    try:
        yield
    finally:
        _LIMIT.reset(token)


@contextlib.contextmanager
def time_source(clock: Clock, sleep: Sleep) -> Generator[None]:
    """In the block (and the tasks it starts), new Pacers read ``clock`` and wait with ``sleep``.

    A test seam: the Pacers that ``apply_plan``, ``plan_tasks`` and
    ``set_cutoff_behavior`` make for themselves run on a simulated clock.
    """
    token = _TIME.set((clock, sleep))
    try:
        yield
    finally:
        _TIME.reset(token)


class _Rate:
    """The send rate of one operation (``None``: not paced yet).

    Sends are numbered slots (:meth:`slot`); slot ``n`` is due at
    ``_base_t + (n - _base_n) / rate``. Every change of the rate moves the base
    to the present, so the slots still waiting are spaced at the new rate: after
    a decrease nothing goes out at the old one, and after an increase nothing
    waits for it.
    """

    def __init__(self, clock: Clock, min_rate: float) -> None:
        self._clock = clock
        self._min_rate = min_rate
        self.rate: float | None = None
        self._slots = 0  # slots handed out
        self._base_n = 0.0  # the slot (a fraction: where the schedule is) due at _base_t
        self._base_t = 0.0
        self._first = clock()
        self._last_cut = -1e18
        # The rate at which the service last throttled, and the curve back to it.
        self._cubic = CubicCalculator(starting_max_rate=0.0, start_time=self._first, beta=_DECREASE)
        self._accepted: collections.deque[float] = collections.deque()
        self.last_accepted = self._first  # (the run's start, before any answer)
        self.throttled = 0

    def slot(self) -> int:
        """The number of the next send (sends go out in this order)."""
        n = self._slots
        self._slots += 1
        return n

    def wait(self, slot: int) -> float:
        """How long ``slot`` has still to wait (0: it goes now, and is taken)."""
        if self.rate is None:
            return 0.0
        now = self._clock()
        due = self._base_t + (slot - self._base_n) / self.rate
        if due > now:
            return due - now
        # It goes: the schedule goes on from it. A send late by less than a
        # slot (the event loop's own lag) keeps the schedule; one later (no
        # send was waiting) does not leave a burst of slots due at once.
        self._base_n = slot
        self._base_t = max(due, now - _SLACK / self.rate)
        return 0.0

    def _set(self, rate: float, now: float) -> None:
        """Change the rate from ``now`` on: the slots still waiting are spaced at it."""
        if self.rate is None:
            self._base_n = self._slots
        else:
            at = self._base_n + (now - self._base_t) * self.rate
            self._base_n = min(at, self._slots)
        self._base_t = now
        self.rate = rate

    def _accepted_rate(self, now: float) -> float:
        while self._accepted and self._accepted[0] < now - _WINDOW:
            self._accepted.popleft()
        return len(self._accepted) / max(min(_WINDOW, now - self._first), _MIN_SPAN)

    def accepted(self) -> None:
        now = self._clock()
        self._accepted.append(now)
        self.last_accepted = now
        if self.rate is not None:
            cubic = float(self._cubic.success_received(now))
            cap = max(self._min_rate, _MAX_SCALE * self._accepted_rate(now))
            self._set(max(self._min_rate, min(cubic, cap)), now)

    def refused(self, sent_at: float | None) -> None:
        now = self._clock()
        self.throttled += 1
        if sent_at is not None and sent_at < self._last_cut:
            return  # sent before the last cut: it says nothing about the new rate
        self._last_cut = now
        # The rate that was throttled: the pacer's own, or (not paced yet) the accepted one.
        base = self._accepted_rate(now) if self.rate is None else self.rate
        cut = float(self._cubic.error_received(max(self._min_rate, base), now))
        self._set(max(self._min_rate, cut), now)


def _always() -> bool:
    return True


class NotSent(Exception):
    """The run stopped (``keep_going`` of :meth:`Pacer.attached` turned false) before this
    attempt was sent: the service never saw it."""


class Pacer:
    """Client-side rate adaptation shared by the coroutines of one fleet run.

    Use::

        pacer = Pacer()
        with pacer.attached(client):
            details = await pacer.send(UPDATE, lambda: client.update_maintenance_window_task(...))
        pacer.throttled_retries
    """

    def __init__(
        self,
        *,
        pace: bool = True,
        min_rate: float = 0.5,
        give_up_after: float = 60.0,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        default_clock, default_sleep = _TIME.get()
        clock = default_clock if clock is None else clock
        self._pace = pace
        self._min_rate = min_rate
        self._give_up_after = give_up_after
        self._clock = clock
        self._sleep = default_sleep if sleep is None else sleep
        self._rates: dict[str, _Rate] = {}
        self._gave_up = 0
        self._started = clock()
        self._keep_going: Callable[[], bool] = _always
        self._limit = _LIMIT.get()

    def _rate(self, operation: str) -> _Rate:
        rate = self._rates.get(operation)
        if rate is None:
            rate = self._rates[operation] = _Rate(self._clock, self._min_rate)
        return rate

    def rate(self, operation: str) -> float | None:
        """The current send rate of ``operation`` (requests a second; ``None``: not paced)."""
        return self._rate(operation).rate

    def throttled(self, operation: str | None = None) -> int:
        """Throttled answers seen (for ``operation``, or in all)."""
        if operation is not None:
            return self._rate(operation).throttled
        return sum(r.throttled for r in self._rates.values())

    @property
    def throttled_retries(self) -> int:
        """Throttled answers that were followed by another attempt of the same call."""
        return self.throttled() - self._gave_up

    # -- the hooks -------------------------------------------------------------

    async def before_send(self, operation: str) -> None:
        """Wait for ``operation``'s next send slot (every attempt, botocore's retries too).

        Raises :class:`NotSent` when the run stops before the slot comes.
        """
        if not self._keep_going():
            raise NotSent(operation)
        if self._pace:
            rate = self._rate(operation)
            slot = rate.slot()
            # Its due time moves with the rate: look again when due, or after
            # _RECHECK seconds at most (the rate may have grown meanwhile, or the run stopped).
            while (wait := rate.wait(slot)) > 0:
                await self._sleep(min(wait, _RECHECK))
                if not self._keep_going():
                    raise NotSent(operation)
        held = _HELD.get()
        if self._limit is not None and held is not None and not held[0]:
            await self._limit.acquire()
            held[0] = True
        _SENT_AT.set(self._clock())

    def _release(self) -> None:
        """Give back the limit's place of this task's attempt, if it holds one."""
        held = _HELD.get()
        if self._limit is not None and held is not None and held[0]:
            held[0] = False
            self._limit.release()

    def answered(self, operation: str, code: str | None, sent_at: float | None = None) -> None:
        """Record an attempt's answer: ``code`` is its error code (``None``: no error).

        ``sent_at`` is when the attempt was sent (by the pacer's clock): a
        throttled answer to a request sent before the last decrease of the
        rate does not decrease it again.
        """
        if code is None:
            self._rate(operation).accepted()
        elif code in _THROTTLING_CODES:
            self._rate(operation).refused(sent_at)

    @contextlib.contextmanager
    def attached(
        self,
        client: MaintenanceWindowClient,
        operations: tuple[str, ...],
        *,
        keep_going: Callable[[], bool] = _always,
    ) -> Generator[None]:
        """Hook the pacing into ``client``'s botocore events for ``operations``, for the block.

        Once ``keep_going()`` is false, no attempt is sent: one waiting for its
        slot, or about to be retried after a throttled answer (without
        botocore's backoff), raises :class:`NotSent` instead.
        """
        self._keep_going = keep_going
        events: Any = client._open_client().meta.events  # pyright: ignore[reportPrivateUsage]
        hooks: list[tuple[str, Callable[..., Any], str]] = []
        for operation in operations:
            uid = f"ssm-mw-pacer-{next(_ids)}"

            async def before_send(*, _op: str = operation, **_: Any) -> None:
                await self.before_send(_op)

            def needs_retry(
                *, _op: str = operation, response: Any = None, attempts: int = 0, **_: Any
            ) -> float | None:
                self._release()
                if response is None:  # no answer (a connection error): not throttling
                    return None
                error = response[1].get("Error") if isinstance(response[1], dict) else None
                code = error.get("Code") if isinstance(error, dict) else None
                self.answered(_op, None if code is None else str(code), _SENT_AT.get())
                if code in _THROTTLING_CODES and not self._keep_going():
                    return 0.0  # retry at once, without backoff: before_send gives up
                if code in _THROTTLING_CODES and self._pace and attempts < _PACED_ATTEMPTS:
                    # The pacer spaces the retry at the rate it just lowered: botocore's
                    # backoff on top of it would only leave the retry idle.
                    return 0.0
                return None  # botocore's retry handler decides

            hooks.append((f"before-send.ssm.{operation}", before_send, uid + "-send"))
            hooks.append((f"needs-retry.ssm.{operation}", needs_retry, uid + "-answer"))
        for event, handler, uid in hooks:
            # First: its answer to needs-retry (a delay) wins over botocore's own.
            events.register_first(event, handler, unique_id=uid)
        try:
            yield
        finally:
            self._keep_going = _always
            for event, _handler, uid in hooks:
                events.unregister(event, unique_id=uid)

    # -- sending ---------------------------------------------------------------

    async def send(
        self,
        operation: str,
        call: Callable[[], Awaitable[T]],
        *,
        keep_going: Callable[[], bool] = lambda: True,
    ) -> T:
        """``await call()``; after a final :class:`ThrottlingError`, again, until accepted.

        Raises the :class:`ThrottlingError` when no request of ``operation``
        was accepted for ``give_up_after`` seconds, or when ``keep_going()``
        says to stop (a cancelled run sends nothing new).
        """
        token = _HELD.set([False])
        try:
            return await self._send(operation, call, keep_going)
        finally:
            self._release()  # an attempt cut short (cancelled) before its answer
            _HELD.reset(token)

    async def _send(
        self, operation: str, call: Callable[[], Awaitable[T]], keep_going: Callable[[], bool]
    ) -> T:
        for resend in itertools.count():
            try:
                return await call()
            except ThrottlingError:
                rate = self._rate(operation)
                quiet = self._clock() - max(rate.last_accepted, self._started)
                if quiet >= self._give_up_after or not keep_going():
                    self._gave_up += 1
                    raise
            if not self._pace:  # no pacing of ours: back off before sending again
                await self._sleep(min(5.0, 0.1 * 2 ** min(resend, 6)) * random.random())
        raise AssertionError("unreachable")  # pragma: no cover
