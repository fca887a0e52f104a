"""Waiting on the embedded server's state: poll a condition until it holds, with a deadline.

A test waits on what it needs (a request received, every request answered),
never for a guessed number of seconds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from ssm_mw.testing import EmbeddedSSMServer

__all__ = ["answered", "until"]


async def until(condition: Callable[[], bool], what: str, *, timeout: float = 30.0) -> None:
    """Poll ``condition`` (a state of the server, read in its thread) until it holds.

    ``timeout`` only bounds a wait for something that is bound to happen: it
    fails the test (naming ``what``) instead of hanging it.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.005)


async def answered(server: EmbeddedSSMServer, operation: str | None = None) -> None:
    """Wait until every request the server received (for ``operation``) is answered.

    A request the client gave up on (cancelled, timed out) still runs in the
    server: after this, it has taken effect.
    """
    await until(lambda: server.in_flight(operation) == 0, f"{operation or 'every'} answered")
