"""B8, a typed get end to end: ``get_maintenance_window_task`` against a raw aiobotocore get.

A full GetMaintenanceWindowTask body (RunCommand, 10 parameters, every member
set) comes from memory at aiobotocore's HTTP layer (a ``before-send`` handler):
each contender pays aiobotocore's whole client path (serialization, signing,
events, retries, parsing) and nothing else. Two of ours, each returning a
typed result: a ``MaintenanceWindowClient`` with its own session (the
handler registered on its client's events), and
``MaintenanceWindowClient.from_client`` of a plain aiobotocore client made
exactly as the baseline's. The baseline is a plain aiobotocore client
(standard retries, 32 connections) of a session with the handler registered,
whose ``get_maintenance_window_task(**params)`` returns botocore's dict.
Target: <= 0.9x for both (aim 0.85x).

Each sample is the process's CPU time per call over 30 calls, in 61
interleaved rounds of the three (``benchmarks/_per_call.py``): on a shared
machine, wall time also measures how often other jobs took the core. Both
rows compare with the same baseline rounds. The wall-clock ratio of the same
rounds is in the notes.
"""

from __future__ import annotations

import asyncio

from ssm_mw import MaintenanceWindowTaskDetails

from ._canned import CannedReply
from ._fixtures import WINDOW_ID, WINDOW_TASK_ID, full_get_response_body
from ._harness import Result
from ._per_call import PerCall, canned_contenders, time_contenders

__all__ = ["run"]

TARGET = 0.9


def _typed(details: object) -> None:
    assert isinstance(details, MaintenanceWindowTaskDetails)
    assert details.task_invocation_parameters is not None


def _raw(response: object) -> None:
    assert isinstance(response, dict)
    assert response["TaskInvocationParameters"]["RunCommand"]["TimeoutSeconds"] == 600


async def _measure(*, calls: int, rounds: int) -> list[PerCall]:
    reply = CannedReply(full_get_response_body())
    async with canned_contenders("GetMaintenanceWindowTask", reply) as (own, wrapped, raw):
        return await time_contenders(
            [
                (lambda: own.get_maintenance_window_task(WINDOW_ID, WINDOW_TASK_ID), _typed),
                (lambda: wrapped.get_maintenance_window_task(WINDOW_ID, WINDOW_TASK_ID), _typed),
                (
                    lambda: raw.get_maintenance_window_task(
                        WindowId=WINDOW_ID, WindowTaskId=WINDOW_TASK_ID
                    ),
                    _raw,
                ),
            ],
            calls=calls,
            rounds=rounds,
        )


def run(*, smoke: bool) -> list[Result]:
    """Time typed gets of both clients against raw gets, interleaved, per call."""
    calls, rounds = (5, 2) if smoke else (30, 61)
    own, wrapped = asyncio.run(_measure(calls=calls, rounds=rounds))
    setup = (
        "GetMaintenanceWindowTask of a full task from memory at aiobotocore's before-send: "
        "{} (typed) vs a raw aiobotocore get (dict)"
    )
    return [
        own.result(
            "B8 typed get end to end",
            setup.format("MaintenanceWindowClient with its own session"),
            TARGET,
        ),
        wrapped.result(
            "B8 typed get via from_client",
            setup.format("MaintenanceWindowClient.from_client of a plain aiobotocore client"),
            TARGET,
        ),
    ]
