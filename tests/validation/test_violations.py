"""Every constraint of the botocore model, and every rule of the API reference, is enforced.

The constraints are not listed by hand: :data:`CONSTRAINTS` walks the input
shape of each of the four operations and yields one entry per constraint it
finds (required members, string lengths, integer ranges, list and map sizes,
blob sizes, patterns, enums). The rules the API reference
(``ssm-maintenance-window-task-api-2021-09-23.txt``) states across members are
added by hand, each with its sentence.

For each one, hypothesis draws a valid call in which every member exists
(``full=True`` strategies), checks that it is valid, breaks exactly that one
member, and checks that

* ``validate_request`` raises a ``ValidationError`` whose violations all name
  that member's snake_case path, and
* the client, given the same call as models, raises it too, before sending:
  the embedded backend's request count does not move.
"""

from __future__ import annotations

import copy
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssm_mw import (
    AutomationParameters,
    LambdaParameters,
    RunCommandParameters,
    StepFunctionsParameters,
    TaskType,
    ValidationError,
)
from ssm_mw._validation import validate_request, violations
from ssm_mw.testing import EmbeddedSSMServer
from support import strategies as S
from support.calls import Call, call_from_wire
from support.figures import count
from support.loop_client import LoopClient
from support.operations import DESCRIBE, GET, OPERATIONS, REGISTER, UPDATE, WINDOWS
from support.paths import Key, Segment, evolve_at, render_path, snake_case

INT32 = (-(2**31), 2**31 - 1)
INVOCATION = "TaskInvocationParameters"
VARIANT_CLASSES = {
    "RunCommand": RunCommandParameters,
    "Automation": AutomationParameters,
    "StepFunctions": StepFunctionsParameters,
    "Lambda": LambdaParameters,
}
VARIANT_OF_TYPE = {
    "RUN_COMMAND": "RunCommand",
    "AUTOMATION": "Automation",
    "STEP_FUNCTIONS": "StepFunctions",
    "LAMBDA": "Lambda",
}


pytestmark = pytest.mark.reliability  # a guarantee of docs/reliability.md


@dataclass(frozen=True)
class Constraint:
    """One constraint: where it applies (wire path), what it is, and its bound.

    ``wire`` holds member names, ``"[]"`` for a list item, ``"{}"`` for a map
    value and ``"{key}"`` for a map key.
    """

    operation: str
    wire: tuple[str, ...]
    kind: str
    bound: Any = None
    shape_name: str = ""
    #: Whether a user can express the violation through the models at all.
    client: bool = True
    #: For rules: the sentence of the API reference (or model docs) it enforces.
    source: str = ""

    @property
    def id(self) -> str:
        """A readable test id."""
        op = self.operation.replace("MaintenanceWindow", "").replace("Task", "")
        return f"{op}:{'.'.join(self.wire) or '-'}:{self.kind}"


def _walk(operation: str, shape: Any, wire: tuple[str, ...], out: list[Constraint]) -> None:
    kind = shape.type_name
    meta = shape.metadata
    name = shape.name
    if kind == "structure":
        for member in shape.required_members:
            out.append(Constraint(operation, (*wire, member), "required"))
        for member, member_shape in shape.members.items():
            _walk(operation, member_shape, (*wire, member), out)
    elif kind in ("list", "map"):
        if meta.get("min", 0) > 0:
            out.append(Constraint(operation, wire, "min_items", meta["min"], name))
        if "max" in meta:
            out.append(Constraint(operation, wire, "max_items", meta["max"], name))
        if kind == "list":
            _walk(operation, shape.member, (*wire, "[]"), out)
        else:
            _walk(operation, shape.key, (*wire, "{key}"), out)
            _walk(operation, shape.value, (*wire, "{}"), out)
    elif kind == "string":
        if meta.get("min", 0) > 0:
            out.append(Constraint(operation, wire, "min_length", meta["min"], name))
        if "max" in meta:
            out.append(Constraint(operation, wire, "max_length", meta["max"], name))
        if "pattern" in meta:
            out.append(Constraint(operation, wire, "pattern", meta["pattern"], name))
        if shape.enum:
            out.append(Constraint(operation, wire, "enum", tuple(shape.enum), name))
    elif kind in ("integer", "long"):
        # A Smithy integer is 32-bit: its range bounds it where the model sets none.
        low = meta.get("min", INT32[0] if kind == "integer" else None)
        high = meta.get("max", INT32[1] if kind == "integer" else None)
        if low is not None:
            out.append(Constraint(operation, wire, "min_value", low, name))
        if high is not None:
            out.append(Constraint(operation, wire, "max_value", high, name))
    elif kind == "blob":
        if meta.get("min", 0) > 0:
            out.append(Constraint(operation, wire, "min_bytes", meta["min"], name))
        if "max" in meta:
            out.append(Constraint(operation, wire, "max_bytes", meta["max"], name))


def _model_constraints() -> list[Constraint]:
    out: list[Constraint] = []
    for operation in OPERATIONS:
        shape = S.service_model().operation_model(operation).input_shape
        _walk(operation, shape, (), out)
    return out


_ONE_VARIANT = (
    "TaskInvocationParameters: Populate only the fields that match the task type. "
    "All other fields should be empty."
)
_TARGETS = (
    "Targets: One or more targets must be specified for maintenance window Run Command-type tasks."
)
_LIMITS = (
    "MaxConcurrency/MaxErrors: a value can be omitted only when you are registering "
    "or updating a targetless task. You must provide a value in all other cases."
)
_REPLACE = (
    "Replace: If True, then all fields that are required by the "
    "RegisterTaskWithMaintenanceWindow operation are also required for this API request."
)

RULES = [
    Constraint(REGISTER, (INVOCATION,), "rule:one_variant", client=False, source=_ONE_VARIANT),
    Constraint(REGISTER, (INVOCATION,), "rule:variant_matches_type", source=_ONE_VARIANT),
    Constraint(REGISTER, ("Targets",), "rule:run_command_needs_target", source=_TARGETS),
    Constraint(REGISTER, ("MaxConcurrency",), "rule:targets_need_limit", source=_LIMITS),
    Constraint(REGISTER, ("MaxErrors",), "rule:targets_need_limit", source=_LIMITS),
    Constraint(UPDATE, (INVOCATION,), "rule:one_variant", client=False, source=_ONE_VARIANT),
    Constraint(UPDATE, ("TaskArn",), "rule:replace_needs_register_members", source=_REPLACE),
    Constraint(UPDATE, ("Targets",), "rule:replace_run_command_needs_target", source=_REPLACE),
    Constraint(UPDATE, ("MaxConcurrency",), "rule:replace_targets_need_limit", source=_REPLACE),
    Constraint(UPDATE, ("MaxErrors",), "rule:replace_targets_need_limit", source=_REPLACE),
    Constraint(
        DESCRIBE,
        ("Filters", "[]", "Key"),
        "rule:supported_filter_key",
        ("WindowTaskId", "TaskArn", "Priority", "TaskType"),
        source="Filters: The supported filter keys are WindowTaskId, TaskArn, Priority, "
        "and TaskType.",
    ),
    Constraint(
        WINDOWS,
        ("Filters", "[]", "Key"),
        "rule:supported_filter_key",
        ("Name", "Enabled"),
        source="Filters: Supported filter keys are Name and Enabled.",
    ),
]

CONSTRAINTS = _model_constraints() + RULES

# -- values that break a pattern --------------------------------------------------------


def _fullmatch(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern, re.ASCII)
    return lambda s: compiled.fullmatch(s) is not None


def _replace_char(base: Any, alphabet: str, keep: Callable[[str], bool] = lambda s: True) -> Any:
    def build(args: tuple[str, int, str]) -> str:
        value, index, char = args
        index %= len(value)
        return value[:index] + char + value[index + 1 :]

    return (
        st.tuples(base, st.integers(0, 10**6), st.sampled_from(alphabet))
        .map(build)
        .filter(lambda s: not keep(s))
    )


# Independent oracles of the model's patterns (kept apart from ssm-mw's translation).
_WINDOW_ID_OK = _fullmatch(r"mw-[0-9a-f]{17}")
_TASK_ID_OK = _fullmatch(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_CONCURRENCY_OK = _fullmatch(r"[1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%")
_ERRORS_OK = _fullmatch(r"[1-9][0-9]*|0|[1-9][0-9]%|[0-9]%|100%")
_NAME_OK = _fullmatch(r"[a-zA-Z0-9_\-.]{3,128}")
_BAD_TARGET_KEY_CHARS = "!#$%&*+,;?[]^`{|}~()'\"<>\\"


def _document_version_ok(s: str) -> bool:
    return "$LATEST" in s or "$DEFAULT" in s or re.fullmatch(r"[1-9][0-9]*", s) is not None


def _target_key_breaks() -> Any:
    good = st.text(string.ascii_letters + string.digits + "_.:/=-@ ", max_size=40)
    return (
        st.tuples(good, st.text(_BAD_TARGET_KEY_CHARS, min_size=1, max_size=3), good)
        .map("".join)
        .filter(lambda s: "resource-groups:" not in s)
    )


#: A strategy of values that break each pattern of the model, by shape name, with
#: lengths inside the shape's bounds (so only the pattern is broken).
PATTERN_BREAKS: dict[str, Any] = {
    "MaintenanceWindowId": st.one_of(
        _replace_char(S.window_ids(), "gxzABF_-. ", _WINDOW_ID_OK),
        st.from_regex(r"[a-z]{2}-[0-9a-f]{17}", fullmatch=True).filter(
            lambda s: not _WINDOW_ID_OK(s)
        ),
    ),
    "MaintenanceWindowTaskId": _replace_char(st.uuids().map(str), "gGzZ_x -.{}", _TASK_ID_OK),
    "TargetKey": _target_key_breaks(),
    "DocumentVersion": st.one_of(
        st.sampled_from(["0", "01", "1.0", "v2", "latest", "$latest", "LATEST", "$LATES", "-1"]),
        st.text(string.ascii_letters + string.digits + "$.-_ ", min_size=0, max_size=10),
    ).filter(lambda s: not _document_version_ok(s)),
    "MaxConcurrency": st.one_of(
        st.sampled_from(["0", "0%", "00", "05", "101%", "1000%", "1.5", "-1", "%", "10 "]),
        st.text("0123456789%-. x", min_size=1, max_size=7),
    ).filter(lambda s: not _CONCURRENCY_OK(s)),
    "MaxErrors": st.one_of(
        st.sampled_from(["00", "01", "00%", "101%", "1.5", "-1", "%", "x", "1 "]),
        st.text("0123456789%-. x", min_size=1, max_size=7),
    ).filter(lambda s: not _ERRORS_OK(s)),
    "MaintenanceWindowName": _replace_char(S.task_names(), " !#$%&*+,/:;=?@[]^`{|}~é\t", _NAME_OK),
    "AlarmName": st.text(" \t\x0b\x0c", min_size=1, max_size=255),
}


def _unknown_enum(values: tuple[str, ...]) -> Any:
    near = [v.lower() for v in values] + [v + "_" for v in values] + [" " + v for v in values]
    return (st.sampled_from(near) | st.text(min_size=1, max_size=20)).filter(
        lambda v: v not in values
    )


def _stretch(size: int) -> Any:
    return st.text(min_size=1, max_size=3).map(lambda c: (c * size)[:size])


def _break_scalar(draw: Any, constraint: Constraint) -> Any:
    kind, bound = constraint.kind, constraint.bound
    if kind == "min_length":
        return draw(st.text(max_size=bound - 1))
    if kind == "max_length":
        return draw(st.integers(bound + 1, bound + 4).flatmap(_stretch))
    if kind == "pattern":
        return draw(PATTERN_BREAKS[constraint.shape_name])
    if kind in ("enum", "rule:supported_filter_key"):
        value = draw(_unknown_enum(bound))
        return value[:128] if kind.startswith("rule") else value
    if kind == "min_value":
        return draw(st.integers(bound - 2**40, bound - 1))
    if kind == "max_value":
        return draw(st.integers(bound + 1, bound + 2**40))
    if kind == "min_bytes":
        return draw(st.binary(max_size=bound - 1))
    if kind == "max_bytes":
        size = draw(st.integers(bound + 1, bound + 4))
        return (draw(st.binary(min_size=1, max_size=3)) * size)[:size]
    raise AssertionError(f"no breaker for {kind}")


def _break_collection(draw: Any, constraint: Constraint, value: Any) -> Any:
    bound = constraint.bound
    if isinstance(value, list):
        if constraint.kind == "min_items":
            return value[: draw(st.integers(0, bound - 1))]
        size = draw(st.integers(bound + 1, bound + 3))
        return (value * (size // len(value) + 1))[:size]
    assert isinstance(value, dict)
    if constraint.kind == "min_items":
        return dict(list(value.items())[: draw(st.integers(0, bound - 1))])
    size = draw(st.integers(bound + 1, bound + 3))
    template = next(iter(value.values()))
    grown = dict(value)
    i = 0
    while len(grown) < size:
        grown.setdefault(f"extra{i}", copy.deepcopy(template))
        i += 1
    return grown


# -- valid calls in which every member exists -------------------------------------


def _variant_named(constraint: Constraint) -> type | None:
    wire = constraint.wire
    if INVOCATION in wire and wire.index(INVOCATION) + 1 < len(wire):
        return VARIANT_CLASSES[wire[wire.index(INVOCATION) + 1]]
    if constraint.kind in (
        "rule:run_command_needs_target",
        "rule:replace_run_command_needs_target",
    ):
        return RunCommandParameters
    return None


def base_calls(constraint: Constraint) -> Any:
    """Valid calls of the constraint's operation that hold every member it refers to."""
    variant = _variant_named(constraint)
    operation = constraint.operation
    if operation == REGISTER:
        return st.builds(
            lambda window_id, definition, token: Call(
                REGISTER, {"window_id": window_id, "definition": definition, "client_token": token}
            ),
            S.window_ids(),
            S.task_definitions(variant=variant, full=True),
            S.client_tokens(),
        )
    if operation == UPDATE:
        replace = True if constraint.kind.startswith("rule:replace") else None
        return st.builds(
            lambda window_id, task_id, pair: Call(
                UPDATE,
                {
                    "window_id": window_id,
                    "window_task_id": task_id,
                    "update": pair[0],
                    "replace": pair[1],
                },
            ),
            S.window_ids(),
            S.window_task_ids(),
            S.task_updates(replace=replace, variant=variant, full=True),
        )
    if operation == DESCRIBE:
        return st.builds(
            lambda window_id, filters, size, token: Call(
                DESCRIBE,
                {
                    "window_id": window_id,
                    "filters": filters,
                    "max_results": size,
                    "next_token": token,
                },
            ),
            S.window_ids(),
            st.lists(S.task_filters(full=True), min_size=1, max_size=5).map(tuple),
            st.integers(10, 100),
            S.text(1),
        )
    if operation == WINDOWS:
        return st.builds(
            lambda filters, size, token: Call(
                WINDOWS, {"filters": filters, "max_results": size, "next_token": token}
            ),
            st.lists(S.window_filters(full=True), min_size=1, max_size=5).map(tuple),
            st.integers(10, 100),
            S.text(1),
        )
    return st.builds(
        lambda window_id, task_id: Call(GET, {"window_id": window_id, "window_task_id": task_id}),
        S.window_ids(),
        S.window_task_ids(),
    )


# -- breaking one member ------------------------------------------------------------


@dataclass
class Located:
    """Where a constraint applies in one request: the container, the key, the paths."""

    parent: Any
    key: Any
    #: The library's path of the member (variant level dropped, map keys as Key).
    path: tuple[Segment, ...]


def _locate(draw: Any, wire: dict[str, Any], segments: tuple[str, ...]) -> Located:
    """Find the member at ``segments`` (choosing list items and map entries at random)."""
    parent: Any = None
    key: Any = None
    node: Any = wire
    path: tuple[Segment, ...] = ()
    for i, segment in enumerate(segments):
        if segment == "{key}":
            break  # the map itself is the member; the key is chosen by the breaker
        parent = node
        if segment == "[]":
            key = draw(st.integers(0, len(node) - 1))
            path += (key,)
        elif segment == "{}":
            key = draw(st.sampled_from(sorted(node)))
            path += (Key(key),)
        else:
            key = segment
            under_invocation = i > 0 and segments[i - 1] == INVOCATION
            if not under_invocation:
                path += (snake_case(segment),)
        if i + 1 < len(segments) and segments[i + 1] != "{key}":
            node = node[key]
    return Located(parent, key, path)


@dataclass
class Broken:
    """A broken request, the path its violation must name, and the same call as models."""

    wire: dict[str, Any]
    path: str
    client_path: str
    #: Builds the call from models (may raise ValidationError itself), or None when
    #: the models cannot express the violation.
    call: Callable[[], Call] | None


def break_one(draw: Any, constraint: Constraint, base: Call) -> Broken:
    """Break exactly the member ``constraint`` is about, in a copy of ``base``'s request."""
    wire = copy.deepcopy(base.wire())
    kind = constraint.kind
    spot = _locate(draw, wire, constraint.wire)
    parent, key = spot.parent, spot.key
    path = render_path(spot.path)
    client_path = path

    def from_wire() -> Call:
        call = call_from_wire(constraint.operation, wire)
        assert call.wire() == wire, "the models must express the broken request exactly"
        return call

    make: Callable[[], Call] | None = from_wire
    if kind == "required":
        del parent[key]
        make = _required_as_none(base, spot)
    elif constraint.wire[-1:] == ("{key}",):
        mapping = parent[key]
        old = draw(st.sampled_from(sorted(mapping)))
        new = _break_scalar(draw, constraint)
        assert new not in mapping  # valid keys are never too short or too long
        parent[key] = {new if k == old else k: v for k, v in mapping.items()}
    elif kind in ("min_items", "max_items"):
        parent[key] = _break_collection(draw, constraint, parent[key])
    elif kind == "rule:one_variant":
        block = parent[key]
        others = [v for v in VARIANT_CLASSES if v not in block]
        block[draw(st.sampled_from(others))] = {}
        make = None
    elif kind == "rule:variant_matches_type":
        (variant,) = parent[key]
        wrong = [t.value for t in TaskType if VARIANT_OF_TYPE[t.value] != variant]
        wire["TaskType"] = draw(st.sampled_from(wrong))
        client_path = "task_type"  # the model refuses the pair when it is built
    elif kind in ("rule:run_command_needs_target", "rule:replace_run_command_needs_target"):
        if draw(st.booleans()):
            del parent[key]
        else:
            parent[key] = []
    elif kind in (
        "rule:targets_need_limit",
        "rule:replace_targets_need_limit",
        "rule:replace_needs_register_members",
    ):
        del parent[key]
    else:
        parent[key] = _break_scalar(draw, constraint)
    return Broken(wire, path, client_path, make)


def _required_as_none(base: Call, spot: Located) -> Callable[[], Call]:
    """A required member left out, as models say it: ``None`` where a value must be."""

    def make() -> Call:
        args = dict(base.args)
        top = spot.path[0]
        if top in ("window_id", "window_task_id"):
            args[str(top)] = None
        else:
            root = "definition" if base.operation == REGISTER else "update"
            args[root] = evolve_at(args[root], spot.path, None)
        return Call(base.operation, args)

    return make


# -- the properties ----------------------------------------------------------------


def test_the_walk_finds_every_kind_of_constraint() -> None:
    """The model walk yields required, length, range, size, pattern and enum constraints."""
    kinds = {c.kind for c in CONSTRAINTS}
    assert {
        "required",
        "min_length",
        "max_length",
        "min_items",
        "max_items",
        "min_value",
        "max_value",
        "max_bytes",
        "pattern",
        "enum",
    } <= kinds
    per_operation = {op: sum(c.operation == op for c in CONSTRAINTS) for op in OPERATIONS}
    count("constraints:total", len(CONSTRAINTS))
    assert all(n >= 4 for n in per_operation.values()), per_operation


def test_every_pattern_of_the_model_has_a_breaker() -> None:
    """Each pattern in the four input shapes has a generator of values that break it."""
    patterns = {c.shape_name: c.bound for c in CONSTRAINTS if c.kind == "pattern"}
    assert set(patterns) == set(PATTERN_BREAKS)


def _client_attempts(
    loop_client: LoopClient, operation: str, make: Callable[[], Call], expected: str
) -> Iterator[tuple[str, Callable[[], Any]]]:
    """Ways to make the broken call through the client, each with the path it must name.

    Building the models happens inside each attempt: a model may refuse the
    value itself, which is the same ``ValidationError`` to the user.
    """

    def call() -> Any:
        built = make()
        return loop_client.run(built.invoke(loop_client.client))

    yield expected, call
    if operation == DESCRIBE:

        def paginate() -> Any:
            args = make().args
            return loop_client.client.paginate_maintenance_window_tasks(
                args["window_id"], filters=args["filters"], page_size=args["max_results"]
            )

        yield ("page_size" if expected == "max_results" else expected), paginate
    if operation == WINDOWS:

        def paginate_windows() -> Any:
            args = make().args
            return loop_client.client.paginate_maintenance_windows(
                filters=args["filters"], page_size=args["max_results"]
            )

        yield ("page_size" if expected == "max_results" else expected), paginate_windows


#: Examples per constraint: a tenth of the profile's, at least 10 (10 in "quick", 1,000 in
#: "deep"), since the property is split over every constraint (183 tests: 183,000 in "deep").
PER_CONSTRAINT = max(10, settings.default.max_examples // 10)


@pytest.mark.parametrize("constraint", CONSTRAINTS, ids=lambda c: c.id)
@settings(max_examples=PER_CONSTRAINT)
@given(data=st.data())
def test_a_broken_member_is_named_and_nothing_is_sent(
    constraint: Constraint,
    data: st.DataObject,
    loop_client: LoopClient,
    ssm_server: EmbeddedSSMServer,
) -> None:
    """Breaking one constrained member raises ValidationError naming its path; nothing is sent."""
    count("examples:violations")
    base: Call = data.draw(base_calls(constraint), label="valid call")
    assert violations(constraint.operation, base.wire()) == [], "the base call must be valid"
    broken = break_one(data.draw, constraint, base)

    with pytest.raises(ValidationError) as raised:
        validate_request(constraint.operation, broken.wire)
    assert set(raised.value.paths) == {broken.path}, raised.value.violations

    if broken.call is None:  # the models cannot hold this violation at all
        count("violations:wire_only")
        return
    before = ssm_server.request_count()
    for expected, attempt in _client_attempts(
        loop_client, constraint.operation, broken.call, broken.client_path
    ):
        with pytest.raises(ValidationError) as raised:
            attempt()
        assert expected in raised.value.paths, raised.value.violations
    assert ssm_server.request_count() == before
    count("violations:through_the_client")
