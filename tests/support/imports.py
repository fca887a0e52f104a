"""What a run of ``ssm-mw`` imports, seen from a new process.

:func:`run_cli` runs the command line as the console script does, in a fresh
interpreter, and reports which of :data:`HEAVY` were imported when the process
exited (an ``atexit`` hook reads ``sys.modules``, whichever way the run ends:
a command, ``--help``, or shell completion, which exits from inside click).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping, Sequence

import attrs

__all__ = ["HEAVY", "CliRun", "run_cli"]

#: What ``--help`` and shell completion never import: the client's stack, the backend's,
#: and the output libraries that only a table or a YAML file needs.
HEAVY = ("aiobotocore", "aiohttp", "botocore", "moto", "rich", "yaml")

_MARK = "imported by ssm-mw: "

_LAUNCHER = f"""\
import atexit, sys

def _report():
    loaded = sorted(m for m in {HEAVY!r} if m in sys.modules)
    sys.stderr.write("\\n{_MARK}" + ",".join(loaded) + "\\n")

atexit.register(_report)
sys.argv[0] = "ssm-mw"
from ssm_mw.cli import main

main(sys.argv[1:])
"""


@attrs.frozen
class CliRun:
    """A finished run: its exit status, its output, and which of :data:`HEAVY` it imported."""

    returncode: int
    stdout: str
    stderr: str
    imported: tuple[str, ...]


def run_cli(args: Sequence[str], env: Mapping[str, str], *, timeout: float = 60) -> CliRun:
    """Run ``ssm-mw ARGS`` in a new interpreter (this one's) with exactly ``env``."""
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *args],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    stderr, _, report = done.stderr.rpartition("\n" + _MARK)
    assert report, f"the run did not exit through Python's shutdown: {done.stderr!r}"
    imported = tuple(m for m in report.strip().split(",") if m)
    return CliRun(done.returncode, done.stdout, stderr, imported)
