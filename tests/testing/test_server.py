"""Conformance: EmbeddedSSMServer itself (reset, counters, lifecycle, install, isolation)."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from typing import Any

import pytest
from aiobotocore.session import AioSession
from botocore.exceptions import ClientError

import ssm_mw.testing
from ssm_mw.testing import EmbeddedSSMServer, install
from support.conformance import NO_RETRY, fails_with, register
from support.operations import DESCRIBE, NEW_WINDOW, REGISTER


async def test_reset_clears_everything(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, make_client: Any
) -> None:
    """reset() clears windows, tasks, tokens, counters, faults, latency; restores the limit."""
    await register(ssm, maintenance_window_id, ClientToken="tok", Priority=9)
    ssm_server.max_tasks_per_window = 1
    ssm_server.inject_fault(DESCRIBE, "ThrottlingException", times=None)
    ssm_server.inject_latency(10)
    assert ssm_server.request_count() > 0

    ssm_server.reset()

    assert ssm_server.request_count() == 0
    assert ssm_server.max_tasks_per_window == 20
    # A read timeout far below the latency set before: a leftover latency would fail.
    async with make_client(read_timeout=2) as fast:
        await fails_with(
            "DoesNotExistException",
            fast.describe_maintenance_window_tasks(WindowId=maintenance_window_id),
        )  # no fault, window gone
        window_id = ssm_server.create_maintenance_window(name="fresh")
        first = await register(fast, window_id, ClientToken="tok")
        second = await register(fast, window_id, ClientToken="other")
    assert first != second  # the limit is back to 20
    assert ssm_server.request_count(REGISTER) == 2


async def test_request_count(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """request_count counts requests per operation and in all, faulted ones included."""
    assert ssm_server.request_count() == 0
    await register(ssm, maintenance_window_id)
    ssm_server.inject_fault(DESCRIBE, "ThrottlingException")
    with pytest.raises(ClientError):
        await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    assert ssm_server.request_count(REGISTER) == 1
    assert ssm_server.request_count(DESCRIBE) == 2
    assert ssm_server.request_count("GetMaintenanceWindowTask") == 0
    assert ssm_server.request_count() == ssm_server.request_count("*") == 3
    with pytest.raises(ValueError, match="operation"):
        ssm_server.request_count("Bogus")


def test_max_tasks_per_window_is_validated(ssm_server: EmbeddedSSMServer) -> None:
    """max_tasks_per_window rejects negative and non-integer limits."""
    untyped: Any = ssm_server  # the setter checks values that a type checker would refuse
    for bad in (-1, 2.5, True):
        with pytest.raises(ValueError, match="max_tasks_per_window"):
            untyped.max_tasks_per_window = bad
    with pytest.raises(ValueError, match="max_tasks_per_window"):
        EmbeddedSSMServer(max_tasks_per_window=-1)


async def test_install_twice_is_harmless(ssm: Any, maintenance_window_id: str) -> None:
    """install() twice keeps the extension's handlers and behaviour."""
    from moto.ssm.responses import SimpleSystemManagerResponse

    install()
    handler = SimpleSystemManagerResponse.get_maintenance_window_task
    install()
    assert SimpleSystemManagerResponse.get_maintenance_window_task is handler
    assert handler.__module__ == "ssm_mw.testing._backend"
    task_id = await register(ssm, maintenance_window_id)
    got = await ssm.get_maintenance_window_task(
        WindowId=maintenance_window_id, WindowTaskId=task_id
    )
    assert got["WindowTaskId"] == task_id
    listed = await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    assert [t["WindowTaskId"] for t in listed["Tasks"]] == [task_id]


async def test_servers_are_isolated(ssm: Any, maintenance_window_id: str) -> None:
    """Two servers in one process keep separate windows, limits and counters."""
    with EmbeddedSSMServer(max_tasks_per_window=1) as other:
        other_window = other.create_maintenance_window(name="other")
        session = other.aio_session()
        from aiobotocore.config import AioConfig

        config = AioConfig(retries=NO_RETRY)
        async with session.create_client("ssm", config=config, **other.client_kwargs()) as c:
            await register(c, other_window)
            await fails_with("ResourceLimitExceededException", register(c, other_window))
            await fails_with(
                "DoesNotExistException",
                c.describe_maintenance_window_tasks(WindowId=maintenance_window_id),
            )
        assert other.request_count() == 3
    await fails_with(
        "DoesNotExistException", ssm.describe_maintenance_window_tasks(WindowId=other_window)
    )
    await register(ssm, maintenance_window_id)
    await register(ssm, maintenance_window_id)  # this server's limit is still 20


async def test_create_maintenance_window_defaults(ssm: Any, ssm_server: EmbeddedSSMServer) -> None:
    """create_maintenance_window(name=...) makes a window moto itself reports, without a request."""
    window_id = ssm_server.create_maintenance_window(name="w", description="about w")
    assert window_id.startswith("mw-")
    assert len(window_id) == 20
    assert ssm_server.request_count() == 0
    window = await ssm.get_maintenance_window(WindowId=window_id)
    assert window["Name"] == "w"
    assert window["Description"] == "about w"
    assert window["Schedule"] == "cron(0 2 ? * SUN *)"
    assert (window["Duration"], window["Cutoff"]) == (2, 1)


def test_lifecycle() -> None:
    """start/stop work without ``with``; stopping twice is harmless; the URL needs a start."""
    server = EmbeddedSSMServer(region_name="eu-west-1")
    with pytest.raises(RuntimeError):
        _ = server.endpoint_url
    assert server.start() is server
    assert server.start() is server  # already running: no-op
    assert server.running
    assert server.endpoint_url == f"http://127.0.0.1:{server.port}"
    assert server.client_kwargs() == {
        "region_name": "eu-west-1",
        "endpoint_url": server.endpoint_url,
    }
    server.stop()
    server.stop()
    assert not server.running


def test_port_in_use_is_an_error(ssm_server: EmbeddedSSMServer) -> None:
    """Starting on a port that is already taken raises OSError instead of hanging."""
    with pytest.raises(OSError, match="in use"), EmbeddedSSMServer(port=ssm_server.port):
        pass


def test_import_does_not_import_moto() -> None:
    """Importing ssm_mw.testing and its pytest plugin does not import moto."""
    code = (
        "import sys, ssm_mw.testing, ssm_mw.testing.pytest_plugin; "
        "print(sorted(m for m in sys.modules if m == 'moto' or m.startswith('moto.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_public_names() -> None:
    """The package exports a sorted __all__ (constants, classes, functions) of documented names."""
    names = ssm_mw.testing.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    for name in names:
        assert getattr(ssm_mw.testing, name) is not None
    for obj in (EmbeddedSSMServer, install):
        assert obj.__doc__


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
async def test_standalone_server(unused_port: int, stop_signal: signal.Signals) -> None:
    """``python -m ssm_mw.testing --port N`` prints its URL, serves, and exits 0 on a signal."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "ssm_mw.testing", "--port", str(unused_port), "--region", "eu-west-1"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        endpoint = (await asyncio.wait_for(process.stdout.readline(), 60)).decode().strip()
        assert endpoint == f"http://127.0.0.1:{unused_port}"
        session = AioSession()
        session.set_credentials("testing", "testing")
        async with session.create_client(
            "ssm", region_name="eu-west-1", endpoint_url=endpoint
        ) as ssm:
            window = await ssm.create_maintenance_window(Name="standalone", **NEW_WINDOW)
            task_id = await register(ssm, window["WindowId"], CutoffBehavior="CANCEL_TASK")
            got = await ssm.get_maintenance_window_task(
                WindowId=window["WindowId"], WindowTaskId=task_id
            )
            assert got["CutoffBehavior"] == "CANCEL_TASK"
        process.send_signal(stop_signal)
        _stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.communicate()
    assert process.returncode == 0
    assert b"Traceback" not in stderr


@pytest.fixture
def unused_port() -> int:
    """A TCP port that was free a moment ago."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_new_windows_are_unknown_for_their_first_seconds(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """delay_new_windows: a window made after it is DoesNotExist for the task operations until
    its seconds pass (helper-made: from creation; API-made: from the first request naming it);
    windows that existed stay visible; reset removes the delay."""
    clock = _Clock()
    ssm_server.delay_new_windows(5, clock=clock)
    await register(ssm, maintenance_window_id)  # existed before: visible
    fresh = ssm_server.create_maintenance_window(name="fresh")
    error = await fails_with("DoesNotExistException", register(ssm, fresh))
    assert error.response["Error"]["Message"] == f"Maintenance window {fresh} does not exist"
    await fails_with("DoesNotExistException", ssm.describe_maintenance_window_tasks(WindowId=fresh))
    clock.now += 4.9
    await fails_with("DoesNotExistException", register(ssm, fresh))
    clock.now += 0.1
    await register(ssm, fresh)
    made = await ssm.create_maintenance_window(
        Name="through-the-api", Schedule="cron(0 2 ? * SUN *)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=True,
    )  # fmt: skip
    api_window = made["WindowId"]
    await fails_with("DoesNotExistException", register(ssm, api_window))
    clock.now += 5
    await register(ssm, api_window)
    ssm_server.reset()
    again = ssm_server.create_maintenance_window(name="after-reset")
    await register(ssm, again)
    with pytest.raises(ValueError, match="seconds"):
        ssm_server.delay_new_windows(-1)
