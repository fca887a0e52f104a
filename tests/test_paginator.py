"""The paginator's prefetch: one page ahead at most, on demand without it, and a clean stop.

These run against the embedded backend and count describe requests on the
server (``request_count``, and ``in_flight``: received and not yet answered):

* with prefetch (the default) the next page is requested while the caller
  works on the current one, and never more than one page ahead;
* with ``prefetch=False`` a page is requested only when the caller asks;
* leaving early (``break``, ``aclose``/``async with``, cancelling the caller)
  cancels the request in flight, sends nothing more, and leaves the client
  usable;
* an empty ``NextToken`` ends the iteration.

The tests wait for what they check (a request received, a prefetch answered,
every request answered), polled with a deadline. Two waits stay real:

* ``LATENCY``: the server holds each describe that long in the tests that
  leave early, so that the prefetch they cancel is still in flight when they
  cancel it (they cancel as soon as the server has received it).
* ``QUIET``: that nothing more is sent can only be seen by waiting a while
  with nothing new arriving.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any, NamedTuple

import pytest

from ssm_mw import (
    MaintenanceWindowClient,
    RunCommandParameters,
    Target,
    TaskDefinition,
    TaskPaginator,
)
from ssm_mw.testing import EmbeddedSSMServer
from support.operations import DEFINITION, DESCRIBE
from support.waiting import answered, until

PAGE_SIZE = 10
PAGES = 4
#: Seconds the server holds each describe in the tests that leave early: the time left to
#: cancel a prefetch the server has received (a stalled event loop must not outlast it).
LATENCY = 0.3
#: Seconds with no new describe after which nothing more is taken to be sent (a request
#: on loopback arrives within milliseconds).
QUIET = 0.1


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
) -> str:
    """A window with PAGES pages of tasks."""
    ssm_server.max_tasks_per_window = PAGES * PAGE_SIZE
    limit = asyncio.Semaphore(8)

    async def register(n: int) -> None:
        async with limit:
            await mw_client.register_task_with_maintenance_window(maintenance_window_id, _task(n))

    await asyncio.gather(*(register(n) for n in range(PAGES * PAGE_SIZE)))
    return maintenance_window_id


@pytest.fixture
async def loop_errors() -> list[dict[str, Any]]:
    """What the event loop's exception handler receives (a leaked or failed task)."""
    errors: list[dict[str, Any]] = []
    asyncio.get_running_loop().set_exception_handler(lambda _loop, ctx: errors.append(ctx))
    return errors


class SlowWindow(NamedTuple):
    """The server, a client, the window, and what the event loop's exception handler receives."""

    server: EmbeddedSSMServer
    mw: MaintenanceWindowClient
    window: str
    loop_errors: list[dict[str, Any]]


@pytest.fixture
def slow_window(
    ssm_server: EmbeddedSSMServer,
    mw_client: MaintenanceWindowClient,
    window: str,
    loop_errors: list[dict[str, Any]],
) -> SlowWindow:
    """The window, each describe answered LATENCY seconds late (the server's reset clears it)."""
    ssm_server.inject_latency(LATENCY, operation=DESCRIBE)
    return SlowWindow(ssm_server, mw_client, window, loop_errors)


def _described(server: EmbeddedSSMServer) -> int:
    return server.request_count(DESCRIBE)


async def _requested(server: EmbeddedSSMServer, n: int) -> None:
    """Wait until the server has received ``n`` describes (with LATENCY, the n-th is held)."""
    await until(lambda: _described(server) == n, f"{n} describes received")


async def _nothing_more_sent(server: EmbeddedSSMServer, sent: int) -> None:
    """Every describe is answered (an abandoned one runs on), then QUIET brings no new one."""
    await answered(server, DESCRIBE)
    await asyncio.sleep(QUIET)
    assert _described(server) == sent
    assert server.in_flight(DESCRIBE) == 0


async def _stopped_cleanly(
    mw: MaintenanceWindowClient, server: EmbeddedSSMServer, window: str
) -> None:
    """Page 1 and the cancelled page 2 were sent, nothing after; the client still lists a page."""
    await _nothing_more_sent(server, 2)
    server.inject_latency(0, operation=DESCRIBE)
    page = await mw.describe_maintenance_window_tasks(window, max_results=PAGE_SIZE)
    assert len(page.tasks) == PAGE_SIZE


async def _other_tasks_ended() -> list[asyncio.Task[Any]]:
    """Await every task of this loop but the current one, whatever its end; return them."""
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in others:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    return others


async def test_prefetch_is_on_by_default_and_never_more_than_one_page_ahead(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, window: str
) -> None:
    """While the caller works on page k, page k+1 is requested, and page k+2 is not."""
    paginator = mw_client.paginate_maintenance_window_tasks(window, page_size=PAGE_SIZE)
    seen = 0
    async for _page in paginator.pages():
        seen += 1
        # The caller works on page `seen` (asks for nothing): the next page's request is
        # sent and answered meanwhile, and after it no other.
        await until(
            lambda: paginator._in_flight is None or paginator._in_flight.done(),
            "the prefetch answered",
        )
        await asyncio.sleep(QUIET)
        # The server's own count of a request ends after its answer is sent: wait for it.
        await until(lambda: ssm_server.in_flight(DESCRIBE) == 0, "the server's answer done")
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
        await _nothing_more_sent(ssm_server, seen)
    assert seen == PAGES

    # The task iterator too: the next request only when the page's tasks run out.
    before = _described(ssm_server)
    paginator = mw_client.paginate_maintenance_window_tasks(
        window, page_size=PAGE_SIZE, prefetch=False
    )
    async with paginator:
        for _ in range(PAGE_SIZE):
            await paginator.__anext__()
        await _nothing_more_sent(ssm_server, before + 1)
        await paginator.__anext__()
        assert _described(ssm_server) == before + 2


async def test_leaving_by_async_with_cancels_the_request_in_flight(slow_window: SlowWindow) -> None:
    """break inside ``async with``: the prefetch is cancelled, nothing more is sent."""
    ssm_server, mw_client, window, loop_errors = slow_window
    async with mw_client.paginate_maintenance_window_tasks(
        window, page_size=PAGE_SIZE
    ) as paginator:
        async for _task in paginator:
            await _requested(ssm_server, 2)  # page 2 is now in flight on the server
            in_flight = paginator._in_flight
            break
    assert in_flight is not None
    assert in_flight.cancelled()
    assert paginator._in_flight is None
    assert _described(ssm_server) == 2  # page 1, and the cancelled request for page 2
    await _stopped_cleanly(mw_client, ssm_server, window)
    assert loop_errors == []


async def test_a_plain_break_cancels_the_request_in_flight(slow_window: SlowWindow) -> None:
    """break out of ``async for`` without ``async with``: dropping the iterator cancels it."""
    ssm_server, mw_client, window, loop_errors = slow_window
    async for _task in mw_client.paginate_maintenance_window_tasks(window, page_size=PAGE_SIZE):
        await _requested(ssm_server, 2)  # page 2 is now in flight on the server
        break
    # The iterator is gone with the loop; catch its prefetch among the running tasks.
    cancelled = [t for t in await _other_tasks_ended() if t.cancelled()]
    assert cancelled != []
    assert _described(ssm_server) == 2
    await _stopped_cleanly(mw_client, ssm_server, window)
    assert loop_errors == []


async def test_aclose_cancels_the_request_in_flight(slow_window: SlowWindow) -> None:
    """aclose() during iteration over pages: cancelled, nothing more, closing twice is fine."""
    ssm_server, mw_client, window, loop_errors = slow_window
    pages = mw_client.paginate_maintenance_window_tasks(window, page_size=PAGE_SIZE)
    assert isinstance(pages, TaskPaginator)
    iterator = pages.pages()
    await iterator.__anext__()
    await _requested(ssm_server, 2)  # page 2 is now in flight on the server
    in_flight = pages._in_flight
    await iterator.aclose()
    await pages.aclose()
    assert in_flight is not None
    assert in_flight.cancelled()
    assert _described(ssm_server) == 2
    await _stopped_cleanly(mw_client, ssm_server, window)
    assert loop_errors == []


async def test_cancelling_the_caller_cancels_the_request_it_waits_for(
    slow_window: SlowWindow,
) -> None:
    """The caller is cancelled while it waits for page 2: that request is cancelled too."""
    ssm_server, mw_client, window, loop_errors = slow_window
    got_first_page = asyncio.Event()

    async def consume() -> None:
        count = 0
        async for _task in mw_client.paginate_maintenance_window_tasks(window, page_size=PAGE_SIZE):
            count += 1
            if count == PAGE_SIZE:
                got_first_page.set()  # the next __anext__ waits for page 2

    consumer = asyncio.create_task(consume())
    await got_first_page.wait()
    await _requested(ssm_server, 2)  # page 2 is in flight on the server; the caller waits for it
    consumer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await consumer
    await asyncio.sleep(0)
    leftover = await _other_tasks_ended()
    assert all(t.cancelled() for t in leftover)
    assert _described(ssm_server) == 2
    await _stopped_cleanly(mw_client, ssm_server, window)
    assert loop_errors == []


@pytest.mark.reliability
async def test_an_empty_next_token_ends_the_iteration(ssm_server: EmbeddedSSMServer) -> None:
    """A last page whose NextToken is "" (the API reference's "no more items") ends iteration."""
    window_id = ssm_server.create_maintenance_window()
    session = ssm_server.aio_session()
    async with session.create_client("ssm", **ssm_server.client_kwargs()) as ssm:

        def empty_token_on_the_last_page(response_dict: dict[str, Any], **_: Any) -> None:
            body = json.loads(response_dict["body"] or b"{}")
            if "Tasks" in body and "NextToken" not in body:
                response_dict["body"] = json.dumps({**body, "NextToken": ""}).encode()

        ssm.meta.events.register(f"before-parse.ssm.{DESCRIBE}", empty_token_on_the_last_page)
        mw = MaintenanceWindowClient.from_client(ssm)
        registered = [
            await mw.register_task_with_maintenance_window(window_id, DEFINITION) for _ in range(15)
        ]
        before = ssm_server.request_count(DESCRIBE)
        seen = [t.window_task_id async for t in mw.paginate_maintenance_window_tasks(window_id)]
        assert seen == registered
        assert ssm_server.request_count(DESCRIBE) - before == 2
        pages = [p async for p in mw.paginate_maintenance_window_tasks(window_id).pages()]
        assert [p.next_token for p in pages][-1] is None
