"""Tests of ``ssm_mw._plan``: plans."""
