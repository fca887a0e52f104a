"""Tests of ``ssm_mw.cli._export``: ``ssm-mw export``."""
