"""Tests of ``ssm_mw._converter``: models to botocore dicts and back."""
