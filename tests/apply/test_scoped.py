"""``apply_plan`` across a scope: each account-Region with its own client and run, under one
limit of requests in flight; a failed account-Region alone; a re-run that converges; a
cancellation's partial report across the account-Regions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable

from ssm_mw import (
    AccountRegion,
    ApplyCancelledError,
    ApplyOutcome,
    ApplyProgress,
    ApplyReport,
    ServiceError,
    TargetStatus,
    apply_plan,
    plan_tasks,
)
from ssm_mw.testing import EmbeddedSSMServer, Organization
from support.cancelling import cancelled_inside
from support.in_flight import InFlight
from support.operations import REGISTER
from support.org import reach, whole_scope
from support.org_plan import live_names, scoped_state


async def test_a_failed_account_region_alone_then_a_rerun_converges(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """A role that cannot be assumed and a Region not enabled: those account-Regions fail,
    the others are created. Both lifted, apply again: only theirs are created, and every
    window holds each task once."""
    org = ssm_organization
    denied, disabled = org.account_ids[0], org.account_ids[1]
    off = AccountRegion(account=disabled, region=org.regions[1])
    failing = {AccountRegion(account=denied, region=r) for r in org.regions} | {off}
    ssm_server.deny_assume_role(denied)
    ssm_server.disable_region(disabled, off.region)
    state = scoped_state(whole_scope(org))
    async with reach(ssm_server, whole_scope(org)) as reached:
        first = await apply_plan(reached, state)
    by_target = {s.target: s for s in first.targets}
    assert {t for t, s in by_target.items() if s.status is TargetStatus.FAILED} == failing
    assert "sts:AssumeRole" in str(by_target[AccountRegion(account=denied, region=off.region)])
    region_error = by_target[off].error
    assert isinstance(region_error, ServiceError)
    assert region_error.code == "UnrecognizedClientException"
    assert {r.target for r in first.with_outcome(ApplyOutcome.CREATED)} == (
        set(by_target) - failing
    )
    assert len(first.with_outcome(ApplyOutcome.CREATED)) == 6
    assert not first.ok
    assert first.complete
    ssm_server.deny_assume_role(denied, denied=False)
    ssm_server.disable_region(disabled, off.region, disabled=False)
    registers = ssm_server.request_count(REGISTER)
    async with reach(ssm_server, whole_scope(org)) as reached:
        second = await apply_plan(reached, state)
        live = await live_names(reached, org)
    assert second.ok
    created = second.with_outcome(ApplyOutcome.CREATED)
    assert {r.target for r in created} == failing
    assert len(created) == 6
    assert ssm_server.request_count(REGISTER) - registers == 6
    assert live == {t: Counter({"task-1": 1, "task-2": 1}) for t in reached.targets}


async def test_requests_in_flight_are_bounded_overall_and_per_account_region(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """concurrency=3, per_target_concurrency=2 over 6 account-Regions of 4 creates each:
    never more than 3 registers at once in all, nor 2 in one account-Region."""
    org = ssm_organization
    state = scoped_state(whole_scope(org), tasks=4)
    overall = InFlight()
    each: dict[AccountRegion, InFlight] = {}
    async with reach(ssm_server, whole_scope(org)) as reached:
        for target in reached.targets:
            ssm = await (await reached.client(target)).aiobotocore_client()
            mine = each[target] = InFlight()
            # From the send of an attempt (once it holds its place) to its answer.
            for count in (overall, mine):
                ssm.meta.events.register(f"before-send.ssm.{REGISTER}", count.started)
                ssm.meta.events.register(f"needs-retry.ssm.{REGISTER}", count.ended)
        plan = await plan_tasks(reached, state)
        ssm_server.inject_latency(0.05, operation=REGISTER)
        try:
            report = await apply_plan(reached, plan, concurrency=3, per_target_concurrency=2)
        finally:
            ssm_server.inject_latency(0, operation=REGISTER)
    assert report.ok
    assert len(report.with_outcome(ApplyOutcome.CREATED)) == 24
    assert overall.peak == 3
    assert max(c.peak for c in each.values()) == 2


async def test_cancelled_across_the_scope_reports_what_it_did(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Cancelled once three tasks are created: the partial report has exactly the live
    tasks as created, each with its account-Region, the rest not started, nothing failed;
    a re-run creates only the rest, with no duplicates."""
    org = ssm_organization
    state = scoped_state(whole_scope(org), tasks=4)
    async with reach(ssm_server, whole_scope(org)) as reached:
        plan = await plan_tasks(reached, state)
        ssm_server.inject_latency(0.05, operation=REGISTER)

        def start(cancel: Callable[[], None]) -> Awaitable[ApplyReport]:
            def progress(p: ApplyProgress) -> None:
                if p.done == 3:
                    cancel()

            return apply_plan(
                reached, plan, per_target_concurrency=1, concurrency=4, progress=progress
            )

        try:
            error = await cancelled_inside(start, ApplyCancelledError)
        finally:
            ssm_server.inject_latency(0, operation=REGISTER)
        partial: ApplyReport = error.report
        live = await live_names(reached, org)
        again = await apply_plan(reached, state)
        after = await live_names(reached, org)
    assert not partial.complete
    assert not partial.failed
    created = partial.with_outcome(ApplyOutcome.CREATED)
    assert {(r.target, r.name) for r in created} == {
        (t, name) for t, names in live.items() for name in names
    }
    assert 3 <= len(created) < 24
    assert partial.with_outcome(ApplyOutcome.NOT_STARTED)
    assert len(partial.results) == 24
    assert any(not s.complete for s in partial.targets)
    assert len(partial.targets) == 6
    assert again.ok
    assert len(again.with_outcome(ApplyOutcome.CREATED)) == 24 - len(created)
    assert after == {t: Counter({f"task-{n}": 1 for n in range(1, 5)}) for t in reached.targets}


async def test_progress_counts_account_regions_and_tasks(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """The progress callback counts the tasks done of all, and the account-Regions ended of
    the 6 that have something to change; both end complete."""
    org = ssm_organization
    seen: list[ApplyProgress] = []
    async with reach(ssm_server, whole_scope(org)) as reached:
        plan = await plan_tasks(reached, scoped_state(whole_scope(org), tasks=3))
        report = await apply_plan(reached, plan, progress=seen.append)
    assert report.ok
    first, last = seen[0], seen[-1]
    assert (first.targets_done, first.total) == (0, 18)
    assert (last.targets_done, last.targets_total, last.done, last.total) == (6, 6, 18, 18)
    assert [p.targets_done for p in seen] == sorted(p.targets_done for p in seen)
