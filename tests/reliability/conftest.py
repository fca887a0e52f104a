"""The reliability suite: each async test ends with a garbage collection.

Every async test ends with a garbage collection, so that an unclosed aiohttp
session or connector (or any other leak that warns in ``__del__``) warns
inside the test that leaked it, where ``filterwarnings = error`` turns it into
a failure. (The suite's shared helpers are in ``tests/support``.)
"""

from __future__ import annotations

import gc
import inspect
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _collect_garbage(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each async test, collect garbage, so leaks warn inside the test that made them.

    (Sync tests open no client; a full collection costs ~0.3 s with moto loaded.)
    """
    yield
    if inspect.iscoroutinefunction(request.function):
        gc.collect()
