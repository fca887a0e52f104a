"""Tests of ``ssm_mw.cli``: the ``ssm-mw`` command line."""
