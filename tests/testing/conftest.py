"""Fixtures of the conformance suite of the embedded SSM backend.

The suite drives the server with plain aiobotocore clients (never through
ssm_mw's own client), so it checks the backend on its own. Every response that
a client of these fixtures receives is checked against the botocore model
when the test ends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest
import pytest_asyncio
from aiobotocore.config import AioConfig

from ssm_mw.testing import EmbeddedSSMServer, pytest_plugin
from support.conformance import NO_RETRY, Wire

# The plugin's fixtures, bound here so that this directory uses them (a
# non-root conftest may not declare pytest_plugins).
ssm_server = pytest_plugin.ssm_server
maintenance_window_id = pytest_plugin.maintenance_window_id
ssm_organization = pytest_plugin.ssm_organization
_ssm_mw_reset_server = pytest_plugin._ssm_mw_reset_server  # autouse: reset before each test


@asynccontextmanager
async def _client(server: EmbeddedSSMServer, wire: Wire, **config: Any) -> AsyncIterator[Any]:
    retries = config.pop("retries", NO_RETRY)
    session = server.aio_session()
    cfg = AioConfig(retries=retries, **config)
    async with session.create_client("ssm", config=cfg, **server.client_kwargs()) as client:

        def on_parse(operation_model: Any, response_dict: Any, **_: Any) -> None:
            wire.record(operation_model.name, response_dict)

        client.meta.events.register("before-parse.ssm.*", on_parse)
        yield client
    wire.check_all()


@pytest.fixture
def wire() -> Wire:
    """The raw responses received by this test's clients."""
    return Wire()


@pytest_asyncio.fixture
async def ssm(ssm_server: EmbeddedSSMServer, wire: Wire) -> AsyncIterator[Any]:
    """A plain aiobotocore SSM client on the server, without retries."""
    async with _client(ssm_server, wire) as client:
        yield client


@pytest_asyncio.fixture
async def raw_ssm(ssm_server: EmbeddedSSMServer, wire: Wire) -> AsyncIterator[Any]:
    """Like ``ssm``, but botocore's client-side parameter validation is off."""
    async with _client(ssm_server, wire, parameter_validation=False) as client:
        yield client


@pytest.fixture
def make_client(
    ssm_server: EmbeddedSSMServer, wire: Wire
) -> Callable[..., AbstractAsyncContextManager[Any]]:
    """Build another client with AioConfig options: ``async with make_client(read_timeout=2)``."""

    def make(**config: Any) -> AbstractAsyncContextManager[Any]:
        return _client(ssm_server, wire, **config)

    return make
