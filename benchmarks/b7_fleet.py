"""B7, fleet: ``set_cutoff_behavior`` at concurrency 16 against concurrency 1.

50 windows of 20 tasks each on the embedded backend (in a process of its
own), with 20 ms injected latency on every request. Each run flips every
task's cutoff behavior (the runs alternate ``CANCEL_TASK`` and
``CONTINUE_TASK``), so each run lists 50 windows and updates 1,000 tasks.
Target: concurrency 16 at least 8x faster.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import time

from ssm_mw import CutoffBehavior, set_cutoff_behavior

from ._embedded import client_for, populate
from ._harness import Result, interleave_async, median
from ._server_process import RemoteServer

__all__ = ["run"]


async def _measure(
    server: RemoteServer, windows: int, tasks: int, latency: float, rounds: int, notes: list[str]
) -> tuple[list[float], list[float]]:
    window_ids = [server.create_maintenance_window(name=f"bench-fleet-{i}") for i in range(windows)]
    async with client_for(server) as mw:
        await populate(mw, window_ids, tasks, concurrency=16)
        server.inject_latency(latency)
        # Every run flips every task, whichever contender runs it.
        behaviors = itertools.cycle([CutoffBehavior.CANCEL_TASK, CutoffBehavior.CONTINUE_TASK])

        async def at(concurrency: int) -> float:
            behavior = next(behaviors)
            start = time.perf_counter()
            report = await set_cutoff_behavior(mw, window_ids, behavior, concurrency=concurrency)
            elapsed = time.perf_counter() - start
            assert report.ok, report.failed
            assert len(report.changed) == windows * tasks, len(report.changed)
            return elapsed

        async def wide() -> float:
            return await at(16)

        async def narrow() -> float:
            return await at(1)

        samples = await interleave_async([wide, narrow], rounds)
        # Where the time goes at concurrency 16: the same run without latency,
        # with the CPU time of both processes.
        server.inject_latency(0)
        cpu_server, cpu_client = server.cpu_seconds(), time.process_time()
        floor = await wide()
        cpu_client = time.process_time() - cpu_client
        after = server.cpu_seconds()
        used = None if cpu_server is None or after is None else after - cpu_server
        requests = windows + windows * tasks
        notes.append(
            f"concurrency 16 without latency: {floor:.2f} s for {requests} requests; "
            f"CPU: client {cpu_client:.2f} s"
            + ("" if used is None else f", embedded server {used:.2f} s")
            + f" ({os.cpu_count()} cores)"
        )
    return samples[0], samples[1]


def run(*, smoke: bool) -> list[Result]:
    """Run the fleet change at both concurrencies, interleaved."""
    windows, tasks, latency, rounds = (2, 3, 0.002, 1) if smoke else (50, 20, 0.020, 3)
    with RemoteServer() as server:
        server.set_max_tasks_per_window(tasks)
        notes: list[str] = []
        wide_s, narrow_s = asyncio.run(_measure(server, windows, tasks, latency, rounds, notes))
    return [
        Result(
            name="B7 fleet concurrency",
            description=(
                f"set_cutoff_behavior over {windows} windows x {tasks} tasks, "
                f"{latency * 1e3:g} ms injected latency: concurrency 16 vs 1"
            ),
            ours=median(wide_s),
            baseline=median(narrow_s),
            unit="s",
            target=8.0,
            higher_is_better=True,
            rounds=rounds,
            ours_samples=wide_s,
            baseline_samples=narrow_s,
            notes="; ".join(notes),
        )
    ]
