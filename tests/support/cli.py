"""Running ``ssm-mw`` in-process against the embedded backend, and what its tests check.

* The ``aws_env`` and ``run`` fixtures (the conftest of ``tests/cli`` imports
  both from here).
* :func:`assert_error_line`: a failed run's one ``error:`` line.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ssm_mw.cli import cli
from ssm_mw.testing import EmbeddedSSMServer
from support.aws_env import hermetic_aws_env

__all__ = [
    "ANSI",
    "MISSING_WINDOW",
    "SCRIPT",
    "Interrupted",
    "Run",
    "assert_error_line",
    "aws_env",
    "interrupt",
    "interrupt_slowed",
    "interrupted_apply",
    "run",
]

#: The ``ssm-mw`` script of the running Python.
SCRIPT = Path(sys.executable).with_name("ssm-mw")

#: The ``run`` fixture: ``run(*args, input=None, env=None, server=True) -> Result``.
Run = Callable[..., Result]

#: A window id that the server has never made.
MISSING_WINDOW = "mw-00000000000000000"
#: The start of an ANSI escape sequence (colour, cursor movement).
ANSI = re.compile(r"\x1b\[")


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """Dummy credentials, no config files, no instance metadata: nothing real is reachable."""
    return hermetic_aws_env(monkeypatch, tmp_path)


@pytest.fixture
def run(ssm_server: EmbeddedSSMServer, aws_env: dict[str, str]) -> Run:
    """Run ``ssm-mw --endpoint-url URL --region R ARGS...`` in-process; return click's Result.

    ``server=False`` leaves out the endpoint and Region; ``env`` sets (or, with ``None``
    values, unsets) variables for the one run.
    """

    def invoke(
        *args: str,
        input: str | None = None,
        env: Mapping[str, str | None] | None = None,
        server: bool = True,
    ) -> Result:
        prefix = ["--endpoint-url", ssm_server.endpoint_url, "--region", ssm_server.region_name]
        argv = [*(prefix if server else []), *args]
        return CliRunner().invoke(cli, argv, input=input, env=env, catch_exceptions=False)

    return invoke


def assert_error_line(result: Result, exit_code: int, *needles: str) -> str:
    """The run failed with ``exit_code`` and one ``error:`` line holding every needle."""
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith("error: "), line
    for needle in needles:
        assert needle in line, (needle, line)
    return line


class Interrupted(subprocess.CompletedProcess[str]):
    """A run that got SIGINT: ``sent_after`` requests of the operation reached the
    server after the signal (requests in flight included)."""

    sent_after: int = 0


def interrupt(
    server: EmbeddedSSMServer,
    args: Sequence[str],
    env: Mapping[str, str],
    *,
    operation: str,
    when: Callable[[], bool],
) -> Interrupted:
    """Run ``ssm-mw --endpoint-url URL --region R ARGS...`` in a subprocess; send SIGINT
    once ``when()`` holds (checked every 20 ms, for up to 60 s); wait for the end."""
    argv = [
        str(SCRIPT),
        "--endpoint-url",
        server.endpoint_url,
        "--region",
        server.region_name,
        *args,
    ]
    with subprocess.Popen(
        argv, env=dict(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            deadline = time.monotonic() + 60
            while not when() and time.monotonic() < deadline:
                assert process.poll() is None, process.communicate()
                time.sleep(0.02)
            at_signal = server.request_count(operation)
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    result = Interrupted(argv, process.returncode, out, err)
    result.sent_after = server.request_count(operation) - at_signal
    return result


def interrupt_slowed(
    server: EmbeddedSSMServer,
    args: Sequence[str],
    env: Mapping[str, str],
    *,
    operation: str,
    after: int,
    latency: float = 0.15,
) -> Interrupted:
    """:func:`interrupt`, with ``operation`` answered ``latency`` seconds late (so requests
    are in flight) and SIGINT sent once ``after`` more of it have reached the server."""
    before = server.request_count(operation)
    server.inject_latency(latency, operation=operation)
    try:
        return interrupt(
            server,
            args,
            env,
            operation=operation,
            when=lambda: server.request_count(operation) - before >= after,
        )
    finally:
        server.inject_latency(0, operation=operation)


def interrupted_apply(
    server: EmbeddedSSMServer, tmp_path: Path, path: str, *options: str
) -> Interrupted:
    """``ssm-mw apply PATH --yes OPTIONS...`` in a subprocess, registrations answered late,
    SIGINT once 3 have reached the server; it must have ended as interrupted: exit 130,
    'interrupted:' on stderr, no traceback."""
    from support.aws_env import bare_env, dummy_aws_env
    from support.operations import REGISTER

    env = bare_env(tmp_path, **dummy_aws_env(tmp_path), TERM="dumb", COLUMNS="200")
    result = interrupt_slowed(
        server, ["apply", path, "--yes", *options], env, operation=REGISTER, after=3
    )
    assert result.returncode == 130, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "interrupted: " in result.stderr
    return result
