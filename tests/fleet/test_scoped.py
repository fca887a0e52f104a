"""``set_cutoff_behavior`` across a scope: three accounts x two Regions of the embedded
backend's organization, windows found by name, each fault failing only its account-Region.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone

import pytest

from ssm_mw import (
    AccountRegion,
    CutoffBehavior,
    CutoffCancelledError,
    CutoffOutcome,
    CutoffProgress,
    CutoffReport,
    Scope,
    TargetStatus,
    ValidationError,
    WindowLookupError,
    WindowSelection,
    set_cutoff_behavior,
)
from ssm_mw.testing import EmbeddedSSMServer, Organization
from support.cancelling import cancelled_inside
from support.org import inject_faults, reach, seed_tasks, whole_scope

CONTINUE, CANCEL = CutoffBehavior.CONTINUE_TASK, CutoffBehavior.CANCEL_TASK


async def test_every_account_and_region_by_name_then_again_unchanged(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """window-1 of 6 account-Regions: every task changed, with its account and Region;
    window-2 and the management account untouched; a second run changes nothing."""
    org = ssm_organization
    async with reach(ssm_server, whole_scope(org)) as reached:
        made = await seed_tasks(reached, org, window=1)
        await seed_tasks(reached, org, window=2, tasks=1)
        progress: list[CutoffProgress] = []
        report = await set_cutoff_behavior(
            reached, WindowSelection.named("window-1"), CANCEL, progress=progress.append
        )
        again = await set_cutoff_behavior(reached, WindowSelection.named("window-1"), "CANCEL_TASK")
        every = await set_cutoff_behavior(reached, WindowSelection.all(), CANCEL, dry_run=True)
    assert report.ok
    assert report.complete
    assert len(report.targets) == 6
    assert all(t.status is TargetStatus.OK for t in report.targets)
    assert {(c.target, c.window_task_id) for c in report.changed} == {
        (target, task_id) for target, ids in made.items() for task_id in ids
    }
    assert [c.target for c in report.changes] == sorted(
        (c.target for c in report.changes), key=list(made).index
    )  # grouped by account-Region, in the scope's order
    last = progress[-1]
    assert (last.targets_done, last.targets_total) == (6, 6)
    assert (last.tasks_done, last.tasks_total, last.windows_total) == (12, 12, 6)
    # Converged: nothing left to do in window-1; window-2 was never touched.
    assert len(again.unchanged) == 12
    assert not again.changed
    assert again.ok
    assert len(every.changed) == 6
    assert len(every.unchanged) == 12
    firsts = {org.windows_of(a, r)[0] for a in org.account_ids for r in org.regions}
    assert not {c.window_id for c in every.changed} & firsts
    # Nothing outside the scope: the base account's Region saw no update.
    assert (
        ssm_server.request_count("UpdateMaintenanceWindowTask", account_id=ssm_server.account_id)
        == 0
    )


async def test_each_fault_fails_only_its_account_region(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """A denied role, a Region not enabled, a missing window and a duplicate name: those
    account-Regions fail with their errors; every other one is changed in full."""
    org = ssm_organization
    async with reach(ssm_server, whole_scope(org)) as reached:
        made = await seed_tasks(reached, org, window=1)
    faults = inject_faults(ssm_server, org)
    async with reach(ssm_server, whole_scope(org)) as reached:
        named = await set_cutoff_behavior(reached, WindowSelection.named("window-1"), CANCEL)
        missing = await set_cutoff_behavior(
            reached, WindowSelection.named("window-2", "no-such-window"), CANCEL
        )
    faults.check(org, named.targets)
    failed = faults.failed
    changed = {c.target for c in named.changed}
    assert changed == set(made) - failed
    assert len(named.changed) == 2 * len(changed)
    assert not named.ok
    # A name missing everywhere: every reachable account-Region fails, naming it.
    errors = [t.error for t in missing.targets if isinstance(t.error, WindowLookupError)]
    assert len(errors) == 3
    assert all(e.missing == ("no-such-window",) for e in errors)
    assert not missing.changes


async def test_window_ids_need_a_single_account_region(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Window ids across a scope of six account-Regions: a ValidationError, nothing sent;
    across one account-Region they are taken as given."""
    org = ssm_organization
    account, region = org.account_ids[0], org.regions[0]
    before = ssm_server.request_count("DescribeMaintenanceWindowTasks")
    async with reach(ssm_server, whole_scope(org)) as reached:
        with pytest.raises(ValidationError, match="window_ids: a window id belongs to one"):
            await set_cutoff_behavior(reached, [org.windows_of(account, region)[0]], CANCEL)
    assert ssm_server.request_count("DescribeMaintenanceWindowTasks") == before
    one = Scope(accounts=[account], regions=[region], role_name=org.role_name)
    async with reach(ssm_server, one) as reached:
        await seed_tasks(reached, org)
        report = await set_cutoff_behavior(reached, [org.windows_of(account, region)[0]], CANCEL)
    assert len(report.changed) == 2
    assert report.ok
    with pytest.raises(ValidationError, match="per_target_concurrency"):
        await set_cutoff_behavior(reached, WindowSelection.all(), CANCEL, per_target_concurrency=0)


async def test_one_throttled_account_region_is_paced_alone(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Updates of one account-Region limited to 5 a second: its throttled answers slow
    only it; every task changes, none fails, and the others see no throttling."""
    org = ssm_organization
    slow = AccountRegion(account=org.account_ids[0], region=org.regions[0])
    async with reach(ssm_server, whole_scope(org)) as reached:
        await seed_tasks(reached, org, tasks=6)
        ssm_server.throttle(
            5, burst=1, operation="UpdateMaintenanceWindowTask",
            account_id=slow.account, region=slow.region,
        )  # fmt: skip
        report = await set_cutoff_behavior(reached, WindowSelection.all(), CANCEL)
    assert report.ok
    assert len(report.changed) == 36
    assert ssm_server.throttled_count(account_id=slow.account, region=slow.region) > 0
    assert ssm_server.throttled_count() == ssm_server.throttled_count(
        account_id=slow.account, region=slow.region
    )


async def test_cancelled_across_the_scope_reports_what_it_did(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Cancelled once the first tasks changed: the partial report holds exactly the
    tasks that have the new behavior, each with its account-Region."""
    org = ssm_organization
    async with reach(ssm_server, whole_scope(org)) as reached:
        await seed_tasks(reached, org, tasks=4)
        ssm_server.inject_latency(0.05, operation="UpdateMaintenanceWindowTask")

        def start(cancel: Callable[[], None]) -> Awaitable[CutoffReport]:
            cancelled: list[bool] = []

            def stop_early(progress: CutoffProgress) -> None:
                if progress.tasks_done >= 3 and not cancelled:
                    cancelled.append(True)
                    cancel()  # once: a second one would abandon the updates in flight

            return set_cutoff_behavior(
                reached,
                WindowSelection.all(),
                CANCEL,
                per_target_concurrency=1,
                progress=stop_early,
            )

        partial = (await cancelled_inside(start, CutoffCancelledError)).report
        assert not partial.complete
        assert partial.changed
        assert all(c.outcome is not CutoffOutcome.FAILED for c in partial.changes)
        live: set[tuple[AccountRegion, str]] = set()
        for target in reached.targets:
            mw = await reached.client(target)
            assert target.account is not None
            for window_id in org.windows_of(target.account, target.region):
                async for t in mw.paginate_maintenance_window_tasks(window_id):
                    if t.cutoff_behavior is CANCEL:
                        live.add((target, t.window_task_id))
    assert {(c.target, c.window_task_id) for c in partial.changed} == live
    assert len(live) < 24
    assert any(not t.complete for t in partial.targets)


async def test_nothing_is_done_outside_the_scope(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """A scope of two accounts in one Region: the third account and the other Region get no
    update, and their tasks keep their behavior."""
    org = ssm_organization
    first, second = org.regions
    async with reach(ssm_server, whole_scope(org)) as reached:
        await seed_tasks(reached, org)
    inside = Scope(accounts=org.account_ids[:2], role_name=org.role_name, regions=[first])
    async with reach(ssm_server, inside) as reached:
        report = await set_cutoff_behavior(reached, WindowSelection.all(), CANCEL)
    assert len(report.changed) == 4
    assert {c.target for c in report.changes} == {
        AccountRegion(account=a, region=first) for a in org.account_ids[:2]
    }
    update = "UpdateMaintenanceWindowTask"
    assert ssm_server.request_count(update, region=second) == 0
    assert ssm_server.request_count(update, account_id=org.account_ids[2]) == 0
    async with reach(ssm_server, whole_scope(org)) as reached:
        untouched = await set_cutoff_behavior(reached, WindowSelection.all(), CANCEL, dry_run=True)
    assert len(untouched.changed) == 8  # the 8 tasks outside the first scope still CONTINUE


async def test_credentials_are_refreshed_during_a_long_run(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """On an injected clock that jumps 55 minutes once the first tasks are done (5 before
    the hour's credentials expire): each account's role is assumed again mid-run, and every
    task still changes."""
    org = ssm_organization
    now = [datetime.now(timezone.utc)]
    async with reach(ssm_server, whole_scope(org), clock=lambda: now[0]) as reached:
        await seed_tasks(reached, org, tasks=3)
        assumed = ssm_server.request_count("sts:AssumeRole")
        jumped: list[bool] = []

        def later(progress: CutoffProgress) -> None:
            if progress.tasks_done >= 2 and not jumped:
                jumped.append(True)
                now[0] += timedelta(minutes=55)

        report = await set_cutoff_behavior(
            reached, WindowSelection.all(), CANCEL, per_target_concurrency=1, progress=later
        )
    assert jumped
    assert report.ok
    assert len(report.changed) == 18
    assert ssm_server.request_count("sts:AssumeRole") >= assumed + len(org.account_ids)
