"""Suite-wide configuration: the --deep flag and the hypothesis profiles.

The profile sets every property test's number of examples: "quick" (60, the
CI run) or, under ``--deep``, "deep" (10,000). Under ``--deep`` each property
test gets a per-test timeout of 30 minutes instead of the configured one.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# The embedded backend's fixtures (ssm_server, mw_client, maintenance_window_id), the
# figures the tests count, and the loop_client fixture of the sync (hypothesis) tests.
pytest_plugins = ["ssm_mw.testing.pytest_plugin", "support.figures", "support.loop_client"]

settings.register_profile(
    "quick",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "deep",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(autouse=True)
def _no_terminal_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see no ``COLUMNS``/``LINES``: output is laid out as for a pipe, whatever ran pytest.

    (pytest-xdist's workers inherit them from the controller.)
    """
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--deep``: the long property-test profile (at least 10,000 examples)."""
    parser.addoption(
        "--deep",
        action="store_true",
        default=False,
        help="run property tests with the deep hypothesis profile (10,000 examples)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Load the hypothesis profile that --deep (or SSM_MW_HYPOTHESIS_PROFILE) asks for."""
    profile = "deep" if config.getoption("--deep") else "quick"
    settings.load_profile(os.environ.get("SSM_MW_HYPOTHESIS_PROFILE", profile))


#: The per-test timeout of the deep profile's property tests (10,000 examples each).
DEEP_TIMEOUT = 1800


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under the deep profile, give every property test a longer (still finite) timeout."""
    if settings.default.max_examples < 10_000:
        return
    for item in items:
        if getattr(getattr(item, "function", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.timeout(DEEP_TIMEOUT))
