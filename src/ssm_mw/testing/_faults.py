"""Fault and latency injection, rate limits, account faults, and request counting (private).

:class:`FaultController` holds the state (faults, latency, the
:class:`TokenBucket` of each rate limit, the accounts denied to AssumeRole and
the Regions not enabled, the counters), guarded by a lock since the server
handles each request on its own thread. :class:`FaultInjectingApp` is the WSGI
middleware in front of moto's application that applies it: it works out each
request's :class:`Call` (service, operation, account, Region) and sends the
request to that account in moto.
"""

from __future__ import annotations

import io
import json
import math
import random
import re
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Literal, Protocol
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = [
    "ANY",
    "ANY_OPERATION",
    "INVALID_TOKEN_MESSAGE",
    "THROTTLED",
    "Call",
    "Fault",
    "FaultController",
    "FaultInjectingApp",
    "Identities",
    "TokenBucket",
    "role_account",
    "throttled_fault",
]

#: The key under which faults and latency for every operation are kept.
ANY_OPERATION = "*"
#: Any account, any Region (or any operation) in the scope of a rate limit.
ANY = "*"
#: What a request gets in a Region that its account has not enabled.
INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid."

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


def _answer(code: str, message: str, status: int) -> Fault:
    return Fault(code, message, status, remaining=None, probability=None, after_commit=False)


#: What an SSM request refused by a rate limit gets: the service's own answer to a burst.
THROTTLED = _answer("ThrottlingException", "Rate exceeded", 400)
#: The other services' answers to a burst (STS, a query service, says ``Throttling``).
_SERVICE_THROTTLED = {
    "sts": _answer("Throttling", "Rate exceeded", 400),
    "organizations": _answer(
        "TooManyRequestsException",
        "You have sent too many requests in too short a period of time. Try again later.",
        400,
    ),
}


def throttled_fault(service: str) -> Fault:
    """What a request to ``service`` (a signing name, ``"ssm"``) refused by a rate limit gets."""
    return _SERVICE_THROTTLED.get(service, THROTTLED)


@dataclass(frozen=True)
class Call:
    """One API request, as the middleware works it out.

    ``operation`` is the key of counters, faults and limits: an SSM operation's
    name (``"GetMaintenanceWindowTask"``), another service's as
    ``"service:Operation"`` (``"sts:AssumeRole"``). ``protocol`` is how the
    service words its errors: ``json`` (SSM, Organizations) or ``query`` (STS).
    """

    service: str
    operation: str
    account_id: str
    region: str
    protocol: Literal["json", "query"]


class Identities(Protocol):
    """The accounts of one server's credentials (see ``_accounts.AccountDirectory``)."""

    def account_of(self, access_key: str | None) -> str:
        """The account that ``access_key`` belongs to on this server."""
        ...

    def caller_arn(self, access_key: str | None, account_id: str, region: str) -> str:
        """The ARN that GetCallerIdentity answers for ``access_key``."""
        ...

    def issued(self, access_key: str) -> None:
        """Note a key that AssumeRole returned through this server."""
        ...


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


#: A rate limit's scope: (account, Region, operation), each maybe :data:`ANY`.
Scope = tuple[str, str, str]


class FaultController:
    """Thread-safe fault, latency and request-count state of one server."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._faults: dict[str, Fault] = {}
        self._latency: dict[str, float] = {}
        # (account, Region, operation) -> requests; the total counts non-API requests too.
        self._counts: Counter[Scope] = Counter()
        self._total = 0
        self._buckets: dict[Scope, TokenBucket] = {}
        self._throttled: Counter[Scope] = Counter()
        # Accounts whose roles AssumeRole refuses; (account, Region) pairs not enabled.
        self._denied: set[str] = set()
        self._disabled: set[tuple[str, str]] = set()
        # Requests received and not yet answered: not cleared by reset (they still run).
        self._in_flight: Counter[str] = Counter()

    def reset(self, seed: int | None) -> None:
        """Clear faults, latency, limits, account faults and counters; reseed the random source."""
        with self._lock:
            self._rng.seed(seed)
            self._faults.clear()
            self._latency.clear()
            self._counts.clear()
            self._total = 0
            self._buckets.clear()
            self._throttled.clear()
            self._denied.clear()
            self._disabled.clear()

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

    def set_throttle(self, scope: Scope, bucket: TokenBucket | None) -> None:
        """Set (or, with ``None``, remove) the rate limit of one (account, Region, operation)."""
        with self._lock:
            if bucket is None:
                self._buckets.pop(scope, None)
            else:
                self._buckets[scope] = bucket

    def deny_assume_role(self, account_id: str, denied: bool) -> None:
        """Make AssumeRole into ``account_id``'s roles fail (or, ``denied=False``, pass)."""
        with self._lock:
            if denied:
                self._denied.add(account_id)
            else:
                self._denied.discard(account_id)

    def disable_region(self, account_id: str, region: str, disabled: bool) -> None:
        """Make every request of ``account_id`` in ``region`` fail (``disabled=False``: pass)."""
        with self._lock:
            if disabled:
                self._disabled.add((account_id, region))
            else:
                self._disabled.discard((account_id, region))

    def throttled_count(
        self, operation: str | None, account_id: str | None = None, region: str | None = None
    ) -> int:
        """Requests refused by a rate limit, for one operation (or all: ``None``), account
        and Region (``None``: any)."""
        with self._lock:
            return _matching(self._throttled, operation, account_id, region)

    def request_count(
        self, operation: str | None, account_id: str | None = None, region: str | None = None
    ) -> int:
        """API requests seen for one operation, account and Region (``None``: any); with all
        three ``None``, every request (API or not)."""
        with self._lock:
            if operation is None and account_id is None and region is None:
                return self._total
            return _matching(self._counts, operation, account_id, region)

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

    def decide(
        self,
        call: Call | None,
        *,
        role_arn: str | None = None,
        caller_arn: Callable[[], str] | None = None,
    ) -> _Decision:
        """Count a request and decide its latency and fault (consuming the fault).

        An API request (``call`` not ``None``) is in flight until :meth:`answered`.
        The answer, the first that applies: a rate limit's refusal; the Region
        not enabled for the account; for an AssumeRole into ``role_arn`` in a
        denied account, ``AccessDenied`` naming ``caller_arn()``; an injected fault.
        """
        with self._lock:
            self._total += 1
            if call is None:  # not an API request: no faults, no latency
                return _Decision(0.0, None)
            operation = call.operation
            key = (call.account_id, call.region, operation)
            self._counts[key] += 1
            self._in_flight[operation] += 1
            latency = self._latency.get(operation, self._latency.get(ANY_OPERATION, 0.0))
            if self._refused(key):
                self._throttled[key] += 1
                return _Decision(latency, throttled_fault(call.service))
            if (call.account_id, call.region) in self._disabled:
                return _Decision(latency, _invalid_token(call.protocol))
            if role_arn is not None and role_account(role_arn) in self._denied:
                caller = caller_arn() if caller_arn is not None else "unknown"
                message = (
                    f"User: {caller} is not authorized to perform: sts:AssumeRole "
                    f"on resource: {role_arn}"
                )
                return _Decision(latency, _answer("AccessDenied", message, 403))
            return _Decision(latency, self._pick_fault(operation))

    def _refused(self, key: Scope) -> bool:
        """Whether a rate limit refuses the request; if not, take a token from each limit."""
        account, region, operation = key
        buckets = [
            bucket
            for scope in _scopes(account, region, operation)
            if (bucket := self._buckets.get(scope)) is not None
        ]
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


_ROLE_ARN = re.compile(r"^arn:[\w-]+:iam::(\d{12}):")


def role_account(role_arn: str) -> str | None:
    """The account of a role ARN (``arn:aws:iam::222222222222:role/X``), or ``None``."""
    match = _ROLE_ARN.match(role_arn)
    return match.group(1) if match else None


def _scopes(account: str, region: str, operation: str) -> list[Scope]:
    """Every rate-limit scope a request of ``account``, ``region`` and ``operation`` is in."""
    return [(a, r, o) for a in (account, ANY) for r in (region, ANY) for o in (operation, ANY)]


def _matching(
    counts: Counter[Scope], operation: str | None, account_id: str | None, region: str | None
) -> int:
    """The sum of ``counts`` whose keys match (``None`` matches anything)."""
    return sum(
        n
        for (account, where, name), n in counts.items()
        if (operation is None or name == operation)
        and (account_id is None or account == account_id)
        and (region is None or where == region)
    )


def _invalid_token(protocol: str) -> Fault:
    """The answer to a request in a Region its account has not enabled: JSON services say
    ``UnrecognizedClientException`` (HTTP 400), query services (STS) ``InvalidClientTokenId``
    (HTTP 403), with the same message."""
    if protocol == "query":
        return _answer("InvalidClientTokenId", INVALID_TOKEN_MESSAGE, 403)
    return _answer("UnrecognizedClientException", INVALID_TOKEN_MESSAGE, 400)


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
    """WSGI middleware: counts requests (and those in flight), sleeps, and answers injected
    faults, refused AssumeRoles, Regions not enabled and rate limits' refusals.

    It sends every request to the account of its credentials (the
    ``x-moto-account-id`` header, and ``x-ssm-mw-account-id``, which
    :func:`~ssm_mw.testing.install` lets win over ``MOTO_ACCOUNT_ID``):
    ``identities`` maps an access key to its account, and learns the keys that
    AssumeRole returns through this app. That keeps servers in one process apart.
    """

    def __init__(
        self,
        app: WSGIApplication,
        controller: FaultController,
        identities: Identities,
        region: str,
    ) -> None:
        self._app = app
        self._controller = controller
        self._identities = identities
        self._region = region

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        scope = _signing_scope(environ)
        access_key = scope[0] if scope else None
        account_id = self._identities.account_of(access_key)
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = account_id
        environ["HTTP_X_SSM_MW_ACCOUNT_ID"] = account_id  # wins over MOTO_ACCOUNT_ID (install)
        call = self._call(environ, scope, account_id)
        role_arn: str | None = None
        if call is not None and call.operation == _ASSUME_ROLE:
            role_arn = _form_value(environ, "RoleArn")
        region = call.region if call is not None else self._region
        decision = self._controller.decide(
            call,
            role_arn=role_arn,
            caller_arn=lambda: self._identities.caller_arn(access_key, account_id, region),
        )
        if call is None:
            return self._app(environ, start_response)
        try:
            if decision.latency > 0:
                time.sleep(decision.latency)
            fault = decision.fault
            if fault is None:  # the operation runs
                if call.operation == _ASSUME_ROLE:
                    return self._assume_role(environ, start_response)
                return self._app(environ, start_response)
            if fault.after_commit:
                self._run_and_discard(environ)
            else:
                _drain(environ)
            return _error_response(start_response, fault, call)
        finally:
            self._controller.answered(call.operation)

    def _call(
        self, environ: WSGIEnvironment, scope: tuple[str, str, str] | None, account_id: str
    ) -> Call | None:
        """The API request of ``environ``; ``None`` for anything else (``/moto-api/``)."""
        region = scope[1] if scope else self._region
        target = environ.get("HTTP_X_AMZ_TARGET")
        if target:
            prefix, _, name = str(target).rpartition(".")
            service = scope[2] if scope else _target_service(prefix)
            protocol: Literal["json", "query"] = "json"
        else:
            action = _form_value(environ, "Action") if scope else None
            if not action or scope is None:
                return None
            service, name, protocol = scope[2], action, "query"
        operation = name if service == "ssm" else f"{service}:{name}"
        return Call(service, operation, account_id, region, protocol)

    def _assume_role(self, environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        """Run AssumeRole and note the access key it returns as one of this server's."""
        status: list[str] = []

        def keep_status(
            line: str, headers: list[tuple[str, str]], exc_info: object = None
        ) -> Callable[[bytes], object]:
            status[:] = [line]
            return start_response(line, headers, exc_info)  # type: ignore[arg-type]

        result = self._app(environ, keep_status)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if callable(close):
                close()
        if status and status[0].startswith("200"):
            match = _ACCESS_KEY_ID.search(body)
            if match:
                self._identities.issued(match.group(1).decode())
        return [body]

    def _run_and_discard(self, environ: WSGIEnvironment) -> None:
        result = self._app(environ, _discarding_start_response)
        try:
            for _chunk in result:
                pass
        finally:
            close = getattr(result, "close", None)
            if callable(close):
                close()


_ASSUME_ROLE = "sts:AssumeRole"
_ACCESS_KEY_ID = re.compile(rb"<AccessKeyId>\s*([A-Z0-9]+)\s*</AccessKeyId>")
# "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ssm/aws4_request, ..."
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")
#: X-Amz-Target prefixes -> signing names, for a request that is not signed.
_TARGET_SERVICES = {"AmazonSSM": "ssm", "AWSOrganizationsV20161128": "organizations"}
#: The XML namespace of each query service's errors.
_QUERY_NAMESPACES = {"sts": "https://sts.amazonaws.com/doc/2011-06-15/"}


def _signing_scope(environ: WSGIEnvironment) -> tuple[str, str, str] | None:
    """(access key, Region, service) of a SigV4-signed request, else ``None``."""
    auth = environ.get("HTTP_AUTHORIZATION")
    if auth:
        match = _CREDENTIAL.search(str(auth))
        if match:
            return match.group(1), match.group(2), match.group(3).lower()
    query = urllib.parse.parse_qs(str(environ.get("QUERY_STRING", "")))
    credential = query.get("X-Amz-Credential")
    if credential:  # a presigned URL: AKID/20240101/us-east-1/sts/aws4_request
        parts = credential[0].split("/")
        if len(parts) == 5:
            return parts[0], parts[2], parts[3].lower()
    return None


def _target_service(prefix: str) -> str:
    return _TARGET_SERVICES.get(prefix, prefix.lower())


def _form_value(environ: WSGIEnvironment, name: str) -> str | None:
    """A parameter of a query-protocol request (form body, else query string); the body
    stays readable for the application."""
    content_type = str(environ.get("CONTENT_TYPE", ""))
    values: dict[str, list[str]] = {}
    if content_type.startswith("application/x-www-form-urlencoded"):
        body = _body(environ)
        values = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    if name not in values:
        values = urllib.parse.parse_qs(str(environ.get("QUERY_STRING", "")))
    found = values.get(name)
    return found[0] if found else None


def _body(environ: WSGIEnvironment) -> bytes:
    """The request body, read once and put back as a fresh stream."""
    cached = environ.get("ssm_mw.body")
    if isinstance(cached, bytes):
        return cached
    stream = environ.get("wsgi.input")
    body = b""
    if stream is not None:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if environ.get("wsgi.input_terminated"):
            body = stream.read()
        elif length > 0:
            body = stream.read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["ssm_mw.body"] = body
    return body


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


def _error_response(start_response: StartResponse, fault: Fault, call: Call) -> list[bytes]:
    """The service's error answer: an AWS JSON body, or for a query service an XML one."""
    request_id = str(uuid.uuid4())
    if call.protocol == "query":
        namespace = _QUERY_NAMESPACES.get(call.service)
        opening = f'<ErrorResponse xmlns="{namespace}">' if namespace else "<ErrorResponse>"
        text = (
            f"{opening}<Error><Type>Sender</Type><Code>{escape(fault.code)}</Code>"
            f"<Message>{escape(fault.message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        body = text.encode()
        content_type = "text/xml"
    else:
        body = json.dumps({"__type": fault.code, "message": fault.message}).encode()
        content_type = "application/x-amz-json-1.1"
    try:
        reason = HTTPStatus(fault.status).phrase
    except ValueError:
        reason = "Error"
    start_response(
        f"{fault.status} {reason}",
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("x-amzn-ErrorType", fault.code),
            ("x-amzn-RequestId", request_id),
        ],
    )
    return [body]
