"""Helpers of the reliability suite: calls as data, a client for sync tests, paths."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import attrs
import pytest
from aiobotocore.config import AioConfig
from botocore.retries.standard import ExponentialBackoff

from ssm_mw import (
    LambdaParameters,
    MaintenanceWindowClient,
    TaskDefinition,
    TaskFilter,
    TaskUpdate,
    from_botocore,
)
from ssm_mw._converter import describe_request, get_request, register_request, update_request
from ssm_mw.testing import EmbeddedSSMServer

T = TypeVar("T")

REGISTER = "RegisterTaskWithMaintenanceWindow"
UPDATE = "UpdateMaintenanceWindowTask"
DESCRIBE = "DescribeMaintenanceWindowTasks"
GET = "GetMaintenanceWindowTask"
OPERATIONS = (REGISTER, UPDATE, DESCRIBE, GET)

#: The wire name of each invocation-parameters variant, and its class's attribute path level.
VARIANT_KEYS = ("RunCommand", "Automation", "StepFunctions", "Lambda")


class SimulatedClock:
    """Seconds that pass only when the simulation says so (the pacer's tests' clock).

    :meth:`sleep` is the sleep that goes with it: it lets the other tasks run
    once, then moves the clock to the end of the sleep (unless it is already
    past it), so sleeps begun together overlap, as on the wall clock. Time
    passes only by sleeps (and what the test adds to ``now``): a request in
    flight takes none.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self.slept = 0.0  # seconds asked for by sleep, in all

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Yield to the other tasks once, then be at least ``seconds`` later than at the call."""
        end = self.now + max(seconds, 0.0)
        self.slept += max(seconds, 0.0)
        await asyncio.sleep(0)
        self.now = max(self.now, end)


def simulated_backoff(
    monkeypatch: pytest.MonkeyPatch, clock: SimulatedClock | None = None
) -> list[float]:
    """botocore's retry back-offs (standard and adaptive modes) take no wall-clock time.

    Each back-off botocore chooses is recorded (the list returned, in order)
    and moves ``clock`` by its length, if given; botocore then retries at once.
    """
    delays: list[float] = []
    choose = ExponentialBackoff.delay_amount

    def delay_amount(self: ExponentialBackoff, context: Any) -> float:
        delay = float(choose(self, context))
        delays.append(delay)
        if clock is not None:
            clock.now += delay
        return 0.0

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", delay_amount)
    return delays


async def until(condition: Callable[[], bool], what: str, *, timeout: float = 30.0) -> None:
    """Poll ``condition`` (a state of the server, read in its thread) until it holds.

    ``timeout`` only bounds a wait for something that is bound to happen: it
    fails the test (naming ``what``) instead of hanging it.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.005)


async def answered(server: EmbeddedSSMServer, operation: str | None = None) -> None:
    """Wait until every request the server received (for ``operation``) is answered.

    A request the client gave up on (cancelled, timed out) still runs in the
    server: after this, it has taken effect.
    """
    await until(lambda: server.in_flight(operation) == 0, f"{operation or 'every'} answered")


_ACRONYM_END = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD_START = re.compile(r"([a-z0-9])([A-Z])")


def snake_case(wire: str) -> str:
    """The attribute name of a wire member: ``OutputS3KeyPrefix`` -> ``output_s3_key_prefix``."""
    return _WORD_START.sub(r"\1_\2", _ACRONYM_END.sub(r"\1_\2", wire)).lower()


def client_for(server: EmbeddedSSMServer, **config: Any) -> MaintenanceWindowClient:
    """A new (unopened) client bound to ``server``; ``config`` goes to ``AioConfig``."""
    return MaintenanceWindowClient(
        region_name=server.region_name,
        endpoint_url=server.endpoint_url,
        session=server.aio_session(),
        config=AioConfig(**config) if config else None,
    )


class LoopClient:
    """An opened client on an event loop of its own, for sync (hypothesis) tests.

    Hypothesis runs many examples in one test; opening an aiobotocore client per
    example would dominate the run time, and function-scoped async fixtures do
    not mix with ``@given``. ``run`` drives one coroutine to completion.
    """

    def __init__(self, server: EmbeddedSSMServer, **config: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.client = client_for(server, **config)
        self.run(self.client.__aenter__())

    def run(self, awaitable: Awaitable[T]) -> T:
        """Run ``awaitable`` on this client's loop and return its result."""
        return self.loop.run_until_complete(_wrap(awaitable))

    def close(self) -> None:
        """Close the client, then the loop."""
        try:
            self.run(self.client.aclose())
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        finally:
            self.loop.close()


async def _wrap(awaitable: Awaitable[T]) -> T:
    return await awaitable


# -- calls as data ---------------------------------------------------------------


@dataclass
class Call:
    """One client call: the operation and the arguments of its client method.

    ``args`` hold models, as a user passes them: ``window_id``,
    ``window_task_id``, ``definition``, ``client_token``, ``update``,
    ``replace``, ``filters``, ``max_results``, ``next_token``.
    """

    operation: str
    args: dict[str, Any] = field(default_factory=lambda: {})

    def wire(self) -> dict[str, Any]:
        """The request dict the client sends for this call (the client's own builders)."""
        a = self.args
        if self.operation == REGISTER:
            return register_request(a["window_id"], a["definition"], a["client_token"])
        if self.operation == UPDATE:
            return update_request(
                a["window_id"], a["window_task_id"], a["update"], a.get("replace", False)
            )
        if self.operation == DESCRIBE:
            return describe_request(
                a["window_id"], a.get("filters", ()), a.get("max_results"), a.get("next_token")
            )
        return get_request(a["window_id"], a["window_task_id"])

    async def invoke(self, client: MaintenanceWindowClient) -> Any:
        """Make this call with ``client``."""
        a = self.args
        if self.operation == REGISTER:
            return await client.register_task_with_maintenance_window(
                a["window_id"], a["definition"], client_token=a.get("client_token")
            )
        if self.operation == UPDATE:
            return await client.update_maintenance_window_task(
                a["window_id"], a["window_task_id"], a["update"], replace=a.get("replace", False)
            )
        if self.operation == DESCRIBE:
            return await client.describe_maintenance_window_tasks(
                a["window_id"],
                filters=a.get("filters", ()),
                max_results=a.get("max_results"),
                next_token=a.get("next_token"),
            )
        return await client.get_maintenance_window_task(a["window_id"], a["window_task_id"])


def call_from_wire(operation: str, wire: Mapping[str, Any]) -> Call:
    """The call whose request is ``wire``, with models built by ``from_botocore``.

    Building a model can itself raise :class:`ssm_mw.ValidationError` (a task
    type that disagrees with the invocation parameters).
    """
    body = dict(wire)
    args: dict[str, Any] = {}
    if "WindowId" in body:
        args["window_id"] = body.pop("WindowId")
    if operation in (UPDATE, GET) and "WindowTaskId" in body:
        args["window_task_id"] = body.pop("WindowTaskId")
    if operation == REGISTER:
        args["client_token"] = body.pop("ClientToken", None)
        args["definition"] = from_botocore(body, TaskDefinition)
    elif operation == UPDATE:
        args["replace"] = body.pop("Replace", False)
        args["update"] = from_botocore(body, TaskUpdate)
    elif operation == DESCRIBE:
        args["filters"] = tuple(from_botocore(f, TaskFilter) for f in body.pop("Filters", []))
        args["max_results"] = body.pop("MaxResults", None)
        args["next_token"] = body.pop("NextToken", None)
    return Call(operation, args)


# -- attribute paths -----------------------------------------------------------------


class Key(str):
    """A path segment that is a map key (rendered ``[key]``, not ``.key``)."""

    __slots__ = ()


Segment = str | int


def evolve_at(obj: Any, path: tuple[Segment, ...], value: Any) -> Any:
    """A copy of ``obj`` with the value at ``path`` replaced.

    Segments are attribute names (attrs classes), indices (tuples) or keys (dicts).
    """
    if not path:
        return value
    head, rest = path[0], path[1:]
    if attrs.has(type(obj)):
        assert isinstance(head, str)
        return attrs.evolve(obj, **{head: evolve_at(getattr(obj, head), rest, value)})
    if isinstance(obj, tuple):
        assert isinstance(head, int)
        items = list(obj)
        items[head] = evolve_at(items[head], rest, value)
        return tuple(items)
    if isinstance(obj, dict):
        return {**obj, head: evolve_at(obj[head], rest, value)}
    raise TypeError(f"cannot descend into {type(obj).__name__} at {head!r}")


def render_path(path: tuple[Segment, ...]) -> str:
    """A violation path as ssm-mw documents it: ``targets[0].values[1]``, ``task_parameters[k]``.

    ``int`` segments are list indices and :class:`Key` segments map keys.
    """
    out = ""
    for segment in path:
        if isinstance(segment, (int, Key)):
            out += f"[{segment}]"
        else:
            out += f".{segment}" if out else segment
    return out


# -- a task, and the four operations on it ------------------------------------------

#: A simple valid task (Lambda: no targets needed).
DEFINITION = TaskDefinition(
    task_arn="arn:aws:lambda:us-east-1:123456789012:function:f",
    task_invocation_parameters=LambdaParameters(payload=b"{}"),
    name="faulty",
)


Operation = Callable[[MaintenanceWindowClient], Awaitable[Any]]


async def task_ids(mw: MaintenanceWindowClient, window_id: str) -> list[str]:
    """The ids of every task in the window, in registration order."""
    return [t.window_task_id async for t in mw.paginate_maintenance_window_tasks(window_id)]


async def prepare(server: EmbeddedSSMServer, mw: MaintenanceWindowClient) -> tuple[str, str]:
    """A window holding one task: ``(window_id, task_id)``."""
    window_id = server.create_maintenance_window()
    task_id = await mw.register_task_with_maintenance_window(window_id, DEFINITION)
    return window_id, task_id


def operation(name: str, window_id: str, task_id: str) -> Operation:
    """A call of ``name`` on the prepared window and task."""
    if name == REGISTER:
        return lambda mw: mw.register_task_with_maintenance_window(window_id, DEFINITION)
    if name == UPDATE:
        return lambda mw: mw.update_maintenance_window_task(
            window_id, task_id, TaskUpdate(priority=7)
        )
    if name == DESCRIBE:
        return lambda mw: mw.describe_maintenance_window_tasks(window_id)
    return lambda mw: mw.get_maintenance_window_task(window_id, task_id)
