"""The organization options of a served backend (``--org-*``, ``--throttle-scope``), on both
command lines."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import pytest
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore.exceptions import ClientError

from ssm_mw.testing import start_served
from support.conformance import NO_RETRY, error_code

COMMANDS = {
    "python -m ssm_mw.testing": [sys.executable, "-m", "ssm_mw.testing"],
    "ssm-mw serve": [sys.executable, "-m", "ssm_mw.cli", "serve"],
}
ORG_ARGS = ["--org-accounts", "2", "--org-regions", "us-east-1,eu-west-1", "--org-windows", "2"]


def _read_until(process: subprocess.Popen[str], done: Any) -> list[str]:
    """Lines of stdout until ``done(lines)`` says so."""
    assert process.stdout is not None
    lines: list[str] = []
    while not done(lines):
        line = process.stdout.readline()
        assert line, process.communicate(timeout=30)
        lines.append(line.strip())
    return lines


async def _org_view(endpoint: str, account_ids: list[str]) -> dict[str, Any]:
    """ListAccounts' ids with the base credentials, and each member's window ids per Region."""
    base = AioSession()
    base.set_credentials("testing", "testing")
    config = AioConfig(retries=NO_RETRY)
    kwargs: dict[str, Any] = {"endpoint_url": endpoint, "config": config}
    view: dict[str, Any] = {}
    async with (
        base.create_client("organizations", region_name="us-east-1", **kwargs) as org,
        base.create_client("sts", region_name="us-east-1", **kwargs) as sts,
    ):
        view["accounts"] = [a["Id"] for a in (await org.list_accounts())["Accounts"]]
        for account_id in account_ids:
            role = f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"
            creds = (await sts.assume_role(RoleArn=role, RoleSessionName="serve"))["Credentials"]
            session = AioSession()
            session.set_credentials(
                creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]
            )
            for region in ("us-east-1", "eu-west-1"):
                async with session.create_client("ssm", region_name=region, **kwargs) as ssm:
                    found = await ssm.describe_maintenance_windows()
                view[f"{account_id} {region}"] = sorted(
                    w["WindowId"] for w in found["WindowIdentities"]
                )
    return view


def test_python_m_prints_the_organization_after_the_url() -> None:
    """The URL first, then organization, account and window lines, which say what exists."""
    process = subprocess.Popen(
        [*COMMANDS["python -m ssm_mw.testing"], *ORG_ARGS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    try:
        lines = _read_until(process, lambda ls: sum(x.startswith("window ") for x in ls) == 8)
        endpoint = lines[0]
        assert endpoint.startswith("http://")
        kinds = [line.split()[0] for line in lines[1:]]
        assert kinds == ["organization", "account", "account"] + ["window"] * 8
        members = [line.split()[1] for line in lines if line.startswith("account ")]
        management = lines[1].split()[3]
        windows: dict[str, list[str]] = {}
        for line in lines:
            if line.startswith("window "):
                _, account_id, region, window_id = line.split()
                windows.setdefault(f"{account_id} {region}", []).append(window_id)
        view = asyncio.run(_org_view(endpoint, members))
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert view.pop("accounts") == [management, *members]
    assert view == {key: sorted(ids) for key, ids in windows.items()}


def test_ssm_mw_serve_takes_the_organization_options() -> None:
    """`ssm-mw serve` with the same options serves the same organization."""
    process = subprocess.Popen(
        [*COMMANDS["ssm-mw serve"], "--windows", "0", *ORG_ARGS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    try:
        lines = _read_until(process, lambda ls: bool(ls) and ls[-1].startswith("try"))
        endpoint = next(x.split()[-1] for x in lines if x.startswith("endpoint:"))
        view = asyncio.run(_org_view(endpoint, []))
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert len(view["accounts"]) == 3
    kinds = [line.split(":", 1)[0] for line in lines]
    assert kinds.count("account") == 2, lines
    assert kinds.count("window") == 8, lines  # 2 accounts x 2 Regions x 2 windows
    assert kinds.count("organization") == 1, lines


def test_start_served_scopes_the_limit_to_one_account_and_region() -> None:
    """--throttle-scope ACCOUNT/REGION: only that account's requests in that Region are limited."""
    server, _ = start_served(
        {
            "throttle": 0.001,
            "throttle_burst": 1,
            "throttle_scope": "*/eu-west-1",
            "org_accounts": 1,
            "org_windows": 0,
        }
    )
    try:

        async def outcomes(region: str) -> list[str]:
            session = AioSession()
            session.set_credentials("testing", "testing")
            async with session.create_client(
                "ssm",
                region_name=region,
                endpoint_url=server.endpoint_url,
                config=AioConfig(retries=NO_RETRY),
            ) as ssm:
                found: list[str] = []
                for _ in range(2):
                    try:
                        await ssm.describe_maintenance_windows()
                        found.append("ok")
                    except ClientError as exc:
                        found.append(error_code(exc))
                return found

        assert asyncio.run(outcomes("us-east-1")) == ["ok", "ok"]
        assert asyncio.run(outcomes("eu-west-1")) == ["ok", "ThrottlingException"]
        assert server.throttled_count(region="eu-west-1") == 1
        assert server.organization is not None
        assert len(server.organization.accounts) == 1
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org-regions", "eu-west-1"], "--org-regions: needs --org-accounts N"),
        (["--org-windows", "3"], "--org-windows: needs --org-accounts N"),
        (["--throttle-scope", "*/eu-west-1"], "--throttle-scope: needs --throttle RATE"),
        (["--throttle", "1", "--throttle-scope", "eu-west-1"], "--throttle-scope: expected"),
        (["--throttle", "1", "--throttle-scope", "12/eu-west-1"], "--throttle-scope: account_id"),
        (["--org-accounts", "1", "--org-regions", "Europe"], "--org-regions: region must be"),
    ],
)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_organization_usage_errors_name_the_option(
    command: str, args: list[str], message: str
) -> None:
    """Exit 2 and the option named, on both command lines; nothing served."""
    result = subprocess.run([*COMMANDS[command], *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
