"""Tests of ``ssm_mw.cli._plan``: ``ssm-mw plan`` across accounts and Regions."""
