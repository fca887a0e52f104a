"""B3, end to end: page 10,000 tasks (100 pages of 100) through aiobotocore.

Responses come from memory at aiobotocore's HTTP layer (``before-send``; no
network, no server), so each contender pays aiobotocore's whole client path:
serialization, signing, events, parsing. Ours is
``paginate_maintenance_window_tasks`` (default settings: prefetch on) over
``MaintenanceWindowClient.from_client`` of the same aiobotocore client that the
baseline, aiobotocore's own paginator, uses. Target: <= 0.75x (aim 0.6x).
"""

from __future__ import annotations

import asyncio
import time

from ssm_mw import MaintenanceWindowClient

from ._canned import CannedPages, canned_client
from ._fixtures import WINDOW_ID, page_body
from ._harness import Result, interleave_async, median

__all__ = ["run"]


async def _measure(*, pages: int, page_size: int, rounds: int) -> tuple[list[float], list[float]]:
    canned = CannedPages([page_body(WINDOW_ID, i, pages, page_size) for i in range(pages)])
    expected = pages * page_size
    async with canned_client(canned) as client:
        mw = MaintenanceWindowClient.from_client(client)
        raw_paginator = client.get_paginator("describe_maintenance_window_tasks")

        async def ours() -> float:
            start = time.perf_counter()
            count = 0
            async for _task in mw.paginate_maintenance_window_tasks(WINDOW_ID, page_size=page_size):
                count += 1
            elapsed = time.perf_counter() - start
            assert count == expected, count
            return elapsed

        async def raw() -> float:
            start = time.perf_counter()
            count = 0
            async for page in raw_paginator.paginate(
                WindowId=WINDOW_ID, PaginationConfig={"PageSize": page_size}
            ):
                for _task in page["Tasks"]:
                    count += 1
            elapsed = time.perf_counter() - start
            assert count == expected, count
            return elapsed

        await ours()  # warm up both paths (hooks, caches, connection-free client setup)
        await raw()
        ours_s, raw_s = await interleave_async([ours, raw], rounds)
    return ours_s, raw_s


def run(*, smoke: bool) -> list[Result]:
    """Page the tasks with both contenders, interleaved, and compare medians."""
    pages, page_size, rounds = (3, 10, 2) if smoke else (100, 100, 9)
    ours_s, raw_s = asyncio.run(_measure(pages=pages, page_size=page_size, rounds=rounds))
    return [
        Result(
            name="B3 end to end paging",
            description=(
                f"{pages * page_size} tasks ({pages} pages of {page_size}) from memory at "
                "aiobotocore's before-send: our iterator vs aiobotocore's paginator"
            ),
            ours=median(ours_s),
            baseline=median(raw_s),
            unit="s",
            target=0.75,
            rounds=rounds,
            ours_samples=ours_s,
            baseline_samples=raw_s,
        )
    ]
