"""The embedded backend's HTTP/1.1 server: keep-alive, request framing, errors, stop().

Everything goes over real sockets: raw HTTP written by hand against the server
of ``ssm_mw.testing._http`` with small WSGI applications, and aiobotocore
clients against an ``EmbeddedSSMServer``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aiobotocore.session import AioSession
from botocore.exceptions import ClientError

from ssm_mw.testing import EmbeddedSSMServer
from ssm_mw.testing._http import IDLE_TIMEOUT, KeepAliveWSGIServer
from support.conformance import NO_RETRY, fails_with, register
from support.operations import REGISTER

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
ENVIRON_KEYS = (
    "REQUEST_METHOD",
    "PATH_INFO",
    "QUERY_STRING",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "HTTP_HOST",
    "HTTP_AUTHORIZATION",
    "HTTP_X_AMZ_TARGET",
    "HTTP_X_DUP",
    "HTTP_X_UNDER_SCORE",
    "wsgi.url_scheme",
    "wsgi.input_terminated",
)


def echo(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Answer the body read from ``wsgi.input`` (to its end) and some of the environ."""
    body = environ["wsgi.input"].read()
    seen = {key: environ[key] for key in ENVIRON_KEYS if key in environ}
    out = json.dumps({"body": body.decode("latin-1"), "environ": seen}).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    # Two chunks, no Content-Length: the server adds it.
    return [out[:10], out[10:]]


@contextmanager
def serving(app: App = echo, **kwargs: Any) -> Iterator[KeepAliveWSGIServer]:
    listener = socket.create_server(("127.0.0.1", 0))
    server = KeepAliveWSGIServer(listener, app, **kwargs)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        server.close_connections()
        thread.join()


class Conn:
    """A raw HTTP client connection that reads responses by their Content-Length."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.file = self.sock.makefile("rb")

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def response(self) -> tuple[int, dict[str, str], bytes]:
        status = self.file.readline()
        assert status, "the server closed the connection"
        headers: dict[str, str] = {}
        while (line := self.file.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        body = self.file.read(int(headers["content-length"]))
        return int(status.split()[1]), headers, body

    def at_eof(self) -> bool:
        """Whether the server has closed the connection (EOF or reset)."""
        try:
            return self.file.read(1) == b""
        except ConnectionResetError:
            return True

    def close(self) -> None:
        self.file.close()
        self.sock.close()


@pytest.fixture
def conns() -> Iterator[Callable[[int], Conn]]:
    opened: list[Conn] = []

    def connect(port: int) -> Conn:
        opened.append(Conn(port))
        return opened[-1]

    yield connect
    for conn in opened:
        conn.close()


def request(
    method: str = "GET",
    target: str = "/",
    body: bytes = b"",
    headers: Iterable[str] = (),
    version: str = "HTTP/1.1",
) -> bytes:
    lines = [f"{method} {target} {version}", "Host: example.test", *headers]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def echoed(body: bytes) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(body)
    return result


def wait_until(condition: Callable[[], bool]) -> None:
    """Poll ``condition`` until it holds (or fail after a generous while)."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        time.sleep(0.01)


# -- keep-alive and closing ---------------------------------------------------


def test_idle_timeout_outlives_aiobotocore_keepalive() -> None:
    """The server keeps an idle connection longer than aiobotocore's pool does.

    The default is read from a default ``AioConfig`` (aiobotocore 2.x and 3.x
    both fill it in there; 3.x also names it in a private module).
    """
    from aiobotocore.config import AioConfig

    keepalive = AioConfig().connector_args["keepalive_timeout"]
    assert isinstance(keepalive, (int, float))
    assert keepalive < IDLE_TIMEOUT


def test_requests_share_one_connection(conns: Callable[[int], Conn]) -> None:
    """HTTP/1.1 requests on one connection are all answered; the connection stays open."""
    with serving() as server:
        conn = conns(server.server_address[1])
        for i in range(5):
            conn.send(request("POST", f"/n{i}", body=b"x" * i))
            status, headers, body = conn.response()
            assert status == 200
            assert "connection" not in headers
            assert headers["content-length"] == str(len(body))
            assert echoed(body)["body"] == "x" * i
            assert echoed(body)["environ"]["PATH_INFO"] == f"/n{i}"
        assert server.accepted == 1
        assert server.open_connections() == 1


def test_connection_close_is_honoured(conns: Callable[[int], Conn]) -> None:
    with serving() as server:
        conn = conns(server.server_address[1])
        conn.send(request(headers=["Connection: keep-alive, close"]))
        status, headers, _ = conn.response()
        assert status == 200
        assert headers["connection"] == "close"
        assert conn.at_eof()


@pytest.mark.parametrize("connection", [None, "keep-alive"])
def test_http_10_is_closed(conns: Callable[[int], Conn], connection: str | None) -> None:
    with serving() as server:
        conn = conns(server.server_address[1])
        headers = [] if connection is None else [f"Connection: {connection}"]
        conn.send(request(version="HTTP/1.0", headers=headers))
        status, response_headers, body = conn.response()
        assert status == 200
        assert response_headers["connection"] == "close"
        assert echoed(body)["environ"]["SERVER_PROTOCOL"] == "HTTP/1.0"
        assert conn.at_eof()


def test_idle_connection_is_closed_after_the_idle_timeout(conns: Callable[[int], Conn]) -> None:
    with serving(idle_timeout=0.2) as server:
        conn = conns(server.server_address[1])
        conn.send(request())
        assert conn.response()[0] == 200
        assert conn.at_eof()  # after 0.2 s without a request
        wait_until(lambda: server.open_connections() == 0)


def test_expect_100_continue(conns: Callable[[int], Conn]) -> None:
    with serving() as server:
        conn = conns(server.server_address[1])
        conn.send(
            b"POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
        )
        assert conn.file.readline() == b"HTTP/1.1 100 Continue\r\n"
        assert conn.file.readline() == b"\r\n"
        conn.send(b"ok")
        assert echoed(conn.response()[2])["body"] == "ok"


def test_pipelined_requests_are_all_answered(conns: Callable[[int], Conn]) -> None:
    """Requests sent back to back, in one write, each get their own response, in order."""
    with serving() as server:
        conn = conns(server.server_address[1])
        conn.send(
            request("POST", "/a", body=b"first")
            + request("GET", "/b")
            + request("POST", "/c", body=b"third")
        )
        answers = [echoed(conn.response()[2]) for _ in range(3)]
        assert [a["environ"]["PATH_INFO"] for a in answers] == ["/a", "/b", "/c"]
        assert [a["body"] for a in answers] == ["first", "", "third"]
        assert server.accepted == 1


def test_body_is_read_by_content_length(conns: Callable[[int], Conn]) -> None:
    """The app reads to the end of wsgi.input and gets exactly Content-Length bytes;
    the bytes after it are the next request."""
    with serving() as server:
        conn = conns(server.server_address[1])
        head = b"POST /one HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n"
        conn.send(head + b"hello" + request("GET", "/two"))
        first = echoed(conn.response()[2])
        assert first["body"] == "hello"
        assert first["environ"]["CONTENT_LENGTH"] == "5"
        assert echoed(conn.response()[2])["environ"]["PATH_INFO"] == "/two"


def test_chunked_body_is_decoded(conns: Callable[[int], Conn]) -> None:
    with serving() as server:
        conn = conns(server.server_address[1])
        conn.send(
            b"POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"
            + request("GET", "/next")
        )
        status, _, body = conn.response()
        assert status == 200
        answer = echoed(body)
        assert answer["body"] == "hello, world"
        assert answer["environ"]["CONTENT_LENGTH"] == "12"
        assert answer["environ"]["wsgi.input_terminated"] is True
        assert echoed(conn.response()[2])["environ"]["PATH_INFO"] == "/next"


@pytest.mark.parametrize(
    ("head", "status"),
    [
        (b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        (b"Transfer-Encoding: gzip, chunked\r\n\r\n", 501),
        (b"Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 400),
        (b"Content-Length: -1\r\n\r\n", 400),
    ],
)
def test_bad_framing_is_answered_and_closed(
    conns: Callable[[int], Conn], head: bytes, status: int
) -> None:
    with serving() as server:
        conn = conns(server.server_address[1])
        conn.send(b"POST / HTTP/1.1\r\nHost: h\r\n" + head)
        got, headers, _ = conn.response()
        assert got == status
        assert headers["connection"] == "close"
        assert conn.at_eof()


def test_environ(conns: Callable[[int], Conn]) -> None:
    """The environ carries what moto and the fault injection read."""
    with serving() as server:
        conn = conns(server.server_address[1])
        conn.send(
            request(
                "POST",
                "/a%20b/c?x=1&y=%20",
                body=b"{}",
                headers=[
                    "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ssm/x",
                    "X-Amz-Target: AmazonSSM.DescribeMaintenanceWindows",
                    "Content-Type: application/x-amz-json-1.1",
                    "X-Dup: 1",
                    "X-Dup: 2",
                    "X_Under_Score: dropped",
                ],
            )
        )
        environ = echoed(conn.response()[2])["environ"]
    assert environ == {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/a b/c",
        "QUERY_STRING": "x=1&y=%20",
        "CONTENT_TYPE": "application/x-amz-json-1.1",
        "CONTENT_LENGTH": "2",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(server.server_address[1]),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "example.test",
        "HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ssm/x",
        "HTTP_X_AMZ_TARGET": "AmazonSSM.DescribeMaintenanceWindows",
        "HTTP_X_DUP": "1,2",
        "wsgi.url_scheme": "http",
    }


def test_head_response_has_no_body(conns: Callable[[int], Conn]) -> None:
    with serving() as server:
        conn = conns(server.server_address[1])
        conn.send(request("HEAD", "/h") + request("GET", "/g"))
        status = conn.file.readline()
        assert status.startswith(b"HTTP/1.1 200")
        headers = []
        while (line := conn.file.readline()) != b"\r\n":
            headers.append(line.lower())
        assert any(
            h.startswith(b"content-length: ") and h.strip() != b"content-length: 0" for h in headers
        )
        # The next bytes are the GET's response, not a HEAD body.
        assert echoed(conn.response()[2])["environ"]["PATH_INFO"] == "/g"


# -- the application's errors and its iterable -------------------------------


class Closing:
    """An app iterable that records its close(); ``fail`` raises while it is iterated."""

    def __init__(self, fail: bool) -> None:
        self.fail = fail
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield b"part"
        if self.fail:
            raise RuntimeError("boom in the iterable")

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize("fail", [False, True])
def test_app_iterable_is_closed(conns: Callable[[int], Conn], fail: bool) -> None:
    results: list[Closing] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Length", "999")])  # wrong: replaced
        results.append(Closing(fail))
        return results[-1]

    with serving(app) as server:
        conn = conns(server.server_address[1])
        conn.send(request())
        status, headers, body = conn.response()
    assert results[0].closed
    if fail:
        assert status == 500
    else:
        assert (status, headers["content-length"], body) == (200, "4", b"part")


def test_app_exception_is_a_500_and_closes(
    conns: Callable[[int], Conn], caplog: pytest.LogCaptureFixture
) -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raise ValueError("boom")

    with serving(app) as server, caplog.at_level(logging.ERROR, "ssm_mw.testing.server"):
        conn = conns(server.server_address[1])
        conn.send(request() + request())
        status, headers, _ = conn.response()
        assert status == 500
        assert headers["connection"] == "close"
        assert conn.at_eof()  # the second request is not served
    assert [r.exc_info[0] for r in caplog.records if r.exc_info] == [ValueError]


def test_client_gone_mid_request_is_quiet(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """A client that hangs up mid-body or mid-headers leaves no traceback or error log."""
    with serving(log_requests=True) as server:
        port = server.server_address[1]
        for partial in (
            b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort",
            b"GET / HTTP/1.1\r\nHo",
        ):
            conn = Conn(port)
            conn.send(partial)
            conn.sock.shutdown(socket.SHUT_WR)
            assert conn.at_eof()
            conn.close()
        reset = Conn(port)
        reset.send(b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort")
        reset.sock.setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
        )
        reset.close()  # RST
        # Connections are accepted in order: once this one is answered, the
        # reset one has been accepted (or refused by the kernel).
        last = Conn(port)
        last.send(request(headers=["Connection: close"]))
        assert last.response()[0] == 200
        last.close()
        wait_until(lambda: server.open_connections() == 0)
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_log_requests_logs_an_access_line(
    conns: Callable[[int], Conn], capfd: pytest.CaptureFixture[str]
) -> None:
    """The line is written once the response is sent.

    A connection's requests are served in turn, so once the second response
    arrives, the first request's line (if any) is written.
    """
    for log in (True, False):
        with serving(log_requests=log) as server:
            conn = conns(server.server_address[1])
            conn.send(request("GET", "/logged"))
            conn.response()
            conn.send(request("GET", "/after"))
            conn.response()
        err = capfd.readouterr().err
        assert ('"GET /logged HTTP/1.1" 200' in err) is log


# -- the embedded server --------------------------------------------------------


def embedded_server_stats(server: EmbeddedSSMServer) -> KeepAliveWSGIServer:
    moto = server._moto  # pyright: ignore[reportPrivateUsage]
    assert moto is not None
    assert moto.http_server is not None
    return moto.http_server


async def test_aiobotocore_client_reuses_one_connection(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Sequential calls of one client go over one connection; concurrent ones
    over at most as many as run at once, reused afterwards."""
    http = embedded_server_stats(ssm_server)
    await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    before = http.accepted
    for _ in range(20):
        await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    assert http.accepted == before
    for _ in range(3):
        await asyncio.gather(
            *(
                ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
                for _ in range(4)
            )
        )
    assert http.accepted - before <= 3  # 4 at once: the one open, and up to 3 more
    assert ssm_server.request_count() == 1 + 20 + 12


async def test_faults_keep_the_connection_usable(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """An injected fault (its body drained, or run after commit) leaves the connection usable."""
    http = embedded_server_stats(ssm_server)
    await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    before = http.accepted
    ssm_server.inject_fault("DescribeMaintenanceWindowTasks", "ThrottlingException", times=1)
    ssm_server.inject_fault(REGISTER, "InternalServerError", status=500, times=1, after_commit=True)
    await fails_with(
        "ThrottlingException", ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    )
    await fails_with("InternalServerError", register(ssm, maintenance_window_id))
    tasks = await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    assert len(tasks["Tasks"]) == 1  # committed, then answered 500
    assert http.accepted == before


def ssm_request() -> bytes:
    """A DescribeMaintenanceWindows request as an SSM client sends it (moto checks no signature)."""
    return request(
        "POST",
        "/",
        body=b"{}",
        headers=[
            "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ssm/aws4_request, "
            "SignedHeaders=host, Signature=0",
            "X-Amz-Target: AmazonSSM.DescribeMaintenanceWindows",
            "Content-Type: application/x-amz-json-1.1",
        ],
    )


def test_stop_closes_kept_alive_connections() -> None:
    """After stop(), a kept-alive connection is closed and answers nothing; stop does not
    wait for a request still in progress."""
    server = EmbeddedSSMServer().start()
    port = server.port
    idle, busy = Conn(port), Conn(port)
    try:
        idle.send(ssm_request())
        status, headers, _ = idle.response()
        assert status == 200
        assert "connection" not in headers  # kept alive
        server.inject_latency(20)
        busy.send(ssm_request())
        wait_until(lambda: server.request_count() == 2)  # busy is in the latency sleep
        stopper = threading.Thread(target=server.stop)
        stopper.start()
        stopper.join(timeout=60)
        assert not stopper.is_alive(), "stop() hung"
        assert idle.at_eof()
        assert busy.at_eof()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        server.stop()
        idle.close()
        busy.close()


async def test_stopped_server_fails_a_kept_alive_client() -> None:
    """A client whose pooled connection the server closed gets an error, not an answer."""
    server = EmbeddedSSMServer().start()
    session: AioSession = server.aio_session()
    from aiobotocore.config import AioConfig

    async with session.create_client(
        "ssm", config=AioConfig(retries=NO_RETRY), **server.client_kwargs()
    ) as client:
        await client.describe_maintenance_windows()
        server.stop()
        with pytest.raises(Exception) as caught:  # noqa: PT011 - aiohttp's or botocore's
            await client.describe_maintenance_windows()
        assert not isinstance(caught.value, ClientError)


def test_underscored_headers_kept_when_asked(conns: Callable[[int], Conn]) -> None:
    """moto keeps S3 metadata headers with underscores; a dashed twin wins over them."""
    from ssm_mw.testing import _moto_server

    seen: list[dict[str, Any]] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen.append(environ)
        start_response("204 No Content", [])
        return []

    keep = _moto_server._keep_underscored  # pyright: ignore[reportPrivateUsage]
    key = _moto_server._underscored_names_key  # pyright: ignore[reportPrivateUsage]
    if keep is None or key is None:
        pytest.skip("this moto drops underscored headers")
    with serving(app, keep_underscored=keep, underscored_names_key=key) as server:
        conn = conns(server.server_address[1])
        conn.send(
            request(headers=["X-Amz-Meta-My_Key: kept", "X-Other_Key: dropped"])
            + request(headers=["X-Amz-Meta-Twin_Key: underscored", "X-Amz-Meta-Twin-Key: dashed"])
        )
        for _ in range(2):
            assert conn.file.readline().startswith(b"HTTP/1.1 204")
            while conn.file.readline() != b"\r\n":
                pass
        wait_until(lambda: len(seen) == 2)
    first, second = seen
    assert first["HTTP_X_AMZ_META_MY_KEY"] == "kept"
    assert first[key] == {"HTTP_X_AMZ_META_MY_KEY": "X-Amz-Meta-My_Key"}
    assert "HTTP_X_OTHER_KEY" not in first
    assert second["HTTP_X_AMZ_META_TWIN_KEY"] == "dashed"
    assert second[key] == {}
