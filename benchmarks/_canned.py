"""Canned HTTP responses served at aiobotocore's HTTP layer (the ``before-send`` event).

A handler registered on ``before-send.ssm.<Operation>`` that returns a
response object makes aiobotocore skip the network: the response then goes
through aiobotocore's usual path (checksum handling, parsing, events,
retries), exactly as a real one would. Nothing of ssm-mw is replaced: both
contenders of a benchmark share the same aiobotocore client.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from aiobotocore.awsrequest import AioAWSResponse
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession

__all__ = ["CannedPages", "CannedReply", "canned_client", "canned_session"]

_HEADERS = {
    "Content-Type": "application/x-amz-json-1.1",
    "x-amzn-RequestId": "11111111-2222-3333-4444-555555555555",
}


class _Body:
    """The ``raw`` of an :class:`AioAWSResponse`: something with an async ``read()``."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        # aiobotocore 2.x reads the response headers from here.
        self.raw_headers = [(k.encode(), v.encode()) for k, v in _HEADERS.items()]

    async def read(self) -> bytes:
        return self._data


class CannedPages:
    """Serve describe pages from memory: the request's ``NextToken`` picks the page.

    ``bodies[i]`` is page ``i``; its ``NextToken`` must be ``"page-{i+1}"``
    (see :func:`benchmarks._fixtures.page_body`). ``latency`` seconds of
    ``asyncio.sleep`` stand for the network, if set. ``request_count`` counts
    the requests served.
    """

    def __init__(self, bodies: Sequence[bytes] | Callable[[int], bytes], latency: float = 0.0):
        self._bodies = bodies
        self.latency = latency
        self.request_count = 0

    def body(self, index: int) -> bytes:
        """The body of page ``index``."""
        if callable(self._bodies):
            return self._bodies(index)
        return self._bodies[index]

    async def __call__(self, request: Any, **_: Any) -> AioAWSResponse:
        self.request_count += 1
        params = json.loads(request.body)
        token = params.get("NextToken")
        index = 0 if token is None else int(str(token).removeprefix("page-"))
        if self.latency:
            await asyncio.sleep(self.latency)
        return AioAWSResponse(request.url, 200, dict(_HEADERS), _Body(self.body(index)))


@asynccontextmanager
async def canned_client(pages: CannedPages) -> AsyncIterator[Any]:
    """An aiobotocore SSM client whose describe calls ``pages`` answers (no network)."""
    session = AioSession()
    session.set_credentials("testing", "testing")
    config = AioConfig(retries={"mode": "standard"})
    async with session.create_client(
        "ssm",
        region_name="us-east-1",
        endpoint_url="https://ssm.us-east-1.amazonaws.com",
        config=config,
    ) as client:
        client.meta.events.register(
            "before-send.ssm.DescribeMaintenanceWindowTasks", pages, unique_id="ssm-mw-canned"
        )
        yield client


class CannedReply:
    """Answer every request of an operation with one body (``request_count`` counts them)."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.request_count = 0

    async def __call__(self, request: Any, **_: Any) -> AioAWSResponse:
        self.request_count += 1
        return AioAWSResponse(request.url, 200, dict(_HEADERS), _Body(self.body))


def canned_session(replies: dict[str, CannedReply]) -> AioSession:
    """A session whose clients get ``replies[operation]`` for those operations (no network).

    The handlers are registered on the session, so every client it creates,
    ssm-mw's own and a plain aiobotocore one, inherits them.
    """
    session = AioSession()
    session.set_credentials("testing", "testing")
    for operation, reply in replies.items():
        session.register(f"before-send.ssm.{operation}", reply, unique_id=f"ssm-mw-{operation}")
    return session
