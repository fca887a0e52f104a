"""Running ``ssm-mw`` in-process against the embedded backend: the ``aws_env`` and ``run`` fixtures.

The conftests of ``tests/cli`` and ``tests/plan`` import both fixtures from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ssm_mw.cli import cli
from ssm_mw.testing import EmbeddedSSMServer
from support.aws_env import hermetic_aws_env

__all__ = ["Run", "aws_env", "run"]

#: The ``run`` fixture: ``run(*args, input=None, env=None, server=True) -> Result``.
Run = Callable[..., Result]


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """Dummy credentials, no config files, no instance metadata: nothing real is reachable."""
    return hermetic_aws_env(monkeypatch, tmp_path)


@pytest.fixture
def run(ssm_server: EmbeddedSSMServer, aws_env: dict[str, str]) -> Run:
    """Run ``ssm-mw --endpoint-url URL --region R ARGS...`` in-process; return click's Result.

    ``server=False`` leaves out the endpoint and Region; ``env`` sets (or, with ``None``
    values, unsets) variables for the one run.
    """

    def invoke(
        *args: str,
        input: str | None = None,
        env: Mapping[str, str | None] | None = None,
        server: bool = True,
    ) -> Result:
        prefix = ["--endpoint-url", ssm_server.endpoint_url, "--region", ssm_server.region_name]
        argv = [*(prefix if server else []), *args]
        return CliRunner().invoke(cli, argv, input=input, env=env, catch_exceptions=False)

    return invoke
