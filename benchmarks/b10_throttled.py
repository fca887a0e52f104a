"""B10, fleet under a rate limit: ``set_cutoff_behavior`` against a throttled service.

50 windows of 20 tasks each on the embedded backend (in a process of its
own), throttled to 50 requests a second for UpdateMaintenanceWindowTask (a
token bucket holding one second's worth, refused with ``ThrottlingException:
Rate exceeded`` as AWS does). Each run flips every task's cutoff behavior at
concurrency 16 (1,000 updates, 50 listings) starting from a full bucket.

Two ways to adapt, run interleaved:

* ssm-mw's own pacer (the default: a client in botocore's ``standard`` retry
  mode; ``set_cutoff_behavior`` paces every attempt per operation, shared by
  the 16 workers);
* botocore's ``adaptive`` retry mode (a client configured with it,
  ``adapt_to_throttling=False``: the client's own rate limiter paces).

Both send a task's update again when it stays throttled after botocore's
retries. Targets: 0 failed tasks, and a throughput of at least 80% of the
limit (the run takes at most 1.25 times ``updates / limit``). The notes give
each contender's throughput, failures and throttled share of all requests.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from dataclasses import dataclass, field

from aiobotocore.config import AioConfig

from ssm_mw import CutoffBehavior, MaintenanceWindowClient, set_cutoff_behavior

from ._embedded import client_for, populate
from ._harness import Result, interleave_async, median
from ._server_process import RemoteServer

__all__ = ["run"]

UPDATE = "UpdateMaintenanceWindowTask"


@dataclass
class _Tally:
    """What one contender's runs did."""

    seconds: list[float] = field(default_factory=lambda: [])
    failed: list[int] = field(default_factory=lambda: [])
    throttled_share: list[float] = field(default_factory=lambda: [])
    throttled_retries: list[int] = field(default_factory=lambda: [])

    def text(self, name: str, updates: int) -> str:
        rate = updates / statistics.median(self.seconds)
        share = statistics.median(self.throttled_share)
        return (
            f"{name}: {rate:.1f} updates/s, failed tasks {self.failed}, throttled "
            f"{share:.1%} of requests (median), throttled retries {self.throttled_retries}"
        )


async def _measure(
    server: RemoteServer, windows: int, tasks: int, limit: float, rounds: int
) -> tuple[_Tally, _Tally]:
    window_ids = [server.create_maintenance_window(name=f"bench-rate-{i}") for i in range(windows)]
    adaptive = MaintenanceWindowClient(
        region_name=server.region_name,
        endpoint_url=server.endpoint_url,
        session=server.aio_session(),
        config=AioConfig(retries={"mode": "adaptive"}),
    )
    ours_tally, adaptive_tally = _Tally(), _Tally()
    async with client_for(server) as mw, adaptive:
        await populate(mw, window_ids, tasks, concurrency=16)
        behaviors = itertools.cycle([CutoffBehavior.CANCEL_TASK, CutoffBehavior.CONTINUE_TASK])

        async def at(client: MaintenanceWindowClient, tally: _Tally, pace: bool) -> float:
            server.throttle(limit, operation=UPDATE)  # a fresh, full bucket for each run
            requests, throttled = server.request_count(), server.throttled_count()
            start = time.perf_counter()
            report = await set_cutoff_behavior(
                client, window_ids, next(behaviors), concurrency=16, adapt_to_throttling=pace
            )
            elapsed = time.perf_counter() - start
            changed = len(report.changed)
            assert changed + len(report.failed) == windows * tasks, report
            sent = server.request_count() - requests
            tally.seconds.append(elapsed)
            tally.failed.append(len(report.failed))
            tally.throttled_share.append((server.throttled_count() - throttled) / sent)
            tally.throttled_retries.append(report.throttled_retries)
            return elapsed

        async def ours() -> float:
            return await at(mw, ours_tally, True)

        async def botocore_adaptive() -> float:
            return await at(adaptive, adaptive_tally, False)

        await interleave_async([ours, botocore_adaptive], rounds)
        server.throttle(None, operation=UPDATE)
    return ours_tally, adaptive_tally


def run(*, smoke: bool) -> list[Result]:
    """Run the throttled fleet change with both ways of adapting, interleaved."""
    windows, tasks, limit, rounds = (2, 5, 5.0, 1) if smoke else (50, 20, 50.0, 3)
    updates = windows * tasks
    with RemoteServer() as server:
        server.set_max_tasks_per_window(tasks)
        ours, adaptive = asyncio.run(_measure(server, windows, tasks, limit, rounds))
    notes = "; ".join(
        [ours.text("ssm-mw pacer", updates), adaptive.text("botocore adaptive", updates)]
    )
    if not smoke:
        assert max(ours.failed) == 0, f"tasks failed under throttling: {ours.failed}"
    floor = updates / limit
    return [
        Result(
            name="B10 throughput under a rate limit",
            description=(
                f"set_cutoff_behavior over {windows} windows x {tasks} tasks at concurrency 16, "
                f"UpdateMaintenanceWindowTask limited to {limit:g}/s: the run vs "
                f"updates/limit (target: >= 80% of the limit)"
            ),
            ours=median(ours.seconds),
            baseline=floor,
            unit="s",
            target=1.25,
            rounds=rounds,
            ours_samples=ours.seconds,
            baseline_samples=[floor],
            notes=notes,
        ),
        Result(
            name="B10 pacer vs botocore adaptive",
            description=(
                "the same run: ssm-mw's pacer (standard retry mode) vs botocore's adaptive "
                "retry mode (the client's rate limiter)"
            ),
            ours=median(ours.seconds),
            baseline=median(adaptive.seconds),
            unit="s",
            target=1.0,
            rounds=rounds,
            ours_samples=ours.seconds,
            baseline_samples=adaptive.seconds,
        ),
    ]
