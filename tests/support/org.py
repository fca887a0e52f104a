"""Clients on an embedded server's organization: the base credentials, or a role assumed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession

from ssm_mw.testing import EmbeddedSSMServer
from support.conformance import NO_RETRY

__all__ = ["assume", "client", "session_for"]


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
