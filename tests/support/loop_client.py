"""An opened client on an event loop of its own, for sync (hypothesis) tests, and its fixture.

``tests/conftest.py`` loads this module as a plugin: any test may ask for the
module-scoped ``loop_client`` fixture.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from typing import Any, TypeVar

import pytest

from ssm_mw.testing import EmbeddedSSMServer
from support.clients import client_for

__all__ = ["LoopClient", "loop_client"]

T = TypeVar("T")


class LoopClient:
    """An opened client on an event loop of its own, for sync (hypothesis) tests.

    Hypothesis runs many examples in one test; opening an aiobotocore client per
    example would dominate the run time, and function-scoped async fixtures do
    not mix with ``@given``. ``run`` drives one coroutine to completion.
    """

    def __init__(self, server: EmbeddedSSMServer, **config: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.client = client_for(server, **config)
        self.run(self.client.__aenter__())

    def run(self, awaitable: Awaitable[T]) -> T:
        """Run ``awaitable`` on this client's loop and return its result."""
        return self.loop.run_until_complete(_wrap(awaitable))

    def close(self) -> None:
        """Close the client, then the loop."""
        try:
            self.run(self.client.aclose())
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        finally:
            self.loop.close()


async def _wrap(awaitable: Awaitable[T]) -> T:
    return await awaitable


@pytest.fixture(scope="module")
def loop_client(ssm_server: EmbeddedSSMServer) -> Iterator[LoopClient]:
    """An opened ``MaintenanceWindowClient`` on its own event loop, shared by a module.

    Module scope: opening an aiobotocore client per hypothesis example would
    dominate the run time.
    """
    client = LoopClient(ssm_server)
    try:
        yield client
    finally:
        client.close()
