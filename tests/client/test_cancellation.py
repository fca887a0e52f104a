"""Cancelling calls and iterations mid-flight leaves the client usable; closing leaks nothing."""

from __future__ import annotations

import asyncio
import gc
import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
import pytest

from ssm_mw import MaintenanceWindowClient, TaskPaginator
from ssm_mw.testing import EmbeddedSSMServer
from support.clients import client_for
from support.figures import count
from support.operations import (
    DEFINITION,
    DESCRIBE,
    GET,
    OPERATIONS,
    REGISTER,
    operation,
    prepare,
    task_ids,
)
from support.waiting import answered, until

LATENCY = 0.5


pytestmark = pytest.mark.reliability  # a guarantee of docs/reliability.md


def other_tasks() -> set[asyncio.Task[Any]]:
    """The tasks of this loop that are not done, but the current one."""
    return {t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()}


async def settle() -> None:
    """Let cancelled tasks run to their end."""
    for _ in range(5):
        await asyncio.sleep(0.01)


async def everything_works(mw: MaintenanceWindowClient, window_id: str, task_id: str) -> None:
    """Each of the four operations succeeds on ``mw``."""
    for name in OPERATIONS:
        await operation(name, window_id, task_id)(mw)


@pytest.mark.parametrize("name", OPERATIONS)
async def test_cancelling_a_call_in_flight_leaves_the_client_usable(
    ssm_server: EmbeddedSSMServer, name: str
) -> None:
    """A call cancelled while its request is in flight: CancelledError, then the client works."""
    async with client_for(ssm_server) as mw:
        window_id, task_id = await prepare(ssm_server, mw)
        before = ssm_server.request_count(name)
        ssm_server.inject_latency(LATENCY, operation=name)
        call = asyncio.create_task(operation(name, window_id, task_id)(mw))
        await until(lambda: ssm_server.request_count(name) > before, f"{name} sent")
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        ssm_server.inject_latency(0, operation=name)
        await settle()
        assert other_tasks() == set()
        await everything_works(mw, window_id, task_id)
        count("cancellation:calls_cancelled")


async def test_a_cancelled_register_resent_with_its_token_makes_one_task(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """A register cancelled after sending may commit; re-sending its token never makes two."""
    async with client_for(ssm_server) as mw:
        window_id = ssm_server.create_maintenance_window()
        ssm_server.inject_latency(LATENCY, operation=REGISTER)
        token = "cancelled-0001"
        call = asyncio.create_task(
            mw.register_task_with_maintenance_window(window_id, DEFINITION, client_token=token)
        )
        await until(lambda: ssm_server.request_count(REGISTER) == 1, "the register sent")
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        ssm_server.inject_latency(0, operation=REGISTER)
        task_id = await mw.register_task_with_maintenance_window(
            window_id, DEFINITION, client_token=token
        )
        await answered(ssm_server, REGISTER)  # the cancelled request has committed
        assert await task_ids(mw, window_id) == [task_id]


async def test_cancelling_more_calls_than_the_pool_holds_leaks_no_connection(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """Six calls cancelled on a pool of two (two in flight, four waiting): the pool recovers."""
    async with client_for(ssm_server, max_pool_connections=2) as mw:
        window_id, task_id = await prepare(ssm_server, mw)
        before = ssm_server.request_count(GET)
        ssm_server.inject_latency(LATENCY, operation=GET)
        calls = [
            asyncio.create_task(mw.get_maintenance_window_task(window_id, task_id))
            for _ in range(6)
        ]
        await until(lambda: ssm_server.request_count(GET) - before == 2, "two gets sent")
        for call in calls:
            call.cancel()
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results)
        ssm_server.inject_latency(0, operation=GET)
        again = [mw.get_maintenance_window_task(window_id, task_id) for _ in range(6)]
        done = await asyncio.wait_for(asyncio.gather(*again), timeout=20)
        assert {d.window_task_id for d in done} == {task_id}
        count("cancellation:calls_cancelled", 6)


async def _window_of(server: EmbeddedSSMServer, mw: MaintenanceWindowClient, n: int) -> str:
    """A window with ``n`` tasks (and room for a few more)."""
    server.max_tasks_per_window = n + 5
    window_id = server.create_maintenance_window()
    for _ in range(n):
        await mw.register_task_with_maintenance_window(window_id, DEFINITION)
    return window_id


async def test_cancelling_an_iteration_mid_flight_leaves_the_client_usable(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """An iteration cancelled while the next page is prefetched: no task left, client works."""
    async with client_for(ssm_server) as mw:
        window_id = await _window_of(ssm_server, mw, 25)
        expected = await task_ids(mw, window_id)
        ssm_server.inject_latency(LATENCY, operation=DESCRIBE)
        first = asyncio.Event()

        async def consume() -> None:
            async for _task in mw.paginate_maintenance_window_tasks(window_id, page_size=10):
                first.set()
                await asyncio.sleep(60)  # the caller works on the task; the next page is on its way

        before = ssm_server.request_count(DESCRIBE)
        consumer = asyncio.create_task(consume())
        await first.wait()
        await until(lambda: ssm_server.request_count(DESCRIBE) - before == 2, "the prefetch sent")
        consumer.cancel()
        with pytest.raises(asyncio.CancelledError):
            await consumer
        await settle()
        assert other_tasks() == set(), "the prefetch was cancelled with the iteration"
        ssm_server.inject_latency(0, operation=DESCRIBE)
        assert await task_ids(mw, window_id) == expected
        await everything_works(mw, window_id, expected[0])
        count("cancellation:iterations_cancelled")


async def test_leaving_an_iteration_early_cancels_the_prefetch_and_sends_nothing_more(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """Leaving by aclose() or async with: the page in flight is cancelled, no request follows."""
    async with client_for(ssm_server) as mw:
        window_id = await _window_of(ssm_server, mw, 25)
        ssm_server.inject_latency(LATENCY, operation=DESCRIBE)
        for leave in ("aclose", "async with"):
            before = ssm_server.request_count(DESCRIBE)
            paginator: TaskPaginator = mw.paginate_maintenance_window_tasks(window_id, page_size=10)
            prefetching = _requests_since(ssm_server, DESCRIBE, before, 2)
            if leave == "aclose":
                await anext(paginator)
                await until(prefetching, "the prefetch sent")
                await paginator.aclose()
            else:
                async with paginator:
                    await anext(paginator)
                    await until(prefetching, "the prefetch sent")
            await settle()
            assert other_tasks() == set(), leave  # nothing is left that could send
            await answered(ssm_server, DESCRIBE)  # the cancelled prefetch included
            assert ssm_server.request_count(DESCRIBE) - before == 2, leave


def _requests_since(
    server: EmbeddedSSMServer, name: str, before: int, n: int
) -> Callable[[], bool]:
    return lambda: server.request_count(name) - before == n


def _aiohttp_objects() -> list[Any]:
    gc.collect()
    kinds = (aiohttp.ClientSession, aiohttp.BaseConnector)
    return [o for o in gc.get_objects() if isinstance(o, kinds)]


class Leaks:
    """The aiohttp sessions and connectors made since it was created, and the warnings caught."""

    def __init__(self) -> None:
        self.known = {id(o) for o in _aiohttp_objects()}
        self.caught: list[warnings.WarningMessage] = []

    def made(self) -> list[Any]:
        """The aiohttp sessions and connectors made since, alive now."""
        return [o for o in _aiohttp_objects() if id(o) not in self.known]

    def resource_warnings(self) -> list[warnings.WarningMessage]:
        """The ResourceWarnings caught (an unclosed session or connector warns one)."""
        return [w for w in self.caught if issubclass(w.category, ResourceWarning)]


@contextmanager
def watching_leaks() -> Iterator[Leaks]:
    """Catch every warning in the block; the aiohttp objects alive before it are known."""
    leaks = Leaks()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        leaks.caught = caught
        yield leaks


async def test_closing_the_client_closes_every_aiohttp_session_and_connector(
    ssm_server: EmbeddedSSMServer, caplog: pytest.LogCaptureFixture
) -> None:
    """After close, every aiohttp session and connector the client made is closed; no warning."""
    with watching_leaks() as leaks:
        mw = client_for(ssm_server)
        async with mw:
            window_id, task_id = await prepare(ssm_server, mw)
            await everything_works(mw, window_id, task_id)
            made = leaks.made()
            assert made, "the client made its aiohttp session"
            assert not any(o.closed for o in made)
        await mw.aclose()  # closing twice is harmless
        assert all(o.closed for o in made)
        del made, mw
        gc.collect()
    assert leaks.resource_warnings() == []
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_closing_the_client_during_a_prefetch_leaks_nothing(
    ssm_server: EmbeddedSSMServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Close the client while a page is prefetched, then the paginator: no task, no warning."""
    before = ssm_server.request_count(DESCRIBE)
    with watching_leaks() as leaks:
        mw = client_for(ssm_server)
        async with mw:
            window_id = await _window_of(ssm_server, mw, 15)
            ssm_server.inject_latency(LATENCY, operation=DESCRIBE)
            paginator = mw.paginate_maintenance_window_tasks(window_id, page_size=10)
            await anext(paginator)
            await until(
                lambda: ssm_server.request_count(DESCRIBE) - before == 2, "the prefetch sent"
            )
            made = leaks.made()
            assert made, "the client made its aiohttp session"
        await paginator.aclose()
        await settle()
        assert other_tasks() == set()
        assert all(o.closed for o in made)
        del made, paginator, mw
        gc.collect()
    assert leaks.resource_warnings() == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    ssm_server.inject_latency(0, operation=DESCRIBE)
    await answered(ssm_server, DESCRIBE)  # the server finishes the abandoned request
