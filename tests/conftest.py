"""Suite-wide configuration: the --deep flag, the hypothesis profiles, the shared fixtures.

The profile sets every property test's number of examples: "quick" (60, the
CI run) or, under ``--deep``, "deep" (10,000). Under ``--deep`` each property
test gets a per-test timeout of 30 minutes instead of the configured one.
Each async test marked ``reliability`` ends with a garbage collection.
"""

from __future__ import annotations

import gc
import inspect
import os
from collections.abc import Iterator
from pathlib import Path

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


#: What could give a client credentials, a Region or a profile from outside its options.
_AWS_VARS = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SSM",
)


@pytest.fixture
def no_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No credentials, Region or profile anywhere: the client's options are all there is.

    Returns the (empty) directory where a test may write AWS config files.
    """
    for name in _AWS_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return tmp_path


@pytest.fixture(autouse=True)
def _collect_garbage(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each async test marked ``reliability``, collect garbage, so leaks warn inside it.

    An unclosed aiohttp session or connector (or any other leak that warns in
    ``__del__``) then warns inside the test that leaked it, where ``filterwarnings =
    error`` turns it into a failure. (Sync tests open no client; a full collection
    costs ~0.3 s with moto loaded, so other tests skip it.)
    """
    yield
    if request.node.get_closest_marker("reliability") and inspect.iscoroutinefunction(
        request.function
    ):
        gc.collect()


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
