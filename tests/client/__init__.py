"""Tests of ``ssm_mw._client``: ``MaintenanceWindowClient``."""
