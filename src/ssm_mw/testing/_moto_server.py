"""moto's SSM backend behind a keep-alive HTTP/1.1 server, with a WSGI wrapper (private).

This module imports moto at the top: import it only when a server starts.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from ._http import KeepAliveWSGIServer

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

_keep_underscored: Callable[[str], bool] | None
_underscored_names_key: str | None
try:  # moto >= 5.2.5 keeps the spelling of S3 metadata headers with underscores
    from moto.core.request import (
        PRESERVED_HEADER_NAMES_ENVIRON_KEY as _underscored_names_key,
    )
    from moto.core.request import (
        should_preserve_original_header_name as _keep_underscored,
    )
except ImportError:  # older moto drops them, as werkzeug does
    _keep_underscored = _underscored_names_key = None

__all__ = ["WrappedMotoServer"]

#: The listening socket's backlog (werkzeug's, too).
_LISTEN_QUEUE = 128

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


class WrappedMotoServer:
    """moto's server application, wrapped by ``wrap``, served with keep-alive.

    moto's ``ThreadedMotoServer`` serves with werkzeug's development server,
    which closes the connection after every response; this one serves with
    :class:`~ssm_mw.testing._http.KeepAliveWSGIServer`, as real endpoints do.
    :meth:`start` binds in the caller's thread, so a failure to bind raises
    ``OSError`` there; :meth:`stop` closes the listener and every connection.
    """

    def __init__(
        self,
        host: str,
        port: int,
        wrap: Callable[[WSGIApplication], WSGIApplication],
        *,
        log_requests: bool = False,
    ) -> None:
        self._host = host
        self._port = port
        self._wrap = wrap
        self._log_requests = log_requests
        self._server: KeepAliveWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def http_server(self) -> KeepAliveWSGIServer | None:
        """The HTTP server while serving (its connection counts), else ``None``."""
        return self._server

    def start(self) -> None:
        """Bind, then serve on a daemon thread; raise ``OSError`` if the address is taken."""
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        listener = socket.create_server(
            (self._host, self._port), family=family, backlog=_LISTEN_QUEUE
        )
        try:
            server = KeepAliveWSGIServer(
                listener,
                self._wrap(_FastDispatcher(create_backend_app)),
                log_requests=self._log_requests,
                keep_underscored=_keep_underscored,
                underscored_names_key=_underscored_names_key,
            )
        except BaseException:
            listener.close()
            raise
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"ssm-mw-server-{server.server_address[1]}",
            daemon=True,
        )
        self._server, self._thread = server, thread
        thread.start()

    def get_host_and_port(self) -> tuple[str, int]:
        """The address the server listens on."""
        assert self._server is not None, "Make sure to call start() first"
        host, port = self._server.server_address[:2]
        return (str(host), int(port))

    def stop(self) -> None:
        """Stop serving; close the listening socket and every open connection."""
        server, self._server = self._server, None
        thread, self._thread = self._thread, None
        if server is None:
            return
        server.shutdown()  # returns once serve_forever has
        server.server_close()
        server.close_connections()
        if thread is not None:
            thread.join()
