"""Conformance: ``EmbeddedSSMServer.throttle``, a token bucket that refuses the way AWS does."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from aiobotocore.session import AioSession
from botocore.exceptions import ClientError

from ssm_mw.testing import EmbeddedSSMServer
from support.conformance import error_code
from support.operations import DESCRIBE, GET

TASK_ID = "00000000-0000-4000-8000-000000000000"


class Clock:
    """A clock the test moves: ``now`` seconds; ``tick`` added at every reading."""

    def __init__(self, tick: float = 0.0) -> None:
        self.now = 0.0
        self.tick = tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now


async def _describe(ssm: Any, window_id: str) -> str:
    """One describe: "ok" or the error code."""
    try:
        await ssm.describe_maintenance_window_tasks(WindowId=window_id)
    except ClientError as exc:
        return error_code(exc)
    return "ok"


async def _burst(ssm: Any, window_id: str, count: int, workers: int = 8) -> Counter[str]:
    """``count`` describes from ``workers`` coroutines at once; the outcomes counted."""
    jobs = iter(range(count))
    outcomes: Counter[str] = Counter()

    async def worker() -> None:
        for _ in jobs:
            outcomes[await _describe(ssm, window_id)] += 1

    await asyncio.gather(*(worker() for _ in range(workers)))
    return outcomes


async def test_a_request_beyond_the_limit_gets_the_services_throttling_answer(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Beyond the bucket: HTTP 400, ThrottlingException, "Rate exceeded", an AWS JSON error body."""
    clock = Clock()
    ssm_server.throttle(1, burst=2, clock=clock)
    assert [await _describe(ssm, maintenance_window_id) for _ in range(2)] == ["ok", "ok"]
    raw: dict[str, Any] = {}

    def keep(http_response: Any, **_: Any) -> None:
        # Header names as sent: aiobotocore 2.x keeps their case, 3.x lowers them.
        headers = {k.lower(): v for k, v in http_response.headers.items()}
        raw.update(status=http_response.status_code, headers=headers)

    ssm.meta.events.register("after-call.ssm.DescribeMaintenanceWindowTasks", keep)
    with pytest.raises(ClientError) as caught:
        await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    error = caught.value.response
    assert error["Error"] == {"Code": "ThrottlingException", "Message": "Rate exceeded"}
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert raw["headers"]["content-type"] == "application/x-amz-json-1.1"
    assert error["ResponseMetadata"]["RequestId"]
    clock.now += 1.0  # one token back
    assert [await _describe(ssm, maintenance_window_id) for _ in range(2)] == [
        "ok",
        "ThrottlingException",
    ]


async def test_the_bucket_refills_at_the_rate_and_holds_at_most_the_burst(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Tokens come back at ``rate`` a second and never pile up beyond ``burst``."""
    clock = Clock()
    ssm_server.throttle(4, burst=3, clock=clock)
    assert await _burst(ssm, maintenance_window_id, 5) == {"ok": 3, "ThrottlingException": 2}
    clock.now += 0.5  # 2 tokens
    assert await _burst(ssm, maintenance_window_id, 4) == {"ok": 2, "ThrottlingException": 2}
    clock.now += 100  # full again: 3, not 400
    assert await _burst(ssm, maintenance_window_id, 5) == {"ok": 3, "ThrottlingException": 2}


@pytest.mark.parametrize(("rate", "offered"), [(20, 3), (50, 1.5), (0.5, 10)])
async def test_the_accepted_rate_is_the_limit_within_ten_percent(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, rate: float, offered: float
) -> None:
    """Offered ``offered`` times the limit for 200 tokens' worth of time: rate ±10% is accepted.

    The clock advances by the same step at every request, so the run is the
    same on any machine: time is counted in requests, not measured.
    """
    seconds = 200 / rate  # simulated
    requests = round(rate * offered * seconds)
    clock = Clock(tick=1 / (rate * offered))
    ssm_server.throttle(rate, clock=clock)
    burst = max(rate, 1)
    outcomes = await _burst(ssm, maintenance_window_id, requests, workers=16)
    accepted = outcomes["ok"] - burst  # the bucket starts full
    assert abs(accepted - rate * seconds) <= 0.1 * rate * seconds, outcomes
    assert outcomes["ok"] + outcomes["ThrottlingException"] == requests
    assert ssm_server.throttled_count() == outcomes["ThrottlingException"]


async def test_on_the_wall_clock_the_bucket_refills_at_the_rate(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Real clock: emptied, then idle 1 s, the bucket lets through what ``rate`` refilled."""
    # Both bounds hold however loaded the machine is. A refusal decided before
    # `t0` left less than one token; no request takes one until `t1`, so at
    # least rate * (t1 - t0) are there for the batch. And from the refusal
    # (decided after `sent`) to the batch's end (`t2`) at most rate * (t2 - sent)
    # came back.
    rate, idle = 20.0, 1.0
    ssm_server.throttle(rate, burst=2 * rate, operation=DESCRIBE)
    drained = await _burst(ssm, maintenance_window_id, 100, workers=16)
    assert drained["ThrottlingException"] > 0, "the bucket was emptied"
    for _ in range(100):
        sent = time.monotonic()
        if await _describe(ssm, maintenance_window_id) == "ThrottlingException":
            break
    else:
        raise AssertionError("no refusal: the bucket never emptied")
    t0 = time.monotonic()
    await asyncio.sleep(idle)
    t1 = time.monotonic()
    batch = await _burst(ssm, maintenance_window_id, 100, workers=16)
    t2 = time.monotonic()
    accepted = batch["ok"]
    assert accepted >= rate * (t1 - t0) - 1, (batch, t1 - t0)
    assert accepted <= 1 + rate * (t2 - sent), (batch, t2 - sent)
    assert batch["ThrottlingException"] > 0, "the batch asked for more than came back"


async def test_counts_limits_per_operation_removal_and_reset(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """A per-operation limit spares the others; refusals count; None removes; reset clears."""
    clock = Clock()
    ssm_server.throttle(1, burst=1, operation=DESCRIBE, clock=clock)
    assert await _burst(ssm, maintenance_window_id, 3) == {"ok": 1, "ThrottlingException": 2}
    with pytest.raises(ClientError) as caught:  # GET is not limited: it reaches the backend
        await ssm.get_maintenance_window_task(WindowId=maintenance_window_id, WindowTaskId=TASK_ID)
    assert error_code(caught.value) == "DoesNotExistException"
    assert ssm_server.request_count(DESCRIBE) == 3, "refused requests are requests too"
    assert ssm_server.throttled_count(DESCRIBE) == 2
    assert ssm_server.throttled_count(GET) == 0
    assert ssm_server.throttled_count() == ssm_server.throttled_count("*") == 2

    ssm_server.throttle(None, operation=DESCRIBE)
    assert await _burst(ssm, maintenance_window_id, 3) == {"ok": 3}

    ssm_server.throttle(1, burst=1, clock=clock)  # every operation: one bucket for all
    assert await _describe(ssm, maintenance_window_id) == "ok"
    with pytest.raises(ClientError) as caught:
        await ssm.get_maintenance_window_task(WindowId=maintenance_window_id, WindowTaskId=TASK_ID)
    assert error_code(caught.value) == "ThrottlingException"
    assert ssm_server.throttled_count(GET) == 1

    ssm_server.reset()
    assert ssm_server.throttled_count() == 0
    window = ssm_server.create_maintenance_window()
    assert await _burst(ssm, window, 5) == {"ok": 5}


async def test_a_request_must_pass_both_its_operations_limit_and_the_shared_one(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """With a limit for the operation and one for all, a refusal by either refuses."""
    clock = Clock()
    ssm_server.throttle(1, burst=5, operation=DESCRIBE, clock=clock)
    ssm_server.throttle(1, burst=2, clock=clock)
    assert await _burst(ssm, maintenance_window_id, 4) == {"ok": 2, "ThrottlingException": 2}
    clock.now += 3  # the shared bucket holds 2 again; DESCRIBE's has 3 + 3 = 5
    assert await _burst(ssm, maintenance_window_id, 4) == {"ok": 2, "ThrottlingException": 2}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0,), "rate must be a finite number > 0"),
        ((-1,), "rate must be a finite number > 0"),
        ((float("inf"),), "rate must be a finite number > 0"),
        (("10",), "rate must be a finite number > 0"),
        ((True,), "rate must be a finite number > 0"),
        ((10, {"burst": 0.5}), "burst must be at least 1"),
        ((10, {"burst": 0}), "burst must be a finite number > 0"),
        ((10, {"operation": "Nope"}), "unknown SSM operation 'Nope'"),
        ((10, {"clock": 3}), "clock must be a function"),
    ],
)
def test_bad_arguments_name_what_is_wrong(
    ssm_server: EmbeddedSSMServer, args: tuple[Any, ...], message: str
) -> None:
    """Bad arguments raise ValueError naming the argument; no limit is set."""
    rate, *rest = args
    kwargs: dict[str, Any] = rest[0] if rest else {}
    with pytest.raises(ValueError, match=message):
        ssm_server.throttle(rate, **kwargs)


def test_the_command_line_sets_a_limit_at_start() -> None:
    """``python -m ssm_mw.testing --throttle RATE`` serves with that limit from the start."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ssm_mw.testing", "--throttle", "0.01", "--throttle-burst", "2"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        endpoint = process.stdout.readline().strip()
        server = EmbeddedSSMServer()  # only for its session helper; never started

        async def run() -> Counter[str]:
            session: AioSession = server.aio_session()
            async with session.create_client(
                "ssm", region_name="us-east-1", endpoint_url=endpoint, config=_no_retry()
            ) as ssm:
                return Counter([await _describe(ssm, "mw-0123456789abcdef0") for _ in range(4)])

        outcomes = asyncio.run(run())
        # Two tokens (the burst), then 0.01 a second: the rest is refused.
        assert outcomes == {"DoesNotExistException": 2, "ThrottlingException": 2}
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


def _no_retry() -> Any:
    from aiobotocore.config import AioConfig

    return AioConfig(retries={"total_max_attempts": 1, "mode": "standard"})


def test_the_example_of_docs_testing_md_runs(ssm_server: EmbeddedSSMServer) -> None:
    """The rate-limit example of docs/testing.md runs as written."""
    text = (Path(__file__).resolve().parents[3] / "docs" / "testing.md").read_text("utf-8")
    section = text[text.index("## Rate limits") :]
    code = section[section.index("```python\n") + len("```python\n") :]
    exec(compile(code[: code.index("```")], "docs/testing.md", "exec"), {"server": ssm_server})
