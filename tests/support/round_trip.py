"""A definition's round trip through the client: register it, then get the task back."""

from __future__ import annotations

from ssm_mw import MaintenanceWindowClient, MaintenanceWindowTaskDetails, TaskDefinition

__all__ = ["register_then_get"]


async def register_then_get(
    mw: MaintenanceWindowClient, window_id: str, definition: TaskDefinition
) -> tuple[str, MaintenanceWindowTaskDetails]:
    """Register ``definition`` in the window; return the new task's id and what get reports."""
    task_id = await mw.register_task_with_maintenance_window(window_id, definition)
    return task_id, await mw.get_maintenance_window_task(window_id, task_id)
