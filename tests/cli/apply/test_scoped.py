"""``ssm-mw apply`` across accounts and Regions: a failed account-Region alone, a re-run
that converges, Ctrl-C with the partial report of every account-Region."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ssm_mw.testing import EmbeddedSSMServer, Organization
from support.aws_env import bare_env, dummy_aws_env
from support.cli import SCRIPT, Run, interrupted_apply
from support.operations import REGISTER
from support.org import reach, whole_scope
from support.org_plan import live_names, state_text


def _file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "tasks.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _live_count(server: EmbeddedSSMServer, org: Organization) -> dict[tuple[str, str], int]:
    """The number of tasks of window-1 in each account-Region (a duplicate counts twice)."""

    async def count() -> dict[tuple[str, str], int]:
        async with reach(server, whole_scope(org)) as reached:
            found = await live_names(reached, org)
        return {(t.account or "", t.region): sum(c.values()) for t, c in found.items()}

    return asyncio.run(count())


def test_a_failed_account_region_then_a_rerun_converges(
    run: Run, ssm_server: EmbeddedSSMServer, ssm_organization: Organization, tmp_path: Path
) -> None:
    """A Region not enabled for one account: one `failed:` line, the others created, exit 1;
    enabled, apply again: only its 2 tasks are created, no duplicates anywhere."""
    org = ssm_organization
    account, region = org.account_ids[1], org.regions[0]
    ssm_server.disable_region(account, region)
    path = _file(tmp_path, state_text(org))
    first = run("apply", path, "--yes")
    assert first.exit_code == 1
    (line,) = first.stderr.splitlines()
    assert line.startswith(f"failed: {account}/{region}: ")
    assert "Apply: 10 created, 0 updated, 0 failed;" in first.stdout
    assert "5 ok, 0 partial, 1 failed" in first.stdout
    ssm_server.disable_region(account, region, disabled=False)
    registers = ssm_server.request_count(REGISTER)
    second = run("apply", path, "--yes", "-o", "json")
    assert second.exit_code == 0, second.stderr
    report = json.loads(second.stdout)
    created = [t for t in report["tasks"] if t["outcome"] == "created"]
    assert {(t["account"], t["region"]) for t in created} == {(account, region)}
    assert len(created) == 2
    assert ssm_server.request_count(REGISTER) - registers == 2
    assert set(_live_count(ssm_server, org).values()) == {2}


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a subprocess is POSIX")
def test_ctrl_c_across_the_scope_reports_what_was_done_and_exits_130(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization, tmp_path: Path
) -> None:
    """SIGINT mid-apply across six account-Regions: the created tasks are exactly the live
    ones, the rest not started, 'interrupted' on stderr, exit 130; a re-run converges."""
    org = ssm_organization
    path = _file(tmp_path, state_text(org, tasks=4))
    env = bare_env(tmp_path, **dummy_aws_env(tmp_path), TERM="dumb", COLUMNS="200")
    options = ("--per-target-concurrency", "1", "--concurrency", "2")
    result = interrupted_apply(ssm_server, tmp_path, path, *options)
    created = re.findall(r"^  created +mw-\w+/(task-\d+)", result.stdout, re.MULTILINE)
    assert len(created) >= 3
    assert len(created) == sum(_live_count(ssm_server, org).values())
    totals = re.search(
        r"Apply: (\d+) created, 0 updated, 0 failed, (\d+) interrupted, (\d+) not started;",
        result.stdout,
    )
    assert totals is not None, result.stdout
    assert int(totals.group(1)) == len(created)
    assert sum(int(totals.group(n)) for n in (1, 2, 3)) == 24
    assert "(interrupted)" in result.stdout  # an account-Region cut short, in the table
    again = _apply_in_a_subprocess(ssm_server, path, env)
    assert again.returncode == 0, again.stderr
    assert set(_live_count(ssm_server, org).values()) == {4}


def _apply_in_a_subprocess(
    server: EmbeddedSSMServer, path: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    argv = [str(SCRIPT), "--endpoint-url", server.endpoint_url, "--region", server.region_name]
    return subprocess.run(
        [*argv, "apply", path, "--yes"], env=env, capture_output=True, text=True, check=False
    )
