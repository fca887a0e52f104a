"""The conformance suite's tools: raw responses checked against the botocore model, raw calls.

The suite drives the embedded backend with plain aiobotocore clients: a Run
Command task as a request dict, its registration, and the error a call must fail with.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

MODEL = botocore.session.get_session().get_service_model("ssm")

#: No retries: the tests see the server's raw answer.
NO_RETRY = {"total_max_attempts": 1, "mode": "standard"}


class Wire:
    """The raw responses (operation, status, JSON body) that clients received."""

    def __init__(self) -> None:
        self.responses: list[tuple[str, int, dict[str, Any]]] = []

    def record(self, operation_name: str, response_dict: dict[str, Any]) -> None:
        """Keep one raw response (a botocore ``before-parse`` response dict)."""
        body = response_dict["body"]
        decoded = json.loads(body) if body else {}
        self.responses.append((operation_name, response_dict["status_code"], decoded))

    def last(self, operation_name: str) -> dict[str, Any]:
        """The body of the last response to ``operation_name``."""
        for name, _status, body in reversed(self.responses):
            if name == operation_name:
                return body
        raise AssertionError(f"no {operation_name} response recorded")

    def check_all(self) -> None:
        """Assert every recorded body fits the botocore model."""
        for name, status, body in self.responses:
            if status >= 300:
                assert_error_body(body)
            else:
                assert_conforms(MODEL.operation_model(name).output_shape, body, name)


def assert_error_body(body: dict[str, Any]) -> None:
    """An AWS JSON 1.1 error: ``__type`` and a message, nothing else."""
    assert isinstance(body.get("__type"), str), body
    assert body["__type"], body
    assert set(body) <= {"__type", "message", "Message"}, body
    assert isinstance(body.get("message", body.get("Message")), str), body


def assert_conforms(shape: Any, value: Any, path: str) -> None:
    """Assert a raw JSON value fits a botocore shape: no unknown keys, right types."""
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(value, dict), path
        unknown = set(value) - set(shape.members)
        assert not unknown, f"{path}: keys not in {shape.name}: {sorted(unknown)}"
        for key, item in value.items():
            assert_conforms(shape.members[key], item, f"{path}.{key}")
    elif kind == "list":
        assert isinstance(value, list), path
        for i, item in enumerate(value):
            assert_conforms(shape.member, item, f"{path}[{i}]")
    elif kind == "map":
        assert isinstance(value, dict), path
        for key, item in value.items():
            assert_conforms(shape.key, key, f"{path}<key>")
            assert_conforms(shape.value, item, f"{path}.{key}")
    elif kind == "string":
        assert isinstance(value, str), path
        enum = shape.metadata.get("enum")
        assert not enum or value in enum, path
    elif kind in ("integer", "long"):
        assert isinstance(value, int), path
        assert not isinstance(value, bool), path
    elif kind == "boolean":
        assert isinstance(value, bool), path
    elif kind == "blob":
        assert isinstance(value, str), path
        base64.b64decode(value, validate=True)
    else:
        raise AssertionError(f"{path}: unexpected shape type {kind}")


def error_code(exc: ClientError) -> str:
    """The AWS error code of a botocore ``ClientError``."""
    return str(exc.response["Error"]["Code"])


async def fails_with(code: str, call: Awaitable[Any]) -> ClientError:
    """Await ``call``: it must raise a ``ClientError`` with the AWS error ``code``; return that."""
    with pytest.raises(ClientError) as caught:
        await call
    assert error_code(caught.value) == code
    return caught.value


def run_command_task(window_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid RUN_COMMAND registration request, with ``overrides`` applied (None drops)."""
    request: dict[str, Any] = {
        "WindowId": window_id,
        "TaskArn": "AWS-RunShellScript",
        "TaskType": "RUN_COMMAND",
        "Priority": 1,
        "MaxConcurrency": "2",
        "MaxErrors": "1",
        "Targets": [{"Key": "WindowTargetIds", "Values": ["e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3"]}],
        "TaskInvocationParameters": {
            "RunCommand": {
                "Comment": "hello",
                "TimeoutSeconds": 600,
                "Parameters": {"commands": ["uptime"]},
            }
        },
    }
    request.update(overrides)
    return {k: v for k, v in request.items() if v is not None}


async def register(ssm: Any, window_id: str, **overrides: Any) -> str:
    """Register :func:`run_command_task` and return the new WindowTaskId."""
    response = await ssm.register_task_with_maintenance_window(
        **run_command_task(window_id, **overrides)
    )
    return str(response["WindowTaskId"])
