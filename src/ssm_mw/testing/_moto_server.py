"""moto's ``ThreadedMotoServer``, with a WSGI wrapper and quiet logs (private).

This module imports moto at the top: import it only when a server starts.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import LISTEN_QUEUE, make_server, select_address_family

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from moto.moto_server.werkzeug_app import MotoRequestHandler
else:
    try:
        from moto.moto_server.werkzeug_app import MotoRequestHandler
    except ImportError:  # moto < 5.2.5 serves with werkzeug's own handler
        from werkzeug.serving import WSGIRequestHandler as MotoRequestHandler

__all__ = ["WrappedMotoServer"]

# Paths that moto's dispatcher routes by path, before it looks at the signature.
_PATH_ROUTED = ("/moto-api", "/favicon.ico", "/latest/meta-data/", "/latest/api/")


class _FastDispatcher(DomainDispatcherApplication):
    """moto's dispatcher, minus most of its per-request work; same routing.

    moto works out each request's service from scratch: it lists its package
    directory and tries a few hundred URL patterns against the host it infers
    (``get_backend_for_host``). Here a SigV4 request signed for ``ssm`` (every
    request an SSM client sends) goes straight to the Flask app that moto's own
    routing picks for its host ``ssm.<region>.amazonaws.com``, found once per
    Region; and the answers of ``get_backend_for_host`` are remembered, per
    host, for whatever still takes moto's path (``/moto-api/``, unsigned or
    other services). Both depend only on the installed moto, so routing does
    not change.
    """

    def __init__(self, create_app: Callable[[Any], Any]) -> None:
        super().__init__(create_app)
        self._backend_for_host: dict[str, Any] = {}
        self._ssm_apps: dict[str, WSGIApplication] = {}

    def get_backend_for_host(self, host: str | None) -> Any:
        if host is None:
            return None
        try:
            return self._backend_for_host[host]
        except KeyError:
            pass
        backend = super().get_backend_for_host(host)
        if backend:  # misses are not kept: moto prints a hint for each
            self._backend_for_host[host] = backend
        return backend

    def _ssm_app(self, region: str) -> WSGIApplication | None:
        app = self._ssm_apps.get(region)
        if app is None:
            with self.lock:
                backend = self.get_backend_for_host(f"ssm.{region}.amazonaws.com")
                if not backend:
                    return None
                app = self.app_instances.get(backend)
                if app is None:
                    app = self.create_app(backend)
                    self.app_instances[backend] = app
            self._ssm_apps[region] = app
        return app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        region = _ssm_signed_region(environ)
        if region is not None:
            app = self._ssm_app(region)
            if app is not None:
                return app(environ, start_response)
        return super().__call__(environ, start_response)


def _ssm_signed_region(environ: WSGIEnvironment) -> str | None:
    """The Region of a SigV4 request signed for ``ssm`` that moto routes by its
    signature; ``None`` for anything else (which takes moto's own path)."""
    path = environ.get("PATH_INFO", "")
    if not isinstance(path, str) or path.startswith(_PATH_ROUTED):
        return None
    auth = environ.get("HTTP_AUTHORIZATION")
    if not auth:
        return None
    # "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ssm/aws4_request, ..."
    try:
        scope = auth.split(",")[0].split()[1]
        _, _, region, service, _ = scope.split("/")
    except (IndexError, ValueError):
        return None
    if service.lower() != "ssm":
        return None
    return str(region)


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
            app = self._wrap(_FastDispatcher(create_backend_app))
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
