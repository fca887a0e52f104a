"""An organization on one endpoint: STS and Organizations beside SSM, requests in the account
of their credentials, limits and faults per account and Region. Real HTTP, aiobotocore."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from ssm_mw.testing import EmbeddedSSMServer, Organization
from support.conformance import error_code
from support.operations import NEW_WINDOW
from support.org import assume, client

INVALID_TOKEN = "The security token included in the request is invalid."


class FrozenClock:
    """A clock that does not move: a bucket never refills."""

    def __call__(self) -> float:
        return 0.0


async def _window_names(
    server: EmbeddedSSMServer, credentials: dict[str, Any] | None, region: str
) -> dict[str, str]:
    """Window id -> name, as DescribeMaintenanceWindows answers these credentials in ``region``."""
    async with client(server, "ssm", credentials, region) as ssm:
        answer = await ssm.describe_maintenance_windows()
    return {w["WindowId"]: w["Name"] for w in answer["WindowIdentities"]}


async def _outcome(call: Any) -> str:
    try:
        await call
    except ClientError as exc:
        return error_code(exc)
    return "ok"


async def test_assumed_credentials_act_in_the_roles_account(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """GetCallerIdentity answers the role's account and an assumed-role ARN; a window made
    with those credentials is in that account only."""
    member = ssm_organization.account_ids[0]
    credentials = await assume(ssm_server, ssm_organization.role_arn(member), session_name="ops")
    async with client(ssm_server, "sts", credentials) as sts:
        identity = await sts.get_caller_identity()
    assert identity["Account"] == member
    assert (
        identity["Arn"] == f"arn:aws:sts::{member}:assumed-role/OrganizationAccountAccessRole/ops"
    )
    async with client(ssm_server, "sts") as sts:
        base = await sts.get_caller_identity()
    assert base["Account"] == ssm_server.account_id

    async with client(ssm_server, "ssm", credentials) as ssm:
        made = await ssm.create_maintenance_window(Name="made-by-member", **NEW_WINDOW)
    region = ssm_server.region_name
    listed = await _window_names(ssm_server, credentials, region)
    assert listed[made["WindowId"]] == "made-by-member"
    assert set(listed) == {made["WindowId"], *ssm_organization.windows_of(member, region)}
    assert await _window_names(ssm_server, None, region) == {}
    other = ssm_organization.account_ids[1]
    others = await assume(ssm_server, ssm_organization.role_arn(other))
    assert made["WindowId"] not in await _window_names(ssm_server, others, region)


async def test_each_account_and_region_sees_only_its_own_windows(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """3 accounts x 2 Regions x 2 windows: each pair lists exactly its own; the base
    credentials list none."""
    assert len(ssm_organization.regions) == 2
    seen: set[str] = set()
    for member in ssm_organization.account_ids:
        credentials = await assume(ssm_server, ssm_organization.role_arn(member))
        for region in ssm_organization.regions:
            expected = ssm_organization.windows_of(member, region)
            assert len(expected) == 2
            listed = await _window_names(ssm_server, credentials, region)
            assert listed == dict(zip(expected, ("window-1", "window-2"), strict=True))
            seen.update(listed)
    assert len(seen) == 12
    for region in ssm_organization.regions:
        assert await _window_names(ssm_server, None, region) == {}


async def test_reset_keeps_the_organization_and_clears_its_windows(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """After reset the members are still there and their windows gone; populate makes new ones."""
    member = ssm_organization.account_ids[2]
    credentials = await assume(ssm_server, ssm_organization.role_arn(member))
    ssm_server.reset()
    region = ssm_server.region_name
    assert await _window_names(ssm_server, credentials, region) == {}
    assert ssm_server.organization is not None
    assert ssm_server.organization.windows == {}
    again = ssm_server.populate_organization(1, regions=[region])
    assert again.account_ids == ssm_organization.account_ids
    assert list((await _window_names(ssm_server, credentials, region)).values()) == ["window-1"]


async def test_list_accounts_pages_through_the_management_and_member_accounts(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """ListAccounts with MaxResults=2: two pages, the management account first; DescribeOrganization
    and ListRoots answer the same organization from a member account."""
    async with client(ssm_server, "organizations") as org:
        pages = [
            page
            async for page in org.get_paginator("list_accounts").paginate(
                PaginationConfig={"PageSize": 2}
            )
        ]
        described = await org.describe_organization()
    assert [len(p["Accounts"]) for p in pages] == [2, 2]
    ids = [a["Id"] for p in pages for a in p["Accounts"]]
    assert ids == [ssm_server.account_id, *ssm_organization.account_ids]
    assert described["Organization"]["Id"] == ssm_organization.id
    assert described["Organization"]["MasterAccountId"] == ssm_server.account_id
    member = ssm_organization.account_ids[0]
    credentials = await assume(ssm_server, ssm_organization.role_arn(member))
    async with client(ssm_server, "organizations", credentials) as org:
        from_member = await org.describe_organization()
        roots = await org.list_roots()
    assert from_member["Organization"]["Id"] == ssm_organization.id
    assert [r["Id"] for r in roots["Roots"]] == [ssm_organization.root_id]


async def test_accounts_by_organizational_unit_nested() -> None:
    """Units (one nested) hold the accounts ous placed; ListAccountsForParent pages."""
    with EmbeddedSSMServer() as server:
        organization = server.create_organization(
            5, ous={"Prod/Web": 2, "Prod": 1, "Dev": 1}, windows_per_region=0
        )
        prod, web, dev = (organization.unit(p) for p in ("Prod", "Prod/Web", "Dev"))
        assert web.parent_id == prod.id
        assert prod.parent_id == dev.parent_id == organization.root_id
        async with client(server, "organizations") as org:
            roots = await org.list_roots()
            assert [r["Id"] for r in roots["Roots"]] == [organization.root_id]
            top = await org.list_organizational_units_for_parent(ParentId=organization.root_id)
            assert sorted(u["Name"] for u in top["OrganizationalUnits"]) == ["Dev", "Prod"]
            nested = await org.list_organizational_units_for_parent(ParentId=prod.id)
            assert [u["Id"] for u in nested["OrganizationalUnits"]] == [web.id]
            pages = [
                page
                async for page in org.get_paginator("list_accounts_for_parent").paginate(
                    ParentId=web.id, PaginationConfig={"PageSize": 1}
                )
            ]
            in_web = [a["Id"] for p in pages for a in p["Accounts"]]
            assert len(pages) == 2
            assert sorted(in_web) == sorted(organization.accounts_in("Prod/Web"))
            in_prod = await org.list_accounts_for_parent(ParentId=prod.id)
            assert [a["Id"] for a in in_prod["Accounts"]] == list(organization.accounts_in("Prod"))
            in_root = await org.list_accounts_for_parent(ParentId=organization.root_id)
            assert {a["Id"] for a in in_root["Accounts"]} == {
                server.account_id,
                *organization.accounts_in("Root"),
            }
        assert [len(organization.accounts_in(p)) for p in ("Prod/Web", "Prod", "Dev", "Root")] == [
            2,
            1,
            1,
            1,
        ]


async def test_a_limit_on_one_account_and_region_throttles_no_other(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """A bucket of one request for (member A, Region 1): A's second request there is refused;
    A in Region 2, member B in Region 1 and the base credentials are not."""
    first, second = ssm_organization.account_ids[:2]
    here, there = ssm_organization.regions
    ssm_server.throttle(1, burst=1, account_id=first, region=here, clock=FrozenClock())
    a = await assume(ssm_server, ssm_organization.role_arn(first))
    b = await assume(ssm_server, ssm_organization.role_arn(second))

    async def twice(credentials: dict[str, Any] | None, region: str) -> list[str]:
        async with client(ssm_server, "ssm", credentials, region) as ssm:
            return [await _outcome(ssm.describe_maintenance_windows()) for _ in range(2)]

    assert await twice(a, here) == ["ok", "ThrottlingException"]
    assert await twice(a, there) == ["ok", "ok"]
    assert await twice(b, here) == ["ok", "ok"]
    assert await twice(None, here) == ["ok", "ok"]
    assert ssm_server.throttled_count(account_id=first, region=here) == 1
    assert ssm_server.throttled_count(account_id=first, region=there) == 0
    assert ssm_server.throttled_count(account_id=second) == 0
    assert ssm_server.request_count("DescribeMaintenanceWindows", account_id=first) == 4


async def test_sts_and_organizations_are_throttled_in_their_own_words(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """STS answers a burst with Throttling, Organizations with TooManyRequestsException."""
    clock = FrozenClock()
    ssm_server.throttle(1, burst=1, operation="sts:GetCallerIdentity", clock=clock)
    ssm_server.throttle(1, burst=1, operation="organizations:ListAccounts", clock=clock)
    async with client(ssm_server, "sts") as sts, client(ssm_server, "organizations") as org:
        assert await _outcome(sts.get_caller_identity()) == "ok"
        with pytest.raises(ClientError) as sts_refusal:
            await sts.get_caller_identity()
        assert await _outcome(org.list_accounts()) == "ok"
        with pytest.raises(ClientError) as org_refusal:
            await org.list_accounts()
        assert await _outcome(org.list_roots()) == "ok"
    assert sts_refusal.value.response["Error"]["Code"] == "Throttling"
    assert sts_refusal.value.response["Error"]["Message"] == "Rate exceeded"
    assert org_refusal.value.response["Error"]["Code"] == "TooManyRequestsException"
    for refusal in (sts_refusal, org_refusal):
        assert refusal.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert ssm_server.throttled_count("sts:GetCallerIdentity") == 1
    assert ssm_server.request_count("organizations:ListAccounts") == 2


async def test_an_injected_sts_fault_is_an_sts_error(ssm_server: EmbeddedSSMServer) -> None:
    """inject_fault on an STS operation answers in STS's XML error format."""
    ssm_server.inject_fault("sts:AssumeRole", "RegionDisabledException", status=403)
    async with client(ssm_server, "sts") as sts:
        with pytest.raises(ClientError) as caught:
            await sts.assume_role(RoleArn="arn:aws:iam::222222222222:role/X", RoleSessionName="tt")
        assert (
            await _outcome(
                sts.assume_role(RoleArn="arn:aws:iam::222222222222:role/X", RoleSessionName="tt")
            )
            == "ok"
        )
    assert caught.value.response["Error"]["Code"] == "RegionDisabledException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(ValueError, match="unknown SSM operation 'AssumeRole'"):
        ssm_server.inject_fault("AssumeRole", "X")


async def test_a_denied_assume_role_is_access_denied_in_the_services_words(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """AssumeRole into a denied account: HTTP 403 AccessDenied naming the caller and the role;
    other accounts still pass; undone by denied=False and by reset."""
    first, second, third = ssm_organization.account_ids
    ssm_server.deny_assume_role(second)
    via = await assume(ssm_server, ssm_organization.role_arn(first), session_name="hop")
    role = ssm_organization.role_arn(second)
    async with client(ssm_server, "sts") as sts:
        base_arn = (await sts.get_caller_identity())["Arn"]
        with pytest.raises(ClientError) as from_base:
            await sts.assume_role(RoleArn=role, RoleSessionName="tt")
    async with client(ssm_server, "sts", via) as sts:
        with pytest.raises(ClientError) as from_member:
            await sts.assume_role(RoleArn=role, RoleSessionName="tt")
    assert from_base.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert from_base.value.response["Error"]["Code"] == "AccessDenied"
    assert from_base.value.response["Error"]["Message"] == (
        f"User: {base_arn} is not authorized to perform: sts:AssumeRole on resource: {role}"
    )
    assert from_member.value.response["Error"]["Message"] == (
        f"User: arn:aws:sts::{first}:assumed-role/OrganizationAccountAccessRole/hop "
        f"is not authorized to perform: sts:AssumeRole on resource: {role}"
    )
    await assume(ssm_server, ssm_organization.role_arn(third))
    ssm_server.deny_assume_role(second, denied=False)
    await assume(ssm_server, role)
    ssm_server.deny_assume_role(second)
    ssm_server.reset()
    await assume(ssm_server, role)


async def test_a_region_not_enabled_refuses_every_request_of_the_account_there(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """SSM: HTTP 400 UnrecognizedClientException; STS: HTTP 403 InvalidClientTokenId; the same
    message. The account's other Region and the other accounts are unaffected."""
    member, other = ssm_organization.account_ids[:2]
    here, there = ssm_organization.regions
    ssm_server.disable_region(member, there)
    credentials = await assume(ssm_server, ssm_organization.role_arn(member))
    async with client(ssm_server, "ssm", credentials, there) as ssm:
        with pytest.raises(ClientError) as ssm_refusal:
            await ssm.describe_maintenance_windows()
    async with client(ssm_server, "sts", credentials, there) as sts:
        with pytest.raises(ClientError) as sts_refusal:
            await sts.get_caller_identity()
    assert ssm_refusal.value.response["Error"] == {
        "Code": "UnrecognizedClientException",
        "Message": INVALID_TOKEN,
    }
    assert ssm_refusal.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert sts_refusal.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert sts_refusal.value.response["Error"]["Message"] == INVALID_TOKEN
    assert sts_refusal.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert len(await _window_names(ssm_server, credentials, here)) == 2
    others = await assume(ssm_server, ssm_organization.role_arn(other))
    assert len(await _window_names(ssm_server, others, there)) == 2
    ssm_server.disable_region(member, there, disabled=False)
    assert len(await _window_names(ssm_server, credentials, there)) == 2
    ssm_server.disable_region(member, there)
    ssm_server.reset()
    assert await _window_names(ssm_server, credentials, there) == {}


async def test_two_servers_in_one_process_stay_apart() -> None:
    """A key issued by one server is the base credentials on another; neither sees the
    other's organization or windows."""
    with EmbeddedSSMServer() as one, EmbeddedSSMServer() as two:
        organization = one.create_organization(2)
        member = organization.account_ids[0]
        credentials = await assume(one, organization.role_arn(member))
        two.create_maintenance_window(name="two's")
        async with client(two, "sts", credentials) as sts:
            assert (await sts.get_caller_identity())["Account"] == two.account_id
        assert list((await _window_names(two, credentials, two.region_name)).values()) == ["two's"]
        assert list((await _window_names(one, credentials, one.region_name)).values()) == [
            "window-1"
        ]
        async with client(two, "organizations") as org:
            with pytest.raises(ClientError) as caught:
                await org.describe_organization()
            assert (await org.list_accounts())["Accounts"] == []
        assert error_code(caught.value) == "AWSOrganizationsNotInUseException"
        assert member not in two.account_ids
    assert one.organization is None


def test_window_helper_takes_an_account_and_a_region() -> None:
    """create_maintenance_window(account_id=, region=) puts the window there; the account
    becomes one of the server's; bad arguments name what is wrong."""
    server = EmbeddedSSMServer(account_id="111111111111")
    window_id = server.create_maintenance_window(
        name="elsewhere", account_id="222222222222", region="eu-west-1"
    )
    assert server.account_ids == ("111111111111", "222222222222")
    assert window_id in server._backend("222222222222", "eu-west-1").windows
    assert window_id not in server._backend().windows
    server.reset()
    assert server._backend("222222222222", "eu-west-1").windows == {}
    with pytest.raises(ValueError, match="account_id must be a 12-digit"):
        server.create_maintenance_window(account_id="2222")
    with pytest.raises(ValueError, match="region must be a Region name"):
        server.create_maintenance_window(region="Europe")
    with pytest.raises(ValueError, match="ous place 3 accounts, more than accounts=2"):
        server.create_organization(2, ous={"A": 3})
    with pytest.raises(ValueError, match="unit path"):
        server.create_organization(2, ous={"A//B": 1})
    with pytest.raises(ValueError, match="account_id must be a 12-digit"):
        server.throttle(1, account_id="me")


async def test_a_second_organization_is_refused_and_moto_account_id_does_not_pin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One organization per server. With MOTO_ACCOUNT_ID set (the server's account), assumed
    credentials still act in the role's account."""
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "123456789012")
    with EmbeddedSSMServer() as server:
        assert server.account_id == "123456789012"
        organization = server.create_organization(1)
        with pytest.raises(RuntimeError, match="already has an organization"):
            server.create_organization(1)
        member = organization.account_ids[0]
        credentials = await assume(server, organization.role_arn(member))
        async with client(server, "sts", credentials) as sts:
            assert (await sts.get_caller_identity())["Account"] == member
        listed = await _window_names(server, credentials, server.region_name)
        assert list(listed) == list(organization.windows_of(member, server.region_name))


def test_lines_describe_the_organization() -> None:
    """lines(): the organization, its units, accounts and windows, one a line."""
    with EmbeddedSSMServer() as server:
        organization = server.create_organization(
            2, ous={"Prod": 1}, regions=["us-east-1", "eu-west-1"], windows_per_region=1
        )
    lines = organization.lines()
    prod = organization.unit("Prod")
    first, second = organization.accounts
    assert lines[:4] == [
        f"organization {organization.id} {organization.root_id} {server.account_id}",
        f"unit {prod.id} Prod",
        f"account {first.account_id} Prod {first.role_arn}",
        f"account {second.account_id} Root {second.role_arn}",
    ]
    windows = [line.split() for line in lines[4:]]
    assert [(w[0], w[1], w[2]) for w in windows] == [
        ("window", a, r) for a in organization.account_ids for r in ("us-east-1", "eu-west-1")
    ]
    assert all(w[3].startswith("mw-") for w in windows)
