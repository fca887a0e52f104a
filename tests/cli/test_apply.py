"""``ssm-mw apply`` against the embedded backend: confirmation, failures, saved plans, secrets."""

from __future__ import annotations

import json
import re
import stat
import sys
from pathlib import Path

import pytest

from ssm_mw.testing import EmbeddedSSMServer
from support.aws_env import bare_env, dummy_aws_env
from support.cli import Run, interrupt, interrupted_apply
from support.operations import DESCRIBE, REGISTER
from support.plan import (
    LIVE_SECRETS,
    STATE_WINDOW,
    TWO_TASKS,
    live_names,
    state_file,
    write_count,
)
from support.terminal import run_on_a_terminal


def test_apply_off_a_terminal_without_yes_changes_nothing(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """Without --yes and without a terminal: the plan is shown, then exit 2, nothing sent."""
    result = run("apply", state_file(tmp_path, maintenance_window_id, TWO_TASKS))
    assert result.exit_code == 2
    assert "Plan: 2 to add, 0 to change, 0 to delete." in result.stdout
    assert result.stderr.strip().splitlines() == [
        "error: refusing to apply: stdin is not a terminal; pass --yes to apply"
    ]
    assert write_count(ssm_server) == 0
    assert live_names(ssm_server, maintenance_window_id) == []


def test_apply_reports_each_failure_on_a_line_and_exits_1(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """Every failed task is one stderr line; the others are applied; a re-run converges."""
    w = maintenance_window_id
    path = state_file(tmp_path, w, TWO_TASKS)
    ssm_server.inject_fault(
        REGISTER, "InternalServerError", status=500, times=None, after_commit=True
    )
    result = run("apply", path, "--yes", "--output", "json")
    assert result.exit_code == 1
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failures) == 2
    assert {line.split()[1] for line in failures} == {f"{w}/nightly-patch:", f"{w}/notify:"}
    data = json.loads(result.stdout)
    assert data["summary"]["failed"] == 2
    assert {t["outcome"] for t in data["tasks"]} == {"failed"}
    ssm_server.clear_faults()
    again = run("apply", path, "--yes")
    assert again.exit_code == 0, again.stderr
    assert sorted(live_names(ssm_server, w)) == ["nightly-patch", "notify"]  # type: ignore[type-var]


def test_a_saved_plan_applies_and_a_stale_one_is_refused(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """--out writes a private plan file; apply PLANFILE uses it; once stale it is refused."""
    w = maintenance_window_id
    path = state_file(tmp_path, w, TWO_TASKS)
    planfile = tmp_path / "tasks.plan"
    result = run("plan", path, "--out", str(planfile))
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(planfile.stat().st_mode) == 0o600
    assert LIVE_SECRETS["Description"] not in planfile.read_text()
    applied = run("apply", str(planfile), "--yes")
    assert applied.exit_code == 0, applied.stderr
    assert "2 created" in applied.stdout
    # Re-applying the same saved plan: its creates now exist, so it is stale.
    writes = write_count(ssm_server)
    stale = run("apply", str(planfile), "--yes")
    assert stale.exit_code == 1
    (line,) = stale.stderr.strip().splitlines()
    assert line.startswith("error: the plan is stale")
    assert f"{w}/nightly-patch" in line
    assert f"{w}/notify" in line
    assert write_count(ssm_server) == writes


def _on_a_terminal(
    server: EmbeddedSSMServer, path: str, answer: bytes, aws_env: dict[str, str]
) -> tuple[int, str]:
    """`apply PATH` on a terminal, answering ``answer`` to its question."""
    args = ["apply", path, "--concurrency", "1"]
    return run_on_a_terminal(
        server, args, aws_env, columns=200, prompt=b"Apply this plan?", answer=answer
    )


def test_on_a_terminal_apply_colours_the_plan_asks_and_shows_progress(
    ssm_server: EmbeddedSSMServer,
    maintenance_window_id: str,
    tmp_path: Path,
    aws_env: dict[str, str],
) -> None:
    """A coloured plan, a question; "n" changes nothing, "y" applies with a progress bar."""
    w = maintenance_window_id
    path = state_file(tmp_path, w, TWO_TASKS)
    code, output = _on_a_terminal(ssm_server, path, b"n\n", aws_env)
    assert code == 1, output
    assert "\x1b[" in output  # colours on a terminal
    assert "apply cancelled; nothing was changed" in output
    assert write_count(ssm_server) == 0
    ssm_server.inject_latency(0.3, operation=REGISTER)
    code, output = _on_a_terminal(ssm_server, path, b"y\n", aws_env)
    assert code == 0, output
    assert "applying" in output  # the progress bar, on stderr
    assert "2 created" in output
    assert sorted(live_names(ssm_server, w)) == ["nightly-patch", "notify"]  # type: ignore[type-var]


def _many_tasks(count: int) -> str:
    """A desired-state file of ``count`` Lambda tasks (for the window ``STATE_WINDOW``)."""
    tasks = "".join(
        f"    task-{n:02}:\n"
        f"      TaskArn: arn:aws:lambda:us-east-1:123456789012:function:f{n}\n"
        "      TaskType: LAMBDA\n"
        f"      Priority: {n}\n"
        for n in range(count)
    )
    return f"windows:\n  {STATE_WINDOW}:\n{tasks}"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a subprocess is POSIX")
def test_ctrl_c_in_apply_reports_what_was_done_and_exits_130(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """SIGINT mid-apply: each created task and each one not started is a line, the totals
    say so, 'interrupted' on stderr, exit 130; the created ones are exactly the live ones."""
    w = maintenance_window_id
    path = state_file(tmp_path, w, _many_tasks(12))
    result = interrupted_apply(ssm_server, tmp_path, path, "--concurrency", "2")
    created = re.findall(rf"^  created +{w}/(task-\d+)", result.stdout, re.MULTILINE)
    not_started = re.findall(rf"^  not started +{w}/(task-\d+)", result.stdout, re.MULTILINE)
    assert sorted(created) == sorted(live_names(ssm_server, w))  # type: ignore[type-var]
    assert len(created) >= 3
    assert not_started, result.stdout
    totals = re.search(
        r"Apply: (\d+) created, 0 updated, 0 failed, (\d+) interrupted, (\d+) not started;",
        result.stdout,
    )
    assert totals is not None, result.stdout
    assert int(totals.group(1)) == len(created)
    assert int(totals.group(1)) + int(totals.group(2)) + int(totals.group(3)) == 12


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a subprocess is POSIX")
@pytest.mark.parametrize("command", [("apply", "--yes"), ("plan",)], ids=lambda c: c[0])
def test_ctrl_c_while_planning_changes_nothing(
    ssm_server: EmbeddedSSMServer,
    maintenance_window_id: str,
    tmp_path: Path,
    command: tuple[str, ...],
) -> None:
    """SIGINT while the plan is read (by apply, or by plan): nothing sent, one line saying
    so, exit 130."""
    path = state_file(tmp_path, maintenance_window_id, TWO_TASKS)
    env = bare_env(tmp_path, **dummy_aws_env(tmp_path), TERM="dumb")
    before = ssm_server.request_count(DESCRIBE)
    ssm_server.inject_latency(5, operation=DESCRIBE)
    try:
        result = interrupt(
            ssm_server,
            [command[0], path, *command[1:]],
            env,
            operation=REGISTER,
            when=lambda: ssm_server.request_count(DESCRIBE) > before,
        )
    finally:
        ssm_server.inject_latency(0, operation=DESCRIBE)
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip().splitlines() == ["interrupted while planning: nothing was changed"]
    assert write_count(ssm_server) == 0
