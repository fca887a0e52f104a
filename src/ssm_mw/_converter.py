"""cattrs conversion between the models and botocore dicts.

This is the only module that knows the botocore wire names (PascalCase).
A wire name is the PascalCase of the attribute name, with one exception:
describe's ``Type`` is ``task_type``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._enums import OpenEnum
from ._errors import ResponseError, ValidationError
from ._invocation import (
    AnyInvocationParameters,
    AutomationParameters,
    CloudWatchOutputConfig,
    LambdaParameters,
    NotificationConfig,
    RunCommandParameters,
    StepFunctionsParameters,
    TaskInvocationParameters,
    UnknownInvocationParameters,
)
from ._models import (
    Alarm,
    AlarmConfiguration,
    LoggingInfo,
    MaintenanceWindowTask,
    MaintenanceWindowTaskDetails,
    Target,
    TaskDefinition,
    TaskFilter,
    TaskPage,
    TaskParameterValueExpression,
    TaskUpdate,
)

__all__ = [
    "BOTOCORE_SHAPES",
    "describe_request",
    "from_botocore",
    "get_request",
    "make_converter",
    "parse_register_response",
    "register_request",
    "to_botocore",
    "update_request",
    "wire_names",
]

T = TypeVar("T")

#: The botocore shape each model class stands for (used by tests and fuzzing).
BOTOCORE_SHAPES: Mapping[type, str] = {
    Target: "Target",
    TaskFilter: "MaintenanceWindowFilter",
    TaskParameterValueExpression: "MaintenanceWindowTaskParameterValueExpression",
    LoggingInfo: "LoggingInfo",
    Alarm: "Alarm",
    AlarmConfiguration: "AlarmConfiguration",
    CloudWatchOutputConfig: "CloudWatchOutputConfig",
    NotificationConfig: "NotificationConfig",
    RunCommandParameters: "MaintenanceWindowRunCommandParameters",
    AutomationParameters: "MaintenanceWindowAutomationParameters",
    StepFunctionsParameters: "MaintenanceWindowStepFunctionsParameters",
    LambdaParameters: "MaintenanceWindowLambdaParameters",
    TaskDefinition: "RegisterTaskWithMaintenanceWindowRequest",
    TaskUpdate: "UpdateMaintenanceWindowTaskRequest",
    MaintenanceWindowTask: "MaintenanceWindowTask",
    MaintenanceWindowTaskDetails: "GetMaintenanceWindowTaskResult",
    TaskPage: "DescribeMaintenanceWindowTasksResult",
}

_RENAMES: Mapping[tuple[type, str], str] = {(MaintenanceWindowTask, "task_type"): "Type"}

_VARIANTS: Mapping[str, type[TaskInvocationParameters]] = {
    cls.botocore_key: cls
    for cls in (
        RunCommandParameters,
        AutomationParameters,
        StepFunctionsParameters,
        LambdaParameters,
    )
}

_REQUEST_UNION: Any = TaskInvocationParameters | None
_RESPONSE_UNION: Any = AnyInvocationParameters | None


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def wire_names(cls: type) -> dict[str, str]:
    """Map each attribute of a model class to its botocore member name."""
    return {
        a.name: _RENAMES.get((cls, a.name), _pascal(a.name))
        for a in attrs.fields(cls)
        if a.name != "raw"
    }


def _structure_factory(cls: type, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    overrides: dict[str, Any] = {n: override(rename=w) for n, w in wire_names(cls).items()}
    return make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=False, **overrides)


def _unstructure_factory(cls: type, converter: cattrs.Converter) -> Callable[[Any], Any]:
    overrides: dict[str, Any] = {n: override(rename=w) for n, w in wire_names(cls).items()}
    if cls is TaskDefinition:
        # task_type has a computed default but must always be sent.
        overrides["task_type"] = override(rename="TaskType", omit_if_default=False)
    return make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **overrides)


def _structure_bytes(value: Any, _: type) -> bytes:
    if isinstance(value, str):
        return value.encode()
    return bytes(value)


def _enum_value(member: OpenEnum) -> str:
    value: str = member._value_
    return value


def _structure_invocation(
    converter: cattrs.Converter, *, strict: bool
) -> Callable[[Any, Any], AnyInvocationParameters | None]:
    def hook(block: Any, _: Any) -> AnyInvocationParameters | None:
        if block is None:
            return None
        if len(block) == 1:
            ((key, inner),) = block.items()
            variant = _VARIANTS.get(key)
            if variant is not None:
                return converter.structure(inner, variant)
        if strict:
            keys = ", ".join(sorted(block)) or "none"
            raise ValidationError.single(
                "task_invocation_parameters",
                f"needs exactly one of {', '.join(_VARIANTS)} (got {keys})",
            )
        key = next(iter(block)) if len(block) == 1 else None
        return UnknownInvocationParameters(botocore_key=key, raw=dict(block))

    return hook


def _unstructure_invocation(converter: cattrs.Converter) -> Callable[[Any], Any]:
    def hook(params: AnyInvocationParameters | None) -> Any:
        if params is None:
            return None
        if isinstance(params, UnknownInvocationParameters):
            return dict(params.raw)
        return {params.botocore_key: converter.unstructure(params)}

    return hook


def make_converter() -> cattrs.Converter:
    """A converter that knows the wire names of every model class."""
    converter = cattrs.Converter(
        detailed_validation=False,
        unstruct_collection_overrides={tuple: list, Sequence: list},
    )
    converter.register_structure_hook(bytes, _structure_bytes)
    # By class, so it wins over cattrs' own hook for str (OpenEnum is a str).
    converter.register_unstructure_hook(OpenEnum, _enum_value)
    converter.register_structure_hook_func(
        lambda t: t == _REQUEST_UNION, _structure_invocation(converter, strict=True)
    )
    converter.register_structure_hook_func(
        lambda t: t == _RESPONSE_UNION, _structure_invocation(converter, strict=False)
    )
    converter.register_unstructure_hook_func(
        lambda t: t in (_REQUEST_UNION, _RESPONSE_UNION), _unstructure_invocation(converter)
    )
    converter.register_structure_hook_factory(attrs.has, _structure_factory)
    converter.register_unstructure_hook_factory(attrs.has, _unstructure_factory)
    return converter


_CONVERTER = make_converter()


def to_botocore(obj: Any) -> dict[str, Any]:
    """Convert a model to the botocore dict it stands for; unset members are left out.

    >>> to_botocore(TaskUpdate(priority=1))
    {'Priority': 1}
    """
    return _CONVERTER.unstructure(obj)  # type: ignore[no-any-return]


def from_botocore(data: Mapping[str, Any], cls: type[T]) -> T:
    """Build a model from a botocore dict. Unknown keys are ignored.

    Raises :class:`~ssm_mw.ResponseError` when the dict lacks what the model
    cannot do without (e.g. a task's ``WindowId``), and
    :class:`~ssm_mw.ValidationError` for request models that break a rule
    checked at construction.
    """
    try:
        return _CONVERTER.structure(data, cls)
    except ValidationError:
        raise
    except KeyError as exc:
        raise ResponseError(
            f"{cls.__name__}: the response lacks the required member {exc.args[0]}"
        ) from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise ResponseError(f"{cls.__name__}: cannot read the response: {exc}") from None


def describe_request(
    window_id: str,
    filters: Sequence[TaskFilter],
    max_results: int | None,
    next_token: str | None,
) -> dict[str, Any]:
    """The DescribeMaintenanceWindowTasks parameters."""
    params: dict[str, Any] = {"WindowId": window_id}
    if filters:
        params["Filters"] = [to_botocore(f) for f in filters]
    if max_results is not None:
        params["MaxResults"] = max_results
    if next_token is not None:
        params["NextToken"] = next_token
    return params


def get_request(window_id: str, window_task_id: str) -> dict[str, Any]:
    """The GetMaintenanceWindowTask parameters."""
    return {"WindowId": window_id, "WindowTaskId": window_task_id}


def register_request(
    window_id: str, definition: TaskDefinition, client_token: str
) -> dict[str, Any]:
    """The RegisterTaskWithMaintenanceWindow parameters."""
    return {"WindowId": window_id, **to_botocore(definition), "ClientToken": client_token}


def update_request(
    window_id: str, window_task_id: str, update: TaskUpdate, replace: bool
) -> dict[str, Any]:
    """The UpdateMaintenanceWindowTask parameters."""
    params = {"WindowId": window_id, "WindowTaskId": window_task_id, **to_botocore(update)}
    if replace:
        params["Replace"] = True
    return params


def parse_register_response(response: Mapping[str, Any]) -> str:
    """The ``WindowTaskId`` of a register response."""
    task_id = response.get("WindowTaskId")
    if not isinstance(task_id, str):
        raise ResponseError("RegisterTaskWithMaintenanceWindow: the response lacks WindowTaskId")
    return task_id
