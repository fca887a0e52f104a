"""Helpers of the command-line tests: tasks to work on, read back through the library."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from click.testing import Result

from ssm_mw import (
    AutomationParameters,
    CutoffBehavior,
    LambdaParameters,
    MaintenanceWindowClient,
    MaintenanceWindowTask,
    MaintenanceWindowTaskDetails,
    RunCommandParameters,
    StepFunctionsParameters,
    Target,
    TaskDefinition,
)
from ssm_mw.testing import EmbeddedSSMServer
from support.cli import Run as Run  # the tests import it from here too

T = TypeVar("T")

REGISTER = "RegisterTaskWithMaintenanceWindow"
UPDATE = "UpdateMaintenanceWindowTask"
DESCRIBE = "DescribeMaintenanceWindowTasks"
GET = "GetMaintenanceWindowTask"
MISSING_WINDOW = "mw-00000000000000000"
ANSI = re.compile(r"\x1b\[")
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate-logs"
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


def with_client(
    server: EmbeddedSSMServer, use: Callable[[MaintenanceWindowClient], Awaitable[T]]
) -> T:
    """Run ``use(client)`` with a fresh client on the server (from synchronous tests)."""

    async def main() -> T:
        async with MaintenanceWindowClient(
            region_name=server.region_name,
            endpoint_url=server.endpoint_url,
            session=server.aio_session(),
        ) as mw:
            return await use(mw)

    return asyncio.run(main())


def register(
    server: EmbeddedSSMServer, window_id: str, definitions: Sequence[TaskDefinition]
) -> list[str]:
    """Register the tasks; return their ids, in order."""

    async def use(mw: MaintenanceWindowClient) -> list[str]:
        return [await mw.register_task_with_maintenance_window(window_id, d) for d in definitions]

    return with_client(server, use)


def read_tasks(server: EmbeddedSSMServer, window_id: str) -> list[MaintenanceWindowTask]:
    """Every task of the window, as describe reports it."""

    async def use(mw: MaintenanceWindowClient) -> list[MaintenanceWindowTask]:
        return [t async for t in mw.paginate_maintenance_window_tasks(window_id)]

    return with_client(server, use)


def cutoffs(server: EmbeddedSSMServer, window_id: str) -> dict[str, CutoffBehavior | None]:
    """Each task's CutoffBehavior, by task id."""
    return {t.window_task_id: t.cutoff_behavior for t in read_tasks(server, window_id)}


def get_task(
    server: EmbeddedSSMServer, window_id: str, task_id: str
) -> MaintenanceWindowTaskDetails:
    """One task in full."""

    async def use(mw: MaintenanceWindowClient) -> MaintenanceWindowTaskDetails:
        return await mw.get_maintenance_window_task(window_id, task_id)

    return with_client(server, use)


def assert_error_line(result: Result, exit_code: int, *needles: str) -> str:
    """The run failed with ``exit_code`` and one ``error:`` line holding every needle."""
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith("error: "), line
    for needle in needles:
        assert needle in line, (needle, line)
    return line
