"""Fixtures of the plan tests: a CLI runner on the embedded backend, with no real AWS in reach."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ssm_mw.cli import cli
from ssm_mw.testing import EmbeddedSSMServer

_AWS_VARS = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SSM",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "SSM_MW_DEBUG",
)

Run = Callable[..., Result]


@pytest.fixture
def run(ssm_server: EmbeddedSSMServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Run:
    """Run ``ssm-mw --endpoint-url URL --region R ARGS...`` in-process; return click's Result."""
    for name in _AWS_VARS:
        monkeypatch.delenv(name, raising=False)
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "NO_COLOR": "1",
    }.items():
        monkeypatch.setenv(name, value)

    def invoke(*args: str, input: str | None = None) -> Result:
        prefix = ["--endpoint-url", ssm_server.endpoint_url, "--region", ssm_server.region_name]
        return CliRunner().invoke(cli, [*prefix, *args], input=input, catch_exceptions=False)

    return invoke
