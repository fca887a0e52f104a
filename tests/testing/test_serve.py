"""One set of options for a served backend: ``python -m ssm_mw.testing`` and ``ssm-mw serve``."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections import Counter
from typing import Any

import click
import pytest
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore.exceptions import ClientError

from ssm_mw.cli._demo import serve
from ssm_mw.testing import SERVE_OPTIONS
from ssm_mw.testing.__main__ import _parser
from support.operations import DESCRIBE, REGISTER

#: Each command line of a served backend, as argv before its options.
COMMANDS = {
    "python -m ssm_mw.testing": [sys.executable, "-m", "ssm_mw.testing"],
    "ssm-mw serve": [sys.executable, "-m", "ssm_mw.cli", "serve"],
}


def test_both_command_lines_take_the_same_options() -> None:
    """The flags of argparse's parser and of click's command are SERVE_OPTIONS', no more."""
    table = {o.flag for o in SERVE_OPTIONS}
    parsed = {s for a in _parser()._actions for s in a.option_strings} - {"-h", "--help"}
    assert isinstance(serve, click.Command)
    params = serve.get_params(click.Context(serve))
    clicked = {s for p in params for s in p.opts} - {"-h", "--help"}
    assert parsed == table
    assert clicked == table


def _started(argv: list[str]) -> tuple[subprocess.Popen[str], str, list[str]]:
    """Start a served backend; its process, endpoint and the window ids it printed."""
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1
    )
    assert process.stdout is not None
    endpoint, windows = "", []
    while True:
        line = process.stdout.readline()
        assert line, process.communicate(timeout=30)
        key, _, value = line.strip().rpartition(" ")
        if value.startswith("http://"):
            endpoint = value
        elif value.startswith("mw-"):
            windows.append(value)
        if endpoint and (key.startswith("try") or len(windows) == 1):
            return process, endpoint, windows


async def _exercise(endpoint: str, window_id: str) -> Counter[str]:
    """Three describes and two registers; each answer's error code (or "ok")."""
    session = AioSession()
    session.set_credentials("testing", "testing")
    config = AioConfig(retries={"total_max_attempts": 1, "mode": "standard"})
    outcomes: Counter[str] = Counter()
    async with session.create_client(
        "ssm", region_name="eu-west-1", endpoint_url=endpoint, config=config
    ) as ssm:
        calls: list[tuple[str, Any]] = [
            (DESCRIBE, lambda: ssm.describe_maintenance_window_tasks(WindowId=window_id))
        ] * 3
        task = {
            "WindowId": window_id,
            "TaskArn": "arn:aws:lambda:eu-west-1:123456789012:function:f",
            "TaskType": "LAMBDA",
        }
        calls += [(REGISTER, lambda: ssm.register_task_with_maintenance_window(**task))] * 2
        for operation, call in calls:
            try:
                await call()
                outcomes[f"{operation} ok"] += 1
            except ClientError as exc:
                outcomes[f"{operation} {exc.response['Error']['Code']}"] += 1
    return outcomes


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_option_works_on_both_command_lines(command: str) -> None:
    """A throttled operation, a task quota of 1, a window, the Region, logged requests."""
    argv = [
        *COMMANDS[command],
        *("--windows", "1", "--region", "eu-west-1", "--max-tasks-per-window", "1"),
        *("--throttle", "0.01", "--throttle-burst", "2", "--throttle-operation", DESCRIBE),
        "--log-requests",
    ]
    process, endpoint, (window_id,) = _started(argv)
    try:
        outcomes = asyncio.run(_exercise(endpoint, window_id))
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert outcomes == {
        f"{DESCRIBE} ok": 2,
        f"{DESCRIBE} ThrottlingException": 1,
        f"{REGISTER} ok": 1,
        f"{REGISTER} ResourceLimitExceededException": 1,
    }
    assert err.count('"POST / HTTP/1.1"') >= sum(outcomes.values()), "each request is logged"
    assert "Traceback" not in err


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--throttle-burst", "2"], "--throttle-burst: needs --throttle RATE"),
        (["--throttle", "-3"], "expected a number > 0, got '-3'"),
    ],
    ids=["burst-without-rate", "negative-rate"],
)
def test_bad_options_are_the_same_usage_error(command: str, args: list[str], message: str) -> None:
    """A burst without a rate, a rate that is not a positive number: exit 2, the option
    named, nothing served, on both command lines."""
    result = subprocess.run([*COMMANDS[command], *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert message in result.stderr
    assert "--throttle" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
