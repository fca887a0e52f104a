"""Example tasks, one per task type: complete models, and simple ones for the commands to work on.

The complete ones (``RUN_COMMAND``, ``AUTOMATION``, ...) set every member; the
simple ones (:func:`run_command`, :func:`automation`, ...) take a
CutoffBehavior, for the command-line tests.
"""

from __future__ import annotations

from typing import Any

from ssm_mw import (
    Alarm,
    AlarmConfiguration,
    AutomationParameters,
    CloudWatchOutputConfig,
    CutoffBehavior,
    DocumentHashType,
    LambdaParameters,
    LoggingInfo,
    NotificationConfig,
    NotificationEvent,
    NotificationType,
    RunCommandParameters,
    StepFunctionsParameters,
    Target,
    TaskDefinition,
    TaskParameterValueExpression,
)

ROLE = "arn:aws:iam::123456789012:role/MaintenanceWindowRole"
ALARMS = AlarmConfiguration(alarms=(Alarm(name="cpu-high"),), ignore_poll_alarm_failure=True)

RUN_COMMAND = TaskDefinition(
    task_arn="AWS-RunShellScript",
    task_invocation_parameters=RunCommandParameters(
        comment="patch the fleet",
        cloud_watch_output_config=CloudWatchOutputConfig(
            cloud_watch_log_group_name="/mw/patch", cloud_watch_output_enabled=True
        ),
        document_hash="a" * 64,
        document_hash_type=DocumentHashType.SHA256,
        document_version="$LATEST",
        notification_config=NotificationConfig(
            notification_arn="arn:aws:sns:us-east-1:123456789012:mw",
            notification_events=(NotificationEvent.FAILED, NotificationEvent.TIMED_OUT),
            notification_type=NotificationType.COMMAND,
        ),
        output_s3_bucket_name="mw-output",
        output_s3_key_prefix="patch/",
        parameters={"commands": ("yum -y update", "reboot")},
        service_role_arn=ROLE,
        timeout_seconds=600,
    ),
    targets=(
        Target.window_targets(
            "3d0a5b3c-8f1e-4c2a-9b7d-0e6f5a4b3c2d", "7b1c9e2f-4a6d-4e8b-a3c5-1f2e3d4c5b6a"
        ),
    ),
    service_role_arn=ROLE,
    task_parameters={"level": TaskParameterValueExpression(values=("full",))},
    priority=1,
    max_concurrency="10%",
    max_errors="1",
    logging_info=LoggingInfo(s3_bucket_name="mw-logs", s3_region="us-east-1", s3_key_prefix="x/"),
    name="patch-linux",
    description="Patches Linux hosts",
    cutoff_behavior=CutoffBehavior.CANCEL_TASK,
    alarm_configuration=ALARMS,
)

#: ``RUN_COMMAND`` as botocore's register request holds it (``to_botocore(RUN_COMMAND)``),
#: written out: a full, valid Run Command request of every member.
RUN_COMMAND_WIRE: dict[str, Any] = {
    "TaskArn": "AWS-RunShellScript",
    "TaskType": "RUN_COMMAND",
    "TaskInvocationParameters": {
        "RunCommand": {
            "Comment": "patch the fleet",
            "CloudWatchOutputConfig": {
                "CloudWatchLogGroupName": "/mw/patch",
                "CloudWatchOutputEnabled": True,
            },
            "DocumentHash": "a" * 64,
            "DocumentHashType": "Sha256",
            "DocumentVersion": "$LATEST",
            "NotificationConfig": {
                "NotificationArn": "arn:aws:sns:us-east-1:123456789012:mw",
                "NotificationEvents": ["Failed", "TimedOut"],
                "NotificationType": "Command",
            },
            "OutputS3BucketName": "mw-output",
            "OutputS3KeyPrefix": "patch/",
            "Parameters": {"commands": ["yum -y update", "reboot"]},
            "ServiceRoleArn": "arn:aws:iam::123456789012:role/MaintenanceWindowRole",
            "TimeoutSeconds": 600,
        }
    },
    "Targets": [
        {
            "Key": "WindowTargetIds",
            "Values": [
                "3d0a5b3c-8f1e-4c2a-9b7d-0e6f5a4b3c2d",
                "7b1c9e2f-4a6d-4e8b-a3c5-1f2e3d4c5b6a",
            ],
        }
    ],
    "ServiceRoleArn": "arn:aws:iam::123456789012:role/MaintenanceWindowRole",
    "TaskParameters": {"level": {"Values": ["full"]}},
    "Priority": 1,
    "MaxConcurrency": "10%",
    "MaxErrors": "1",
    "LoggingInfo": {"S3BucketName": "mw-logs", "S3Region": "us-east-1", "S3KeyPrefix": "x/"},
    "Name": "patch-linux",
    "Description": "Patches Linux hosts",
    "CutoffBehavior": "CANCEL_TASK",
    "AlarmConfiguration": {"IgnorePollAlarmFailure": True, "Alarms": [{"Name": "cpu-high"}]},
}

AUTOMATION = TaskDefinition(
    task_arn="AWS-RestartEC2Instance",
    task_invocation_parameters=AutomationParameters(
        document_version="$DEFAULT", parameters={"InstanceId": ("{{RESOURCE_ID}}",)}
    ),
    targets=(Target.instances("i-0123456789abcdef0"),),
    priority=2,
    max_concurrency="2",
    max_errors="0",
    name="restart",
    cutoff_behavior=CutoffBehavior.CONTINUE_TASK,
)

STEP_FUNCTIONS = TaskDefinition(
    task_arn="arn:aws:states:us-east-1:123456789012:stateMachine:drain",
    task_invocation_parameters=StepFunctionsParameters(input='{"drain": true}', name="drain-run"),
    priority=3,
    name="drain",
    cutoff_behavior=CutoffBehavior.CANCEL_TASK,
)

LAMBDA = TaskDefinition(
    task_arn="arn:aws:lambda:us-east-1:123456789012:function:notify",
    task_invocation_parameters=LambdaParameters(
        client_context="eyJjdXN0b20iOnt9fQ==", qualifier="$LATEST", payload=b'{"notify": 1}'
    ),
    priority=4,
    name="notify",
    cutoff_behavior=CutoffBehavior.CONTINUE_TASK,
    alarm_configuration=ALARMS,
)

ALL_TYPES = (RUN_COMMAND, AUTOMATION, STEP_FUNCTIONS, LAMBDA)


# -- simple tasks, with a CutoffBehavior ---------------------------------------------

LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate-logs"
#: The payload of :func:`lambda_task`: it must never be printed.
SECRET = "s3cr3t-payload"


def run_command(
    cutoff: CutoffBehavior | None = None, *, name: str | None = None, priority: int | None = None
) -> TaskDefinition:
    """A RUN_COMMAND task on two instances."""
    return TaskDefinition(
        task_arn="AWS-RunShellScript",
        task_invocation_parameters=RunCommandParameters(
            parameters={"commands": ("uptime",)}, timeout_seconds=600
        ),
        targets=(Target.instances("i-0123456789abcdef0"),),
        max_concurrency="2",
        max_errors="1",
        cutoff_behavior=cutoff,
        name=name,
        priority=priority,
    )


def automation(cutoff: CutoffBehavior | None = None) -> TaskDefinition:
    """An AUTOMATION task without targets."""
    return TaskDefinition(
        task_arn="AWS-RestartEC2Instance",
        task_invocation_parameters=AutomationParameters(document_version="$DEFAULT"),
        cutoff_behavior=cutoff,
    )


def step_functions(cutoff: CutoffBehavior | None = None) -> TaskDefinition:
    """A STEP_FUNCTIONS task."""
    return TaskDefinition(
        task_arn="arn:aws:states:us-east-1:123456789012:stateMachine:report",
        task_invocation_parameters=StepFunctionsParameters(input='{"a": 1}'),
        cutoff_behavior=cutoff,
    )


def lambda_task(cutoff: CutoffBehavior | None = None) -> TaskDefinition:
    """A LAMBDA task whose payload is a secret."""
    return TaskDefinition(
        task_arn=LAMBDA_ARN,
        task_invocation_parameters=LambdaParameters(payload=SECRET.encode()),
        cutoff_behavior=cutoff,
        name="rotate-logs",
    )
