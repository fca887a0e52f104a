"""Valid models become requests that botocore accepts, and convert back unchanged."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from botocore.validate import ParamValidator
from hypothesis import given
from hypothesis import strategies as st

from ssm_mw import (
    MaintenanceWindowTask,
    TaskDefinition,
    TaskUpdate,
    WindowPage,
    from_botocore,
    to_botocore,
)
from ssm_mw._converter import BOTOCORE_SHAPES, wire_names
from ssm_mw._validation import violations
from support import strategies as S
from support.calls import Call
from support.figures import count
from support.operations import DESCRIBE, GET, OPERATIONS, REGISTER, UPDATE, WINDOWS
from support.paths import snake_case

#: Request members that are method arguments of the client, not model attributes.
METHOD_MEMBERS = {
    TaskDefinition: {"WindowId", "ClientToken"},
    TaskUpdate: {"WindowId", "WindowTaskId", "Replace"},
}


pytestmark = pytest.mark.reliability  # a guarantee of docs/reliability.md


def _botocore_errors(params: dict[str, Any], shape_name: str) -> str:
    report = ParamValidator().validate(params, S.shape(shape_name))
    return report.generate_report() if report.has_errors() else ""


def _as_request(cls: type, wire: dict[str, Any], ids: tuple[str, str]) -> dict[str, Any]:
    """The request dict a model stands for (register and update need their ids too)."""
    if cls is TaskDefinition:
        return {"WindowId": ids[0], **wire}
    if cls is TaskUpdate:
        return {"WindowId": ids[0], "WindowTaskId": ids[1], **wire}
    return wire


def test_there_is_a_strategy_for_every_model() -> None:
    """tests/support/strategies.py covers every model class the converter knows."""
    assert set(S.MODELS) == set(BOTOCORE_SHAPES)


@pytest.mark.parametrize("cls", list(BOTOCORE_SHAPES), ids=lambda c: c.__name__)
def test_attribute_names_are_the_snake_case_of_the_members(cls: type) -> None:
    """Each member of a model's shape is an attribute of the same name in snake_case."""
    members = set(S.shape(BOTOCORE_SHAPES[cls]).members) - METHOD_MEMBERS.get(cls, set())
    renamed = {
        MaintenanceWindowTask: {"Type": "task_type"},
        WindowPage: {"WindowIdentities": "windows"},
    }.get(cls, {})
    expected = {renamed.get(m, snake_case(m)): m for m in members}
    assert {a: w for a, w in wire_names(cls).items()} == expected


@pytest.mark.parametrize("full", [False, True], ids=["some", "all"])
@pytest.mark.parametrize("cls", list(BOTOCORE_SHAPES), ids=lambda c: c.__name__)
@given(data=st.data())
def test_a_valid_model_is_accepted_by_botocore_and_converts_back(
    cls: type, full: bool, data: st.DataObject
) -> None:
    """A valid model's dict passes botocore's ParamValidator and converts back unchanged."""
    count("examples:round_trip")
    model = data.draw(S.MODELS[cls](full), label=cls.__name__)
    ids = (data.draw(S.window_ids()), data.draw(S.window_task_ids()))
    wire = to_botocore(model)
    assert _botocore_errors(_as_request(cls, wire, ids), BOTOCORE_SHAPES[cls]) == ""
    back = from_botocore(wire, cls)
    assert back == model
    assert to_botocore(back) == wire
    if full:  # every member is set: the dict holds every member of the shape
        members = set(S.shape(BOTOCORE_SHAPES[cls]).members) - METHOD_MEMBERS.get(cls, set())
        assert set(wire) == members
        assert attrs.asdict(back, recurse=False) == attrs.asdict(model, recurse=False)


def calls(operation: str) -> Any:
    """Valid calls of one operation, as a user makes them."""
    ids = st.tuples(S.window_ids(), S.window_task_ids())
    if operation == REGISTER:
        return st.builds(
            lambda i, d, t: Call(REGISTER, {"window_id": i[0], "definition": d, "client_token": t}),
            ids,
            S.task_definitions(),
            S.client_tokens(),
        )
    if operation == UPDATE:
        return st.builds(
            lambda i, pair: Call(
                UPDATE,
                {"window_id": i[0], "window_task_id": i[1], "update": pair[0], "replace": pair[1]},
            ),
            ids,
            S.task_updates(),
        )
    if operation == DESCRIBE:
        return st.builds(
            lambda i, f, m, n: Call(
                DESCRIBE, {"window_id": i[0], "filters": f, "max_results": m, "next_token": n}
            ),
            ids,
            st.lists(S.task_filters(), max_size=5).map(tuple),
            st.none() | st.integers(10, 100),
            st.none() | S.text(1),
        )
    if operation == WINDOWS:
        return st.builds(
            lambda f, m, n: Call(WINDOWS, {"filters": f, "max_results": m, "next_token": n}),
            st.lists(S.window_filters(), max_size=5).map(tuple),
            st.none() | st.integers(10, 100),
            st.none() | S.text(1),
        )
    return st.builds(lambda i: Call(GET, {"window_id": i[0], "window_task_id": i[1]}), ids)


@pytest.mark.parametrize("operation", OPERATIONS)
@given(data=st.data())
def test_a_valid_call_passes_both_validators(operation: str, data: st.DataObject) -> None:
    """The request of a valid call passes ssm-mw's validation and botocore's ParamValidator."""
    count("examples:valid_requests")
    call: Call = data.draw(calls(operation))
    wire = call.wire()
    assert violations(operation, wire) == []
    input_shape = S.service_model().operation_model(operation).input_shape
    assert _botocore_errors(wire, input_shape.name) == ""
