"""Tests of ``ssm_mw._shapes``: the service model and its helpers."""
