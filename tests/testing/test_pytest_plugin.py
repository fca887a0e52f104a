"""The pytest plugin, run end to end in a separate pytest process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

CONFTEST = """
import sys

pytest_plugins = ["ssm_mw.testing.pytest_plugin"]


def pytest_collection_finish(session):
    # The plugin must not import moto while tests are collected.
    assert "moto" not in sys.modules, "moto imported at collection time"
"""

TESTS = """
import pytest
from aiobotocore.config import AioConfig

from ssm_mw import MaintenanceWindowClient, ThrottlingError, TransportError
from ssm_mw.testing import EmbeddedSSMServer, MaintenanceWindowClientFactory

WINDOWS = []


def test_first(ssm_server, maintenance_window_id):
    assert isinstance(ssm_server, EmbeddedSSMServer)
    assert maintenance_window_id.startswith("mw-")
    WINDOWS.append(maintenance_window_id)
    ssm_server.max_tasks_per_window = 1
    ssm_server.inject_fault(None, "ThrottlingException", times=None)


async def test_second_sees_a_reset_server(ssm_server, maintenance_window_id):
    assert ssm_server.max_tasks_per_window == 20
    assert ssm_server.request_count() == 0
    config = AioConfig(retries={"total_max_attempts": 1, "mode": "standard"})
    session = ssm_server.aio_session()
    async with session.create_client("ssm", config=config, **ssm_server.client_kwargs()) as ssm:
        with pytest.raises(Exception) as caught:  # the first test's window is gone
            await ssm.describe_maintenance_window_tasks(WindowId=WINDOWS[0])
        assert caught.value.response["Error"]["Code"] == "DoesNotExistException"
        await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)


async def test_mw_client(mw_client, ssm_server, maintenance_window_id):
    assert isinstance(mw_client, MaintenanceWindowClient)
    await mw_client.describe_maintenance_window_tasks(maintenance_window_id)
    assert ssm_server.request_count("DescribeMaintenanceWindowTasks") == 1


async def test_mw_client_factory_without_retries(
    mw_client_factory, ssm_server, maintenance_window_id
):
    assert isinstance(mw_client_factory, MaintenanceWindowClientFactory)
    ssm_server.inject_fault("DescribeMaintenanceWindowTasks", "ThrottlingException", times=None)
    async with mw_client_factory(max_attempts=1) as mw:
        with pytest.raises(ThrottlingError):
            await mw.describe_maintenance_window_tasks(maintenance_window_id)
    assert ssm_server.request_count("DescribeMaintenanceWindowTasks") == 1
    async with mw_client_factory(max_attempts=3) as mw:
        with pytest.raises(ThrottlingError):
            await mw.describe_maintenance_window_tasks(maintenance_window_id)
    assert ssm_server.request_count("DescribeMaintenanceWindowTasks") == 4


async def test_mw_client_factory_read_timeout(mw_client_factory, ssm_server, maintenance_window_id):
    ssm_server.inject_latency(2.0, operation="DescribeMaintenanceWindowTasks")
    async with mw_client_factory(read_timeout=0.3, max_attempts=1) as mw:
        with pytest.raises(TransportError, match="Read timeout"):
            await mw.describe_maintenance_window_tasks(maintenance_window_id)
"""

INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
filterwarnings = error
"""


def test_plugin_end_to_end(tmp_path: Path) -> None:
    """The opt-in plugin gives a shared server, fresh windows, mw_client, mw_client_factory
    and a reset per test."""
    (tmp_path / "conftest.py").write_text(textwrap.dedent(CONFTEST))
    (tmp_path / "test_with_plugin.py").write_text(textwrap.dedent(TESTS))
    (tmp_path / "pytest.ini").write_text(INI)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=100,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout


NO_ASYNCIO_CONFTEST = """
import sys

sys.modules["pytest_asyncio"] = None  # as if pytest-asyncio were not installed
pytest_plugins = ["ssm_mw.testing.pytest_plugin"]
"""

NO_ASYNCIO_TESTS = """
def test_needs_the_client(mw_client):
    pass


def test_without_the_client():
    pass
"""


def test_plugin_without_pytest_asyncio(tmp_path: Path) -> None:
    """Without pytest-asyncio the plugin loads, and mw_client fails with a clear message."""
    (tmp_path / "conftest.py").write_text(NO_ASYNCIO_CONFTEST)
    (tmp_path / "test_no_asyncio.py").write_text(NO_ASYNCIO_TESTS)
    (tmp_path / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:asyncio"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=100,
    )
    assert "1 passed, 1 error" in result.stdout, result.stdout + result.stderr
    assert "needs pytest-asyncio" in result.stdout
