"""Fixtures and figures of the reliability suite.

* ``loop_client``: an opened client on an event loop of its own, for sync
  hypothesis tests (module scope: opening an aiobotocore client per example
  would dominate the run time).
* Every async test ends with a garbage collection, so that an unclosed aiohttp
  session or connector (or any other leak that warns in ``__del__``) warns
  inside the test that leaked it, where ``filterwarnings = error`` turns it
  into a failure.
* Under ``--deep`` (10,000 examples per property), this suite's hypothesis
  tests get a per-test timeout of 30 minutes instead of the configured one.
* The figures the tests count (examples tried, faults injected, tasks
  reconciled, ...) are printed at the end of the session and written to
  ``.hypothesis/ssm-mw-reliability-<profile>.json`` for docs/reliability.md.
"""

from __future__ import annotations

import gc
import inspect
import json
import os
import platform
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from ssm_mw.testing import EmbeddedSSMServer

from ._figures import COUNTS
from ._support import LoopClient

FIGURES_DIR = Path(".hypothesis")
_STARTED = time.monotonic()


@pytest.fixture(scope="module")
def loop_client(ssm_server: EmbeddedSSMServer) -> Iterator[LoopClient]:
    """An opened ``MaintenanceWindowClient`` on its own event loop, shared by a module."""
    client = LoopClient(ssm_server)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture(autouse=True)
def _collect_garbage(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each async test, collect garbage, so leaks warn inside the test that made them.

    (Sync tests open no client; a full collection costs ~0.3 s with moto loaded.)
    """
    yield
    if inspect.iscoroutinefunction(request.function):
        gc.collect()


#: The per-test timeout of the deep profile's property tests (10,000 examples each).
DEEP_TIMEOUT = 1800


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under --deep, give this suite's hypothesis tests a longer (still finite) timeout."""
    if settings.default.max_examples < 10_000:
        return
    for item in items:
        function = getattr(item, "function", None)
        is_property = getattr(function, "is_hypothesis_test", False)
        if is_property and "tests/reliability/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.timeout(DEEP_TIMEOUT))


def _profile_name(config: pytest.Config) -> str:
    return os.environ.get(
        "SSM_MW_HYPOTHESIS_PROFILE", "deep" if config.getoption("--deep") else "quick"
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures this run counted."""
    if not COUNTS:
        return
    terminalreporter.section("ssm-mw reliability figures")
    profile = _profile_name(terminalreporter.config)
    terminalreporter.write_line(
        f"hypothesis profile: {profile} (max_examples={settings.default.max_examples})"
    )
    for name in sorted(COUNTS):
        terminalreporter.write_line(f"{name:70} {COUNTS[name]:>10,}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the figures to ``.hypothesis/ssm-mw-reliability-<profile>.json``."""
    if not COUNTS:
        return
    profile = _profile_name(session.config)
    path = Path(str(session.config.rootpath)) / FIGURES_DIR / f"ssm-mw-reliability-{profile}.json"
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
