"""to_botocore / from_botocore: wire names, round trips, and tolerance of what the service adds."""

from __future__ import annotations

from typing import Any

import pytest

from ssm_mw import (
    AutomationParameters,
    CutoffBehavior,
    LambdaParameters,
    MaintenanceWindowTask,
    MaintenanceWindowTaskDetails,
    ResponseError,
    Target,
    TaskDefinition,
    TaskPage,
    TaskType,
    TaskUpdate,
    UnknownInvocationParameters,
    ValidationError,
    from_botocore,
    to_botocore,
)
from support.examples import ALL_TYPES, LAMBDA, RUN_COMMAND, RUN_COMMAND_WIRE

WINDOW = "mw-0123456789abcdef0"
TASK = "0c2fdb52-4b7e-4f6a-8a2b-7b7a3e4c5d6f"


def test_run_command_definition_becomes_the_register_request_shape() -> None:
    """A definition converts to botocore's register shape, with PascalCase names and lists."""
    assert to_botocore(RUN_COMMAND) == RUN_COMMAND_WIRE


def test_enum_values_are_plain_strings_on_the_wire() -> None:
    """Enums become plain str values, so the dict serializes anywhere."""
    wire = to_botocore(RUN_COMMAND)
    assert type(wire["TaskType"]) is str
    assert type(wire["CutoffBehavior"]) is str


@pytest.mark.parametrize("definition", ALL_TYPES, ids=lambda d: d.task_type.value)
def test_definitions_round_trip(definition: TaskDefinition) -> None:
    """from_botocore(to_botocore(x), type(x)) == x for a full definition of each type."""
    assert from_botocore(to_botocore(definition), TaskDefinition) == definition


def test_unset_members_are_left_out_of_requests() -> None:
    """A request dict has only the members that were set."""
    assert to_botocore(TaskUpdate(cutoff_behavior=CutoffBehavior.CANCEL_TASK)) == {
        "CutoffBehavior": "CANCEL_TASK"
    }
    assert to_botocore(TaskUpdate()) == {}


def test_task_type_is_always_sent() -> None:
    """The derived task type is written even though it has a default."""
    assert to_botocore(TaskDefinition(task_arn="x", task_type=TaskType.AUTOMATION)) == {
        "TaskArn": "x",
        "TaskType": "AUTOMATION",
    }


def test_none_is_kept_apart_from_empty() -> None:
    """An empty tuple or dict is written and read back; None is neither."""
    update = TaskUpdate(targets=(), task_parameters={})
    assert to_botocore(update) == {"Targets": [], "TaskParameters": {}}
    assert from_botocore({"Targets": []}, TaskUpdate) == TaskUpdate(targets=())
    assert from_botocore({}, TaskUpdate) == TaskUpdate()


def test_lambda_payload_is_bytes() -> None:
    """The Lambda payload stays bytes both ways."""
    wire = to_botocore(LAMBDA)
    assert wire["TaskInvocationParameters"]["Lambda"]["Payload"] == b'{"notify": 1}'
    assert from_botocore(wire, TaskDefinition) == LAMBDA


def test_lambda_payload_from_a_string_is_encoded() -> None:
    """A payload given as text (e.g. from a JSON file) becomes UTF-8 bytes."""
    d = from_botocore(
        {"TaskArn": "f", "TaskInvocationParameters": {"Lambda": {"Payload": "{}"}}},
        TaskDefinition,
    )
    assert d.task_invocation_parameters == LambdaParameters(payload=b"{}")


def _full_get_response() -> dict[str, Any]:
    return {
        "WindowId": WINDOW,
        "WindowTaskId": TASK,
        **to_botocore(RUN_COMMAND),
    }


def test_get_response_round_trips() -> None:
    """to_botocore(from_botocore(d, cls)) == d for a full get response."""
    response = _full_get_response()
    details = from_botocore(response, MaintenanceWindowTaskDetails)
    assert details.task_type is TaskType.RUN_COMMAND
    assert details.cutoff_behavior is CutoffBehavior.CANCEL_TASK
    assert details.task_invocation_parameters == RUN_COMMAND.task_invocation_parameters
    assert to_botocore(details) == response


def test_describe_page_round_trips_with_type_renamed() -> None:
    """Describe's `Type` becomes task_type and is written back as `Type`."""
    page = {
        "Tasks": [
            {
                "WindowId": WINDOW,
                "WindowTaskId": TASK,
                "Type": "LAMBDA",
                "CutoffBehavior": "CONTINUE_TASK",
                "Targets": [],
            }
        ],
        "NextToken": "abc",
    }
    parsed = from_botocore(page, TaskPage)
    assert parsed.tasks[0].task_type is TaskType.LAMBDA
    assert parsed.tasks[0].targets == ()
    assert parsed.next_token == "abc"
    assert to_botocore(parsed) == page


def test_response_metadata_and_unknown_keys_are_ignored() -> None:
    """Unknown members and ResponseMetadata do not break parsing."""
    response = {
        "WindowId": WINDOW,
        "WindowTaskId": TASK,
        "ResponseMetadata": {"RequestId": "r"},
        "BrandNewMember": {"x": 1},
    }
    details = from_botocore(response, MaintenanceWindowTaskDetails)
    assert to_botocore(details) == {"WindowId": WINDOW, "WindowTaskId": TASK}


def test_unknown_enum_values_survive_the_round_trip() -> None:
    """An unknown TaskType or CutoffBehavior is kept and written back unchanged."""
    response = {
        "WindowId": WINDOW,
        "WindowTaskId": TASK,
        "TaskType": "QUANTUM",
        "CutoffBehavior": "PAUSE_TASK",
    }
    details = from_botocore(response, MaintenanceWindowTaskDetails)
    assert details.task_type == "QUANTUM"
    assert not TaskType.is_known(details.task_type)
    assert to_botocore(details) == response


@pytest.mark.parametrize(
    ("block", "key"),
    [
        ({}, None),
        ({"Quantum": {"Qubits": 3}}, "Quantum"),
        ({"RunCommand": {}, "Lambda": {"Qualifier": "1"}}, None),
    ],
    ids=["empty", "unknown-variant", "two-variants"],
)
def test_untyped_invocation_blocks_do_not_raise(block: dict[str, Any], key: str | None) -> None:
    """An empty, unknown or doubled invocation block is kept as it came, and written back."""
    response = {"WindowId": WINDOW, "WindowTaskId": TASK, "TaskInvocationParameters": block}
    details = from_botocore(response, MaintenanceWindowTaskDetails)
    params = details.task_invocation_parameters
    assert isinstance(params, UnknownInvocationParameters)
    assert params.botocore_key == key
    assert to_botocore(details) == response


def test_requests_reject_an_unknown_variant() -> None:
    """A definition read from a dict with an unknown variant names the field."""
    with pytest.raises(ValidationError) as info:
        from_botocore({"TaskArn": "x", "TaskInvocationParameters": {"Quantum": {}}}, TaskDefinition)
    assert info.value.paths == ("task_invocation_parameters",)


def test_a_definition_dict_with_a_mismatched_type_raises() -> None:
    """A register-shaped dict whose TaskType disagrees with its block raises ValidationError."""
    with pytest.raises(ValidationError, match="task_type"):
        from_botocore(
            {"TaskArn": "x", "TaskType": "LAMBDA", "TaskInvocationParameters": {"Automation": {}}},
            TaskDefinition,
        )


@pytest.mark.parametrize("missing", ["WindowId", "WindowTaskId"])
def test_a_task_without_identity_raises_a_clear_error(missing: str) -> None:
    """A task that lacks its window or task id raises ResponseError naming the member."""
    data = {"WindowId": WINDOW, "WindowTaskId": TASK, "Type": "LAMBDA"}
    del data[missing]
    with pytest.raises(ResponseError, match=missing):
        from_botocore(data, MaintenanceWindowTask)


def test_variants_convert_on_their_own() -> None:
    """A variant converts to the inner structure of its botocore member."""
    params = AutomationParameters(document_version="1", parameters={"a": ("b",)})
    assert to_botocore(params) == {"DocumentVersion": "1", "Parameters": {"a": ["b"]}}
    assert from_botocore(to_botocore(params), AutomationParameters) == params


def test_targets_convert() -> None:
    """A target converts to Key/Values."""
    assert to_botocore(Target.instances("i-1")) == {"Key": "InstanceIds", "Values": ["i-1"]}
