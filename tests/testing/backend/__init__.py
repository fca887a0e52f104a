"""Tests of ``ssm_mw.testing._backend``: the four operations as the service answers them."""
