"""Prefetch: one page ahead at most, on demand without it, and a clean stop.

These run against the embedded backend with injected latency on describe,
and count describe requests on the server (``request_count``):

* with prefetch (the default) the next page is requested while the caller
  works on the current one, and never more than one page ahead;
* with ``prefetch=False`` a page is requested only when the caller asks;
* leaving early (``break``, ``aclose``/``async with``, cancelling the caller)
  cancels the request in flight, sends nothing more, and leaves the client
  usable.

Latencies are generous (hundreds of milliseconds) so that a loaded machine
does not make the counts flaky: each check waits well past the latency.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from ssm_mw import (
    MaintenanceWindowClient,
    RunCommandParameters,
    Target,
    TaskDefinition,
    TaskPaginator,
)
from ssm_mw.testing import EmbeddedSSMServer
from support.operations import DESCRIBE

PAGE_SIZE = 10
PAGES = 4
LATENCY = 0.2  # seconds the server waits before each describe
SETTLE = 3 * LATENCY  # long enough for any request that was going to be sent to arrive


def _task(n: int) -> TaskDefinition:
    return TaskDefinition(
        task_arn="AWS-RunShellScript",
        task_invocation_parameters=RunCommandParameters(parameters={"commands": ("uptime",)}),
        targets=(Target.instances("i-0123456789abcdef0"),),
        max_concurrency="1",
        max_errors="0",
        name=f"task-{n}",
    )


@pytest.fixture
async def window(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str, mw_client: MaintenanceWindowClient
) -> AsyncIterator[str]:
    """A window with PAGES pages of tasks; describe then answers after LATENCY seconds."""
    ssm_server.max_tasks_per_window = PAGES * PAGE_SIZE
    for n in range(PAGES * PAGE_SIZE):
        await mw_client.register_task_with_maintenance_window(maintenance_window_id, _task(n))
    ssm_server.inject_latency(LATENCY, operation=DESCRIBE)
    yield maintenance_window_id
    ssm_server.inject_latency(0, operation=DESCRIBE)


@pytest.fixture
async def loop_errors() -> list[dict[str, Any]]:
    """What the event loop's exception handler receives (a leaked or failed task)."""
    errors: list[dict[str, Any]] = []
    asyncio.get_running_loop().set_exception_handler(lambda _loop, ctx: errors.append(ctx))
    return errors


def _described(server: EmbeddedSSMServer) -> int:
    return server.request_count(DESCRIBE)


async def _still_usable(
    mw: MaintenanceWindowClient, server: EmbeddedSSMServer, window: str
) -> None:
    server.inject_latency(0, operation=DESCRIBE)
    page = await mw.describe_maintenance_window_tasks(window, max_results=PAGE_SIZE)
    assert len(page.tasks) == PAGE_SIZE


async def test_prefetch_is_on_by_default_and_never_more_than_one_page_ahead(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, window: str
) -> None:
    """While the caller works on page k, page k+1 is requested, and page k+2 is not."""
    seen = 0
    async for _page in mw_client.paginate_maintenance_window_tasks(
        window, page_size=PAGE_SIZE
    ).pages():
        seen += 1
        await asyncio.sleep(SETTLE)  # the caller's slow work on this page
        assert _described(ssm_server) == min(seen + 1, PAGES)
    assert seen == PAGES
    assert _described(ssm_server) == PAGES  # the last page has no next token: nothing more


async def test_without_prefetch_pages_are_fetched_strictly_on_demand(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, window: str
) -> None:
    """prefetch=False: after page k is handed out, exactly k requests were sent, however long."""
    seen = 0
    async for _page in mw_client.paginate_maintenance_window_tasks(
        window, page_size=PAGE_SIZE, prefetch=False
    ).pages():
        seen += 1
        await asyncio.sleep(SETTLE)
        assert _described(ssm_server) == seen
    assert seen == PAGES

    # The task iterator too: the next request only when the page's tasks run out.
    before = _described(ssm_server)
    paginator = mw_client.paginate_maintenance_window_tasks(
        window, page_size=PAGE_SIZE, prefetch=False
    )
    async with paginator:
        for _ in range(PAGE_SIZE):
            await paginator.__anext__()
            await asyncio.sleep(LATENCY / 10)
        await asyncio.sleep(SETTLE)
        assert _described(ssm_server) == before + 1


async def test_leaving_by_async_with_cancels_the_request_in_flight(
    ssm_server: EmbeddedSSMServer,
    mw_client: MaintenanceWindowClient,
    window: str,
    loop_errors: list[dict[str, Any]],
) -> None:
    """break inside ``async with``: the prefetch is cancelled, nothing more is sent."""
    async with mw_client.paginate_maintenance_window_tasks(
        window, page_size=PAGE_SIZE
    ) as paginator:
        async for _task in paginator:
            await asyncio.sleep(LATENCY / 3)  # page 2 is now in flight on the server
            in_flight = paginator._in_flight
            break
    assert in_flight is not None
    assert in_flight.cancelled()
    assert paginator._in_flight is None
    sent = _described(ssm_server)
    assert sent == 2  # page 1, and the cancelled request for page 2
    await asyncio.sleep(SETTLE)
    assert _described(ssm_server) == sent
    await _still_usable(mw_client, ssm_server, window)
    assert loop_errors == []


async def test_a_plain_break_cancels_the_request_in_flight(
    ssm_server: EmbeddedSSMServer,
    mw_client: MaintenanceWindowClient,
    window: str,
    loop_errors: list[dict[str, Any]],
) -> None:
    """break out of ``async for`` without ``async with``: dropping the iterator cancels it."""
    in_flight: asyncio.Task[Any] | None = None
    async for _task in mw_client.paginate_maintenance_window_tasks(window, page_size=PAGE_SIZE):
        await asyncio.sleep(LATENCY / 3)
        break
    # The iterator is gone with the loop; catch its prefetch among the running tasks.
    pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in pending:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        if task.cancelled():
            in_flight = task
    assert in_flight is not None
    sent = _described(ssm_server)
    assert sent == 2
    await asyncio.sleep(SETTLE)
    assert _described(ssm_server) == sent
    await _still_usable(mw_client, ssm_server, window)
    assert loop_errors == []


async def test_aclose_cancels_the_request_in_flight(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, window: str
) -> None:
    """aclose() during iteration over pages: cancelled, nothing more, closing twice is fine."""
    pages = mw_client.paginate_maintenance_window_tasks(window, page_size=PAGE_SIZE)
    assert isinstance(pages, TaskPaginator)
    iterator = pages.pages()
    await iterator.__anext__()
    # Wait until the prefetch of page 2 has reached the server (it waits LATENCY there),
    # however slow the machine: a count, not a guess of time.
    for _ in range(1000):
        if _described(ssm_server) == 2:
            break
        await asyncio.sleep(0.01)
    in_flight = pages._in_flight
    await iterator.aclose()
    await pages.aclose()
    assert in_flight is not None
    assert in_flight.cancelled()
    sent = _described(ssm_server)
    await asyncio.sleep(SETTLE)
    assert _described(ssm_server) == sent == 2
    await _still_usable(mw_client, ssm_server, window)


async def test_cancelling_the_caller_cancels_the_request_it_waits_for(
    ssm_server: EmbeddedSSMServer,
    mw_client: MaintenanceWindowClient,
    window: str,
    loop_errors: list[dict[str, Any]],
) -> None:
    """The caller is cancelled while it waits for page 2: that request is cancelled too."""
    got_first_page = asyncio.Event()

    async def consume() -> None:
        count = 0
        async for _task in mw_client.paginate_maintenance_window_tasks(window, page_size=PAGE_SIZE):
            count += 1
            if count == PAGE_SIZE:
                got_first_page.set()  # the next __anext__ waits for page 2

    consumer = asyncio.create_task(consume())
    await got_first_page.wait()
    await asyncio.sleep(LATENCY / 3)
    consumer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await consumer
    await asyncio.sleep(0)
    leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in leftover:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    assert all(t.cancelled() for t in leftover)
    sent = _described(ssm_server)
    assert sent == 2
    await asyncio.sleep(SETTLE)
    assert _described(ssm_server) == sent
    await _still_usable(mw_client, ssm_server, window)
    assert loop_errors == []
