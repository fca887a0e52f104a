"""Helpers on the embedded SSM backend (``ssm_mw.testing``): clients and tasks to work on."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from ssm_mw import (
    CutoffBehavior,
    MaintenanceWindowClient,
    RunCommandParameters,
    Target,
    TaskDefinition,
)

from ._server_process import RemoteServer

__all__ = ["client_for", "populate", "simple_task"]


def client_for(server: RemoteServer) -> MaintenanceWindowClient:
    """A new (unopened) client bound to ``server``."""
    return MaintenanceWindowClient(
        region_name=server.region_name,
        endpoint_url=server.endpoint_url,
        session=server.aio_session(),
    )


def simple_task(n: int) -> TaskDefinition:
    """A typical RUN_COMMAND task, number ``n``."""
    return TaskDefinition(
        task_arn="AWS-RunPatchBaseline",
        task_invocation_parameters=RunCommandParameters(
            parameters={"Operation": ("Install",)}, timeout_seconds=600
        ),
        targets=(Target.window_targets("e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3"),),
        max_concurrency="10%",
        max_errors="1",
        priority=n % 5,
        name=f"patch-{n}",
        cutoff_behavior=CutoffBehavior.CONTINUE_TASK,
    )


async def populate(
    mw: MaintenanceWindowClient,
    window_ids: Sequence[str],
    tasks_per_window: int,
    *,
    concurrency: int = 8,
) -> None:
    """Register ``tasks_per_window`` tasks in each window (through the public client)."""
    limit = asyncio.Semaphore(concurrency)

    async def register(window_id: str, n: int) -> None:
        async with limit:
            await mw.register_task_with_maintenance_window(window_id, simple_task(n))

    await asyncio.gather(*(register(w, n) for w in window_ids for n in range(tasks_per_window)))
