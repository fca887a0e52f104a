"""Cancelling a library call in a task of its own, and catching what it raised (the tests of
``set_cutoff_behavior``'s and ``apply_plan``'s cancellation share it)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

__all__ = ["cancelled_inside"]

E = TypeVar("E", bound=BaseException)


async def cancelled_inside(
    start: Callable[[Callable[[], None]], Awaitable[Any]], caught: type[E]
) -> E:
    """Run ``start(cancel)`` in a task of its own, where ``cancel()`` cancels that task (the
    call's progress callback calls it); return the ``caught`` error the call raised.

    The error is caught inside the cancelled task: Python 3.10 hands whoever awaits a
    cancelled task a new ``CancelledError``, not the one the task raised. The task must
    end cancelled, as any cancelled task.
    """
    run: asyncio.Task[Any] | None = None
    found: list[E] = []

    def cancel() -> None:
        if run is not None:
            run.cancel()

    async def call() -> Any:
        try:
            return await start(cancel)
        except caught as exc:
            found.append(exc)
            raise

    run = asyncio.ensure_future(call())
    with pytest.raises(asyncio.CancelledError):
        await run
    assert run.cancelled(), "the task ends cancelled"
    (error,) = found
    return error
