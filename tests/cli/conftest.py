"""Fixtures of the command-line tests: a window on the embedded backend and a CLI runner."""

from __future__ import annotations

import pytest

from ssm_mw.testing import EmbeddedSSMServer
from support.cli import aws_env as aws_env
from support.cli import run as run


@pytest.fixture
def window_id(ssm_server: EmbeddedSSMServer) -> str:
    """A fresh, empty maintenance window."""
    return ssm_server.create_maintenance_window(name="cli-window")
