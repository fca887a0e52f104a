"""Clients on the embedded server: a new ssm-mw client, one used from synchronous code, a raw one.

The synchronous helpers (:func:`with_client` and the reads built on it) let
the command-line tests, which run ``ssm-mw`` outside any event loop, set up
tasks and read them back through the library.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from aiobotocore.config import AioConfig

from ssm_mw import (
    CutoffBehavior,
    MaintenanceWindowClient,
    MaintenanceWindowTask,
    MaintenanceWindowTaskDetails,
    TaskDefinition,
)
from ssm_mw.testing import EmbeddedSSMServer

__all__ = [
    "STANDARD",
    "client_for",
    "cutoffs",
    "get_task",
    "on_server",
    "on_url",
    "raw_ssm",
    "read_tasks",
    "register",
    "with_client",
]

T = TypeVar("T")

#: botocore's standard retry mode with its default budget: three attempts in all.
STANDARD = {"mode": "standard", "total_max_attempts": 3}


def client_for(server: EmbeddedSSMServer, **config: Any) -> MaintenanceWindowClient:
    """A new (unopened) client bound to ``server``; ``config`` goes to ``AioConfig``."""
    return on_server(server, config=AioConfig(**config) if config else None)


def on_server(server: EmbeddedSSMServer, **options: Any) -> MaintenanceWindowClient:
    """A client bound to the embedded server with its dummy-credential session."""
    return MaintenanceWindowClient(
        region_name=server.region_name,
        endpoint_url=server.endpoint_url,
        session=server.aio_session(),
        **options,
    )


def on_url(url: str, **options: Any) -> MaintenanceWindowClient:
    """A client on ``url`` (in us-east-1, with dummy credentials)."""
    return MaintenanceWindowClient(
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        **options,
    )


@asynccontextmanager
async def raw_ssm(server: EmbeddedSSMServer) -> AsyncIterator[Any]:
    """A plain aiobotocore SSM client on the server (for changes made behind ssm-mw's back)."""
    async with server.aio_session().create_client("ssm", **server.client_kwargs()) as client:
        yield client


def with_client(
    server: EmbeddedSSMServer, use: Callable[[MaintenanceWindowClient], Awaitable[T]]
) -> T:
    """Run ``use(client)`` with a fresh client on the server (from synchronous tests)."""

    async def main() -> T:
        async with client_for(server) as mw:
            return await use(mw)

    return asyncio.run(main())


def register(
    server: EmbeddedSSMServer, window_id: str, definitions: Sequence[TaskDefinition]
) -> list[str]:
    """Register the tasks; return their ids, in order."""

    async def use(mw: MaintenanceWindowClient) -> list[str]:
        return [await mw.register_task_with_maintenance_window(window_id, d) for d in definitions]

    return with_client(server, use)


def read_tasks(server: EmbeddedSSMServer, window_id: str) -> list[MaintenanceWindowTask]:
    """Every task of the window, as describe reports it."""

    async def use(mw: MaintenanceWindowClient) -> list[MaintenanceWindowTask]:
        return [t async for t in mw.paginate_maintenance_window_tasks(window_id)]

    return with_client(server, use)


def cutoffs(server: EmbeddedSSMServer, window_id: str) -> dict[str, CutoffBehavior | None]:
    """Each task's CutoffBehavior, by task id."""
    return {t.window_task_id: t.cutoff_behavior for t in read_tasks(server, window_id)}


def get_task(
    server: EmbeddedSSMServer, window_id: str, task_id: str
) -> MaintenanceWindowTaskDetails:
    """One task in full."""

    async def use(mw: MaintenanceWindowClient) -> MaintenanceWindowTaskDetails:
        return await mw.get_maintenance_window_task(window_id, task_id)

    return with_client(server, use)
