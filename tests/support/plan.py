"""The plan tests' tasks (every type and member, secrets planted), reads of a plan, state files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs

from ssm_mw import (
    AutomationParameters,
    CutoffBehavior,
    DesiredState,
    LambdaParameters,
    MaintenanceWindowClient,
    Plan,
    PlanAction,
    RunCommandParameters,
    StepFunctionsParameters,
    Target,
    TaskDefinition,
    TaskParameterValueExpression,
    apply_plan,
    plan_tasks,
)
from ssm_mw.testing import EmbeddedSSMServer
from support import examples
from support.clients import read_tasks
from support.operations import REGISTER, UPDATE

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
    """A targetless AUTOMATION task with as little as possible set (and the priority that an
    update, a replace, needs: fidelity F10)."""
    return TaskDefinition(
        task_arn="AWS-RestartEC2Instance",
        task_invocation_parameters=AutomationParameters(document_version="$DEFAULT"),
        priority=5,
    )


def lambda_minimal() -> TaskDefinition:
    """A targetless LAMBDA task with only its ARN, type and priority (F10)."""
    return TaskDefinition(
        task_arn="arn:aws:lambda:us-east-1:123456789012:function:minimal",
        task_type=LambdaParameters.task_type,
        priority=6,
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


def window_task_ids(plan: Plan) -> dict[str | None, str | None]:
    """Each task's live id (None for a task to create), by name."""
    return {t.name: t.window_task_id for t in plan.tasks}


async def patch_linux_applied(mw: MaintenanceWindowClient, w: str) -> tuple[DesiredState, str]:
    """The desired state of "patch-linux" alone, applied; returns it and the live task's id."""
    state = desired(w, ["patch-linux"])
    await apply_plan(mw, state)
    task_id = window_task_ids(await plan_tasks(mw, state))["patch-linux"]
    assert task_id is not None
    return state, task_id


def live_names(server: EmbeddedSSMServer, window_id: str) -> list[str | None]:
    """The names of the window's live tasks (from synchronous code)."""
    return [t.name for t in read_tasks(server, window_id)]


# -- desired-state files for the command line ----------------------------------------------

#: The window id of the files below: :func:`state_file` puts the real window's id in its place.
STATE_WINDOW = "mw-0123456789abcdef0"


def state_file(tmp_path: Path, window_id: str, text: str, name: str = "tasks.yaml") -> str:
    """Write ``text`` to ``tmp_path / name``, for the window ``window_id``; return the path."""
    path = tmp_path / name
    path.write_text(text.replace(STATE_WINDOW, window_id), encoding="utf-8")
    return str(path)


_PAYLOAD = SECRETS["TaskInvocationParameters.Lambda.Payload"]
#: A desired-state file of two tasks, with secrets in the Lambda task's description and payload.
TWO_TASKS = f"""\
windows:
  {STATE_WINDOW}:
    nightly-patch:
      TaskArn: AWS-RunPatchBaseline
      TaskType: RUN_COMMAND
      Targets:
        - {{Key: WindowTargetIds, Values: [e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3]}}
      MaxConcurrency: "2"
      MaxErrors: "1"
      Priority: 1
      CutoffBehavior: CANCEL_TASK
      TaskInvocationParameters:
        RunCommand: {{TimeoutSeconds: 600, Parameters: {{Operation: [Install]}}}}
    notify:
      TaskArn: arn:aws:lambda:us-east-1:123456789012:function:notify
      TaskType: LAMBDA
      Priority: 2
      Description: {SECRETS["Description"]}
      TaskInvocationParameters: {{Lambda: {{Payload: '{{"x": "{_PAYLOAD}"}}'}}}}
"""


def write_count(server: EmbeddedSSMServer) -> int:
    """The registers and updates the server has received."""
    return server.request_count(REGISTER) + server.request_count(UPDATE)
