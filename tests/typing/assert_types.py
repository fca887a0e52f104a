"""What the type checkers must infer for user code (checked by mypy and pyright, not run)."""

from __future__ import annotations

from typing import Any, Literal

import attrs
from aiobotocore.session import AioSession
from botocore.exceptions import ClientError
from types_aiobotocore_ssm import SSMClient
from typing_extensions import assert_type

from ssm_mw import (
    AutomationParameters,
    CutoffBehavior,
    DocumentHashType,
    LambdaParameters,
    MaintenanceWindowClient,
    MaintenanceWindowTask,
    MaintenanceWindowTaskDetails,
    NotificationConfig,
    NotificationEvent,
    NotificationType,
    RunCommandParameters,
    ServiceError,
    ServiceValidationError,
    Target,
    TaskDefinition,
    TaskFilter,
    TaskInvocationParameters,
    TaskPage,
    TaskPaginator,
    TaskType,
    TaskUpdate,
    UnknownInvocationParameters,
    ValidationError,
    from_botocore,
    to_botocore,
)
from ssm_mw.testing import EmbeddedSSMServer, MaintenanceWindowClientFactory


def definitions() -> None:
    d = TaskDefinition(
        task_arn="AWS-RunShellScript",
        task_invocation_parameters=RunCommandParameters(parameters={"commands": ("uptime",)}),
        targets=(Target.instances("i-1"),),
        cutoff_behavior=CutoffBehavior.CANCEL_TASK,
    )
    assert_type(d.task_type, TaskType)
    assert_type(d.task_invocation_parameters, TaskInvocationParameters | None)
    assert_type(d.cutoff_behavior, CutoffBehavior | None)
    assert_type(d.targets, tuple[Target, ...] | None)
    # A window task takes only these two target keys (docs/fidelity.md, F1).
    assert_type(Target.window_targets("id").key, Literal["InstanceIds", "WindowTargetIds"] | None)
    Target(key="InstanceIds", values=("i-0123456789abcdef0",))
    assert_type(attrs.evolve(d, priority=3), TaskDefinition)
    assert_type(RunCommandParameters.task_type, TaskType)
    assert_type(LambdaParameters(payload=b"{}").payload, bytes | None)
    assert_type(AutomationParameters().parameters, dict[str, tuple[str, ...]] | None)
    assert_type(TaskFilter.task_type(TaskType.LAMBDA), TaskFilter)
    assert_type(to_botocore(d), dict[str, Any])


def conversion(data: dict[str, object]) -> None:
    assert_type(from_botocore(data, MaintenanceWindowTaskDetails), MaintenanceWindowTaskDetails)
    assert_type(from_botocore(data, TaskPage), TaskPage)


async def client(mw: MaintenanceWindowClient) -> None:
    page = await mw.describe_maintenance_window_tasks("mw-0123456789abcdef0")
    assert_type(page, TaskPage)
    assert_type(page.tasks, tuple[MaintenanceWindowTask, ...])
    assert_type(page.next_token, str | None)
    paginator = mw.paginate_maintenance_window_tasks("mw-0123456789abcdef0", page_size=50)
    assert_type(paginator, TaskPaginator)
    async for task in paginator:
        assert_type(task, MaintenanceWindowTask)
        assert_type(task.task_type, TaskType | None)
    async for p in mw.paginate_maintenance_window_tasks("mw-0123456789abcdef0").pages():
        assert_type(p, TaskPage)
    details = await mw.get_maintenance_window_task("mw-0123456789abcdef0", "id")
    assert_type(details, MaintenanceWindowTaskDetails)
    params = details.task_invocation_parameters
    assert_type(params, TaskInvocationParameters | UnknownInvocationParameters | None)
    if isinstance(params, LambdaParameters):
        assert_type(params.payload, bytes | None)
    task_id = await mw.register_task_with_maintenance_window(
        "mw-0123456789abcdef0", TaskDefinition(task_arn="x", task_type=TaskType.AUTOMATION)
    )
    assert_type(task_id, str)
    updated = await mw.update_maintenance_window_task(
        "mw-0123456789abcdef0", task_id, TaskUpdate(priority=1), replace=False
    )
    assert_type(updated, MaintenanceWindowTaskDetails)


def errors(exc: ServiceError, bad: ValidationError) -> None:
    assert_type(exc.code, str)
    assert_type(exc.http_status, int | None)
    assert_type(bad.paths, tuple[str, ...])


def enum_strings() -> None:
    """The service's string values are accepted wherever an enum is, and read back as members."""
    d = TaskDefinition(task_arn="x", task_type="LAMBDA", cutoff_behavior="CANCEL_TASK")
    assert_type(d.task_type, TaskType)
    assert_type(d.cutoff_behavior, CutoffBehavior | None)
    assert_type(TaskUpdate(cutoff_behavior="CONTINUE_TASK").cutoff_behavior, CutoffBehavior | None)
    assert_type(TaskFilter.task_type("LAMBDA", TaskType.AUTOMATION), TaskFilter)
    params = RunCommandParameters(
        document_hash_type="Sha256",
        notification_config=NotificationConfig(
            notification_events=("Failed", NotificationEvent.TIMED_OUT), notification_type="Command"
        ),
    )
    assert_type(params.document_hash_type, DocumentHashType | None)
    config = params.notification_config
    if config is not None:
        assert_type(config.notification_events, tuple[NotificationEvent, ...] | None)
        assert_type(config.notification_type, NotificationType | None)


async def options_and_stubs(ssm: SSMClient, server: EmbeddedSSMServer) -> None:
    """boto3-style options; the client typed against types-aiobotocore-ssm."""
    mw = MaintenanceWindowClient(
        profile_name="ops",
        region_name="eu-west-1",
        max_attempts=1,
        retry_mode="standard",
        connect_timeout=2,
        read_timeout=1.5,
        max_pool_connections=16,
    )
    MaintenanceWindowClient(aws_access_key_id="a", aws_secret_access_key="b", aws_session_token="c")
    MaintenanceWindowClient(session=server.aio_session(), endpoint_url=server.endpoint_url)
    assert_type(server.aio_session(), AioSession)
    assert_type(MaintenanceWindowClient.from_client(ssm), MaintenanceWindowClient)
    assert_type(await mw.aiobotocore_client(), SSMClient)
    factory = MaintenanceWindowClientFactory(server)
    assert_type(factory(max_attempts=1, read_timeout=0.5), MaintenanceWindowClient)
    server.inject_fault("GetMaintenanceWindowTask", "ThrottlingException", times="default")
    server.inject_fault(None, "ThrottlingException", times=None, probability=0.5)


def service_errors(exc: ServiceError, invalid: ServiceValidationError) -> None:
    """A ServiceError is a botocore ClientError too."""
    as_botocore: ClientError = exc
    assert_type(as_botocore.operation_name, str)
    assert_type(invalid.code, str)
