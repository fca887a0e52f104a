"""``EmbeddedSSMServer``: moto's SSM backend, with the extension installed, over keep-alive HTTP."""

from __future__ import annotations

import functools
import math
import os
import secrets
import threading
import time
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from ._backend import (
    DEFAULT_MAX_TASKS_PER_WINDOW,
    LOCK,
    delay_new_windows,
    forget_account,
    install,
    set_max_tasks_per_window,
    window_created,
)
from ._faults import (
    ANY_OPERATION,
    Clock,
    Fault,
    FaultController,
    FaultInjectingApp,
    TokenBucket,
    validate_fault_args,
)
from ._model import operation_names

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from aiobotocore.session import AioSession

    from ._moto_server import WrappedMotoServer

__all__ = ["EmbeddedSSMServer"]


class EmbeddedSSMServer:
    """An in-process SSM endpoint: moto's server application plus ssm-mw's extension.

    Use it as a context manager (or call :meth:`start` and :meth:`stop`)::

        with EmbeddedSSMServer() as server:
            window_id = server.create_maintenance_window(name="nightly")
            session = server.aio_session()
            async with session.create_client("ssm", **server.client_kwargs()) as ssm:
                ...

    Each server keeps its state in its own moto account (a random one, unless
    ``account_id`` or ``MOTO_ACCOUNT_ID`` names one), so servers in one process
    do not see each other's windows. Fault, latency and counter state is shared
    with the server thread and guarded by a lock.
    """

    def __init__(
        self,
        *,
        region_name: str = "us-east-1",
        host: str = "127.0.0.1",
        port: int = 0,
        max_tasks_per_window: int = DEFAULT_MAX_TASKS_PER_WINDOW,
        seed: int | None = None,
        account_id: str | None = None,
        log_requests: bool = False,
    ) -> None:
        _check_limit(max_tasks_per_window)
        self._region_name = region_name
        self._host = host
        self._port = port
        self._default_max_tasks = max_tasks_per_window
        self._max_tasks = max_tasks_per_window
        self._seed = seed
        self._account_id = (
            account_id or os.environ.get("MOTO_ACCOUNT_ID") or f"{secrets.randbelow(10**12):012d}"
        )
        self._log_requests = log_requests
        self._faults = FaultController(seed)
        self._lock = threading.Lock()
        self._moto: WrappedMotoServer | None = None
        self._bound_port: int | None = None

    # --- lifecycle ------------------------------------------------------

    def start(self) -> EmbeddedSSMServer:
        """Install the extension and start serving; a no-op if already running."""
        with self._lock:
            if self._moto is not None:
                return self
            install()
            from ._moto_server import WrappedMotoServer

            set_max_tasks_per_window(self._account_id, self._max_tasks)
            server = WrappedMotoServer(
                self._host, self._port, self._wrap, log_requests=self._log_requests
            )
            try:
                server.start()
            except BaseException:
                forget_account(self._account_id)
                raise
            self._bound_port = server.get_host_and_port()[1]
            self._moto = server
        return self

    def stop(self) -> None:
        """Stop serving. Stopping a stopped server is harmless."""
        with self._lock:
            server, self._moto = self._moto, None
            if server is not None:
                server.stop()
                forget_account(self._account_id)

    def __enter__(self) -> EmbeddedSSMServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.endpoint_url if self.running else "stopped"
        return f"<EmbeddedSSMServer {where} region={self._region_name}>"

    def _wrap(self, app: WSGIApplication) -> WSGIApplication:
        return FaultInjectingApp(app, self._faults, self._account_id)

    # --- where it is ----------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the server is serving."""
        return self._moto is not None

    @property
    def region_name(self) -> str:
        """The Region that clients should use."""
        return self._region_name

    @property
    def account_id(self) -> str:
        """The moto account that holds this server's state."""
        return self._account_id

    @property
    def port(self) -> int:
        """The port the server listens on (raises ``RuntimeError`` before :meth:`start`)."""
        if self._moto is None or self._bound_port is None:
            raise RuntimeError("the EmbeddedSSMServer is not running; call start() first")
        return self._bound_port

    @property
    def endpoint_url(self) -> str:
        """``http://host:port`` (raises ``RuntimeError`` before :meth:`start`)."""
        host = self._host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def client_kwargs(self) -> dict[str, str]:
        """``region_name`` and ``endpoint_url``, for ``session.create_client("ssm", **...)``."""
        return {"region_name": self._region_name, "endpoint_url": self.endpoint_url}

    def aio_session(self) -> AioSession:
        """A new aiobotocore session with dummy static credentials and this Region.

        Sessions from here share one botocore data loader, so creating a client
        does not parse the service model again.
        """
        from aiobotocore.session import AioSession

        session = AioSession()
        session.register_component("data_loader", _shared_loader())
        session.set_credentials("testing", "testing")
        session.set_config_variable("region", self._region_name)
        return session

    # --- state ----------------------------------------------------------

    def create_maintenance_window(
        self,
        name: str = "test-window",
        *,
        description: str | None = None,
        schedule: str = "cron(0 2 ? * SUN *)",
        duration: int = 2,
        cutoff: int = 1,
        allow_unassociated_targets: bool = True,
        schedule_timezone: str | None = None,
        schedule_offset: int | None = None,
        start_date: str | None = None,
        end_date: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> str:
        """Create a maintenance window directly in moto's backend; return its ``mw-…`` id.

        No request is sent, so :meth:`request_count` does not change. moto does
        not keep ``allow_unassociated_targets``; it is accepted for symmetry.
        """
        del allow_unassociated_targets  # moto does not store it
        with LOCK:
            backend = self._backend()
            window_id = backend.create_maintenance_window(
                name=name,
                description=description,
                duration=duration,
                cutoff=cutoff,
                schedule=schedule,
                schedule_timezone=schedule_timezone,
                schedule_offset=schedule_offset,
                start_date=start_date,
                end_date=end_date,
                tags=[{"Key": k, "Value": v} for k, v in (tags or {}).items()] or None,
            )
            window_created(self._account_id, str(window_id))
        return str(window_id)

    def _backend(self) -> Any:
        from moto.ssm.models import ssm_backends

        return ssm_backends[self._account_id][self._region_name]

    def reset(self) -> None:
        """Clear windows, tasks, client tokens, counters, faults, latency and rate limits.

        Restores the constructor's ``max_tasks_per_window`` and ``seed``.
        """
        from moto.ssm.models import ssm_backends

        with LOCK:
            ssm_backends[self._account_id].reset()
            self._max_tasks = self._default_max_tasks
            delay_new_windows(self._account_id, None, time.monotonic)
            if self._moto is not None:
                set_max_tasks_per_window(self._account_id, self._max_tasks)
        self._faults.reset(self._seed)

    @property
    def max_tasks_per_window(self) -> int:
        """How many tasks one window may hold; past it, registration fails with
        ``ResourceLimitExceededException``. Settable; AWS's quota is 20."""
        return self._max_tasks

    @max_tasks_per_window.setter
    def max_tasks_per_window(self, limit: int) -> None:
        _check_limit(limit)
        with LOCK:
            self._max_tasks = limit
            if self._moto is not None:
                set_max_tasks_per_window(self._account_id, limit)

    def request_count(self, operation: str | None = None) -> int:
        """Requests the server has seen for ``operation`` (e.g. ``"GetMaintenanceWindowTask"``,
        from the ``X-Amz-Target`` header), or in all (``None`` or ``"*"``).

        Faulted and throttled requests count too; windows made by :meth:`create_maintenance_window`
        do not, since they are not requests.
        """
        if operation in (None, ANY_OPERATION):
            return self._faults.request_count(None)
        return self._faults.request_count(_check_operation(operation))

    def in_flight(self, operation: str | None = None) -> int:
        """Requests received for ``operation`` (or in all: ``None``, ``"*"``), not yet answered.

        A request is in flight while its injected latency runs and its
        operation takes effect; one whose client timed out or was cancelled
        stays in flight until then. A test waits for 0 (after
        :meth:`request_count` reached the requests it expects) to know that
        they all took effect.
        """
        if operation in (None, ANY_OPERATION):
            return self._faults.in_flight(None)
        return self._faults.in_flight(_check_operation(operation))

    def throttled_count(self, operation: str | None = None) -> int:
        """Requests refused by a rate limit (see :meth:`throttle`) for ``operation``,
        or in all (``None`` or ``"*"``). They are part of :meth:`request_count` too."""
        if operation in (None, ANY_OPERATION):
            return self._faults.throttled_count(None)
        return self._faults.throttled_count(_check_operation(operation))

    # --- faults, rate limits and latency --------------------------------

    def throttle(
        self,
        rate: float | None,
        *,
        burst: float | None = None,
        operation: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        """Rate-limit requests to ``rate`` a second, as the service does; ``None`` removes it.

        A token bucket: it holds up to ``burst`` tokens (default: one second's
        worth, ``max(rate, 1)``), starts full, gains ``rate`` tokens a second,
        and each request takes one. A request that finds no token is refused
        the way AWS refuses a burst: HTTP 400, ``ThrottlingException``,
        ``Rate exceeded``; it does not reach the backend. ``operation`` is an
        SSM operation name (a limit of its own), or ``None``/``"*"`` for one
        limit shared by all operations; a request must pass both when both
        are set. Setting a limit replaces the operation's previous one, with a
        full bucket. Refused requests count in :meth:`request_count` and in
        :meth:`throttled_count`; a refusal wins over an injected fault.
        ``clock`` (seconds, ``time.monotonic`` by default) lets a test move
        time itself.
        """
        key = ANY_OPERATION if operation in (None, ANY_OPERATION) else _check_operation(operation)
        if rate is None:
            self._faults.set_throttle(key, None)
            return
        checked = _check_rate("rate", rate)
        depth = max(checked, 1.0) if burst is None else _check_rate("burst", burst)
        if depth < 1:
            raise ValueError(f"burst must be at least 1 (one request), not {burst!r}")
        if clock is not None and not callable(clock):
            raise ValueError(f"clock must be a function that returns seconds, not {clock!r}")
        bucket = TokenBucket(checked, depth, time.monotonic if clock is None else clock)
        self._faults.set_throttle(key, bucket)

    def delay_new_windows(self, seconds: float | None, *, clock: Clock | None = None) -> None:
        """Eventual consistency: windows created from now on are unknown at first.

        For ``seconds`` after a window is created, the task operations
        (register, describe tasks, get, update, deregister) answer
        ``DoesNotExistException`` "Maintenance window mw-... does not exist", as a
        real register right after ``CreateMaintenanceWindow`` did
        (aws-samples/aws-security-reference-architecture-examples#288). A window
        made with :meth:`create_maintenance_window` counts from its creation; one
        made through the API from the first request that names it. Windows that
        exist when this is called stay visible. ``None`` or ``0`` removes the
        delay, and so does :meth:`reset`. ``clock`` (seconds, ``time.monotonic``
        by default) lets a test move time itself.
        """
        delay = 0.0 if seconds is None else _check_seconds(seconds)
        if clock is not None and not callable(clock):
            raise ValueError(f"clock must be a function that returns seconds, not {clock!r}")
        with LOCK:
            existing = list(self._backend().windows) if delay else []
            delay_new_windows(self._account_id, delay, clock or time.monotonic, existing)

    # --- faults and latency ---------------------------------------------

    def inject_fault(
        self,
        operation: str | None,
        code: str,
        *,
        status: int = 400,
        times: int | Literal["default"] | None = "default",
        probability: float | None = None,
        after_commit: bool = False,
        message: str | None = None,
    ) -> None:
        """Make matching requests fail with error ``code`` and HTTP ``status``.

        ``operation`` is an SSM operation name, or ``None``/``"*"`` for any.
        ``times`` is how many requests fail (``None``: no limit; ``0`` clears
        the fault of that operation); ``"default"`` (the default) is 1, or no
        limit when ``probability`` is given. With ``probability``, each matching request
        fails with that chance (see :meth:`reseed`). With ``after_commit``, the
        operation takes effect and then the error is returned instead of its
        response. Setting a fault replaces the operation's previous one.
        """
        key = ANY_OPERATION if operation in (None, ANY_OPERATION) else _check_operation(operation)
        if times == "default":
            times = None if probability is not None else 1
        validate_fault_args(status, times, probability)
        _check_code(code)
        if times == 0:
            self._faults.set_fault(key, None)
            return
        fault = Fault(
            code=code,
            message=message or f"Injected fault: {code}",
            status=status,
            remaining=times,
            probability=None if probability is None else float(probability),
            after_commit=after_commit,
        )
        self._faults.set_fault(key, fault)

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        self._faults.clear_faults()

    def reseed(self, seed: int | None) -> None:
        """Reseed the random source of probabilistic faults."""
        self._faults.reseed(seed)

    def inject_latency(self, seconds: float, *, operation: str | None = None) -> None:
        """Make each matching request sleep ``seconds`` in the server before it is handled.

        ``operation`` as in :meth:`inject_fault`; a per-operation latency wins
        over the one for any operation. ``0`` clears.
        """
        key = ANY_OPERATION if operation in (None, ANY_OPERATION) else _check_operation(operation)
        self._faults.set_latency(key, _check_seconds(seconds))


@functools.cache
def _shared_loader() -> Any:
    from botocore.loaders import create_loader

    return create_loader()


def _check_operation(operation: object) -> str:
    if not isinstance(operation, str) or operation not in operation_names():
        raise ValueError(
            f"unknown SSM operation {operation!r}; use an operation name such as "
            "'RegisterTaskWithMaintenanceWindow', or None/'*' for any operation"
        )
    return operation


def _check_code(code: object) -> None:
    if not isinstance(code, str) or not code:
        raise ValueError(
            f"code must be a non-empty error code such as 'ThrottlingException', not {code!r}"
        )


def _check_seconds(seconds: object) -> float:
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, (int, float))
        or not math.isfinite(seconds)
        or seconds < 0
    ):
        raise ValueError(f"seconds must be a finite number >= 0, not {seconds!r}")
    return float(seconds)


def _check_rate(name: str, value: object) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a finite number > 0 (requests a second), not {value!r}")
    return float(value)


def _check_limit(limit: object) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(f"max_tasks_per_window must be an integer >= 0, not {limit!r}")
