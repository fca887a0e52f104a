"""A small threaded HTTP/1.1 WSGI server that keeps connections alive (private).

werkzeug's development server closes every connection after one response, so
each request of an aiobotocore client would pay for a new TCP connection and
a new server thread. Real AWS endpoints keep HTTP/1.1 connections open, and
so does this server: one thread per connection, which serves the requests of
that connection one after the other.

* The request body is read in full before the application runs: exactly
  ``Content-Length`` bytes, or a chunked body decoded to its end. The
  application gets it as a ``BytesIO``, and whatever the client sent after it
  (the next request) stays in the connection's buffer.
* The application's response is buffered, so every response carries a
  ``Content-Length`` (the embedded backend's responses are small).
* A connection is closed after a response when the client asks for it
  (``Connection: close``, HTTP/1.0), after an error in the request framing or
  in the application (a 500), and when it has been idle for
  ``idle_timeout`` seconds.
* :meth:`KeepAliveWSGIServer.close_connections` shuts down every open
  connection; a client that goes away is no error and prints nothing.

Only the standard library is used here.

Why not cheroot or waitress
---------------------------

Both keep connections alive, and both were measured in this server's place
(cheroot 11.1.2, waitress 3.0.2; 2026-12-02, 2 cores shared with other jobs),
each behind an adapter that gave it this class's interface (``accepted``,
``open_connections()``, ``close_connections()``, the idle timeout, buffered
responses with a ``Content-Length``, errors logged to this module's logger)
and 64 worker threads. Neither is used, for these figures:

* B7 (``set_cutoff_behavior``, 50 windows x 20 tasks, 20 ms injected latency,
  concurrency 16 against 1), the three servers in one run, each in a process
  of its own, their runs interleaved round by round in rotated order, 6
  rounds; ours / cheroot / waitress: 14.13x / 12.16x / 12.51x on a quiet
  machine; 8.79x / 12.52x / 10.99x and 7.88x / 8.43x / 8.40x in two runs
  under load, where the concurrency-16 runs (about 2 s) of each server spread
  by up to 2x. The concurrency-16 run alone, interleaved, more rounds: 1.81 /
  2.12 / 2.10 s (10 rounds, each after 13 s idle, so that the client's pool
  has let its connections go, as after B7's run at concurrency 1), 2.18 /
  2.35 / 2.26 s (15 rounds, connections warm).
* Per request, kept-alive, medians of 15-30 interleaved blocks: one
  ``http.client`` connection to a trivial application 147 / 252 / 198 µs;
  aiohttp 301 / 420 / 421 µs; aiobotocore's ``get_maintenance_window`` against
  the embedded backend 1.53 / 2.03 / 1.84 ms one at a time, 1.17 / 1.31 /
  1.21 ms at concurrency 16. Server CPU in B7: 1.58 / 1.82 / 1.74 ms a request.
* ``tests/testing/test_http.py`` (26 tests); the rest of the suite
  passes with both.

  - cheroot, 12 fail: ``Connection: keep-alive, close`` keeps the connection
    open; no ``Connection: close`` is sent when it does close (HTTP/1.0, after
    a 500); a body that the client cut short is handed to the application,
    which answers it; ``Content-Length: -1`` gets no answer until the idle
    timeout, and a bad chunk size reaches the application as a ``ValueError``
    (a 500); of repeated headers only the last value is kept; a chunked body
    has no ``CONTENT_LENGTH``; the application's body is sent for ``HEAD``.
    Also, stopping waits for the requests in its worker threads (4.7 s with a
    5 s request in progress; here 0.01 s).
  - waitress, 6 fail: ``Connection: keep-alive, close`` keeps the connection
    open, and so does HTTP/1.0 with ``Connection: keep-alive``; its parser
    drops every header name with an underscore, so ``keep_underscored``
    cannot be served (moto's S3 metadata headers); it closes the connection
    after any response without a ``Content-Length`` (a 204 too); its idle
    timeout is whole seconds (the tests' 0.2 s becomes 0, which closes every
    connection before its answer); repeated headers are joined with ``", "``;
    the application's body is sent for ``HEAD``.

The adapters also reach into each library's internals: cheroot's connection
and gateway classes and its socket binding, waitress's channel class and its
asyncore socket map (to stop its loop from another thread).
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import io
import logging
import socket
import socketserver
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment

__all__ = ["IDLE_TIMEOUT", "KeepAliveWSGIServer"]

_LOG = logging.getLogger("ssm_mw.testing.server")

#: Seconds a kept-alive connection may stay idle. Longer than the keep-alive of
#: aiobotocore's connection pool (12 s, ``DEFAULT_KEEPALIVE_TIMEOUT``) and of
#: aiohttp's own default (15 s): the client always gives up a connection first,
#: so it never sends a request on a connection the server is closing.
IDLE_TIMEOUT = 60.0
#: The longest request line, chunk-size line or trailer line accepted.
_MAX_LINE = 65536
#: The largest request body accepted (it is held in memory).
_MAX_BODY = 256 * 1024 * 1024
#: The most header lines accepted (before a body, and after a chunked one).
_MAX_HEADERS = 100
_HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")
#: Response headers that this server writes itself.
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})


class _BadRequest(Exception):
    """The request's framing is wrong: answer ``status`` and close the connection."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _ClientGone(Exception):
    """The client closed the connection before the request was complete."""


class KeepAliveWSGIServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """Serve ``app`` on ``listener`` (a bound, listening socket), a thread per connection.

    :meth:`serve_forever` accepts connections; :meth:`shutdown` stops it,
    :meth:`server_close` closes the listener and :meth:`close_connections`
    every connection still open.

    Header names with an underscore are left out of the environ (``X_Foo``
    would pass for ``X-Foo``), unless ``keep_underscored(name)`` says to keep
    one; the environ then maps each kept one's key to its name under
    ``underscored_names_key``. (moto does this for S3 metadata headers.)
    """

    daemon_threads = True
    block_on_close = False  # stopping never waits for a request in progress

    def __init__(
        self,
        listener: socket.socket,
        app: WSGIApplication,
        *,
        log_requests: bool = False,
        idle_timeout: float = IDLE_TIMEOUT,
        keep_underscored: Callable[[str], bool] | None = None,
        underscored_names_key: str | None = None,
    ) -> None:
        self.address_family = listener.family
        super().__init__(listener.getsockname(), _Handler, bind_and_activate=False)
        self.socket.close()  # the unbound one made by TCPServer
        self.socket = listener
        self.server_address = listener.getsockname()
        self.app = app
        self.log_requests = log_requests
        self.idle_timeout = idle_timeout
        self.keep_underscored = keep_underscored
        self.underscored_names_key = underscored_names_key
        self._connections_lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._closing = False
        #: Connections accepted so far (each kept-alive one counts once).
        self.accepted = 0

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            if self._closing:
                refused = True
            else:
                refused = False
                self._open.add(request)
                self.accepted += 1
        if refused:
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Shut down every open connection and refuse new ones.

        The threads that serve them see the end of their connection and exit;
        a request in progress is answered to nobody.
        """
        with self._connections_lock:
            self._closing = True
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by its thread
                connection.shutdown(socket.SHUT_RDWR)

    def open_connections(self) -> int:
        """The number of connections open now."""
        with self._connections_lock:
            return len(self._open)

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, OSError):  # the client went away, or stop() closed it
            return
        _LOG.error("error serving %s", client_address, exc_info=error)


class _Handler(http.server.BaseHTTPRequestHandler):
    """One connection: requests are read, served and answered in turn."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    @property
    def _wsgi(self) -> KeepAliveWSGIServer:
        return cast("KeepAliveWSGIServer", self.server)

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self._wsgi.idle_timeout)

    # --- the request loop -------------------------------------------------

    def handle_one_request(self) -> None:
        self.close_connection = True
        self.command, self.request_version, self.requestline = "", self.protocol_version, ""
        try:
            line = self.rfile.readline(_MAX_LINE + 1)
        except OSError:  # idle timeout, reset, or stop()
            return
        if not line:
            return
        try:
            self._read_head(line)
            body = self._read_body()
        except _BadRequest as bad:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.send_error(bad.status, bad.message)  # with Connection: close
            return
        except (_ClientGone, OSError):
            self.close_connection = True
            return
        self._respond(body)

    def _read_head(self, line: bytes) -> None:
        """Parse the request line ``line`` and read the headers."""
        if len(line) > _MAX_LINE:
            raise _BadRequest(HTTPStatus.REQUEST_URI_TOO_LONG, "Request line too long")
        if not line.endswith(b"\n"):
            raise _ClientGone
        self.raw_requestline = line
        self.requestline = line.decode("iso-8859-1").rstrip("\r\n")
        words = self.requestline.split()
        if len(words) != 3:
            raise _BadRequest(HTTPStatus.BAD_REQUEST, "Bad request line")
        command, target, version = words
        numbers = version[5:].split(".") if version.startswith("HTTP/") else []
        if len(numbers) != 2 or not all(
            n.isascii() and n.isdigit() and len(n) < 4 for n in numbers
        ):
            raise _BadRequest(HTTPStatus.BAD_REQUEST, "Bad HTTP version")
        if (int(numbers[0]), int(numbers[1])) not in ((1, 0), (1, 1)):
            raise _BadRequest(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP version not supported")
        if target.startswith("//"):  # as http.server and werkzeug do
            target = "/" + target.lstrip("/")
        self.command, self.path, self.request_version = command, target, version
        lines: list[bytes] = []
        while (header := self._read_line()) not in (b"\r\n", b"\n"):
            if len(lines) >= _MAX_HEADERS:
                raise _BadRequest(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many headers")
            lines.append(header)
        lines.append(b"\r\n")
        self.headers = http.client.parse_headers(io.BytesIO(b"".join(lines)))
        self.close_connection = version == "HTTP/1.0" or "close" in _tokens(
            self.headers, "Connection"
        )
        expect = self.headers.get("Expect", "")
        if version == "HTTP/1.1" and expect.lower() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def _read_body(self) -> bytes | None:
        """The complete request body; ``None`` if the request has no body at all."""
        codings = _tokens(self.headers, "Transfer-Encoding")
        lengths = self.headers.get_all("Content-Length") or []
        if codings:
            if codings != ["chunked"]:
                raise _BadRequest(HTTPStatus.NOT_IMPLEMENTED, "Unsupported Transfer-Encoding")
            if lengths:  # both: the chunks frame the body, but do not trust the rest
                self.close_connection = True
            return self._read_chunked()
        if not lengths:
            return None
        values = {value.strip() for value in lengths}
        if len(values) != 1:
            raise _BadRequest(HTTPStatus.BAD_REQUEST, "Conflicting Content-Length")
        text = values.pop()
        if not (text.isascii() and text.isdigit()):
            raise _BadRequest(HTTPStatus.BAD_REQUEST, "Bad Content-Length")
        length = int(text)
        if length > _MAX_BODY:
            raise _BadRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "Request body too large")
        body = self.rfile.read(length)
        if len(body) < length:
            raise _ClientGone
        return body

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            size_text = self._read_line().split(b";", 1)[0].strip()
            if not size_text or len(size_text) > 16 or not _HEX_DIGITS.issuperset(size_text):
                raise _BadRequest(HTTPStatus.BAD_REQUEST, "Bad chunk size")
            size = int(size_text, 16)
            if size == 0:
                break
            total += size
            if total > _MAX_BODY:
                raise _BadRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "Request body too large")
            chunk = self.rfile.read(size)
            if len(chunk) < size:
                raise _ClientGone
            parts.append(chunk)
            if self._read_line() not in (b"\r\n", b"\n"):
                raise _BadRequest(HTTPStatus.BAD_REQUEST, "Bad chunk end")
        for _ in range(_MAX_HEADERS):  # trailers are read and ignored
            if self._read_line() in (b"\r\n", b"\n"):
                return b"".join(parts)
        raise _BadRequest(HTTPStatus.BAD_REQUEST, "Too many trailers")

    def _read_line(self) -> bytes:
        line = self.rfile.readline(_MAX_LINE + 1)
        if len(line) > _MAX_LINE:
            raise _BadRequest(HTTPStatus.BAD_REQUEST, "Line too long")
        if not line.endswith(b"\n"):
            raise _ClientGone
        return line

    # --- the application ---------------------------------------------------

    def _respond(self, body: bytes | None) -> None:
        environ = self._environ(body)
        started: list[tuple[str, list[tuple[str, str]]]] = []
        written: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            # Nothing is sent before the application returns, so an error
            # response (exc_info) may always replace the one started.
            if started and exc_info is None:
                raise AssertionError("start_response() called twice without exc_info")
            started[:] = [(status, list(headers))]
            return written.append

        try:
            result: Iterable[bytes] = self._wsgi.app(environ, start_response)
            try:
                for chunk in result:
                    written.append(chunk)
            finally:
                close = getattr(result, "close", None)
                if callable(close):
                    close()
            if not started:
                raise AssertionError("the application did not call start_response()")
            status, headers = started[0]
            response, size = self._response_bytes(status, headers, b"".join(written))
        except Exception:
            _LOG.exception("error in the application on %r", self.requestline)
            self.close_connection = True
            with contextlib.suppress(OSError):  # the client went away
                self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR)
            return
        try:
            self.wfile.write(response)
        except OSError:  # the client went away
            self.close_connection = True
            return
        self.log_request(status.split(" ", 1)[0], size)  # only with log_requests (below)

    def _response_bytes(
        self, status: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[bytes, int]:
        code = int(status.split(" ", 1)[0])
        lines = [f"{self.protocol_version} {status}\r\n"]
        names: set[str] = set()
        length: str | None = None
        for name, value in headers:
            lower = name.lower()
            if lower in _FRAMING_HEADERS:
                if lower == "content-length":
                    length = value.strip()
                elif lower == "connection" and "close" in value.lower():
                    self.close_connection = True
                continue
            names.add(lower)
            lines.append(f"{name}: {value}\r\n")
        if "server" not in names:
            lines.append(f"Server: {self.version_string()}\r\n")
        if "date" not in names:
            lines.append(f"Date: {self.date_time_string()}\r\n")
        if 100 <= code < 200 or code == 204:
            body = b""
        elif self.command == "HEAD" or code == 304:
            # No body; the length, if any, is the one a GET would have.
            if length is not None:
                lines.append(f"Content-Length: {length}\r\n")
            elif self.command == "HEAD":
                lines.append(f"Content-Length: {len(body)}\r\n")
            body = b""
        else:
            lines.append(f"Content-Length: {len(body)}\r\n")
        if self.close_connection:
            lines.append("Connection: close\r\n")
        lines.append("\r\n")
        return "".join(lines).encode("latin-1") + body, len(body)

    def _environ(self, body: bytes | None) -> WSGIEnvironment:
        target = self.path
        host: str | None = None
        if target.startswith(("http://", "https://")):  # absolute form: the host is in it
            split = urllib.parse.urlsplit(target)
            host = split.netloc
            target = split.path or "/"
            if split.query:
                target = f"{target}?{split.query}"
        path, _, query = target.partition("?")
        server_host, server_port = self._wsgi.server_address[:2]
        environ: dict[str, Any] = {
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body or b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "SERVER_SOFTWARE": self.version_string(),
            "SERVER_PROTOCOL": self.request_version,
            "SERVER_NAME": str(server_host),
            "SERVER_PORT": str(server_port),
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            # PEP 3333: the URL-decoded bytes, one character per byte.
            "PATH_INFO": urllib.parse.unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query,
            "REQUEST_URI": self.path,
            "RAW_URI": self.path,
            "REMOTE_ADDR": str(self.client_address[0]),
            "REMOTE_PORT": int(self.client_address[1]),
        }
        items = [(name, value.replace("\r\n", "")) for name, value in self.headers.items()]
        dashed = {_environ_key(name) for name, _ in items if "_" not in name}
        keep = self._wsgi.keep_underscored
        kept: dict[str, str] = {}
        for name, value in items:
            key = _environ_key(name)
            if "_" in name:
                if keep is None or not keep(name) or key in dashed:
                    continue
                kept.setdefault(key, name)
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH") or key not in environ:
                environ[key] = value
            else:
                environ[key] = f"{environ[key]},{value}"
        if self._wsgi.underscored_names_key is not None:
            environ[self._wsgi.underscored_names_key] = kept
        if host is not None:
            environ["HTTP_HOST"] = host
        environ.pop("CONTENT_LENGTH", None)
        if body is not None:
            environ["CONTENT_LENGTH"] = str(len(body))
        if "chunked" in _tokens(self.headers, "Transfer-Encoding"):
            environ["wsgi.input_terminated"] = True
        return environ

    # --- logging ------------------------------------------------------------

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self._wsgi.log_requests:
            super().log_request(code, size)


def _tokens(headers: Any, name: str) -> list[str]:
    """The comma-separated tokens of every ``name`` header, lower-cased."""
    values: list[str] = headers.get_all(name) or []
    return [
        token.strip().lower() for value in values for token in value.split(",") if token.strip()
    ]


def _environ_key(header_name: str) -> str:
    key = header_name.upper().replace("-", "_")
    return key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"
