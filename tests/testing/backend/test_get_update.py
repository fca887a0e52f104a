"""Conformance: GetMaintenanceWindowTask and UpdateMaintenanceWindowTask."""

from __future__ import annotations

from typing import Any

import pytest

from support.conformance import MODEL, Wire, fails_with, register, run_command_task

UNKNOWN_WINDOW = "mw-0123456789abcdef0"
UNKNOWN_TASK = "00000000-0000-4000-8000-000000000000"


async def _get(ssm: Any, window_id: str, task_id: str) -> dict[str, Any]:
    got = dict(await ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task_id))
    got.pop("ResponseMetadata")
    return got


async def test_get_returns_every_stored_member(ssm: Any, maintenance_window_id: str) -> None:
    """Get returns every stored member: TaskType, TaskInvocationParameters, CutoffBehavior, …"""
    request = run_command_task(
        maintenance_window_id,
        CutoffBehavior="CONTINUE_TASK",
        AlarmConfiguration={"Alarms": [{"Name": "alarm"}]},
        Name="nightly",
    )
    task_id = str((await ssm.register_task_with_maintenance_window(**request))["WindowTaskId"])
    assert await _get(ssm, maintenance_window_id, task_id) == {
        **request,
        "WindowTaskId": task_id,
        "TaskParameters": {},  # reported when none were given (fidelity F11)
    }


@pytest.mark.parametrize("unknown", ["window", "task"])
@pytest.mark.parametrize("operation", ["get", "update"])
async def test_get_and_update_of_unknown(
    ssm: Any, maintenance_window_id: str, operation: str, unknown: str
) -> None:
    """Get or update of an unknown window or task fails with DoesNotExistException."""
    task_id = await register(ssm, maintenance_window_id)
    ids = {
        "WindowId": UNKNOWN_WINDOW if unknown == "window" else maintenance_window_id,
        "WindowTaskId": UNKNOWN_TASK if unknown == "task" else task_id,
    }
    if operation == "get":
        call = ssm.get_maintenance_window_task(**ids)
    else:
        call = ssm.update_maintenance_window_task(**ids, Priority=1)
    await fails_with("DoesNotExistException", call)


async def test_get_task_from_another_window(
    ssm: Any, ssm_server: Any, maintenance_window_id: str
) -> None:
    """A task is found only in its own window."""
    task_id = await register(ssm, maintenance_window_id)
    other_window = ssm_server.create_maintenance_window(name="other")
    await fails_with(
        "DoesNotExistException",
        ssm.get_maintenance_window_task(WindowId=other_window, WindowTaskId=task_id),
    )


async def test_partial_update_changes_only_sent_members(
    ssm: Any, maintenance_window_id: str
) -> None:
    """Without Replace, only the members sent change; the others keep their values."""
    request = run_command_task(maintenance_window_id, Name="before", Description="kept")
    task_id = str((await ssm.register_task_with_maintenance_window(**request))["WindowTaskId"])
    await ssm.update_maintenance_window_task(
        WindowId=maintenance_window_id,
        WindowTaskId=task_id,
        Name="after",
        Priority=7,
        CutoffBehavior="CANCEL_TASK",
        AlarmConfiguration={"Alarms": [{"Name": "new-alarm"}]},
    )
    assert await _get(ssm, maintenance_window_id, task_id) == {
        **request,
        "WindowTaskId": task_id,
        "TaskParameters": {},
        "Name": "after",
        "Priority": 7,
        "CutoffBehavior": "CANCEL_TASK",
        "AlarmConfiguration": {"Alarms": [{"Name": "new-alarm"}]},
    }


async def test_replace_clears_members_not_sent(ssm: Any, maintenance_window_id: str) -> None:
    """With Replace=True, members not sent are cleared and TaskType is kept."""
    task_id = await register(
        ssm,
        maintenance_window_id,
        Name="before",
        Description="dropped",
        CutoffBehavior="CANCEL_TASK",
        AlarmConfiguration={"Alarms": [{"Name": "alarm"}]},
    )
    targets = [{"Key": "InstanceIds", "Values": ["i-0471e04240d5e6f70"]}]
    await ssm.update_maintenance_window_task(
        WindowId=maintenance_window_id,
        WindowTaskId=task_id,
        Replace=True,
        TaskArn="AWS-RunPowerShellScript",
        Priority=2,
        Targets=targets,
        MaxConcurrency="1",
        MaxErrors="1",
    )
    assert await _get(ssm, maintenance_window_id, task_id) == {
        "WindowId": maintenance_window_id,
        "WindowTaskId": task_id,
        "TaskArn": "AWS-RunPowerShellScript",
        "TaskType": "RUN_COMMAND",
        "TaskParameters": {},
        "Priority": 2,
        "Targets": targets,
        "MaxConcurrency": "1",
        "MaxErrors": "1",
    }


async def test_replace_with_targets_needs_max_concurrency_and_errors(
    ssm: Any, maintenance_window_id: str
) -> None:
    """Replace=True with Targets but without MaxConcurrency is a ValidationException."""
    task_id = await register(ssm, maintenance_window_id)
    await fails_with(
        "ValidationException",
        ssm.update_maintenance_window_task(
            WindowId=maintenance_window_id,
            WindowTaskId=task_id,
            Replace=True,
            TaskArn="AWS-RunShellScript",
            Priority=1,
            Targets=[{"Key": "InstanceIds", "Values": ["i-0471e04240d5e6f70"]}],
            MaxErrors="1",
        ),
    )


async def test_replace_without_task_arn_is_rejected(ssm: Any, maintenance_window_id: str) -> None:
    """Replace=True without TaskArn is a ValidationException and changes nothing."""
    task_id = await register(ssm, maintenance_window_id, Name="kept")
    before = await _get(ssm, maintenance_window_id, task_id)
    await fails_with(
        "ValidationException",
        ssm.update_maintenance_window_task(
            WindowId=maintenance_window_id, WindowTaskId=task_id, Replace=True, Priority=9
        ),
    )
    assert await _get(ssm, maintenance_window_id, task_id) == before


async def test_update_with_the_wrong_variant_is_rejected(
    ssm: Any, maintenance_window_id: str
) -> None:
    """An update whose invocation variant mismatches the task type is a ValidationException."""
    task_id = await register(ssm, maintenance_window_id)
    before = await _get(ssm, maintenance_window_id, task_id)
    await fails_with(
        "ValidationException",
        ssm.update_maintenance_window_task(
            WindowId=maintenance_window_id,
            WindowTaskId=task_id,
            TaskInvocationParameters={"Lambda": {"Payload": b"{}"}},
        ),
    )
    assert await _get(ssm, maintenance_window_id, task_id) == before
    await ssm.update_maintenance_window_task(
        WindowId=maintenance_window_id,
        WindowTaskId=task_id,
        TaskInvocationParameters={"RunCommand": {"Comment": "changed"}},
    )
    after = await _get(ssm, maintenance_window_id, task_id)
    assert after["TaskInvocationParameters"] == {"RunCommand": {"Comment": "changed"}}


async def test_update_response_follows_the_output_shape(
    ssm: Any, maintenance_window_id: str, wire: Wire
) -> None:
    """The Update response holds the stored members of the output shape, and no TaskType."""
    task_id = await register(
        ssm, maintenance_window_id, CutoffBehavior="CANCEL_TASK", Description="desc"
    )
    response = dict(
        await ssm.update_maintenance_window_task(
            WindowId=maintenance_window_id, WindowTaskId=task_id, Priority=5
        )
    )
    response.pop("ResponseMetadata")
    stored = await _get(ssm, maintenance_window_id, task_id)
    del stored["TaskType"]
    assert response == stored
    raw = wire.last("UpdateMaintenanceWindowTask")
    assert "TaskType" not in raw
    assert set(raw) <= set(MODEL.shape_for("UpdateMaintenanceWindowTaskResult").members)
    assert raw["Priority"] == 5


async def test_update_checks_model_constraints(raw_ssm: Any, maintenance_window_id: str) -> None:
    """An update that breaks a model constraint is a ValidationException."""
    task_id = await register(raw_ssm, maintenance_window_id)
    await fails_with(
        "ValidationException",
        raw_ssm.update_maintenance_window_task(
            WindowId=maintenance_window_id, WindowTaskId=task_id, CutoffBehavior="NEVER"
        ),
    )
