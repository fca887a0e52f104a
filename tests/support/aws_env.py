"""A hermetic AWS environment: dummy credentials, no config files, no instance metadata.

The CLI tests and the plan tests run ``ssm-mw`` with it, in-process or as a
subprocess, so that nothing real is reachable whatever the developer's shell holds.
:func:`bare_env` is a whole environment for a subprocess, with nothing of this one's
but ``PATH``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

__all__ = ["AWS_VARS", "bare_env", "dummy_aws_env", "hermetic_aws_env", "no_aws_config"]

#: Variables that could point the CLI at real AWS credentials or settings.
AWS_VARS = (
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


def no_aws_config(tmp_path: Path) -> dict[str, str]:
    """AWS config and credentials files that do not exist, and instance metadata off."""
    return {
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def dummy_aws_env(tmp_path: Path) -> dict[str, str]:
    """Dummy credentials, config files that do not exist, instance metadata off, no colour."""
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        **no_aws_config(tmp_path),
        "NO_COLOR": "1",
    }


def bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A subprocess's whole environment: ``PATH``, ``HOME`` (``tmp_path``), :func:`no_aws_config`.

    No credentials and nothing else of this process's environment but ``PYTHONPATH``,
    if set (where the code under test is found); ``extra`` adds variables.
    """
    inherited = {k: os.environ[k] for k in ("PATH", "PYTHONPATH") if k in os.environ}
    return {**inherited, "HOME": str(tmp_path), **no_aws_config(tmp_path), **extra}


def hermetic_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """Unset :data:`AWS_VARS`, set :func:`dummy_aws_env`'s variables; return those."""
    for name in AWS_VARS:
        monkeypatch.delenv(name, raising=False)
    env = dummy_aws_env(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env
