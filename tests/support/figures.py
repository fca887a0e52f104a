"""Counters that the tests keep, for the figures quoted in docs/reliability.md.

Tests add to them with :func:`count`. At the end of the session the counts are
printed and written to ``.hypothesis/ssm-mw-reliability-<profile>.json``. Under
pytest-xdist each worker sends its counts to the controller, which adds them
up, prints them and writes the file. This module is a pytest plugin
(``tests/conftest.py`` loads it).
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

__all__ = ["COUNTS", "count"]

#: Counter name -> value, e.g. ``"examples:test_round_trip"`` or ``"soak:faults_injected"``.
COUNTS: Counter[str] = Counter()

FIGURES_DIR = Path(".hypothesis")
_STARTED = time.monotonic()
#: The key of a worker's counts in its ``workeroutput``.
_WORKER_OUTPUT = "ssm_mw_counts"


def count(name: str, n: int = 1) -> None:
    """Add ``n`` to the counter ``name``."""
    COUNTS[name] += n


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _profile_name(config: pytest.Config) -> str:
    return os.environ.get(
        "SSM_MW_HYPOTHESIS_PROFILE", "deep" if config.getoption("--deep") else "quick"
    )


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """On the controller: add up the counts of a worker that has finished."""
    COUNTS.update(getattr(node, "workeroutput", {}).get(_WORKER_OUTPUT, {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures this run counted."""
    if not COUNTS or _is_worker(terminalreporter.config):
        return
    terminalreporter.section("ssm-mw reliability figures")
    profile = _profile_name(terminalreporter.config)
    terminalreporter.write_line(
        f"hypothesis profile: {profile} (max_examples={settings.default.max_examples})"
    )
    for name in sorted(COUNTS):
        terminalreporter.write_line(f"{name:70} {COUNTS[name]:>10,}")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Send a worker's counts to the controller; elsewhere write the figures' file."""
    config = session.config
    if _is_worker(config):
        config.workeroutput[_WORKER_OUTPUT] = dict(COUNTS)  # pytest-xdist's, on its workers
        return
    if not COUNTS:
        return
    profile = _profile_name(config)
    path = Path(str(config.rootpath)) / FIGURES_DIR / f"ssm-mw-reliability-{profile}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    figures = {
        "profile": profile,
        "max_examples": settings.default.max_examples,
        "python": platform.python_version(),
        "seconds": round(time.monotonic() - _STARTED, 1),
        "exit_status": int(session.exitstatus),
        "counts": dict(sorted(COUNTS.items())),
    }
    path.write_text(json.dumps(figures, indent=2) + "\n")
