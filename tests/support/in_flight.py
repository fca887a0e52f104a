"""A client that counts its requests in flight, for the tests of a ``concurrency`` bound.

The requests are counted by aiobotocore's own events on the real client
(``before-call`` / ``after-call`` / ``after-call-error``), nothing of ssm-mw replaced.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from ssm_mw import MaintenanceWindowClient
from ssm_mw.testing import EmbeddedSSMServer

__all__ = ["InFlight", "counting_client"]


@dataclass
class InFlight:
    """The number of requests in flight now, and the most there have been (``peak``)."""

    now: int = 0
    peak: int = 0

    def started(self, **_: Any) -> None:
        self.now += 1
        self.peak = max(self.peak, self.now)

    def ended(self, **_: Any) -> None:
        self.now -= 1


@asynccontextmanager
async def counting_client(
    server: EmbeddedSSMServer,
) -> AsyncIterator[tuple[MaintenanceWindowClient, InFlight]]:
    """A client on the embedded server, and the count of its requests in flight."""
    in_flight = InFlight()
    session = server.aio_session()
    async with session.create_client("ssm", **server.client_kwargs()) as client:
        client.meta.events.register("before-call.ssm", in_flight.started)
        client.meta.events.register("after-call.ssm", in_flight.ended)
        client.meta.events.register("after-call-error.ssm", in_flight.ended)
        yield MaintenanceWindowClient.from_client(client), in_flight
