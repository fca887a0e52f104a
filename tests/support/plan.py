"""The plan tests' tasks: every task type, every member set, secrets planted; reads of a plan."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from ssm_mw import (
    AutomationParameters,
    CutoffBehavior,
    DesiredState,
    LambdaParameters,
    Plan,
    PlanAction,
    RunCommandParameters,
    StepFunctionsParameters,
    Target,
    TaskDefinition,
    TaskParameterValueExpression,
)
from ssm_mw.testing import EmbeddedSSMServer
from support import examples
from support.clients import read_tasks

WINDOW_TARGET = "e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3"
INSTANCE = "i-0123456789abcdef0"

#: One secret per sensitive member, planted in the desired definitions.
SECRETS = {
    "Description": "zq-secret-description-1",
    "TaskParameters": "zq-secret-task-parameter-2",
    "TaskInvocationParameters.RunCommand.Parameters": "zq-secret-run-command-3",
    "TaskInvocationParameters.StepFunctions.Input": "zq-secret-step-input-4",
    "TaskInvocationParameters.Lambda.Payload": "zq-secret-lambda-payload-5",
}
#: Secrets that only the live tasks hold (planted by drift): never in a plan, a saved plan included.
LIVE_SECRETS = {key: value.replace("zq-secret", "zq-live") for key, value in SECRETS.items()}


def run_command_full(secret: dict[str, str] = SECRETS) -> TaskDefinition:
    """A RUN_COMMAND task with every member and every Run Command parameter set (no name).

    ``examples.RUN_COMMAND`` with the secrets planted and this module's window target.
    """
    base = examples.RUN_COMMAND
    params = base.task_invocation_parameters
    assert isinstance(params, RunCommandParameters)
    commands = (secret["TaskInvocationParameters.RunCommand.Parameters"], "reboot")
    return attrs.evolve(
        base,
        name=None,
        task_invocation_parameters=attrs.evolve(params, parameters={"commands": commands}),
        targets=(Target.window_targets(WINDOW_TARGET),),
        task_parameters={"level": TaskParameterValueExpression(values=(secret["TaskParameters"],))},
        description=secret["Description"],
    )


def automation_full(secret: dict[str, str] = SECRETS) -> TaskDefinition:
    """An AUTOMATION task on instances, every member set."""
    return TaskDefinition(
        task_arn="AWS-RestartEC2Instance",
        task_invocation_parameters=AutomationParameters(
            document_version="$DEFAULT", parameters={"InstanceId": ("{{RESOURCE_ID}}",)}
        ),
        targets=(Target.instances(INSTANCE),),
        service_role_arn=examples.ROLE,
        priority=2,
        max_concurrency="2",
        max_errors="0",
        description=secret["Description"],
        cutoff_behavior=CutoffBehavior.CONTINUE_TASK,
        alarm_configuration=examples.ALARMS,
    )


def step_functions_full(secret: dict[str, str] = SECRETS) -> TaskDefinition:
    """A targetless STEP_FUNCTIONS task, every member it can have set."""
    return TaskDefinition(
        task_arn="arn:aws:states:us-east-1:123456789012:stateMachine:drain",
        task_invocation_parameters=StepFunctionsParameters(
            input=f'{{"drain": "{secret["TaskInvocationParameters.StepFunctions.Input"]}"}}',
            name="drain-run",
        ),
        service_role_arn=examples.ROLE,
        priority=3,
        description=secret["Description"],
        cutoff_behavior=CutoffBehavior.CANCEL_TASK,
        alarm_configuration=examples.ALARMS,
    )


def lambda_full(secret: dict[str, str] = SECRETS) -> TaskDefinition:
    """A targetless LAMBDA task, every member it can have set."""
    payload = f'{{"notify": "{secret["TaskInvocationParameters.Lambda.Payload"]}"}}'
    return TaskDefinition(
        task_arn="arn:aws:lambda:us-east-1:123456789012:function:notify",
        task_invocation_parameters=LambdaParameters(
            client_context="eyJjdXN0b20iOnt9fQ==", qualifier="$LATEST", payload=payload.encode()
        ),
        service_role_arn=examples.ROLE,
        priority=4,
        description=secret["Description"],
        cutoff_behavior=CutoffBehavior.CONTINUE_TASK,
        alarm_configuration=examples.ALARMS,
    )


def automation_targetless() -> TaskDefinition:
    """A targetless AUTOMATION task with as little as possible set."""
    return TaskDefinition(
        task_arn="AWS-RestartEC2Instance",
        task_invocation_parameters=AutomationParameters(document_version="$DEFAULT"),
    )


def lambda_minimal() -> TaskDefinition:
    """A targetless LAMBDA task with only its ARN and type."""
    return TaskDefinition(
        task_arn="arn:aws:lambda:us-east-1:123456789012:function:minimal",
        task_type=LambdaParameters.task_type,
    )


#: name -> definition: the four types, full, and targetless ones with little set.
ALL_TASKS: dict[str, Callable[[], TaskDefinition]] = {
    "patch-linux": run_command_full,
    "restart-nodes": automation_full,
    "drain-queue": step_functions_full,
    "notify-team": lambda_full,
    "restart-targetless": automation_targetless,
    "lambda-minimal": lambda_minimal,
}


def desired(window_id: str, names: list[str] | None = None) -> DesiredState:
    """The desired state of one window holding the named tasks (default: all of them)."""
    chosen = names if names is not None else list(ALL_TASKS)
    return DesiredState(windows={window_id: {n: ALL_TASKS[n]() for n in chosen}})


def actions(plan: Plan) -> dict[str | None, PlanAction]:
    """Each task's action, by name."""
    return {t.name: t.action for t in plan.tasks}


def live_names(server: EmbeddedSSMServer, window_id: str) -> list[str | None]:
    """The names of the window's live tasks (from synchronous code)."""
    return [t.name for t in read_tasks(server, window_id)]
