"""``ssm-mw export`` across accounts and Regions: windows by name, one file with its `scope:`,
`differs:` and `failed:` lines with account and Region, a summary, nothing written when
interrupted."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import yaml

from ssm_mw import AccountRegion, TaskUpdate, load_desired_state
from ssm_mw.testing import EmbeddedSSMServer, Organization
from support.aws_env import bare_env, dummy_aws_env
from support.cli import Run, assert_error_line, interrupt
from support.org import reach, whole_scope
from support.org_export import same_tasks, seed_same_tasks, window_id

GET = "GetMaintenanceWindowTask"


def _seed(server: EmbeddedSSMServer, org: Organization) -> dict[AccountRegion, dict[str, str]]:
    async def seed() -> dict[AccountRegion, dict[str, str]]:
        async with reach(server, whole_scope(org)) as reached:
            made = await seed_same_tasks(reached, org)
            await seed_same_tasks(reached, org, window=2)
            return made

    return asyncio.run(seed())


def _scope_args(org: Organization) -> list[str]:
    return [
        "--accounts", ",".join(org.account_ids),
        "--role-name", org.role_name,
        "--regions", ",".join(org.regions),
    ]  # fmt: skip


def _targets(org: Organization) -> list[AccountRegion]:
    """The account-Regions of :func:`_scope_args`, in the scope's order."""
    return [AccountRegion(account=a, region=r) for a in org.account_ids for r in org.regions]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_same_tasks_everywhere_export_to_one_file(
    run: Run,
    ssm_server: EmbeddedSSMServer,
    ssm_organization: Organization,
    tmp_path: Path,
    fmt: str,
) -> None:
    """Scope options before the command: one file with `scope:` and `name:window-1`, read
    back by load_desired_state; a summary of six ok account-Regions on stderr; only
    window-1 was read."""
    org = ssm_organization
    _seed(ssm_server, org)
    before = ssm_server.request_count(GET)
    result = run(*_scope_args(org), "export", "--window-name", "window-1", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert ssm_server.request_count(GET) - before == 12
    data = json.loads(result.stdout) if fmt == "json" else yaml.safe_load(result.stdout)
    assert data["scope"] == {
        "accounts": list(org.account_ids),
        "regions": list(org.regions),
        "role_name": org.role_name,
    }
    assert list(data["windows"]) == ["name:window-1"]
    path = tmp_path / f"exported.{fmt}"
    path.write_text(result.stdout, encoding="utf-8")
    loaded = load_desired_state(path)
    assert loaded.scope == whole_scope(org)
    assert dict(loaded.windows) == {"name:window-1": same_tasks()}
    assert "6 ok, 0 partial, 0 failed" in result.stderr
    assert not [line for line in result.stderr.splitlines() if line.startswith("differs:")]
    assert "sensitive values (2 tasks)" in result.stderr


def test_differences_and_a_failed_account_region(
    run: Run, ssm_server: EmbeddedSSMServer, ssm_organization: Organization, tmp_path: Path
) -> None:
    """A changed task, a missing one and a Region not enabled: one `differs:` line each,
    one `failed:` line, the first account-Region's tasks in the file; exit 1. Scope
    options after the command win over those before it."""
    org = ssm_organization
    made = _seed(ssm_server, org)
    targets = _targets(org)
    changed, gone, off = targets[1], targets[2], targets[5]
    assert off.account is not None

    async def drift() -> None:
        async with reach(ssm_server, whole_scope(org)) as reached:
            mw = await reached.client(changed)
            await mw.update_maintenance_window_task(
                window_id(org, changed), made[changed]["restart"], TaskUpdate(priority=9)
            )
            mw = await reached.client(gone)
            await mw.deregister_task_from_maintenance_window(
                window_id(org, gone), made[gone]["patch"]
            )

    asyncio.run(drift())
    ssm_server.disable_region(off.account, off.region)
    result = run(
        "--regions", "eu-north-1", "export", "--window-name", "window-1", *_scope_args(org),
    )  # fmt: skip
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith("differs:")] == [
        f"differs: {changed} name:window-1 restart: Priority",
        f"differs: {gone} name:window-1 patch: missing here (planning creates it)",
    ]
    (failed,) = [line for line in lines if line.startswith("failed:")]
    assert failed.startswith(f"failed: {off}: ")
    assert "UnrecognizedClientException" in failed
    assert "5 ok, 0 partial, 1 failed" in result.stderr
    path = tmp_path / "exported.yaml"
    path.write_text(result.stdout, encoding="utf-8")
    assert dict(load_desired_state(path).windows) == {"name:window-1": same_tasks()}


def test_all_windows_and_a_single_account_region_by_id(
    run: Run, ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """--all-windows: both windows by name. One account-Region: window ids as given, the
    file keyed by id with its scope."""
    org = ssm_organization
    _seed(ssm_server, org)
    every = run("export", "--all-windows", *_scope_args(org), "--format", "json")
    assert every.exit_code == 0, every.stderr
    assert list(json.loads(every.stdout)["windows"]) == ["name:window-1", "name:window-2"]
    one = _targets(org)[3]
    assert one.account is not None
    single = [
        "--accounts", one.account, "--role-name", org.role_name, "--regions", one.region,
    ]  # fmt: skip
    by_id = run("export", window_id(org, one), *single, "--format", "json")
    assert by_id.exit_code == 0, by_id.stderr
    data = json.loads(by_id.stdout)
    assert list(data["windows"]) == [window_id(org, one)]
    assert data["scope"]["accounts"] == [one.account]
    assert "1 ok, 0 partial, 0 failed" in by_id.stderr


def test_window_ids_across_accounts_before_the_command(
    run: Run, ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Window ids with a scope of three accounts given before the command: refused, nothing
    sent."""
    org = ssm_organization
    before = ssm_server.request_count(None)
    result = run(*_scope_args(org), "export", org.windows_of(org.account_ids[0], org.regions[0])[0])
    assert_error_line(result, 2, "WINDOW_ID: a window id belongs to one account and Region")
    assert ssm_server.request_count(None) == before


def test_interrupted_writes_nothing(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization, tmp_path: Path
) -> None:
    """SIGINT while the tasks are read: nothing on stdout, one line saying so, exit 130."""
    org = ssm_organization
    _seed(ssm_server, org)
    ssm_server.inject_latency(0.3, operation=GET)
    before = ssm_server.request_count(GET)
    env = bare_env(tmp_path, **dummy_aws_env(tmp_path), TERM="dumb", COLUMNS="200")
    result = interrupt(
        ssm_server,
        ["export", "--window-name", "window-1", *_scope_args(org), "--per-target-concurrency", "1"],
        env,
        operation=GET,
        when=lambda: ssm_server.request_count(GET) > before,
    )
    assert result.returncode == 130, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["interrupted: nothing was written"]
