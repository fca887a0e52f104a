"""``export_tasks`` across a scope: three accounts x two Regions of the embedded backend's
organization, one desired state keyed by window name, differences and failures by account-Region.
"""

from __future__ import annotations

import asyncio

import attrs
import pytest

from ssm_mw import (
    AccountRegion,
    CutoffBehavior,
    DesiredState,
    ExportDifferenceKind,
    MaintenanceWindowClient,
    PlanAction,
    Scope,
    TargetStatus,
    TaskUpdate,
    ValidationError,
    WindowLookupError,
    WindowSelection,
    export_tasks,
    plan_tasks,
)
from ssm_mw.testing import EmbeddedSSMServer, Organization
from support.org import inject_faults, reach, whole_scope
from support.org_export import same_tasks as _tasks
from support.org_export import seed_same_tasks as _seed
from support.org_export import window_id as _window_id
from support.plan import SECRETS

WINDOW_1 = WindowSelection.named("window-1")


def _other_cutoff() -> CutoffBehavior:
    """A cutoff behavior that the seeded "patch" task does not have."""
    if _tasks()["patch"].cutoff_behavior is CutoffBehavior.CANCEL_TASK:
        return CutoffBehavior.CONTINUE_TASK
    return CutoffBehavior.CANCEL_TASK


async def _plan_actions(
    mw: MaintenanceWindowClient, desired: DesiredState, window_id: str
) -> dict[str | None, tuple[PlanAction, tuple[str, ...]]]:
    """The plan of ``desired`` (keyed by name) in one account-Region: name -> action, members."""
    plan = await plan_tasks(mw, desired.resolved({"window-1": window_id}))
    return {t.name: (t.action, tuple(c.member for c in t.changes)) for t in plan.tasks}


async def test_identical_tasks_export_to_one_state_by_name(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Six account-Regions with the same tasks: one state, `name:window-1` with the scope,
    no differences, every account-Region ok; only window-1 was read; it reads back."""
    org = ssm_organization
    scope = whole_scope(org)
    async with reach(ssm_server, scope) as reached:
        await _seed(reached, org)
        await _seed(reached, org, window=2)
        describes = ssm_server.request_count("DescribeMaintenanceWindowTasks")
        gets = ssm_server.request_count("GetMaintenanceWindowTask")
        report = await export_tasks(reached, WINDOW_1)
        assert ssm_server.request_count("DescribeMaintenanceWindowTasks") - describes == 6
        assert ssm_server.request_count("GetMaintenanceWindowTask") - gets == 12
        plans = [
            await _plan_actions(await reached.client(t), report.desired, _window_id(org, t))
            for t in reached.targets
        ]
    assert report.ok
    assert [t.status for t in report.targets] == [TargetStatus.OK] * 6
    assert [t.target for t in report.targets] == list(reached.targets)
    assert report.differences == ()
    assert report.skipped == ()
    assert report.desired.scope == scope
    assert dict(report.desired.windows) == {"name:window-1": _tasks()}
    data = report.desired.to_botocore()
    assert list(data) == ["scope", "windows"]
    assert data["scope"] == {
        "accounts": list(org.account_ids),
        "regions": list(org.regions),
        "role_name": org.role_name,
    }
    assert list(data["windows"]) == ["name:window-1"]
    assert DesiredState.from_botocore(data) == report.desired
    # Planned in each account-Region, every task is unchanged.
    for plan in plans:
        assert plan == {"patch": (PlanAction.UNCHANGED, ()), "restart": (PlanAction.UNCHANGED, ())}


async def test_differences_name_account_region_and_members(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """One account-Region's task changed (a sensitive member and the cutoff), one task gone
    in another, an extra task in a third: each a difference with its account and Region;
    the file holds the first account-Region's tasks; no value of a sensitive member shows."""
    org = ssm_organization
    async with reach(ssm_server, whole_scope(org)) as reached:
        made = await _seed(reached, org)
        first, _, changed, gone, extra, _ = reached.targets
        mw = await reached.client(changed)
        await mw.update_maintenance_window_task(
            _window_id(org, changed),
            made[changed]["patch"],
            TaskUpdate(description="zq-other-secret", cutoff_behavior=_other_cutoff()),
        )
        await (await reached.client(gone)).deregister_task_from_maintenance_window(
            _window_id(org, gone), made[gone]["restart"]
        )
        extra_id = await (await reached.client(extra)).register_task_with_maintenance_window(
            _window_id(org, extra), attrs.evolve(_tasks()["restart"], name="extra")
        )
        report = await export_tasks(reached, WINDOW_1)
        planned = await _plan_actions(
            await reached.client(changed), report.desired, _window_id(org, changed)
        )
    assert report.ok
    assert dict(report.desired.windows) == {"name:window-1": _tasks()}
    found = [
        (d.target, d.window_name, d.window_id, d.task_name, d.kind, d.members, d.window_task_id)
        for d in report.differences
    ]
    assert found == [
        (
            changed, "window-1", _window_id(org, changed), "patch",
            ExportDifferenceKind.CHANGED, ("Description", "CutoffBehavior"),
            made[changed]["patch"],
        ),
        (
            gone, "window-1", _window_id(org, gone), "restart",
            ExportDifferenceKind.MISSING, (), None,
        ),
        (
            extra, "window-1", _window_id(org, extra), "extra",
            ExportDifferenceKind.EXTRA, (), extra_id,
        ),
    ]  # fmt: skip
    assert all(d.source == first for d in report.differences)
    assert str(report.differences[0]) == (
        f"{changed} name:window-1 patch: Description, CutoffBehavior"
    )
    assert str(report.differences[1]).startswith(f"{gone} name:window-1 restart: missing")
    # The plan's comparison: planning the file there updates exactly those members.
    assert planned["patch"] == (PlanAction.UPDATE, ("Description", "CutoffBehavior"))
    shown = f"{report.differences!r} {[str(d) for d in report.differences]}"
    assert "zq-other-secret" not in shown
    assert SECRETS["Description"] not in shown


async def test_each_fault_fails_only_its_account_region(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """A denied role, a Region not enabled and two windows of one name fail those
    account-Regions with their errors; the first one left is the file's source."""
    org = ssm_organization
    async with reach(ssm_server, whole_scope(org)) as reached:
        await _seed(reached, org)
    faults = inject_faults(ssm_server, org)
    async with reach(ssm_server, whole_scope(org)) as reached:
        report = await export_tasks(reached, WINDOW_1)
    faults.check(org, report.targets)
    assert not report.ok
    assert {t.target for t in report.failed_targets} == faults.failed
    assert dict(report.desired.windows) == {"name:window-1": _tasks()}
    assert report.differences == ()


async def test_a_window_missing_in_some_account_regions(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """A name that one account-Region has: the others fail, naming it; that one is exported."""
    org = ssm_organization
    only = AccountRegion(account=org.account_ids[2], region=org.regions[1])
    assert only.account is not None
    window_id = ssm_server.create_maintenance_window(
        "window-9", account_id=only.account, region=only.region
    )
    async with reach(ssm_server, whole_scope(org)) as reached:
        mw = await reached.client(only)
        await mw.register_task_with_maintenance_window(window_id, _tasks()["patch"])
        report = await export_tasks(reached, WindowSelection.named("window-9"))
    assert [t.target for t in report.targets if t.ok] == [only]
    errors = [t.error for t in report.targets if not t.ok]
    assert len(errors) == 5
    assert all(isinstance(e, WindowLookupError) and e.missing == ("window-9",) for e in errors)
    assert dict(report.desired.windows) == {"name:window-9": {"patch": _tasks()["patch"]}}


async def test_all_windows_by_name_and_a_window_only_some_have(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """WindowSelection.all(): every window by name; a window one account-Region alone has
    is exported from it and is a difference of every other; two windows of one name fail
    their account-Region, naming both ids. A task name twice in another account-Region's
    window is a duplicate there; its tasks and an unnamed one are skipped with their
    account-Region."""
    org = ssm_organization
    async with reach(ssm_server, whole_scope(org)) as reached:
        await _seed(reached, org)
        targets = reached.targets
        odd = targets[2]
        mw = await reached.client(odd)
        second = await mw.register_task_with_maintenance_window(
            _window_id(org, odd), _tasks()["patch"]
        )
        unnamed = await mw.register_task_with_maintenance_window(
            _window_id(org, odd), attrs.evolve(_tasks()["restart"], name=None)
        )
    lone, twice = targets[1], targets[4]
    assert lone.account is not None
    assert twice.account is not None
    lone_id = ssm_server.create_maintenance_window(
        "window-3", account_id=lone.account, region=lone.region
    )
    twin = ssm_server.create_maintenance_window(
        "window-2", account_id=twice.account, region=twice.region
    )
    async with reach(ssm_server, whole_scope(org)) as reached:
        report = await export_tasks(reached, WindowSelection.all())
    assert list(report.desired.windows) == ["name:window-1", "name:window-2", "name:window-3"]
    assert dict(report.desired.windows["name:window-1"]) == _tasks()
    assert dict(report.desired.windows["name:window-3"]) == {}
    (failed,) = report.failed_targets
    assert failed.target == twice
    assert isinstance(failed.error, WindowLookupError)
    assert set(failed.error.duplicates["window-2"]) == {twin, _window_id(org, twice, 2)}
    missing = [d for d in report.differences if d.kind is ExportDifferenceKind.WINDOW_MISSING]
    assert [(d.target, d.window_name, d.source) for d in missing] == [
        (t, "window-3", lone) for t in targets if t not in (lone, twice)
    ]
    assert str(missing[0]) == f"{targets[0]} name:window-3: no window of this name here " + (
        "(planning fails here)"
    )
    assert lone_id not in {d.window_id for d in report.differences}
    (duplicate,) = [d for d in report.differences if d.kind is ExportDifferenceKind.DUPLICATE]
    assert (duplicate.target, duplicate.window_name, duplicate.task_name) == (
        odd,
        "window-1",
        "patch",
    )
    assert len(report.differences) == 5
    assert {(t.target, t.name) for t in report.skipped} == {(odd, "patch"), (odd, None)}
    assert {t.window_task_id for t in report.skipped} >= {second, unnamed}
    assert all(str(t).startswith(f"{odd} {_window_id(org, odd)} ") for t in report.skipped)


async def test_window_ids_need_a_single_account_region(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Window ids across six account-Regions: a ValidationError, nothing sent; across one
    they are exported as given, with the scope."""
    org = ssm_organization
    account, region = org.account_ids[0], org.regions[0]
    window_id = org.windows_of(account, region)[0]
    before = ssm_server.request_count("DescribeMaintenanceWindowTasks")
    async with reach(ssm_server, whole_scope(org)) as reached:
        with pytest.raises(ValidationError, match="window_ids: a window id belongs to one"):
            await export_tasks(reached, [window_id])
        with pytest.raises(ValidationError, match="per_target_concurrency"):
            await export_tasks(reached, WINDOW_1, per_target_concurrency=0)
        with pytest.raises(ValidationError, match="concurrency"):
            await export_tasks(reached, WINDOW_1, concurrency=0)
    assert ssm_server.request_count("DescribeMaintenanceWindowTasks") == before
    one = Scope(accounts=[account], regions=[region], role_name=org.role_name)
    async with reach(ssm_server, one) as reached:
        await _seed(reached, org)
        report = await export_tasks(reached, [window_id])
    assert dict(report.desired.windows) == {window_id: _tasks()}
    assert report.desired.scope == one
    assert report.ok


async def test_one_client_and_a_selection_keys_by_name(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """On one client, a WindowSelection exports `name:` keys without a scope."""
    org = ssm_organization
    target = AccountRegion(account=org.account_ids[0], region=org.regions[0])
    async with reach(ssm_server, whole_scope(org, shard=(1, 1))) as reached:
        await _seed(reached, org)
        mw = await reached.client(target)
        report = await export_tasks(mw, WINDOW_1)
        shard = await export_tasks(reached, WINDOW_1)
    assert dict(report.desired.windows) == {"name:window-1": _tasks()}
    assert report.desired.scope is None
    assert report.targets == ()
    assert shard.desired.scope == whole_scope(org)  # a shard is not the state's


async def test_cancelled_exports_nothing(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Cancelled while reading: a plain CancelledError, no report (an export is whole)."""
    org = ssm_organization
    async with reach(ssm_server, whole_scope(org)) as reached:
        await _seed(reached, org)
        ssm_server.inject_latency(0.2, operation="GetMaintenanceWindowTask")
        task = asyncio.ensure_future(export_tasks(reached, WINDOW_1))
        for _ in range(1000):  # until the first reads are in flight
            if ssm_server.request_count("GetMaintenanceWindowTask"):
                break
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
