"""What the command line takes from the library, public for every user.

``check_window_id`` (and ``check_window_task_id``), ``to_botocore_redacted``,
``TaskFile`` and the desired-state loaders (``load_desired_state``,
``parse_desired_state``): the CLI uses nothing else (tests/test_architecture.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ssm_mw
from ssm_mw import (
    DesiredState,
    LambdaParameters,
    MaintenanceWindowTask,
    MaintenanceWindowTaskDetails,
    RunCommandParameters,
    Target,
    TaskDefinition,
    TaskFile,
    TaskFileError,
    TaskPage,
    TaskParameterValueExpression,
    TaskType,
    TaskUpdate,
    ValidationError,
    check_window_id,
    check_window_task_id,
    load_desired_state,
    parse_desired_state,
    to_botocore,
    to_botocore_redacted,
)

W = "mw-0123456789abcdef0"
TASK_ID = "4f7ca192-7e9a-40fe-9192-5cb15a0b1c2d"

# -- identifiers --------------------------------------------------------------------------


def test_a_well_formed_window_id_passes() -> None:
    """The ids of the service model's shape pass; nothing is sent, nothing returned."""
    check_window_id(W)
    check_window_task_id(TASK_ID)


@pytest.mark.parametrize(
    ("check", "value", "messages"),
    [
        (check_window_id, "mw-0c50858d01EXAMPLE", ["does not match the pattern ^mw-[0-9a-f]{17}$"]),
        (check_window_id, "mw-1", ["length 4 is below the minimum 20", "does not match"]),
        (check_window_id, 7, ["expected a string, got int"]),
        (check_window_task_id, "task-1", ["length 6 is below the minimum 36", "does not match"]),
    ],
)
def test_a_malformed_id_names_its_field(check: object, value: object, messages: list[str]) -> None:
    """Every constraint of the model's WindowId/WindowTaskId it breaks, by the argument's name."""
    with pytest.raises(ValidationError) as caught:
        check(value)  # type: ignore[operator]
    field = "window_id" if check is check_window_id else "window_task_id"
    assert caught.value.paths == (field,) * len(messages)
    for v, message in zip(caught.value.violations, messages, strict=True):
        assert message in v.message


def test_the_id_check_is_the_one_requests_get() -> None:
    """The same violations as a request holding the id: one check, not a copy of its pattern."""
    for bad in ("mw-1", "mw-0c50858d01EXAMPLE", "MW-0123456789ABCDEF0"):
        with pytest.raises(ValidationError) as by_id:
            check_window_id(bad)
        page = ssm_mw.MaintenanceWindowClient(region_name="us-east-1")
        with pytest.raises(ValidationError) as by_request:
            page.paginate_maintenance_window_tasks(bad)
        assert by_id.value.violations == by_request.value.violations


# -- redaction ----------------------------------------------------------------------------


def test_redacted_dicts_hide_every_sensitive_value_and_keep_the_rest() -> None:
    """Description, parameters, payload: ***; every other member as to_botocore gives it."""
    definition = TaskDefinition(
        task_arn="arn:aws:lambda:us-east-1:123456789012:function:f",
        task_type=TaskType.LAMBDA,
        task_invocation_parameters=LambdaParameters(payload=b'{"password": "hunter2"}'),
        description="the password is hunter2",
        priority=1,
    )
    assert to_botocore_redacted(definition) == {
        **to_botocore(definition),
        "Description": "***",
        "TaskInvocationParameters": {"Lambda": {"Payload": "***"}},
    }
    details = MaintenanceWindowTaskDetails(
        window_id=W,
        window_task_id=TASK_ID,
        task_invocation_parameters=RunCommandParameters(parameters={"commands": ("hunter2",)}),
        targets=(Target.instances("i-0123456789abcdef0"),),
    )
    shown = to_botocore_redacted(details)
    hidden = {"RunCommand": {"Parameters": {"commands": ["***"]}}}
    assert shown["TaskInvocationParameters"] == hidden
    assert shown["Targets"] == to_botocore(details)["Targets"]
    listed = MaintenanceWindowTask(
        window_id=W,
        window_task_id=TASK_ID,
        task_parameters={"a": TaskParameterValueExpression(values=("hunter2",))},
    )
    assert "hunter2" not in repr(to_botocore_redacted(listed))
    assert "hunter2" not in repr(to_botocore_redacted(TaskPage(tasks=(listed,))))
    assert to_botocore_redacted(TaskUpdate(priority=2)) == {"Priority": 2}
    with pytest.raises(TypeError, match="not Target"):
        to_botocore_redacted(Target.instances("i-0123456789abcdef0"))  # type: ignore[arg-type]


# -- task files -----------------------------------------------------------------------------


def test_a_task_file_reads_once_and_builds_both_models(tmp_path: Path) -> None:
    """One TaskFile: its name, a definition, an update; the file is read when it is made."""
    path = tmp_path / "task.json"
    path.write_text('{"TaskArn": "arn:aws:lambda:us-east-1:123456789012:function:f",\n'
                    ' "TaskType": "LAMBDA", "Priority": 2}')  # fmt: skip
    task_file = TaskFile.load(path)
    path.unlink()
    assert task_file.name == str(path)
    assert repr(task_file) == f"TaskFile(name={str(path)!r})"
    assert task_file.definition().task_type is TaskType.LAMBDA
    with pytest.raises(TaskFileError, match="TaskType: unknown key"):
        task_file.update()  # no member of an update
    with pytest.raises(TaskFileError, match="the file is empty"):
        TaskFile("", name="empty.yaml")


def test_locate_puts_each_violation_at_its_key() -> None:
    """Any ValidationError of the file's request: one located violation for each, in order."""
    task_file = TaskFile("TaskArn: x\nTargets:\n  - {Key: InstanceIds, Values: [i-1]}\n")
    error = ValidationError(
        [
            ssm_mw.Violation(path="targets[0].values[0]", message="is not an instance id"),
            ssm_mw.Violation(path="client_token", message="is too long"),
            ssm_mw.Violation(path="priority", message="is required"),
        ]
    )
    located = task_file.locate(error)
    assert located.lines == (
        "<string>:3:33: Targets[0].Values[0]: is not an instance id",
        "<string>: client_token: is too long",
        "<string>: Priority: is required",
    )
    assert located.locations == ((3, 33), None, None)


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
