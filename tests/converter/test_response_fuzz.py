"""Responses generated from the botocore output shapes always parse, and write back unchanged.

The service adds members and enum values over the years, and may one day send
an invocation-parameters variant or a task type this version does not know.
The responses here are drawn from the output shapes of the four operations
with random member subsets and sizes, mixed with unknown extra keys, unknown
enum values, empty / unknown / several-variant invocation blocks and unknown
task types. ``from_botocore`` must never raise, except ``ResponseError`` for a
task without its identity (``WindowId``/``WindowTaskId``); and
``to_botocore(from_botocore(d, cls))`` must give ``d`` back, less the unknown
extra keys (an invocation block that is not exactly one known variant is kept
whole, as it came).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssm_mw import (
    MaintenanceWindowTaskDetails,
    ResponseError,
    TaskPage,
    TaskType,
    UnknownInvocationParameters,
    WindowPage,
    from_botocore,
    to_botocore,
)
from ssm_mw._converter import BOTOCORE_SHAPES, parse_register_response, wire_names
from ssm_mw._schema import Node
from support import strategies as S
from support.figures import count
from support.operations import DESCRIBE, GET, OPERATIONS, REGISTER, UPDATE, WINDOWS

IDENTITY = frozenset({"WindowId", "WindowTaskId"})
MODEL_OF: dict[str, type | None] = {
    GET: MaintenanceWindowTaskDetails,
    UPDATE: MaintenanceWindowTaskDetails,
    DESCRIBE: TaskPage,
    WINDOWS: WindowPage,
    REGISTER: None,  # the client reads only WindowTaskId
}
INVOCATION = "TaskInvocationParameters"
VARIANTS = {"RunCommand", "Automation", "StepFunctions", "Lambda"}


pytestmark = pytest.mark.reliability  # a guarantee of docs/reliability.md


def _known_names(operation: str) -> frozenset[str]:
    """Every wire name the model class reads: never an 'unknown' key."""
    names: set[str] = set()
    if MODEL_OF[operation] is not None:
        for cls in BOTOCORE_SHAPES:
            names |= set(wire_names(cls).values())
    return frozenset(names)


def responses(operation: str) -> Any:
    """Responses of ``operation`` from its output shape, sometimes without a task's identity."""
    shape = S.output_shape(operation)
    values = S.botocore_values(shape, always=IDENTITY, exclude=_known_names(operation))
    return st.tuples(values, st.integers(0, 9), st.sampled_from(sorted(IDENTITY))).map(
        lambda t: _drop_identity(t[0], t[2]) if t[1] == 9 else t[0]
    )


#: The list member of each describe's page, whose items carry the identity.
ITEMS = {DESCRIBE: "Tasks", WINDOWS: "WindowIdentities"}


def _drop_identity(response: dict[str, Any], member: str) -> dict[str, Any]:
    response = dict(response)
    listed = next((key for key in ITEMS.values() if response.get(key)), None)
    if listed is not None:
        items = [dict(t) for t in response[listed]]
        items[-1].pop(member, None)
        response[listed] = items
    else:
        response.pop(member, None)
    return response


def _lacks_identity(operation: str, response: dict[str, Any]) -> bool:
    if operation == REGISTER:
        return "WindowTaskId" not in response
    if operation == DESCRIBE:
        return any(not set(task) >= IDENTITY for task in response.get("Tasks", []))
    if operation == WINDOWS:
        return any("WindowId" not in window for window in response.get("WindowIdentities", []))
    return not set(response) >= IDENTITY


def _expected(operation: str, response: dict[str, Any]) -> dict[str, Any]:
    expected: dict[str, Any] = S.strip_unknown(response, S.output_shape(operation))
    listed = ITEMS.get(operation)
    if listed is not None and expected.get(listed) == []:
        # A page's items are () for "none", whether the list was empty or absent.
        del expected[listed]
    return expected


def _tally(operation: str, response: dict[str, Any]) -> None:
    """Count what the example mixed in, for the figures."""
    shape = S.output_shape(operation)
    items = [response]
    listed = ITEMS.get(operation)
    if listed is not None:
        shape = cast(Node, shape.members[listed].node.item)
        items = response.get(listed, [])
    for item in items:
        task_type = item.get("TaskType", item.get("Type"))
        if isinstance(task_type, str) and not TaskType.is_known(task_type):
            count("fuzz:unknown_task_type")
        block = item.get(INVOCATION)
        if block is not None:
            if not block:
                count("fuzz:empty_invocation_block")
            elif not set(block) <= VARIANTS:
                count("fuzz:unknown_invocation_variant")
            elif len(block) > 1:
                count("fuzz:several_invocation_variants")
        if set(item) - set(shape.members):
            count("fuzz:unknown_extra_keys")


def parse_and_write_back(operation: str, response: dict[str, Any]) -> None:
    """The property, for one response."""
    cls = MODEL_OF[operation]
    parse: Callable[[], Any] = (
        (lambda: parse_register_response(response))
        if cls is None
        else (lambda: from_botocore(response, cls))
    )
    if _lacks_identity(operation, response):
        count("fuzz:without_identity")
        with pytest.raises(ResponseError):
            parse()
        return
    parsed = parse()
    if cls is None:
        assert parsed == response["WindowTaskId"]
        return
    assert to_botocore(parsed) == _expected(operation, response)


@pytest.mark.parametrize("operation", OPERATIONS)
@given(data=st.data())
def test_a_fuzzed_response_parses_and_writes_back(operation: str, data: st.DataObject) -> None:
    """A response from the output shape parses (or raises ResponseError) and writes back."""
    count("examples:response_fuzz")
    response = data.draw(responses(operation), label="response")
    _tally(operation, response)
    parse_and_write_back(operation, response)


_GET = {"WindowId": "mw-0123456789abcdef0", "WindowTaskId": "2f1a8b1e-0000-4000-8000-0123456789ab"}

FUTURE = {
    "unknown task type and variant": (
        GET,
        {
            **_GET,
            "TaskType": "CONTAINER",
            INVOCATION: {"Container": {"Image": "nginx", "Cpu": 256}},
            "Fleet": {"Size": 3},
        },
    ),
    "empty invocation block": (GET, {**_GET, "TaskType": "LAMBDA", INVOCATION: {}}),
    "several variants": (
        UPDATE,
        {**_GET, INVOCATION: {"RunCommand": {"TimeoutSeconds": 60}, "Lambda": {"Qualifier": "1"}}},
    ),
    "known and unknown variant": (
        GET,
        {**_GET, INVOCATION: {"Lambda": {"Payload": b"{}"}, "Ecs": {}}},
    ),
    "unknown enum values everywhere": (
        GET,
        {
            **_GET,
            "TaskType": "RUN_COMMAND",
            "CutoffBehavior": "PAUSE_TASK",
            INVOCATION: {
                "RunCommand": {
                    "DocumentHashType": "Sha512",
                    "NotificationConfig": {
                        "NotificationEvents": ["Failed", "Throttled"],
                        "NotificationType": "Digest",
                    },
                    "FutureMember": True,
                }
            },
        },
    ),
    "describe: unknown Type, extra keys": (
        DESCRIBE,
        {
            "Tasks": [{**_GET, "Type": "QUANTUM", "CutoffBehavior": "CANCEL_TASK", "Owner": "x"}],
            "NextToken": "abc",
            "ResponseMetadata": {"RequestId": "r", "HTTPStatusCode": 200},
        },
    ),
    "describe: a task without its id": (DESCRIBE, {"Tasks": [{"WindowId": _GET["WindowId"]}]}),
    "get: no WindowId": (GET, {"WindowTaskId": _GET["WindowTaskId"]}),
    "register: no WindowTaskId": (REGISTER, {"ResponseMetadata": {}}),
}


@pytest.mark.parametrize(("operation", "response"), FUTURE.values(), ids=FUTURE.keys())
def test_a_response_from_a_future_version_parses_and_writes_back(
    operation: str, response: dict[str, Any]
) -> None:
    """Hand-made future responses parse (or raise ResponseError) and write back."""
    parse_and_write_back(operation, response)


def test_unknown_values_are_kept_as_they_came() -> None:
    """An unknown task type is a pseudo-member; an unknown variant keeps its block verbatim."""
    details = from_botocore(
        FUTURE["unknown task type and variant"][1], MaintenanceWindowTaskDetails
    )
    assert details.task_type == "CONTAINER"
    assert details.task_type is not None
    assert not TaskType.is_known(details.task_type.value)
    params = details.task_invocation_parameters
    assert isinstance(params, UnknownInvocationParameters)
    assert params.botocore_key == "Container"
    assert params.raw == {"Container": {"Image": "nginx", "Cpu": 256}}
