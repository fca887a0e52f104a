"""What a user would otherwise write: pydantic v2 models of the get response.

B1's second baseline. The models mirror the botocore shapes the way one would
write them by hand with pydantic: PascalCase aliases, frozen models, tuples
for lists, and the invocation parameters as one model with four optional
members (as botocore has it). The enums are ssm-mw's open enums, so unknown
values are kept on both sides, as ssm-mw does.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_pascal

from ssm_mw import (
    CutoffBehavior,
    DocumentHashType,
    NotificationEvent,
    NotificationType,
    TaskType,
)

__all__ = ["MaintenanceWindowTaskDetailsModel"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, alias_generator=to_pascal, populate_by_name=True)


class TargetModel(_Model):
    """A task target."""

    key: str | None = None
    values: tuple[str, ...] | None = None


class TaskParameterValueExpressionModel(_Model):
    """The values of one (deprecated) task parameter."""

    values: tuple[str, ...] | None = None


class CloudWatchOutputConfigModel(_Model):
    """Run Command output in CloudWatch Logs."""

    cloud_watch_log_group_name: str | None = None
    cloud_watch_output_enabled: bool | None = None


class NotificationConfigModel(_Model):
    """SNS notifications of Run Command."""

    notification_arn: str | None = None
    notification_events: tuple[NotificationEvent, ...] | None = None
    notification_type: NotificationType | None = None


class RunCommandParametersModel(_Model):
    """MaintenanceWindowRunCommandParameters."""

    comment: str | None = None
    cloud_watch_output_config: CloudWatchOutputConfigModel | None = None
    document_hash: str | None = None
    document_hash_type: DocumentHashType | None = None
    document_version: str | None = None
    notification_config: NotificationConfigModel | None = None
    output_s3_bucket_name: str | None = None
    output_s3_key_prefix: str | None = None
    parameters: dict[str, tuple[str, ...]] | None = None
    service_role_arn: str | None = None
    timeout_seconds: int | None = None


class AutomationParametersModel(_Model):
    """MaintenanceWindowAutomationParameters."""

    document_version: str | None = None
    parameters: dict[str, tuple[str, ...]] | None = None


class StepFunctionsParametersModel(_Model):
    """MaintenanceWindowStepFunctionsParameters."""

    input: str | None = None
    name: str | None = None


class LambdaParametersModel(_Model):
    """MaintenanceWindowLambdaParameters."""

    client_context: str | None = None
    qualifier: str | None = None
    payload: bytes | None = None


class TaskInvocationParametersModel(_Model):
    """MaintenanceWindowTaskInvocationParameters: four optional members."""

    run_command: RunCommandParametersModel | None = None
    automation: AutomationParametersModel | None = None
    step_functions: StepFunctionsParametersModel | None = None
    lambda_: LambdaParametersModel | None = Field(default=None, alias="Lambda")


class LoggingInfoModel(_Model):
    """LoggingInfo."""

    s3_bucket_name: str
    s3_key_prefix: str | None = None
    s3_region: str


class AlarmModel(_Model):
    """Alarm."""

    name: str


class AlarmConfigurationModel(_Model):
    """AlarmConfiguration."""

    ignore_poll_alarm_failure: bool | None = None
    alarms: tuple[AlarmModel, ...]


class MaintenanceWindowTaskDetailsModel(_Model):
    """GetMaintenanceWindowTaskResult."""

    window_id: str
    window_task_id: str
    targets: tuple[TargetModel, ...] | None = None
    task_arn: str | None = None
    service_role_arn: str | None = None
    task_type: TaskType | None = None
    task_parameters: dict[str, TaskParameterValueExpressionModel] | None = None
    task_invocation_parameters: TaskInvocationParametersModel | None = None
    priority: int | None = None
    max_concurrency: str | None = None
    max_errors: str | None = None
    logging_info: LoggingInfoModel | None = None
    name: str | None = None
    description: str | None = None
    cutoff_behavior: CutoffBehavior | None = None
    alarm_configuration: AlarmConfigurationModel | None = None
