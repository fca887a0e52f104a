"""Plain strings where an enum is expected: the service's values work, anything else is named.

Driven as a boto3 user writes it, through the public API over real HTTP.
"""

from __future__ import annotations

import typing

import pytest

from ssm_mw import (
    CutoffBehavior,
    DocumentHashType,
    MaintenanceWindowClient,
    MaintenanceWindowTask,
    NotificationConfig,
    NotificationEvent,
    NotificationType,
    RunCommandParameters,
    Target,
    TaskDefinition,
    TaskFilter,
    TaskType,
    TaskUpdate,
    ValidationError,
    _enums,
    from_botocore,
    to_botocore,
)
from ssm_mw.testing import EmbeddedSSMServer

LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate-logs"


async def test_strings_register_update_and_filter_over_http(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """task_type="LAMBDA", cutoff_behavior="CANCEL_TASK", TaskFilter.task_type("LAMBDA")."""
    definition = TaskDefinition(task_type="LAMBDA", task_arn=LAMBDA_ARN)
    assert definition.task_type is TaskType.LAMBDA
    task_id = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, definition
    )
    updated = await mw_client.update_maintenance_window_task(
        maintenance_window_id, task_id, TaskUpdate(cutoff_behavior="CANCEL_TASK")
    )
    assert updated.cutoff_behavior is CutoffBehavior.CANCEL_TASK
    page = await mw_client.describe_maintenance_window_tasks(
        maintenance_window_id, filters=[TaskFilter.task_type("LAMBDA")]
    )
    assert [(t.window_task_id, t.task_type) for t in page.tasks] == [(task_id, TaskType.LAMBDA)]
    empty = await mw_client.describe_maintenance_window_tasks(
        maintenance_window_id, filters=[TaskFilter.task_type("RUN_COMMAND")]
    )
    assert empty.tasks == ()


async def test_run_command_enum_strings_go_over_the_wire(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """document_hash_type, notification_events and notification_type as strings."""
    params = RunCommandParameters(
        document_hash="a" * 64,
        document_hash_type="Sha256",
        notification_config=NotificationConfig(
            notification_arn="arn:aws:sns:us-east-1:123456789012:mw",
            notification_events=("Failed", NotificationEvent.TIMED_OUT),
            notification_type="Command",
        ),
    )
    definition = TaskDefinition(
        task_arn="AWS-RunShellScript",
        task_invocation_parameters=params,
        targets=(Target.instances("i-0123456789abcdef0"),),
        max_concurrency="1",
        max_errors="1",
    )
    task_id = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, definition
    )
    details = await mw_client.get_maintenance_window_task(maintenance_window_id, task_id)
    got = details.task_invocation_parameters
    assert isinstance(got, RunCommandParameters)
    assert got.document_hash_type is DocumentHashType.SHA256
    assert got.notification_config is not None
    assert got.notification_config.notification_events == (
        NotificationEvent.FAILED,
        NotificationEvent.TIMED_OUT,
    )
    assert got.notification_config.notification_type is NotificationType.COMMAND


@pytest.mark.parametrize(
    ("build", "path"),
    [
        (lambda: TaskUpdate(cutoff_behavior="STOP"), "cutoff_behavior"),
        (lambda: TaskDefinition(task_arn="x", task_type="lambda"), "task_type"),
        (lambda: TaskDefinition(task_arn="x", task_type=None), "task_type"),
        (lambda: TaskFilter.task_type("LAMBDA", "NOPE"), "task_types[1]"),
        (lambda: RunCommandParameters(document_hash_type="MD5"), "document_hash_type"),
        (lambda: NotificationConfig(notification_type=3), "notification_type"),
        (lambda: NotificationConfig(notification_events=("All", "Nope")), "notification_events[1]"),
        (lambda: NotificationConfig(notification_events="All"), "notification_events"),
        (lambda: TaskUpdate(cutoff_behavior=TaskType.LAMBDA), "cutoff_behavior"),
        (lambda: MaintenanceWindowTask(window_id="w", window_task_id="t", task_type="X"),
         "task_type"),
    ],
)  # fmt: skip
def test_a_value_that_is_not_the_services_raises_validation_error_naming_the_field(
    build: typing.Callable[[], object], path: str
) -> None:
    """Never an AttributeError: one ValidationError at the field's path, listing the values."""
    with pytest.raises(ValidationError) as caught:
        build()
    assert caught.value.paths == (path,)
    assert "is not one of" in str(caught.value) or "expected a tuple" in str(caught.value)


async def test_nothing_is_sent_for_a_bad_string(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """The error comes when the model is built, before any request."""
    with pytest.raises(ValidationError):
        await mw_client.update_maintenance_window_task(
            maintenance_window_id,
            "4f7ca192-7e9a-40fe-9192-5cb15EXAMPLE",
            TaskUpdate(cutoff_behavior="STOP"),  # type: ignore[arg-type]
        )
    assert ssm_server.request_count() == 0


def test_to_botocore_of_string_built_models() -> None:
    """to_botocore of a model built from strings is the wire dict (was an AttributeError)."""
    assert to_botocore(TaskDefinition(task_type="LAMBDA", task_arn=LAMBDA_ARN)) == {
        "TaskArn": LAMBDA_ARN,
        "TaskType": "LAMBDA",
    }
    assert to_botocore(TaskUpdate(cutoff_behavior="CONTINUE_TASK")) == {
        "CutoffBehavior": "CONTINUE_TASK"
    }


def test_unknown_values_from_the_service_still_parse() -> None:
    """Responses stay open: a value added later becomes a pseudo-member and round-trips."""
    data = {"WindowId": "w", "WindowTaskId": "t", "Type": "NEW_TYPE", "CutoffBehavior": "LATER"}
    task = from_botocore(data, MaintenanceWindowTask)
    assert task.task_type == "NEW_TYPE"
    assert not TaskType.is_known("NEW_TYPE")
    assert to_botocore(task) == data
    # A pseudo-member given on purpose is accepted by the model; request validation judges it.
    assert TaskUpdate(cutoff_behavior=CutoffBehavior("LATER")).cutoff_behavior == "LATER"


@pytest.mark.parametrize(
    ("converter", "cls"),
    [
        (_enums.to_task_type, TaskType),
        (_enums.to_optional_task_type, TaskType),
        (_enums.to_cutoff_behavior, CutoffBehavior),
        (_enums.to_document_hash_type, DocumentHashType),
        (_enums.to_notification_type, NotificationType),
        (_enums.to_notification_events, NotificationEvent),
    ],
)
def test_the_typed_strings_are_exactly_the_enum_values(
    converter: typing.Callable[..., object], cls: type[_enums.OpenEnum]
) -> None:
    """Each converter's Literal lists exactly its enum's values (what type checkers accept)."""
    hint = typing.get_type_hints(converter)["value"]
    literals: set[str] = set()

    def walk(t: object) -> None:
        if typing.get_origin(t) is typing.Literal:
            literals.update(typing.get_args(t))
        for arg in typing.get_args(t):
            if arg is not Ellipsis:
                walk(arg)

    walk(hint)
    assert literals == {m.value for m in cls}
