"""Throttling, server errors, late answers and lost responses: calls succeed within the budget.

Faults are injected by the embedded backend, on real HTTP through aiobotocore.
The retry budget is botocore's standard mode: 3 attempts unless the client's
``AioConfig(retries=...)`` says otherwise. botocore's back-offs between
attempts are recorded and take no time (``simulated_backoff``); a read timeout
and an injected latency are real.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import pytest

from ssm_mw import (
    InternalServerError,
    ServiceError,
    ThrottlingError,
)
from ssm_mw.testing import EmbeddedSSMServer
from support.clients import STANDARD, client_for
from support.clock import simulated_backoff
from support.figures import count
from support.late_answers import late_registration
from support.operations import (
    DEFINITION,
    DESCRIBE,
    GET,
    OPERATIONS,
    REGISTER,
    UPDATE,
    operation,
    prepare,
    task_ids,
)
from support.waiting import answered

FAULTS = [
    pytest.param("ThrottlingException", 400, ThrottlingError, id="throttling"),
    pytest.param("InternalServerError", 500, InternalServerError, id="internal-error"),
]


pytestmark = pytest.mark.reliability  # a guarantee of docs/reliability.md


@pytest.fixture(autouse=True)
def backoffs(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """botocore's back-offs of the test, in order (they take no wall-clock time)."""
    return simulated_backoff(monkeypatch)


@dataclass
class Outcomes:
    """What the four operations did under the same kind of fault, run at once."""

    prepared: dict[str, tuple[str, str]]
    results: dict[str, Any]
    attempts: dict[str, int]
    tasks: dict[str, list[str]]


async def each_operation_under(
    server: EmbeddedSSMServer, code: str, status: int, times: int
) -> Outcomes:
    """Fault each operation ``times`` times, then call the four at once.

    Each operation gets its own window and task, and its own fault; running
    them at once interleaves their retries.
    """
    async with client_for(server, retries=STANDARD) as mw:
        prepared = {name: await prepare(server, mw) for name in OPERATIONS}
        before = {name: server.request_count(name) for name in OPERATIONS}
        for name in OPERATIONS:
            server.inject_fault(name, code, status=status, times=times)
        results = await asyncio.gather(
            *(operation(name, *prepared[name])(mw) for name in OPERATIONS),
            return_exceptions=True,
        )
        attempts = {name: server.request_count(name) - before[name] for name in OPERATIONS}
        count("faults:injected", times * len(OPERATIONS))
        server.clear_faults()
        tasks = {name: await task_ids(mw, prepared[name][0]) for name in OPERATIONS}
    return Outcomes(prepared, dict(zip(OPERATIONS, results, strict=True)), attempts, tasks)


@pytest.mark.parametrize(("code", "status"), [pytest.param(*f.values[:2], id=f.id) for f in FAULTS])
async def test_two_transient_faults_are_retried_and_each_operation_succeeds(
    ssm_server: EmbeddedSSMServer, code: str, status: int
) -> None:
    """Two faulted attempts, then success on the third: every operation succeeds, once."""
    out = await each_operation_under(ssm_server, code, status, times=2)
    for name in OPERATIONS:
        assert not isinstance(out.results[name], BaseException), (name, out.results[name])
        assert out.attempts[name] == 3, name
    task_id = out.prepared[REGISTER][1]
    assert out.tasks[REGISTER] == [task_id, out.results[REGISTER]], "exactly one more task"
    assert out.results[GET].window_task_id == out.prepared[GET][1]
    assert out.results[UPDATE].priority == 7
    assert [t.window_task_id for t in out.results[DESCRIBE].tasks] == [out.prepared[DESCRIBE][1]]


@pytest.mark.parametrize(("code", "status", "error"), FAULTS)
async def test_a_fault_past_the_budget_raises_its_typed_error(
    ssm_server: EmbeddedSSMServer, code: str, status: int, error: type[ServiceError]
) -> None:
    """Three faulted attempts exhaust the budget: the typed error, and no task is added."""
    out = await each_operation_under(ssm_server, code, status, times=3)
    for name in OPERATIONS:
        raised = out.results[name]
        assert type(raised) is error, (name, raised)
        assert (raised.code, raised.http_status, raised.operation) == (code, status, name)
        assert out.attempts[name] == 3, name
        assert out.tasks[name] == [out.prepared[name][1]], name


async def test_the_retry_budget_is_the_one_configured(
    ssm_server: EmbeddedSSMServer, backoffs: list[float]
) -> None:
    """total_max_attempts sets the budget: 1 allows no retry, 4 absorb three faults."""
    once = {"mode": "standard", "total_max_attempts": 1}
    async with client_for(ssm_server, retries=once) as mw:
        window_id, task_id = await prepare(ssm_server, mw)
        before = ssm_server.request_count(GET)
        ssm_server.inject_fault(GET, "ThrottlingException", times=1)
        with pytest.raises(ThrottlingError):
            await mw.get_maintenance_window_task(window_id, task_id)
        assert ssm_server.request_count(GET) - before == 1
        assert backoffs == []
    four = {"mode": "standard", "total_max_attempts": 4}
    async with client_for(ssm_server, retries=four) as mw:
        before = ssm_server.request_count(GET)
        ssm_server.inject_fault(GET, "ThrottlingException", times=3)
        await mw.get_maintenance_window_task(window_id, task_id)
        assert ssm_server.request_count(GET) - before == 4
        assert len(backoffs) == 3
    count("faults:injected", 4)


async def test_the_default_budget_is_three_attempts(
    ssm_server: EmbeddedSSMServer, monkeypatch: pytest.MonkeyPatch, backoffs: list[float]
) -> None:
    """Without a config, a client retries in standard mode: 3 attempts in all."""
    for variable in ("AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(variable, raising=False)
    async with client_for(ssm_server) as mw:
        window_id, task_id = await prepare(ssm_server, mw)
        before = ssm_server.request_count(GET)
        ssm_server.inject_fault(GET, "ThrottlingException", times=2)
        await mw.get_maintenance_window_task(window_id, task_id)
        assert ssm_server.request_count(GET) - before == 3
        ssm_server.inject_fault(GET, "ThrottlingException", times=3)
        with pytest.raises(ThrottlingError):
            await mw.get_maintenance_window_task(window_id, task_id)
        assert ssm_server.request_count(GET) - before == 6
        assert len(backoffs) == 2 + 2
        count("faults:injected", 5)


@pytest.mark.parametrize("lost", [1, 2])
async def test_a_registration_whose_response_is_lost_leaves_exactly_one_task(
    ssm_server: EmbeddedSSMServer, lost: int
) -> None:
    """The response of a committed register is lost (once or twice): one task, its id returned."""
    async with client_for(ssm_server, retries=STANDARD) as mw:
        window_id = ssm_server.create_maintenance_window()
        ssm_server.inject_fault(
            REGISTER, "InternalServerError", status=500, times=lost, after_commit=True
        )
        task_id = await mw.register_task_with_maintenance_window(window_id, DEFINITION)
        assert ssm_server.request_count(REGISTER) == lost + 1
        count("faults:injected", lost)
        assert await task_ids(mw, window_id) == [task_id]


async def test_every_response_lost_raises_but_registers_once_and_the_token_recovers_it(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """All three responses lost: a typed error, one task, and re-sending the token finds it."""
    async with client_for(ssm_server, retries=STANDARD) as mw:
        window_id = ssm_server.create_maintenance_window()
        ssm_server.inject_fault(
            REGISTER, "InternalServerError", status=500, times=3, after_commit=True
        )
        token = "recover-me-0001"
        with pytest.raises(InternalServerError):
            await mw.register_task_with_maintenance_window(
                window_id, DEFINITION, client_token=token
            )
        count("faults:injected", 3)
        (committed,) = await task_ids(mw, window_id)
        again = await mw.register_task_with_maintenance_window(
            window_id, DEFINITION, client_token=token
        )
        assert again == committed
        assert await task_ids(mw, window_id) == [committed]


@pytest.mark.parametrize("name", [UPDATE, DESCRIBE, GET])
async def test_a_lost_response_of_any_other_operation_is_retried(
    ssm_server: EmbeddedSSMServer, name: str
) -> None:
    """A lost response of update, describe or get: the retry answers, the state is right."""
    async with client_for(ssm_server, retries=STANDARD) as mw:
        window_id, task_id = await prepare(ssm_server, mw)
        ssm_server.inject_fault(name, "InternalServerError", status=500, after_commit=True)
        await operation(name, window_id, task_id)(mw)
        count("faults:injected")
        details = await mw.get_maintenance_window_task(window_id, task_id)
        assert details.priority == (7 if name == UPDATE else None)
        assert await task_ids(mw, window_id) == [task_id]


@pytest.mark.parametrize("name", OPERATIONS)
async def test_a_slow_answer_within_the_read_timeout_succeeds(
    ssm_server: EmbeddedSSMServer, name: str
) -> None:
    """An answer 0.3 s late (read timeout 5 s) is waited for: one request, success."""
    async with client_for(ssm_server, retries=STANDARD, read_timeout=5) as mw:
        window_id, task_id = await prepare(ssm_server, mw)
        before = ssm_server.request_count(name)
        ssm_server.inject_latency(0.3, operation=name)
        started = time.monotonic()
        await operation(name, window_id, task_id)(mw)
        assert time.monotonic() - started >= 0.3
        assert ssm_server.request_count(name) - before == 1


async def test_an_answer_later_than_the_read_timeout_is_retried_and_registers_once(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """The first attempt times out but commits late; the retry succeeds: one task, one id."""
    async with client_for(ssm_server, retries=STANDARD, read_timeout=0.3) as mw:
        window_id = ssm_server.create_maintenance_window()
        ssm_server.inject_latency(1.0, operation=REGISTER)

        async def speed_up_after_the_first_attempt() -> None:
            # The server counts requests in its own thread: poll (no event to await).
            while ssm_server.request_count(REGISTER) == 0:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
            ssm_server.inject_latency(0, operation=REGISTER)

        watcher = asyncio.create_task(speed_up_after_the_first_attempt())
        task_id = await mw.register_task_with_maintenance_window(window_id, DEFINITION)
        await watcher
        assert ssm_server.request_count(REGISTER) >= 2
        await answered(ssm_server, REGISTER)  # the first attempt commits late, same token
        assert await task_ids(mw, window_id) == [task_id]
        count("faults:late_answers")


async def test_answers_always_later_than_the_read_timeout_raise_a_transport_error(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """Every attempt times out: TransportError; the late commits still make one task only."""
    async with late_registration(ssm_server) as (mw, window_id, _):
        assert ssm_server.request_count(REGISTER) == 3
        count("faults:late_answers", 3)
        await answered(ssm_server, REGISTER)  # every attempt has committed
        assert len(await task_ids(mw, window_id)) == 1
