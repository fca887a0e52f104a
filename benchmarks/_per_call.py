"""What B8 and B9 share: ssm-mw's client and a raw one on canned HTTP, timed per call.

Ours is a ``MaintenanceWindowClient`` with its own session, as a user makes it
(its client skips botocore's validation, since ssm-mw's ran), with the canned
reply registered on that client's events; the baseline is a plain aiobotocore
client of a session with the same reply, standard retries and 32 connections.
Both run in this process only and do no I/O, so each sample is the process's
CPU time (``time.process_time``) per call over a round of calls; the rounds
of the two alternate, and the wall-clock ratio of the same rounds is kept.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from aiobotocore.config import AioConfig

from ssm_mw import MaintenanceWindowClient

from ._canned import CannedReply, canned_session
from ._harness import Result, interleave_async, median

__all__ = ["PerCall", "canned_clients", "time_per_call"]

_REGION, _ENDPOINT = "us-east-1", "https://ssm.us-east-1.amazonaws.com"


@asynccontextmanager
async def canned_clients(
    operation: str, reply: CannedReply
) -> AsyncIterator[tuple[MaintenanceWindowClient, Any]]:
    """``(ours, raw)``, both answered with ``reply`` for ``operation``."""
    session = canned_session({operation: reply})
    config = AioConfig(retries={"mode": "standard"}, max_pool_connections=32)
    async with AsyncExitStack() as stack:
        mw = await stack.enter_async_context(
            MaintenanceWindowClient(
                region_name=_REGION,
                endpoint_url=_ENDPOINT,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
        )
        mw._client.meta.events.register(f"before-send.ssm.{operation}", reply)
        raw = await stack.enter_async_context(
            session.create_client("ssm", config=config, region_name=_REGION, endpoint_url=_ENDPOINT)
        )
        yield mw, raw


class PerCall:
    """CPU seconds per call of each contender, and the wall-clock ratio of the same rounds."""

    def __init__(self, ours: list[float], baseline: list[float], wall_ratio: float) -> None:
        self.ours = ours
        self.baseline = baseline
        self.wall_ratio = wall_ratio

    def result(self, name: str, description: str, target: float) -> Result:
        """The benchmark's :class:`Result`, the wall-clock ratio in its notes."""
        return Result(
            name=name,
            description=description,
            ours=median(self.ours),
            baseline=median(self.baseline),
            unit="s",
            target=target,
            rounds=len(self.ours),
            ours_samples=self.ours,
            baseline_samples=self.baseline,
            notes=f"wall-clock ratio of the same rounds: {self.wall_ratio:.3f}x",
        )


async def time_per_call(
    ours: Callable[[], Awaitable[object]],
    baseline: Callable[[], Awaitable[object]],
    check: tuple[Callable[[Any], object], Callable[[Any], object]],
    *,
    calls: int,
    rounds: int,
) -> PerCall:
    """Alternate rounds of ``calls`` calls of each (after one round each to warm up).

    ``check[0]`` and ``check[1]`` see the last result of each round of ours and
    of the baseline, so that a contender doing nothing cannot pass as fast.
    """
    walls: list[list[float]] = [[], []]

    def timed(call: Callable[[], Awaitable[object]], side: int) -> Callable[[], Awaitable[float]]:
        async def one_round() -> float:
            start, wall = time.process_time(), time.perf_counter()
            result: object = None
            for _ in range(calls):
                result = await call()
            elapsed = time.process_time() - start
            walls[side].append((time.perf_counter() - wall) / calls)
            check[side](result)
            return elapsed / calls

        return one_round

    contenders = [timed(ours, 0), timed(baseline, 1)]
    for contender in contenders:  # warm up both paths
        await contender()
    walls[0].clear()
    walls[1].clear()
    ours_s, raw_s = await interleave_async(contenders, rounds)
    return PerCall(ours_s, raw_s, median(walls[0]) / median(walls[1]))
