"""The embedded backend writes each result exactly as moto's own JSON serializer would.

The backend serializes the results of the four task operations itself (moto's
serializer costs more CPU than the rest of a request together); these tests
hold the two to the same text, for any result the output shapes allow, with
unknown members, ``None`` values and blobs (bytes or text) mixed in.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moto.core.responses import XFormedAttributePicker, get_service_model
from moto.core.serialize import get_serializer_class

from ssm_mw._schema import Node
from ssm_mw.testing._model import serialize_result
from support import strategies as S

OPERATIONS = (
    "DescribeMaintenanceWindowTasks",
    "GetMaintenanceWindowTask",
    "RegisterTaskWithMaintenanceWindow",
    "UpdateMaintenanceWindowTask",
)


def _moto_body(operation: str, result: Any) -> str:
    model = get_service_model("ssm")
    serializer = get_serializer_class("ssm", model.metadata["protocol"])(
        operation_model=model.operation_model(operation),
        pretty_print=False,
        value_picker=XFormedAttributePicker(response_transformers=None),
    )
    body: str = serializer.serialize(result)["body"]
    return body


def _with_nones(value: Any, node: Node, rnd: random.Random) -> Any:
    """``value`` with some members of its structures set to ``None``: neither writes them."""
    if node.kind == "structure" and isinstance(value, dict):
        members = node.members
        return {
            k: (None if rnd.random() < 0.1 else _with_nones(v, members[k].node, rnd))
            if k in members
            else v
            for k, v in value.items()
        }
    if node.item is not None and isinstance(value, list):
        return [_with_nones(v, node.item, rnd) for v in value]
    if node.value is not None and isinstance(value, dict):
        return {k: _with_nones(v, node.value, rnd) for k, v in value.items()}
    return value


@pytest.mark.parametrize("operation", OPERATIONS)
@given(data=st.data())
def test_a_result_is_written_as_moto_writes_it(operation: str, data: st.DataObject) -> None:
    """Same text as moto's serializer: member order, dropped unknowns and Nones, base64 blobs."""
    shape = S.output_shape(operation)
    result = data.draw(S.botocore_values(shape), label="result")
    result = _with_nones(result, shape, data.draw(st.randoms(use_true_random=False)))
    assert serialize_result(operation, result) == _moto_body(operation, result)


@pytest.mark.parametrize(
    "payload", [b'{"a": 1}', '{"a": 1}', b"", b"\x00\xff"], ids=["bytes", "text", "empty", "binary"]
)
def test_a_lambda_payload_is_base64_either_way(payload: bytes | str) -> None:
    """A payload stored as bytes or as text is sent as the base64 of its bytes."""
    result = {
        "WindowId": "mw-0123456789abcdef0",
        "WindowTaskId": "a" * 36,
        "TaskInvocationParameters": {"Lambda": {"Payload": payload}},
    }
    body = serialize_result("GetMaintenanceWindowTask", result)
    assert body == _moto_body("GetMaintenanceWindowTask", result)
