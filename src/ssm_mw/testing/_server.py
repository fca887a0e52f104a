"""``EmbeddedSSMServer``: moto's SSM backend, with the extension installed, over keep-alive HTTP."""

from __future__ import annotations

import functools
import math
import os
import re
import secrets
import threading
import time
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ._accounts import AccountDirectory
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
    ANY,
    ANY_OPERATION,
    Clock,
    Fault,
    FaultController,
    FaultInjectingApp,
    TokenBucket,
    validate_fault_args,
)
from ._model import operation_names
from ._organization import (
    DEFAULT_ROLE_NAME,
    Organization,
    build_organization,
    check_ous,
    dissolve_organization,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from aiobotocore.session import AioSession

    from ._moto_server import WrappedMotoServer

__all__ = ["EmbeddedSSMServer", "check_region"]


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
    do not see each other's windows. A request's account comes from its
    credentials: the base credentials (any key the server did not issue) are
    the server's own account; a key that ``sts:AssumeRole`` returned through
    this server belongs to the role's account (see :meth:`create_organization`).
    STS and Organizations answer on the same endpoint. Fault, latency and
    counter state is shared with the server thread and guarded by a lock.
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
        self._directory = AccountDirectory(self._account_id, self._account_learned)
        self._organization: Organization | None = None

    # --- lifecycle ------------------------------------------------------

    def start(self) -> EmbeddedSSMServer:
        """Install the extension and start serving; a no-op if already running."""
        with self._lock:
            if self._moto is not None:
                return self
            install()
            from ._moto_server import WrappedMotoServer

            for account_id in self._directory.accounts():
                set_max_tasks_per_window(account_id, self._max_tasks)
            server = WrappedMotoServer(
                self._host, self._port, self._wrap, log_requests=self._log_requests
            )
            try:
                server.start()
            except BaseException:
                for account_id in self._directory.accounts():
                    forget_account(account_id)
                raise
            self._bound_port = server.get_host_and_port()[1]
            self._moto = server
        return self

    def stop(self) -> None:
        """Stop serving, and remove the organization, if any. Stopping a stopped server is
        harmless."""
        with self._lock:
            server, self._moto = self._moto, None
            if server is not None:
                server.stop()
                for account_id in self._directory.accounts():
                    forget_account(account_id)
            if self._organization is not None:
                dissolve_organization(self._account_id)
                self._organization = None

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
        return FaultInjectingApp(app, self._faults, self._directory, self._region_name)

    def _account_learned(self, account_id: str) -> None:
        """A new account of this server (a member, or an assumed role's): it gets the limit."""
        with LOCK:
            if self._moto is not None:
                set_max_tasks_per_window(account_id, self._max_tasks)

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
        """The moto account of the base credentials: this server's own (the management
        account of its organization)."""
        return self._account_id

    @property
    def account_ids(self) -> tuple[str, ...]:
        """Every account this server answers for: its own first, then its organization's
        members and the accounts of roles assumed through it, as it learned of them."""
        return self._directory.accounts()

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
        account_id: str | None = None,
        region: str | None = None,
    ) -> str:
        """Create a maintenance window directly in moto's backend; return its ``mw-…`` id.

        The window lands in ``account_id`` (default: the server's own account)
        and ``region`` (default: :attr:`region_name`); another account becomes
        one of :attr:`account_ids`, so :meth:`reset` clears it too. No request
        is sent, so :meth:`request_count` does not change. moto does not keep
        ``allow_unassociated_targets``; it is accepted for symmetry.
        """
        del allow_unassociated_targets  # moto does not store it
        account = self._account_id if account_id is None else _check_account(account_id)
        where = self._region_name if region is None else check_region(region)
        self._directory.add(account)
        with LOCK:
            backend = self._backend(account, where)
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
            window_created(account, str(window_id))
        return str(window_id)

    def _backend(self, account_id: str | None = None, region: str | None = None) -> Any:
        from moto.ssm.models import ssm_backends

        return ssm_backends[account_id or self._account_id][region or self._region_name]

    def reset(self) -> None:
        """Clear windows, tasks, client tokens, counters, faults, latency, rate limits,
        AssumeRole denials and disabled Regions, in every account of :attr:`account_ids`.

        Restores the constructor's ``max_tasks_per_window`` and ``seed``. The
        organization (its units, accounts and roles) stays, and so do the
        credentials issued by AssumeRole; its windows are gone
        (:attr:`organization` lists none; :meth:`populate_organization` makes new ones).
        """
        from moto.ssm.models import ssm_backends

        with LOCK:
            self._max_tasks = self._default_max_tasks
            for account_id in self._directory.accounts():
                ssm_backends[account_id].reset()
                if self._moto is not None:
                    set_max_tasks_per_window(account_id, self._max_tasks)
            delay_new_windows(self._account_id, None, time.monotonic)
            if self._organization is not None:
                self._organization = attrs.evolve(self._organization, regions=(), windows={})
        self._faults.reset(self._seed)

    # --- an organization ------------------------------------------------

    @property
    def organization(self) -> Organization | None:
        """The organization made by :meth:`create_organization`, with the windows made
        since (or since the last :meth:`reset`); ``None`` if there is none."""
        return self._organization

    def create_organization(
        self,
        accounts: int = 3,
        *,
        ous: Mapping[str, int] | None = None,
        regions: Sequence[str] | None = None,
        windows_per_region: int = 1,
        role_name: str = DEFAULT_ROLE_NAME,
    ) -> Organization:
        """Make an AWS Organization in moto, with member accounts and their windows.

        The server's own account (:attr:`account_id`, the base credentials')
        becomes the management account; ``accounts`` member accounts are
        created (moto picks their random ids). ``ous`` places some of them in
        organizational units: it maps a unit's path (``"Prod"``, or
        ``"Prod/Web"`` for a unit nested in ``Prod``; the units above a path are
        made too) to the number of accounts directly in it, the first accounts
        going to the units in the mapping's order; the rest stay in the root.
        Each member gets the role ``role_name``, whose trust policy names the
        management account. moto does not enforce IAM by default: AssumeRole
        into any role ARN succeeds (even one that does not exist), unless
        :meth:`deny_assume_role` says otherwise. Then ``windows_per_region``
        empty windows (``window-1``, ``window-2``, …) are made in each member
        account and each of ``regions`` (default: :attr:`region_name`), as
        :meth:`populate_organization` does.

        STS (AssumeRole, GetCallerIdentity) and Organizations (ListAccounts,
        ListAccountsForParent, ListOrganizationalUnitsForParent, ListRoots,
        DescribeOrganization, ...) answer on :attr:`endpoint_url`; credentials
        that AssumeRole returns act in the role's account. Nothing is sent, so
        :meth:`request_count` does not change. One organization per server
        (``RuntimeError`` for a second); :meth:`stop` removes it.
        """
        checked = check_ous(accounts, ous)
        names = _check_regions(regions, (self._region_name,))
        _check_count("windows_per_region", windows_per_region)
        _check_role_name(role_name)
        with self._lock:
            if self._organization is not None:
                raise RuntimeError("this server already has an organization")
            with LOCK:
                organization = build_organization(
                    management_account_id=self._account_id,
                    region=self._region_name,
                    accounts=accounts,
                    ous=checked,
                    role_name=role_name,
                )
            self._organization = organization
        for account_id in organization.account_ids:
            self._directory.add(account_id)
        return self.populate_organization(windows_per_region, regions=names)

    def populate_organization(
        self, windows_per_region: int, *, regions: Sequence[str] | None = None
    ) -> Organization:
        """Make ``windows_per_region`` empty windows in each member account and Region.

        ``regions`` defaults to the organization's (those of its windows), or
        :attr:`region_name`. Windows are named ``window-<n>``, numbered on from
        those :attr:`organization` lists for the account and Region. Returns
        the organization with its windows (:attr:`organization` too).
        ``RuntimeError`` if there is no organization.
        """
        _check_count("windows_per_region", windows_per_region)
        organization = self._organization
        if organization is None:
            raise RuntimeError("no organization: call create_organization() first")
        names = _check_regions(regions, organization.regions or (self._region_name,))
        windows = {key: list(ids) for key, ids in organization.windows.items()}
        for account_id in organization.account_ids:
            for region in names:
                made = windows.setdefault((account_id, region), [])
                for _ in range(windows_per_region):
                    made.append(
                        self.create_maintenance_window(
                            name=f"window-{len(made) + 1}", account_id=account_id, region=region
                        )
                    )
        regions_now = tuple(dict.fromkeys((*organization.regions, *names)))
        organization = attrs.evolve(organization, regions=regions_now, windows=windows)
        self._organization = organization
        return organization

    # --- account faults -------------------------------------------------

    def deny_assume_role(self, account_id: str, *, denied: bool = True) -> None:
        """Refuse every ``sts:AssumeRole`` into a role of ``account_id``, as IAM does when
        the role's trust policy (or the caller's policy) does not allow it.

        Such a request gets HTTP 403 ``AccessDenied`` "User: <caller ARN> is not
        authorized to perform: sts:AssumeRole on resource: <role ARN>", the
        caller's ARN being what GetCallerIdentity answers for its credentials.
        ``denied=False`` (or :meth:`reset`) allows it again.
        """
        self._faults.deny_assume_role(_check_account(account_id), denied)

    def disable_region(self, account_id: str, region: str, *, disabled: bool = True) -> None:
        """Make ``region`` one that ``account_id`` has not enabled (an opt-in Region).

        Every request of that account (by its credentials) signed for that
        Region is refused as AWS refuses it: ``UnrecognizedClientException``
        "The security token included in the request is invalid." with HTTP 400
        (SSM, Organizations), or ``InvalidClientTokenId`` with HTTP 403 and the
        same message (STS). ``disabled=False`` (or :meth:`reset`) enables it again.
        """
        self._faults.disable_region(_check_account(account_id), check_region(region), disabled)

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

    def request_count(
        self,
        operation: str | None = None,
        *,
        account_id: str | None = None,
        region: str | None = None,
    ) -> int:
        """Requests the server has seen for ``operation`` (e.g. ``"GetMaintenanceWindowTask"``,
        from the ``X-Amz-Target`` header; ``"sts:AssumeRole"`` for another service's), or in
        all (``None`` or ``"*"``).

        ``account_id`` and ``region`` count only the requests of that account
        (by their credentials) and Region (``None``: any); with neither, and no
        operation, every request counts, API or not. Faulted and throttled
        requests count too; windows made by :meth:`create_maintenance_window`
        do not, since they are not requests.
        """
        return self._faults.request_count(*_count_filter(operation, account_id, region))

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

    def throttled_count(
        self,
        operation: str | None = None,
        *,
        account_id: str | None = None,
        region: str | None = None,
    ) -> int:
        """Requests refused by a rate limit (see :meth:`throttle`) for ``operation``,
        or in all (``None`` or ``"*"``), of ``account_id`` and ``region`` (``None``: any).
        They are part of :meth:`request_count` too."""
        return self._faults.throttled_count(*_count_filter(operation, account_id, region))

    # --- faults, rate limits and latency --------------------------------

    def throttle(
        self,
        rate: float | None,
        *,
        burst: float | None = None,
        operation: str | None = None,
        clock: Clock | None = None,
        account_id: str | None = None,
        region: str | None = None,
    ) -> None:
        """Rate-limit requests to ``rate`` a second, as the service does; ``None`` removes it.

        A token bucket: it holds up to ``burst`` tokens (default: one second's
        worth, ``max(rate, 1)``), starts full, gains ``rate`` tokens a second,
        and each request takes one. A request that finds no token is refused
        the way AWS refuses a burst: HTTP 400, ``ThrottlingException``,
        ``Rate exceeded``; it does not reach the backend. ``operation`` is an
        SSM operation name (or another service's, ``"sts:AssumeRole"``; a
        limit of its own), or ``None``/``"*"`` for one limit shared by all
        operations. ``account_id`` and ``region`` scope the limit the same way:
        to the requests of one account (by their credentials) and one Region
        (the one they are signed for), or (``None``/``"*"``) any. AWS throttles
        per account and Region, so a limit per ``(account_id, region)`` is the
        service's own; limits of different scopes are separate buckets, and a
        request must pass every limit whose scope it is in. Setting a limit
        replaces the previous one of the same scope, with a full bucket.
        Refused requests count in :meth:`request_count` and in
        :meth:`throttled_count`; a refusal wins over an injected fault. STS
        refuses with ``Throttling`` "Rate exceeded" and Organizations with
        ``TooManyRequestsException``, as they do. ``clock`` (seconds,
        ``time.monotonic`` by default) lets a test move time itself.
        """
        key = (
            ANY if account_id in (None, ANY) else _check_account(account_id),
            ANY if region in (None, ANY) else check_region(region),
            ANY_OPERATION if operation in (None, ANY_OPERATION) else _check_operation(operation),
        )
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

        ``operation`` is an SSM operation name, another service's as
        ``"sts:AssumeRole"`` or ``"organizations:ListAccounts"`` (answered in
        that service's error format), or ``None``/``"*"`` for any.
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
    """An operation's key: an SSM operation's name, or ``"service:Operation"`` for another
    service's (``"ssm:Name"`` is ``"Name"``)."""
    if isinstance(operation, str):
        service, _, name = operation.rpartition(":")
        if service in ("", "ssm") and name in operation_names():
            return name
        if service and service != "ssm" and name in _other_operation_names(service):
            return f"{service}:{name}"
    raise ValueError(
        f"unknown SSM operation {operation!r}; use an operation name such as "
        "'RegisterTaskWithMaintenanceWindow', another service's as 'sts:AssumeRole' or "
        "'organizations:ListAccounts', or None/'*' for any operation"
    )


@functools.cache
def _other_operation_names(service: str) -> frozenset[str]:
    """The operation names of ``service`` in botocore's models (none if it has no model)."""
    import botocore.exceptions
    import botocore.session

    try:
        model = botocore.session.get_session().get_service_model(service)
    except botocore.exceptions.UnknownServiceError:
        return frozenset()
    return frozenset(str(name) for name in model.operation_names)


_ACCOUNT = re.compile(r"\d{12}")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")
_ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}")


def _check_account(account_id: object) -> str:
    if not isinstance(account_id, str) or not _ACCOUNT.fullmatch(account_id):
        raise ValueError(f"account_id must be a 12-digit account id, not {account_id!r}")
    return account_id


def check_region(region: object) -> str:
    """``region`` if it is a Region name (``eu-west-1``); ``ValueError`` otherwise."""
    if not isinstance(region, str) or not _REGION.fullmatch(region):
        raise ValueError(f"region must be a Region name such as 'eu-west-1', not {region!r}")
    return region


def _check_role_name(role_name: object) -> None:
    if not isinstance(role_name, str) or not _ROLE_NAME.fullmatch(role_name):
        raise ValueError(f"role_name must be an IAM role name, not {role_name!r}")


def _check_regions(regions: object, default: Sequence[str]) -> tuple[str, ...]:
    if regions is None:
        return tuple(default)
    if isinstance(regions, str) or not isinstance(regions, Sequence) or not regions:
        raise ValueError(f"regions must be a non-empty sequence of Region names, not {regions!r}")
    items: Sequence[object] = regions  # pyright: ignore[reportUnknownVariableType]
    return tuple(dict.fromkeys(check_region(r) for r in items))


def _check_count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0, not {value!r}")


def _count_filter(
    operation: str | None, account_id: str | None, region: str | None
) -> tuple[str | None, str | None, str | None]:
    """The checked (operation, account, Region) of a count; ``None`` for any."""
    return (
        None if operation in (None, ANY_OPERATION) else _check_operation(operation),
        None if account_id is None else _check_account(account_id),
        None if region is None else check_region(region),
    )


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
