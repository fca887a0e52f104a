"""Tests of ``ssm_mw.testing._serve`` by aspect: the organization options."""
