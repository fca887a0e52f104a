"""The models cover 100% of the members of the four operations' request and response shapes.

This walks the botocore model that ships with the pinned botocore: a botocore
upgrade that adds a member fails here until the models catch up.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Mapping
from typing import Any, cast

import attrs
import botocore.session
import pytest

import ssm_mw
from ssm_mw._converter import BOTOCORE_SHAPES, invocation_key, wire_names
from ssm_mw._invocation import (
    AutomationParameters,
    LambdaParameters,
    RunCommandParameters,
    StepFunctionsParameters,
)
from ssm_mw._shapes import snake_case

MODEL = botocore.session.get_session().get_service_model("ssm")
#: The model classes of each shape (a filter shape serves tasks and windows).
SHAPE_CLASSES: dict[str, set[type]] = {}
for _cls, _shape in BOTOCORE_SHAPES.items():
    SHAPE_CLASSES.setdefault(_shape, set()).add(_cls)
VARIANTS = {
    invocation_key(cls): cls
    for cls in (
        RunCommandParameters,
        AutomationParameters,
        StepFunctionsParameters,
        LambdaParameters,
    )
}

#: Request members that are method parameters rather than model attributes.
METHOD_MEMBERS = {
    "DeregisterTaskFromMaintenanceWindow": (
        "deregister_task_from_maintenance_window",
        {"WindowId": "window_id", "WindowTaskId": "window_task_id"},
    ),
    "DescribeMaintenanceWindows": (
        "describe_maintenance_windows",
        {"Filters": "filters", "MaxResults": "max_results", "NextToken": "next_token"},
    ),
    "DescribeMaintenanceWindowTasks": (
        "describe_maintenance_window_tasks",
        {
            "WindowId": "window_id",
            "Filters": "filters",
            "MaxResults": "max_results",
            "NextToken": "next_token",
        },
    ),
    "GetMaintenanceWindowTask": (
        "get_maintenance_window_task",
        {"WindowId": "window_id", "WindowTaskId": "window_task_id"},
    ),
    "RegisterTaskWithMaintenanceWindow": (
        "register_task_with_maintenance_window",
        {"WindowId": "window_id", "ClientToken": "client_token"},
    ),
    "UpdateMaintenanceWindowTask": (
        "update_maintenance_window_task",
        {"WindowId": "window_id", "WindowTaskId": "window_task_id", "Replace": "replace"},
    ),
}


def _model_classes(annotation: Any) -> set[type]:
    """The model classes named anywhere inside a (resolved) type annotation."""
    found: set[type] = set()
    if isinstance(annotation, type) and attrs.has(annotation):
        found.add(annotation)
    for arg in typing.get_args(annotation):
        found |= _model_classes(arg)
    if isinstance(annotation, types.UnionType):
        for arg in annotation.__args__:
            found |= _model_classes(arg)
    return found


def _walk(
    cls: type,
    shape: Any,
    skip: frozenset[str],
    seen: set[tuple[type, str]],
    extra: frozenset[str] = frozenset(),
) -> list[str]:
    """Problems found checking that ``cls`` has one attribute per member of ``shape``.

    ``extra`` names wire members the class may have beyond the shape's.
    """
    if (cls, shape.name) in seen:
        return []
    seen.add((cls, shape.name))
    problems = []
    names = _wire_names(cls, shape)
    wire_to_attr = {wire: attr for attr, wire in names.items()}
    members = {m for m in shape.members if m not in skip}
    for member in sorted(members - set(wire_to_attr)):
        problems.append(f"{cls.__name__} lacks an attribute for {shape.name}.{member}")
    for attr, wire in names.items():
        if wire not in shape.members and wire not in extra:
            problems.append(f"{cls.__name__}.{attr} ({wire}) is not a member of {shape.name}")
    hints = typing.get_type_hints(cls)
    for wire in sorted(members & set(wire_to_attr)):
        problems += _walk_member(hints[wire_to_attr[wire]], shape.members[wire], seen)
    return problems


def _wire_names(cls: type, shape: Any) -> Mapping[str, str]:
    """The converter's names for a model class; the snake_case rule for a class of a test."""
    if cls in BOTOCORE_SHAPES:
        return wire_names(cls)
    by_attribute = {snake_case(m): m for m in shape.members}
    return {a.name: by_attribute.get(a.name, a.name) for a in attrs.fields(cls)}


def _walk_member(annotation: Any, shape: Any, seen: set[tuple[type, str]]) -> list[str]:
    while shape.type_name in ("list", "map"):
        shape = shape.member if shape.type_name == "list" else shape.value
    if shape.type_name != "structure":
        return []
    if shape.name == "MaintenanceWindowTaskInvocationParameters":
        problems = [
            f"no variant class for invocation parameters member {m}"
            for m in shape.members
            if m not in VARIANTS
        ]
        for key, variant in VARIANTS.items():
            problems += _walk(variant, shape.members[key], frozenset(), seen)
        return problems
    found = SHAPE_CLASSES.get(shape.name, set()) & set(_model_classes(annotation))
    if not found:
        return [f"no model class for structure {shape.name}"]
    return [
        problem
        for cls in sorted(found, key=str)
        for problem in _walk(cls, shape, frozenset(), seen)
    ]


OPERATIONS = [
    ("DescribeMaintenanceWindowTasks", "input", None),
    ("DescribeMaintenanceWindowTasks", "output", ssm_mw.TaskPage),
    ("DeregisterTaskFromMaintenanceWindow", "input", None),
    ("DeregisterTaskFromMaintenanceWindow", "output", ssm_mw.DeregisteredTask),
    ("DescribeMaintenanceWindows", "input", None),
    ("DescribeMaintenanceWindows", "output", ssm_mw.WindowPage),
    ("GetMaintenanceWindowTask", "input", None),
    ("GetMaintenanceWindowTask", "output", ssm_mw.MaintenanceWindowTaskDetails),
    ("RegisterTaskWithMaintenanceWindow", "input", ssm_mw.TaskDefinition),
    ("RegisterTaskWithMaintenanceWindow", "output", None),
    ("UpdateMaintenanceWindowTask", "input", ssm_mw.TaskUpdate),
    ("UpdateMaintenanceWindowTask", "output", ssm_mw.MaintenanceWindowTaskDetails),
]


@pytest.mark.parametrize(("operation", "side", "cls"), OPERATIONS)
def test_every_member_has_an_attribute(operation: str, side: str, cls: type | None) -> None:
    """Every member of the shape, recursively, has an attribute (or a method parameter)."""
    op = MODEL.operation_model(operation)
    shape = op.input_shape if side == "input" else op.output_shape
    problems: list[str] = []
    skip: frozenset[str] = frozenset()
    if side == "input":
        method_name, method_members = METHOD_MEMBERS[operation]
        params = inspect.signature(getattr(ssm_mw.MaintenanceWindowClient, method_name)).parameters
        for wire, param in method_members.items():
            assert wire in shape.members, f"{wire} is no longer a member of {shape.name}"
            assert param in params, f"{method_name} lacks the parameter {param}"
        skip = frozenset(method_members)
    if cls is None:
        # Inputs made of method parameters only; Register's output is the returned id.
        leftover = set(shape.members) - skip
        if operation == "DescribeMaintenanceWindowTasks":
            problems += _walk_member(tuple[ssm_mw.TaskFilter, ...], shape.members["Filters"], set())
            leftover -= {"Filters"}
        if operation == "RegisterTaskWithMaintenanceWindow" and side == "output":
            leftover -= {"WindowTaskId"}
        problems += [f"{shape.name}.{m} is not covered" for m in sorted(leftover)]
    else:
        # One class serves get's and update's results; update's lacks TaskType.
        extra = (
            frozenset({"TaskType"}) if operation == "UpdateMaintenanceWindowTask" else frozenset()
        )
        problems += _walk(cls, shape, skip, set(), extra)
    assert problems == []


def test_update_result_is_covered_by_details() -> None:
    """Update's result has no member that get's result lacks, so one class serves both."""
    get = MODEL.operation_model("GetMaintenanceWindowTask").output_shape
    update = MODEL.operation_model("UpdateMaintenanceWindowTask").output_shape
    assert set(update.members) <= set(get.members)


def test_describe_renames_type_to_task_type() -> None:
    """Describe's `Type` is `task_type`, the one renaming."""
    assert wire_names(ssm_mw.MaintenanceWindowTask)["task_type"] == "Type"
    assert wire_names(ssm_mw.MaintenanceWindowTaskDetails)["task_type"] == "TaskType"


def test_the_walk_notices_a_missing_attribute() -> None:
    """The coverage walk reports a member without an attribute (it can fail)."""

    @attrs.frozen(kw_only=True)
    class Partial:
        s3_bucket_name: str

    shape = MODEL.shape_for("LoggingInfo")
    problems = _walk(Partial, shape, frozenset(), set())
    assert problems == [
        "Partial lacks an attribute for LoggingInfo.S3KeyPrefix",
        "Partial lacks an attribute for LoggingInfo.S3Region",
    ]


def test_wire_names_refuse_an_attribute_the_shape_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The converter's names come from the compiled shape: an attribute of no member fails."""

    @attrs.frozen(kw_only=True)
    class Stray:
        s3_bucket_name: str
        s3_bucket: str

    monkeypatch.setitem(cast("dict[type, str]", BOTOCORE_SHAPES), Stray, "LoggingInfo")
    with pytest.raises(TypeError, match=r"Stray.s3_bucket is no member of the shape LoggingInfo"):
        wire_names(Stray)
