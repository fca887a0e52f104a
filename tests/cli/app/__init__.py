"""Tests of ``ssm_mw.cli._app``: the root group, its global options, the top-level error handler."""
