"""What B8 and B9 share: ssm-mw's clients and a raw one on canned HTTP, timed per call.

Ours is a ``MaintenanceWindowClient`` with its own session, as a user makes it
(its client skips botocore's validation, since ssm-mw's ran), with the canned
reply registered on that client's events; the baseline is a plain aiobotocore
client of a session with the same reply, standard retries and 32 connections.
:func:`canned_contenders` also hands out ``MaintenanceWindowClient.from_client``
of a second plain client of that session, made exactly as the baseline's.
All run in this process only and do no I/O, so each sample is the process's
CPU time (``time.process_time``) per call over a round of calls; the rounds
of the contenders alternate, and the wall-clock ratio of the same rounds is kept.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from aiobotocore.config import AioConfig

from ssm_mw import MaintenanceWindowClient

from ._canned import CannedReply, canned_session
from ._harness import Result, interleave_async, median

__all__ = [
    "PerCall",
    "canned_clients",
    "canned_contenders",
    "time_contenders",
    "time_per_call",
]

_REGION, _ENDPOINT = "us-east-1", "https://ssm.us-east-1.amazonaws.com"


@asynccontextmanager
async def canned_clients(
    operation: str, reply: CannedReply
) -> AsyncIterator[tuple[MaintenanceWindowClient, Any]]:
    """``(ours, raw)``, both answered with ``reply`` for ``operation``."""
    async with canned_contenders(operation, reply) as (mw, _, raw):
        yield mw, raw


@asynccontextmanager
async def canned_contenders(
    operation: str, reply: CannedReply
) -> AsyncIterator[tuple[MaintenanceWindowClient, MaintenanceWindowClient, Any]]:
    """``(ours, wrapped, raw)``, all answered with ``reply`` for ``operation``.

    ``ours`` is ssm-mw's own client; ``raw`` and the client that ``wrapped``
    (``MaintenanceWindowClient.from_client``) wraps are two plain aiobotocore
    clients made alike (one session, standard retries, 32 connections), so
    that the baseline's client is never touched by ssm-mw.
    """
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
        plain = [
            await stack.enter_async_context(
                session.create_client(
                    "ssm", config=config, region_name=_REGION, endpoint_url=_ENDPOINT
                )
            )
            for _ in range(2)
        ]
        yield mw, MaintenanceWindowClient.from_client(plain[1]), plain[0]


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


Contender = tuple[Callable[[], Awaitable[object]], Callable[[Any], object]]


async def time_contenders(
    contenders: Sequence[Contender], *, calls: int, rounds: int
) -> list[PerCall]:
    """Alternate rounds of ``calls`` calls of each contender (after one round each to warm up).

    A contender is ``(call, check)``; ``check`` sees the last result of each
    round, so that a contender doing nothing cannot pass as fast. The last
    contender is the baseline: one :class:`PerCall` per other contender,
    against the same baseline rounds.
    """
    walls: list[list[float]] = [[] for _ in contenders]

    def timed(call: Callable[[], Awaitable[object]], check: Callable[[Any], object], side: int):
        async def one_round() -> float:
            start, wall = time.process_time(), time.perf_counter()
            result: object = None
            for _ in range(calls):
                result = await call()
            elapsed = time.process_time() - start
            walls[side].append((time.perf_counter() - wall) / calls)
            check(result)
            return elapsed / calls

        return one_round

    rounds_of = [timed(call, check, i) for i, (call, check) in enumerate(contenders)]
    for one_round in rounds_of:  # warm up every path
        await one_round()
    for wall in walls:
        wall.clear()
    samples = await interleave_async(rounds_of, rounds)
    base, base_wall = samples[-1], median(walls[-1])
    return [
        PerCall(samples[i], base, median(walls[i]) / base_wall) for i in range(len(contenders) - 1)
    ]


async def time_per_call(
    ours: Callable[[], Awaitable[object]],
    baseline: Callable[[], Awaitable[object]],
    check: tuple[Callable[[Any], object], Callable[[Any], object]],
    *,
    calls: int,
    rounds: int,
) -> PerCall:
    """:func:`time_contenders` of two: ``ours`` (checked by ``check[0]``) and the baseline."""
    (timed,) = await time_contenders(
        [(ours, check[0]), (baseline, check[1])], calls=calls, rounds=rounds
    )
    return timed
