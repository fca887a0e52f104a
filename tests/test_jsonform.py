"""The one JSON form of binary data: text as a string, other bytes as {"$base64": ...}."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssm_mw
from ssm_mw import DesiredState, ValidationError, to_json_value
from ssm_mw._jsonform import decode_blobs
from ssm_mw._schema import input_schema
from support.operations import REGISTER

_WINDOW = "mw-0123456789abcdef0"


def test_text_is_a_string_and_other_bytes_are_base64() -> None:
    """UTF-8 bytes are their text; others {"$base64": ...}; tuples become lists."""
    value = {"a": b'{"k": "v"}', "b": (b"\xff\xfe\x00", "s", 1), "c": None}
    assert to_json_value(value) == {
        "a": '{"k": "v"}',
        "b": [{"$base64": "//4A"}, "s", 1],
        "c": None,
    }
    assert ssm_mw.to_json_value.__module__ == "ssm_mw"


@given(st.binary(max_size=64))
def test_every_payload_reads_back_as_its_bytes(data: bytes) -> None:
    """Through JSON and the file reader's decoding, any payload comes back byte for byte."""
    members = {"TaskInvocationParameters": {"Lambda": {"Payload": data}}}
    written = json.loads(json.dumps(to_json_value(members)))
    read = decode_blobs(input_schema(REGISTER), written)
    payload = read["TaskInvocationParameters"]["Lambda"]["Payload"]
    assert (payload.encode("utf-8") if isinstance(payload, str) else payload) == data


def test_only_a_blob_member_is_decoded() -> None:
    """A {"$base64": ...} mapping elsewhere (a task parameter) is left for the model to judge."""
    members = {
        "TaskParameters": {"p": {"$base64": "AAEC"}},
        "TaskInvocationParameters": {"Lambda": {"Payload": {"$base64": "AAEC"}}},
    }
    read = decode_blobs(input_schema(REGISTER), members)
    assert read["TaskParameters"] == {"p": {"$base64": "AAEC"}}
    assert read["TaskInvocationParameters"]["Lambda"]["Payload"] == b"\x00\x01\x02"


def test_a_desired_state_names_a_payload_that_is_not_base64() -> None:
    """The violation's path goes down to the $base64 key; nothing else is reported."""
    task = {
        "TaskArn": "arn:aws:lambda:us-east-1:123456789012:function:f",
        "TaskType": "LAMBDA",
        "TaskInvocationParameters": {"Lambda": {"Payload": {"$base64": "%%%"}}},
    }
    with pytest.raises(ValidationError) as caught:
        DesiredState.from_botocore({"windows": {_WINDOW: {"t": task}}})
    assert [(v.path, v.message) for v in caught.value.violations] == [
        (
            f"windows[{_WINDOW!r}]['t'].TaskInvocationParameters.Lambda.Payload.$base64",
            "not valid base64",
        )
    ]
