"""Tests of ``ssm_mw.cli._cutoff``: ``ssm-mw set-cutoff``."""
