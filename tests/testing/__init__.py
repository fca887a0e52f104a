"""Tests of ``ssm_mw.testing``: the embedded SSM backend."""
