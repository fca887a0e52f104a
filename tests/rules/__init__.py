"""Tests of ``ssm_mw._rules``: the real service's rules (docs/fidelity.md)."""
