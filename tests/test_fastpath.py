"""The fast path gives what botocore's parse and ``from_botocore`` give, for any body.

Bodies are drawn from the botocore output shapes of the four operations and
served at the HTTP layer by a small loopback server (a thread of this
process), to real aiobotocore clients: ssm-mw's own client (the fast path)
and a plain aiobotocore client whose parsed response goes through
``from_botocore`` (the reference). Bodies mix in what the model allows and a
service may send (unknown keys at every level, ``null`` in structures, lists
and maps, the Lambda ``Payload`` in base64 padded, unpadded and with
whitespace, any unicode, escapes, integers beyond 64 bits) and what it does
not (values of the wrong type, bodies that are not JSON or not UTF-8, error
responses). Both sides must agree on the outcome (the same result with the
same types, or the same typed error), on ``ResponseMetadata`` and on the
next token.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import json
import logging
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import AsyncExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar, cast

import attrs
import botocore.useragent
import pytest
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore.exceptions import ClientError, ParamValidationError
from botocore.stub import Stubber
from botocore.useragent import UserAgentString
from botocore.validate import ParamValidationDecorator, ParamValidator
from hypothesis import given
from hypothesis import strategies as st

from ssm_mw import (
    DeregisteredTask,
    MaintenanceWindowClient,
    MaintenanceWindowTaskDetails,
    ServiceError,
    TaskDefinition,
    TaskPage,
    TaskType,
    TaskUpdate,
    ValidationError,
    WindowPage,
    from_botocore,
)
from ssm_mw._client import service_error
from ssm_mw._converter import (
    describe_request,
    get_request,
    parse_register_response,
    register_request,
    request,
    update_request,
)
from ssm_mw._fastpath import taken
from ssm_mw._schema import Node
from support import strategies as S
from support.operations import DEREGISTER, DESCRIBE, GET, REGISTER, UPDATE, WINDOWS

T = TypeVar("T")

OPERATIONS = (DESCRIBE, GET, REGISTER, UPDATE, WINDOWS, DEREGISTER)

WINDOW_ID = "mw-0123456789abcdef0"
TASK_ID = "2f1a8b1e-0000-4000-8000-0123456789ab"
DEFINITION = TaskDefinition(
    task_arn="arn:aws:lambda:us-east-1:111122223333:function:f", task_type=TaskType.LAMBDA
)
UPDATE_ = TaskUpdate(priority=3)
TOKEN = "0d5c4d3c-7b6e-4a57-9a1b-3b0a6a2b9f10"
NO_RETRY = {"mode": "standard", "total_max_attempts": 1}


# -- a loopback HTTP server with canned answers ----------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: CannedServer

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        status, headers, body = self.server.next_reply(self.headers.get("User-Agent", ""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def version_string(self) -> str:  # the same headers for both sides of a comparison
        return "canned"

    def date_time_string(self, timestamp: float | None = None) -> str:
        return "Tue, 01 Dec 2026 08:00:00 GMT"

    def log_message(self, format: str, *args: Any) -> None:
        pass


class CannedServer(ThreadingHTTPServer):
    """Answers each request with the next canned reply (the last one repeats)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self._lock = threading.Lock()
        self._replies: list[tuple[int, dict[str, str], bytes]] = []
        self.requests = 0
        self.user_agents: list[str] = []  # the User-Agent header of each request, in order

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def serve(self, *replies: tuple[int, dict[str, str], bytes]) -> None:
        with self._lock:
            self._replies = list(replies)

    def next_reply(self, user_agent: str) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            self.requests += 1
            self.user_agents.append(user_agent)
            return self._replies.pop(0) if len(self._replies) > 1 else self._replies[0]


def reply(body: bytes, status: int = 200, request_id: str | None = None) -> Any:
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "x-amzn-RequestId": request_id or str(uuid.uuid4()),
    }
    return (status, headers, body)


class Bench:
    """ssm-mw's own client and a plain aiobotocore client, on one loop, against one server."""

    def __init__(self, **config: Any) -> None:
        self.server = CannedServer()
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        self.loop = asyncio.new_event_loop()
        self._stack = AsyncExitStack()
        self.seen: list[dict[str, Any]] = []  # after-call records of ssm-mw's client
        session = AioSession()
        session.set_credentials("testing", "testing")
        kwargs: dict[str, Any] = {"region_name": "us-east-1", "endpoint_url": self.server.url}
        retries = config.pop("retries", NO_RETRY)

        async def open_both() -> tuple[MaintenanceWindowClient, Any]:
            mw = MaintenanceWindowClient(
                session=session, config=AioConfig(retries=retries, **config), **kwargs
            )
            await self._stack.enter_async_context(mw)
            raw = await self._stack.enter_async_context(
                session.create_client(
                    "ssm", config=AioConfig(retries=dict(retries), **config), **kwargs
                )
            )
            return mw, raw

        self.mw, self.raw = self.run(open_both())
        self.mw._client.meta.events.register("after-call.ssm", self._record)

    def _record(self, parsed: dict[str, Any], **_: Any) -> None:
        self.seen.append({"taken": taken(parsed), "metadata": dict(parsed["ResponseMetadata"])})

    def run(self, awaitable: Awaitable[T]) -> T:
        async def wrap() -> T:
            return await awaitable

        return self.loop.run_until_complete(wrap())

    def close(self) -> None:
        try:
            self.run(self._stack.aclose())
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        finally:
            self.loop.close()
            self.server.shutdown()
            self.server.server_close()
            self._thread.join()


@pytest.fixture(scope="module")
def bench() -> Iterator[Bench]:
    """Both clients against one canned server, for the whole module."""
    b = Bench()
    try:
        yield b
    finally:
        b.close()


# -- the two sides ---------------------------------------------------------------------------

FAST: Mapping[str, Callable[[MaintenanceWindowClient], Awaitable[Any]]] = {
    DESCRIBE: lambda mw: mw.describe_maintenance_window_tasks(WINDOW_ID),
    GET: lambda mw: mw.get_maintenance_window_task(WINDOW_ID, TASK_ID),
    REGISTER: lambda mw: mw.register_task_with_maintenance_window(
        WINDOW_ID, DEFINITION, client_token=TOKEN
    ),
    UPDATE: lambda mw: mw.update_maintenance_window_task(WINDOW_ID, TASK_ID, UPDATE_),
    WINDOWS: lambda mw: mw.describe_maintenance_windows(),
    DEREGISTER: lambda mw: mw.deregister_task_from_maintenance_window(WINDOW_ID, TASK_ID),
}
PARAMS: Mapping[str, dict[str, Any]] = {
    DESCRIBE: describe_request(WINDOW_ID, (), None, None),
    GET: get_request(WINDOW_ID, TASK_ID),
    REGISTER: register_request(WINDOW_ID, DEFINITION, TOKEN),
    UPDATE: update_request(WINDOW_ID, TASK_ID, UPDATE_, False),
    WINDOWS: request(WINDOWS),
    DEREGISTER: request(DEREGISTER, window_id=WINDOW_ID, window_task_id=TASK_ID),
}
METHODS = {
    DESCRIBE: "describe_maintenance_window_tasks",
    GET: "get_maintenance_window_task",
    REGISTER: "register_task_with_maintenance_window",
    UPDATE: "update_maintenance_window_task",
    WINDOWS: "describe_maintenance_windows",
    DEREGISTER: "deregister_task_from_maintenance_window",
}
READ: Mapping[str, Callable[[Mapping[str, Any]], Any]] = {
    DESCRIBE: lambda r: from_botocore(r, TaskPage),
    GET: lambda r: from_botocore(r, MaintenanceWindowTaskDetails),
    REGISTER: parse_register_response,
    UPDATE: lambda r: from_botocore(r, MaintenanceWindowTaskDetails),
    WINDOWS: lambda r: from_botocore(r, WindowPage),
    DEREGISTER: lambda r: from_botocore(r, DeregisteredTask),
}


async def reference(raw: Any, operation: str) -> tuple[str, Any, dict[str, Any]]:
    """botocore's parse, then ``from_botocore``: the outcome and ResponseMetadata."""
    try:
        response = await getattr(raw, METHODS[operation])(**PARAMS[operation])
    except ClientError as exc:
        return "error", service_error(operation, exc), dict(exc.response["ResponseMetadata"])
    except Exception as exc:  # whatever botocore's parse raised
        return "raised", exc, {}
    metadata = dict(response["ResponseMetadata"])
    try:
        return "ok", READ[operation](response), metadata
    except Exception as exc:
        return "raised", exc, metadata


async def fast(bench: Bench, operation: str) -> tuple[str, Any, dict[str, Any], bool]:
    """ssm-mw's call: the outcome, ResponseMetadata and whether the fast path served it."""
    bench.seen.clear()
    try:
        outcome: tuple[str, Any] = ("ok", await FAST[operation](bench.mw))
    except ServiceError as exc:
        outcome = ("error", exc)
    except Exception as exc:
        outcome = ("raised", exc)
    seen = bench.seen[-1] if bench.seen else {"taken": False, "metadata": {}}
    return outcome[0], outcome[1], seen["metadata"], seen["taken"]


def assert_same(a: Any, b: Any, path: str = "") -> None:
    """Equal, with exactly the same types all the way down (``True`` is not ``1``)."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} vs {type(b).__name__}"
    if attrs.has(type(a)):
        for field in attrs.fields(type(a)):
            assert_same(getattr(a, field.name), getattr(b, field.name), f"{path}.{field.name}")
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, Mapping):
        assert list(a) == list(b), path
        for key in a:
            assert_same(a[key], b[key], f"{path}[{key!r}]")
    else:
        assert a == b, path


def compare(bench: Bench, operation: str, *replies: Any) -> bool:
    """Serve ``replies`` to both sides and assert they agree; return whether it was fast."""
    bench.server.serve(*replies)
    kind, value, metadata, was_fast = bench.run(fast(bench, operation))
    bench.server.serve(*replies)
    ref_kind, ref_value, ref_metadata = bench.run(reference(bench.raw, operation))
    assert kind == ref_kind, (value, ref_value)
    if kind == "ok":
        assert_same(value, ref_value)
        if operation in (DESCRIBE, WINDOWS):
            assert value.next_token == ref_value.next_token
    elif kind == "error":
        assert type(value) is type(ref_value)
        assert (value.code, value.message, value.request_id, value.http_status) == (
            ref_value.code,
            ref_value.message,
            ref_value.request_id,
            ref_value.http_status,
        )
    else:
        assert type(value) is type(ref_value)
        assert str(value) == str(ref_value)
    if kind != "raised":
        assert metadata == ref_metadata
    if kind == "ok":
        assert set(metadata) >= {"RequestId", "HTTPStatusCode", "HTTPHeaders", "RetryAttempts"}
    return was_fast


# -- raw JSON bodies from the output shapes ---------------------------------------------------


def _b64_forms(data: bytes, odd: bool) -> Any:
    padded = base64.b64encode(data).decode()
    spaced = "\n".join(padded[i : i + 4] for i in range(0, len(padded), 4)) + " "
    forms = [padded, padded, spaced, f" {padded}\r\n"]
    if odd:  # botocore's b64decode refuses missing padding: both sides must raise alike
        forms.append(padded.rstrip("="))
    return st.sampled_from(forms)


IDENTITY = frozenset({"WindowId", "WindowTaskId"})
_WRONG = S.json_values() | st.floats() | st.integers(min_value=2**63, max_value=2**80)
_MEMBER_NAMES = st.from_regex(r"[A-Z][A-Za-z0-9]{0,11}", fullmatch=True)


def raw_values(node: Node, odd: bool) -> Any:
    """Raw JSON values of ``shape``; with ``odd``, also nulls, wrong types and unknown keys."""
    value = _raw(node, odd)
    if odd:
        return st.one_of(value, value, value, value, value, value, value, value, st.none(), _WRONG)
    return value


def _raw(node: Node, odd: bool) -> Any:
    kind = node.kind
    if kind == "structure" and node.union and not odd:
        # "Populate only the fields that match the task type" (API reference): one variant.
        variants = {wire: member.node for wire, member in node.members.items()}
        return st.sampled_from(sorted(variants)).flatmap(
            lambda name: _raw(variants[name], odd).map(lambda inner: {name: inner})
        )
    if kind == "structure":
        members = {wire: member.node for wire, member in node.members.items()}
        # A task without its identity is no task (ResponseError): valid bodies always have it.
        required = set(node.required) | (IDENTITY & set(members))
        base = st.fixed_dictionaries(
            {n: raw_values(members[n], odd) for n in required},
            optional={n: raw_values(m, odd) for n, m in members.items() if n not in required},
        )
        if not odd:
            return base
        unknown = st.dictionaries(
            _MEMBER_NAMES.filter(lambda n: n not in members), S.json_values(), max_size=2
        )
        return st.tuples(base, unknown).map(lambda p: {**p[0], **p[1]})
    if kind == "list":
        return st.lists(raw_values(cast(Node, node.item), odd), max_size=4)
    if kind == "map":
        return st.dictionaries(S.text(0, 8), raw_values(cast(Node, node.value), odd), max_size=3)
    if kind == "string":
        values = node.enum
        if values:
            known = st.sampled_from(values)
            return known | S.text(1, 8) if odd else known
        return S.text(0, 16)
    if kind in ("integer", "long"):
        small = st.integers(-(2**31), 2**31 - 1)
        return small | st.integers(min_value=2**63, max_value=2**90) if odd else small
    if kind == "boolean":
        return st.booleans()
    if kind == "blob":
        return st.binary(max_size=24).flatmap(lambda data: _b64_forms(data, odd))
    raise NotImplementedError(kind)


@functools.cache
def bodies(operation: str, odd: bool) -> Any:
    """Whole response bodies: JSON text of a raw value, ASCII-escaped or not."""
    value = _raw(S.output_shape(operation), odd)
    text = st.tuples(value, st.booleans()).map(lambda p: json.dumps(p[0], ensure_ascii=p[1]))
    body = text.map(str.encode)
    if not odd:
        return body
    broken = st.sampled_from(
        [b"", b"{", b"null", b"[]", b'"text"', b"42", b"\xff\xfe{}", b"<html></html>", b"{}"]
    )
    truncated = body.map(lambda b: b[: max(1, len(b) // 2)])
    return st.one_of(body, body, body, body, body, body, broken, truncated)


_ERRORS = st.sampled_from(
    [
        (400, b'{"__type": "DoesNotExistException", "message": "no such window"}'),
        (400, b'{"__type": "com.amazonaws.ssm#ValidationException", "Message": "bad"}'),
        (500, b'{"__type": "InternalServerError", "message": "oops"}'),
        (400, b"not json"),
        (503, b""),
    ]
)


@pytest.mark.parametrize("operation", OPERATIONS)
@given(data=st.data())
def test_the_fast_path_agrees_with_botocore_and_from_botocore(
    bench: Bench, operation: str, data: st.DataObject
) -> None:
    """For any body (valid or not) both sides give the same outcome, types and metadata."""
    if data.draw(st.integers(0, 9), label="error?") == 0:
        status, body = data.draw(_ERRORS, label="error")
    else:
        status, body = data.draw(st.sampled_from([200, 200, 200, 202]), label="status"), None
        body = data.draw(bodies(operation, odd=True), label="body")
    compare(bench, operation, reply(body, status))


@pytest.mark.parametrize("operation", OPERATIONS)
@given(data=st.data())
def test_valid_bodies_take_the_fast_path(bench: Bench, operation: str, data: st.DataObject) -> None:
    """Every body the model allows is read by the fast path (no silent fallback), and agrees."""
    body = data.draw(bodies(operation, odd=False), label="body")
    assert compare(bench, operation, reply(body))


EDGE_CASES = {
    "payload padded": (
        GET,
        {
            "WindowId": WINDOW_ID,
            "WindowTaskId": TASK_ID,
            "TaskInvocationParameters": {"Lambda": {"Payload": "eyJhIjogMX0="}},
        },
    ),
    "payload unpadded": (
        GET,
        {
            "WindowId": WINDOW_ID,
            "WindowTaskId": TASK_ID,
            "TaskInvocationParameters": {"Lambda": {"Payload": "eyJhIjogMX0"}},
        },
    ),
    "payload with whitespace": (
        GET,
        {
            "WindowId": WINDOW_ID,
            "WindowTaskId": TASK_ID,
            "TaskInvocationParameters": {"Lambda": {"Payload": "eyJh\nIjog MX0=\r\n"}},
        },
    ),
    "nulls everywhere": (
        GET,
        {
            "WindowId": WINDOW_ID,
            "WindowTaskId": TASK_ID,
            "Targets": [{"Key": None, "Values": [None, "a"]}],
            "TaskParameters": {"p": {"Values": None}},
            "TaskInvocationParameters": {
                "RunCommand": {"Parameters": {"a": ["x"]}, "Comment": None},
                "Lambda": None,
            },
            "Priority": None,
        },
    ),
    "null required member": (GET, {"WindowId": None, "WindowTaskId": TASK_ID}),
    "null list item": (GET, {"WindowId": WINDOW_ID, "WindowTaskId": TASK_ID, "Targets": [None]}),
    "null tasks": (DESCRIBE, {"Tasks": None, "NextToken": "t"}),
    "empty invocation block": (
        UPDATE,
        {"WindowId": WINDOW_ID, "WindowTaskId": TASK_ID, "TaskInvocationParameters": {}},
    ),
    "several variants": (
        GET,
        {
            "WindowId": WINDOW_ID,
            "WindowTaskId": TASK_ID,
            "TaskInvocationParameters": {"RunCommand": {}, "Lambda": {}},
        },
    ),
    "unknown variant beside a known one": (
        GET,
        {
            "WindowId": WINDOW_ID,
            "WindowTaskId": TASK_ID,
            "TaskInvocationParameters": {"Ecs": {"x": 1}, "Lambda": {"Qualifier": "1"}},
        },
    ),
    "large integers": (
        GET,
        {
            "WindowId": WINDOW_ID,
            "WindowTaskId": TASK_ID,
            "Priority": 2**70,
            "TaskInvocationParameters": {"RunCommand": {"TimeoutSeconds": -(2**65)}},
        },
    ),
    "unicode and escapes": (
        DESCRIBE,
        {
            "Tasks": [
                {"WindowId": 'mw-\u00e9\\"\n', "WindowTaskId": "\U0001f600\u2028", "Name": "\x00"}
            ],
            "NextToken": "\u2603",
        },
    ),
    "a structure that is a string": (
        GET,
        {"WindowId": WINDOW_ID, "WindowTaskId": TASK_ID, "LoggingInfo": "s3://x"},
    ),
    "a list that is a string": (
        GET,
        {
            "WindowId": WINDOW_ID,
            "WindowTaskId": TASK_ID,
            "Targets": [{"Key": "k", "Values": "abc"}],
        },
    ),
    "a payload that is a number": (
        GET,
        {
            "WindowId": WINDOW_ID,
            "WindowTaskId": TASK_ID,
            "TaskInvocationParameters": {"Lambda": {"Payload": 5}},
        },
    ),
    "register without id": (REGISTER, {"WindowTaskId": None, "Other": 1}),
    "register with a number": (REGISTER, {"WindowTaskId": 12}),
}


@pytest.mark.parametrize(("operation", "body"), EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_edge_cases_agree(bench: Bench, operation: str, body: Any) -> None:
    """Hand-made edge cases of the issue agree with botocore's parse and from_botocore."""
    compare(bench, operation, reply(json.dumps(body).encode()))


def test_invalid_json_and_utf8_end_as_botocore_ends_them(bench: Bench) -> None:
    """A body that is not JSON, or not UTF-8, ends as botocore ends it (and is never fast)."""
    for body in (b"{not json", b"\xff\xfe", b"", b"[1, 2]", b"null"):
        for operation in OPERATIONS:
            assert not compare(bench, operation, reply(body))


def test_retries_and_errors_stay_aiobotocore_s() -> None:
    """A retried call reports RetryAttempts as aiobotocore does; the success is fast, errors not."""
    bench = Bench(retries={"mode": "standard", "total_max_attempts": 3})
    try:
        ok = json.dumps({"WindowId": WINDOW_ID, "WindowTaskId": TASK_ID}).encode()
        busy = b'{"__type": "ThrottlingException", "message": "slow down"}'
        assert compare(bench, GET, reply(busy, 400, "r-1"), reply(ok, 200, "r-2"))
        assert bench.seen[-1]["metadata"]["RetryAttempts"] == 1
        assert bench.seen[-1]["metadata"]["RequestId"] == "r-2"
        assert not compare(bench, GET, reply(busy, 400, "r-3"))
    finally:
        bench.close()


def test_a_caller_s_own_calls_on_a_wrapped_client_are_unchanged(bench: Bench) -> None:
    """from_client: the caller's own calls (even concurrent with ours) parse as botocore's own."""
    raw = bench.raw
    body = json.dumps(
        {"WindowId": WINDOW_ID, "WindowTaskId": TASK_ID, "Priority": 4, "Extra": {"a": 1}}
    ).encode()
    bench.server.serve(reply(body, request_id="same"))
    before = bench.run(raw.get_maintenance_window_task(**PARAMS[GET]))
    mw = MaintenanceWindowClient.from_client(raw)
    MaintenanceWindowClient.from_client(raw)  # twice: the handler is registered once

    async def both() -> tuple[Any, Any]:
        return await asyncio.gather(
            raw.get_maintenance_window_task(**PARAMS[GET]),
            mw.get_maintenance_window_task(WINDOW_ID, TASK_ID),
        )

    after, ours = bench.run(both())
    assert not taken(after)
    assert after == before
    assert after["WindowId"] == WINDOW_ID
    assert after["Priority"] == 4
    assert ours == from_botocore(after, MaintenanceWindowTaskDetails)
    # botocore's validation still guards the caller's own requests.
    with pytest.raises(ParamValidationError):
        bench.run(raw.get_maintenance_window_task(WindowId=WINDOW_ID))


def test_own_clients_skip_botocore_validation_only(bench: Bench) -> None:
    """The client of ssm-mw's own session skips botocore's validation (ours ran); others keep it.

    A client of a session the caller gave is handed out by aiobotocore_client(),
    so it keeps botocore's validation, as does the full-model client that
    aiobotocore_client() opens next to the own session's.
    """
    # botocore wraps the serializer of a validating client in its ParamValidationDecorator.
    assert isinstance(bench.raw._serializer, ParamValidationDecorator)
    assert isinstance(bench.mw._client._serializer, ParamValidationDecorator)

    async def own() -> tuple[Any, Any]:
        async with MaintenanceWindowClient(
            region_name="us-east-1",
            endpoint_url=bench.server.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ) as mw:
            return mw._client._serializer, (await mw.aiobotocore_client())._serializer

    serializer, handed_out = bench.run(own())
    assert not isinstance(serializer, ParamValidationDecorator)
    assert isinstance(handed_out, ParamValidationDecorator)


def test_a_stubber_short_circuit_still_works(bench: Bench) -> None:
    """botocore's Stubber (a before-call short-circuit) answers through the usual path."""
    raw = bench.raw
    mw = MaintenanceWindowClient.from_client(raw)
    with Stubber(raw) as stubber:
        stubber.add_response(
            METHODS[GET],
            {"WindowId": WINDOW_ID, "WindowTaskId": TASK_ID, "Priority": 9},
            PARAMS[GET],
        )
        requests = bench.server.requests
        details = bench.run(mw.get_maintenance_window_task(WINDOW_ID, TASK_ID))
        stubber.assert_no_pending_responses()
    assert details == MaintenanceWindowTaskDetails(
        window_id=WINDOW_ID, window_task_id=TASK_ID, priority=9
    )
    assert bench.server.requests == requests


def test_botocore_s_debug_log_of_the_body_is_kept(
    bench: Bench, caplog: pytest.LogCaptureFixture
) -> None:
    """While botocore.parsers logs at DEBUG, responses take botocore's parse (its log unchanged)."""
    body = json.dumps({"WindowId": WINDOW_ID, "WindowTaskId": TASK_ID, "Name": "visible"})
    with caplog.at_level(logging.DEBUG, logger="botocore.parsers"):
        assert not compare(bench, GET, reply(body.encode()))
    assert any("visible" in r.getMessage() for r in caplog.records if "Response body" in r.msg)
    assert compare(bench, GET, reply(body.encode()))


# -- the request path: what is spared for ssm-mw's calls, and only for them ------------------

OK_GET = json.dumps({"WindowId": WINDOW_ID, "WindowTaskId": TASK_ID}).encode()


def user_agent(header: str) -> list[Any]:
    """A User-Agent header's components, its feature list (``m/...``) as a set."""
    return [
        frozenset(part[2:].split(",")) if part.startswith("m/") else part
        for part in header.split(" ")
    ]


def sent_by_ours_and_the_caller_s(bench: Bench, mw: MaintenanceWindowClient, client: Any) -> Any:
    """The User-Agent headers of ssm-mw's get and of a plain get, on the same client."""
    bench.server.serve(reply(OK_GET))
    bench.run(mw.get_maintenance_window_task(WINDOW_ID, TASK_ID))
    bench.run(client.get_maintenance_window_task(**PARAMS[GET]))
    ours, caller_s = bench.server.user_agents[-2:]
    return user_agent(ours), user_agent(caller_s)


USER_AGENT_CONFIGS = {
    "default": {},
    "extra": {"user_agent_extra": "extra/1.0"},
    "app id": {"user_agent_appid": "my-app"},
    "legacy override": {"user_agent": "legacy-agent/2.0"},
    "legacy retry mode": {"retries": {"mode": "legacy", "total_max_attempts": 1}},
}


@pytest.mark.parametrize("config", USER_AGENT_CONFIGS.values(), ids=USER_AGENT_CONFIGS.keys())
def test_our_calls_send_the_user_agent_botocore_builds(config: dict[str, Any]) -> None:
    """ssm-mw's calls send the User-Agent a plain call of the same client sends, call after call.

    For the client of a session given (handed out by aiobotocore_client()) and
    for a caller's client through from_client; the second round is served
    from the strings kept by the first.
    """
    bench = Bench(**config)
    try:
        wrapped = MaintenanceWindowClient.from_client(bench.raw)
        for _ in range(2):
            for mw, client in ((bench.mw, bench.mw._client), (wrapped, bench.raw)):
                ours, caller_s = sent_by_ours_and_the_caller_s(bench, mw, client)
                assert ours == caller_s
        assert isinstance(bench.raw._user_agent_creator, UserAgentString)
        if "user_agent" in config:
            assert bench.server.user_agents[-1].startswith(config["user_agent"])
    finally:
        bench.close()


def test_the_user_agent_follows_the_client_s_config_and_features(bench: Bench) -> None:
    """A config changed after the client was made, or features a handler registers, show at once."""
    mw = MaintenanceWindowClient.from_client(bench.raw)
    client = bench.raw
    before, caller_s = sent_by_ours_and_the_caller_s(bench, mw, client)
    assert before == caller_s

    config = client.meta.config
    config.user_agent_extra = "changed/1.0"
    try:
        ours, caller_s = sent_by_ours_and_the_caller_s(bench, mw, client)
    finally:
        config.user_agent_extra = None
    assert ours == caller_s
    assert ours != before
    assert ours[-1] == "changed/1.0"

    # Features are newer than the lowest botocore supported: there, nothing registers any.
    register_feature_id = getattr(botocore.useragent, "register_feature_id", None)
    if register_feature_id is None:
        assert sent_by_ours_and_the_caller_s(bench, mw, client) == (before, before)
        return

    def paginating(**_: Any) -> None:
        register_feature_id("PAGINATOR")  # botocore's feature "C", for this request only

    client.meta.events.register("before-parameter-build.ssm", paginating)
    try:
        ours, caller_s = sent_by_ours_and_the_caller_s(bench, mw, client)
    finally:
        client.meta.events.unregister("before-parameter-build.ssm", paginating)
    assert ours == caller_s
    assert ours != before
    assert any(isinstance(part, frozenset) and "C" in part for part in ours)

    assert sent_by_ours_and_the_caller_s(bench, mw, client) == (before, before)


class CountingValidator(ParamValidator):
    """botocore's validator, counting the requests it validates."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def validate(self, params: Any, shape: Any) -> Any:
        self.count += 1
        return super().validate(params, shape)


@pytest.mark.parametrize("wrapped", [False, True], ids=["session given", "from_client"])
def test_botocore_validates_every_request_but_those_ssm_mw_validated(
    bench: Bench, wrapped: bool
) -> None:
    """On a validating client, ssm-mw's requests skip botocore's validation; nothing else does.

    The caller's own requests are validated; so is a request of ssm-mw's call
    that a caller's handler changed (and botocore's refusal becomes a
    ValidationError, with nothing sent).
    """
    client = bench.raw if wrapped else bench.mw._client
    mw = MaintenanceWindowClient.from_client(client) if wrapped else bench.mw
    botocore_s = client._serializer._param_validator
    validator = client._serializer._param_validator = CountingValidator()
    try:
        counted_calls(bench, mw, client, validator)
    finally:
        client._serializer._param_validator = botocore_s


def counted_calls(
    bench: Bench, mw: MaintenanceWindowClient, client: Any, validator: CountingValidator
) -> None:
    """The calls of the test above, and how many of them botocore validates."""
    bench.server.serve(reply(OK_GET))
    bench.run(mw.get_maintenance_window_task(WINDOW_ID, TASK_ID))
    assert validator.count == 0
    bench.run(client.get_maintenance_window_task(**PARAMS[GET]))
    assert validator.count == 1
    with pytest.raises(ParamValidationError):
        bench.run(client.get_maintenance_window_task(WindowId=WINDOW_ID))
    assert validator.count == 2

    def same(params: dict[str, Any], **_: Any) -> dict[str, Any]:
        return dict(params)  # other parameters, equal to ssm-mw's: still ssm-mw's request

    def changed(params: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {**params, "Unknown": 1}

    event = "provide-client-params.ssm.GetMaintenanceWindowTask"
    client.meta.events.register(event, same)
    try:
        bench.run(mw.get_maintenance_window_task(WINDOW_ID, TASK_ID))
    finally:
        client.meta.events.unregister(event, same)
    assert validator.count == 2

    requests = bench.server.requests
    client.meta.events.register(event, changed)
    try:
        with pytest.raises(ValidationError, match="botocore rejected"):
            bench.run(mw.get_maintenance_window_task(WINDOW_ID, TASK_ID))
    finally:
        client.meta.events.unregister(event, changed)
    assert validator.count == 3
    assert bench.server.requests == requests
