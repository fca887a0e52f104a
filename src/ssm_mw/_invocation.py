"""Task invocation parameters: a tagged union of four variants.

In the botocore model, ``TaskInvocationParameters`` is one structure with four
optional members. Here it is a real union: the class of the value *is* the
variant, and it decides the task's :class:`~ssm_mw.TaskType`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeAlias

import attrs

from ._enums import (
    DocumentHashType,
    NotificationEvent,
    NotificationType,
    TaskType,
    to_document_hash_type,
    to_notification_events,
    to_notification_type,
)
from ._fields import strict_fields
from ._public import publish_exported
from ._redact import redacted_repr

__all__ = [
    "AutomationParameters",
    "CloudWatchOutputConfig",
    "LambdaParameters",
    "NotificationConfig",
    "RunCommandParameters",
    "StepFunctionsParameters",
    "TaskInvocationParameters",
    "UnknownInvocationParameters",
]


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class CloudWatchOutputConfig:
    """Where Run Command sends its output in CloudWatch Logs."""

    cloud_watch_log_group_name: str | None = None
    cloud_watch_output_enabled: bool | None = None


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class NotificationConfig:
    """Amazon SNS notifications about command status changes."""

    notification_arn: str | None = None
    notification_events: tuple[NotificationEvent, ...] | None = attrs.field(
        default=None, converter=to_notification_events
    )
    notification_type: NotificationType | None = attrs.field(
        default=None, converter=to_notification_type
    )


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class RunCommandParameters:
    """Parameters of a ``RUN_COMMAND`` task.

    ``parameters`` (document parameter name to values) is sensitive: it never
    appears in ``repr()``. Example::

        RunCommandParameters(parameters={"commands": ("uptime",)}, timeout_seconds=600)
    """

    task_type: ClassVar[TaskType] = TaskType.RUN_COMMAND

    comment: str | None = None
    cloud_watch_output_config: CloudWatchOutputConfig | None = None
    document_hash: str | None = None
    document_hash_type: DocumentHashType | None = attrs.field(
        default=None, converter=to_document_hash_type
    )
    document_version: str | None = None
    notification_config: NotificationConfig | None = None
    output_s3_bucket_name: str | None = None
    output_s3_key_prefix: str | None = None
    parameters: dict[str, tuple[str, ...]] | None = attrs.field(default=None, repr=redacted_repr)
    service_role_arn: str | None = None
    timeout_seconds: int | None = None


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class AutomationParameters:
    """Parameters of an ``AUTOMATION`` task."""

    task_type: ClassVar[TaskType] = TaskType.AUTOMATION

    document_version: str | None = None
    parameters: dict[str, tuple[str, ...]] | None = None


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class StepFunctionsParameters:
    """Parameters of a ``STEP_FUNCTIONS`` task. ``input`` is sensitive."""

    task_type: ClassVar[TaskType] = TaskType.STEP_FUNCTIONS

    input: str | None = attrs.field(default=None, repr=redacted_repr)
    name: str | None = None


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class LambdaParameters:
    """Parameters of a ``LAMBDA`` task. ``payload`` (bytes) is sensitive."""

    task_type: ClassVar[TaskType] = TaskType.LAMBDA

    client_context: str | None = None
    qualifier: str | None = None
    payload: bytes | None = attrs.field(default=None, repr=redacted_repr)


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class UnknownInvocationParameters:
    """An invocation-parameters block this version cannot type.

    It stands for a block with no variant (``botocore_key is None``), with a
    variant this version does not know, or with more than one variant. It
    keeps the block as it came (``raw``), so it is written back unchanged.
    Only responses produce it; requests cannot send it.
    """

    task_type: ClassVar[None] = None

    botocore_key: str | None
    raw: Mapping[str, Any] = attrs.field(repr=redacted_repr)


#: The four invocation-parameter variants a request can carry.
TaskInvocationParameters: TypeAlias = (
    RunCommandParameters | AutomationParameters | StepFunctionsParameters | LambdaParameters
)

#: Every class a response's invocation parameters can be.
AnyInvocationParameters: TypeAlias = TaskInvocationParameters | UnknownInvocationParameters


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
