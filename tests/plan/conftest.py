"""Fixtures of the plan tests: a CLI runner on the embedded backend, with no real AWS in reach."""

from __future__ import annotations

from support.cli import aws_env as aws_env
from support.cli import run as run
