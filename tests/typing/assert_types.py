"""What the type checkers must infer for user code (checked by mypy and pyright, not run)."""

from __future__ import annotations

from typing import Any, Literal

import attrs
from typing_extensions import assert_type

from ssm_mw import (
    AutomationParameters,
    CutoffBehavior,
    LambdaParameters,
    MaintenanceWindowClient,
    MaintenanceWindowTask,
    MaintenanceWindowTaskDetails,
    RunCommandParameters,
    ServiceError,
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
