"""Code run in a fresh interpreter: what importing ssm-mw does, seen from a new process."""

from __future__ import annotations

import subprocess
import sys

__all__ = ["fresh_python"]


def fresh_python(code: str) -> str:
    """The standard output of ``code`` run by a new interpreter (this one's ``sys.executable``)."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
