"""The same tasks in every account-Region of an organization: what an export across a scope
finds when the account-Regions agree (no account or Region in the tasks)."""

from __future__ import annotations

import attrs

from ssm_mw import AccountRegion, ScopedClients, TaskDefinition
from ssm_mw.testing import Organization
from support.plan import automation_full, run_command_full

__all__ = ["same_tasks", "seed_same_tasks", "window_id"]


def same_tasks() -> dict[str, TaskDefinition]:
    """Two named tasks, ``patch`` (Run Command) and ``restart`` (Automation), every member set."""
    return {
        "patch": attrs.evolve(run_command_full(), name="patch"),
        "restart": attrs.evolve(automation_full(), name="restart"),
    }


def window_id(organization: Organization, target: AccountRegion, window: int = 1) -> str:
    """The id of ``window-<window>`` in ``target``."""
    assert target.account is not None
    return organization.windows_of(target.account, target.region)[window - 1]


async def seed_same_tasks(
    reached: ScopedClients, organization: Organization, window: int = 1
) -> dict[AccountRegion, dict[str, str]]:
    """Register :func:`same_tasks` in ``window-<window>`` of every account-Region of
    ``reached``, over real HTTP: each task's id by account-Region and name."""
    made: dict[AccountRegion, dict[str, str]] = {}
    for target in reached.targets:
        mw = await reached.client(target)
        where = window_id(organization, target, window)
        made[target] = {
            name: await mw.register_task_with_maintenance_window(where, definition)
            for name, definition in same_tasks().items()
        }
    return made
