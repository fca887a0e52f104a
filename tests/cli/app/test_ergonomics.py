"""CLI ergonomics: one-line errors, usage errors, repeated options, timeouts, JSON ids."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from ssm_mw.cli import cli
from ssm_mw.cli._app import SingleValueCommand, SingleValueGroup
from ssm_mw.testing import EmbeddedSSMServer
from support.cli import Run, assert_error_line
from support.clients import read_tasks
from support.endpoints import html_endpoint, silent_endpoint
from support.operations import DESCRIBE, REGISTER

DEFINITION = {
    "TaskArn": "AWS-RestartEC2Instance",
    "TaskType": "AUTOMATION",
    "CutoffBehavior": "CANCEL_TASK",
}


def test_a_body_that_is_not_the_services_error_is_one_line(run: Run) -> None:
    """An HTML 404 from the endpoint: one line with status, content type and first bytes."""
    with html_endpoint() as url:
        result = run(
            "--endpoint-url", url, "--region", "us-east-1",
            "tasks", "list", "mw-0123456789abcdef0", server=False,
        )  # fmt: skip
    line = assert_error_line(result, 1, DESCRIBE, "HTTP 404", "text/html", "<!doctype html>")
    assert len(line) < 250


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_malformed_endpoint_url_is_a_usage_error(
    run: Run, ssm_server: EmbeddedSSMServer, where: str
) -> None:
    """--endpoint-url notaurl: exit 2 naming the option, before or after the command."""
    option = ["--endpoint-url", "notaurl"]
    command = ["tasks", "list", "mw-0123456789abcdef0"]
    args = [*option, *command] if where == "before" else [*command, *option]
    result = run("--region", "us-east-1", *args, server=False)
    assert_error_line(result, 2, "--endpoint-url", "'notaurl'")
    assert ssm_server.request_count() == 0


def test_a_repeated_file_is_refused_and_nothing_is_registered(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """`--file a.json --file b.json` is refused, not read as the last one: exit 2, nothing sent."""
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        path.write_text(json.dumps(DEFINITION))
    result = run("tasks", "register", window_id, "--file", str(first), "-f", str(second))
    assert_error_line(result, 2, "--file", "only once")
    assert ssm_server.request_count(REGISTER) == 0
    assert read_tasks(ssm_server, window_id) == []


@pytest.mark.parametrize(
    "args",
    [
        ["tasks", "list", "{w}", "-o", "json", "-o", "table"],
        ["tasks", "list", "{w}", "--output=json", "--output", "table"],
        ["tasks", "update", "{w}", "4f7ca192-7e9a-40fe-9192-5cb15EXAMPLE", "--priority", "1",
         "--priority", "2"],
        ["set-cutoff", "CANCEL_TASK", "{w}", "--concurrency", "1", "--concurrency", "2"],
        ["--profile", "a", "--profile", "b", "tasks", "list", "{w}"],
        ["tasks", "list", "{w}", "--read-timeout", "1", "--read-timeout", "2"],
        ["serve", "--port", "0", "--port", "1"],
    ],
    ids=["-o", "--output=", "update", "set-cutoff", "global", "late global", "serve"],
)  # fmt: skip
def test_a_repeated_single_value_option_is_a_usage_error(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, args: list[str]
) -> None:
    """Every single-value option of every command: a repeat is exit 2, and nothing is sent."""
    result = run(*(a.replace("{w}", window_id) for a in args))
    assert_error_line(result, 2, "only once")
    assert ssm_server.request_count() == 0


def test_options_that_may_repeat_still_do(run: Run, window_id: str) -> None:
    """--filter is multiple; a global option before and after the command is two places."""
    result = run(
        "tasks", "list", window_id, "--filter", "Priority=1", "--filter", "TaskType=LAMBDA",
        "--region", "us-east-1", "-o", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_every_command_rejects_repeated_options() -> None:
    """Each command and group of the tree is one of the classes that check repeats."""

    def walk(command: click.Command, path: str) -> list[str]:
        wrong = [] if isinstance(command, (SingleValueCommand, SingleValueGroup)) else [path]
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                wrong += walk(sub, f"{path} {name}")
        return wrong

    assert walk(cli, "ssm-mw") == []


def test_register_prints_json_with_output_json(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """`tasks register -o json` prints {"WindowTaskId": ...}, as the API answers."""
    result = run(
        "tasks", "register", window_id, "-f", "-", "-o", "json", input=json.dumps(DEFINITION)
    )
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert list(answer) == ["WindowTaskId"]
    assert [t.window_task_id for t in read_tasks(ssm_server, window_id)] == [answer["WindowTaskId"]]


def test_register_prints_the_id_alone_by_default(run: Run, window_id: str) -> None:
    """Without --output the id is alone on stdout (for `TASK_ID=$(...)`)."""
    result = run("tasks", "register", window_id, "-f", "-", input=json.dumps(DEFINITION))
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.strip().split()) == 1


def test_read_timeout_bounds_a_silent_endpoint(run: Run) -> None:
    """--read-timeout and --max-attempts against a socket that never answers: one line, exit 1."""
    with silent_endpoint() as url:
        result = run(
            "--endpoint-url", url, "--region", "us-east-1", "--connect-timeout", "2",
            "tasks", "list", "mw-0123456789abcdef0", "--read-timeout", "0.5", "--max-attempts", "1",
            server=False,
        )  # fmt: skip
    assert_error_line(result, 1, "Read timeout")


def test_max_attempts_sets_the_retry_budget(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """--max-attempts 1: a throttled request is not retried (the default would try 3 times)."""
    ssm_server.inject_fault(DESCRIBE, "ThrottlingException", times=None)
    result = run("tasks", "list", window_id, "--max-attempts", "1")
    assert_error_line(result, 1, "ThrottlingException")
    assert ssm_server.request_count(DESCRIBE) == 1


@pytest.mark.parametrize(
    ("option", "value"),
    [("--max-attempts", "0"), ("--read-timeout", "0"), ("--connect-timeout", "-1")],
)
def test_bad_timeouts_and_attempts_are_usage_errors(run: Run, option: str, value: str) -> None:
    """Out-of-range numbers: exit 2 naming the option."""
    assert_error_line(run(option, value, "tasks", "list", "mw-0123456789abcdef0"), 2, option)


def test_a_malformed_endpoint_from_the_environment_is_one_line(run: Run) -> None:
    """AWS_ENDPOINT_URL=notaurl (read by botocore, not an option): a usage error naming it."""
    result = run(
        "--region", "us-east-1", "tasks", "list", "mw-0123456789abcdef0",
        env={"AWS_ENDPOINT_URL": "notaurl"}, server=False,
    )  # fmt: skip
    assert_error_line(result, 2, "AWS_ENDPOINT_URL: 'notaurl' is not a valid URL")


def test_a_malformed_region_is_a_usage_error(run: Run, ssm_server: EmbeddedSSMServer) -> None:
    """The client checks its options when it is made: --region 'eu west' names the option."""
    result = run("--region", "eu west", "tasks", "list", "mw-0123456789abcdef0", server=False)
    assert_error_line(result, 2, "--region", "'eu west'")
    assert ssm_server.request_count() == 0
