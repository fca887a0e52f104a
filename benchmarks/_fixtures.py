"""The data the benchmarks work on: a full get response, a full task definition, pages.

"Full" means every member set: a RUN_COMMAND task with 10 document
parameters and every member of ``MaintenanceWindowRunCommandParameters``.
"""

from __future__ import annotations

import json
from typing import Any

from ssm_mw import (
    Alarm,
    AlarmConfiguration,
    CloudWatchOutputConfig,
    CutoffBehavior,
    DocumentHashType,
    LoggingInfo,
    NotificationConfig,
    NotificationEvent,
    NotificationType,
    RunCommandParameters,
    Target,
    TaskDefinition,
    TaskParameterValueExpression,
)

__all__ = [
    "CLIENT_TOKEN",
    "WINDOW_ID",
    "WINDOW_TASK_ID",
    "full_get_response",
    "full_get_response_body",
    "full_task_definition",
    "page_body",
    "task_summary",
]

WINDOW_ID = "mw-0c50858d01a0b1c2d"
WINDOW_TASK_ID = "4f7ca192-7e9a-40fe-9192-5cb15e0a1b2c"
CLIENT_TOKEN = "0d5c4d3c-7b6e-4a57-9a1b-3b0a6a2b9f10"

_PARAMETERS = {f"param{i}": [f"value-{i}-a", f"value-{i}-b"] for i in range(10)}


def full_get_response() -> dict[str, Any]:
    """A GetMaintenanceWindowTask result with every member set (RunCommand, 10 parameters)."""
    return {
        "WindowId": WINDOW_ID,
        "WindowTaskId": WINDOW_TASK_ID,
        "Targets": [
            {"Key": "WindowTargetIds", "Values": ["e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3"]},
            {"Key": "InstanceIds", "Values": ["i-0123456789abcdef0", "i-0fedcba9876543210"]},
        ],
        "TaskArn": "AWS-RunPatchBaseline",
        "ServiceRoleArn": "arn:aws:iam::111122223333:role/MaintenanceWindowsRole",
        "TaskType": "RUN_COMMAND",
        "TaskParameters": {
            "Operation": {"Values": ["Install"]},
            "RebootOption": {"Values": ["RebootIfNeeded"]},
        },
        "TaskInvocationParameters": {
            "RunCommand": {
                "Comment": "Patch the fleet",
                "CloudWatchOutputConfig": {
                    "CloudWatchLogGroupName": "/ssm/maintenance",
                    "CloudWatchOutputEnabled": True,
                },
                "DocumentHash": "a" * 64,
                "DocumentHashType": "Sha256",
                "DocumentVersion": "$DEFAULT",
                "NotificationConfig": {
                    "NotificationArn": "arn:aws:sns:us-east-1:111122223333:notify",
                    "NotificationEvents": ["Success", "Failed", "TimedOut"],
                    "NotificationType": "Command",
                },
                "OutputS3BucketName": "amzn-s3-demo-bucket",
                "OutputS3KeyPrefix": "maintenance/logs",
                "Parameters": _PARAMETERS,
                "ServiceRoleArn": "arn:aws:iam::111122223333:role/RunCommandRole",
                "TimeoutSeconds": 600,
            }
        },
        "Priority": 1,
        "MaxConcurrency": "10%",
        "MaxErrors": "1",
        "LoggingInfo": {
            "S3BucketName": "amzn-s3-demo-bucket",
            "S3KeyPrefix": "logs",
            "S3Region": "us-east-1",
        },
        "Name": "patch-fleet",
        "Description": "Patch every node in the fleet",
        "CutoffBehavior": "CANCEL_TASK",
        "AlarmConfiguration": {
            "IgnorePollAlarmFailure": False,
            "Alarms": [{"Name": "fleet-cpu-high"}],
        },
    }


def full_get_response_body() -> bytes:
    """The HTTP body (JSON 1.1) that :func:`full_get_response` is parsed from."""
    return json.dumps(full_get_response()).encode()


def full_task_definition() -> TaskDefinition:
    """A TaskDefinition with every member set (the register request of the get response)."""
    return TaskDefinition(
        task_arn="AWS-RunPatchBaseline",
        task_invocation_parameters=RunCommandParameters(
            comment="Patch the fleet",
            cloud_watch_output_config=CloudWatchOutputConfig(
                cloud_watch_log_group_name="/ssm/maintenance", cloud_watch_output_enabled=True
            ),
            document_hash="a" * 64,
            document_hash_type=DocumentHashType.SHA256,
            document_version="$DEFAULT",
            notification_config=NotificationConfig(
                notification_arn="arn:aws:sns:us-east-1:111122223333:notify",
                notification_events=(
                    NotificationEvent.SUCCESS,
                    NotificationEvent.FAILED,
                    NotificationEvent.TIMED_OUT,
                ),
                notification_type=NotificationType.COMMAND,
            ),
            output_s3_bucket_name="amzn-s3-demo-bucket",
            output_s3_key_prefix="maintenance/logs",
            parameters={k: tuple(v) for k, v in _PARAMETERS.items()},
            service_role_arn="arn:aws:iam::111122223333:role/RunCommandRole",
            timeout_seconds=600,
        ),
        targets=(
            Target.window_targets("e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3"),
            Target.instances("i-0123456789abcdef0", "i-0fedcba9876543210"),
        ),
        service_role_arn="arn:aws:iam::111122223333:role/MaintenanceWindowsRole",
        task_parameters={
            "Operation": TaskParameterValueExpression(values=("Install",)),
            "RebootOption": TaskParameterValueExpression(values=("RebootIfNeeded",)),
        },
        priority=1,
        max_concurrency="10%",
        max_errors="1",
        logging_info=LoggingInfo(
            s3_bucket_name="amzn-s3-demo-bucket", s3_key_prefix="logs", s3_region="us-east-1"
        ),
        name="patch-fleet",
        description="Patch every node in the fleet",
        cutoff_behavior=CutoffBehavior.CANCEL_TASK,
        alarm_configuration=AlarmConfiguration(
            alarms=(Alarm(name="fleet-cpu-high"),), ignore_poll_alarm_failure=False
        ),
    )


def task_summary(window_id: str, n: int) -> dict[str, Any]:
    """Task number ``n`` as describe lists it: a typical RUN_COMMAND task."""
    return {
        "WindowId": window_id,
        "WindowTaskId": f"{n:08x}-7e9a-40fe-9192-5cb15e000000",
        "TaskArn": "AWS-RunPatchBaseline",
        "Type": "RUN_COMMAND",
        "Targets": [{"Key": "WindowTargetIds", "Values": ["e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3"]}],
        "TaskParameters": {},
        "Priority": n % 5,
        "ServiceRoleArn": "arn:aws:iam::111122223333:role/MaintenanceWindowsRole",
        "MaxConcurrency": "10%",
        "MaxErrors": "1",
        "Name": f"patch-{n}",
        "Description": "Patch every node in the fleet",
        "CutoffBehavior": "CONTINUE_TASK",
    }


def page_body(window_id: str, page: int, pages: int, page_size: int) -> bytes:
    """The describe response body of page ``page`` (0-based) of ``pages``."""
    start = page * page_size
    result: dict[str, Any] = {
        "Tasks": [task_summary(window_id, start + i) for i in range(page_size)],
    }
    if page + 1 < pages:
        result["NextToken"] = f"page-{page + 1}"
    return json.dumps(result).encode()
