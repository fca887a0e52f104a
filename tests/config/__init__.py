"""Tests of ``ssm_mw._config``: the client's options and its own botocore session."""
