"""moto's ``ThreadedMotoServer``, with a WSGI wrapper and quiet logs (private).

This module imports moto at the top: import it only when a server starts.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import TYPE_CHECKING

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import LISTEN_QUEUE, make_server, select_address_family

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["WrappedMotoServer"]


class _QuietRequestHandler(MotoRequestHandler):
    """moto's request handler without the per-request access log line."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


class WrappedMotoServer(ThreadedMotoServer):
    """A ``ThreadedMotoServer`` whose WSGI application is wrapped by ``wrap``.

    Unlike its base class, it binds in :meth:`start`, in the caller's thread,
    so a failure to bind raises ``OSError`` there (werkzeug would print and
    exit, and the base class would wait forever); and :meth:`stop` closes the
    listening socket.
    """

    def __init__(
        self,
        host: str,
        port: int,
        wrap: Callable[[WSGIApplication], WSGIApplication],
        *,
        log_requests: bool = False,
    ) -> None:
        super().__init__(ip_address=host, port=port, verbose=False)
        self._wrap = wrap
        self._log_requests = log_requests
        self._startup_error: BaseException | None = None
        self._listener: socket.socket | None = None

    def _server_entry(self) -> None:
        try:
            app = self._wrap(DomainDispatcherApplication(create_backend_app))
            handler = MotoRequestHandler if self._log_requests else _QuietRequestHandler
            listener = self._listener
            assert listener is not None, "start() binds the socket"
            self._server = make_server(
                self._ip_address,
                listener.getsockname()[1],
                app,
                True,
                request_handler=handler,
                fd=listener.fileno(),
            )
        except BaseException as exc:  # reported by start(), in the caller's thread
            self._startup_error = exc
            self._server_ready_event.set()
            return
        self._server_ready_event.set()
        self._server.serve_forever(poll_interval=0.05)

    def start(self) -> None:
        """Bind, then serve on a daemon thread; raise ``OSError`` if the address is taken."""
        family = select_address_family(self._ip_address, self._port)
        self._listener = socket.create_server(
            (self._ip_address, self._port), family=family, backlog=LISTEN_QUEUE
        )
        try:
            super().start()
        finally:
            # The server holds its own duplicate of the descriptor.
            self._listener.close()
        if self._startup_error is not None:
            if self._thread is not None:
                self._thread.join()
            raise self._startup_error

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        super().stop()
        if self._server is not None:
            self._server.server_close()
            self._server = None
