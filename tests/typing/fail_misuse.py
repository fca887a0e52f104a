"""Misuse that the type checkers must reject: every marked line must be an error."""

from __future__ import annotations

from ssm_mw import (
    CutoffBehavior,
    MaintenanceWindowClient,
    MaintenanceWindowTask,
    NotificationConfig,
    RunCommandParameters,
    Target,
    TaskDefinition,
    TaskFilter,
    TaskUpdate,
    UnknownInvocationParameters,
    set_cutoff_behavior,
    to_botocore,
)
from ssm_mw.testing import EmbeddedSSMServer, MaintenanceWindowClientFactory


async def misuse(mw: MaintenanceWindowClient, task: MaintenanceWindowTask) -> None:
    TaskDefinition(task_arn="x", cutoff_behavior="STOP")  # E: not one of the values
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


async def misuse_of_the_new_surface(
    mw: MaintenanceWindowClient, server: EmbeddedSSMServer, factory: MaintenanceWindowClientFactory
) -> None:
    TaskUpdate(cutoff_behavior="cancel_task")  # E: the values are case-sensitive
    TaskDefinition(task_arn="x", task_type="SCRIPT")  # E: not a task type
    TaskFilter.task_type("lambda")  # E
    NotificationConfig(notification_events=("Nope",))  # E
    RunCommandParameters(document_hash_type="MD5")  # E
    to_botocore(42)  # E: not a model
    to_botocore({"Priority": 1})  # E: a dict is not a model
    MaintenanceWindowClient(session="ops", config=42)  # E: typed against the stubs
    MaintenanceWindowClient.from_client("ssm")  # E: an SSMClient, not a str
    MaintenanceWindowClient(retry_mode="fast")  # E: not a retry mode
    MaintenanceWindowClient(max_attempts="3")  # E
    ssm = await mw.aiobotocore_client()
    await ssm.no_such_operation()  # E: the stubs know SSM's operations
    server.inject_fault("GetMaintenanceWindowTask", "X", times="twice")  # E
    factory(endpoint_url="http://x")  # E: the factory binds the server's endpoint
    await set_cutoff_behavior(mw, ["mw-0123456789abcdef0"], "STOP")  # E: not a behavior
    await set_cutoff_behavior(mw, [], "CANCEL_TASK", task_type="SCRIPT")  # E: not a type
