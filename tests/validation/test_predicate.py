"""The generated predicate agrees with the closures that find every violation.

``validate_request`` first asks a generated function whether a request breaks
no constraint of the model; only when it says no are the closures built and run
to name each violation. So the predicate must never pass a request the closures
would refuse, and, to be worth anything, it must pass every request they accept
that is made of the plain types ssm-mw's converter sends.

The requests here are what the converter makes of valid models, then mutated at
one random place: a member removed, a value replaced (a wrong type, a string of
another length, a number out of range, ``None``), an unknown member added.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssm_mw._converter import describe_request, get_request, register_request, update_request
from ssm_mw._errors import ValidationError
from ssm_mw._models import TaskDefinition
from ssm_mw._validation import _model_checker, _passes, _predicate, validate_request, violations
from support.operations import DESCRIBE, GET, REGISTER, UPDATE
from support.strategies import (
    client_tokens,
    task_definitions,
    task_filters,
    task_updates,
    window_ids,
    window_task_ids,
)


def _registers(full: bool) -> Any:
    return st.builds(
        lambda w, d, t: register_request(w, d, t),
        window_ids(),
        task_definitions(full=full),
        client_tokens(),
    )


def _updates(full: bool) -> Any:
    return st.builds(
        lambda w, t, pair: update_request(w, t, pair[0], pair[1]),
        window_ids(),
        window_task_ids(),
        task_updates(full=full),
    )


def _describes() -> Any:
    return st.builds(
        lambda w, f, m, n: describe_request(w, f, m, n),
        window_ids(),
        st.lists(task_filters(), max_size=5),
        st.none() | st.integers(10, 100),
        st.none() | st.text(min_size=1, max_size=20),
    )


def _gets() -> Any:
    return st.builds(get_request, window_ids(), window_task_ids())


REQUESTS: dict[str, Callable[[bool], Any]] = {
    REGISTER: _registers,
    UPDATE: _updates,
    DESCRIBE: lambda full: _describes(),
    GET: lambda full: _gets(),
}

#: What a value may be replaced with: other types, odd sizes, edge numbers.
REPLACEMENTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**64),
    st.sampled_from([0, 1, 100, 2**31 - 1, 2**31, -(2**31) - 1, 2**63]),
    st.floats(allow_nan=False),
    st.text(max_size=5),
    st.text(min_size=250, max_size=300),
    st.sampled_from(["", "x", "RUN_COMMAND", "CANCEL_TASK", "i-0123456789abcdef0", "1", "50%"]),
    st.binary(max_size=10),
    st.just([]),
    st.just({}),
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a request: dict keys and list indexes, nested."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_places(item, (*path, key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found.extend(_places(item, (*path, i)))
    return found


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


@st.composite
def _mutated(draw: Any, operation: str) -> dict[str, Any]:
    request: dict[str, Any] = draw(REQUESTS[operation](draw(st.booleans())))
    how = draw(st.sampled_from(["none", "replace", "replace", "remove", "add"]))
    if how == "none":
        return request
    path = draw(st.sampled_from(_places(request)))
    if not path:
        return request
    parent, last = _at(request, path[:-1]), path[-1]
    if how == "replace":
        parent[last] = draw(REPLACEMENTS)
    elif how == "remove" and isinstance(parent, dict):
        del parent[last]
    elif how == "add":
        target = _at(request, path)
        if isinstance(target, dict):
            target[draw(st.sampled_from(["Unknown", "", "name", "Values", "Key"]))] = draw(
                REPLACEMENTS
            )
        elif isinstance(target, list):
            target.append(draw(REPLACEMENTS))
    return request


def _model_violations(operation: str, request: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    _model_checker(operation)(request, "", "", out)
    return out


@pytest.mark.parametrize("operation", [REGISTER, UPDATE, DESCRIBE, GET])
@given(data=st.data())
def test_the_predicate_passes_exactly_what_the_closures_accept(
    operation: str, data: st.DataObject
) -> None:
    """On plain types the two agree both ways: no request passes that breaks a constraint."""
    request = data.draw(_mutated(operation))
    found = _model_violations(operation, request)
    assert _predicate(operation)(request) == (found == []), found


@pytest.mark.parametrize("operation", [REGISTER, UPDATE, DESCRIBE, GET])
@given(data=st.data())
def test_every_request_of_a_valid_model_takes_the_predicate(
    operation: str, data: st.DataObject
) -> None:
    """What the converter makes of a valid model passes without building the closures."""
    request = data.draw(REQUESTS[operation](data.draw(st.booleans())))
    assert _passes(operation, request)
    assert violations(operation, request) == []
    validate_request(operation, request)


class _Str(str):
    """A ``str`` subclass: valid for the closures (``isinstance``), not plain for the predicate."""


@pytest.mark.parametrize(
    "request_",
    [
        pytest.param({"WindowId": "mw-0123456789abcdef0", "Filters": ()}, id="a tuple for a list"),
        pytest.param({"WindowId": _Str("mw-0123456789abcdef0")}, id="a str subclass"),
        pytest.param(
            {"WindowId": "mw-0123456789abcdef0", "Filters": [{"Key": "TaskType", "Values": ()}]},
            id="a tuple in a structure in a list",
        ),
    ],
)
def test_other_types_go_to_the_closures_which_decide(request_: dict[str, Any]) -> None:
    """A tuple or a str subclass is not refused: the predicate says no, the closures accept."""
    assert not _predicate(DESCRIBE)(request_)
    assert violations(DESCRIBE, request_) == []
    validate_request(DESCRIBE, request_)


def test_a_rule_broken_after_the_model_passes_is_still_reported() -> None:
    """The predicate checks the model only: the cross-member rules still run, and report."""
    request = register_request(
        "mw-0123456789abcdef0",
        TaskDefinition(task_arn="AWS-RunShellScript", task_type="RUN_COMMAND"),
        "token",
    )
    assert _predicate(REGISTER)(request)
    with pytest.raises(ValidationError, match="a RUN_COMMAND task needs a target"):
        validate_request(REGISTER, request)


def test_the_predicate_reads_each_operation_once_and_unknown_ones_fail() -> None:
    """One generated function per operation; an unknown operation is a ValueError."""
    assert _predicate(GET) is _predicate(GET)
    with pytest.raises(ValueError, match="unknown operation 'DeleteMaintenanceWindow'"):
        _predicate("DeleteMaintenanceWindow")
