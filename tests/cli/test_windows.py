"""``ssm-mw windows list`` on the embedded backend's organization: every account and Region."""

from __future__ import annotations

import json
from pathlib import Path

from ssm_mw.testing import EmbeddedSSMServer, Organization
from support.cli import Run, assert_error_line


def _scope_args(org: Organization) -> list[str]:
    return ["--organization", "--role-name", org.role_name, "--regions", ",".join(org.regions)]


def test_windows_list_gives_every_member_window_with_account_and_region(
    run: Run, ssm_organization: Organization
) -> None:
    """-o json: one item per window, with account, Region, id, name, enabled, schedule, tasks."""
    org = ssm_organization
    result = run("windows", "list", *_scope_args(org), "-o", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert set(rows[0]) == {
        "account", "region", "window_id", "name", "enabled", "schedule", "tasks",
    }  # fmt: skip
    members = {
        (r["account"], r["region"], r["window_id"]) for r in rows if r["account"] in org.account_ids
    }
    assert members == {
        (account, region, window_id)
        for (account, region), ids in org.windows.items()
        for window_id in ids
    }
    named = run("windows", "list", *_scope_args(org), "--name", "window-2", "-o", "json")
    assert {r["name"] for r in json.loads(named.stdout)} == {"window-2"}
    table = run("windows", "list", *_scope_args(org))
    assert table.exit_code == 0, table.stderr
    assert table.stdout.splitlines()[-1] == f"{len(rows)} windows."


def test_a_denied_account_is_a_failed_line_and_the_others_are_listed(
    run: Run, ssm_server: EmbeddedSSMServer, ssm_organization: Organization, tmp_path: Path
) -> None:
    """--accounts-file (with a comment); one account's role denied: its pairs fail, exit 1."""
    org = ssm_organization
    denied = org.account_ids[0]
    ssm_server.deny_assume_role(denied)
    accounts = tmp_path / "accounts.txt"
    accounts.write_text(
        "# the members\n" + "\n".join(f"{a}  # member" for a in org.account_ids) + "\n\n",
        encoding="utf-8",
    )
    result = run(
        "windows", "list", "--accounts-file", str(accounts), "--role-name", org.role_name,
        "--regions", ",".join(org.regions), "-o", "json",
    )  # fmt: skip
    assert result.exit_code == 1
    failed = sorted(line for line in result.stderr.splitlines() if line.startswith("failed: "))
    assert [line.split(":", 2)[1].strip() for line in failed] == sorted(
        f"{denied}/{region}" for region in org.regions
    )
    assert all("AccessDenied" in line for line in failed)
    assert {r["account"] for r in json.loads(result.stdout)} == set(org.account_ids[1:])
    assert "Traceback" not in result.stderr


def test_a_bad_scope_is_a_usage_error_naming_the_option(run: Run, tmp_path: Path) -> None:
    """Each scope mistake is one line naming the option; nothing is sent."""
    assert_error_line(
        run("windows", "list", "--accounts", "123", "--role-name", "R"),
        2,
        "--accounts[0]: '123' is not a 12-digit account id",
    )
    assert_error_line(
        run("windows", "list", "--accounts", "111111111111"),
        2,
        "--role-name: is required to reach accounts by id",
    )
    assert_error_line(run("windows", "list", "--shard", "3/2"), 2, "--shard: 3/2")
    assert_error_line(
        run("windows", "list", "--accounts-file", str(tmp_path / "none.txt"), "--role-name", "R"),
        2,
        "--accounts-file: cannot read",
    )
