"""Desired states across an embedded organization's accounts and Regions, and what is live."""

from __future__ import annotations

from collections import Counter

from ssm_mw import (
    AccountRegion,
    DesiredState,
    LambdaParameters,
    Scope,
    ScopedClients,
    TaskDefinition,
)
from ssm_mw.testing import Organization

__all__ = ["lambda_task", "live_names", "scoped_state", "state_text"]


def lambda_task(n: int) -> TaskDefinition:
    """A targetless Lambda task (``priority`` ``n``: an update, a replace, needs one)."""
    return TaskDefinition(
        task_arn=f"arn:aws:lambda:us-east-1:123456789012:function:f{n}",
        task_invocation_parameters=LambdaParameters(),
        priority=n,
    )


def scoped_state(scope: Scope | None, *, window: str = "window-1", tasks: int = 2) -> DesiredState:
    """``tasks`` Lambda tasks (``task-1``...) in the window of that name, in ``scope``."""
    named = {f"task-{n}": lambda_task(n) for n in range(1, tasks + 1)}
    return DesiredState(windows={f"name:{window}": named}, scope=scope)


async def live_names(
    reached: ScopedClients, organization: Organization, *, window: int = 1
) -> dict[AccountRegion, Counter[str | None]]:
    """The names of the live tasks of ``window-<window>`` in each account-Region of
    ``reached`` (each with its count: a duplicate shows as 2)."""
    found: dict[AccountRegion, Counter[str | None]] = {}
    for target in reached.targets:
        assert target.account is not None
        mw = await reached.client(target)
        window_id = organization.windows_of(target.account, target.region)[window - 1]
        found[target] = Counter(
            [t.name async for t in mw.paginate_maintenance_window_tasks(window_id)]
        )
    return found


def state_text(
    organization: Organization | None,
    *,
    window: str = "name:window-1",
    tasks: int = 2,
    regions: list[str] | None = None,
) -> str:
    """A desired-state file (YAML) of ``tasks`` Lambda tasks in ``window``, with a
    ``scope:`` of the organization's member accounts (and ``regions``, default its
    Regions) when one is given."""
    lines = []
    if organization is not None:
        accounts = ", ".join(f'"{a}"' for a in organization.account_ids)
        chosen = ", ".join(regions if regions is not None else organization.regions)
        lines += [
            "scope:",
            f"  accounts: [{accounts}]",
            f"  role_name: {organization.role_name}",
            f"  regions: [{chosen}]",
        ]
    lines += ["windows:", f"  {window}:"]
    for n in range(1, tasks + 1):
        lines += [
            f"    task-{n}:",
            f"      TaskArn: arn:aws:lambda:us-east-1:123456789012:function:f{n}",
            "      TaskType: LAMBDA",
            f"      Priority: {n}",
        ]
    return "\n".join(lines) + "\n"
