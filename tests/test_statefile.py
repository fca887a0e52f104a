"""Desired-state files: YAML or JSON read into a ``DesiredState``, each problem where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssm_mw import DesiredState, TaskFileError, load_desired_state, parse_desired_state

W = "mw-0123456789abcdef0"


# -- desired-state files ----------------------------------------------------------------------

STATE = f"""\
windows:
  {W}:
    notify:
      TaskArn: arn:aws:lambda:us-east-1:123456789012:function:notify
      TaskType: LAMBDA
      Priority: 1
"""


def test_a_desired_state_file_becomes_its_state(tmp_path: Path) -> None:
    """YAML or JSON, a path or text: the state DesiredState.from_botocore makes of the mapping."""
    path = tmp_path / "tasks.yaml"
    path.write_text(STATE)
    state = load_desired_state(path)
    assert state == parse_desired_state(STATE, name="tasks.yaml")
    assert state == DesiredState.from_botocore(state.to_botocore())
    assert state.windows[W]["notify"].priority == 1
    assert state.windows[W]["notify"].name == "notify"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            STATE.replace("Priority: 1", "Priority: -1"),
            f"tasks.yaml:6:7: windows.{W}.notify.Priority: -1 is below the minimum 0",
        ),
        (
            STATE.replace("Priority: 1", "Priority: one"),
            f"tasks.yaml:6:7: windows.{W}.notify.Priority: expected an integer, got str",
        ),
        (
            STATE.replace(W, "mw-0c50858d01EXAMPLE"),
            "tasks.yaml:2:3: windows.mw-0c50858d01EXAMPLE: window id "
            "'mw-0c50858d01EXAMPLE' does not match the pattern ^mw-[0-9a-f]{17}$",
        ),
        (
            STATE.replace("notify:", "ab:"),
            f"tasks.yaml:3:5: windows.{W}.ab: task name: length 2 is below the minimum 3: 'ab'",
        ),
        (
            STATE + "      Name: notify\n",
            f"tasks.yaml:7:7: windows.{W}.notify.Name: not allowed in a task "
            "(the task's name is its key)",
        ),
    ],
    ids=["rule", "type", "window-id", "task-name", "name-member"],
)
def test_a_bad_desired_state_names_each_problem_where_it_is(text: str, line: str) -> None:
    """Every problem is a TaskFileError line with the key's place and dotted path."""
    with pytest.raises(TaskFileError) as caught:
        parse_desired_state(text, name="tasks.yaml")
    assert caught.value.lines[0] == line


def test_every_bad_task_of_a_state_is_named_at_once() -> None:
    """Two bad tasks, two lines: the state's check names every problem, not the first."""
    text = STATE.replace("Priority: 1", "Priority: -1") + (
        "    drain:\n      TaskArn: arn:aws:lambda:us-east-1:123456789012:function:d\n"
        "      TaskType: LAMBDA\n      Priority: -2\n"
    )
    with pytest.raises(TaskFileError) as caught:
        parse_desired_state(text, name="tasks.yaml")
    assert [v.path for v in caught.value.violations] == [
        f"windows.{W}.notify.Priority",
        f"windows.{W}.drain.Priority",
    ]


def test_a_scope_in_the_file_is_read_and_its_errors_are_located(tmp_path: Path) -> None:
    """``scope:`` becomes the state's Scope; a bad account is located at its list item."""
    from ssm_mw import Scope

    good = tmp_path / "org.yaml"
    good.write_text(
        "scope:\n  accounts: ['111111111111']\n  regions: [eu-west-1]\n  role_name: Admin\n"
        "windows:\n  name:patching: {}\n",
        encoding="utf-8",
    )
    state = load_desired_state(good)
    assert state.scope == Scope(accounts=["111111111111"], regions=["eu-west-1"], role_name="Admin")
    assert state.window_names() == ("patching",)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "scope:\n  accounts:\n    - '111111111111'\n    - '12'\n  role_name: Admin\nwindows: {}\n",
        encoding="utf-8",
    )
    with pytest.raises(TaskFileError) as caught:
        load_desired_state(bad)
    assert str(caught.value) == f"{bad}:4:7: scope.accounts[1]: '12' is not a 12-digit account id"
