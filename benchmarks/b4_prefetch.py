"""B4, prefetch: the next page is fetched while the caller works on the current one.

20 pages (200 tasks, pages of 10) from the embedded backend with 20 ms of
injected latency per request, and a consumer that spends 20 ms (awaiting) on
each page. Ours is ``paginate_maintenance_window_tasks(...).pages()`` with
prefetch on (the default); the baseline is aiobotocore's paginator over the
same aiobotocore client. Without prefetch both take about pages x (latency +
work); with it, about pages x max(latency, work). Target: <= 0.6x.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from ._embedded import client_for, populate
from ._harness import Result, interleave_async, median
from ._server_process import RemoteServer

__all__ = ["run"]

_DESCRIBE = "DescribeMaintenanceWindowTasks"


async def _measure(
    server: RemoteServer, pages: int, page_size: int, latency: float, work: float, rounds: int
) -> tuple[list[float], list[float], list[float]]:
    window_id = server.create_maintenance_window(name="bench-prefetch")
    async with client_for(server) as mw:
        await populate(mw, [window_id], pages * page_size)
        raw: Any = mw._open_client()  # the same aiobotocore client for the baseline
        raw_paginator = raw.get_paginator("describe_maintenance_window_tasks")
        server.inject_latency(latency, operation=_DESCRIBE)

        async def ours(prefetch: bool = True) -> float:
            start = time.perf_counter()
            seen = 0
            async for _page in mw.paginate_maintenance_window_tasks(
                window_id, page_size=page_size, prefetch=prefetch
            ).pages():
                seen += 1
                await asyncio.sleep(work)
            elapsed = time.perf_counter() - start
            assert seen == pages, seen
            return elapsed

        async def ours_no_prefetch() -> float:
            return await ours(prefetch=False)

        async def baseline() -> float:
            start = time.perf_counter()
            seen = 0
            async for _page in raw_paginator.paginate(
                WindowId=window_id, PaginationConfig={"PageSize": page_size}
            ):
                seen += 1
                await asyncio.sleep(work)
            elapsed = time.perf_counter() - start
            assert seen == pages, seen
            return elapsed

        samples = await interleave_async([ours, baseline, ours_no_prefetch], rounds)
        server.inject_latency(0, operation=_DESCRIBE)
    return samples[0], samples[1], samples[2]


def run(*, smoke: bool) -> list[Result]:
    """Page with prefetch against aiobotocore's paginator, with latency and a slow consumer."""
    pages, page_size, latency, work, rounds = (
        (2, 10, 0.002, 0.002, 1) if smoke else (20, 10, 0.020, 0.020, 7)
    )
    with RemoteServer() as server:
        server.set_max_tasks_per_window(pages * page_size)
        ours_s, base_s, off_s = asyncio.run(
            _measure(server, pages, page_size, latency, work, rounds)
        )
    return [
        Result(
            name="B4 prefetch",
            description=(
                f"{pages} pages, {latency * 1e3:g} ms injected latency per page, consumer "
                f"{work * 1e3:g} ms per page: prefetching iterator vs aiobotocore's paginator"
            ),
            ours=median(ours_s),
            baseline=median(base_s),
            unit="s",
            target=0.6,
            rounds=rounds,
            ours_samples=ours_s,
            baseline_samples=base_s,
            notes=f"prefetch=False (for reference): median {median(off_s):.4f} s",
        )
    ]
