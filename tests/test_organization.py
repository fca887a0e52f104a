"""ScopedClients and list_windows over the embedded backend's organization (real STS,
Organizations and SSM on one endpoint): windows by account and Region, faults isolated."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone

import pytest

from ssm_mw import (
    AccountRegion,
    LambdaParameters,
    Scope,
    ScopedClients,
    ServiceError,
    TaskDefinition,
    ValidationError,
    list_windows,
)
from ssm_mw.testing import EmbeddedSSMServer, Organization

_ASSUME = "sts:AssumeRole"


@asynccontextmanager
async def _reach(
    server: EmbeddedSSMServer, scope: Scope, **options: object
) -> AsyncIterator[ScopedClients]:
    """ScopedClients on the server, with its base credentials."""
    async with ScopedClients(
        scope,
        session=server.aio_session(),
        region_name=server.region_name,
        endpoint_url=server.endpoint_url,
        **options,  # type: ignore[arg-type]
    ) as reach:
        yield reach


def _expected(organization: Organization, name: str | None = None) -> set[tuple[str, str, str]]:
    """(account, Region, window id) of every member window (named ``name``)."""
    return {
        (account, region, window_id)
        for (account, region), ids in organization.windows.items()
        for n, window_id in enumerate(ids, 1)
        if name is None or name == f"window-{n}"
    }


async def test_the_organization_s_windows_by_account_and_region(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """--organization over two Regions: every member window, each role assumed once."""
    org = ssm_organization
    scope = Scope(organization=True, role_name=org.role_name, regions=org.regions)
    async with _reach(ssm_server, scope) as reach:
        assert {t.account for t in reach.targets} >= set(org.account_ids)
        report = await list_windows(reach)
    assert report.ok, [(t.target, t.error) for t in report.failed]
    found = {(w.target.account, w.target.region, w.window.window_id) for w in report.windows}
    members = {f for f in found if f[0] in org.account_ids}
    assert members == _expected(org)
    assert all(w.task_count == 0 for w in report.windows)
    # One AssumeRole per account reached, whatever the number of its Regions.
    assert ssm_server.request_count(_ASSUME) == len(reach.targets) // len(org.regions)


async def test_names_filter_and_task_counts(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Windows by name; a task registered through the scope's client is counted."""
    org = ssm_organization
    account = org.account_ids[0]
    region = org.regions[0]
    scope = Scope(accounts=[account], role_name=org.role_name, regions=[region])
    async with _reach(ssm_server, scope) as reach:
        (target,) = reach.targets
        assert target == AccountRegion(account=account, region=region)
        mw = await reach.client(target)
        window_id = org.windows[(account, region)][0]
        definition = TaskDefinition(
            task_arn=f"arn:aws:lambda:{region}:{account}:function:f",
            task_invocation_parameters=LambdaParameters(),
        )
        await mw.register_task_with_maintenance_window(window_id, definition)
        report = await list_windows(reach, names=["window-1"])
    assert [(w.window.window_id, w.window.name, w.task_count) for w in report.windows] == [
        (window_id, "window-1", 1)
    ]
    # The window is the member account's: the base credentials do not see it.
    async with _reach(ssm_server, Scope(regions=[region])) as base:
        own = await list_windows(base)
    assert window_id not in {w.window.window_id for w in own.windows}


async def test_a_denied_role_and_a_disabled_region_fail_only_their_pairs(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Each fault fails its own account-Region pairs, with the real error; the others list."""
    org = ssm_organization
    denied, disabled, fine = org.account_ids
    other_region = org.regions[1]
    ssm_server.deny_assume_role(denied)
    ssm_server.disable_region(disabled, other_region)
    scope = Scope(accounts=org.account_ids, role_name=org.role_name, regions=org.regions)
    async with _reach(ssm_server, scope) as reach:
        report = await list_windows(reach)
    failed = {t.target: t.error for t in report.failed}
    assert set(failed) == {
        AccountRegion(account=denied, region=org.regions[0]),
        AccountRegion(account=denied, region=other_region),
        AccountRegion(account=disabled, region=other_region),
    }
    assert "AccessDenied" in str(failed[AccountRegion(account=denied, region=other_region)])
    region_error = failed[AccountRegion(account=disabled, region=other_region)]
    assert isinstance(region_error, ServiceError)
    assert region_error.code == "UnrecognizedClientException"
    listed = {(w.target.account, w.target.region, w.window.window_id) for w in report.windows}
    assert listed == {
        f for f in _expected(org) if f[0] == fine or (f[0] == disabled and f[1] != other_region)
    }
    assert not report.ok


async def test_assumed_credentials_are_refreshed_before_they_expire(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """On an injected clock: 30 minutes on, no new AssumeRole; 50 minutes on (10 before
    the hour's credentials expire), the role is assumed again and the listing works."""
    org = ssm_organization
    now = [datetime.now(timezone.utc)]
    scope = Scope(accounts=org.account_ids[:1], role_name=org.role_name, regions=org.regions[:1])
    async with _reach(ssm_server, scope, clock=lambda: now[0]) as reach:
        await list_windows(reach)
        first = ssm_server.request_count(_ASSUME)
        now[0] += timedelta(minutes=30)
        await list_windows(reach)
        assert ssm_server.request_count(_ASSUME) == first
        # 10 minutes before expiry: assumed again before the call. (The server's clock is
        # not moved: new credentials look as old to this clock, and each request refreshes.)
        now[0] += timedelta(minutes=20)
        report = await list_windows(reach)
        assert ssm_server.request_count(_ASSUME) > first
    assert report.ok


async def test_a_shard_lists_only_its_pairs(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Two shards together list every pair once."""
    org = ssm_organization
    seen: list[AccountRegion] = []
    for k in (1, 2):
        scope = Scope(
            accounts=org.account_ids, role_name=org.role_name, regions=org.regions, shard=(k, 2)
        )
        async with _reach(ssm_server, scope) as reach:
            report = await list_windows(reach)
        assert report.ok
        seen += [t.target for t in report.targets]
    assert sorted(seen) == sorted(
        AccountRegion(account=a, region=r) for a in org.account_ids for r in org.regions
    )


async def test_the_default_scope_is_the_base_account_and_region(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Scope(): the base credentials' one account-Region, no AssumeRole."""
    async with _reach(ssm_server, Scope()) as reach:
        assert reach.targets == (AccountRegion(account=None, region=ssm_server.region_name),)
        report = await list_windows(reach)
    assert maintenance_window_id in {w.window.window_id for w in report.windows}
    assert ssm_server.request_count(_ASSUME) == 0


def test_bad_options_name_the_field() -> None:
    """A scope that is not one, a duration out of range: ValidationError, nothing sent."""
    with pytest.raises(ValidationError, match="scope"):
        ScopedClients("all")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="role_duration"):
        ScopedClients(Scope(), role_duration=60)


async def test_organizational_units_select_their_accounts_nested_ones_included() -> None:
    """--organization with --ou Prod: the accounts in Prod and in Prod/Web, not Dev's, not the
    root's; with --ou Dev too, Dev's as well."""
    with EmbeddedSSMServer() as server:
        org = server.create_organization(
            5, ous={"Prod/Web": 2, "Prod": 1, "Dev": 1}, windows_per_region=0
        )
        prod, dev = org.unit("Prod").id, org.unit("Dev").id

        async def accounts(*ous: str) -> set[str | None]:
            scope = Scope(organization=True, ous=ous, role_name=org.role_name)
            async with _reach(server, scope) as reach:
                return {t.account for t in reach.targets}

        assert await accounts(prod) == {*org.accounts_in("Prod"), *org.accounts_in("Prod/Web")}
        assert await accounts(prod, dev) == {
            *org.accounts_in("Prod"), *org.accounts_in("Prod/Web"), *org.accounts_in("Dev"),
        }  # fmt: skip
        assert await accounts(org.unit("Prod/Web").id) == set(org.accounts_in("Prod/Web"))
        every = await accounts()  # no OU: every ACTIVE account, the management one included
        assert every == {server.account_id, *org.account_ids}
