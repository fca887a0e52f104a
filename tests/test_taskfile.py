"""Task files: JSON or YAML read into request models, with every problem named where it is."""

from __future__ import annotations

import builtins
import pickle
import sys
from pathlib import Path
from typing import Any, cast

import attrs
import pytest

import ssm_mw
from ssm_mw import (
    CutoffBehavior,
    MaintenanceWindowClient,
    RunCommandParameters,
    TaskDefinition,
    TaskFile,
    TaskFileError,
    TaskType,
    TaskUpdate,
    ValidationError,
    from_botocore,
    load_task_definition,
    load_task_update,
    parse_task_definition,
    parse_task_update,
)
from ssm_mw._operations import REGISTER_TASK
from ssm_mw.testing import EmbeddedSSMServer

_REGISTER = REGISTER_TASK.name
_FIELDS = [a.name for a in attrs.fields(TaskDefinition)]
TARGET = "e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3"
TASK_ID = "4f7ca192-7e9a-40fe-9192-5cb15a0b1c2d"
RUN_COMMAND_YAML = f"""\
TaskArn: AWS-RunShellScript
TaskType: RUN_COMMAND
Targets: [{{Key: WindowTargetIds, Values: [{TARGET}]}}]
MaxConcurrency: "2"
MaxErrors: "1"
Priority: 3
CutoffBehavior: CANCEL_TASK
TaskInvocationParameters:
  RunCommand:
    Parameters: {{commands: [uptime]}}
    TimeoutSeconds: 600
"""
RUN_COMMAND_JSON = f"""\
{{
  "TaskArn": "AWS-RunShellScript",
  "TaskType": "RUN_COMMAND",
  "Targets": [{{"Key": "WindowTargetIds", "Values": ["{TARGET}"]}}],
  "MaxConcurrency": "2",
  "MaxErrors": "1",
  "Priority": 3,
  "CutoffBehavior": "CANCEL_TASK",
  "TaskInvocationParameters": {{
    "RunCommand": {{"Parameters": {{"commands": ["uptime"]}}, "TimeoutSeconds": 600}}
  }}
}}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, load: Any = load_task_definition) -> TaskFileError:
    with pytest.raises(TaskFileError) as info:
        load(path)
    return info.value


@pytest.mark.parametrize(
    ("name", "text"), [("task.yaml", RUN_COMMAND_YAML), ("task.json", RUN_COMMAND_JSON)]
)
def test_a_valid_file_becomes_its_task_definition(tmp_path: Path, name: str, text: str) -> None:
    """A valid YAML or JSON file gives the TaskDefinition its members describe."""
    definition = load_task_definition(_write(tmp_path, name, text))
    assert definition.task_type is TaskType.RUN_COMMAND
    assert definition.cutoff_behavior is CutoffBehavior.CANCEL_TASK
    assert definition.priority == 3
    params = definition.task_invocation_parameters
    assert isinstance(params, RunCommandParameters)
    assert params.timeout_seconds == 600
    assert params.parameters == {"commands": ("uptime",)}


def test_yaml_and_json_of_the_same_task_are_equal(tmp_path: Path) -> None:
    """The same members in YAML, JSON, a str path and parsed text give equal definitions."""
    from_yaml = load_task_definition(_write(tmp_path, "task.yaml", RUN_COMMAND_YAML))
    from_json = load_task_definition(str(_write(tmp_path, "task.json", RUN_COMMAND_JSON)))
    assert from_yaml == from_json == parse_task_definition(RUN_COMMAND_YAML)


def test_a_json_syntax_error_names_its_line_and_column(tmp_path: Path) -> None:
    """Malformed JSON: one line FILE:LINE:COL: invalid JSON, with the location as an attribute."""
    path = _write(
        tmp_path, "task.json", '{"TaskArn": "x",\n  "TaskType": "LAMBDA"\n  "Priority": 1}'
    )
    error = _error(path)
    assert str(error) == f"{path}:3:3: invalid JSON: Expecting ',' delimiter"
    assert (error.file, error.locations) == (str(path), ((3, 3),))


def test_a_yaml_syntax_error_names_its_line_and_column(tmp_path: Path) -> None:
    """Malformed YAML: one line FILE:LINE:COL: invalid YAML."""
    error = _error(_write(tmp_path, "task.yaml", "TaskArn: x\nTaskType: LAMBDA\n  Priority: [1\n"))
    assert error.locations == ((3, 11),)
    assert error.lines[0].startswith(f"{tmp_path / 'task.yaml'}:3:11: invalid YAML: ")
    assert "\n" not in str(error)


def test_an_unknown_key_suggests_the_known_one(tmp_path: Path) -> None:
    """A misspelt key is named with its place and a "did you mean"."""
    path = _write(tmp_path, "task.yaml", RUN_COMMAND_YAML + "CutofBehavior: CANCEL_TASK\n")
    error = _error(path)
    assert str(error) == (
        f"{path}:12:1: CutofBehavior: unknown key 'CutofBehavior' (did you mean 'CutoffBehavior'?)"
    )
    assert error.violations[0].path == "CutofBehavior"


def test_a_value_of_the_wrong_type_is_named_with_a_hint(tmp_path: Path) -> None:
    """An int where the model wants a string: its place, and the hint to quote it."""
    path = _write(tmp_path, "task.yaml", RUN_COMMAND_YAML.replace('"2"', "2"))
    assert str(_error(path)) == (
        f"{path}:4:1: MaxConcurrency: expected a string, got int (quote the value)"
    )


async def _refused(
    mw: MaintenanceWindowClient, window_id: str, task_file: TaskFile, update: bool = False
) -> TaskFileError:
    """What the client refuses of the file's request, located in the file by the TaskFile."""
    if update:
        send = mw.update_maintenance_window_task(
            window_id, TASK_ID, task_file.update(replace=True), replace=True
        )
    else:
        send = mw.register_task_with_maintenance_window(window_id, task_file.definition())
    with pytest.raises(ValidationError) as info:
        await send
    assert not isinstance(info.value, TaskFileError)  # the client's own error
    return task_file.locate(info.value)


async def test_a_constraint_deep_in_the_invocation_parameters_is_located(
    tmp_path: Path,
    mw_client: MaintenanceWindowClient,
    maintenance_window_id: str,
    ssm_server: EmbeddedSSMServer,
) -> None:
    """TimeoutSeconds below its minimum: the client refuses it, located at its key, line:col."""
    text = RUN_COMMAND_YAML.replace("TimeoutSeconds: 600", "TimeoutSeconds: 5")
    path = _write(tmp_path, "task.yaml", text)
    task_file = TaskFile.load(path)
    assert task_file.definition().task_invocation_parameters is not None  # the file reads
    error = await _refused(mw_client, maintenance_window_id, task_file)
    member = "TaskInvocationParameters.RunCommand.TimeoutSeconds"
    assert str(error) == f"{path}:11:5: {member}: 5 is below the minimum 30"
    assert [v.path for v in error.violations] == [member]
    assert error.locations == ((11, 5),)
    assert isinstance(error, ValidationError)
    assert isinstance(error, ValueError)
    assert ssm_server.request_count(_REGISTER) == 0


async def test_every_problem_is_one_line(
    tmp_path: Path, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """Two broken constraints: two lines (in model order), each with its own place."""
    text = RUN_COMMAND_YAML.replace("Priority: 3", "Priority: -1").replace(
        "TimeoutSeconds: 600", "TimeoutSeconds: 5"
    )
    error = await _refused(
        mw_client, maintenance_window_id, TaskFile(text, name=str(tmp_path / "task.yaml"))
    )
    assert len(error.lines) == 2
    assert str(error).splitlines() == list(error.lines)
    assert sorted(error.locations) == [(6, 1), (11, 5)]


async def test_a_bad_argument_keeps_its_name_and_has_no_place(
    mw_client: MaintenanceWindowClient,
) -> None:
    """The method's own arguments are not in the file: located one for one, by their names."""
    task_file = TaskFile(RUN_COMMAND_YAML.replace("Priority: 3", "Priority: -1"), name="t.yaml")
    error = await _refused(mw_client, "mw-0c50858d01EXAMPLE", task_file)
    assert error.lines == (
        "t.yaml: window_id: 'mw-0c50858d01EXAMPLE' does not match the pattern ^mw-[0-9a-f]{17}$",
        "t.yaml:6:1: Priority: -1 is below the minimum 0",
    )
    assert [v.path for v in error.violations] == ["window_id", "Priority"]
    assert error.locations == (None, (6, 1))


def test_a_value_the_model_cannot_hold_names_every_rule_at_load(tmp_path: Path) -> None:
    """A request that cannot be made as written is checked at load, all its rules at once."""
    text = RUN_COMMAND_YAML.replace('"2"', "2").replace("TimeoutSeconds: 600", "TimeoutSeconds: 5")
    path = _write(tmp_path, "task.yaml", text)
    assert _error(path).lines == (
        f"{path}:11:5: TaskInvocationParameters.RunCommand.TimeoutSeconds: "
        "5 is below the minimum 30",
        f"{path}:4:1: MaxConcurrency: expected a string, got int (quote the value)",
    )


def test_a_member_the_file_lacks_is_named_without_a_place(tmp_path: Path) -> None:
    """A required member that is not in the file: FILE: MEMBER: is required."""
    path = _write(tmp_path, "task.yaml", "TaskType: LAMBDA\n")
    error = _error(path)
    assert str(error) == f"{path}: TaskArn: is required"
    assert error.locations == (None,)


def test_an_argument_of_the_method_is_not_a_member_of_the_file(tmp_path: Path) -> None:
    """WindowId in the file is refused: it is the client method's window_id argument."""
    path = _write(tmp_path, "task.yaml", "WindowId: mw-0123456789abcdef0\n" + RUN_COMMAND_YAML)
    assert str(_error(path)) == (
        f"{path}:1:1: WindowId: not allowed in the file; "
        "it is an argument of the client's method (window_id)"
    )


def test_duplicate_keys_and_files_that_are_not_mappings_are_refused(tmp_path: Path) -> None:
    """A duplicate key, an empty file and a list each give their one line."""
    dup = _write(tmp_path, "dup.yaml", "TaskArn: a\nTaskArn: b\n")
    assert str(_error(dup)) == f"{dup}:2:1: duplicate key 'TaskArn'"
    empty = _write(tmp_path, "empty.yaml", "")
    assert str(_error(empty)).endswith("the file is empty; expected a mapping of request members")
    listed = _write(tmp_path, "list.json", "[1]")
    assert str(_error(listed)).endswith("got a list")


def test_a_file_that_is_not_utf8_or_missing(tmp_path: Path) -> None:
    """Bytes that are not UTF-8: a TaskFileError; a missing file: the OSError."""
    path = tmp_path / "task.yaml"
    path.write_bytes(b"TaskArn: \xff\n")
    assert "not UTF-8 text" in str(_error(path))
    with pytest.raises(FileNotFoundError):
        load_task_definition(tmp_path / "missing.yaml")


def test_an_update_from_a_register_file_names_task_type(tmp_path: Path) -> None:
    """A register file read as an update: TaskType is no update member, and is named."""
    path = _write(tmp_path, "task.yaml", RUN_COMMAND_YAML)
    error = _error(path, load_task_update)
    assert str(error) == (
        f"{path}:2:1: TaskType: an update cannot change the task's type: its request has no "
        "TaskType (is this a file for register?)"
    )


async def test_an_update_file_becomes_a_task_update(
    tmp_path: Path, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """An update file gives its TaskUpdate; sent with replace, it is checked as a whole task."""
    path = _write(tmp_path, "update.json", '{"Priority": 1, "CutoffBehavior": "CONTINUE_TASK"}')
    assert load_task_update(path) == TaskUpdate(
        priority=1, cutoff_behavior=CutoffBehavior.CONTINUE_TASK
    )
    error = await _refused(mw_client, maintenance_window_id, TaskFile.load(path), update=True)
    assert str(error) == f"{path}: TaskArn: is required when replace is True"
    assert parse_task_update("Priority: 2\n", name="u.yaml") == TaskUpdate(priority=2)


def test_the_error_pickles_with_its_lines(tmp_path: Path) -> None:
    """A TaskFileError survives pickling (e.g. across processes) with file, places and lines."""
    error = _error(_write(tmp_path, "task.yaml", "TaskType: LAMBDA\n"))
    back = pickle.loads(pickle.dumps(error))
    assert (back.file, back.violations, back.locations, back.lines) == (
        error.file,
        error.violations,
        error.locations,
        error.lines,
    )


@pytest.fixture
def no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML cannot be imported."""
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "yaml" or name.startswith("yaml."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "yaml", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)


@pytest.mark.usefixtures("no_yaml")
def test_without_pyyaml_json_loads_and_yaml_says_what_to_install(tmp_path: Path) -> None:
    """Without PyYAML a JSON file still loads; a YAML file raises one error naming PyYAML."""
    assert load_task_definition(_write(tmp_path, "task.json", RUN_COMMAND_JSON)).priority == 3
    with pytest.raises(ModuleNotFoundError, match=r"PyYAML.*ssm-mw\[cli\]"):
        load_task_definition(_write(tmp_path, "task.yaml", RUN_COMMAND_YAML))


async def test_a_loaded_file_registers_and_comes_back_equal(
    tmp_path: Path,
    mw_client: MaintenanceWindowClient,
    maintenance_window_id: str,
    ssm_server: EmbeddedSSMServer,
) -> None:
    """End to end: load a YAML file, register it on the embedded backend, get the same task back."""
    definition = load_task_definition(_write(tmp_path, "task.yaml", RUN_COMMAND_YAML))
    task_id = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, definition
    )
    details = await mw_client.get_maintenance_window_task(maintenance_window_id, task_id)
    sent = ssm_mw.to_botocore(definition)
    assert {k: v for k, v in ssm_mw.to_botocore(details).items() if k in sent} == sent
    assert ssm_server.request_count(_REGISTER) == 1


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
    with pytest.raises(TaskFileError, match="TaskType: an update cannot change the task's type"):
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


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ({"Bogus": 1}, "<dict>: Bogus: unknown key 'Bogus'"),
        ({"TaskArn": 5}, "<dict>: TaskArn: expected a string, got int"),
        ({"Priority": "high"}, "<dict>: Priority: expected an integer, got str"),
        (
            {"Targets": [{"Key": "InstanceIds", "Values": "i-0123456789abcdef0"}]},
            "<dict>: Targets[0].Values: expected a list, got str",
        ),
    ],
)
def test_a_users_dict_is_read_strictly(given: dict[str, Any], problem: str) -> None:
    """TaskFile.from_botocore: what from_botocore drops or converts is a located error."""
    base = {"TaskArn": "arn:aws:lambda:us-east-1:123456789012:function:f", "TaskType": "LAMBDA"}
    with pytest.raises(TaskFileError) as caught:
        TaskFile.from_botocore({**base, **given}).definition()
    assert str(caught.value).splitlines()[0] == problem
    with pytest.raises(TaskFileError):
        TaskFile.from_botocore({**base, **given}, name="form").update()
    assert TaskFile.from_botocore(base).definition() == from_botocore(base, TaskDefinition)


def test_a_users_dict_that_is_no_mapping_is_refused() -> None:
    """Not a mapping: one line, naming what it is."""
    with pytest.raises(
        TaskFileError, match=r"^form: expected a mapping of request members, got a list$"
    ):
        TaskFile.from_botocore(cast(Any, [1]), name="form")
