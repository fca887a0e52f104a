"""B9, a register end to end: ``register_task_with_maintenance_window`` against a raw register.

The request is a full ``TaskDefinition`` (RunCommand, 10 parameters, every
member set); the response (``{"WindowTaskId": ...}``) comes from memory at
aiobotocore's HTTP layer (a ``before-send`` handler, registered as for B8).
Ours, a ``MaintenanceWindowClient`` with its own session, converts and
validates the definition (its validation replaces botocore's on its own
client) and returns the new id; the baseline, a plain aiobotocore client, is
given the botocore request dict ready-made (botocore validates and serializes
it, as for any raw call). Target: <= 1.0x (aim 0.9x).

Each sample is the process's CPU time per call over 30 calls, in 61
interleaved rounds (``benchmarks/_per_call.py``): on a shared machine, wall
time also measures how often other jobs took the core. The wall-clock ratio
of the same rounds is in the notes.
"""

from __future__ import annotations

import asyncio
import json

from ssm_mw._converter import register_request

from ._canned import CannedReply
from ._fixtures import CLIENT_TOKEN, WINDOW_ID, WINDOW_TASK_ID, full_task_definition
from ._harness import Result
from ._per_call import PerCall, canned_clients, time_per_call

__all__ = ["run"]


def _typed(task_id: object) -> None:
    assert task_id == WINDOW_TASK_ID


def _raw(response: object) -> None:
    assert isinstance(response, dict)
    assert response["WindowTaskId"] == WINDOW_TASK_ID


async def _measure(*, calls: int, rounds: int) -> PerCall:
    reply = CannedReply(json.dumps({"WindowTaskId": WINDOW_TASK_ID}).encode())
    definition = full_task_definition()
    params = register_request(WINDOW_ID, definition, CLIENT_TOKEN)
    async with canned_clients("RegisterTaskWithMaintenanceWindow", reply) as (mw, raw):
        return await time_per_call(
            lambda: mw.register_task_with_maintenance_window(
                WINDOW_ID, definition, client_token=CLIENT_TOKEN
            ),
            lambda: raw.register_task_with_maintenance_window(**params),
            (_typed, _raw),
            calls=calls,
            rounds=rounds,
        )


def run(*, smoke: bool) -> list[Result]:
    """Time typed registers against raw registers, interleaved, per call."""
    calls, rounds = (5, 2) if smoke else (30, 61)
    timed = asyncio.run(_measure(calls=calls, rounds=rounds))
    description = (
        "RegisterTaskWithMaintenanceWindow of a full definition, answered from memory at "
        "aiobotocore's before-send: MaintenanceWindowClient vs a raw aiobotocore register"
    )
    return [timed.result("B9 register end to end", description, 1.0)]
