"""Tests of ``ssm_mw.testing._faults``: fault and latency injection, rate limits."""
