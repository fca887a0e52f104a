"""Answers later than the read timeout: every attempt of a register times out and commits late."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from ssm_mw import MaintenanceWindowClient, TransportError
from ssm_mw.testing import EmbeddedSSMServer
from support.clients import STANDARD, client_for
from support.operations import DEFINITION, REGISTER

__all__ = ["LATE", "READ_TIMEOUT", "late_registration"]

#: The client's read timeout, and how late the server answers each register.
READ_TIMEOUT, LATE = 0.2, 0.5


@asynccontextmanager
async def late_registration(
    server: EmbeddedSSMServer,
) -> AsyncIterator[tuple[MaintenanceWindowClient, str, TransportError]]:
    """A client whose register of :data:`DEFINITION` in a new window timed out on every attempt.

    The client has botocore's standard retries (3 attempts) and a read timeout of
    :data:`READ_TIMEOUT`; the server answers each register :data:`LATE` seconds
    late. Yields the client, the window and the TransportError raised. By then the
    latency is cleared; the three attempts may still be in flight, and each commits
    when the server answers it.
    """
    async with client_for(server, retries=STANDARD, read_timeout=READ_TIMEOUT) as mw:
        window_id = server.create_maintenance_window()
        server.inject_latency(LATE, operation=REGISTER)
        try:
            with pytest.raises(TransportError) as caught:
                await mw.register_task_with_maintenance_window(window_id, DEFINITION)
        finally:
            server.inject_latency(0, operation=REGISTER)
        yield mw, window_id, caught.value
