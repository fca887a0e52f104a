"""``plan_tasks`` across a scope: three accounts x two Regions of the embedded backend's
organization, windows given by name, each fault failing only its account-Region, and the
saved plan of a scope."""

from __future__ import annotations

import json
from collections import Counter

import attrs
import pytest

from ssm_mw import (
    AccountRegion,
    ApplyOutcome,
    DesiredState,
    Plan,
    PlanAction,
    PlanError,
    Scope,
    ScopedClients,
    TargetStatus,
    ValidationError,
    WindowLookupError,
    apply_plan,
    plan_tasks,
)
from ssm_mw.testing import EmbeddedSSMServer, Organization
from support.operations import DEREGISTER, DESCRIBE, REGISTER
from support.org import reach, whole_scope
from support.org_plan import lambda_task, live_names, scoped_state


async def test_plan_apply_plan_again_across_six_account_regions(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """name:window-1 in 3 accounts x 2 Regions: 12 creates, each with its account-Region and
    window; applied; planned again: all unchanged. window-2 and the management account
    are untouched."""
    org = ssm_organization
    state = scoped_state(whole_scope(org))
    async with reach(ssm_server, whole_scope(org)) as reached:
        plan = await plan_tasks(reached, state)
        report = await apply_plan(reached, plan)
        again = await plan_tasks(reached, state)
        live = await live_names(reached, org)
        others = await live_names(reached, org, window=2)
    assert plan.scope == whole_scope(org)
    assert [(t.target, t.status) for t in plan.targets] == [
        (t, TargetStatus.OK) for t in reached.targets
    ]
    assert len(plan.tasks) == 12
    assert {t.action for t in plan.tasks} == {PlanAction.CREATE}
    for task in plan.tasks:
        assert task.target is not None
        assert task.target.account is not None
        assert task.window_key == "name:window-1"
        assert task.key == "name:window-1"
        assert task.window_id == org.windows_of(task.target.account, task.target.region)[0]
    assert [t.target for t in plan.tasks] == sorted(
        (t.target for t in plan.tasks), key=list(reached.targets).index
    )  # by account-Region, in the scope's order
    assert report.ok
    assert report.complete
    assert len(report.with_outcome(ApplyOutcome.CREATED)) == 12
    assert {(r.target, r.name) for r in report.results} == {(t.target, t.name) for t in plan.tasks}
    assert [s.status for s in report.targets] == [TargetStatus.OK] * 6
    assert not again.has_changes
    assert {t.action for t in again.tasks} == {PlanAction.UNCHANGED}
    assert live == {t: Counter({"task-1": 1, "task-2": 1}) for t in reached.targets}
    assert others == {t: Counter() for t in reached.targets}
    # Nothing in the management account (the base credentials' own).
    assert ssm_server.request_count(REGISTER, account_id=ssm_server.account_id) == 0


async def test_missing_and_duplicate_windows_fail_only_their_account_region(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """A window name missing in one account-Region and twice in another: those two fail,
    naming it (and both ids); the four others are planned and applied."""
    org = ssm_organization
    first, second = org.regions
    missing = AccountRegion(account=org.account_ids[0], region=first)
    doubled = AccountRegion(account=org.account_ids[1], region=first)
    twins: list[str] = []
    for account in org.account_ids:
        for region in org.regions:
            where = AccountRegion(account=account, region=region)
            if where != missing:
                made = ssm_server.create_maintenance_window(
                    "patching", account_id=account, region=region
                )
                if where == doubled:
                    twins.append(made)
    twins.append(
        ssm_server.create_maintenance_window("patching", account_id=doubled.account, region=first)
    )
    state = scoped_state(whole_scope(org), window="patching")
    async with reach(ssm_server, whole_scope(org)) as reached:
        plan = await plan_tasks(reached, state)
        report = await apply_plan(reached, plan)
    by_target = {s.target: s for s in plan.targets}
    assert {t for t, s in by_target.items() if not s.ok} == {missing, doubled}
    lost = by_target[missing].error
    assert isinstance(lost, WindowLookupError)
    assert lost.missing == ("patching",)
    assert lost.target == missing
    two = by_target[doubled].error
    assert isinstance(two, WindowLookupError)
    assert all(window_id in str(two) for window_id in twins)
    assert {t.target for t in plan.tasks} == set(reached.targets) - {missing, doubled}
    assert len(plan.with_action(PlanAction.CREATE)) == 8
    assert [t.target for t in plan.failed_targets] == [missing, doubled]
    assert len(report.with_outcome(ApplyOutcome.CREATED)) == 8
    assert {s.target for s in report.failed_targets} == {missing, doubled}
    assert not report.ok
    assert ssm_server.request_count(REGISTER, account_id=missing.account, region=first) == 0
    assert ssm_server.request_count(REGISTER, account_id=doubled.account, region=first) == 0
    assert ssm_server.request_count(REGISTER, account_id=org.account_ids[0], region=second) == 2


async def test_a_conflict_fails_only_its_account_region(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Two live tasks of one managed name in one account-Region: a PlanError there only."""
    org = ssm_organization
    odd = AccountRegion(account=org.account_ids[2], region=org.regions[1])
    state = scoped_state(whole_scope(org), tasks=1)
    async with reach(ssm_server, whole_scope(org)) as reached:
        mw = await reached.client(odd)
        assert odd.account is not None
        window_id = org.windows_of(odd.account, odd.region)[0]
        for _ in range(2):
            await mw.register_task_with_maintenance_window(
                window_id, attrs.evolve(lambda_task(1), name="task-1")
            )
        plan = await plan_tasks(reached, state)
    (failed,) = plan.failed_targets
    assert failed.target == odd
    assert isinstance(failed.error, PlanError)
    assert len(plan.with_action(PlanAction.CREATE)) == 5


async def test_prune_across_a_scope_deletes_only_the_unnamed_tasks_of_managed_windows(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """prune=True across six account-Regions: a stray task in window-1 of one account-Region
    is deleted there only; window-2's tasks (a window the state does not name) are kept;
    planned again, nothing is left to change."""
    org = ssm_organization
    odd = AccountRegion(account=org.account_ids[1], region=org.regions[1])
    state = scoped_state(whole_scope(org))
    async with reach(ssm_server, whole_scope(org)) as reached:
        mw = await reached.client(odd)
        assert odd.account is not None
        first, second = org.windows_of(odd.account, odd.region)[:2]
        stray = await mw.register_task_with_maintenance_window(
            first, attrs.evolve(lambda_task(7), name="stray")
        )
        kept = await mw.register_task_with_maintenance_window(
            second, attrs.evolve(lambda_task(8), name="elsewhere")
        )
        plan = await plan_tasks(reached, state, prune=True)
        report = await apply_plan(reached, plan)
        again = await plan_tasks(reached, state, prune=True)
        live = await live_names(reached, org)
        others = await live_names(reached, org, window=2)
        elsewhere = await mw.get_maintenance_window_task(second, kept)
    assert plan.prune
    assert [
        (t.target, t.window_id, t.window_task_id) for t in plan.with_action(PlanAction.DELETE)
    ] == [(odd, first, stray)]
    assert len(plan.with_action(PlanAction.CREATE)) == 12
    assert [s.status for s in plan.targets] == [TargetStatus.OK] * 6
    assert [(r.target, r.outcome) for r in report.with_outcome(ApplyOutcome.DELETED)] == [
        (odd, ApplyOutcome.DELETED)
    ]
    assert report.ok
    assert not again.has_changes
    assert live == {t: Counter({"task-1": 1, "task-2": 1}) for t in reached.targets}
    assert others[odd] == Counter({"elsewhere": 1})
    assert elsewhere.name == "elsewhere"
    for target in reached.targets:
        deleted = ssm_server.request_count(
            DEREGISTER, account_id=target.account, region=target.region
        )
        assert deleted == (1 if target == odd else 0)


async def test_a_window_given_by_id_and_by_name_is_refused_naming_both_keys(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """In one account-Region, ``mw-...`` and ``name:window-1`` for the same window: one
    ValidationError naming both keys (the tasks of one would silently replace the other's);
    nothing is registered."""
    org = ssm_organization
    account, region = org.account_ids[0], org.regions[0]
    window_id = org.windows_of(account, region)[0]
    state = DesiredState(
        windows={window_id: {"task-1": lambda_task(1)}, "name:window-1": {"task-2": lambda_task(2)}}
    )
    one = Scope(accounts=[account], regions=[region], role_name=org.role_name)
    async with reach(ssm_server, one) as reached:
        plan = await plan_tasks(reached, state)
        mw = await reached.client(reached.targets[0])
        with pytest.raises(ValidationError) as caught:
            await plan_tasks(mw, state)
    (failed,) = plan.failed_targets
    assert isinstance(failed.error, ValidationError)
    message = (
        f"windows['name:window-1']: is window {window_id}, which windows[{window_id!r}] "
        "names too: give each window once"
    )
    assert str(failed.error).endswith(message)
    assert str(caught.value) == message
    assert ssm_server.request_count(REGISTER, account_id=account) == 0


async def test_window_ids_across_a_scope_are_refused_naming_the_key(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """A window id across six account-Regions: a ValidationError naming its key, nothing
    sent; across one account-Region, the id is planned as given."""
    org = ssm_organization
    account, region = org.account_ids[0], org.regions[0]
    window_id = org.windows_of(account, region)[0]
    state = DesiredState(windows={window_id: {"task-1": lambda_task(1)}})
    before = ssm_server.request_count(None)
    async with reach(ssm_server, whole_scope(org)) as reached:
        with pytest.raises(ValidationError) as caught:
            await plan_tasks(reached, state)
        with pytest.raises(ValidationError, match="a window id belongs to one account-Region"):
            await apply_plan(reached, state)
    assert str(caught.value) == (
        f"windows[{window_id!r}]: a window id belongs to one account-Region: across a scope, "
        "give the window by name (name:<window name>)"
    )
    assert ssm_server.request_count(None) == before
    one = Scope(accounts=[account], regions=[region], role_name=org.role_name)
    async with reach(ssm_server, one) as reached:
        plan = await plan_tasks(reached, state)
    assert [(t.target, t.window_id, t.window_key) for t in plan.tasks] == [
        (AccountRegion(account=account, region=region), window_id, None)
    ]
    with pytest.raises(ValidationError, match="per_target_concurrency"):
        await plan_tasks(reached, state, per_target_concurrency=0)


async def test_a_saved_plan_of_a_scope_round_trips_and_applies(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Saved and read back: the scope, each account-Region's summary (a failed one with its
    error) and each task's account and Region; applied with clients of its scope: the
    planned account-Regions are created, the failed one fails; applied again: stale in each
    account-Region, nothing sent."""
    org = ssm_organization
    denied = org.account_ids[0]
    state = scoped_state(None)
    ssm_server.deny_assume_role(denied)
    async with reach(ssm_server, whole_scope(org)) as reached:
        plan = await plan_tasks(reached, state)
    text = plan.dumps()
    data = json.loads(text)
    assert data["scope"] == {
        "accounts": list(org.account_ids),
        "regions": list(org.regions),
        "role_name": org.role_name,
    }
    assert [(t["account"], t["region"], t["status"]) for t in data["targets"]] == [
        (t.target.account, t.target.region, t.status.value) for t in plan.targets
    ]
    assert all({"account", "region", "window_key"} <= set(t) for t in data["tasks"])
    loaded = Plan.loads(text)
    assert loaded.saved
    assert loaded.scope == plan.scope
    assert loaded.tasks == plan.tasks
    assert [(t.target, t.status) for t in loaded.targets] == [
        (t.target, t.status) for t in plan.targets
    ]
    failed = [t for t in loaded.targets if not t.ok]
    assert {t.target.account for t in failed} == {denied}
    assert "sts:AssumeRole" in str(failed[0].error)
    assert loaded.scope is not None
    ssm_server.deny_assume_role(denied, denied=False)
    async with ScopedClients(
        loaded.scope,
        session=ssm_server.aio_session(),
        region_name=ssm_server.region_name,
        endpoint_url=ssm_server.endpoint_url,
    ) as reached:
        report = await apply_plan(reached, loaded)
        registers = ssm_server.request_count(REGISTER)
        stale = await apply_plan(reached, loaded)
        live = await live_names(reached, org)
    assert len(report.with_outcome(ApplyOutcome.CREATED)) == 8
    assert {s.target.account for s in report.failed_targets} == {denied}
    assert ssm_server.request_count(REGISTER) == registers  # the stale plan sent nothing
    assert {s.status for s in stale.targets} == {TargetStatus.FAILED}
    assert all(
        "the plan is stale" in str(s.error) or "sts:AssumeRole" in str(s.error)
        for s in stale.targets
    )
    assert {r.outcome for r in stale.results} == {ApplyOutcome.NOT_STARTED}
    assert {t: sum(c.values()) for t, c in live.items()} == {
        t: 0 if t.account == denied else 2 for t in reached.targets
    }


async def test_a_plan_on_one_client_keeps_its_saved_form(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Without a scope, a saved plan has no scope, targets, account or Region; a window
    given by name on one client is found there, and kept by its key."""
    org = ssm_organization
    account, region = org.account_ids[1], org.regions[1]
    one = Scope(accounts=[account], regions=[region], role_name=org.role_name)
    async with reach(ssm_server, one) as reached:
        mw = await reached.client(reached.targets[0])
        plan = await plan_tasks(mw, scoped_state(None, tasks=1))
        with pytest.raises(ValidationError, match="plan: a plan made across a scope"):
            await apply_plan(mw, await plan_tasks(reached, scoped_state(None, tasks=1)))
        with pytest.raises(WindowLookupError, match="no window named 'nowhere'"):
            await plan_tasks(mw, scoped_state(None, window="nowhere"))
        described = ssm_server.request_count(DESCRIBE)
        report = await apply_plan(mw, Plan.loads(plan.dumps()))
    assert ssm_server.request_count(DESCRIBE) > described  # the saved plan was read again
    assert report.ok
    (task,) = plan.tasks
    assert (task.target, task.window_key) == (None, "name:window-1")
    assert task.window_id == org.windows_of(account, region)[0]
    data = json.loads(plan.dumps())
    assert set(data) == {"format", "version", "ssm_mw_version", "desired", "prune", "tasks"}
    assert not {"account", "region"} & set(data["tasks"][0])
    assert plan.targets == ()
    assert plan.scope is None
