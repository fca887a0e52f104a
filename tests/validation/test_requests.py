"""Request validation against the botocore SSM model and the API reference's rules."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import pytest
from botocore.model import ShapeResolver
from botocore.validate import ParamValidator
from hypothesis import given
from hypothesis import strategies as st

from ssm_mw._errors import ValidationError
from ssm_mw._redact import REDACTED
from ssm_mw._schema import compile_shape
from ssm_mw._shapes import Shape, operation_input_shape
from ssm_mw._validation import (
    _Compiler,  # pyright: ignore[reportPrivateUsage]
    redact_request,
    validate_request,
    violations,
)
from support.examples import RUN_COMMAND_WIRE
from support.fresh import fresh_python
from support.operations import DESCRIBE, GET, REGISTER, UPDATE

WINDOW_ID = "mw-0123456789abcdef0"
TASK_ID = "e32eecb2-646c-4f4b-8ed1-205fbaabbccd"
KEY_HELP = "use InstanceIds (Target.instances) or WindowTargetIds (Target.window_targets)"
NO_LIMIT = "must not be given for a task without targets (the service refuses it and reports '1')"

#: The members every task type takes: those of ``RUN_COMMAND_WIRE`` but its type and invocation.
_COMMON: dict[str, Any] = {
    "WindowId": WINDOW_ID,
    **{
        key: value
        for key, value in RUN_COMMAND_WIRE.items()
        if key not in ("TaskArn", "TaskType", "TaskInvocationParameters")
    },
}
_INVOCATION: dict[str, tuple[str, dict[str, Any]]] = {
    "RUN_COMMAND": (RUN_COMMAND_WIRE["TaskArn"], RUN_COMMAND_WIRE["TaskInvocationParameters"]),
    "AUTOMATION": (
        "AWS-RestartEC2Instance",
        {
            "Automation": {
                "DocumentVersion": "3",
                "Parameters": {"InstanceId": ["{{RESOURCE_ID}}"], "AutomationAssumeRole": []},
            }
        },
    ),
    "STEP_FUNCTIONS": (
        "arn:aws:states:us-east-1:123456789012:stateMachine:nightly",
        {"StepFunctions": {"Input": '{"run": "nightly"}', "Name": "nightly-run"}},
    ),
    "LAMBDA": (
        "arn:aws:lambda:us-east-1:123456789012:function:nightly",
        {
            "Lambda": {
                "ClientContext": "eyJjdXN0b20iOnt9fQ==",
                "Qualifier": "$LATEST",
                "Payload": b'{"run": "nightly"}',
            }
        },
    ),
}


def register(task_type: str = "RUN_COMMAND") -> dict[str, Any]:
    """A full, valid register request of one task type."""
    arn, invocation = _INVOCATION[task_type]
    extra = {"TaskArn": arn, "TaskType": task_type, "TaskInvocationParameters": invocation}
    return copy.deepcopy({**_COMMON, **extra, "ClientToken": "token-1"})


def update() -> dict[str, Any]:
    """A full, valid update request."""
    arn, invocation = _INVOCATION["RUN_COMMAND"]
    extra = {"TaskArn": arn, "TaskInvocationParameters": invocation}
    return copy.deepcopy({**_COMMON, "WindowTaskId": TASK_ID, **extra, "Replace": True})


def get() -> dict[str, Any]:
    """A valid get request."""
    return {"WindowId": WINDOW_ID, "WindowTaskId": TASK_ID}


def describe() -> dict[str, Any]:
    """A full, valid describe request."""
    return {
        "WindowId": WINDOW_ID,
        "Filters": [{"Key": "TaskType", "Values": ["RUN_COMMAND"]}, {"Key": "Priority"}],
        "MaxResults": 50,
        "NextToken": "abc",
    }


BASES: dict[str, Callable[[], dict[str, Any]]] = {
    REGISTER: register,
    UPDATE: update,
    GET: get,
    DESCRIBE: describe,
}
DELETE: Any = object()


def set_at(request: dict[str, Any], keys: Sequence[Any], value: Any) -> None:
    """Set the member of ``request`` at the path ``keys`` to ``value`` (or delete it), in place."""
    node = request
    for key in keys[:-1]:
        node = node[key]
    if value is DELETE:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value


def changed(request: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``request`` with the member at dotted wire ``path`` set (or deleted)."""
    new = copy.deepcopy(request)
    set_at(new, [int(k) if k.isdigit() else k for k in path.split(".")], value)
    return new


def messages(operation: str, params: Mapping[str, Any]) -> list[str]:
    """Every violation, rendered ``path: message``."""
    return [str(v) for v in violations(operation, params)]


# -- valid requests -------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        *[(REGISTER, register(t)) for t in _INVOCATION],
        (
            REGISTER,
            {"WindowId": WINDOW_ID, "TaskArn": "AWS-RestartEC2Instance", "TaskType": "AUTOMATION"},
        ),
        (
            REGISTER,
            changed(
                register(),
                "Targets.0.Values",
                ("e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3", "E32EECB2-646C-4F4B-8ED1-205FB0A1B2C3"),
            ),
        ),
        (
            REGISTER,
            changed(register("LAMBDA"), "TaskInvocationParameters.Lambda.Payload", bytearray(4096)),
        ),
        (UPDATE, update()),
        (UPDATE, {"WindowId": WINDOW_ID, "WindowTaskId": TASK_ID, "Priority": 0}),
        (UPDATE, {"WindowId": WINDOW_ID, "WindowTaskId": TASK_ID, "Replace": False}),
        (GET, get()),
        (DESCRIBE, describe()),
        (DESCRIBE, {"WindowId": WINDOW_ID}),
    ],
)
def test_valid_requests_pass(operation: str, params: dict[str, Any]) -> None:
    """Full valid requests (each task type, each operation) raise nothing and botocore agrees."""
    validate_request(operation, params)  # does not raise
    assert violations(operation, params) == []
    assert not ParamValidator().validate(params, operation_input_shape(operation)).has_errors()


# -- each kind of model constraint -------------------------------------------------

RC = "TaskInvocationParameters.RunCommand"
TIP = "task_invocation_parameters"
ALARM = "alarm_configuration.alarms"
NOTIFY = f"{TIP}.notification_config.notification_events"
CLOUDWATCH = f"{TIP}.cloud_watch_output_config"
TARGET_KEY = (
    r"^[\p{L}\p{Z}\p{N}_.:/=\-@]*$|resource-groups:ResourceTypeFilters|resource-groups:Name"
)
DOC_VERSION = "([$]LATEST|[$]DEFAULT|^[1-9][0-9]*$)"
MW_ID = "^mw-[0-9a-f]{17}$"
TASK_ID_RX = r"^[0-9a-fA-F]{8}\-[0-9a-fA-F]{4}\-[0-9a-fA-F]{4}\-[0-9a-fA-F]{4}\-[0-9a-fA-F]{12}$"
MAX_CONCURRENCY = "^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$"
MAX_ERRORS = "^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$"
NOT_BLANK = r"^(?!\s*$).+"
TASK_TYPES = "RUN_COMMAND, AUTOMATION, STEP_FUNCTIONS, LAMBDA"
EVENTS = "All, InProgress, Success, TimedOut, Cancelled, Failed"
FILTER_KEYS = "WindowTaskId, TaskArn, Priority, TaskType"
A60 = "a" * 60


def long(n: int, ch: str = "a") -> str:
    """``n`` copies of ``ch``."""
    return ch * n


CASES: list[tuple[str, str, Any, list[str]]] = [
    # required
    (REGISTER, "WindowId", DELETE, ["window_id: is required"]),
    (REGISTER, "TaskArn", DELETE, ["task_arn: is required"]),
    (REGISTER, "LoggingInfo.S3Region", DELETE, ["logging_info.s3_region: is required"]),
    (UPDATE, "LoggingInfo.S3BucketName", DELETE, ["logging_info.s3_bucket_name: is required"]),
    (UPDATE, "AlarmConfiguration.Alarms.0.Name", DELETE, [f"{ALARM}[0].name: is required"]),
    (GET, "WindowTaskId", DELETE, ["window_task_id: is required"]),
    (DESCRIBE, "WindowId", DELETE, ["window_id: is required"]),
    # string length
    (REGISTER, "TaskArn", "", ["task_arn: length 0 is below the minimum 1: ''"]),
    (
        REGISTER,
        "TaskArn",
        long(1601),
        [f"task_arn: length 1601 is above the maximum 1600: '{A60}'…"],
    ),
    (
        REGISTER,
        "ClientToken",
        long(65),
        [f"client_token: length 65 is above the maximum 64: '{A60}'…"],
    ),
    (
        UPDATE,
        f"{RC}.Comment",
        long(101),
        [f"{TIP}.comment: length 101 is above the maximum 100: '{A60}'…"],
    ),
    (
        UPDATE,
        "LoggingInfo.S3Region",
        "eu",
        ["logging_info.s3_region: length 2 is below the minimum 3: 'eu'"],
    ),
    (
        GET,
        "WindowTaskId",
        TASK_ID + "0",
        [
            f"window_task_id: length 37 is above the maximum 36: '{TASK_ID}0'",
            f"window_task_id: '{TASK_ID}0' does not match the pattern {TASK_ID_RX}",
        ],
    ),
    (
        DESCRIBE,
        "Filters.0.Values.0",
        "",
        ["filters[0].values[0]: length 0 is below the minimum 1: ''"],
    ),
    # integer range
    (REGISTER, f"{RC}.TimeoutSeconds", 10, [f"{TIP}.timeout_seconds: 10 is below the minimum 30"]),
    (
        REGISTER,
        f"{RC}.TimeoutSeconds",
        2592001,
        [f"{TIP}.timeout_seconds: 2592001 is above the maximum 2592000"],
    ),
    (REGISTER, "Priority", -1, ["priority: -1 is below the minimum 0"]),
    (UPDATE, "Priority", 2**31, ["priority: 2147483648 is above the maximum 2147483647"]),
    (DESCRIBE, "MaxResults", 9, ["max_results: 9 is below the minimum 10"]),
    (DESCRIBE, "MaxResults", 101, ["max_results: 101 is above the maximum 100"]),
    # list and map sizes
    (
        REGISTER,
        "Targets",
        [{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}] * 6,
        ["targets: has 6 items, above the maximum 5"],
    ),
    (
        REGISTER,
        "Targets.0.Values",
        ["e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3"] * 51,
        ["targets[0].values: has 51 items, above the maximum 50"],
    ),
    (UPDATE, "AlarmConfiguration.Alarms", [], [f"{ALARM}: has 0 items, below the minimum 1"]),
    (
        UPDATE,
        "AlarmConfiguration.Alarms",
        [{"Name": "a"}] * 2,
        [f"{ALARM}: has 2 items, above the maximum 1"],
    ),
    (DESCRIBE, "Filters", [{"Key": "TaskArn"}] * 6, ["filters: has 6 items, above the maximum 5"]),
    (UPDATE, f"{RC}.Parameters", {}, []),  # sensitive map without size limits
    # patterns
    (
        REGISTER,
        "WindowId",
        "mw-0123456789ABCDEF0",
        [f"window_id: 'mw-0123456789ABCDEF0' does not match the pattern {MW_ID}"],
    ),
    (
        GET,
        "WindowTaskId",
        long(36, "x"),
        [f"window_task_id: '{long(36, 'x')}' does not match the pattern {TASK_ID_RX}"],
    ),
    (
        REGISTER,
        "Targets.0.Key",
        "tag:a!b",
        [
            f"targets[0].key: 'tag:a!b' does not match the pattern {TARGET_KEY}",
            f"targets[0].key: 'tag:a!b' is not a window task target: {KEY_HELP}",
        ],
    ),
    (
        REGISTER,
        f"{RC}.DocumentVersion",
        "01",
        [f"{TIP}.document_version: '01' does not match the pattern {DOC_VERSION}"],
    ),
    (
        REGISTER,
        "MaxConcurrency",
        "0",
        [f"max_concurrency: '0' does not match the pattern {MAX_CONCURRENCY}"],
    ),
    (UPDATE, "MaxErrors", "101%", [f"max_errors: '101%' does not match the pattern {MAX_ERRORS}"]),
    (
        UPDATE,
        "AlarmConfiguration.Alarms.0.Name",
        "   ",
        [f"{ALARM}[0].name: '   ' does not match the pattern {NOT_BLANK}"],
    ),
    (
        REGISTER,
        "Name",
        "my task",
        [r"name: 'my task' does not match the pattern ^[a-zA-Z0-9_\-.]{3,128}$"],
    ),
    # enums (and the filter keys the reference lists for describe)
    (REGISTER, "TaskType", "SHELL", [f"task_type: 'SHELL' is not one of {TASK_TYPES}"]),
    (
        UPDATE,
        "CutoffBehavior",
        "STOP",
        ["cutoff_behavior: 'STOP' is not one of CONTINUE_TASK, CANCEL_TASK"],
    ),
    (
        UPDATE,
        f"{RC}.DocumentHashType",
        "Md5",
        [f"{TIP}.document_hash_type: 'Md5' is not one of Sha256, Sha1"],
    ),
    (
        REGISTER,
        f"{RC}.NotificationConfig.NotificationEvents.1",
        "Done",
        [f"{NOTIFY}[1]: 'Done' is not one of {EVENTS}"],
    ),
    (DESCRIBE, "Filters.1.Key", "Name", [f"filters[1].key: 'Name' is not one of {FILTER_KEYS}"]),
    # types
    (GET, "WindowId", 123, ["window_id: expected a string, got int"]),
    (REGISTER, "Priority", True, ["priority: expected an integer, got bool"]),
    (REGISTER, "Priority", "1", ["priority: expected an integer, got str"]),
    (REGISTER, "Name", None, ["name: expected a string, got None"]),
    (
        UPDATE,
        f"{RC}.CloudWatchOutputConfig.CloudWatchOutputEnabled",
        "yes",
        [f"{CLOUDWATCH}.cloud_watch_output_enabled: expected a boolean, got str"],
    ),
    (UPDATE, "Replace", 1, ["replace: expected a boolean, got int"]),
    (DESCRIBE, "Filters", {"Key": "TaskArn"}, ["filters: expected a list, got dict"]),
    (REGISTER, "TaskParameters", ["echo"], ["task_parameters: expected a map (dict), got list"]),
    (
        REGISTER,
        "LoggingInfo",
        "s3://bucket",
        ["logging_info: expected a structure (dict), got str"],
    ),
    (REGISTER, RC, "echo", [f"{TIP}: RunCommand: expected a structure (dict), got str"]),
    # unknown members
    (REGISTER, "TaskTypo", "x", ["task_typo: unknown member 'TaskTypo'"]),
    (REGISTER, "LoggingInfo.S3Bucket", "b", ["logging_info.s3_bucket: unknown member 'S3Bucket'"]),
    (REGISTER, f"{RC}.Shell", "sh", [f"{TIP}.shell: unknown member 'Shell'"]),
    (UPDATE, "TaskType", "RUN_COMMAND", ["task_type: unknown member 'TaskType'"]),
    (GET, "Filters", [], ["filters: unknown member 'Filters'"]),
]

AUTOMATION = "TaskInvocationParameters.Automation"
LAMBDA = "TaskInvocationParameters.Lambda"
TASK_TYPE_CASES: list[tuple[str, str, Any, list[str]]] = [
    # map sizes and blob sizes, on register requests of the matching task type
    (
        "AUTOMATION",
        f"{AUTOMATION}.Parameters",
        {},
        [f"{TIP}.parameters: has 0 entries, below the minimum 1"],
    ),
    (
        "AUTOMATION",
        f"{AUTOMATION}.Parameters",
        {f"p{i}": [] for i in range(201)},
        [f"{TIP}.parameters: has 201 entries, above the maximum 200"],
    ),
    (
        "AUTOMATION",
        f"{AUTOMATION}.Parameters.InstanceId",
        ["i"] * 51,
        [f"{TIP}.parameters[InstanceId]: has 51 items, above the maximum 50"],
    ),
    (
        "AUTOMATION",
        f"{AUTOMATION}.Parameters.InstanceId.0",
        "",
        [f"{TIP}.parameters[InstanceId][0]: length 0 is below the minimum 1: ''"],
    ),
    (
        "LAMBDA",
        f"{LAMBDA}.Payload",
        b"x" * 4097,
        [f"{TIP}.payload: size 4097 bytes is above the maximum 4096"],
    ),
    (
        "LAMBDA",
        f"{LAMBDA}.Payload",
        "é" * 2049,
        [f"{TIP}.payload: size 4098 bytes is above the maximum 4096"],
    ),
    ("LAMBDA", f"{LAMBDA}.Payload", 7, [f"{TIP}.payload: expected bytes, got int"]),
    (
        "LAMBDA",
        f"{LAMBDA}.Qualifier",
        "",
        [f"{TIP}.qualifier: length 0 is below the minimum 1: ''"],
    ),
    (
        "STEP_FUNCTIONS",
        "TaskInvocationParameters.StepFunctions.Name",
        long(81),
        [f"{TIP}.name: length 81 is above the maximum 80: '{A60}'…"],
    ),
]


@pytest.mark.parametrize(("task_type", "path", "value", "expected"), TASK_TYPE_CASES)
def test_variant_constraints(task_type: str, path: str, value: Any, expected: list[str]) -> None:
    """Constraints inside each invocation-parameters variant, reported without the variant level."""
    assert messages(REGISTER, changed(register(task_type), path, value)) == expected


@pytest.mark.parametrize(("operation", "path", "value", "expected"), CASES)
def test_each_model_constraint(operation: str, path: str, value: Any, expected: list[str]) -> None:
    """Breaking one constraint of a valid request gives exactly that violation, at that path."""
    params = changed(BASES[operation](), path, value)
    assert messages(operation, params) == expected
    if expected:
        with pytest.raises(ValidationError) as info:
            validate_request(operation, params)
        assert [str(v) for v in info.value.violations] == expected


# -- rules the API reference states ------------------------------------------------

VARIANT_OF = {
    "RUN_COMMAND": "RunCommand",
    "AUTOMATION": "Automation",
    "STEP_FUNCTIONS": "StepFunctions",
    "LAMBDA": "Lambda",
}


@pytest.mark.parametrize("task_type", list(_INVOCATION))
@pytest.mark.parametrize("params_of", list(_INVOCATION))
def test_variant_must_match_task_type(task_type: str, params_of: str) -> None:
    """Register: the invocation-parameters variant must be the one of TaskType."""
    params = register(params_of)
    params["TaskType"] = task_type
    found = messages(REGISTER, params)
    if task_type == params_of:
        assert found == []
    else:
        given_, wanted = VARIANT_OF[params_of], VARIANT_OF[task_type]
        assert found == [
            f"{TIP}: {given_} parameters do not match task_type '{task_type}' (expected {wanted})"
        ]


@pytest.mark.parametrize("operation", [REGISTER, UPDATE])
def test_at_most_one_variant(operation: str) -> None:
    """Register and update: only one invocation-parameters variant may be given."""
    params = BASES[operation]()
    params["TaskInvocationParameters"]["Lambda"] = {"Qualifier": "1"}
    found = messages(operation, params)
    assert f"{TIP}: only one kind of parameters may be given, got RunCommand and Lambda" in found
    assert len(found) == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"Replace": True},
            [
                "task_arn: is required when replace is True",
                "priority: is required when replace is True (the service cannot clear it)",
            ],
        ),
        (
            {"Replace": True, "TaskArn": "AWS-RunShellScript"},
            ["priority: is required when replace is True (the service cannot clear it)"],
        ),
        ({"Replace": True, "TaskArn": "AWS-RunShellScript", "Priority": 0}, []),
        ({"Replace": False}, []),
        ({}, []),
    ],
)
def test_replace_needs_what_register_needs(params: dict[str, Any], expected: list[str]) -> None:
    """Update with Replace=True needs TaskArn (what register requires, TaskType aside) and a
    Priority (F10)."""
    assert messages(UPDATE, {"WindowId": WINDOW_ID, "WindowTaskId": TASK_ID, **params}) == expected


@pytest.mark.parametrize(
    ("operation", "params", "expected"),
    [
        (
            REGISTER,
            changed(register(), "Targets", DELETE),
            ["targets: a RUN_COMMAND task needs a target"],
        ),
        (
            REGISTER,
            changed(register(), "Targets", []),
            ["targets: a RUN_COMMAND task needs a target"],
        ),
        (
            REGISTER,
            changed(register("LAMBDA"), "Targets", DELETE),
            [f"max_concurrency: {NO_LIMIT}", f"max_errors: {NO_LIMIT}"],
        ),
        (
            REGISTER,
            changed(
                changed(changed(register("LAMBDA"), "Targets", []), "MaxErrors", DELETE),
                "MaxConcurrency",
                DELETE,
            ),
            [],
        ),
        (
            REGISTER,
            changed(register(), "MaxErrors", DELETE),
            ["max_errors: is required when targets are given"],
        ),
        (
            UPDATE,
            changed(update(), "MaxConcurrency", DELETE),
            ["max_concurrency: is required when targets are given"],
        ),
        (
            UPDATE,
            changed(update(), "Targets", DELETE),
            ["targets: a RUN_COMMAND task needs a target"],
        ),
        (UPDATE, changed(changed(update(), "Replace", False), "Targets", DELETE), []),
        (UPDATE, changed(changed(update(), "Replace", DELETE), "MaxErrors", DELETE), []),
    ],
)
def test_target_rules(operation: str, params: dict[str, Any], expected: list[str]) -> None:
    """Run Command tasks need targets; tasks with targets need MaxConcurrency and MaxErrors."""
    assert messages(operation, params) == expected


def test_every_violation_at_once_in_document_order() -> None:
    """All violations come in one error, in model member order, with library paths."""
    params = register()
    params.update(WindowId="mw-1", TaskType="LAMBDA", Priority=-5, Surprise=1)
    params["Targets"][0]["Values"] = ["e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3", 2]
    params["TaskParameters"] = {"commands": {"Values": ["ok", ""]}}
    params["TaskInvocationParameters"]["RunCommand"]["TimeoutSeconds"] = 10
    params["LoggingInfo"].pop("S3BucketName")
    params["AlarmConfiguration"]["Alarms"] = []
    with pytest.raises(ValidationError) as info:
        validate_request(REGISTER, params)
    assert info.value.paths == (
        "window_id",
        "window_id",
        "targets[0].values[1]",
        "task_parameters[commands].values[1]",
        f"{TIP}.timeout_seconds",
        "priority",
        "logging_info.s3_bucket_name",
        "alarm_configuration.alarms",
        "surprise",
        TIP,
    )
    assert str(info.value).startswith("10 validation errors:\n  - window_id: length 4 is below")


def test_non_mapping_request_and_unknown_operation() -> None:
    """A request that is no dict is one violation; an unknown operation is a ValueError."""
    assert messages(GET, ["mw-1"]) == ["expected a structure (dict), got list"]  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown operation 'Bogus'"):
        violations("Bogus", {})
    with pytest.raises(ValueError, match="unknown operation 'GetInventory'"):
        validate_request("GetInventory", {})


# -- sensitive values ---------------------------------------------------------------

SECRET = "s3cr3t-9f1c2d"


@pytest.mark.parametrize(
    ("task_type", "path", "value", "count"),
    [
        ("RUN_COMMAND", "Description", SECRET * 20, 1),
        ("RUN_COMMAND", "Description", [SECRET], 1),
        ("RUN_COMMAND", "TaskParameters", {SECRET * 30: {"Values": [SECRET * 30, ""]}}, 3),
        ("RUN_COMMAND", "TaskParameters", {"commands": {"Values": SECRET}}, 1),
        ("RUN_COMMAND", "TaskParameters", {"commands": SECRET}, 1),
        ("RUN_COMMAND", "TaskParameters", {"commands": {"Values": [SECRET], SECRET: 1}}, 1),
        ("RUN_COMMAND", "TaskParameters", {3: {"Values": [SECRET * 30]}}, 2),
        ("RUN_COMMAND", f"{RC}.Parameters", {"commands": [SECRET, 4]}, 1),
        ("RUN_COMMAND", f"{RC}.Parameters", {"commands": SECRET}, 1),
        ("LAMBDA", f"{LAMBDA}.Payload", SECRET.encode() * 400, 1),
        ("LAMBDA", f"{LAMBDA}.Payload", SECRET * 400, 1),
        ("STEP_FUNCTIONS", "TaskInvocationParameters.StepFunctions.Input", SECRET * 400, 1),
    ],
)
def test_sensitive_values_never_in_messages(
    task_type: str, path: str, value: Any, count: int
) -> None:
    """A secret planted in any sensitive member, breaking its rules, never shows in a message."""
    params = changed(register(task_type), path, value)
    found = violations(REGISTER, params)
    assert len(found) == count
    with pytest.raises(ValidationError) as info:
        validate_request(REGISTER, params)
    assert SECRET not in str(info.value)
    assert all(SECRET not in v.path + v.message for v in found)


def test_sensitive_length_message_has_no_value() -> None:
    """A too-long description says how long it is, not what it says."""
    found = messages(REGISTER, changed(register(), "Description", "d" * 300))
    assert found == ["description: length 300 is above the maximum 128"]


def test_sensitive_pattern_enum_and_range_messages_have_no_value() -> None:
    """Below shapes marked sensitive, pattern, enum, range and length messages omit the value."""
    resolver = ShapeResolver(
        {
            "Req": {
                "type": "structure",
                "members": {
                    "P": {"shape": "P"},
                    "E": {"shape": "E"},
                    "N": {"shape": "N"},
                    "S": {"shape": "S"},
                },
            },
            "S": {"type": "structure", "members": {"Inner": {"shape": "Plain"}}, "sensitive": True},
            "Plain": {"type": "string", "max": 3},
            "P": {"type": "string", "pattern": "^[0-9]+$", "sensitive": True},
            "E": {"type": "string", "enum": ["A", "B"], "sensitive": True},
            "N": {"type": "integer", "min": 1, "sensitive": True},
        }
    )
    node = compile_shape(cast(Shape, resolver.get_shape_by_name("Req")))
    check = _Compiler("Synthetic").compile(node, "", False)
    out: list[Any] = []
    check({"P": SECRET, "E": SECRET, "N": -987654, "S": {"Inner": SECRET}}, "", "", out)
    assert [str(v) for v in out] == [
        "p: value does not match the pattern ^[0-9]+$",
        "e: value is not one of A, B",
        "n: value is below the minimum 1",
        f"s.inner: length {len(SECRET)} is above the maximum 3",  # inherited from S
    ]


def test_redact_request_blanks_every_sensitive_value() -> None:
    """redact_request replaces sensitive values by *** and keeps everything else."""
    params = register()
    params["TaskInvocationParameters"]["RunCommand"]["Parameters"] = {"commands": [SECRET]}
    params["TaskParameters"] = {"commands": {"Values": [SECRET]}}
    params["Description"] = SECRET
    params["Unknown"] = SECRET
    original = copy.deepcopy(params)
    redacted = redact_request(REGISTER, params)
    assert params == original
    assert SECRET not in repr(redacted)
    assert redacted["TaskParameters"] == {"commands": {"Values": [REDACTED]}}
    assert redacted["TaskInvocationParameters"]["RunCommand"]["Parameters"] == {
        "commands": [REDACTED]
    }
    assert redacted["Description"] == redacted["Unknown"] == REDACTED
    assert redacted["Targets"] == params["Targets"]
    assert redacted["Targets"] is not params["Targets"]
    lam = redact_request(REGISTER, register("LAMBDA"))["TaskInvocationParameters"]["Lambda"]
    assert lam == {
        "ClientContext": "eyJjdXN0b20iOnt9fQ==",
        "Qualifier": "$LATEST",
        "Payload": REDACTED,
    }


def test_redaction_only_for_wrapped_operations() -> None:
    """Redacting a request of an operation ssm-mw does not wrap is refused."""
    with pytest.raises(ValueError, match="unknown operation 'GetInventory'"):
        redact_request("GetInventory", {})


# -- patterns ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("$LATEST", True),
        ("$DEFAULT", True),
        ("1", True),
        ("42", True),
        ("v$LATEST-x", True),  # not anchored: the service finds $LATEST inside
        ("0", False),
        ("01", False),
        ("1.0", False),
        ("latest", False),
        ("", False),
        ("3\n", False),  # `$` is end of input
    ],
)
def test_document_version_pattern(value: str, ok: bool) -> None:
    """DocumentVersion's pattern matches with search semantics, anchored only where it says."""
    params = changed(register(), f"{RC}.DocumentVersion", value)
    assert (messages(REGISTER, params) == []) is ok


@pytest.mark.parametrize(
    ("key", "ok"),
    [
        ("tag:Environment", True),
        ("tag:Ünïcödé 名前 ٣ Ⅻ", True),  # letters, a space, Arabic-Indic and Roman numerals
        ("tag:no\u00a0break\u2028line", True),  # Zs and Zl are \p{Z}
        ("resource-groups:Name", True),
        ("resource-groups:ResourceTypeFilters", True),
        ("x! resource-groups:Name", True),  # the unanchored alternatives match anywhere
        ("tag:a!b", False),
        ("tag:tab\there", False),  # a control character is no \p{Z}
        ("tag:zero\u200bwidth", False),  # Cf
        ("tag:smile😀", False),  # So
    ],
)
def test_target_key_unicode_classes(key: str, ok: bool) -> None:
    """TargetKey's \\p{L}, \\p{Z}, \\p{N} classes follow the Unicode categories exactly.

    Only the model's pattern is checked here: a window task refuses every one of
    these keys anyway (docs/fidelity.md, F1), which ``rules/test_client_checks.py`` checks.
    """
    params = changed(register(), "Targets.0.Key", key)
    found = messages(REGISTER, params)
    assert (not any("does not match the pattern" in m for m in found)) is ok
    assert f"targets[0].key: {key!r} is not a window task target: {KEY_HELP}" in found


@given(st.integers(min_value=-(2**40), max_value=2**40))
def test_timeout_range_property(timeout: int) -> None:
    """TimeoutSeconds is rejected exactly outside 30..2592000."""
    params = changed(register(), f"{RC}.TimeoutSeconds", timeout)
    assert (messages(REGISTER, params) == []) is (30 <= timeout <= 2592000)


# -- botocore cross-check -----------------------------------------------------------------

BOTOCORE_REJECTS: list[tuple[str, dict[str, Any]]] = [
    (REGISTER, changed(register(), "WindowId", DELETE)),
    (REGISTER, changed(register(), "TaskType", DELETE)),
    (REGISTER, changed(register(), "WindowId", "mw-1")),
    (REGISTER, changed(register(), "Priority", "1")),
    (REGISTER, changed(register(), "Priority", -1)),
    (REGISTER, changed(register(), "Targets", "i-1")),
    (REGISTER, changed(register(), "Targets.0.Values.0", 5)),
    (REGISTER, changed(register(), "Bogus", 1)),
    (REGISTER, changed(register(), f"{RC}.TimeoutSeconds", 10)),
    (REGISTER, changed(register(), f"{RC}.CloudWatchOutputConfig.CloudWatchOutputEnabled", 1)),
    (REGISTER, changed(register(), "LoggingInfo.S3Region", DELETE)),
    (REGISTER, changed(register(), "AlarmConfiguration.Alarms", [])),
    (REGISTER, changed(register(), "Name", None)),
    (REGISTER, changed(register("LAMBDA"), f"{LAMBDA}.Payload", 5)),
    (UPDATE, changed(update(), "WindowTaskId", "x")),
    (UPDATE, changed(update(), "TaskType", "LAMBDA")),
    (UPDATE, changed(update(), "TaskParameters.level.Values.0", "")),
    (GET, changed(get(), "WindowTaskId", DELETE)),
    (DESCRIBE, changed(describe(), "MaxResults", 1)),
    (DESCRIBE, changed(describe(), "Filters.0.Key", "")),
]


@pytest.mark.parametrize(("operation", "params"), BOTOCORE_REJECTS)
def test_we_reject_what_botocore_rejects(operation: str, params: dict[str, Any]) -> None:
    """Requests botocore's ParamValidator rejects, we reject too."""
    assert ParamValidator().validate(params, operation_input_shape(operation)).has_errors()
    assert violations(operation, params)


def _leaf_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():  # pyright: ignore[reportUnknownVariableType]
            paths += _leaf_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):  # pyright: ignore[reportUnknownVariableType]
            paths += _leaf_paths(item, (*prefix, i))
    return paths


ODD_VALUES = [None, "", "x", 0, -1, 10**12, True, 1.5, [], {}, b"", "x" * 2000, ["x"], {"A": 1}]


@given(st.data())
def test_botocore_rejection_implies_ours(data: st.DataObject) -> None:
    """Whatever single member of a valid request is broken, botocore rejecting means we do."""
    operation = data.draw(st.sampled_from([REGISTER, UPDATE, GET, DESCRIBE]))
    params = BASES[operation]()
    path = data.draw(st.sampled_from(_leaf_paths(params)))
    value = data.draw(st.sampled_from([DELETE, *ODD_VALUES]))
    set_at(params, path, value if value is DELETE else copy.deepcopy(value))
    if ParamValidator().validate(params, operation_input_shape(operation)).has_errors():
        assert violations(operation, params)


# -- cost --------------------------------------------------------------------------------


def test_a_describe_needs_no_rule_of_the_real_service() -> None:
    """The real service's rules (``_rules``) are imported by the first request they hold."""
    code = (
        "import sys, ssm_mw\n"
        "from ssm_mw._validation import violations\n"
        "from ssm_mw._operations import DESCRIBE_TASKS, REGISTER_TASK\n"
        "print(violations(DESCRIBE_TASKS.name, {'WindowId': 'mw-0123456789abcdef0'}))\n"
        "print('ssm_mw._rules' in sys.modules)\n"
        "violations(REGISTER_TASK.name, {})\n"
        "print('ssm_mw._rules' in sys.modules)"
    )
    assert fresh_python(code).split() == ["[]", "False", "True"]


def test_model_loads_lazily() -> None:
    """Importing ssm_mw and every module of the runtime package loads no service model."""
    code = (
        "import importlib, pkgutil, ssm_mw, ssm_mw._shapes as s\n"
        "for m in pkgutil.iter_modules(ssm_mw.__path__):\n"
        "    if not m.ispkg: importlib.import_module('ssm_mw.' + m.name)\n"
        "print(s.service_model.cache_info().currsize)"
    )
    assert fresh_python(code).strip() == "0"
