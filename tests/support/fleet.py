"""A fleet for the ``set_cutoff_behavior`` tests: windows of Lambda tasks, all CONTINUE_TASK."""

from __future__ import annotations

import asyncio

from ssm_mw import CutoffBehavior, LambdaParameters, MaintenanceWindowClient, TaskDefinition
from ssm_mw.testing import EmbeddedSSMServer

__all__ = ["fleet", "fleet_task"]


def fleet_task(n: int) -> TaskDefinition:
    """Task ``n`` of a window, with CONTINUE_TASK."""
    return TaskDefinition(
        task_arn="arn:aws:lambda:us-east-1:123456789012:function:f",
        task_invocation_parameters=LambdaParameters(payload=b"{}"),
        name=f"t-{n}",
        cutoff_behavior=CutoffBehavior.CONTINUE_TASK,
    )


async def fleet(
    server: EmbeddedSSMServer, mw: MaintenanceWindowClient, windows: int, tasks: int
) -> list[str]:
    """``windows`` new windows of ``tasks`` tasks each (:func:`fleet_task`); their ids."""
    ids = [server.create_maintenance_window(name=f"fleet-{w}") for w in range(windows)]
    limit = asyncio.Semaphore(16)

    async def register(window_id: str, n: int) -> None:
        async with limit:
            await mw.register_task_with_maintenance_window(window_id, fleet_task(n))

    await asyncio.gather(*(register(w, n) for w in ids for n in range(tasks)))
    return ids
