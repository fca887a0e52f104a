"""Tests of ``ssm_mw.cli._apply``: ``ssm-mw apply`` across accounts and Regions."""
