"""A fixed pool of workers over one job queue: fleet, plan and apply run on it (private).

At most ``concurrency`` jobs run at once. A job is a coroutine function; it may
add further jobs (``pool.put``) while it runs, e.g. "list this window" adds
"get this task". Jobs added with a lower ``priority`` run first. The pool
ends when the queue is empty and no job is running.

A job that raises ends the pool (the other workers are cancelled) and its
exception is raised by :meth:`JobPool.run`, unless the caller catches it inside
the job: callers that want an outcome per job (apply, set-cutoff) catch there.

Cancelled, the pool stops: it takes no more jobs (:attr:`JobPool.stopping`
turns true, for jobs that wait and can give up), cancels the jobs that run
unless they were put with ``finish_on_cancel`` (an update in flight), waits
for those to end, and raises :class:`asyncio.CancelledError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Awaitable, Callable, Sequence

__all__ = ["Job", "JobPool"]

Job = Callable[[], Awaitable[None]]


class JobPool:
    """``pool.put(job)``; ``await pool.run(concurrency)``. One pool runs once."""

    def __init__(self) -> None:
        self._queue: asyncio.PriorityQueue[tuple[int, int, Job, bool]] = asyncio.PriorityQueue()
        self._counter = itertools.count()
        self._stopping = False
        self._finishing: dict[int, bool] = {}  # worker -> whether its job ends on cancel

    @property
    def stopping(self) -> bool:
        """Whether the pool was cancelled: it starts no more jobs."""
        return self._stopping

    def put(self, job: Job, *, priority: int = 0, finish_on_cancel: bool = False) -> None:
        """Add a job (lower ``priority`` first; in the order added within a priority).

        With ``finish_on_cancel``, a cancelled pool lets the job run to its end.
        """
        self._queue.put_nowait((priority, next(self._counter), job, finish_on_cancel))

    async def run(self, concurrency: int) -> None:
        """Run every job (and the jobs they add) with at most ``concurrency`` at once."""
        all_done = asyncio.ensure_future(self._queue.join())
        workers = [asyncio.ensure_future(self._worker(n)) for n in range(concurrency)]
        try:
            # Workers never return: one that ends has raised. Re-raise its exception.
            done, _ = await asyncio.wait([all_done, *workers], return_when=asyncio.FIRST_COMPLETED)
            for worker in workers:
                if worker in done:
                    worker.result()
        except asyncio.CancelledError:
            await self._stop(workers)
            raise
        finally:
            for pending in (all_done, *workers):
                pending.cancel()
            await asyncio.gather(all_done, *workers, return_exceptions=True)

    async def _stop(self, workers: Sequence[asyncio.Future[None]]) -> None:
        """Take no more jobs; cancel idle workers and the jobs not put to finish; wait."""
        self._stopping = True
        for n, worker in enumerate(workers):
            if not self._finishing.get(n, False):
                worker.cancel()
        # Cancelled again, gather cancels the jobs left to finish too, and raises once
        # every worker has ended.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*workers, return_exceptions=True)

    async def _worker(self, n: int) -> None:
        while not self._stopping:
            _, _, job, finish_on_cancel = await self._queue.get()
            try:
                # A cancellation of the run on its way lands here, before the job sends anything.
                await asyncio.sleep(0)
                if self.stopping:
                    return
                self._finishing[n] = finish_on_cancel
                await job()
            finally:
                self._finishing.pop(n, None)
                self._queue.task_done()
