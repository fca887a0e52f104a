"""Clients across the accounts and Regions of a :class:`~ssm_mw.Scope`; their windows (private).

:class:`ScopedClients` resolves a scope into its account-Region pairs (listing
the Organization's ACTIVE accounts when the scope asks for them) and hands out
one opened :class:`~ssm_mw.MaintenanceWindowClient` per pair. An account
reached by a role is assumed once, with STS' regional endpoint, and its
credentials are refreshed before they expire (a long run outlives the
one-hour default); an account of a profile uses that profile. Every client,
STS and Organizations included, uses the same ``endpoint_url`` when one is
given (the embedded backend's organization, or a proxy).

:func:`list_windows` lists the windows of every pair, with the number of tasks
of each. A pair that fails (the role cannot be assumed, the Region is not
enabled for the account, any service error) is reported as failed with its
error; the others go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import attrs

from ._client import MaintenanceWindowClient
from ._config import own_session
from ._errors import SsmMwError, TransportError, ValidationError
from ._live import check_concurrency
from ._models import MaintenanceWindowIdentity, WindowFilter
from ._pacing import request_limit
from ._pool import JobPool
from ._public import publish_exported
from ._scope import AccountRegion, Scope, WindowSelection

if TYPE_CHECKING:
    from aiobotocore.session import AioSession

__all__ = [
    "ScopedClients",
    "TargetStatus",
    "TargetSummary",
    "TargetWindows",
    "WindowLookupError",
    "WindowSummary",
    "WindowsReport",
    "find_windows",
    "list_windows",
]

R = TypeVar("R")

#: Seconds before expiry at which assumed credentials are refreshed (botocore's advisory
#: refresh: in the background of a call) and must be (its mandatory refresh), at most; a
#: shorter ``role_duration`` refreshes a quarter and a sixth of it ahead.
_ADVISORY, _MANDATORY = 15 * 60, 10 * 60


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class ScopedClients:
    """One opened :class:`~ssm_mw.MaintenanceWindowClient` per account-Region of a scope.

    ``async with ScopedClients(scope, region_name=..., endpoint_url=...) as reach:``
    resolves the scope (the Organization's accounts are listed here) into
    :attr:`targets`; ``await reach.client(target)`` gives that pair's client,
    made on first use and closed with the block. The base credentials are the
    usual ones (``profile_name``, the environment); an account given by id is
    reached by assuming ``role_name`` in it, once, for ``role_duration``
    seconds, with its credentials refreshed before they expire (15 minutes
    ahead, in the background of a call; 10 minutes ahead, before it).
    ``session`` is the base session (default: a new one, of ``profile_name``).
    ``clock`` (the current time, timezone-aware) decides when credentials are
    due for refresh (for tests). The other options are the client's.
    """

    def __init__(
        self,
        scope: Scope,
        *,
        session: AioSession | None = None,
        profile_name: str | None = None,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        max_attempts: int | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        role_duration: int = 3600,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if not isinstance(cast(object, scope), Scope):
            raise ValidationError.single("scope", f"expected a Scope, got {type(scope).__name__}")
        if session is not None and profile_name is not None:
            raise ValidationError.single("profile_name", "give session or profile_name, not both")
        duration = cast(object, role_duration)
        if isinstance(duration, bool) or not isinstance(duration, int):
            raise ValidationError.single("role_duration", "expected an integer (seconds)")
        if not 900 <= role_duration <= 43200:
            raise ValidationError.single("role_duration", f"{role_duration} is not 900 to 43200")
        self._scope = scope
        self._given_session = session
        self._role_duration = role_duration
        self._clock = clock if clock is not None else _utc_now
        self._profile = profile_name
        self._region = region_name
        self._endpoint = endpoint_url
        self._options: dict[str, Any] = {
            "max_attempts": max_attempts,
            "connect_timeout": connect_timeout,
            "read_timeout": read_timeout,
        }
        self._stack = contextlib.AsyncExitStack()
        self._base: AioSession | None = None
        self._targets: tuple[AccountRegion, ...] = ()
        self._sessions: dict[str | None, AioSession] = {}
        self._assuming: dict[str, asyncio.Lock] = {}
        self._clients: dict[AccountRegion, MaintenanceWindowClient] = {}
        self._sts: Any = None
        self._sts_lock = asyncio.Lock()
        #: The data loader of every assumed-role session: each account's session reads
        #: botocore's data (endpoints, the models) through it, parsed once.
        self._loader: Any = None

    @property
    def scope(self) -> Scope:
        """The scope these clients cover."""
        return self._scope

    @property
    def targets(self) -> tuple[AccountRegion, ...]:
        """The scope's account-Region pairs (its shard only), known once the block is entered."""
        return self._targets

    async def __aenter__(self) -> ScopedClients:
        base = self._given_session or own_session(self._profile)
        # STS' regional endpoint in the Region of the call, not the global one.
        base.set_config_variable("sts_regional_endpoints", "regional")
        region = self._region or base.get_config_variable("region")
        if not region:
            raise TransportError("no Region: give region_name (or --region), or set AWS_REGION")
        self._base = base
        self._default_region = str(region)
        self._sessions[None] = base
        try:
            accounts = await self._accounts()
        except BaseException:
            await self._stack.aclose()
            raise
        self._targets = self._scope.pairs(accounts, self._default_region)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._stack.aclose()
        self._clients.clear()
        self._sts = None

    # -- accounts ----------------------------------------------------------------------

    async def _service(self, name: str, session: AioSession | None = None) -> Any:
        """A client of another service (STS, Organizations) on the base session, kept open."""
        use: Any = session if session is not None else self._base
        return await self._stack.enter_async_context(
            use.create_client(name, region_name=self._default_region, endpoint_url=self._endpoint)
        )

    async def _accounts(self) -> list[str | None]:
        scope = self._scope
        if scope.accounts:
            return list(scope.accounts)
        if scope.profiles:
            found: list[str | None] = []
            for profile in scope.profiles:
                session = own_session(profile)
                sts = await self._service("sts", session)
                identity = await sts.get_caller_identity()
                account = str(identity["Account"])
                self._sessions[account] = session
                found.append(account)
            return found
        if scope.organization:
            return list(await self._organization_accounts())
        return [None]

    async def _organization_accounts(self) -> list[str]:
        organizations = await self._service("organizations")
        active: dict[str, None] = {}
        if not self._scope.ous:
            async for page in organizations.get_paginator("list_accounts").paginate():
                for account in page.get("Accounts", ()):
                    if account.get("Status") == "ACTIVE":
                        active[str(account["Id"])] = None
            return sorted(active)
        parents = list(self._scope.ous)
        while parents:  # each OU and every OU under it
            parent = parents.pop()
            pages = organizations.get_paginator("list_accounts_for_parent")
            async for page in pages.paginate(ParentId=parent):
                for account in page.get("Accounts", ()):
                    if account.get("Status") == "ACTIVE":
                        active[str(account["Id"])] = None
            units = organizations.get_paginator("list_organizational_units_for_parent")
            async for page in units.paginate(ParentId=parent):
                parents.extend(str(unit["Id"]) for unit in page.get("OrganizationalUnits", ()))
        return sorted(active)

    async def _session(self, account: str | None) -> AioSession:
        session = self._sessions.get(account)
        if session is not None:
            return session
        assert account is not None  # the base account's session is made on entry
        lock = self._assuming.setdefault(account, asyncio.Lock())
        async with lock:  # assumed once per account, whatever asks at the same time
            session = self._sessions.get(account)
            if session is None:
                session = await self._assumed_session(account)
                self._sessions[account] = session
        return session

    async def _assumed_session(self, account: str) -> AioSession:
        from aiobotocore.credentials import AioRefreshableCredentials
        from botocore.credentials import CredentialProvider

        sts = await self._base_sts()
        scope = self._scope
        arn = f"arn:aws:iam::{account}:role/{scope.role_name}"
        extra = {"ExternalId": scope.external_id} if scope.external_id is not None else {}

        async def assume() -> dict[str, str]:
            answer = await sts.assume_role(
                RoleArn=arn,
                RoleSessionName=scope.role_session_name,
                DurationSeconds=self._role_duration,
                **extra,
            )
            credentials = answer["Credentials"]
            return {
                "access_key": credentials["AccessKeyId"],
                "secret_key": credentials["SecretAccessKey"],
                "token": credentials["SessionToken"],
                "expiry_time": credentials["Expiration"].isoformat(),
            }

        first = await assume()
        credentials = AioRefreshableCredentials(
            access_key=first["access_key"],
            secret_key=first["secret_key"],
            token=first["token"],
            expiry_time=datetime.fromisoformat(first["expiry_time"]),
            refresh_using=assume,
            method="assume-role",
            time_fetcher=self._clock,
            advisory_timeout=min(_ADVISORY, self._role_duration // 4),
            mandatory_timeout=min(_MANDATORY, self._role_duration // 6),
        )

        class _Assumed(CredentialProvider):  # aiobotocore awaits each provider's load()
            METHOD = CANONICAL_NAME = "ssm-mw-assumed-role"

            async def load(self) -> AioRefreshableCredentials:
                return credentials

        session = own_session()
        if self._loader is None:
            self._loader = session.get_component("data_loader")
        else:
            session.register_component("data_loader", self._loader)
        session.get_component("credential_provider").insert_before("env", _Assumed())
        return session

    async def _base_sts(self) -> Any:
        """The base credentials' STS client, made once: every role is assumed with it."""
        async with self._sts_lock:
            if self._sts is None:
                self._sts = await self._service("sts")
        return self._sts

    async def client(self, target: AccountRegion) -> MaintenanceWindowClient:
        """The opened client of ``target`` (one of :attr:`targets`), made on first use."""
        client = self._clients.get(target)
        if client is None:
            session = await self._session(target.account)
            client = MaintenanceWindowClient(
                session=session,
                region_name=target.region,
                endpoint_url=self._endpoint,
                **self._options,
            )
            await self._stack.enter_async_context(client)
            self._clients[target] = client
        return client


@attrs.frozen(kw_only=True)
class WindowSummary:
    """One window of :func:`list_windows`: where it is, what it is, and its number of tasks."""

    target: AccountRegion
    window: MaintenanceWindowIdentity
    task_count: int


@attrs.frozen(kw_only=True)
class TargetWindows:
    """The windows of one account-Region, or the error that stopped its listing."""

    target: AccountRegion
    windows: tuple[WindowSummary, ...] = ()
    error: Exception | None = attrs.field(default=None, eq=False)

    @property
    def ok(self) -> bool:
        """Whether the account-Region was listed in full."""
        return self.error is None


@attrs.frozen(kw_only=True)
class WindowsReport:
    """What :func:`list_windows` found: one :class:`TargetWindows` per account-Region."""

    targets: tuple[TargetWindows, ...]

    @property
    def windows(self) -> tuple[WindowSummary, ...]:
        """Every window found, by account-Region in the scope's order."""
        return tuple(w for t in self.targets for w in t.windows)

    @property
    def failed(self) -> tuple[TargetWindows, ...]:
        """The account-Regions whose listing failed."""
        return tuple(t for t in self.targets if not t.ok)

    @property
    def ok(self) -> bool:
        """Whether every account-Region was listed."""
        return not self.failed


async def list_windows(
    reach: ScopedClients, *, names: Sequence[str] = (), concurrency: int = 16
) -> WindowsReport:
    """Every window of every account-Region of ``reach`` (named one of ``names``, if given),
    with its number of tasks.

    At most ``concurrency`` requests are in flight overall. An account-Region
    that fails is a :class:`TargetWindows` with its ``error``; the others go on.

    Example::

        async with ScopedClients(Scope(regions=["us-east-1", "eu-west-1"])) as reach:
            report = await list_windows(reach, names=["patching"])
        for found in report.windows:
            print(found.target, found.window.window_id, found.task_count)
    """
    workers = check_concurrency(concurrency)
    filters = (WindowFilter.name(*names),) if names else ()
    results: dict[AccountRegion, TargetWindows] = {}

    async def list_target(target: AccountRegion) -> None:
        try:
            mw = await reach.client(target)
            found = [w async for w in mw.paginate_maintenance_windows(filters=filters)]
            counts = await asyncio.gather(*(_count_tasks(mw, w.window_id) for w in found))
            windows = tuple(
                WindowSummary(target=target, window=w, task_count=n)
                for w, n in zip(found, counts, strict=True)
            )
            results[target] = TargetWindows(target=target, windows=windows)
        except Exception as exc:
            results[target] = TargetWindows(target=target, error=exc)

    pool = JobPool()
    for target in reach.targets:
        pool.put(functools.partial(list_target, target))
    await pool.run(workers)
    return WindowsReport(targets=tuple(results[t] for t in reach.targets))


class WindowLookupError(SsmMwError):
    """Windows asked for by name are not one of each in an account-Region (``target``).

    ``missing``: the names no window has there; ``duplicates``: each name two
    or more windows have, with their ids. Nothing is done in that
    account-Region; the others go on.
    """

    def __init__(
        self,
        target: AccountRegion | None,
        *,
        missing: Sequence[str] = (),
        duplicates: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.target = target
        self.missing = tuple(missing)
        self.duplicates = {name: tuple(ids) for name, ids in (duplicates or {}).items()}
        parts = [f"no window named {name!r}" for name in self.missing]
        parts += [
            f"{len(ids)} windows named {name!r} ({', '.join(ids)})"
            for name, ids in self.duplicates.items()
        ]
        super().__init__("; ".join(parts))


async def find_windows(
    client: MaintenanceWindowClient,
    selection: WindowSelection,
    *,
    target: AccountRegion | None = None,
) -> tuple[MaintenanceWindowIdentity, ...]:
    """The windows of ``selection`` that ``client`` (one account-Region, ``target``) has.

    Every window for :meth:`WindowSelection.all`; for names, exactly one
    window of each name, in the order of the names, or
    :class:`WindowLookupError` naming the missing names and the ids of each
    name that two windows have.
    """
    if selection.names is None:
        return tuple([w async for w in client.paginate_maintenance_windows()])
    found: dict[str, list[MaintenanceWindowIdentity]] = {name: [] for name in selection.names}
    async for window in client.paginate_maintenance_windows(
        filters=(WindowFilter.name(*selection.names),)
    ):
        if window.name in found:
            found[window.name].append(window)
    missing = [name for name, windows in found.items() if not windows]
    duplicates = {
        name: [w.window_id for w in windows] for name, windows in found.items() if len(windows) > 1
    }
    if missing or duplicates:
        raise WindowLookupError(target, missing=missing, duplicates=duplicates)
    return tuple(windows[0] for windows in found.values())


class TargetStatus(enum.Enum):
    """How one account-Region of a scoped call ended."""

    #: Everything asked of it was done.
    OK = "ok"
    #: Some of its tasks (or windows) failed or were not reached; the others were done.
    PARTIAL = "partial"
    #: Nothing was done: it could not be reached (a role not assumed, a Region not
    #: enabled), its windows were not found, or every task of it failed.
    FAILED = "failed"


@attrs.frozen(kw_only=True)
class TargetSummary:
    """One account-Region of a scoped call's report: how it ended, and why if not ok.

    ``error`` is what failed the account-Region (``FAILED`` before any task:
    a role that cannot be assumed, a Region not enabled, a window not found),
    or the first failed task's (``PARTIAL``, ``FAILED``). ``complete`` is
    ``False`` when the call was cancelled before the account-Region was done.
    """

    target: AccountRegion
    status: TargetStatus
    error: Exception | None = attrs.field(default=None, eq=False)
    complete: bool = True

    @property
    def ok(self) -> bool:
        """Whether the account-Region ended ``OK``."""
        return self.status is TargetStatus.OK


def target_summary(
    target: AccountRegion,
    *,
    error: Exception | None = None,
    done: int = 0,
    failed: Sequence[Exception] = (),
    complete: bool = True,
) -> TargetSummary:
    """The summary of ``target``: ``error`` failed it whole; else ``done`` tasks went well
    and ``failed`` ones did not; not ``complete``: cut short by a cancellation."""
    if error is not None:
        return TargetSummary(
            target=target, status=TargetStatus.FAILED, error=error, complete=complete
        )
    if failed:
        status = TargetStatus.PARTIAL if done else TargetStatus.FAILED
        return TargetSummary(target=target, status=status, error=failed[0], complete=complete)
    status = TargetStatus.OK if complete else TargetStatus.PARTIAL
    return TargetSummary(target=target, status=status, complete=complete)


@attrs.define
class TargetRuns(Generic[R]):
    """What :func:`for_each_target` did: each account-Region's result, error, or stop."""

    targets: tuple[AccountRegion, ...]
    results: dict[AccountRegion, R] = attrs.field(factory=dict)
    errors: dict[AccountRegion, Exception] = attrs.field(factory=dict)
    #: The account-Regions whose work was cancelled, with the cancellation it raised
    #: (a command's own, carrying its partial report).
    stopped: dict[AccountRegion, asyncio.CancelledError] = attrs.field(factory=dict)
    cancelled: bool = False

    @property
    def done(self) -> int:
        """How many account-Regions ended (a result or an error)."""
        return len(self.results) + len(self.errors)


class TargetsCancelled(Exception):
    """:func:`for_each_target` was cancelled; ``runs`` holds what it did."""

    def __init__(self, runs: TargetRuns[Any]) -> None:
        super().__init__("cancelled")
        self.runs = runs


async def for_each_target(
    reach: ScopedClients,
    work: Callable[[AccountRegion, MaintenanceWindowClient], Awaitable[R]],
    *,
    concurrency: int,
    on_done: Callable[[TargetRuns[R]], None] | None = None,
    targets: Sequence[AccountRegion] | None = None,
) -> TargetRuns[R]:
    """Run ``work(target, client)`` for every account-Region of ``reach`` (or of
    ``targets``, if given), at once.

    At most ``concurrency`` requests are in flight across all of them: each
    run's Pacer takes a place of one shared limit for each attempt. A target
    whose client cannot be had, or whose work raises, has its error recorded;
    the others go on. ``on_done`` is called as each target ends. Cancelled,
    the runs are cancelled (each waits for its requests in flight, as its
    command does) and :class:`TargetsCancelled` carries what was done.
    """
    chosen = reach.targets if targets is None else tuple(targets)
    runs: TargetRuns[R] = TargetRuns(targets=chosen)
    limit = asyncio.Semaphore(concurrency)

    async def run_target(target: AccountRegion) -> None:
        try:
            client = await reach.client(target)
            runs.results[target] = await work(target, client)
        except asyncio.CancelledError as exc:
            runs.stopped[target] = exc
            raise
        except Exception as exc:
            runs.errors[target] = exc
        if on_done is not None:
            on_done(runs)

    pool = JobPool()
    for target in chosen:
        pool.put(functools.partial(run_target, target))
    with request_limit(limit):
        try:
            await pool.run(max(1, min(len(chosen), concurrency)))
        except asyncio.CancelledError:
            runs.cancelled = True
            raise TargetsCancelled(runs) from None
    return runs


async def _count_tasks(mw: MaintenanceWindowClient, window_id: str) -> int:
    return sum([1 async for _ in mw.paginate_maintenance_window_tasks(window_id)])


publish_exported(globals(), __all__)
