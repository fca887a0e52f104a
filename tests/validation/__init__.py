"""Tests of ``ssm_mw._validation``: request validation."""
