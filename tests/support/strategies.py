"""Hypothesis strategies for every ssm-mw model, and for botocore-shaped dicts.

Import it from any test as ``from support import strategies`` (``tests/`` is on
``sys.path`` under pytest: ``tests/conftest.py`` has no ``__init__.py`` beside it,
so pytest's default "prepend" import mode puts its directory first on the path).

Three families:

* **Valid models** (:data:`MODELS` maps every class of
  ``ssm_mw._converter.BOTOCORE_SHAPES`` to its strategy). They satisfy every
  constraint of the botocore SSM model (lengths, ranges, sizes, patterns,
  enums, required members), the cross-member rules of the API reference (the
  invocation-parameters variant matches the task type) and the real service's
  rules of ``docs/fidelity.md``, which they take from the records of
  ``ssm_mw._rules`` (the target kinds; :func:`ssm_mw._rules.allowed_limits`
  says whether a task may have no targets and which limits it may give).
  Lengths reach the model's boundaries (exactly ``min`` and exactly ``max``)
  without making every example big.
  ``full=True`` sets every optional member and makes every collection
  non-empty (but small), so every member path of the shape exists in the example.
* **Broken calls** (:func:`breaking`): small calls that break one record of
  ``ssm_mw._rules.RULES`` and no other, with the violations and the service's
  message that record gives.
* **Response dicts** generated from the botocore *output* shapes
  (:func:`botocore_values`), with random member subsets and sizes, optionally
  mixed with unknown extra keys, unknown enum values and odd
  invocation-parameter blocks, as a future service version might send them.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Mapping
from typing import Any, cast

import attrs
import botocore.session
from hypothesis import strategies as st

from ssm_mw import (
    Alarm,
    AlarmConfiguration,
    AutomationParameters,
    CloudWatchOutputConfig,
    CutoffBehavior,
    DeregisteredTask,
    DocumentHashType,
    LambdaParameters,
    LoggingInfo,
    MaintenanceWindowIdentity,
    MaintenanceWindowTask,
    MaintenanceWindowTaskDetails,
    NotificationConfig,
    NotificationEvent,
    NotificationType,
    RunCommandParameters,
    StepFunctionsParameters,
    Target,
    TaskDefinition,
    TaskFilter,
    TaskInvocationParameters,
    TaskPage,
    TaskParameterValueExpression,
    TaskType,
    TaskUpdate,
    WindowFilter,
    WindowPage,
)
from ssm_mw._rules import (
    INSTANCE_TARGETS,
    LIMITS,
    MAX_CONCURRENCY,
    MAX_ERRORS,
    REPLACE_RULES,
    TARGET_KEY,
    TARGET_KINDS,
    TARGET_RULES,
    TARGET_VALUE_COUNT,
    TARGET_VALUE_FORM,
    TASK_RULES,
    WINDOW_TARGETS,
    Breach,
    Limit,
    Refusal,
    ReplaceRule,
    TargetKind,
    TaskFacts,
    allowed_limits,
    target_breaches,
    task_breaches,
    whole_tasks,
)
from ssm_mw._schema import NO_MAX, Node, output_schema

__all__ = [
    "CHARACTERS",
    "MODELS",
    "VARIANTS",
    "Broken",
    "alarm_configurations",
    "alarm_names",
    "alarms",
    "automation_parameters",
    "botocore_values",
    "breaking",
    "client_tokens",
    "cloud_watch_output_configs",
    "document_versions",
    "instance_ids",
    "invocation_parameters",
    "json_values",
    "lambda_parameters",
    "logging_infos",
    "maintenance_window_task_details",
    "maintenance_window_tasks",
    "max_concurrencies",
    "max_errors",
    "notification_configs",
    "output_shape",
    "run_command_parameters",
    "service_model",
    "shape",
    "sized_binary",
    "sized_text",
    "step_functions_parameters",
    "strip_unknown",
    "target_values",
    "targets",
    "task_definitions",
    "task_filters",
    "task_names",
    "task_pages",
    "task_parameter_value_expressions",
    "task_parameters",
    "task_updates",
    "text",
    "window_ids",
    "window_target_ids",
    "window_task_ids",
]

# -- the botocore model ----------------------------------------------------------


@functools.cache
def service_model() -> Any:
    """botocore's SSM service model (the contract ssm-mw is pinned to)."""
    return botocore.session.get_session().get_service_model("ssm")


def shape(name: str) -> Any:
    """A botocore shape of the SSM model by name."""
    return service_model().shape_for(name)


def output_shape(operation: str) -> Node:
    """The compiled output shape of one of the registry's operations."""
    return output_schema(operation)


# -- text --------------------------------------------------------------------

#: Any character but surrogates (which cannot be encoded); controls and non-ASCII included.
CHARACTERS = st.characters(codec="utf-8")

#: How long strings usually are (the boundaries are drawn separately).
_TYPICAL = 12


@functools.cache
def text(min_size: int = 0, max_size: int = _TYPICAL, alphabet: Any = CHARACTERS) -> Any:
    """Plain text of a bounded size."""
    return st.text(alphabet, min_size=min_size, max_size=max_size)


def _stretch(chunk: str | bytes, size: int) -> Any:
    return (chunk * (size // max(len(chunk), 1) + 1))[:size]


@functools.cache
def sized_text(min_size: int = 0, max_size: int | None = None, alphabet: Any = CHARACTERS) -> Any:
    """Text within ``[min_size, max_size]`` that often sits exactly on a boundary.

    Long strings are a drawn chunk repeated, so reaching e.g. 8,000 characters
    costs hypothesis a few choices only.
    """
    cap = max(min_size, min(_TYPICAL, max_size if max_size is not None else _TYPICAL))
    small = st.text(alphabet, min_size=min_size, max_size=cap)
    sizes = [min_size] if min_size > 0 else []
    if max_size is not None and max_size > cap:
        sizes.append(max_size)
    if not sizes:
        return small
    chunks = st.text(alphabet, min_size=1, max_size=4)
    boundary = st.tuples(chunks, st.sampled_from(sizes)).map(lambda cs: _stretch(cs[0], cs[1]))
    return st.one_of(small, small, boundary)


@functools.cache
def sized_binary(min_size: int = 0, max_size: int | None = None) -> Any:
    """Bytes within ``[min_size, max_size]``, often exactly ``max_size`` long."""
    small = st.binary(min_size=min_size, max_size=max(min_size, _TYPICAL))
    if max_size is None or max_size <= _TYPICAL:
        return small
    boundary = st.binary(min_size=1, max_size=4).map(lambda b: _stretch(b, max_size))
    return st.one_of(small, small, boundary)


@functools.cache
def _regex(pattern: str) -> Any:
    return st.from_regex(pattern, fullmatch=True)


@functools.cache
def window_ids() -> Any:
    """``MaintenanceWindowId``: ``^mw-[0-9a-f]{17}$``."""
    return _regex(r"mw-[0-9a-f]{17}")


@functools.cache
def window_task_ids() -> Any:
    """``MaintenanceWindowTaskId``: a UUID in either case (the pattern allows both)."""
    return st.one_of(
        st.uuids().map(str),
        _regex(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
    )


@functools.cache
def client_tokens() -> Any:
    """``ClientToken``: 1 to 64 characters."""
    return st.one_of(st.uuids().map(str), sized_text(1, 64))


@functools.cache
def task_names() -> Any:
    """``MaintenanceWindowName``: ``^[a-zA-Z0-9_\\-.]{3,128}$``."""
    return sized_text(3, 128, alphabet=string.ascii_letters + string.digits + "_-.")


def _count_or_percentage(lowest: int) -> Any:
    """A count from ``lowest`` to 9,999,999 or a percentage from ``lowest`` to 100."""
    return st.one_of(
        st.integers(lowest, 9_999_999).map(str),
        st.integers(lowest, 99).map(lambda n: f"{n}%"),
        st.just("100%"),
    )


@functools.cache
def max_concurrencies() -> Any:
    """``MaxConcurrency``: ``^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$``, 1 to 7 characters."""
    return _count_or_percentage(1)


@functools.cache
def max_errors() -> Any:
    """``MaxErrors``: ``^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$``, 1 to 7 characters."""
    return _count_or_percentage(0)


@functools.cache
def document_versions() -> Any:
    """``DocumentVersion``: ``([$]LATEST|[$]DEFAULT|^[1-9][0-9]*$)``."""
    return st.one_of(st.sampled_from(["$LATEST", "$DEFAULT"]), st.integers(1, 10**12).map(str))


@functools.cache
def target_values(kind: TargetKind) -> Any:
    """A value of a target of ``kind``: an id of its form (fidelity F3)."""
    return _regex(kind.pattern)


def instance_ids() -> Any:
    """A managed-node id such as ``i-0123456789abcdef0`` (``InstanceId``)."""
    return target_values(INSTANCE_TARGETS)


def window_target_ids() -> Any:
    """A window-target id (``MaintenanceWindowTargetId``): a UUID in either case."""
    return target_values(WINDOW_TARGETS)


_LINE_BREAKS = "\n\r\x85\u2028\u2029"


@functools.cache
def alarm_names() -> Any:
    """``AlarmName``: 1 to 255 characters, ``^(?!\\s*$).+`` (no line breaks, not all blank)."""
    chars = st.characters(codec="utf-8", exclude_characters=_LINE_BREAKS)
    return sized_text(1, 255, alphabet=chars).filter(lambda s: s.strip(" \t\x0b\x0c") != "")


# -- small helpers -------------------------------------------------------------


@functools.cache
def _maybe(strategy: Any, full: bool) -> Any:
    return strategy if full else st.none() | strategy


def _optional(model: type, full: bool, **members: Any) -> Any:
    """``model`` with every member optional: ``None`` or drawn (always drawn when ``full``)."""
    return st.builds(model, **{name: _maybe(strategy, full) for name, strategy in members.items()})


@functools.cache
def _tuples(strategy: Any, min_size: int, max_size: int, full: bool, typical: int = 3) -> Any:
    """Tuples within ``[min_size, max_size]``; up to ``typical`` items, or exactly ``max_size``."""
    low = max(min_size, 1) if full else min_size
    small = st.lists(strategy, min_size=low, max_size=max(low, min(max_size, typical)))
    if max_size <= typical or full:  # full examples stay small: they exist for their paths
        return small.map(tuple)
    boundary = strategy.map(lambda item: (item,) * max_size)
    return st.one_of(small, small, boundary).map(tuple)


@functools.cache
def _dicts(
    keys: Any, values: Any, min_size: int, max_size: int | None, full: bool, typical: int = 3
) -> Any:
    low = max(min_size, 1) if full else min_size
    top = typical if max_size is None else min(max_size, typical)
    return st.dictionaries(keys, values, min_size=low, max_size=max(low, top))


# -- models ------------------------------------------------------------------


@functools.cache
def targets(full: bool = False) -> Any:
    """``Target``: what a window task accepts (docs/fidelity.md, F1 to F3).

    One of the kinds of ``ssm_mw._rules.TARGET_KINDS`` (``InstanceIds`` with 1 to
    50 managed-node ids, ``WindowTargetIds`` with 1 to 10 window-target ids), with
    as many values of its form as it takes.
    """
    return st.one_of(
        *(
            st.builds(
                Target,
                key=st.just(kind.key),
                values=_tuples(target_values(kind), 1, kind.most, full),
            )
            for kind in TARGET_KINDS.values()
        )
    )


_FILTER_VALUES: Mapping[str, Any] = {
    "WindowTaskId": window_task_ids(),
    "TaskArn": sized_text(1, 256),
    "Priority": st.integers(0, 2**31 - 1).map(str),
    "TaskType": st.sampled_from([t.value for t in TaskType]),
}


@functools.cache
def task_filters(full: bool = False) -> Any:
    """``TaskFilter``: one of the four keys the API reference allows, with fitting values."""
    return _task_filters(full)


@st.composite
def _task_filters(draw: Any, full: bool) -> TaskFilter:
    key = draw(st.sampled_from(sorted(_FILTER_VALUES)))
    values = draw(_maybe(_tuples(_FILTER_VALUES[key], 0, 5, full), full))
    return TaskFilter(key=key, values=values)


@functools.cache
def task_parameter_value_expressions(full: bool = False) -> Any:
    """``TaskParameterValueExpression``: values of 1 to 255 characters."""
    return st.builds(
        TaskParameterValueExpression, values=_maybe(_tuples(sized_text(1, 255), 0, 5, full), full)
    )


@functools.cache
def task_parameters(full: bool = False) -> Any:
    """``TaskParameters``: names of 1 to 255 characters to value expressions."""
    return _dicts(sized_text(1, 255), task_parameter_value_expressions(full), 0, None, full)


@functools.cache
def logging_infos(full: bool = False) -> Any:
    """``LoggingInfo``: bucket (3-63), Region (3-20), optional prefix (0-500)."""
    return st.builds(
        LoggingInfo,
        s3_bucket_name=sized_text(3, 63),
        s3_region=sized_text(3, 20),
        s3_key_prefix=_maybe(sized_text(0, 500), full),
    )


@functools.cache
def alarms() -> Any:
    """``Alarm``: a name of 1 to 255 characters that is not blank."""
    return st.builds(Alarm, name=alarm_names())


@functools.cache
def alarm_configurations(full: bool = False) -> Any:
    """``AlarmConfiguration``: exactly one alarm (the model's min and max)."""
    return st.builds(
        AlarmConfiguration,
        alarms=st.tuples(alarms()),
        ignore_poll_alarm_failure=_maybe(st.booleans(), full),
    )


@functools.cache
def cloud_watch_output_configs(full: bool = False) -> Any:
    """``CloudWatchOutputConfig``."""
    return _optional(
        CloudWatchOutputConfig,
        full,
        cloud_watch_log_group_name=sized_text(1, 512),
        cloud_watch_output_enabled=st.booleans(),
    )


@functools.cache
def notification_configs(full: bool = False) -> Any:
    """``NotificationConfig``."""
    return _optional(
        NotificationConfig,
        full,
        notification_arn=text(),
        notification_events=_tuples(st.sampled_from(NotificationEvent), 0, 6, full),
        notification_type=st.sampled_from(NotificationType),
    )


@functools.cache
def run_command_parameters(full: bool = False) -> Any:
    """``RunCommandParameters`` (the ``RunCommand`` variant)."""
    return _optional(
        RunCommandParameters,
        full,
        comment=sized_text(0, 100),
        cloud_watch_output_config=cloud_watch_output_configs(full),
        document_hash=sized_text(0, 256),
        document_hash_type=st.sampled_from(DocumentHashType),
        document_version=document_versions(),
        notification_config=notification_configs(full),
        output_s3_bucket_name=sized_text(3, 63),
        output_s3_key_prefix=sized_text(0, 500),
        parameters=_dicts(text(), _tuples(text(), 0, 3, full), 0, None, full),
        service_role_arn=text(),
        timeout_seconds=st.integers(30, 2_592_000),
    )


@functools.cache
def automation_parameters(full: bool = False) -> Any:
    """``AutomationParameters``: 1 to 200 parameters of 0 to 50 values (1-512 characters)."""
    values = _tuples(sized_text(1, 512), 0, 50, full)
    entries = _dicts(sized_text(1, 50), values, 1, 200, full)
    at_max = values.map(lambda v: {f"p{i:03d}": v for i in range(200)})
    return _optional(
        AutomationParameters,
        full,
        document_version=document_versions(),
        parameters=entries if full else st.one_of(entries, entries, at_max),
    )


@functools.cache
def step_functions_parameters(full: bool = False) -> Any:
    """``StepFunctionsParameters``: input (0-4,096, sensitive) and name (1-80)."""
    return _optional(
        StepFunctionsParameters, full, input=sized_text(0, 4096), name=sized_text(1, 80)
    )


@functools.cache
def lambda_parameters(full: bool = False) -> Any:
    """``LambdaParameters``: client context (1-8,000), qualifier (1-128), payload (<= 4,096 B)."""
    return _optional(
        LambdaParameters,
        full,
        client_context=sized_text(1, 8000),
        qualifier=sized_text(1, 128),
        payload=sized_binary(0, 4096),
    )


#: The strategy of each invocation-parameters variant, by class.
VARIANTS: Mapping[type, Callable[[bool], Any]] = {
    RunCommandParameters: run_command_parameters,
    AutomationParameters: automation_parameters,
    StepFunctionsParameters: step_functions_parameters,
    LambdaParameters: lambda_parameters,
}


@functools.cache
def invocation_parameters(full: bool = False) -> Any:
    """Any of the four variants."""
    return st.one_of(*(make(full) for make in VARIANTS.values()))


@functools.cache
def _variant_for(variant: type | None, full: bool) -> Any:
    if variant is not None:
        return VARIANTS[variant](full)
    if full:
        return invocation_parameters(full)
    return st.none() | invocation_parameters(full)


@functools.cache
def task_definitions(variant: type | None = None, full: bool = False) -> Any:
    """A ``TaskDefinition`` that passes validation.

    ``variant`` fixes the invocation-parameters class; ``full`` sets everything.
    """
    return _task_definitions(variant, full)


@st.composite
def _task_definitions(draw: Any, variant: type | None, full: bool) -> TaskDefinition:
    params, task_type, explicit_type = draw(_typed_parameters(variant, full))
    # The task rules (fidelity F4, F5, F7) say whether the task may have no targets,
    # and which limits go with its targets or their absence.
    may_omit = bool(allowed_limits(task_type.value, False, whole=True))
    chosen = draw(_task_targets(may_omit, full))
    limits = _draw_limits(draw, allowed_limits(task_type.value, bool(chosen), whole=True), full)
    return _definition(draw, params, task_type, explicit_type, chosen, limits, full)


@st.composite
def _typed_parameters(
    draw: Any, variant: type | None, full: bool
) -> tuple[TaskInvocationParameters | None, TaskType, bool]:
    """Invocation parameters, the task type, and whether a definition names the type."""
    params: TaskInvocationParameters | None = draw(_variant_for(variant, full))
    task_type = params.task_type if params is not None else draw(st.sampled_from(TaskType))
    explicit_type = params is None or draw(st.booleans())
    return params, task_type, explicit_type


def _task_targets(may_omit: bool, full: bool) -> Any:
    """A task's targets: none (``None`` or ``()``) only where the task may have none."""
    return _maybe(_tuples(targets(full), 0 if may_omit else 1, 5, full), full or not may_omit)


#: The values of each limit.
_LIMIT_VALUES: Mapping[Limit, Callable[[], Any]] = {
    MAX_CONCURRENCY: max_concurrencies,
    MAX_ERRORS: max_errors,
}


def _draw_limits(draw: Any, allowed: tuple[frozenset[Limit], ...], full: bool) -> dict[str, Any]:
    """Values of one of the ``allowed`` sets of limits (the largest if ``full``), by attribute."""
    given = max(allowed, key=len) if full else draw(st.sampled_from(allowed))
    return {
        limit.attribute: draw(_LIMIT_VALUES[limit]()) if limit in given else None
        for limit in LIMITS
    }


def _definition(
    draw: Any,
    params: TaskInvocationParameters | None,
    task_type: TaskType,
    explicit_type: bool,
    chosen: tuple[Target, ...] | None,
    limits: Mapping[str, Any],
    full: bool,
) -> TaskDefinition:
    kwargs: dict[str, Any] = dict(limits)
    if explicit_type:
        kwargs["task_type"] = task_type
    return TaskDefinition(
        task_arn=draw(sized_text(1, 1600)),
        task_invocation_parameters=params,
        targets=chosen,
        service_role_arn=draw(_maybe(text(), full)),
        task_parameters=draw(_maybe(task_parameters(full), full)),
        priority=draw(_maybe(st.integers(0, 2**31 - 1), full)),
        logging_info=draw(_maybe(logging_infos(full), full)),
        name=draw(_maybe(task_names(), full)),
        description=draw(_maybe(sized_text(1, 128), full)),
        cutoff_behavior=draw(_maybe(st.sampled_from(CutoffBehavior), full)),
        alarm_configuration=draw(_maybe(alarm_configurations(full), full)),
        **kwargs,
    )


@functools.cache
def task_updates(
    replace: bool | None = None, variant: type | None = None, full: bool = False
) -> Any:
    """A ``(TaskUpdate, replace)`` pair that passes validation.

    With ``replace`` the update holds what register requires and a priority (fidelity
    F8, F10; and F4, F5, F7 for the type its invocation parameters give, where it has
    some).
    """
    return _task_updates(replace, variant, full)


@st.composite
def _task_updates(
    draw: Any, replace: bool | None, variant: type | None, full: bool
) -> tuple[TaskUpdate, bool]:
    if replace is None:
        replace = draw(st.booleans())
    params: TaskInvocationParameters | None = draw(_variant_for(variant, full))
    # What request validation can tell of the task (TaskType is no update member): a
    # replace's invocation parameters give its type; any other update keeps what it
    # does not send, targets included.
    task_type = params.task_type.value if replace and params is not None else None
    may_omit = bool(allowed_limits(task_type, False, whole=replace))
    chosen = draw(_task_targets(may_omit, full))
    has_targets = bool(chosen) if replace or chosen is not None else None
    limits = _draw_limits(draw, allowed_limits(task_type, has_targets, whole=replace), full)
    needed = {r.attribute for r in REPLACE_RULES if r.check(replace=replace, sent=()) is not None}
    update = TaskUpdate(
        targets=chosen,
        task_arn=draw(_maybe(sized_text(1, 1600), full or "task_arn" in needed)),
        service_role_arn=draw(_maybe(text(), full)),
        task_parameters=draw(_maybe(task_parameters(full), full)),
        task_invocation_parameters=params,
        priority=draw(_maybe(st.integers(0, 2**31 - 1), full or "priority" in needed)),
        logging_info=draw(_maybe(logging_infos(full), full)),
        name=draw(_maybe(task_names(), full)),
        description=draw(_maybe(sized_text(1, 128), full)),
        cutoff_behavior=draw(_maybe(st.sampled_from(CutoffBehavior), full)),
        alarm_configuration=draw(_maybe(alarm_configurations(full), full)),
        **limits,
    )
    return update, replace


# -- data that breaks one rule of the real service -----------------------------------


@attrs.frozen(kw_only=True)
class Broken:
    """A call that breaks one rule of ``ssm_mw._rules`` and no other, and what that rule says.

    ``definition`` is registered; with ``update``, it is valid and the update (a
    replace of the task) breaks the rule.
    """

    rule: Refusal
    definition: TaskDefinition
    update: TaskUpdate | None = None
    #: The violations request validation reports: (library path, message).
    violations: tuple[tuple[str, str], ...]
    #: What the service (the embedded backend) answers.
    service_message: str


def _broken(
    rule: Refusal,
    definition: TaskDefinition,
    breaches: tuple[Breach, ...] | list[Breach],
    base: str = "",
    update: TaskUpdate | None = None,
) -> Broken:
    return Broken(
        rule=rule,
        definition=definition,
        update=update,
        violations=tuple((base + b.path, b.message) for b in breaches),
        service_message=breaches[0].service_message,
    )


@functools.cache
def breaking(rule: Refusal) -> Any:
    """:class:`Broken` calls that break ``rule`` (one of ``ssm_mw._rules.RULES``) and no other.

    The facts come from the records: every whole task that breaks only ``rule``
    (a task rule), a target that breaks only ``rule`` (a target rule), a replace
    without a member it needs (F8, F10). What the client and the service say is what the
    records say of those facts. The tasks are small: what matters is the rule.
    """
    if rule in TASK_RULES:
        return _breaking_task(rule)
    if rule in TARGET_RULES:
        return st.tuples(_with_targets(), _breaking_target(rule)).map(
            lambda pair: _broken(
                rule, attrs.evolve(pair[0], targets=(pair[1][0],)), pair[1][1], "targets[0]."
            )
        )
    assert isinstance(rule, ReplaceRule), rule
    missing = rule.check(replace=True, sent=())
    assert missing is not None
    return _with_targets().map(
        lambda definition: _broken(
            rule, definition, [missing], update=_replace_without(definition, rule)
        )
    )


def _replace_without(definition: TaskDefinition, rule: ReplaceRule) -> TaskUpdate:
    """A replace of the task ``definition`` registers, with all a replace needs but ``rule``'s."""
    needed = {r.attribute: getattr(definition, r.attribute) for r in REPLACE_RULES}
    needed["priority"] = needed["priority"] or 1
    del needed[rule.attribute]
    return TaskUpdate(
        targets=definition.targets,
        task_invocation_parameters=definition.task_invocation_parameters,
        max_concurrency=definition.max_concurrency,
        max_errors=definition.max_errors,
        **needed,
    )


@st.composite
def _breaking_task(draw: Any, rule: Refusal) -> Broken:
    """A definition whose task facts (F4, F5, F7) break ``rule`` alone."""
    task_type = draw(st.sampled_from([t for t in TaskType if whole_tasks(t.value, rule)]))
    facts: TaskFacts = draw(st.sampled_from(whole_tasks(task_type.value, rule)))
    if facts.has_targets:
        chosen = draw(_tuples(targets(False), 1, 5, False))
    else:
        chosen = draw(st.sampled_from([None, ()]))
    limits = _draw_limits(draw, (facts.given,), False)
    definition = draw(_small_definitions(task_type, chosen, limits))
    return _broken(rule, definition, task_breaches(facts))


@st.composite
def _with_targets(draw: Any) -> TaskDefinition:
    """A small valid definition with targets (and so with both limits)."""
    task_type = draw(st.sampled_from(TaskType))
    chosen = draw(_tuples(targets(False), 1, 5, False))
    limits = _draw_limits(draw, allowed_limits(task_type.value, True, whole=True), False)
    return draw(_small_definitions(task_type, chosen, limits))


def _small_definitions(
    task_type: TaskType, chosen: tuple[Target, ...] | None, limits: Mapping[str, Any]
) -> Any:
    """Definitions of ``task_type`` with these targets and limits, and little else."""
    (variant,) = [cls for cls in VARIANTS if getattr(cls, "task_type", None) is task_type]
    return st.builds(
        TaskDefinition,
        task_arn=text(1, 12),
        task_type=st.just(task_type),
        task_invocation_parameters=st.none() | st.builds(variant),
        targets=st.just(chosen),
        priority=st.none() | st.integers(0, 10),
        **{name: st.just(value) for name, value in limits.items()},
    )


#: Keys a window task does not accept, as users write them (fidelity F1).
_OTHER_KEYS = ["tag:Patch", "tag-key", "resource-groups:Name", "instanceids", "windowtargetids"]


def _breaking_target(rule: Refusal) -> Any:
    """``(target, breaches)``: a target that breaks ``rule`` alone, with its breaches."""
    kinds = st.sampled_from(list(TARGET_KINDS.values()))
    if rule is TARGET_KEY:
        keys = st.one_of(
            st.none(), st.sampled_from(_OTHER_KEYS), _regex(r"[A-Za-z][A-Za-z0-9:_.-]{0,15}")
        )
        candidates = st.builds(
            Target, key=keys, values=st.none() | _tuples(text(1, 12), 0, 3, False)
        )
    elif rule is TARGET_VALUE_COUNT:
        candidates = kinds.flatmap(_miscounted)
    else:
        assert rule is TARGET_VALUE_FORM, rule
        candidates = kinds.flatmap(_misformed)

    def with_breaches(target: Target) -> tuple[Target, list[Breach]]:
        return target, target_breaches(target.key, target.values)

    return candidates.map(with_breaches).filter(lambda pair: {b.rule for b in pair[1]} == {rule})


def _model_most_values() -> int:
    """The model's own maximum of a target's values (``TargetValues``)."""
    return int(shape("TargetValues").metadata["max"])


def _miscounted(kind: TargetKind) -> Any:
    """A target of ``kind`` with no values, or more than it takes (within the model's maximum)."""
    counts = [st.just(0)]
    if kind.most < _model_most_values():
        counts.append(st.integers(kind.most + 1, _model_most_values()))
    values = st.one_of(*counts).flatmap(
        lambda n: st.lists(target_values(kind), min_size=n, max_size=n).map(tuple)
    )
    return st.builds(Target, key=st.just(kind.key), values=st.none() | values)


def _misformed(kind: TargetKind) -> Any:
    """A target of ``kind`` with one value that is no id of its form."""
    good = st.lists(target_values(kind), min_size=0, max_size=2)
    bad = text(1, 20)
    return st.builds(
        lambda before, value, after: Target(key=kind.key, values=(*before, value, *after)),
        good,
        bad,
        good,
    )


def _reported_members(full: bool) -> dict[str, Any]:
    """The members that describe and get both report, as strategies (all but the ids optional)."""
    return {
        "window_id": window_ids(),
        "window_task_id": window_task_ids(),
        "task_arn": _maybe(sized_text(1, 1600), full),
        "task_type": _maybe(st.sampled_from(TaskType), full),
        "targets": _maybe(_tuples(targets(full), 0, 5, full), full),
        "task_parameters": _maybe(task_parameters(full), full),
        "priority": _maybe(st.integers(0, 2**31 - 1), full),
        "logging_info": _maybe(logging_infos(full), full),
        "service_role_arn": _maybe(text(), full),
        "max_concurrency": _maybe(max_concurrencies(), full),
        "max_errors": _maybe(max_errors(), full),
        "name": _maybe(task_names(), full),
        "description": _maybe(sized_text(1, 128), full),
        "cutoff_behavior": _maybe(st.sampled_from(CutoffBehavior), full),
        "alarm_configuration": _maybe(alarm_configurations(full), full),
    }


@functools.cache
def maintenance_window_tasks(full: bool = False) -> Any:
    """``MaintenanceWindowTask`` as describe returns it (valid for the output shape)."""
    return st.builds(MaintenanceWindowTask, **_reported_members(full))


@functools.cache
def maintenance_window_task_details(full: bool = False) -> Any:
    """``MaintenanceWindowTaskDetails`` as get returns it (valid for the output shape)."""
    return st.builds(
        MaintenanceWindowTaskDetails,
        **_reported_members(full),
        task_invocation_parameters=_maybe(invocation_parameters(full), full),
    )


@functools.cache
def task_pages(full: bool = False) -> Any:
    """``TaskPage``: up to three tasks and an optional next token."""
    return st.builds(
        TaskPage,
        tasks=st.lists(maintenance_window_tasks(full), min_size=int(full), max_size=3).map(tuple),
        next_token=_maybe(text(1), full),
    )


@functools.cache
def window_filters(full: bool = False) -> Any:
    """``WindowFilter``: ``Name`` with window names or ``Enabled`` with ``true``/``false``."""
    names = _maybe(_tuples(task_names(), 0, 5, full), full)
    flags = _maybe(_tuples(st.sampled_from(["true", "false"]), 0, 2, full), full)
    return st.one_of(
        st.builds(WindowFilter, key=st.just("Name"), values=names),
        st.builds(WindowFilter, key=st.just("Enabled"), values=flags),
    )


@functools.cache
def maintenance_window_identities(full: bool = False) -> Any:
    """``MaintenanceWindowIdentity`` as describe-windows returns it (valid for the output shape)."""
    return st.builds(
        MaintenanceWindowIdentity,
        window_id=window_ids(),
        name=_maybe(task_names(), full),
        description=_maybe(sized_text(1, 128), full),
        enabled=_maybe(st.booleans(), full),
        duration=_maybe(st.integers(1, 24), full),
        cutoff=_maybe(st.integers(0, 23), full),
        schedule=_maybe(sized_text(1, 256), full),
        schedule_timezone=_maybe(text(), full),
        schedule_offset=_maybe(st.integers(1, 6), full),
        end_date=_maybe(text(), full),
        start_date=_maybe(text(), full),
        next_execution_time=_maybe(text(), full),
    )


@functools.cache
def window_pages(full: bool = False) -> Any:
    """``WindowPage``: up to three windows and an optional next token."""
    return st.builds(
        WindowPage,
        windows=st.lists(maintenance_window_identities(full), min_size=int(full), max_size=3).map(
            tuple
        ),
        next_token=_maybe(text(1), full),
    )


@functools.cache
def deregistered_tasks(full: bool = False) -> Any:
    """``DeregisteredTask``: the two ids, either left out."""
    return st.builds(
        DeregisteredTask,
        window_id=_maybe(window_ids(), full),
        window_task_id=_maybe(window_task_ids(), full),
    )


@functools.cache
def _definitions(full: bool = False) -> Any:
    return task_definitions(full=full)


@functools.cache
def _updates(full: bool = False) -> Any:
    return task_updates(full=full).map(lambda pair: pair[0])


#: A strategy factory ``(full: bool) -> strategy`` for every model class in
#: ``BOTOCORE_SHAPES``; ``TaskUpdate`` here has no ``replace`` (see :func:`task_updates`).
MODELS: Mapping[type, Callable[[bool], Any]] = {
    Target: targets,
    TaskFilter: task_filters,
    TaskParameterValueExpression: task_parameter_value_expressions,
    LoggingInfo: logging_infos,
    Alarm: lambda full: alarms(),
    AlarmConfiguration: alarm_configurations,
    CloudWatchOutputConfig: cloud_watch_output_configs,
    NotificationConfig: notification_configs,
    RunCommandParameters: run_command_parameters,
    AutomationParameters: automation_parameters,
    StepFunctionsParameters: step_functions_parameters,
    LambdaParameters: lambda_parameters,
    TaskDefinition: _definitions,
    TaskUpdate: _updates,
    MaintenanceWindowTask: maintenance_window_tasks,
    MaintenanceWindowTaskDetails: maintenance_window_task_details,
    TaskPage: task_pages,
    WindowFilter: window_filters,
    MaintenanceWindowIdentity: maintenance_window_identities,
    WindowPage: window_pages,
    DeregisteredTask: deregistered_tasks,
}


# -- botocore-shaped dicts from the output shapes ------------------------------


@functools.cache
def json_values() -> Any:
    """Small JSON-like values: what an unknown member might hold."""
    scalars = st.none() | st.booleans() | st.integers() | text(0, 8)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text(0, 6), inner, max_size=3),
        max_leaves=6,
    )


@functools.cache
def _member_names() -> Any:
    return _regex(r"[A-Z][A-Za-z0-9]{0,15}")


@functools.cache
def _unknown_members(known: frozenset[str]) -> Any:
    names = _member_names().filter(lambda name: name not in known)
    return st.dictionaries(names, json_values(), min_size=1, max_size=3)


@functools.cache
def _unknown_enum_values(values: tuple[str, ...]) -> Any:
    future = st.sampled_from([v.upper() + "_V2" for v in values] + ["CONTAINER", "Future"])
    return (future | text(1, 16)).filter(lambda v: v not in values)


def botocore_values(
    node: Node,
    *,
    mixins: bool = True,
    always: frozenset[str] = frozenset(),
    exclude: frozenset[str] = frozenset(),
) -> Any:
    """Values of a compiled shape as botocore's parser returns them.

    Structures get a random subset of their optional members (required ones
    are always there, as are the names in ``always``); lists and maps get
    random sizes, which may exceed the model's limits (responses are not
    validated). With ``mixins``, structures may carry unknown extra keys (never
    one named in ``exclude``), enums may hold values the model does not list,
    and the invocation-parameters block may be empty, hold an unknown
    variant, or several variants.
    """
    return _values(node, mixins, always, exclude)


def _values(node: Node, mixins: bool, always: frozenset[str], exclude: frozenset[str]) -> Any:
    kind = node.kind
    if kind == "structure":
        return _structures(node, mixins, always, exclude)
    if kind == "list":
        return st.lists(_values(cast(Node, node.item), mixins, always, exclude), max_size=6)
    if kind == "map":
        entries = _values(cast(Node, node.value), mixins, always, exclude)
        return st.dictionaries(text(1, 12), entries, max_size=3)
    if kind == "string":
        values = node.enum
        if values:
            known = st.sampled_from(values)
            return known | _unknown_enum_values(values) if mixins else known
        low, high = node.low, (None if node.high == NO_MAX else node.high)
        return st.one_of(text(low, max(low, 24)), sized_text(low, high))
    if kind in ("integer", "long"):
        return st.integers(-(2**31), 2**31 - 1)
    if kind == "boolean":
        return st.booleans()
    if kind == "blob":
        return st.binary(max_size=48)
    raise NotImplementedError(f"{node.name}: {kind}")


def _structures(node: Node, mixins: bool, always: frozenset[str], exclude: frozenset[str]) -> Any:
    members = {wire: member.node for wire, member in node.members.items()}
    if node.union:
        return _invocation_blocks(node, mixins, exclude)
    required = set(node.required) | (always & set(members))
    base = st.fixed_dictionaries(
        {name: _values(members[name], mixins, always, exclude) for name in required},
        optional={
            name: _values(member, mixins, always, exclude)
            for name, member in members.items()
            if name not in required
        },
    )
    if not mixins:
        return base
    extra = st.none() | _unknown_members(frozenset(members) | exclude)
    return st.tuples(base, extra).map(lambda pair: {**pair[0], **(pair[1] or {})})


def _invocation_blocks(node: Node, mixins: bool, exclude: frozenset[str]) -> Any:
    variants = {wire: member.node for wire, member in node.members.items()}
    one = st.sampled_from(sorted(variants)).flatmap(
        lambda name: _values(variants[name], mixins, frozenset(), exclude).map(
            lambda inner: {name: inner}
        )
    )
    if not mixins:
        return one
    unknown_name = _member_names().filter(lambda name: name not in variants)
    unknown = st.dictionaries(
        unknown_name, st.dictionaries(text(1, 8), json_values()), min_size=1, max_size=2
    )
    several = st.lists(st.sampled_from(sorted(variants)), min_size=2, max_size=4, unique=True)
    several_blocks = several.flatmap(
        lambda names: st.fixed_dictionaries(
            {n: _values(variants[n], mixins, frozenset(), exclude) for n in names}
        )
    )
    mixed = st.tuples(one, unknown).map(lambda pair: {**pair[0], **pair[1]})
    return st.one_of(one, one, one, st.just({}), unknown, several_blocks, mixed)


def strip_unknown(value: Any, node: Node) -> Any:
    """``value`` without the members ``node`` does not know (its known parts unchanged).

    An invocation-parameters block that is not exactly one known variant is
    kept whole: the library keeps such a block as it came.
    """
    if node.kind == "structure":
        members = node.members
        if node.union and not (len(value) == 1 and set(value) <= set(members)):
            return value
        return {k: strip_unknown(v, members[k].node) for k, v in value.items() if k in members}
    if node.item is not None:
        return [strip_unknown(v, node.item) for v in value]
    if node.value is not None:
        return {k: strip_unknown(v, node.value) for k, v in value.items()}
    return value
