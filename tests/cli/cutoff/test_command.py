"""``ssm-mw set-cutoff`` against the embedded backend, faults and dry runs included."""

from __future__ import annotations

import json

from click.testing import Result

from ssm_mw import CutoffBehavior
from ssm_mw.testing import EmbeddedSSMServer
from support.cli import ANSI, MISSING_WINDOW, Run, assert_error_line
from support.clients import cutoffs, register
from support.examples import automation, lambda_task, run_command, step_functions
from support.operations import DESCRIBE, UPDATE
from support.terminal import run_on_a_terminal

CONTINUE, CANCEL = CutoffBehavior.CONTINUE_TASK, CutoffBehavior.CANCEL_TASK


def _two_windows(server: EmbeddedSSMServer) -> tuple[list[str], list[str]]:
    """Two windows with mixed tasks; returns (window ids, task ids)."""
    first = server.create_maintenance_window(name="first")
    second = server.create_maintenance_window(name="second")
    ids = register(server, first, [run_command(CONTINUE), lambda_task(CANCEL), automation()])
    ids += register(server, second, [step_functions(CONTINUE), lambda_task(CONTINUE)])
    return [first, second], ids


def test_set_cutoff_changes_every_task_in_every_window(
    run: Run, ssm_server: EmbeddedSSMServer
) -> None:
    """Every task ends CANCEL_TASK; only those not already set are updated; exit 0."""
    windows, ids = _two_windows(ssm_server)
    result = run("set-cutoff", "CANCEL_TASK", *windows)
    assert result.exit_code == 0, result.stderr
    assert "4 changed, 1 already set, 0 failed" in result.stdout
    for task_id in ids:
        assert task_id in result.stdout
    assert "already set" in result.stdout
    assert not ANSI.search(result.stdout)
    for window in windows:
        assert set(cutoffs(ssm_server, window).values()) == {CANCEL}
    assert ssm_server.request_count(UPDATE) == 4


def test_set_cutoff_task_type_changes_only_that_type(
    run: Run, ssm_server: EmbeddedSSMServer
) -> None:
    """--task-type LAMBDA (any case) changes Lambda tasks only; the others keep theirs."""
    windows, ids = _two_windows(ssm_server)
    result = run("set-cutoff", "cancel_task", *windows, "--task-type", "lambda", "-o", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert {c["task_type"] for c in report["changes"]} == {"LAMBDA"}
    assert (report["changed"], report["unchanged"], report["failed"]) == (1, 1, 0)
    after = {**cutoffs(ssm_server, windows[0]), **cutoffs(ssm_server, windows[1])}
    assert after == {ids[0]: CONTINUE, ids[1]: CANCEL, ids[2]: None, ids[3]: CONTINUE,
                     ids[4]: CANCEL}  # fmt: skip


def test_set_cutoff_dry_run_changes_nothing(run: Run, ssm_server: EmbeddedSSMServer) -> None:
    """--dry-run reports what would change, sends no update and leaves every task as it was."""
    windows, _ = _two_windows(ssm_server)
    before = {w: cutoffs(ssm_server, w) for w in windows}
    result = run("set-cutoff", "CANCEL_TASK", *windows, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "(dry run)" in result.stdout
    assert "4 would change, 1 already set, 0 failed" in result.stdout
    assert ssm_server.request_count(UPDATE) == 0
    assert {w: cutoffs(ssm_server, w) for w in windows} == before


def _denied(
    run: Run, server: EmbeddedSSMServer, operation: str, times: int
) -> tuple[Result, list[str]]:
    """`set-cutoff CANCEL_TASK` on the two windows, ``operation`` denied ``times``; exit 1."""
    windows, _ = _two_windows(server)
    server.inject_fault(operation, "AccessDeniedException", times=times)
    result = run("set-cutoff", "CANCEL_TASK", *windows, "--concurrency", "1")
    assert result.exit_code == 1
    return result, windows


def test_set_cutoff_reports_every_failed_update_and_exits_1(
    run: Run, ssm_server: EmbeddedSSMServer
) -> None:
    """With 2 updates refused, both are in the table and on stderr; the rest change; exit 1."""
    result, windows = _denied(run, ssm_server, UPDATE, times=2)
    assert "Traceback" not in result.stderr
    assert "2 changed, 1 already set, 2 failed" in result.stdout
    rows = [line for line in result.stdout.splitlines() if "AccessDeniedException" in line]
    assert len(rows) == 2
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failures) == 2
    assert all("AccessDeniedException" in line for line in failures)
    changed = sum(list(cutoffs(ssm_server, w).values()).count(CANCEL) for w in windows)
    assert changed == 3  # 2 changed + 1 already set


def test_set_cutoff_reports_a_window_whose_listing_failed(
    run: Run, ssm_server: EmbeddedSSMServer
) -> None:
    """A window that cannot be listed is a failed entry (JSON too); other windows still change."""
    windows, _ = _two_windows(ssm_server)
    result = run("set-cutoff", "CANCEL_TASK", MISSING_WINDOW, *windows, "-o", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["changed"], report["unchanged"], report["failed"]) == (4, 1, 1)
    (failed,) = [c for c in report["changes"] if c["outcome"] == "failed"]
    assert failed["window_id"] == MISSING_WINDOW
    assert failed["window_task_id"] is None
    assert failed["error"]["code"] == "DoesNotExistException"
    assert f"failed: {MISSING_WINDOW} listing the tasks" in result.stderr


def test_set_cutoff_with_injected_listing_faults_lists_the_failure(
    run: Run, ssm_server: EmbeddedSSMServer
) -> None:
    """A describe refused by the service shows as a '(listing)' row; exit 1."""
    result, _ = _denied(run, ssm_server, DESCRIBE, times=1)
    assert "(listing)" in result.stdout
    assert "1 failed" in result.stdout
    assert "listing the tasks: DescribeMaintenanceWindowTasks: AccessDeniedException" in (
        result.stderr
    )


def test_set_cutoff_rejects_bad_input_before_any_request(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str
) -> None:
    """Bad BEHAVIOR, window id, --concurrency or --task-type: one line, exit 2, nothing sent."""
    assert_error_line(run("set-cutoff", "STOP", window_id), 2, "BEHAVIOR", "'STOP'")
    assert_error_line(run("set-cutoff", "CANCEL_TASK", window_id, "mw-1"), 2, "WINDOW_ID", "'mw-1'")
    assert_error_line(
        run("set-cutoff", "CANCEL_TASK", window_id, "--concurrency", "0"), 2, "--concurrency"
    )
    assert_error_line(
        run("set-cutoff", "CANCEL_TASK", window_id, "--task-type", "SHELL"), 2, "--task-type"
    )
    assert_error_line(run("set-cutoff", "CANCEL_TASK"), 2, "WINDOW_ID")
    assert ssm_server.request_count() == 0


def test_set_cutoff_draws_a_progress_bar_on_a_terminal_only(
    run: Run, ssm_server: EmbeddedSSMServer, aws_env: dict[str, str]
) -> None:
    """On a TTY stderr shows the rich progress bar; piped (CliRunner) it shows none."""
    windows, _ = _two_windows(ssm_server)
    ssm_server.inject_latency(0.15)
    piped = run("set-cutoff", "CONTINUE_TASK", *windows)
    assert piped.exit_code == 0
    assert "updating tasks" not in piped.stderr
    assert "listing windows" not in piped.stderr
    args = ["set-cutoff", "CANCEL_TASK", *windows, "--concurrency", "1"]
    code, output = run_on_a_terminal(ssm_server, args, aws_env, columns=120)
    assert code == 0, output
    assert "updating tasks" in output or "listing windows" in output
    assert "5 changed" in output
