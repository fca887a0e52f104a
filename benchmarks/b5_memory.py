"""B5, memory: the iterator streams; it never holds every task.

Peak traced memory (``tracemalloc``) while streaming 10,000 tasks through
``paginate_maintenance_window_tasks``, against streaming 1,000, both in pages
of 100 served from memory at aiobotocore's HTTP layer. Page bodies are made
before tracing starts, so only what the client side allocates counts. Target:
<= 1.3x (a client that kept every task would be near 10x).
"""

from __future__ import annotations

import asyncio
import gc
import tracemalloc

from ssm_mw import MaintenanceWindowClient

from ._canned import CannedPages, canned_client
from ._fixtures import WINDOW_ID, page_body
from ._harness import Result, interleave_async, median

__all__ = ["run"]


async def _peak(client: object, pages: int, page_size: int) -> float:
    """Peak traced bytes above the starting point while streaming ``pages`` pages."""
    mw = MaintenanceWindowClient.from_client(client)
    gc.collect()
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        count = 0
        async for _task in mw.paginate_maintenance_window_tasks(WINDOW_ID, page_size=page_size):
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == pages * page_size, count
    return float(peak - start)


async def _measure(
    small: int, large: int, page_size: int, rounds: int
) -> tuple[list[float], list[float]]:
    # One set of page bodies per size: the last page of each ends the listing.
    small_pages = CannedPages([page_body(WINDOW_ID, i, small, page_size) for i in range(small)])
    large_pages = CannedPages([page_body(WINDOW_ID, i, large, page_size) for i in range(large)])
    async with (
        canned_client(small_pages) as small_client,
        canned_client(large_pages) as large_client,
    ):
        # Warm up: first calls build caches (hooks, loaders) that are not streaming costs.
        await _peak(small_client, small, page_size)
        await _peak(large_client, large, page_size)

        async def large_run() -> float:
            return await _peak(large_client, large, page_size)

        async def small_run() -> float:
            return await _peak(small_client, small, page_size)

        large_s, small_s = await interleave_async([large_run, small_run], rounds)
    return large_s, small_s


def run(*, smoke: bool) -> list[Result]:
    """Compare peak memory of streaming 10x the tasks."""
    small, large, page_size, rounds = (2, 4, 10, 1) if smoke else (10, 100, 100, 3)
    large_s, small_s = asyncio.run(_measure(small, large, page_size, rounds))
    return [
        Result(
            name="B5 streaming memory",
            description=(
                f"peak tracemalloc bytes streaming {large * page_size} tasks vs "
                f"{small * page_size} tasks (pages of {page_size})"
            ),
            ours=median(large_s),
            baseline=median(small_s),
            unit="B",
            target=1.3,
            rounds=rounds,
            ours_samples=large_s,
            baseline_samples=small_s,
        )
    ]
