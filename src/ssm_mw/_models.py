"""Value objects for maintenance-window tasks.

Every class is an attrs class: frozen, keyword-only and slotted. Attribute
names are the snake_case of the botocore member names; lists are tuples and
maps are dicts (a list given is kept as a tuple; a str where a tuple belongs
is refused: ``_fields``). ``None`` means "not set" and is kept apart from an
empty tuple or dict. Use :func:`attrs.evolve` for "the same, but with ...".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import attrs

from ._enums import (
    CutoffBehavior,
    TaskType,
    member,
    to_cutoff_behavior,
    to_optional_task_type,
    to_task_type,
)
from ._errors import ValidationError
from ._fields import strict_fields
from ._invocation import AnyInvocationParameters, TaskInvocationParameters
from ._public import publish_exported
from ._redact import redacted_repr

__all__ = [
    "Alarm",
    "AlarmConfiguration",
    "DeregisteredTask",
    "LoggingInfo",
    "MaintenanceWindowIdentity",
    "MaintenanceWindowTask",
    "MaintenanceWindowTaskDetails",
    "Target",
    "TargetKey",
    "TaskDefinition",
    "TaskFilter",
    "TaskPage",
    "TaskParameterValueExpression",
    "TaskUpdate",
    "WindowFilter",
    "WindowPage",
]


if TYPE_CHECKING:
    from typing import Literal, TypeAlias

    #: The keys a window task's target may have (docs/fidelity.md, F1): type checkers
    #: see ``Literal["InstanceIds", "WindowTargetIds"]``; at run time it is ``str``, so
    #: that a response is never rejected for a key (see :class:`Target`).
    TargetKey: TypeAlias = Literal["InstanceIds", "WindowTargetIds"]
else:
    #: The keys a window task's target may have (docs/fidelity.md, F1): type checkers
    #: see ``Literal["InstanceIds", "WindowTargetIds"]``; at run time it is ``str``, so
    #: that a response is never rejected for a key (see :class:`Target`).
    TargetKey = str


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class Target:
    """Which managed nodes a maintenance-window task runs on.

    A window *task* accepts two kinds of target only, so there are two
    constructors: ``Target.instances("i-0123456789abcdef0", ...)`` (1 to 50
    managed-node ids) and ``Target.window_targets("3d0a5b3c-...", ...)`` (1 to 10
    ids of targets registered with the window). To run a task on nodes by tag or
    by resource group, register those as a *window target*
    (``RegisterTargetWithMaintenanceWindow``) and target that window target's id.

    ``Target(key=..., values=...)`` takes the same two keys, ``"InstanceIds"``
    and ``"WindowTargetIds"``; any other key (``"tag:Env"``,
    ``"resource-groups:Name"``) is refused by validation before anything is sent,
    as the service refuses it (see ``docs/fidelity.md``, F1 and F2). Type checkers
    see ``key`` as one of those two literals, so ``Target(key="tag:Env")`` is a type
    error; at run time it is a plain ``str`` (responses are never rejected for it).
    """

    key: TargetKey | None = None
    values: tuple[str, ...] | None = None

    @classmethod
    def instances(cls, *instance_ids: str) -> Target:
        """Target managed nodes by id (``InstanceIds``): 1 to 50 ids, ``i-0123456789abcdef0``."""
        return cls(key="InstanceIds", values=instance_ids)

    @classmethod
    def window_targets(cls, *window_target_ids: str) -> Target:
        """Target the window's registered targets by id (``WindowTargetIds``): 1 to 10 ids."""
        return cls(key="WindowTargetIds", values=window_target_ids)


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class TaskFilter:
    """A filter for describing tasks. Values within a filter are OR'ed, filters AND'ed.

    Prefer the constructors: ``TaskFilter.task_type(TaskType.LAMBDA)``,
    ``TaskFilter.priority(1, 2)``, ``TaskFilter.task_arn(...)``,
    ``TaskFilter.window_task_id(...)``.
    """

    key: str | None = None
    values: tuple[str, ...] | None = None

    @classmethod
    def window_task_id(cls, *window_task_ids: str) -> TaskFilter:
        """Tasks with one of these ids."""
        return cls(key="WindowTaskId", values=window_task_ids)

    @classmethod
    def task_arn(cls, *task_arns: str) -> TaskFilter:
        """Tasks with one of these task ARNs (document, function or state machine)."""
        return cls(key="TaskArn", values=task_arns)

    @classmethod
    def priority(cls, *priorities: int) -> TaskFilter:
        """Tasks with one of these priorities."""
        return cls(key="Priority", values=tuple(str(p) for p in priorities))

    @classmethod
    def task_type(
        cls,
        *task_types: TaskType | Literal["RUN_COMMAND", "AUTOMATION", "STEP_FUNCTIONS", "LAMBDA"],
    ) -> TaskFilter:
        """Tasks of one of these types (members, or their values such as ``"LAMBDA"``)."""
        values = tuple(
            member(TaskType, t, f"task_types[{i}]").value for i, t in enumerate(task_types)
        )
        return cls(key="TaskType", values=values)


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class TaskParameterValueExpression:
    """The values of one task parameter (``TaskParameters`` is deprecated by AWS)."""

    values: tuple[str, ...] | None = None


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class LoggingInfo:
    """Where task logs go in Amazon S3 (deprecated by AWS in favour of output settings)."""

    s3_bucket_name: str
    s3_region: str
    s3_key_prefix: str | None = None


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class Alarm:
    """A CloudWatch alarm, by name."""

    name: str


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class AlarmConfiguration:
    """CloudWatch alarms that stop the task when they go off."""

    alarms: tuple[Alarm, ...]
    ignore_poll_alarm_failure: bool | None = None


def _task_type_from_parameters(self: Any) -> TaskType:
    params: TaskInvocationParameters | None = self.task_invocation_parameters
    if params is None:
        raise ValidationError.single(
            "task_type", "is required when task_invocation_parameters is not given"
        )
    return params.task_type


def _task_type_agrees(self: Any, _attribute: Any, value: object) -> None:
    params: TaskInvocationParameters | None = self.task_invocation_parameters
    if params is not None and value != params.task_type:
        # ``value`` may be anything a caller passed (None, a plain str): never assume a member.
        shown = value.value if isinstance(value, TaskType) else repr(value)
        raise ValidationError.single(
            "task_type",
            f"{shown} does not match task_invocation_parameters "
            f"({type(params).__name__} is {params.task_type.value})",
        )


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class TaskDefinition:
    """A task to register: every register member but ``WindowId`` and ``ClientToken``.

    ``task_type`` follows from the class of ``task_invocation_parameters``;
    give it only when there are none. An explicit ``task_type`` that disagrees
    raises :class:`~ssm_mw.ValidationError`. ``task_parameters`` and
    ``description`` are sensitive and never appear in ``repr()``.

    Example::

        TaskDefinition(
            task_arn="AWS-RunPatchBaseline",
            task_invocation_parameters=RunCommandParameters(timeout_seconds=600),
            targets=(Target.window_targets("e32eecb2-646c-4f4b-8ed1-205fb0c0ffee"),),
            max_concurrency="2",
            max_errors="1",
            cutoff_behavior=CutoffBehavior.CANCEL_TASK,
        )
    """

    task_arn: str
    task_invocation_parameters: TaskInvocationParameters | None = None
    task_type: TaskType = attrs.field(
        default=attrs.Factory(_task_type_from_parameters, takes_self=True),
        converter=to_task_type,
        validator=_task_type_agrees,
    )
    targets: tuple[Target, ...] | None = None
    service_role_arn: str | None = None
    task_parameters: dict[str, TaskParameterValueExpression] | None = attrs.field(
        default=None, repr=redacted_repr
    )
    priority: int | None = None
    max_concurrency: str | None = None
    max_errors: str | None = None
    logging_info: LoggingInfo | None = None
    name: str | None = None
    description: str | None = attrs.field(default=None, repr=redacted_repr)
    cutoff_behavior: CutoffBehavior | None = attrs.field(default=None, converter=to_cutoff_behavior)
    alarm_configuration: AlarmConfiguration | None = None


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class TaskUpdate:
    """Changes to a registered task: every update member but the ids and ``Replace``.

    ``None`` leaves a member unchanged (with ``replace=True`` it clears it).
    ``task_parameters`` and ``description`` never appear in ``repr()``.

    Example: ``TaskUpdate(cutoff_behavior=CutoffBehavior.CANCEL_TASK)``.
    """

    targets: tuple[Target, ...] | None = None
    task_arn: str | None = None
    service_role_arn: str | None = None
    task_parameters: dict[str, TaskParameterValueExpression] | None = attrs.field(
        default=None, repr=redacted_repr
    )
    task_invocation_parameters: TaskInvocationParameters | None = None
    priority: int | None = None
    max_concurrency: str | None = None
    max_errors: str | None = None
    logging_info: LoggingInfo | None = None
    name: str | None = None
    description: str | None = attrs.field(default=None, repr=redacted_repr)
    cutoff_behavior: CutoffBehavior | None = attrs.field(default=None, converter=to_cutoff_behavior)
    alarm_configuration: AlarmConfiguration | None = None


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class MaintenanceWindowTask:
    """One task as describe lists it (no invocation parameters: AWS sends none there).

    The wire member ``Type`` is ``task_type`` here, as in get.
    """

    window_id: str
    window_task_id: str
    task_arn: str | None = None
    task_type: TaskType | None = attrs.field(default=None, converter=to_optional_task_type)
    targets: tuple[Target, ...] | None = None
    task_parameters: dict[str, TaskParameterValueExpression] | None = attrs.field(
        default=None, repr=redacted_repr
    )
    priority: int | None = None
    logging_info: LoggingInfo | None = None
    service_role_arn: str | None = None
    max_concurrency: str | None = None
    max_errors: str | None = None
    name: str | None = None
    description: str | None = attrs.field(default=None, repr=redacted_repr)
    cutoff_behavior: CutoffBehavior | None = attrs.field(default=None, converter=to_cutoff_behavior)
    alarm_configuration: AlarmConfiguration | None = None


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class MaintenanceWindowTaskDetails:
    """One task in full, as get and update return it.

    Update's answer has no ``TaskType``: there ``task_type`` is ``None``.
    """

    window_id: str
    window_task_id: str
    targets: tuple[Target, ...] | None = None
    task_arn: str | None = None
    service_role_arn: str | None = None
    task_type: TaskType | None = attrs.field(default=None, converter=to_optional_task_type)
    task_parameters: dict[str, TaskParameterValueExpression] | None = attrs.field(
        default=None, repr=redacted_repr
    )
    task_invocation_parameters: AnyInvocationParameters | None = None
    priority: int | None = None
    max_concurrency: str | None = None
    max_errors: str | None = None
    logging_info: LoggingInfo | None = None
    name: str | None = None
    description: str | None = attrs.field(default=None, repr=redacted_repr)
    cutoff_behavior: CutoffBehavior | None = attrs.field(default=None, converter=to_cutoff_behavior)
    alarm_configuration: AlarmConfiguration | None = None


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class TaskPage:
    """One page of describe: its tasks and the token of the next page (``None`` at the end)."""

    tasks: tuple[MaintenanceWindowTask, ...] = ()
    next_token: str | None = None


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class WindowFilter:
    """A filter for describing windows. Values within a filter are OR'ed, filters AND'ed.

    Prefer the constructors: ``WindowFilter.name("patch-weekly")`` (windows with
    exactly one of these names) and ``WindowFilter.enabled(True)``.
    """

    key: str | None = None
    values: tuple[str, ...] | None = None

    @classmethod
    def name(cls, *names: str) -> WindowFilter:
        """Windows with one of these names (the whole name, case included)."""
        return cls(key="Name", values=names)

    @classmethod
    def enabled(cls, enabled: bool = True) -> WindowFilter:
        """Windows that are enabled (or, with ``False``, disabled)."""
        return cls(key="Enabled", values=("true" if enabled else "false",))


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class MaintenanceWindowIdentity:
    """One maintenance window as describe-windows lists it: its id, name and schedule."""

    window_id: str
    name: str | None = None
    description: str | None = attrs.field(default=None, repr=redacted_repr)
    enabled: bool | None = None
    duration: int | None = None
    cutoff: int | None = None
    schedule: str | None = None
    schedule_timezone: str | None = None
    schedule_offset: int | None = None
    end_date: str | None = None
    start_date: str | None = None
    next_execution_time: str | None = None


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class WindowPage:
    """One page of describe-windows: its windows and the next page's token (``None`` at the end)."""

    windows: tuple[MaintenanceWindowIdentity, ...] = ()
    next_token: str | None = None


@attrs.frozen(kw_only=True, field_transformer=strict_fields)
class DeregisteredTask:
    """The task a deregistration removed: its window's id and its own."""

    window_id: str | None = None
    window_task_id: str | None = None


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
