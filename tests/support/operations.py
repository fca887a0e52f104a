"""The registry's operations: their wire names, and a call of each on a window holding one task."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ssm_mw import LambdaParameters, MaintenanceWindowClient, TaskDefinition, TaskUpdate
from ssm_mw.testing import EmbeddedSSMServer

__all__ = [
    "DEFINITION",
    "DEREGISTER",
    "DESCRIBE",
    "GET",
    "NEW_WINDOW",
    "OPERATIONS",
    "REGISTER",
    "UPDATE",
    "WINDOWS",
    "Operation",
    "operation",
    "prepare",
    "task_ids",
]

REGISTER = "RegisterTaskWithMaintenanceWindow"
UPDATE = "UpdateMaintenanceWindowTask"
DESCRIBE = "DescribeMaintenanceWindowTasks"
GET = "GetMaintenanceWindowTask"
WINDOWS = "DescribeMaintenanceWindows"
#: Every operation but deregistration, which a retry cannot repeat (the task is gone).
OPERATIONS = (REGISTER, UPDATE, DESCRIBE, GET, WINDOWS)
#: The members of a CreateMaintenanceWindow request but its Name (a daily window).
NEW_WINDOW = {
    "Schedule": "rate(1 day)",
    "Duration": 2,
    "Cutoff": 1,
    "AllowUnassociatedTargets": True,
}
DEREGISTER = "DeregisterTaskFromMaintenanceWindow"

#: A simple valid task (Lambda: no targets needed).
DEFINITION = TaskDefinition(
    task_arn="arn:aws:lambda:us-east-1:123456789012:function:f",
    task_invocation_parameters=LambdaParameters(payload=b"{}"),
    name="faulty",
)


Operation = Callable[[MaintenanceWindowClient], Awaitable[Any]]


async def task_ids(mw: MaintenanceWindowClient, window_id: str) -> list[str]:
    """The ids of every task in the window, in registration order."""
    return [t.window_task_id async for t in mw.paginate_maintenance_window_tasks(window_id)]


async def prepare(server: EmbeddedSSMServer, mw: MaintenanceWindowClient) -> tuple[str, str]:
    """A window holding one task: ``(window_id, task_id)``."""
    window_id = server.create_maintenance_window()
    task_id = await mw.register_task_with_maintenance_window(window_id, DEFINITION)
    return window_id, task_id


def operation(name: str, window_id: str, task_id: str) -> Operation:
    """A call of ``name`` on the prepared window and task."""
    if name == REGISTER:
        return lambda mw: mw.register_task_with_maintenance_window(window_id, DEFINITION)
    if name == UPDATE:
        return lambda mw: mw.update_maintenance_window_task(
            window_id, task_id, TaskUpdate(priority=7)
        )
    if name == DESCRIBE:
        return lambda mw: mw.describe_maintenance_window_tasks(window_id)
    if name == WINDOWS:
        return lambda mw: mw.describe_maintenance_windows()
    return lambda mw: mw.get_maintenance_window_task(window_id, task_id)
