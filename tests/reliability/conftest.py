"""Fixtures and figures of the reliability suite.

* ``loop_client``: an opened client on an event loop of its own, for sync
  hypothesis tests (module scope: opening an aiobotocore client per example
  would dominate the run time).
* Every async test ends with a garbage collection, so that an unclosed aiohttp
  session or connector (or any other leak that warns in ``__del__``) warns
  inside the test that leaked it, where ``filterwarnings = error`` turns it
  into a failure.
* The figures the tests count (examples tried, faults injected, tasks
  reconciled, ...) are kept by ``support.figures``.
"""

from __future__ import annotations

import gc
import inspect
from collections.abc import Iterator

import pytest

from ssm_mw.testing import EmbeddedSSMServer

from ._support import LoopClient


@pytest.fixture(scope="module")
def loop_client(ssm_server: EmbeddedSSMServer) -> Iterator[LoopClient]:
    """An opened ``MaintenanceWindowClient`` on its own event loop, shared by a module."""
    client = LoopClient(ssm_server)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture(autouse=True)
def _collect_garbage(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each async test, collect garbage, so leaks warn inside the test that made them.

    (Sync tests open no client; a full collection costs ~0.3 s with moto loaded.)
    """
    yield
    if inspect.iscoroutinefunction(request.function):
        gc.collect()
