"""The rules the suite runs under: warnings are errors, every test has a timeout and a docstring."""

from __future__ import annotations

import inspect
import warnings

import pytest

pytestmark = pytest.mark.reliability  # a guarantee of docs/reliability.md


def test_a_resource_warning_fails_the_test() -> None:
    """filterwarnings = error is in force: a ResourceWarning raises (so a leak fails its test)."""
    with pytest.raises(ResourceWarning):
        warnings.warn("an unclosed session", ResourceWarning, stacklevel=1)


def test_every_test_has_a_timeout(request: pytest.FixtureRequest) -> None:
    """pytest-timeout is active with a per-test timeout from the configuration."""
    assert request.config.pluginmanager.hasplugin("timeout")
    timeout = float(request.config.getini("timeout") or 0)
    assert 0 < timeout <= 600
    marker = request.node.get_closest_marker("timeout")
    assert marker is None, "no test here overrides the timeout"


def test_every_reliability_test_has_a_one_line_docstring(request: pytest.FixtureRequest) -> None:
    """Each test marked ``reliability`` (docs/reliability.md) says what it proves, in one line."""
    functions = {
        item.function  # type: ignore[attr-defined]
        for item in request.session.items
        if item.get_closest_marker("reliability")
    }
    assert functions
    missing = {
        f.__name__
        for f in functions
        if not (doc := inspect.getdoc(f)) or len(doc.strip().splitlines()) != 1
    }
    assert missing == set()
