"""A fixed pool of workers over one job queue, as :mod:`ssm_mw._fleet` runs (private).

At most ``concurrency`` jobs run at once. A job is a coroutine function; it may
add further jobs (``pool.put``) while it runs, e.g. "list this window" adds
"get this task". Jobs added with a lower ``priority`` run first. The pool
ends when the queue is empty and no job is running.

A job that raises ends the pool (the other workers are cancelled) and its
exception is raised by :meth:`JobPool.run`, unless the caller catches it inside
the job: callers that want an outcome per job (apply) catch there.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable

__all__ = ["Job", "JobPool"]

Job = Callable[[], Awaitable[None]]


class JobPool:
    """``pool.put(job)``; ``await pool.run(concurrency)``. One pool runs once."""

    def __init__(self) -> None:
        self._queue: asyncio.PriorityQueue[tuple[int, int, Job]] = asyncio.PriorityQueue()
        self._counter = itertools.count()

    def put(self, job: Job, *, priority: int = 0) -> None:
        """Add a job (lower ``priority`` first; in the order added within a priority)."""
        self._queue.put_nowait((priority, next(self._counter), job))

    async def run(self, concurrency: int) -> None:
        """Run every job (and the jobs they add) with at most ``concurrency`` at once."""
        all_done = asyncio.ensure_future(self._queue.join())
        workers = [asyncio.ensure_future(self._worker()) for _ in range(concurrency)]
        try:
            # Workers never return: one that ends has raised. Re-raise its exception.
            done, _ = await asyncio.wait([all_done, *workers], return_when=asyncio.FIRST_COMPLETED)
            for worker in workers:
                if worker in done:
                    worker.result()
        finally:
            for pending in (all_done, *workers):
                pending.cancel()
            await asyncio.gather(all_done, *workers, return_exceptions=True)

    async def _worker(self) -> None:
        while True:
            _, _, job = await self._queue.get()
            try:
                await job()
            finally:
                self._queue.task_done()
