"""Tests of ``ssm_mw._models``: the value objects."""
