"""Removing a task: ``deregister_task_from_maintenance_window``, over real HTTP."""

from __future__ import annotations

import pytest

from ssm_mw import (
    DeregisteredTask,
    DoesNotExistError,
    MaintenanceWindowClient,
    ValidationError,
)
from ssm_mw.testing import EmbeddedSSMServer
from support.operations import DEFINITION, DEREGISTER, task_ids


async def test_the_task_is_gone_and_its_ids_come_back(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """The other tasks stay; get then raises DoesNotExistError."""
    keep = await mw_client.register_task_with_maintenance_window(maintenance_window_id, DEFINITION)
    drop = await mw_client.register_task_with_maintenance_window(maintenance_window_id, DEFINITION)
    removed = await mw_client.deregister_task_from_maintenance_window(maintenance_window_id, drop)
    assert removed == DeregisteredTask(window_id=maintenance_window_id, window_task_id=drop)
    assert await task_ids(mw_client, maintenance_window_id) == [keep]
    with pytest.raises(DoesNotExistError):
        await mw_client.get_maintenance_window_task(maintenance_window_id, drop)


async def test_deregistering_twice_raises_does_not_exist(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """The second call finds no task: deregistration is not idempotent."""
    task_id = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, DEFINITION
    )
    await mw_client.deregister_task_from_maintenance_window(maintenance_window_id, task_id)
    with pytest.raises(DoesNotExistError):
        await mw_client.deregister_task_from_maintenance_window(maintenance_window_id, task_id)


async def test_an_unknown_window_raises_does_not_exist(mw_client: MaintenanceWindowClient) -> None:
    """A window that does not exist is the service's DoesNotExistException."""
    with pytest.raises(DoesNotExistError):
        await mw_client.deregister_task_from_maintenance_window(
            "mw-0123456789abcdef0", "2f1a8b1e-0000-4000-8000-0123456789ab"
        )


@pytest.mark.parametrize(
    ("window_id", "window_task_id", "path"),
    [
        ("mw-nope", "2f1a8b1e-0000-4000-8000-0123456789ab", "window_id"),
        ("mw-0123456789abcdef0", "not-a-task-id", "window_task_id"),
    ],
)
async def test_a_malformed_id_names_its_argument_and_sends_nothing(
    mw_client: MaintenanceWindowClient,
    ssm_server: EmbeddedSSMServer,
    window_id: str,
    window_task_id: str,
    path: str,
) -> None:
    """Validation refuses before sending."""
    before = ssm_server.request_count(DEREGISTER)
    with pytest.raises(ValidationError) as raised:
        await mw_client.deregister_task_from_maintenance_window(window_id, window_task_id)
    assert set(raised.value.paths) == {path}
    assert ssm_server.request_count(DEREGISTER) == before
