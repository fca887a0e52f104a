"""Conformance: fault injection, latency injection and the error wire format."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from ssm_mw.testing import EmbeddedSSMServer
from support.conformance import Wire, error_code, fails_with, register
from support.operations import DESCRIBE, REGISTER

MakeClient = Callable[..., AbstractAsyncContextManager[Any]]


async def _outcomes(ssm: Any, window_id: str, count: int) -> list[str]:
    """Describe ``count`` times; the error code of each call, or "ok"."""
    outcomes = []
    for _ in range(count):
        try:
            await ssm.describe_maintenance_window_tasks(WindowId=window_id)
        except ClientError as exc:
            outcomes.append(error_code(exc))
        else:
            outcomes.append("ok")
    return outcomes


async def test_fault_once_by_default(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """By default the next matching request fails once, with the code and status given."""
    ssm_server.inject_fault(DESCRIBE, "ThrottlingException")
    error = await fails_with(
        "ThrottlingException", ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    )
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert await _outcomes(ssm, maintenance_window_id, 2) == ["ok", "ok"]


@pytest.mark.parametrize(
    "fault",
    [{"times": 3}, {"probability": 1.0, "times": 2}],
    ids=["times", "probability-and-times"],
)
async def test_fault_times(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, fault: dict[str, Any]
) -> None:
    """With ``times`` (and probability 1 or none) exactly the next ``times`` requests fail."""
    ssm_server.inject_fault(DESCRIBE, "ThrottlingException", **fault)
    expected = ["ThrottlingException"] * fault["times"] + ["ok"] * 2
    assert await _outcomes(ssm, maintenance_window_id, fault["times"] + 2) == expected


async def test_fault_without_limit_until_cleared(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """times=None fails every matching request until times=0 clears the fault."""
    ssm_server.inject_fault(DESCRIBE, "InternalServerError", status=500, times=None)
    assert await _outcomes(ssm, maintenance_window_id, 6) == ["InternalServerError"] * 6
    ssm_server.inject_fault(DESCRIBE, "InternalServerError", times=0)
    assert await _outcomes(ssm, maintenance_window_id, 2) == ["ok", "ok"]


async def test_fault_only_hits_its_operation(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """A fault on one operation leaves the other operations alone."""
    ssm_server.inject_fault(REGISTER, "ThrottlingException", times=None)
    assert await _outcomes(ssm, maintenance_window_id, 2) == ["ok", "ok"]
    with pytest.raises(ClientError):
        await register(ssm, maintenance_window_id)


@pytest.mark.parametrize("operation", [None, "*"])
async def test_fault_on_any_operation(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, operation: str | None
) -> None:
    """operation=None or "*" makes every operation fail."""
    ssm_server.inject_fault(operation, "ServiceUnavailable", status=503, times=2)
    with pytest.raises(ClientError) as first:
        await register(ssm, maintenance_window_id)
    with pytest.raises(ClientError) as second:
        await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    assert error_code(first.value) == error_code(second.value) == "ServiceUnavailable"
    assert second.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert await _outcomes(ssm, maintenance_window_id, 1) == ["ok"]


async def test_fault_probability_is_seedable(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """probability=0.5 fails some requests, and the same seed gives the same pattern."""
    ssm_server.reseed(1234)
    ssm_server.inject_fault(DESCRIBE, "ThrottlingException", probability=0.5)
    first = await _outcomes(ssm, maintenance_window_id, 30)
    ssm_server.reseed(1234)
    second = await _outcomes(ssm, maintenance_window_id, 30)
    assert first == second
    assert 0 < first.count("ThrottlingException") < 30


@pytest.mark.parametrize(("probability", "expected"), [(0.0, "ok"), (1.0, "ThrottlingException")])
async def test_fault_probability_bounds(
    ssm: Any,
    ssm_server: EmbeddedSSMServer,
    maintenance_window_id: str,
    probability: float,
    expected: str,
) -> None:
    """probability=0 never fails and probability=1 always fails (no limit by default)."""
    ssm_server.inject_fault(DESCRIBE, "ThrottlingException", probability=probability)
    assert await _outcomes(ssm, maintenance_window_id, 5) == [expected] * 5


async def test_fault_after_commit(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """after_commit applies the operation, then fails; a retry with the token gets the same task."""
    ssm_server.inject_fault(REGISTER, "InternalServerError", status=500, after_commit=True)
    await fails_with(
        "InternalServerError", register(ssm, maintenance_window_id, ClientToken="retry-me")
    )
    listed = await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    (task,) = listed["Tasks"]
    assert (
        await register(ssm, maintenance_window_id, ClientToken="retry-me") == task["WindowTaskId"]
    )
    listed = await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    assert len(listed["Tasks"]) == 1


async def test_fault_before_commit_changes_nothing(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """A fault without after_commit rejects the request before it takes effect."""
    ssm_server.inject_fault(REGISTER, "InternalServerError", status=500)
    with pytest.raises(ClientError):
        await register(ssm, maintenance_window_id)
    listed = await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    assert listed["Tasks"] == []


async def test_status_500_is_retried_by_botocore(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str, make_client: MakeClient
) -> None:
    """A single 500 fault is retried by botocore's standard retry mode, and the retry succeeds."""
    ssm_server.inject_fault(DESCRIBE, "InternalServerError", status=500)
    async with make_client(retries={"mode": "standard", "max_attempts": 3}) as ssm:
        response = await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    assert response["ResponseMetadata"]["RetryAttempts"] == 1
    assert ssm_server.request_count(DESCRIBE) == 2


async def test_fault_wire_format(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, wire: Wire
) -> None:
    """Injected errors use AWS's JSON 1.1 error format, with the x-amzn-ErrorType header."""
    ssm_server.inject_fault(DESCRIBE, "ThrottlingException", message="slow down")
    with pytest.raises(ClientError) as caught:
        await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    headers = caught.value.response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amzn-errortype"] == "ThrottlingException"
    assert caught.value.response["Error"]["Message"] == "slow down"
    assert wire.last(DESCRIBE) == {"__type": "ThrottlingException", "message": "slow down"}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"operation": "NoSuchOperation", "code": "X"},
        {"operation": DESCRIBE, "code": "X", "probability": 1.5},
        {"operation": DESCRIBE, "code": "X", "probability": -0.1},
        {"operation": DESCRIBE, "code": "X", "times": -1},
        {"operation": DESCRIBE, "code": "X", "status": 200},
        {"operation": DESCRIBE, "code": ""},
    ],
    ids=["operation", "probability-high", "probability-low", "times", "status", "code"],
)
def test_fault_arguments_are_validated(
    ssm_server: EmbeddedSSMServer, kwargs: dict[str, Any]
) -> None:
    """inject_fault raises ValueError for an unknown operation or an out-of-range argument."""
    operation = kwargs.pop("operation")
    code = kwargs.pop("code")
    with pytest.raises(ValueError, match=r"operation|probability|times|status|code"):
        ssm_server.inject_fault(operation, code, **kwargs)


async def test_latency_is_applied(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """A request with 0.2 s of injected latency takes at least 0.2 s."""
    ssm_server.inject_latency(0.2, operation=DESCRIBE)
    started = time.monotonic()
    await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    assert time.monotonic() - started >= 0.2


async def test_latency_for_any_operation(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Latency without an operation applies to every operation."""
    ssm_server.inject_latency(0.2)
    started = time.monotonic()
    await register(ssm, maintenance_window_id)
    assert time.monotonic() - started >= 0.2


async def test_latency_zero_clears_and_other_operations_are_not_delayed(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str, make_client: MakeClient
) -> None:
    """A latency far above the read timeout spares other operations and is cleared by 0."""
    ssm_server.inject_latency(10, operation=DESCRIBE)
    async with make_client(read_timeout=1) as ssm:
        await register(ssm, maintenance_window_id)
        with pytest.raises(ReadTimeoutError):
            await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
        ssm_server.inject_latency(0, operation=DESCRIBE)
        await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)


@pytest.mark.parametrize("seconds", [-1, float("inf"), float("nan")])
def test_latency_arguments_are_validated(ssm_server: EmbeddedSSMServer, seconds: float) -> None:
    """inject_latency raises ValueError for negative or non-finite seconds."""
    with pytest.raises(ValueError, match="seconds"):
        ssm_server.inject_latency(seconds)
