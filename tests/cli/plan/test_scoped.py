"""``ssm-mw plan`` across accounts and Regions: the file's ``scope:`` and the scope options
over it, windows by name, account and Region in every item, each failure isolated."""

from __future__ import annotations

import json
from pathlib import Path

from ssm_mw.testing import EmbeddedSSMServer, Organization
from support.cli import Run, assert_error_line
from support.operations import REGISTER
from support.org_plan import state_text


def _file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "tasks.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_plan_apply_plan_again_across_the_file_scope(
    run: Run, ssm_server: EmbeddedSSMServer, ssm_organization: Organization, tmp_path: Path
) -> None:
    """A file with name:window-1 and a scope of 3 accounts x 2 Regions: 12 to add, a table
    by account-Region, one ok summary each; applied; planned again: no changes."""
    org = ssm_organization
    path = _file(tmp_path, state_text(org))
    table = run("plan", path)
    assert table.exit_code == 0, table.stderr
    assert "Plan: 12 to add, 0 to change, 0 to delete." in table.stdout
    assert "Accounts and Regions" in table.stdout
    assert "6 ok, 0 partial, 0 failed" in table.stdout
    for account in org.account_ids:
        for region in org.regions:
            assert f"{account}  {region}" in table.stdout
            assert f"name:window-1 ({org.windows_of(account, region)[0]})" in table.stdout
    as_json = run("plan", path, "-o", "json")
    assert as_json.exit_code == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert {(t["account"], t["region"], t["window_key"], t["action"]) for t in data["tasks"]} == {
        (a, r, "name:window-1", "create") for a in org.account_ids for r in org.regions
    }
    assert len(data["tasks"]) == 12
    assert [(t["status"], t["error"]) for t in data["targets"]] == [("ok", None)] * 6
    applied = run("apply", path, "--yes")
    assert applied.exit_code == 0, applied.stderr
    assert "Apply: 12 created, 0 updated, 0 failed; 0 unchanged, 0 unmanaged." in applied.stdout
    again = run("plan", path, "--check")
    assert again.exit_code == 0, again.stderr
    assert "No changes." in again.stdout
    assert "6 ok, 0 partial, 0 failed" in again.stdout
    assert ssm_server.request_count(REGISTER, account_id=ssm_server.account_id) == 0


def test_options_win_over_the_file_scope_and_a_failure_is_one_line(
    run: Run, ssm_server: EmbeddedSSMServer, ssm_organization: Organization, tmp_path: Path
) -> None:
    """The file names one Region, --regions (before the command) two; a role that cannot
    be assumed fails its two account-Regions: one `failed:` line each, exit 1."""
    org = ssm_organization
    denied = org.account_ids[2]
    ssm_server.deny_assume_role(denied)
    path = _file(tmp_path, state_text(org, regions=[org.regions[0]]))
    result = run("--regions", ",".join(org.regions), "plan", path, "-o", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert len(data["targets"]) == 6
    failed = [t for t in data["targets"] if t["status"] == "failed"]
    assert [(t["account"], t["region"]) for t in failed] == [(denied, r) for r in org.regions]
    assert result.stderr.splitlines() == [
        f"failed: {denied}/{t['region']}: {t['error']['message']}" for t in failed
    ]
    assert "sts:AssumeRole" in failed[0]["error"]["message"]
    assert len(data["tasks"]) == 8


def test_window_names_without_a_scope_are_the_base_account_region(
    run: Run, ssm_server: EmbeddedSSMServer, tmp_path: Path
) -> None:
    """name: keys, no scope, no option: the base credentials' account and Region."""
    window_id = ssm_server.create_maintenance_window("base-window")
    path = _file(tmp_path, state_text(None, window="name:base-window", tasks=1))
    result = run("plan", path, "-o", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(t["account"], t["region"], t["window_id"]) for t in data["tasks"]] == [
        (None, ssm_server.region_name, window_id)
    ]
    missing = run("plan", _file(tmp_path, state_text(None, window="name:nowhere")))
    assert missing.exit_code == 1
    assert missing.stderr.splitlines() == [
        f"failed: default/{ssm_server.region_name}: no window named 'nowhere'"
    ]


def test_window_ids_across_several_account_regions_are_one_error_line(
    run: Run, ssm_server: EmbeddedSSMServer, ssm_organization: Organization, tmp_path: Path
) -> None:
    """A window id with the file's scope of six account-Regions: exit 2, one line naming
    the key, nothing sent; for apply too."""
    org = ssm_organization
    window_id = org.windows_of(org.account_ids[0], org.regions[0])[0]
    path = _file(tmp_path, state_text(org, window=window_id))
    before = ssm_server.request_count(None)
    for command in ("plan", "apply"):
        assert_error_line(
            run(command, path, "--yes") if command == "apply" else run(command, path),
            2,
            f"{path}: windows['{window_id}']: a window id belongs to one account and Region",
        )
    assert ssm_server.request_count(None) == before


def test_a_saved_plan_of_the_scope_applies_in_its_accounts(
    run: Run, ssm_server: EmbeddedSSMServer, ssm_organization: Organization, tmp_path: Path
) -> None:
    """plan --out keeps the scope: apply PLANFILE, with no scope option, reaches its six
    account-Regions and creates every task; applied again, every account-Region is stale."""
    org = ssm_organization
    path = _file(tmp_path, state_text(org))
    planfile = tmp_path / "tasks.plan"
    saved = run("plan", path, "--out", str(planfile))
    assert saved.exit_code == 0, saved.stderr
    assert json.loads(planfile.read_text())["scope"]["role_name"] == org.role_name
    applied = run("apply", str(planfile), "--yes", "-o", "json")
    assert applied.exit_code == 0, applied.stderr
    report = json.loads(applied.stdout)
    assert report["summary"]["created"] == 12
    assert {(t["account"], t["region"]) for t in report["tasks"]} == {
        (a, r) for a in org.account_ids for r in org.regions
    }
    registers = ssm_server.request_count(REGISTER)
    stale = run("apply", str(planfile), "--yes")
    assert stale.exit_code == 1
    lines = stale.stderr.splitlines()
    assert len(lines) == 6
    assert all(": the plan is stale, make a new one: " in line for line in lines)
    assert ssm_server.request_count(REGISTER) == registers
