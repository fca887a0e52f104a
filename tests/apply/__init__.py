"""Tests of ``ssm_mw._apply``: applying plans across a scope."""
