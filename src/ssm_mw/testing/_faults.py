"""Fault and latency injection, rate limits, and request counting (private).

:class:`FaultController` holds the state (faults, latency, the
:class:`TokenBucket` of each rate limit, the counters), guarded by a lock since the server
handles each request on its own thread. :class:`FaultInjectingApp` is the WSGI
middleware in front of moto's application that applies it.
"""

from __future__ import annotations

import json
import math
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = [
    "ANY_OPERATION",
    "THROTTLED",
    "Fault",
    "FaultController",
    "FaultInjectingApp",
    "TokenBucket",
]

#: The key under which faults and latency for every operation are kept.
ANY_OPERATION = "*"

Clock = Callable[[], float]


@dataclass
class Fault:
    """One injected fault: what to answer, and how often."""

    code: str
    message: str
    status: int
    remaining: int | None
    probability: float | None
    after_commit: bool


#: What a request refused by a rate limit gets: the service's own answer to a burst.
THROTTLED = Fault(
    code="ThrottlingException",
    message="Rate exceeded",
    status=400,
    remaining=None,
    probability=None,
    after_commit=False,
)


class TokenBucket:
    """A token bucket: ``rate`` tokens a second, at most ``burst`` kept; one per request.

    It starts full. ``clock`` gives seconds (``time.monotonic`` by default; a
    test may pass a clock it moves itself). Not thread-safe on its own: the
    :class:`FaultController` lock guards it.
    """

    def __init__(self, rate: float, burst: float, clock: Clock = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = burst
        self._last = clock()

    def _refill(self) -> None:
        now = self._clock()
        if now > self._last:
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = max(self._last, now)

    def has_token(self) -> bool:
        """Whether a request may pass now (refilling first); consumes nothing."""
        self._refill()
        return self._tokens >= 1

    def take(self) -> None:
        """Consume one token (after :meth:`has_token` said yes)."""
        self._tokens -= 1


@dataclass(frozen=True)
class _Decision:
    latency: float
    fault: Fault | None


class FaultController:
    """Thread-safe fault, latency and request-count state of one server."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._faults: dict[str, Fault] = {}
        self._latency: dict[str, float] = {}
        self._counts: Counter[str] = Counter()
        self._total = 0
        self._buckets: dict[str, TokenBucket] = {}
        self._throttled: Counter[str] = Counter()
        # Requests received and not yet answered: not cleared by reset (they still run).
        self._in_flight: Counter[str] = Counter()

    def reset(self, seed: int | None) -> None:
        """Clear faults, latency and counters, and reseed the random source."""
        with self._lock:
            self._rng.seed(seed)
            self._faults.clear()
            self._latency.clear()
            self._counts.clear()
            self._total = 0
            self._buckets.clear()
            self._throttled.clear()

    def reseed(self, seed: int | None) -> None:
        """Reseed the random source that probabilistic faults draw from."""
        with self._lock:
            self._rng.seed(seed)

    def set_fault(self, operation: str, fault: Fault | None) -> None:
        """Set (or, with ``None``, clear) the fault of one operation or of ``"*"``."""
        with self._lock:
            if fault is None:
                self._faults.pop(operation, None)
            else:
                self._faults[operation] = fault

    def clear_faults(self) -> None:
        """Clear every fault."""
        with self._lock:
            self._faults.clear()

    def set_latency(self, operation: str, seconds: float) -> None:
        """Set (or, with 0, clear) the latency of one operation or of ``"*"``."""
        with self._lock:
            if seconds == 0:
                self._latency.pop(operation, None)
            else:
                self._latency[operation] = seconds

    def set_throttle(self, operation: str, bucket: TokenBucket | None) -> None:
        """Set (or, with ``None``, remove) the rate limit of one operation or of ``"*"``."""
        with self._lock:
            if bucket is None:
                self._buckets.pop(operation, None)
            else:
                self._buckets[operation] = bucket

    def throttled_count(self, operation: str | None) -> int:
        """Requests refused by a rate limit, for one operation or in all (``None``)."""
        with self._lock:
            if operation is None:
                return sum(self._throttled.values())
            return self._throttled[operation]

    def request_count(self, operation: str | None) -> int:
        """Requests seen for one operation, or in all (``None``)."""
        with self._lock:
            return self._total if operation is None else self._counts[operation]

    def in_flight(self, operation: str | None) -> int:
        """Requests received and not yet answered, for one operation or in all (``None``)."""
        with self._lock:
            if operation is None:
                return sum(self._in_flight.values())
            return self._in_flight[operation]

    def answered(self, operation: str) -> None:
        """A request counted by :meth:`decide` is answered (its operation has run, or not)."""
        with self._lock:
            self._in_flight[operation] -= 1

    def decide(self, operation: str | None) -> _Decision:
        """Count a request and decide its latency and fault (consuming the fault).

        An API request (``operation`` not ``None``) is in flight until :meth:`answered`.
        """
        with self._lock:
            self._total += 1
            if operation is None:  # not an API request: no faults, no latency
                return _Decision(0.0, None)
            self._counts[operation] += 1
            self._in_flight[operation] += 1
            latency = self._latency.get(operation, self._latency.get(ANY_OPERATION, 0.0))
            if self._refused(operation):
                self._throttled[operation] += 1
                return _Decision(latency, THROTTLED)
            return _Decision(latency, self._pick_fault(operation))

    def _refused(self, operation: str) -> bool:
        """Whether a rate limit refuses the request; if not, take a token from each limit."""
        buckets = [b for k in (operation, ANY_OPERATION) if (b := self._buckets.get(k))]
        if not all(b.has_token() for b in buckets):
            return True
        for bucket in buckets:
            bucket.take()
        return False

    def _pick_fault(self, operation: str) -> Fault | None:
        for key in (operation, ANY_OPERATION):
            fault = self._faults.get(key)
            if fault is None:
                continue
            if fault.probability is not None and self._rng.random() >= fault.probability:
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    del self._faults[key]
            return fault
        return None


def validate_fault_args(status: object, times: object, probability: object) -> None:
    """Raise ``ValueError`` for an HTTP status, count or probability out of range.

    The parameters are ``object``: callers may not be type-checked.
    """
    if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
        raise ValueError(f"status must be an HTTP error status in 400..599, not {status!r}")
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 0):
        raise ValueError(f"times must be None or an integer >= 0, not {times!r}")
    if probability is not None and (
        isinstance(probability, bool)
        or not isinstance(probability, (int, float))
        or math.isnan(probability)
        or not 0 <= probability <= 1
    ):
        raise ValueError(f"probability must be between 0 and 1, not {probability!r}")


class FaultInjectingApp:
    """WSGI middleware: counts requests (and those in flight), sleeps, and answers injected faults.

    It also sends every request to the server's own moto account (the
    ``x-moto-account-id`` header), which keeps servers in one process apart.
    """

    def __init__(self, app: WSGIApplication, controller: FaultController, account_id: str) -> None:
        self._app = app
        self._controller = controller
        self._account_id = account_id

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = self._account_id
        target = environ.get("HTTP_X_AMZ_TARGET")
        operation = str(target).rpartition(".")[2] if target else None
        decision = self._controller.decide(operation)
        if operation is None:
            return self._app(environ, start_response)
        try:
            if decision.latency > 0:
                time.sleep(decision.latency)
            fault = decision.fault
            if fault is None:
                return self._app(environ, start_response)  # the operation has run
            if fault.after_commit:
                self._run_and_discard(environ)
            else:
                _drain(environ)
            return _error_response(start_response, fault)
        finally:
            self._controller.answered(operation)

    def _run_and_discard(self, environ: WSGIEnvironment) -> None:
        result = self._app(environ, _discarding_start_response)
        try:
            for _chunk in result:
                pass
        finally:
            close = getattr(result, "close", None)
            if callable(close):
                close()


def _discard(_data: bytes) -> None:
    return None


def _discarding_start_response(
    _status: str, _headers: list[tuple[str, str]], _exc_info: object = None, /
) -> Callable[[bytes], object]:
    return _discard


def _drain(environ: WSGIEnvironment) -> None:
    """Read the unread request body, so the client never sees a reset connection."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return
    if environ.get("wsgi.input_terminated"):
        stream.read()
        return
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if length > 0:
        stream.read(length)


def _error_response(start_response: StartResponse, fault: Fault) -> list[bytes]:
    body = json.dumps({"__type": fault.code, "message": fault.message}).encode()
    try:
        reason = HTTPStatus(fault.status).phrase
    except ValueError:
        reason = "Error"
    start_response(
        f"{fault.status} {reason}",
        [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("Content-Length", str(len(body))),
            ("x-amzn-ErrorType", fault.code),
            ("x-amzn-RequestId", str(uuid.uuid4())),
        ],
    )
    return [body]
