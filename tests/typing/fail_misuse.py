"""Misuse that the type checkers must reject: every marked line must be an error."""

from __future__ import annotations

from ssm_mw import (
    CutoffBehavior,
    MaintenanceWindowClient,
    MaintenanceWindowTask,
    RunCommandParameters,
    Target,
    TaskDefinition,
    TaskUpdate,
    UnknownInvocationParameters,
)


async def misuse(mw: MaintenanceWindowClient, task: MaintenanceWindowTask) -> None:
    TaskDefinition(task_arn="x", cutoff_behavior="CANCEL_TASK")  # E: a str is not the enum
    TaskDefinition("AWS-RunShellScript")  # E: keyword-only
    d = TaskDefinition(task_arn="x", cutoff_behavior=CutoffBehavior.CANCEL_TASK)
    d.priority = 3  # E: frozen
    RunCommandParameters(parameters={"commands": ["uptime"]})  # E: lists are tuples
    await mw.register_task_with_maintenance_window("mw-0123456789abcdef0", TaskUpdate())  # E
    TaskDefinition(
        task_arn="x",
        task_invocation_parameters=UnknownInvocationParameters(botocore_key="X", raw={}),  # E
    )
    print(task.task_type.value)  # E: task_type may be None
    TaskUpdate(priority="1")  # E: priority is an int
    Target(key="tag:Env", values=("prod",))  # E: a window task takes no tag targets (F1)
    Target.tag("Env", "prod")  # E: no such constructor: a window task takes no tag targets
