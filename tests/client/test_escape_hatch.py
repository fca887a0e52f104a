"""The escape hatch: the aiobotocore client under ``MaintenanceWindowClient``, over real HTTP."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from ssm_mw import ClientStateError, MaintenanceWindowClient
from ssm_mw.testing import EmbeddedSSMServer
from support.clients import on_server
from support.examples import AUTOMATION

# -- the escape hatch ---------------------------------------------------------------


async def test_aiobotocore_client_reaches_operations_outside_the_four(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Deregister through mw.aiobotocore_client: no second client needed."""
    async with on_server(ssm_server) as mw:
        task_id = await mw.register_task_with_maintenance_window(maintenance_window_id, AUTOMATION)
        ssm = await mw.aiobotocore_client()
        await ssm.deregister_task_from_maintenance_window(
            WindowId=maintenance_window_id, WindowTaskId=task_id
        )
        page = await mw.describe_maintenance_window_tasks(maintenance_window_id)
    assert page.tasks == ()


async def test_the_own_sessions_escape_hatch_has_the_full_model(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str, no_aws_env: Path
) -> None:
    """The client's own session loads a trimmed model; the escape hatch still has every operation.

    It is opened once, on the same options and credentials, and closed with the client.
    """
    async with MaintenanceWindowClient(
        region_name=ssm_server.region_name,
        endpoint_url=ssm_server.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        max_attempts=1,
    ) as mw:
        task_id = await mw.register_task_with_maintenance_window(maintenance_window_id, AUTOMATION)
        first, second = await asyncio.gather(mw.aiobotocore_client(), mw.aiobotocore_client())
        assert first is second  # two first calls at once open one client
        ssm = await mw.aiobotocore_client()
        assert ssm is first
        assert ssm.meta.config.retries is not None
        assert ssm.meta.config.retries["total_max_attempts"] == 1
        windows = await ssm.describe_maintenance_windows()
        assert [w["WindowId"] for w in windows["WindowIdentities"]] == [maintenance_window_id]
        await ssm.deregister_task_from_maintenance_window(
            WindowId=maintenance_window_id, WindowTaskId=task_id
        )
        page = await mw.describe_maintenance_window_tasks(maintenance_window_id)
    assert page.tasks == ()
    with pytest.raises(ClientStateError):
        await mw.aiobotocore_client()


async def test_aiobotocore_client_only_while_open(ssm_server: EmbeddedSSMServer) -> None:
    """Before opening and after closing, it raises ClientStateError."""
    mw = on_server(ssm_server)
    with pytest.raises(ClientStateError, match="not open"):
        await mw.aiobotocore_client()
    async with mw:
        assert await mw.aiobotocore_client() is await mw.aiobotocore_client()
    with pytest.raises(ClientStateError, match="closed"):
        await mw.aiobotocore_client()


async def test_from_client_hands_back_the_same_client(ssm_server: EmbeddedSSMServer) -> None:
    """A wrapped caller-owned client is the escape hatch itself."""
    session = ssm_server.aio_session()
    async with session.create_client("ssm", **ssm_server.client_kwargs()) as ssm:
        assert await MaintenanceWindowClient.from_client(ssm).aiobotocore_client() is ssm
