"""Fixtures of the command-line tests: a window on the embedded backend and a CLI runner."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from cli_support import Run
from click.testing import CliRunner, Result

from ssm_mw.cli import cli
from ssm_mw.testing import EmbeddedSSMServer

#: Variables that could point the CLI at real AWS credentials or settings.
_AWS_VARS = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SSM",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "SSM_MW_DEBUG",
)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """Dummy credentials, no config files, no instance metadata: nothing real is reachable."""
    for name in _AWS_VARS:
        monkeypatch.delenv(name, raising=False)
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "NO_COLOR": "1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def window_id(ssm_server: EmbeddedSSMServer) -> str:
    """A fresh, empty maintenance window."""
    return ssm_server.create_maintenance_window(name="cli-window")


@pytest.fixture
def run(ssm_server: EmbeddedSSMServer, aws_env: dict[str, str]) -> Run:
    """Run ``ssm-mw --endpoint-url URL --region R ARGS...`` in-process; return click's Result."""

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
