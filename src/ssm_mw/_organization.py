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
import functools
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, cast

import attrs

from ._client import MaintenanceWindowClient
from ._config import own_session
from ._errors import TransportError, ValidationError
from ._live import check_concurrency
from ._models import MaintenanceWindowIdentity, WindowFilter
from ._pool import JobPool
from ._public import publish_exported
from ._scope import AccountRegion, Scope

if TYPE_CHECKING:
    from aiobotocore.session import AioSession

__all__ = ["ScopedClients", "TargetWindows", "WindowSummary", "WindowsReport", "list_windows"]

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

        sts = await self._service("sts")
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
        session.get_component("credential_provider").insert_before("env", _Assumed())
        return session

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


async def _count_tasks(mw: MaintenanceWindowClient, window_id: str) -> int:
    return sum([1 async for _ in mw.paginate_maintenance_window_tasks(window_id)])


publish_exported(globals(), __all__)
