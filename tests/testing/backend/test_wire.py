"""Conformance: every response parses cleanly under the botocore model."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from support.conformance import Wire, register, run_command_task


def _assert_nothing_dropped(raw: Any, parsed: Any, path: str) -> None:
    """botocore kept every key of the raw JSON, at every level."""
    if isinstance(raw, dict):
        assert isinstance(parsed, dict), path
        assert set(raw) == set(parsed) - {"ResponseMetadata"}, path
        for key, value in raw.items():
            _assert_nothing_dropped(value, parsed[key], f"{path}.{key}")
    elif isinstance(raw, list):
        assert isinstance(parsed, list), path
        assert len(raw) == len(parsed), path
        for i, (raw_item, parsed_item) in enumerate(zip(raw, parsed, strict=True)):
            _assert_nothing_dropped(raw_item, parsed_item, f"{path}[{i}]")


async def test_every_operation_parses_without_loss(
    ssm: Any, maintenance_window_id: str, wire: Wire
) -> None:
    """For each operation botocore keeps every key of the raw body, and the body fits the model."""
    calls: list[tuple[str, Any]] = []
    await register(
        ssm,
        maintenance_window_id,
        TaskType="LAMBDA",
        TaskArn="fn",
        TaskInvocationParameters={"Lambda": {"Payload": b"\x00\x01", "Qualifier": "q"}},
    )
    registered = await ssm.register_task_with_maintenance_window(
        **run_command_task(
            maintenance_window_id,
            CutoffBehavior="CANCEL_TASK",
            AlarmConfiguration={"IgnorePollAlarmFailure": True, "Alarms": [{"Name": "a"}]},
            LoggingInfo={"S3BucketName": "bucket", "S3Region": "us-east-1"},
            TaskParameters={"p": {"Values": ["v"]}},
            Description="d",
            Name="name",
            ServiceRoleArn="arn:aws:iam::111122223333:role/r",
        )
    )
    task_id = registered["WindowTaskId"]
    calls.append(("RegisterTaskWithMaintenanceWindow", registered))
    calls.append(
        (
            "DescribeMaintenanceWindowTasks",
            await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id),
        )
    )
    calls.append(
        (
            "GetMaintenanceWindowTask",
            await ssm.get_maintenance_window_task(
                WindowId=maintenance_window_id, WindowTaskId=task_id
            ),
        )
    )
    calls.append(
        (
            "UpdateMaintenanceWindowTask",
            await ssm.update_maintenance_window_task(
                WindowId=maintenance_window_id, WindowTaskId=task_id, Priority=2
            ),
        )
    )
    for operation, parsed in calls:
        raw = wire.last(operation)
        _assert_nothing_dropped(raw, parsed, operation)
    wire.check_all()
    assert {name for name, _status, _body in wire.responses} == {
        "RegisterTaskWithMaintenanceWindow",
        "DescribeMaintenanceWindowTasks",
        "GetMaintenanceWindowTask",
        "UpdateMaintenanceWindowTask",
    }


@pytest.mark.parametrize(
    "call",
    [
        lambda ssm: ssm.describe_maintenance_window_tasks(WindowId="mw-0123456789abcdef0"),
        lambda ssm: ssm.get_maintenance_window_task(
            WindowId="mw-0123456789abcdef0",
            WindowTaskId="00000000-0000-4000-8000-000000000000",
        ),
    ],
    ids=["describe", "get"],
)
async def test_errors_use_the_json_error_format(ssm: Any, wire: Wire, call: Any) -> None:
    """Backend errors come as ``{"__type", "message"}`` with the x-amzn-ErrorType header."""
    with pytest.raises(ClientError) as caught:
        await call(ssm)
    (_name, status, body) = wire.responses[-1]
    assert status == 400
    assert body["__type"] == "DoesNotExistException"
    headers = caught.value.response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amzn-errortype"] == "DoesNotExistException"
    assert caught.value.response["Error"]["Message"]
    wire.check_all()
