"""Bad definition files: one line naming file, place and field; exit 2; nothing sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssm_mw.testing import EmbeddedSSMServer
from support.cli import Run, assert_error_line
from support.clients import register
from support.examples import run_command
from support.operations import REGISTER, UPDATE

GOOD_YAML = """\
TaskArn: arn:aws:lambda:us-east-1:123456789012:function:f
TaskType: LAMBDA
CutoffBehavior: CANCEL_TASK
"""

# (file name, content, the substrings the one error line must hold)
BAD_REGISTER_FILES = [
    pytest.param(
        "task.json",
        '{"TaskArn": "x",\n  "TaskType": "LAMBDA"\n  "Priority": 1}',
        ["task.json:3:3: invalid JSON", "Expecting ',' delimiter"],
        id="malformed-json",
    ),
    pytest.param(
        "task.yaml",
        "TaskArn: x\nTaskType: LAMBDA\n  Priority: [1\n",
        ["task.yaml:3:11: invalid YAML"],
        id="malformed-yaml",
    ),
    pytest.param(
        "task.yaml",
        GOOD_YAML + "CutofBehavior: CANCEL_TASK\n",
        ["task.yaml:4:1: CutofBehavior: unknown key", "did you mean 'CutoffBehavior'"],
        id="unknown-key",
    ),
    pytest.param(
        "task.yaml",
        GOOD_YAML + "TaskInvocationParameters:\n  Lambda:\n    Qualifer: $LATEST\n",
        ["task.yaml:6:5: TaskInvocationParameters.Lambda.Qualifer: unknown key"],
        id="unknown-nested-key",
    ),
    pytest.param(
        "task.json",
        '{"TaskArn": "x", "TaskType": "LAMBDA",\n "CutoffBehavior": "STOP"}',
        ["task.json:2:2: CutoffBehavior", "'STOP' is not one of CONTINUE_TASK, CANCEL_TASK"],
        id="unknown-enum-value-json",
    ),
    pytest.param(
        "task.yaml",
        GOOD_YAML.replace("CANCEL_TASK", "STOP"),
        ["task.yaml:3:1: CutoffBehavior", "'STOP' is not one of"],
        id="unknown-enum-value-yaml",
    ),
    pytest.param(
        "task.yaml",
        GOOD_YAML + "Priority: -1\n",
        ["task.yaml:4:1: Priority: -1 is below the minimum 0"],
        id="constraint-violation",
    ),
    pytest.param(
        "task.yaml",
        GOOD_YAML + "TaskInvocationParameters:\n  Lambda:\n    Qualifier: ''\n",
        ["task.yaml:6:5: TaskInvocationParameters.Lambda.Qualifier", "below the minimum 1"],
        id="nested-constraint-violation",
    ),
    pytest.param(
        "task.yaml",
        GOOD_YAML + "Targets: [{Key: InstanceIds, Values: [i-0123456789abcdef0]}]\n"
        "MaxConcurrency: 2\nMaxErrors: '1'\n",
        ["MaxConcurrency: expected a string, got int (quote the value)"],
        id="wrong-type",
    ),
    pytest.param(
        "task.yaml",
        "TaskType: LAMBDA\n",
        ["task.yaml: TaskArn: is required"],
        id="missing-member",
    ),
    pytest.param(
        "task.yaml",
        "WindowId: mw-0123456789abcdef0\n" + GOOD_YAML,
        ["task.yaml:1:1: WindowId: not allowed in the file", "WINDOW_ID"],
        id="window-id-in-file",
    ),
    pytest.param(
        "task.json",
        '{"TaskArn": "x", "TaskArn": "y"}',
        ["task.json", "duplicate key 'TaskArn'"],
        id="duplicate-key",
    ),
    pytest.param("task.yaml", "- a\n- b\n", ["expected a mapping", "got a list"], id="a-list"),
    pytest.param("task.yaml", "", ["task.yaml: the file is empty"], id="empty"),
]


@pytest.mark.parametrize(("name", "content", "needles"), BAD_REGISTER_FILES)
def test_a_bad_definition_file_is_one_line_and_nothing_is_sent(
    run: Run,
    ssm_server: EmbeddedSSMServer,
    window_id: str,
    tmp_path: Path,
    name: str,
    content: str,
    needles: list[str],
) -> None:
    """Each kind of bad file gives one error line with file, position and field; exit 2."""
    path = tmp_path / name
    path.write_text(content)
    line = assert_error_line(run("tasks", "register", window_id, "-f", str(path)), 2, *needles)
    assert str(tmp_path) in line
    assert ssm_server.request_count(REGISTER) == 0


def test_a_file_that_cannot_be_read_is_a_usage_error(run: Run, window_id: str) -> None:
    """A missing file: one line naming it, exit 2."""
    assert_error_line(
        run("tasks", "register", window_id, "-f", "/nonexistent/task.yaml"),
        2,
        "/nonexistent/task.yaml",
    )


def test_a_bad_update_file_names_the_field_and_sends_nothing(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """Update files are checked like register files, against the update request shape."""
    (task_id,) = register(ssm_server, window_id, [run_command()])
    path = tmp_path / "update.yaml"
    path.write_text("Priority: 1\nTaskType: LAMBDA\n")  # TaskType is no update member
    assert_error_line(
        run("tasks", "update", window_id, task_id, "-f", str(path)),
        2,
        "update.yaml:2:1: TaskType: an update cannot change the task's type",
    )
    path.write_text("Replace: true\n")
    assert_error_line(
        run("tasks", "update", window_id, task_id, "-f", str(path)), 2, "Replace", "--replace"
    )
    assert ssm_server.request_count(UPDATE) == 0
