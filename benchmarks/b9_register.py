"""B9, a register end to end: ``register_task_with_maintenance_window`` against a raw register.

The request is a full ``TaskDefinition`` (RunCommand, 10 parameters, every
member set); the response (``{"WindowTaskId": ...}``) comes from memory at
aiobotocore's HTTP layer (``before-send``, on the session). Ours converts and
validates the definition (its validation replaces botocore's on its own
client) and returns the new id; the baseline, a plain client of the same
session with the same config, is given the botocore request dict ready-made
(botocore validates and serializes it, as for any raw call). Target: <= 1.0x
(aim 0.9x).

Both contenders run in this process only and do no I/O, so each sample is
the process's CPU time (``time.process_time``) per call over 30 calls, in 61
interleaved rounds: on a shared machine, wall time also measures how often
other jobs took the core. The wall-clock ratio of the same rounds is in the
notes.
"""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import AsyncExitStack

from aiobotocore.config import AioConfig

from ssm_mw import MaintenanceWindowClient
from ssm_mw._converter import register_request

from ._canned import CannedReply, canned_session
from ._fixtures import CLIENT_TOKEN, WINDOW_ID, WINDOW_TASK_ID, full_task_definition
from ._harness import Result, interleave_async, median

__all__ = ["run"]

_CLIENT = {"region_name": "us-east-1", "endpoint_url": "https://ssm.us-east-1.amazonaws.com"}


async def _measure(
    *, calls: int, rounds: int, walls: dict[str, list[float]]
) -> tuple[list[float], list[float]]:
    reply = CannedReply(json.dumps({"WindowTaskId": WINDOW_TASK_ID}).encode())
    session = canned_session({"RegisterTaskWithMaintenanceWindow": reply})
    config = AioConfig(retries={"mode": "standard"}, max_pool_connections=32)
    definition = full_task_definition()
    params = register_request(WINDOW_ID, definition, CLIENT_TOKEN)
    async with AsyncExitStack() as stack:
        # Ours with its own session, as a user makes it: its client skips botocore's
        # validation (ssm-mw's ran). The canned reply goes on that client's events.
        mw = await stack.enter_async_context(
            MaintenanceWindowClient(
                aws_access_key_id="testing", aws_secret_access_key="testing", **_CLIENT
            )
        )
        mw._client.meta.events.register("before-send.ssm.RegisterTaskWithMaintenanceWindow", reply)
        raw = await stack.enter_async_context(
            session.create_client("ssm", config=config, **_CLIENT)
        )

        async def ours() -> float:
            start, wall = time.process_time(), time.perf_counter()
            for _ in range(calls):
                task_id = await mw.register_task_with_maintenance_window(
                    WINDOW_ID, definition, client_token=CLIENT_TOKEN
                )
            elapsed = time.process_time() - start
            walls["ours"].append((time.perf_counter() - wall) / calls)
            assert task_id == WINDOW_TASK_ID
            return elapsed / calls

        async def baseline() -> float:
            start, wall = time.process_time(), time.perf_counter()
            for _ in range(calls):
                response = await raw.register_task_with_maintenance_window(**params)
            elapsed = time.process_time() - start
            walls["raw"].append((time.perf_counter() - wall) / calls)
            assert response["WindowTaskId"] == WINDOW_TASK_ID
            return elapsed / calls

        await ours()  # warm up both paths
        await baseline()
        walls["ours"].clear()
        walls["raw"].clear()
        return await interleave_async([ours, baseline], rounds)


def run(*, smoke: bool) -> list[Result]:
    """Time typed registers against raw registers, interleaved, per call."""
    calls, rounds = (5, 2) if smoke else (30, 61)
    walls: dict[str, list[float]] = {"ours": [], "raw": []}
    ours_s, raw_s = asyncio.run(_measure(calls=calls, rounds=rounds, walls=walls))
    wall_ratio = median(walls["ours"]) / median(walls["raw"])
    return [
        Result(
            name="B9 register end to end",
            description=(
                "RegisterTaskWithMaintenanceWindow of a full definition, answered from memory at "
                "aiobotocore's before-send: MaintenanceWindowClient vs a raw aiobotocore register"
            ),
            ours=median(ours_s),
            baseline=median(raw_s),
            unit="s",
            target=1.0,
            rounds=rounds,
            ours_samples=ours_s,
            baseline_samples=raw_s,
            notes=f"wall-clock ratio of the same rounds: {wall_ratio:.3f}x",
        )
    ]
