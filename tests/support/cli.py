"""Running ``ssm-mw`` in-process against the embedded backend, and what its tests check.

* The ``aws_env`` and ``run`` fixtures (the conftests of ``tests/cli`` and
  ``tests/plan`` import both from here).
* Tasks for the commands to work on, one per task type.
* :func:`assert_error_line`: a failed run's one ``error:`` line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ssm_mw import (
    AutomationParameters,
    CutoffBehavior,
    LambdaParameters,
    RunCommandParameters,
    StepFunctionsParameters,
    Target,
    TaskDefinition,
)
from ssm_mw.cli import cli
from ssm_mw.testing import EmbeddedSSMServer
from support.aws_env import hermetic_aws_env

__all__ = [
    "ANSI",
    "LAMBDA_ARN",
    "MISSING_WINDOW",
    "SECRET",
    "Run",
    "assert_error_line",
    "automation",
    "aws_env",
    "lambda_task",
    "run",
    "run_command",
    "step_functions",
]

#: The ``run`` fixture: ``run(*args, input=None, env=None, server=True) -> Result``.
Run = Callable[..., Result]

#: A window id that the server has never made.
MISSING_WINDOW = "mw-00000000000000000"
#: The start of an ANSI escape sequence (colour, cursor movement).
ANSI = re.compile(r"\x1b\[")
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate-logs"
#: The payload of :func:`lambda_task`: it must never be printed.
SECRET = "s3cr3t-payload"


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """Dummy credentials, no config files, no instance metadata: nothing real is reachable."""
    return hermetic_aws_env(monkeypatch, tmp_path)


@pytest.fixture
def run(ssm_server: EmbeddedSSMServer, aws_env: dict[str, str]) -> Run:
    """Run ``ssm-mw --endpoint-url URL --region R ARGS...`` in-process; return click's Result.

    ``server=False`` leaves out the endpoint and Region; ``env`` sets (or, with ``None``
    values, unsets) variables for the one run.
    """

    def invoke(
        *args: str,
        input: str | None = None,
        env: Mapping[str, str | None] | None = None,
        server: bool = True,
    ) -> Result:
        prefix = ["--endpoint-url", ssm_server.endpoint_url, "--region", ssm_server.region_name]
        argv = [*(prefix if server else []), *args]
        return CliRunner().invoke(cli, argv, input=input, env=env, catch_exceptions=False)

    return invoke


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
