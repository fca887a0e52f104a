"""Tests of ``ssm_mw._fleet``: ``set_cutoff_behavior``."""
