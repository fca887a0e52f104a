"""Ctrl-C in ``ssm-mw set-cutoff`` (SIGINT to a subprocess): the partial table, exit 130.

The command runs against the in-process embedded backend, which answers
updates slowly; SIGINT is sent once some updates are done. The table then
printed must be exactly what the server shows changed.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ssm_mw import (
    CutoffBehavior,
)
from ssm_mw.testing import EmbeddedSSMServer, Organization
from support.aws_env import bare_env, dummy_aws_env
from support.cli import SCRIPT, interrupt, interrupt_slowed
from support.clients import read_tasks, with_client
from support.fleet import fleet
from support.operations import UPDATE
from support.org import reach, seed_tasks, whole_scope

WINDOWS, TASKS = 4, 10


def _env(tmp_path: Path) -> dict[str, str]:
    """Dummy credentials, no AWS config, plain output 200 columns wide: nothing else inherited."""
    return bare_env(tmp_path, **dummy_aws_env(tmp_path), TERM="dumb", COLUMNS="200")


def _fleet(server: EmbeddedSSMServer) -> list[str]:
    return with_client(server, lambda mw: fleet(server, mw, WINDOWS, TASKS))


def _cancelled_on_server(server: EmbeddedSSMServer, ids: list[str]) -> set[str]:
    return {
        t.window_task_id
        for w in ids
        for t in read_tasks(server, w)
        if t.cutoff_behavior is CutoffBehavior.CANCEL_TASK
    }


def _interrupted(
    server: EmbeddedSSMServer, tmp_path: Path, ids: list[str], *extra: str
) -> subprocess.CompletedProcess[str]:
    """Run set-cutoff; SIGINT once 5 updates have reached the server; wait for the end."""
    return interrupt_slowed(
        server,
        ["set-cutoff", "CANCEL_TASK", *ids, "--concurrency", "2", *extra],
        _env(tmp_path),
        operation=UPDATE,
        after=5,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a subprocess is POSIX")
def test_sigint_prints_the_partial_table_and_exits_130(
    ssm_server: EmbeddedSSMServer, tmp_path: Path
) -> None:
    """SIGINT mid-run: exit 130, 'interrupted', the partial table is the server's, no traceback."""
    ids = _fleet(ssm_server)
    result = _interrupted(ssm_server, tmp_path, ids)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "interrupted: stopped after" in result.stderr
    changed = _cancelled_on_server(ssm_server, ids)
    assert 5 <= len(changed) < WINDOWS * TASKS
    totals = re.search(r"(\d+) changed, (\d+) already set, (\d+) failed", result.stdout)
    assert totals is not None, result.stdout
    assert int(totals.group(1)) == len(changed)
    assert int(totals.group(3)) == 0
    for task_id in changed:  # every changed task is a row of the table
        assert task_id[:8] in result.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a subprocess is POSIX")
def test_sigint_with_json_output_gives_the_exact_partial_report(
    ssm_server: EmbeddedSSMServer, tmp_path: Path
) -> None:
    """With -o json the partial report is valid JSON whose changed tasks are the server's."""
    ids = _fleet(ssm_server)
    result = _interrupted(ssm_server, tmp_path, ids, "--output", "json")
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    changed = {c["window_task_id"] for c in report["changes"] if c["outcome"] == "changed"}
    assert changed == _cancelled_on_server(ssm_server, ids)
    assert report["failed"] == 0
    assert report["complete"] is False


def test_set_cutoff_under_a_rate_limit_fails_nothing_and_counts_the_throttled(
    ssm_server: EmbeddedSSMServer, tmp_path: Path
) -> None:
    """Updates limited to 20/s (burst 2): exit 0, every task changed, the retries on stderr."""
    ids = _fleet(ssm_server)
    ssm_server.throttle(20, burst=2, operation=UPDATE)
    try:
        result = subprocess.run(
            [
                str(SCRIPT),
                "--endpoint-url",
                ssm_server.endpoint_url,
                "--region",
                ssm_server.region_name,
                "set-cutoff",
                "CANCEL_TASK",
                *ids,
                "--concurrency",
                "16",
                "-o",
                "json",
            ],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        refused = ssm_server.throttled_count(UPDATE)
    finally:
        ssm_server.throttle(None, operation=UPDATE)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["changed"], report["failed"], report["complete"]) == (WINDOWS * TASKS, 0, True)
    assert refused > 0
    assert report["throttled_retries"] == refused
    assert f"throttled: {refused} requests were sent again" in result.stderr
    assert len(_cancelled_on_server(ssm_server, ids)) == WINDOWS * TASKS


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a subprocess is POSIX")
def test_sigint_under_throttling_interrupts_the_throttled_sends_nothing_more(
    ssm_server: EmbeddedSSMServer, tmp_path: Path
) -> None:
    """Updates throttled for good after 5: SIGINT then ends the run at once: no update is
    sent after it but those in flight, none is failed, the cut-off ones are interrupted."""
    ids = _fleet(ssm_server)
    frozen = 0.0  # the bucket never refills after its 5 tokens
    ssm_server.throttle(1, burst=5, operation=UPDATE, clock=lambda: frozen)
    try:
        result = interrupt(
            ssm_server,
            ["set-cutoff", "CANCEL_TASK", *ids, "--concurrency", "2", "-o", "json"],
            _env(tmp_path),
            operation=UPDATE,
            when=lambda: ssm_server.throttled_count(UPDATE) >= 4,
        )
    finally:
        ssm_server.throttle(None, operation=UPDATE)
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr
    assert result.sent_after <= 2, "only the requests in flight at the signal"
    report = json.loads(result.stdout)
    assert report["failed"] == 0
    assert report["changed"] == 5
    assert report["interrupted"] >= 1
    assert len(_cancelled_on_server(ssm_server, ids)) == 5


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a subprocess is POSIX")
def test_sigint_across_accounts_and_regions_gives_the_partial_report(
    ssm_server: EmbeddedSSMServer, ssm_organization: Organization, tmp_path: Path
) -> None:
    """Across 3 accounts x 2 Regions: SIGINT once 5 updates are done; exit 130, and the
    JSON's changed tasks, each with its account and Region, are exactly the server's."""
    org = ssm_organization

    async def seed() -> None:
        async with reach(ssm_server, whole_scope(org)) as reached:
            await seed_tasks(reached, org, tasks=5)

    asyncio.run(seed())
    scope = ["--accounts", ",".join(org.account_ids), "--role-name", org.role_name]
    scope += ["--regions", ",".join(org.regions)]
    limits = ["--concurrency", "3", "--per-target-concurrency", "1"]
    result = interrupt_slowed(
        ssm_server,
        [*scope, "set-cutoff", "CANCEL_TASK", "--all-windows", *limits, "-o", "json"],
        _env(tmp_path),
        operation=UPDATE,
        after=5,
    )
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert report["complete"] is False
    changed = {
        (c["account"], c["region"], c["window_task_id"])
        for c in report["changes"]
        if c["outcome"] == "changed"
    }

    async def on_server() -> set[tuple[str, str, str]]:
        found: set[tuple[str, str, str]] = set()
        async with reach(ssm_server, whole_scope(org)) as reached:
            for target in reached.targets:
                mw = await reached.client(target)
                assert target.account is not None
                for window_id in org.windows_of(target.account, target.region):
                    async for t in mw.paginate_maintenance_window_tasks(window_id):
                        if t.cutoff_behavior is CutoffBehavior.CANCEL_TASK:
                            found.add((target.account, target.region, t.window_task_id))
        return found

    live = asyncio.run(on_server())
    assert changed == live
    assert 5 <= len(live) < 30
    assert result.sent_after <= 3  # at most the requests in flight at the signal
