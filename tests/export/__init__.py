"""Tests of ``ssm_mw._export``: ``export_tasks``."""
