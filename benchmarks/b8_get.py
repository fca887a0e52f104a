"""B8, a typed get end to end: ``get_maintenance_window_task`` against a raw aiobotocore get.

A full GetMaintenanceWindowTask body (RunCommand, 10 parameters, every member
set) comes from memory at aiobotocore's HTTP layer (``before-send``, on the
session, so both clients get it): each contender pays aiobotocore's whole
client path (serialization, signing, events, retries, parsing) and nothing
else. Ours is a ``MaintenanceWindowClient`` with its own session (a typed result, through
the fast path); the baseline a plain client of the same session with the same
config, whose ``get_maintenance_window_task(**params)`` returns botocore's dict.
Target: <= 0.95x (aim 0.85x).

Both contenders run in this process only and do no I/O, so each sample is
the process's CPU time (``time.process_time``) per call over 30 calls, in 61
interleaved rounds: on a shared machine, wall time also measures how often
other jobs took the core. The wall-clock ratio of the same rounds is in the
notes.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import AsyncExitStack

from aiobotocore.config import AioConfig

from ssm_mw import MaintenanceWindowClient, MaintenanceWindowTaskDetails

from ._canned import CannedReply, canned_session
from ._fixtures import WINDOW_ID, WINDOW_TASK_ID, full_get_response_body
from ._harness import Result, interleave_async, median

__all__ = ["run"]

_CLIENT = {"region_name": "us-east-1", "endpoint_url": "https://ssm.us-east-1.amazonaws.com"}


async def _measure(
    *, calls: int, rounds: int, walls: dict[str, list[float]]
) -> tuple[list[float], list[float]]:
    reply = CannedReply(full_get_response_body())
    session = canned_session({"GetMaintenanceWindowTask": reply})
    config = AioConfig(retries={"mode": "standard"}, max_pool_connections=32)
    async with AsyncExitStack() as stack:
        # Ours with its own session, as a user makes it: its client skips botocore's
        # validation (ssm-mw's ran). The canned reply goes on that client's events.
        mw = await stack.enter_async_context(
            MaintenanceWindowClient(
                aws_access_key_id="testing", aws_secret_access_key="testing", **_CLIENT
            )
        )
        mw._client.meta.events.register("before-send.ssm.GetMaintenanceWindowTask", reply)
        raw = await stack.enter_async_context(
            session.create_client("ssm", config=config, **_CLIENT)
        )

        async def ours() -> float:
            start, wall = time.process_time(), time.perf_counter()
            for _ in range(calls):
                details = await mw.get_maintenance_window_task(WINDOW_ID, WINDOW_TASK_ID)
            elapsed = time.process_time() - start
            walls["ours"].append((time.perf_counter() - wall) / calls)
            assert isinstance(details, MaintenanceWindowTaskDetails)
            assert details.task_invocation_parameters is not None
            return elapsed / calls

        async def baseline() -> float:
            start, wall = time.process_time(), time.perf_counter()
            for _ in range(calls):
                response = await raw.get_maintenance_window_task(
                    WindowId=WINDOW_ID, WindowTaskId=WINDOW_TASK_ID
                )
            elapsed = time.process_time() - start
            walls["raw"].append((time.perf_counter() - wall) / calls)
            assert response["TaskInvocationParameters"]["RunCommand"]["TimeoutSeconds"] == 600
            return elapsed / calls

        await ours()  # warm up both paths
        await baseline()
        walls["ours"].clear()
        walls["raw"].clear()
        return await interleave_async([ours, baseline], rounds)


def run(*, smoke: bool) -> list[Result]:
    """Time typed gets against raw gets, interleaved, per call."""
    calls, rounds = (5, 2) if smoke else (30, 61)
    walls: dict[str, list[float]] = {"ours": [], "raw": []}
    ours_s, raw_s = asyncio.run(_measure(calls=calls, rounds=rounds, walls=walls))
    wall_ratio = median(walls["ours"]) / median(walls["raw"])
    return [
        Result(
            name="B8 typed get end to end",
            description=(
                "GetMaintenanceWindowTask of a full task from memory at aiobotocore's "
                "before-send: MaintenanceWindowClient (typed) vs a raw aiobotocore get (dict)"
            ),
            ours=median(ours_s),
            baseline=median(raw_s),
            unit="s",
            target=0.95,
            rounds=rounds,
            ours_samples=ours_s,
            baseline_samples=raw_s,
            notes=f"wall-clock ratio of the same rounds: {wall_ratio:.3f}x",
        )
    ]
