"""Clients on an embedded server's organization: the base credentials, or a role assumed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import attrs
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession

from ssm_mw import (
    AccountRegion,
    CutoffBehavior,
    LambdaParameters,
    Scope,
    ScopedClients,
    ServiceError,
    TargetStatus,
    TargetSummary,
    TaskDefinition,
    WindowLookupError,
)
from ssm_mw.testing import EmbeddedSSMServer, Organization
from support.conformance import NO_RETRY

__all__ = [
    "Faults",
    "assume",
    "client",
    "inject_faults",
    "reach",
    "seed_tasks",
    "session_for",
    "whole_scope",
]


def whole_scope(organization: Organization, **options: Any) -> Scope:
    """Every member account of ``organization`` in its Regions, reached by its role."""
    return Scope(
        accounts=organization.account_ids,
        role_name=organization.role_name,
        regions=organization.regions,
        **options,
    )


@asynccontextmanager
async def reach(
    server: EmbeddedSSMServer, scope: Scope, **options: Any
) -> AsyncIterator[ScopedClients]:
    """ScopedClients on the server, with its base credentials."""
    async with ScopedClients(
        scope,
        session=server.aio_session(),
        region_name=server.region_name,
        endpoint_url=server.endpoint_url,
        **options,
    ) as opened:
        yield opened


async def seed_tasks(
    reached: ScopedClients,
    organization: Organization,
    *,
    window: int = 1,
    tasks: int = 2,
    behavior: CutoffBehavior = CutoffBehavior.CONTINUE_TASK,
) -> dict[AccountRegion, tuple[str, ...]]:
    """Register ``tasks`` Lambda tasks (``task-1``...) in ``window-<window>`` of every
    account-Region of ``reached``, over real HTTP; their ids by account-Region."""
    made: dict[AccountRegion, tuple[str, ...]] = {}
    for target in reached.targets:
        assert target.account is not None
        mw = await reached.client(target)
        window_id = organization.windows_of(target.account, target.region)[window - 1]
        ids = []
        for n in range(1, tasks + 1):
            definition = TaskDefinition(
                name=f"task-{n}",
                task_arn=f"arn:aws:lambda:{target.region}:{target.account}:function:f{n}",
                task_invocation_parameters=LambdaParameters(),
                cutoff_behavior=behavior,
            )
            ids.append(await mw.register_task_with_maintenance_window(window_id, definition))
        made[target] = tuple(ids)
    return made


def session_for(credentials: dict[str, Any] | None) -> AioSession:
    """A session with the base credentials (``None``) or those AssumeRole returned."""
    session = AioSession()
    if credentials is None:
        session.set_credentials("testing", "testing")
    else:
        session.set_credentials(
            credentials["AccessKeyId"],
            credentials["SecretAccessKey"],
            credentials["SessionToken"],
        )
    return session


@asynccontextmanager
async def client(
    server: EmbeddedSSMServer,
    service: str,
    credentials: dict[str, Any] | None = None,
    region: str | None = None,
) -> AsyncIterator[Any]:
    """A client of ``service`` on ``server``, without retries."""
    async with session_for(credentials).create_client(
        service,
        region_name=region or server.region_name,
        endpoint_url=server.endpoint_url,
        config=AioConfig(retries=NO_RETRY),
    ) as opened:
        yield opened


async def assume(
    server: EmbeddedSSMServer,
    role_arn: str,
    credentials: dict[str, Any] | None = None,
    session_name: str = "tests",
) -> dict[str, Any]:
    """The credentials of ``role_arn``, assumed with ``credentials`` (default: the base ones)."""
    async with client(server, "sts", credentials) as sts:
        answer = await sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name)
    return dict(answer["Credentials"])


@attrs.frozen
class Faults:
    """Three faults, one per member account: its role denied (both Regions), the second
    Region not enabled for the second account, and a second ``window-1`` (``twin``) in the
    third account's first Region."""

    denied: str
    disabled: str
    twice: str
    twin: str
    first: str
    second: str

    @property
    def failed(self) -> set[AccountRegion]:
        """The account-Regions the faults fail."""
        return {
            AccountRegion(account=self.denied, region=self.first),
            AccountRegion(account=self.denied, region=self.second),
            AccountRegion(account=self.disabled, region=self.second),
            AccountRegion(account=self.twice, region=self.first),
        }

    def check(self, organization: Organization, targets: Iterable[TargetSummary]) -> None:
        """Exactly the faulted account-Regions failed, each with its own real error."""
        by_target = {t.target: t for t in targets}
        failed = {t for t, s in by_target.items() if s.status is TargetStatus.FAILED}
        assert failed == self.failed
        denied = by_target[AccountRegion(account=self.denied, region=self.first)].error
        assert "AccessDenied" in str(denied)
        region_error = by_target[AccountRegion(account=self.disabled, region=self.second)].error
        assert isinstance(region_error, ServiceError)
        assert region_error.code == "UnrecognizedClientException"
        duplicate = by_target[AccountRegion(account=self.twice, region=self.first)].error
        assert isinstance(duplicate, WindowLookupError)
        assert self.twin in str(duplicate)
        assert organization.windows_of(self.twice, self.first)[0] in str(duplicate)


def inject_faults(server: EmbeddedSSMServer, organization: Organization) -> Faults:
    """Inject :class:`Faults` into the organization of ``server``."""
    denied, disabled, twice = organization.account_ids
    first, second = organization.regions
    server.deny_assume_role(denied)
    server.disable_region(disabled, second)
    twin = server.create_maintenance_window("window-1", account_id=twice, region=first)
    return Faults(denied, disabled, twice, twin, first, second)
