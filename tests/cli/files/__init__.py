"""Tests of ``ssm_mw.cli._files``: task and desired-state files on the command line."""
