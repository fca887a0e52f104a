"""Suite-wide configuration: the --deep flag and the hypothesis profiles."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# The embedded backend's fixtures: ssm_server, mw_client, maintenance_window_id.
pytest_plugins = ["ssm_mw.testing.pytest_plugin"]

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
