"""``ssm-mw tasks list|get|register|update`` against the embedded backend."""

from __future__ import annotations

import json
from pathlib import Path

import attrs

from ssm_mw import CutoffBehavior, TaskType, to_botocore
from ssm_mw.cli._tasks import register_task
from ssm_mw.testing import EmbeddedSSMServer
from support.cli import ANSI, MISSING_WINDOW, Run, assert_error_line
from support.clients import get_task, read_tasks, register
from support.examples import (
    LAMBDA,
    LAMBDA_ARN,
    SECRET,
    automation,
    lambda_task,
    run_command,
    step_functions,
)
from support.operations import DESCRIBE, REGISTER, UPDATE

CONTINUE, CANCEL = CutoffBehavior.CONTINUE_TASK, CutoffBehavior.CANCEL_TASK

RUN_COMMAND_YAML = """\
# a Run Command task
TaskArn: AWS-RunShellScript
TaskType: RUN_COMMAND
Targets:
  - Key: InstanceIds
    Values: [i-0123456789abcdef0]
MaxConcurrency: "2"
MaxErrors: "1"
Priority: 3
Name: patch
CutoffBehavior: CANCEL_TASK
TaskInvocationParameters:
  RunCommand:
    TimeoutSeconds: 600
    Parameters:
      commands: [uptime]
"""

LAMBDA_JSON = {
    "TaskArn": LAMBDA_ARN,
    "TaskType": "LAMBDA",
    "Priority": 1,
    "CutoffBehavior": "CONTINUE_TASK",
    "TaskInvocationParameters": {"Lambda": {"Payload": '{"days": 7}', "Qualifier": "$LATEST"}},
}


# -- list -----------------------------------------------------------------------------


def test_list_table_shows_every_task_and_its_cutoff(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """`tasks list` prints one table row per task with its CutoffBehavior, without colors."""
    ids = register(ssm_server, window_id, [run_command(CONTINUE), lambda_task(CANCEL)])
    result = run("tasks", "list", window_id)
    assert result.exit_code == 0, result.stderr
    for task_id in ids:
        assert task_id in result.stdout
    assert "CONTINUE_TASK" in result.stdout
    assert "CANCEL_TASK" in result.stdout
    assert f"Tasks of {window_id} (2)" in result.stdout
    assert not ANSI.search(result.stdout)


def test_list_json_is_to_botocore_of_every_task(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """`tasks list -o json` prints exactly the botocore-shaped dicts of to_botocore."""
    register(ssm_server, window_id, [run_command(CONTINUE), automation(), step_functions(CANCEL)])
    result = run("tasks", "list", window_id, "--output", "json")
    assert result.exit_code == 0, result.stderr
    expected = [to_botocore(t) for t in read_tasks(ssm_server, window_id)]
    assert json.loads(result.stdout) == expected


def test_list_pages_through_everything(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """`tasks list` follows NextToken: 105 tasks arrive over 2 pages of at most 100."""
    ssm_server.max_tasks_per_window = 105
    register(ssm_server, window_id, [automation() for _ in range(105)])
    before = ssm_server.request_count(DESCRIBE)
    result = run("tasks", "list", window_id, "-o", "json")
    assert result.exit_code == 0, result.stderr
    assert len({t["WindowTaskId"] for t in json.loads(result.stdout)}) == 105
    assert ssm_server.request_count(DESCRIBE) - before == 2


def test_list_filters_by_type_and_priority(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """--filter keeps matching tasks only; repeated filters must all match; a type is taken
    in any case, as --task-type takes it."""
    ids = register(
        ssm_server,
        window_id,
        [run_command(priority=1), run_command(priority=2), lambda_task(), automation()],
    )
    result = run("tasks", "list", window_id, "--filter", "TaskType=RUN_COMMAND", "-o", "json")
    assert {t["WindowTaskId"] for t in json.loads(result.stdout)} == set(ids[:2])
    result = run(
        "tasks", "list", window_id, "--filter", "TaskType=RUN_COMMAND,LAMBDA",
        "--filter", "Priority=2", "-o", "json",
    )  # fmt: skip
    assert [t["WindowTaskId"] for t in json.loads(result.stdout)] == [ids[1]]
    result = run("tasks", "list", window_id, "--filter", "TaskType=run_command", "-o", "json")
    assert {t["WindowTaskId"] for t in json.loads(result.stdout)} == set(ids[:2])


def test_list_rejects_a_bad_filter_before_any_request(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """An unknown filter key or TaskType value is a usage error (2) naming --filter."""
    assert_error_line(run("tasks", "list", window_id, "--filter", "Colour=red"), 2, "--filter")
    assert_error_line(
        run("tasks", "list", window_id, "--filter", "TaskType=foo"), 2, "--filter", "'FOO'"
    )
    assert_error_line(run("tasks", "list", window_id, "--filter", "nokey"), 2, "--filter")
    assert ssm_server.request_count() == 0


# -- get ------------------------------------------------------------------------------


def test_get_json_is_to_botocore_of_the_task(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """`tasks get -o json` prints to_botocore of the full task, payload included."""
    (task_id,) = register(ssm_server, window_id, [lambda_task(CANCEL)])
    result = run("tasks", "get", window_id, task_id, "-o", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    expected = to_botocore(get_task(ssm_server, window_id, task_id))
    expected["TaskInvocationParameters"]["Lambda"]["Payload"] = SECRET  # bytes, as UTF-8 text
    assert data == expected


def test_get_table_shows_members_and_hides_sensitive_values(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """`tasks get` prints every member by wire name, with the Lambda payload redacted."""
    (task_id,) = register(ssm_server, window_id, [lambda_task(CANCEL)])
    result = run("tasks", "get", window_id, task_id)
    assert result.exit_code == 0, result.stderr
    for text in ("TaskArn", LAMBDA_ARN, "CutoffBehavior", "CANCEL_TASK", "***"):
        assert text in result.stdout
    assert SECRET not in result.stdout


def test_get_of_a_missing_task_is_a_service_error(run: Run, window_id: str) -> None:
    """A task that does not exist: one line naming DoesNotExistException, exit 1."""
    missing = "00000000-0000-4000-8000-000000000000"
    assert_error_line(run("tasks", "get", window_id, missing), 1, "DoesNotExistException")


# -- register -------------------------------------------------------------------------


def test_register_from_yaml_prints_the_new_id(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """`tasks register -f task.yaml` registers exactly what the file says and prints the id."""
    path = tmp_path / "task.yaml"
    path.write_text(RUN_COMMAND_YAML)
    result = run("tasks", "register", window_id, "--file", str(path))
    assert result.exit_code == 0, result.stderr
    task_id = result.stdout.strip()
    task = get_task(ssm_server, window_id, task_id)
    assert task.task_type == TaskType.RUN_COMMAND
    assert (task.priority, task.name, task.max_concurrency) == (3, "patch", "2")
    assert task.cutoff_behavior == CANCEL
    assert to_botocore(task)["TaskInvocationParameters"] == {
        "RunCommand": {"TimeoutSeconds": 600, "Parameters": {"commands": ["uptime"]}}
    }


def test_the_register_help_example_registers(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """The example definition in `tasks register --help` is valid and registers as shown."""
    doc = register_task.help or ""
    example = doc.split("Example definition (YAML):", 1)[1]
    lines = [line[2:] for line in example.splitlines() if line.startswith("  ")]
    path = tmp_path / "help.yaml"
    path.write_text("\n".join(lines) + "\n")
    result = run("tasks", "register", window_id, "--file", str(path))
    assert result.exit_code == 0, result.stderr
    task = get_task(ssm_server, window_id, result.stdout.strip())
    assert task.task_type == TaskType.RUN_COMMAND
    assert task.cutoff_behavior == CANCEL


def test_register_from_json_on_stdin(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """`--file -` reads the definition from stdin (JSON detected from its content)."""
    result = run("tasks", "register", window_id, "--file", "-", input=json.dumps(LAMBDA_JSON))
    assert result.exit_code == 0, result.stderr
    task = get_task(ssm_server, window_id, result.stdout.strip())
    assert task.task_type == TaskType.LAMBDA
    assert task.cutoff_behavior == CONTINUE


def test_register_with_a_client_token_is_idempotent(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """The same --client-token twice gives the same task, registered once."""
    path = tmp_path / "task.json"
    path.write_text(json.dumps(LAMBDA_JSON))
    args = ("tasks", "register", window_id, "-f", str(path), "--client-token", "token-1")
    first, second = run(*args), run(*args)
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout
    assert len(read_tasks(ssm_server, window_id)) == 1


# -- update ---------------------------------------------------------------------------


def test_update_shortcuts_change_only_those_members(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """The shortcut options (cutoff in any case) change their members; the rest stays."""
    (task_id,) = register(ssm_server, window_id, [run_command(CONTINUE, name="keep-me")])
    result = run(
        "tasks", "update", window_id, task_id, "--cutoff-behavior", "cancel_task",
        "--priority", "7", "--max-concurrency", "10%", "--max-errors", "2", "-o", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["CutoffBehavior"] == "CANCEL_TASK"
    task = get_task(ssm_server, window_id, task_id)
    assert task.cutoff_behavior == CANCEL
    assert (task.priority, task.max_concurrency, task.max_errors) == (7, "10%", "2")
    assert task.name == "keep-me"


def test_update_from_a_file_with_an_option_overriding_it(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """`update -f` sends the file's members; an option given too wins over the file."""
    (task_id,) = register(ssm_server, window_id, [run_command(CONTINUE)])
    path = tmp_path / "update.yml"
    path.write_text("Name: from-file\nPriority: 4\nCutoffBehavior: CONTINUE_TASK\n")
    result = run("tasks", "update", window_id, task_id, "-f", str(path), "--cutoff-behavior",
                 "CANCEL_TASK")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "from-file" in result.stdout
    task = get_task(ssm_server, window_id, task_id)
    assert (task.name, task.priority, task.cutoff_behavior) == ("from-file", 4, CANCEL)


def test_update_replace_clears_members_not_given(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """--replace with a complete file replaces the task: a member left out is cleared."""
    (task_id,) = register(ssm_server, window_id, [run_command(CONTINUE, name="old-name")])
    path = tmp_path / "full.yaml"
    path.write_text(
        RUN_COMMAND_YAML.replace("Name: patch\n", "").replace("TaskType: RUN_COMMAND\n", "")
    )
    result = run("tasks", "update", window_id, task_id, "-f", str(path), "--replace")
    assert result.exit_code == 0, result.stderr
    task = get_task(ssm_server, window_id, task_id)
    assert task.name is None
    assert (task.priority, task.cutoff_behavior) == (3, CANCEL)


def test_update_without_changes_is_a_usage_error(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """`tasks update` with neither a file nor an option: exit 2, nothing sent."""
    (task_id,) = register(ssm_server, window_id, [run_command()])
    assert_error_line(run("tasks", "update", window_id, task_id), 2, "nothing to update")
    assert ssm_server.request_count(UPDATE) == 0


def test_update_rejects_bad_option_values_naming_the_option(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """A constraint break or an unknown enum value in an option names the option; exit 2."""
    (task_id,) = register(ssm_server, window_id, [run_command()])
    assert_error_line(
        run("tasks", "update", window_id, task_id, "--priority", "-1"),
        2,
        "--priority",
        "below the minimum 0",
    )
    assert_error_line(
        run("tasks", "update", window_id, task_id, "--cutoff-behavior", "STOP"),
        2,
        "--cutoff-behavior",
        "'STOP'",
    )
    assert_error_line(
        run("tasks", "update", window_id, task_id, "--max-concurrency", "lots"),
        2,
        "--max-concurrency",
    )
    assert ssm_server.request_count(UPDATE) == 0


# -- ids and service errors -----------------------------------------------------------


def test_an_invalid_window_id_is_a_usage_error_with_no_request(
    run: Run, ssm_server: EmbeddedSSMServer
) -> None:
    """A malformed window id is named (WINDOW_ID) in every command; exit 2; nothing sent."""
    assert_error_line(run("tasks", "list", "mw-bad"), 2, "WINDOW_ID", "'mw-bad'")
    task = "00000000-0000-4000-8000-000000000000"
    assert_error_line(run("tasks", "get", "window-1", task), 2, "WINDOW_ID")
    assert_error_line(run("tasks", "update", "mw-1", task, "--priority", "1"), 2, "WINDOW_ID")
    assert ssm_server.request_count() == 0


def test_an_invalid_task_id_is_a_usage_error(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """A malformed task id is named (TASK_ID); exit 2; nothing sent."""
    assert_error_line(run("tasks", "get", window_id, "task-1"), 2, "TASK_ID", "'task-1'")
    assert ssm_server.request_count() == 0


def test_a_missing_window_is_a_service_error(run: Run) -> None:
    """A well-formed but unknown window: DoesNotExistException on one line, exit 1."""
    assert_error_line(
        run("tasks", "list", MISSING_WINDOW), 1, "DoesNotExistException", MISSING_WINDOW
    )


def test_a_server_failure_is_a_service_error(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """An InternalServerError that outlasts the retries: one line with the code, exit 1."""
    ssm_server.inject_fault(DESCRIBE, "InternalServerError", status=500, times=None)
    assert_error_line(run("tasks", "list", window_id), 1, "InternalServerError")


def test_a_register_the_service_refuses_is_a_service_error(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """A register refused by the service (task limit) is exit 1 with the service's code."""
    ssm_server.max_tasks_per_window = 0
    path = tmp_path / "task.json"
    path.write_text(json.dumps(LAMBDA_JSON))
    assert_error_line(
        run("tasks", "register", window_id, "-f", str(path)),
        1,
        "ResourceLimitExceededException",
    )
    assert ssm_server.request_count(REGISTER) == 1


def test_square_brackets_in_values_are_shown_literally(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """A value like '[bold]x[/bold]' is printed as is, never read as rich markup.

    The value is a task ARN, which has no pattern (a tag target's value would be
    refused: a window task takes no tag targets, docs/fidelity.md, F1).
    """
    value = "[bold]x[/bold]"
    definition = attrs.evolve(run_command(), task_arn=value)
    (task_id,) = register(ssm_server, window_id, [definition])
    assert value in run("tasks", "list", window_id).stdout
    assert value in run("tasks", "get", window_id, task_id).stdout


def test_a_warning_is_one_line(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """F14: a member the service ignores is one `warning:` line on stderr; the task registers."""
    path = tmp_path / "task.json"
    path.write_text(json.dumps({**LAMBDA_JSON, "TaskParameters": {"level": {"Values": ["1"]}}}))
    result = run("tasks", "register", window_id, "--file", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "warning: task_parameters: ignored by the service for a LAMBDA task (deprecated: only a "
        "Run Command task without task_invocation_parameters uses them)"
    ]
    assert get_task(ssm_server, window_id, result.stdout.strip()).task_parameters is not None


def test_messages_in_the_command_lines_words(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """--replace without a file names what no option sets; an update file with TaskType says
    the type cannot change; a payload written as a mapping says to write a JSON string."""
    (task_id,) = register(ssm_server, window_id, [LAMBDA])
    sent = ssm_server.request_count()
    replace = run("tasks", "update", window_id, task_id, "--replace", "--priority", "1")
    assert_error_line(
        replace, 2, "--replace sets every member of the task, and task_arn has no option", "--file"
    )
    update_file = tmp_path / "register.json"
    update_file.write_text(json.dumps(LAMBDA_JSON))
    typed = run("tasks", "update", window_id, task_id, "-f", str(update_file))
    assert_error_line(typed, 2, "TaskType: an update cannot change the task's type")
    payload = tmp_path / "payload.json"
    mapping = {**LAMBDA_JSON, "TaskInvocationParameters": {"Lambda": {"Payload": {"a": 1}}}}
    payload.write_text(json.dumps(mapping))
    mapped = run("tasks", "register", window_id, "-f", str(payload))
    assert_error_line(mapped, 2, "Payload: expected bytes, got dict (write the payload as a JSON")
    assert ssm_server.request_count() == sent
