"""``ssm-mw demo`` and ``ssm-mw serve`` as subprocesses, and what ``import ssm_mw`` loads."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from support.aws_env import bare_env
from support.cli import ANSI, Run, assert_error_line

SCRIPT = Path(sys.executable).with_name("ssm-mw")


def test_demo_runs_without_aws_and_prints_before_and_after(tmp_path: Path) -> None:
    """The console script's demo exits 0 (the timeout guards a hang), with before/after tables."""
    assert SCRIPT.exists(), "the ssm-mw console script is installed with the package"
    process = subprocess.run(
        [str(SCRIPT), "demo"],
        env=bare_env(tmp_path),  # no AWS credentials or config at all: the demo needs none
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    out = process.stdout
    assert "Traceback" not in process.stderr
    assert not ANSI.search(out)
    assert "Before: tasks of mw-" in out
    assert "After: tasks of mw-" in out
    assert "page 1: 4 tasks" in out
    for task_type in ("RUN_COMMAND", "AUTOMATION", "STEP_FUNCTIONS", "LAMBDA"):
        assert task_type in out
    before = out[out.index("Before:") : out.index("After:")]
    after = out[out.index("After:") : out.index("7. Export")]
    assert "CONTINUE_TASK" in before
    assert "CANCEL_TASK" in before
    assert "CONTINUE_TASK" not in after
    assert "3 changed, 1 already set, 0 failed" in out
    # The fan-out: 3 accounts x 2 Regions, a 'patching' window of 2 tasks in each.
    fan_out = out[out.index("10. Across accounts and Regions") :]
    assert fan_out.count(" patching (2 tasks)") == 6
    assert "12 changed, 0 already set, 0 failed" in fan_out
    assert "6 ok, 0 partial, 0 failed" in fan_out


def test_python_m_ssm_mw_cli_is_the_same_command() -> None:
    """`python -m ssm_mw.cli` runs the same command line (exit codes included)."""
    process = subprocess.run(
        [sys.executable, "-m", "ssm_mw.cli", "tasks", "list", "bad-window", "--region", "x"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert process.returncode == 2
    assert process.stderr.startswith("error: ")
    assert "Traceback" not in process.stderr


def _read_until(process: subprocess.Popen[str], pattern: str, timeout: float = 30) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if re.match(pattern, line):
            return lines
    raise AssertionError(f"no line matching {pattern!r} in {lines}")


def test_serve_prints_its_endpoint_serves_and_stops_on_sigint(
    run: Run, aws_env: dict[str, str]
) -> None:
    """`serve` prints endpoint, Region and a window id, answers commands, exits 130 on SIGINT.

    130 is the documented status of an interrupted command (Ctrl+C).
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "ssm_mw.cli", "--region", "eu-west-1", "serve", "--windows", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = _read_until(process, r"^try:")
        fields = [line.split(":", 1) for line in lines]
        values: dict[str, list[str]] = {}
        for key, value in fields:
            values.setdefault(key, []).append(value.strip())
        (endpoint,) = values["endpoint"]
        assert values["region"] == ["eu-west-1"]
        assert len(values["window"]) == 2
        result = run(
            "--endpoint-url", endpoint, "--region", "eu-west-1",
            "tasks", "list", values["window"][0], "-o", "json",
            server=False,
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout) == []
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "Stopped (interrupted)."


def test_serve_stops_cleanly_on_sigterm() -> None:
    """SIGTERM (a supervisor's stop) is a clean stop: exit 0."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ssm_mw.cli", "serve", "--windows", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _read_until(process, r"^try:")
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert err.strip().splitlines()[-1] == "Stopped."


def test_serve_on_a_busy_port_is_one_line(tmp_path: Path) -> None:
    """A port already in use: one line naming it, exit 1."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = subprocess.run(
            [sys.executable, "-m", "ssm_mw.cli", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert process.returncode == 1
    assert process.stderr.startswith(f"error: cannot serve on 127.0.0.1:{port}")
    assert "Traceback" not in process.stderr


def test_serve_rejects_a_bad_port(run: Run) -> None:
    """--port out of range is a usage error (exit 2)."""
    assert_error_line(run("serve", "--port", "70000", server=False), 2, "--port")


def test_importing_the_library_loads_no_cli_or_test_dependencies() -> None:
    """ssm_mw and _fleet load no click, rich, yaml or moto; ssm_mw.cli loads no moto."""
    code = (
        "import sys, ssm_mw, ssm_mw._fleet\n"
        "print(sorted(m for m in ('click', 'rich', 'yaml', 'moto') if m in sys.modules))\n"
        "import ssm_mw.cli\n"
        "print(sorted(m for m in ('moto', 'ssm_mw.testing') if m in sys.modules))\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert process.stdout.splitlines() == ["[]", "[]"]


def test_the_demo_shows_a_plan_and_an_apply() -> None:
    """`ssm-mw demo` exports its window, plans a change, applies it, and plans again in sync."""
    from click.testing import CliRunner

    from ssm_mw.cli import cli

    result = CliRunner().invoke(cli, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "~ Priority: 1 → 5" in out
    assert "+ create     notify-team" in out
    assert "  = 3 unchanged" in out
    assert "Plan: 1 to add, 1 to change, 0 to delete." in out
    assert "Apply: 1 created, 1 updated, 0 failed; 3 unchanged, 0 unmanaged." in out
    assert "No changes. The live tasks match the desired state." in out
