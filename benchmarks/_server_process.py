"""The embedded SSM backend in a process of its own, driven over stdin/stdout.

Benchmarks that measure the client (B4, B6, B7, B10-B12) run the server here, so that
moto's own CPU time (a few milliseconds per request) runs on another core
instead of competing with the client for the interpreter lock, as a remote
service would. Run as ``python -m benchmarks._server_process``; each command
is one JSON line in, one JSON line out:

``{"op": "window", "name": "w"}`` creates a window and answers its id;
``{"op": "latency", "seconds": 0.02, "operation": null}`` injects latency;
``{"op": "max_tasks", "limit": 200}`` sets the per-window task limit;
``{"op": "count", "operation": null}`` answers the request count;
``{"op": "throttle", "rate": 50, "burst": null, "operation": null}`` sets a rate limit;
``{"op": "throttled", "operation": null}`` answers the throttled count;
``{"op": "org", "accounts": 10, "regions": [...], "windows_per_region": 3}`` makes an
organization and answers its accounts, role name and windows
(``[[account, region, [window ids]], ...]``);
``count``, ``throttle`` and ``throttled`` also take ``account_id`` and ``region``;
``{"op": "quit"}`` stops the server and exits.
The first line printed is ``{"endpoint_url": ..., "region_name": ...}``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from types import TracebackType
from typing import IO, Any

from aiobotocore.session import AioSession

__all__ = ["RemoteServer", "main"]


def main() -> int:
    """Serve commands from stdin until ``quit`` or end of input."""
    from ssm_mw.testing import EmbeddedSSMServer

    with EmbeddedSSMServer() as server:
        print(
            json.dumps({"endpoint_url": server.endpoint_url, "region_name": server.region_name}),
            flush=True,
        )
        for line in sys.stdin:
            command = json.loads(line)
            op = command["op"]
            answer: Any = None
            if op == "window":
                answer = server.create_maintenance_window(name=command["name"])
            elif op == "latency":
                server.inject_latency(command["seconds"], operation=command.get("operation"))
            elif op == "max_tasks":
                server.max_tasks_per_window = command["limit"]
            elif op == "count":
                answer = server.request_count(command.get("operation"), **_where(command))
            elif op == "throttle":
                server.throttle(
                    command["rate"],
                    burst=command.get("burst"),
                    operation=command.get("operation"),
                    **_where(command),
                )
            elif op == "throttled":
                answer = server.throttled_count(command.get("operation"), **_where(command))
            elif op == "org":
                org = server.create_organization(
                    command["accounts"],
                    regions=command["regions"],
                    windows_per_region=command["windows_per_region"],
                )
                answer = {
                    "accounts": list(org.account_ids),
                    "role_name": org.role_name,
                    "windows": [[a, r, list(ids)] for (a, r), ids in org.windows.items()],
                }
            elif op == "quit":
                print(json.dumps({"ok": None}), flush=True)
                break
            else:
                raise ValueError(f"unknown command {op!r}")
            print(json.dumps({"ok": answer}), flush=True)
    return 0


def _where(command: dict[str, Any]) -> dict[str, Any]:
    """The ``account_id`` and ``region`` of a command (``None``: any)."""
    return {"account_id": command.get("account_id"), "region": command.get("region")}


class RemoteServer:
    """The parent's handle on a server process; use it as a context manager."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self.endpoint_url = ""
        self.region_name = ""

    def __enter__(self) -> RemoteServer:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks._server_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        hello = json.loads(self._stdout.readline())
        self.endpoint_url = hello["endpoint_url"]
        self.region_name = hello["region_name"]
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.poll() is None and process.stdin is not None:
                process.stdin.write(json.dumps({"op": "quit"}) + "\n")
                process.stdin.flush()
            process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        finally:
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    pipe.close()

    @property
    def _stdout(self) -> IO[str]:
        process = self._process
        if process is None or process.stdout is None:
            raise RuntimeError("the server process is not running")
        return process.stdout

    def _call(self, **command: Any) -> Any:
        process = self._process
        if process is None or process.stdin is None:
            raise RuntimeError("the server process is not running")
        process.stdin.write(json.dumps(command) + "\n")
        process.stdin.flush()
        line = self._stdout.readline()
        if not line:
            raise RuntimeError("the server process exited")
        return json.loads(line)["ok"]

    def create_maintenance_window(self, name: str) -> str:
        """Create a window; return its id."""
        return str(self._call(op="window", name=name))

    def inject_latency(self, seconds: float, *, operation: str | None = None) -> None:
        """Inject latency into every request (or one operation's)."""
        self._call(op="latency", seconds=seconds, operation=operation)

    def set_max_tasks_per_window(self, limit: int) -> None:
        """Set the per-window task limit."""
        self._call(op="max_tasks", limit=limit)

    def request_count(
        self,
        operation: str | None = None,
        *,
        account_id: str | None = None,
        region: str | None = None,
    ) -> int:
        """Requests the server has seen (of one account and Region, if given)."""
        where = {"account_id": account_id, "region": region}
        return int(self._call(op="count", operation=operation, **where))

    def throttle(
        self,
        rate: float | None,
        *,
        burst: float | None = None,
        operation: str | None = None,
        account_id: str | None = None,
        region: str | None = None,
    ) -> None:
        """Rate-limit requests (a fresh, full token bucket); ``None`` removes the limit.

        ``account_id`` and ``region`` scope it to one account-Region (``None``: any)."""
        where = {"account_id": account_id, "region": region}
        self._call(op="throttle", rate=rate, burst=burst, operation=operation, **where)

    def throttled_count(
        self,
        operation: str | None = None,
        *,
        account_id: str | None = None,
        region: str | None = None,
    ) -> int:
        """Requests the rate limit refused (of one account and Region, if given)."""
        where = {"account_id": account_id, "region": region}
        return int(self._call(op="throttled", operation=operation, **where))

    def create_organization(
        self, accounts: int, regions: list[str], windows_per_region: int
    ) -> dict[str, Any]:
        """Make an organization (``EmbeddedSSMServer.create_organization``): its member
        accounts, role name and windows (``[[account, region, [window ids]], ...]``)."""
        answer = self._call(
            op="org", accounts=accounts, regions=regions, windows_per_region=windows_per_region
        )
        return dict(answer)

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) the server process has used, where ``/proc`` tells."""
        if self._process is None:
            return None
        try:
            with open(f"/proc/{self._process.pid}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def aio_session(self) -> AioSession:
        """An aiobotocore session with dummy credentials."""
        session = AioSession()
        session.set_credentials("testing", "testing")
        return session


if __name__ == "__main__":
    sys.exit(main())
