"""``ssm-mw`` as a subprocess on a pseudo-terminal: what it draws when stdout is a TTY."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence

from ssm_mw.testing import EmbeddedSSMServer

__all__ = ["read_pty", "run_on_a_terminal"]


def read_pty(fd: int, process: subprocess.Popen[bytes], until: bytes | None = None) -> bytes:
    """Read the pty until ``until`` shows (for ``None``: until the process ends), 60 s at most."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the pty closes when the child exits
                break
            if not data:
                break
            chunks.append(data)
            if until is not None and until in b"".join(chunks):
                break
        elif process.poll() is not None:
            break
    return b"".join(chunks)


def run_on_a_terminal(
    server: EmbeddedSSMServer,
    args: Sequence[str],
    aws_env: Mapping[str, str],
    *,
    columns: int,
    prompt: bytes | None = None,
    answer: bytes = b"",
) -> tuple[int, str]:
    """Run ``ssm-mw --endpoint-url URL --region R ARGS...`` on a colour terminal.

    Returns the exit status and all the terminal showed (stdout and stderr). The
    environment is this process's with ``aws_env`` over it, ``columns`` wide, and
    ``NO_COLOR`` unset (rich draws no live display on ``TERM=dumb`` or unset). With
    ``prompt``, stdin is the terminal and ``answer`` is typed once ``prompt`` shows;
    without, stdin is ``/dev/null``.
    """
    env = {**os.environ, **aws_env, "COLUMNS": str(columns), "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    argv = [sys.executable, "-m", "ssm_mw.cli", "--endpoint-url", server.endpoint_url,
            "--region", server.region_name, *args]  # fmt: skip
    leader, follower = pty.openpty()
    stdin = subprocess.DEVNULL if prompt is None else follower
    process = subprocess.Popen(argv, stdin=stdin, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    try:
        output = b""
        if prompt is not None:
            output = read_pty(leader, process, prompt)
            os.write(leader, answer)
        output += read_pty(leader, process)
    finally:
        os.close(leader)
        process.wait(timeout=30)
    return process.returncode, output.decode("utf-8", "replace")
