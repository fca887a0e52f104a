"""DeregisterTaskFromMaintenanceWindow on the wire: the answer, and the errors AWS gives."""

from __future__ import annotations

from typing import Any

from support.conformance import fails_with, run_command_task


async def test_deregister_answers_both_ids_and_removes_the_task(
    ssm: Any, maintenance_window_id: str
) -> None:
    """The result holds WindowId and WindowTaskId; describe does not list the task."""
    task_id = (
        await ssm.register_task_with_maintenance_window(**run_command_task(maintenance_window_id))
    )["WindowTaskId"]
    answer = await ssm.deregister_task_from_maintenance_window(
        WindowId=maintenance_window_id, WindowTaskId=task_id
    )
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == {
        "WindowId": maintenance_window_id,
        "WindowTaskId": task_id,
    }
    listed = await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    assert listed["Tasks"] == []
    await fails_with(
        "DoesNotExistException",
        ssm.deregister_task_from_maintenance_window(
            WindowId=maintenance_window_id, WindowTaskId=task_id
        ),
    )


async def test_deregister_checks_the_request_against_the_model(raw_ssm: Any) -> None:
    """A malformed id is the server's ValidationException, before any lookup."""
    await fails_with(
        "ValidationException",
        raw_ssm.deregister_task_from_maintenance_window(WindowId="mw-1", WindowTaskId="x"),
    )
