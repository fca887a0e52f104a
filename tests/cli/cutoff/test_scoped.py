"""``ssm-mw set-cutoff`` across accounts and Regions: windows by name, scope options before or
after the command, account and Region in every item, each failure isolated."""

from __future__ import annotations

import asyncio
import json

from ssm_mw import AccountRegion, CutoffBehavior
from ssm_mw.testing import EmbeddedSSMServer, Organization
from support.cli import Run
from support.org import reach, seed_tasks, whole_scope


def _seed(server: EmbeddedSSMServer, org: Organization) -> dict[AccountRegion, tuple[str, ...]]:
    async def seed() -> dict[AccountRegion, tuple[str, ...]]:
        async with reach(server, whole_scope(org)) as reached:
            return await seed_tasks(reached, org)

    return asyncio.run(seed())


def _scope_args(org: Organization) -> list[str]:
    accounts = ",".join(org.account_ids)
    return [
        "--accounts",
        accounts,
        "--role-name",
        org.role_name,
        "--regions",
        ",".join(org.regions),
    ]


def test_by_name_across_three_accounts_and_two_regions(
    run: Run, ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Scope options before the command: every task of window-1 changed, each JSON item with
    its account and Region, one summary per account-Region; again: all already set."""
    org = ssm_organization
    made = _seed(ssm_server, org)
    args = [*_scope_args(org), "set-cutoff", "CANCEL_TASK", "--window-name", "window-1"]
    result = run(*args, "-o", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert {(c["account"], c["region"], c["window_task_id"]) for c in report["changes"]} == {
        (t.account, t.region, task_id) for t, ids in made.items() for task_id in ids
    }
    assert [(t["status"], t["error"]) for t in report["targets"]] == [("ok", None)] * 6
    assert report["changed"] == 12
    again = run(*args)
    assert again.exit_code == 0, again.stderr
    assert "0 changed, 12 already set, 0 failed" in again.stdout
    assert "Accounts and Regions" in again.stdout
    assert "6 ok, 0 partial, 0 failed" in again.stdout


def test_after_the_command_and_a_failed_account_region(
    run: Run, ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """Scope options after the command win over those before it; a Region not enabled for
    one account is one `failed:` line, the others change; exit 1."""
    org = ssm_organization
    made = _seed(ssm_server, org)
    off = AccountRegion(account=org.account_ids[1], region=org.regions[1])
    ssm_server.disable_region(off.account or "", off.region)
    result = run(
        "--regions", "eu-north-1", "set-cutoff", "CANCEL_TASK", "--all-windows",
        *_scope_args(org), "-o", "json",
    )  # fmt: skip
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert {(c["account"], c["region"]) for c in report["changes"]} == {
        (t.account, t.region) for t in made if t != off
    }
    failed = [t for t in report["targets"] if t["status"] == "failed"]
    assert [(t["account"], t["region"], t["error"]["code"]) for t in failed] == [
        (off.account, off.region, "UnrecognizedClientException")
    ]
    assert result.stderr.splitlines() == [
        f"failed: {off}: {failed[0]['error']['message']}",
    ]


def test_without_scope_options_window_ids_are_as_before(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """No scope option: today's command, JSON items without account or Region."""
    result = run("set-cutoff", "CANCEL_TASK", maintenance_window_id, "-o", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert "targets" not in report
    assert CutoffBehavior.CANCEL_TASK.value == report["behavior"]


def test_shards_cover_each_account_region_once_an_empty_one_included(
    run: Run, ssm_server: EmbeddedSSMServer, ssm_organization: Organization
) -> None:
    """--shard K/8 for K = 1..8: the JSON reports' targets together are the 6 account-Regions,
    each once; a shard with none still reports `targets: []` and exits 0."""
    org = ssm_organization
    _seed(ssm_server, org)
    seen: list[tuple[str, str]] = []
    empty = 0
    for k in range(1, 9):
        result = run(
            *_scope_args(org), "--shard", f"{k}/8", "set-cutoff", "CANCEL_TASK", "--all-windows",
            "-o", "json",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        report = json.loads(result.stdout)
        seen += [(t["account"], t["region"]) for t in report["targets"]]
        empty += not report["targets"]
    assert sorted(seen) == sorted((a, r) for a in org.account_ids for r in org.regions)
    assert empty >= 2  # 6 account-Regions over 8 shards
