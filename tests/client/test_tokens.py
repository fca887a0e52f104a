"""Exactly-once registration: every error after sending carries its token, which recovers the task.

Each kind of lost response is made by the embedded backend on real HTTP: the
registration commits and the answer is replaced by an error (500, 503, a
throttling 400), or comes later than the client's read timeout. The call
fails for good, its error carries ``client_token``, and registering again with
it returns the task the lost attempt made: one task, whatever happened.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from ssm_mw import (
    ClientStateError,
    IdempotentParameterMismatchError,
    InternalServerError,
    MaintenanceWindowClient,
    ServiceError,
    SsmMwError,
    TaskDefinition,
    ThrottlingError,
    ValidationError,
)
from ssm_mw.testing import EmbeddedSSMServer
from support.clients import STANDARD, client_for
from support.figures import count
from support.late_answers import late_registration
from support.operations import DEFINITION, REGISTER, task_ids
from support.waiting import answered

LOST = [
    pytest.param("InternalServerError", 500, InternalServerError, id="500-after-commit"),
    pytest.param("ServiceUnavailable", 503, ServiceError, id="503-after-commit"),
    pytest.param("ThrottlingException", 400, ThrottlingError, id="throttled-after-commit"),
]


pytestmark = pytest.mark.reliability  # a guarantee of docs/reliability.md


async def recover(mw: MaintenanceWindowClient, window_id: str, error: SsmMwError) -> str:
    """The recovery pattern of docs/usage.md: register again with the error's token."""
    assert error.client_token is not None
    return await mw.register_task_with_maintenance_window(
        window_id, DEFINITION, client_token=error.client_token
    )


async def recovers_the_one_task(
    mw: MaintenanceWindowClient, window_id: str, error: SsmMwError
) -> str:
    """The window holds one task, and the error's token returns it (and makes no other)."""
    (committed,) = await task_ids(mw, window_id)
    assert await recover(mw, window_id, error) == committed
    assert await task_ids(mw, window_id) == [committed]
    count("tokens:recovered")
    return committed


@pytest.mark.parametrize(("code", "status", "raised"), LOST)
async def test_every_answer_lost_after_commit_the_token_recovers_the_one_task(
    ssm_server: EmbeddedSSMServer, code: str, status: int, raised: type[ServiceError]
) -> None:
    """Three attempts commit, three answers lost: the error's token returns the one task."""
    async with client_for(ssm_server, retries=STANDARD) as mw:
        window_id = ssm_server.create_maintenance_window()
        ssm_server.inject_fault(REGISTER, code, status=status, times=3, after_commit=True)
        with pytest.raises(raised) as caught:
            await mw.register_task_with_maintenance_window(window_id, DEFINITION)
        count("tokens:lost_answers", 3)
        error = caught.value
        assert error.code == code
        assert isinstance(error.client_token, str)
        assert len(error.client_token) >= 32
        committed = await recovers_the_one_task(mw, window_id, error)
        assert await recover(mw, window_id, error) == committed, "recovering twice is harmless"
        assert await task_ids(mw, window_id) == [committed]


async def test_answers_later_than_the_read_timeout_the_token_recovers_the_one_task(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """Every attempt times out (TransportError) and commits late: the token returns the task."""
    async with late_registration(ssm_server) as (mw, window_id, error):
        count("tokens:lost_answers", 3)
        await answered(ssm_server, REGISTER)  # every attempt has committed
        await recovers_the_one_task(mw, window_id, error)


async def test_an_answer_lost_then_refusals_the_token_recovers_the_first_attempts_task(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """The first attempt commits and its answer is lost; the next two are throttled."""
    async with client_for(ssm_server, retries=STANDARD) as mw:
        window_id = ssm_server.create_maintenance_window()
        ssm_server.inject_fault(
            REGISTER, "InternalServerError", status=500, times=1, after_commit=True
        )
        ssm_server.inject_fault(None, "ThrottlingException", times=2)
        with pytest.raises(ThrottlingError) as caught:
            await mw.register_task_with_maintenance_window(window_id, DEFINITION)
        count("tokens:lost_answers")
        await recovers_the_one_task(mw, window_id, caught.value)


async def test_nothing_committed_the_token_registers_the_task_once(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """Every attempt refused before it committed: no task; the token registers it, once."""
    async with client_for(ssm_server, retries=STANDARD) as mw:
        window_id = ssm_server.create_maintenance_window()
        ssm_server.throttle(0.001, burst=1, operation=REGISTER)
        await mw.register_task_with_maintenance_window(window_id, DEFINITION)  # the one token
        first = await task_ids(mw, window_id)
        with pytest.raises(ThrottlingError) as caught:
            await mw.register_task_with_maintenance_window(window_id, DEFINITION)
        assert caught.value.message == "Rate exceeded"
        assert await task_ids(mw, window_id) == first, "nothing committed"
        ssm_server.throttle(None, operation=REGISTER)
        created = await recover(mw, window_id, caught.value)
        assert await recover(mw, window_id, caught.value) == created
        assert await task_ids(mw, window_id) == [*first, created]


@asynccontextmanager
async def one_lost_answer(
    server: EmbeddedSSMServer, client_token: str | None = None
) -> AsyncIterator[tuple[MaintenanceWindowClient, str, InternalServerError]]:
    """A one-attempt client whose register in a new window committed and lost its answer.

    Yields the client, the window and the error raised.
    """
    async with client_for(server, retries={"mode": "standard", "total_max_attempts": 1}) as mw:
        window_id = server.create_maintenance_window()
        server.inject_fault(REGISTER, "InternalServerError", status=500, after_commit=True)
        with pytest.raises(InternalServerError) as caught:
            await mw.register_task_with_maintenance_window(
                window_id, DEFINITION, client_token=client_token
            )
        yield mw, window_id, caught.value


async def test_a_token_given_by_the_caller_is_the_one_carried(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """With ``client_token=`` given, the error carries that very token."""
    async with one_lost_answer(ssm_server, client_token="mine-0001") as (_, _, error):
        assert error.client_token == "mine-0001"


async def test_the_token_with_another_definition_is_refused(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """Recovering with the token but a changed definition: IdempotentParameterMismatchError."""
    async with one_lost_answer(ssm_server) as (mw, window_id, error):
        other = TaskDefinition(
            task_arn="arn:aws:lambda:us-east-1:123456789012:function:other",
            task_invocation_parameters=DEFINITION.task_invocation_parameters,
        )
        with pytest.raises(IdempotentParameterMismatchError) as mismatch:
            await mw.register_task_with_maintenance_window(
                window_id, other, client_token=error.client_token
            )
        assert mismatch.value.client_token == error.client_token
        assert len(await task_ids(mw, window_id)) == 1


async def test_errors_before_sending_carry_no_token(ssm_server: EmbeddedSSMServer) -> None:
    """A ValidationError (nothing sent) and a ClientStateError carry no token; no request."""
    window_id = ssm_server.create_maintenance_window()
    before = ssm_server.request_count()
    async with client_for(ssm_server) as mw:
        with pytest.raises(ValidationError) as invalid:
            await mw.register_task_with_maintenance_window("mw-bad", DEFINITION)
        assert invalid.value.client_token is None
    with pytest.raises(ClientStateError) as closed:
        await mw.register_task_with_maintenance_window(window_id, DEFINITION)
    assert closed.value.client_token is None
    assert ssm_server.request_count() == before


def test_other_errors_default_to_no_token() -> None:
    """``client_token`` is None on an error that no registration raised."""
    error: Any = ServiceError(code="X", message="m", operation="GetMaintenanceWindowTask")
    assert error.client_token is None


def usage_recovery_example() -> dict[str, Any]:
    """The code block of docs/usage.md's recovery section, run: its namespace."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "usage.md").read_text(encoding="utf-8")
    section = text[text.index("### Recovering a registration whose answer was lost") :]
    code = section[section.index("```python\n") + len("```python\n") :]
    code = code[: code.index("```")]
    namespace: dict[str, Any] = {}
    exec(compile(code, "docs/usage.md", "exec"), namespace)
    return namespace


async def test_the_recovery_pattern_of_the_usage_guide_registers_exactly_once(
    ssm_server: EmbeddedSSMServer,
) -> None:
    """docs/usage.md's ``register_once``: four answers lost over two tries, one task, its id."""
    register_once = usage_recovery_example()["register_once"]
    async with client_for(ssm_server, retries=STANDARD) as mw:
        window_id = ssm_server.create_maintenance_window()
        ssm_server.inject_fault(
            REGISTER, "InternalServerError", status=500, times=4, after_commit=True
        )
        task_id = await register_once(mw, window_id, DEFINITION)
        count("tokens:lost_answers", 4)
        assert await task_ids(mw, window_id) == [task_id]
        assert ssm_server.request_count(REGISTER) == 5  # 3 lost, then 1 lost and 1 answered
        with pytest.raises(ValidationError):
            await register_once(mw, "mw-bad", DEFINITION)
        assert ssm_server.request_count(REGISTER) == 5
