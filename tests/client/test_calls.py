"""MaintenanceWindowClient end to end: real HTTP through aiobotocore to the embedded backend."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiobotocore.config import AioConfig
from botocore.exceptions import ClientError

from ssm_mw import (
    ClientStateError,
    CutoffBehavior,
    DoesNotExistError,
    IdempotentParameterMismatchError,
    InternalServerError,
    MaintenanceWindowClient,
    MaintenanceWindowTaskDetails,
    ResourceLimitExceededError,
    RunCommandParameters,
    ServiceError,
    Target,
    TaskDefinition,
    TaskFilter,
    TaskType,
    TaskUpdate,
    ThrottlingError,
    TransportError,
    ValidationError,
    to_botocore,
)
from ssm_mw._rules import as_reported
from ssm_mw.testing import EmbeddedSSMServer
from support.clients import client_for
from support.examples import ALL_TYPES, AUTOMATION, LAMBDA, RUN_COMMAND, STEP_FUNCTIONS
from support.operations import DESCRIBE, REGISTER
from support.round_trip import register_then_get

MISSING_WINDOW = "mw-00000000000000000"
MISSING_TASK = "00000000-0000-4000-8000-000000000000"


def expected_details(window_id: str, task_id: str, d: TaskDefinition) -> dict[str, Any]:
    """The get response a definition should come back as: as the service reports it.

    That is ``as_reported(d)``, not ``d``: a task without targets comes back with the
    service's placeholder "1" for both limits (docs/fidelity.md, F6).
    """
    return {"WindowId": window_id, "WindowTaskId": task_id, **to_botocore(as_reported(d))}


async def _fill(
    server: EmbeddedSSMServer,
    mw: MaintenanceWindowClient,
    window_id: str,
    definition: TaskDefinition,
    count: int,
) -> list[str]:
    """Let the window hold ``count`` tasks and register that many; return their ids, in order."""
    server.max_tasks_per_window = count
    return [
        await mw.register_task_with_maintenance_window(window_id, definition, client_token=f"t{i}")
        for i in range(count)
    ]


@pytest.mark.parametrize("definition", ALL_TYPES, ids=lambda d: d.task_type.value)
async def test_register_then_get_returns_every_member(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str, definition: TaskDefinition
) -> None:
    """Each task type registers and comes back from get with every member it was given."""
    task_id, details = await register_then_get(mw_client, maintenance_window_id, definition)
    assert details.task_type is definition.task_type
    assert details.task_invocation_parameters == definition.task_invocation_parameters
    assert details.cutoff_behavior is definition.cutoff_behavior
    assert to_botocore(details) == expected_details(maintenance_window_id, task_id, definition)


async def test_describe_lists_tasks_with_type_and_cutoff(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """Describe returns each task with its type, cutoff behavior and alarms."""
    ids = [
        await mw_client.register_task_with_maintenance_window(maintenance_window_id, d)
        for d in ALL_TYPES
    ]
    page = await mw_client.describe_maintenance_window_tasks(maintenance_window_id)
    assert page.next_token is None
    by_id = {t.window_task_id: t for t in page.tasks}
    assert sorted(by_id) == sorted(ids)
    for task_id, d in zip(ids, ALL_TYPES, strict=True):
        task = by_id[task_id]
        assert task.window_id == maintenance_window_id
        assert task.task_type is d.task_type
        assert task.cutoff_behavior is d.cutoff_behavior
        assert task.alarm_configuration == d.alarm_configuration
        assert task.priority == d.priority
        assert task.task_arn == d.task_arn


async def test_filters_by_each_key_and_combined(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """Filters select by type, priority, ARN and id; values OR, keys AND."""
    ids = {
        d.task_type: await mw_client.register_task_with_maintenance_window(maintenance_window_id, d)
        for d in ALL_TYPES
    }

    async def found(*filters: TaskFilter) -> set[str]:
        page = await mw_client.describe_maintenance_window_tasks(
            maintenance_window_id, filters=filters
        )
        return {t.window_task_id for t in page.tasks}

    lam, auto = ids[TaskType.LAMBDA], ids[TaskType.AUTOMATION]
    assert await found(TaskFilter.task_type(TaskType.LAMBDA)) == {lam}
    assert await found(TaskFilter.task_type(TaskType.LAMBDA, TaskType.AUTOMATION)) == {lam, auto}
    assert await found(TaskFilter.priority(2)) == {auto}
    assert await found(TaskFilter.task_arn(STEP_FUNCTIONS.task_arn)) == {
        ids[TaskType.STEP_FUNCTIONS]
    }
    assert await found(TaskFilter.window_task_id(lam)) == {lam}
    assert await found(TaskFilter.task_type(TaskType.LAMBDA), TaskFilter.priority(2)) == set()
    assert await found(
        TaskFilter.task_type(TaskType.LAMBDA, TaskType.AUTOMATION), TaskFilter.priority(2, 3)
    ) == {auto}


async def test_a_priority_filter_that_is_no_integer_is_refused_before_sending(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """``TaskFilter.priority("high")``: a ValidationError naming the value, nothing sent."""
    before = ssm_server.request_count()
    bad = TaskFilter.priority("high")  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        await mw_client.describe_maintenance_window_tasks(
            maintenance_window_id, filters=(TaskFilter.priority(1), bad)
        )
    assert caught.value.paths == ("filters[1].values[0]",)
    assert "'high' is no integer (the Priority filter takes integers)" in str(caught.value)
    with pytest.raises(ValidationError):
        async for _ in mw_client.paginate_maintenance_window_tasks(
            maintenance_window_id, filters=(bad,)
        ):
            pass
    assert ssm_server.request_count() == before
    page = await mw_client.describe_maintenance_window_tasks(
        maintenance_window_id, filters=(TaskFilter(key="Priority", values=("-1", "007")),)
    )
    assert page.tasks == ()


async def test_pagination_covers_every_task_once(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """Paging 25 tasks 10 at a time yields each task once, in three requests."""
    ids = await _fill(ssm_server, mw_client, maintenance_window_id, RUN_COMMAND, 25)
    before = ssm_server.request_count(DESCRIBE)
    seen = [
        t.window_task_id
        async for t in mw_client.paginate_maintenance_window_tasks(
            maintenance_window_id, page_size=10
        )
    ]
    assert seen == ids
    assert ssm_server.request_count(DESCRIBE) - before == 3


async def test_pages_hand_out_resume_tokens(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """A page's next_token resumes right after it; the last page has none."""
    ids = await _fill(ssm_server, mw_client, maintenance_window_id, AUTOMATION, 25)
    pages = [
        p
        async for p in mw_client.paginate_maintenance_window_tasks(
            maintenance_window_id, page_size=10
        ).pages()
    ]
    assert [len(p.tasks) for p in pages] == [10, 10, 5]
    assert pages[-1].next_token is None
    resumed = [
        t.window_task_id
        async for t in mw_client.paginate_maintenance_window_tasks(
            maintenance_window_id, page_size=10, starting_token=pages[0].next_token
        )
    ]
    assert resumed == ids[10:]


async def test_max_items_stops_mid_page_and_resumes_exactly(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """max_items stops inside a page; its resume token continues with the very next task."""
    ids = await _fill(ssm_server, mw_client, maintenance_window_id, LAMBDA, 25)
    first = mw_client.paginate_maintenance_window_tasks(
        maintenance_window_id, page_size=10, max_items=13
    )
    head = [t.window_task_id async for t in first]
    assert head == ids[:13]
    assert first.resume_token is not None
    rest = [
        t.window_task_id
        async for t in mw_client.paginate_maintenance_window_tasks(
            maintenance_window_id, page_size=10, starting_token=first.resume_token
        )
    ]
    assert rest == ids[13:]


@pytest.mark.parametrize("prefetch", [False, True])
async def test_breaking_out_sends_no_further_request(
    ssm_server: EmbeddedSSMServer,
    mw_client: MaintenanceWindowClient,
    maintenance_window_id: str,
    prefetch: bool,
) -> None:
    """After a break, no describe request is sent (at most the one prefetched before it)."""
    await _fill(ssm_server, mw_client, maintenance_window_id, AUTOMATION, 40)
    before = ssm_server.request_count(DESCRIBE)
    async for _ in mw_client.paginate_maintenance_window_tasks(
        maintenance_window_id, page_size=10, prefetch=prefetch
    ):
        break
    sent = ssm_server.request_count(DESCRIBE) - before
    assert sent == (2 if prefetch else 1) or (prefetch and sent == 1)
    # The client is still usable, and nothing else trickles out afterwards.
    page = await mw_client.describe_maintenance_window_tasks(maintenance_window_id)
    assert len(page.tasks) == 10
    assert ssm_server.request_count(DESCRIBE) - before == sent + 1


async def test_cutoff_behavior_set_changed_and_cleared_by_replace(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """CutoffBehavior is stored, changed by a partial update, and cleared by a replace."""
    task_id = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, RUN_COMMAND
    )
    changed = await mw_client.update_maintenance_window_task(
        maintenance_window_id, task_id, TaskUpdate(cutoff_behavior=CutoffBehavior.CONTINUE_TASK)
    )
    assert changed.cutoff_behavior is CutoffBehavior.CONTINUE_TASK
    assert changed.priority == RUN_COMMAND.priority
    assert changed.max_concurrency == RUN_COMMAND.max_concurrency
    got = await mw_client.get_maintenance_window_task(maintenance_window_id, task_id)
    assert got.cutoff_behavior is CutoffBehavior.CONTINUE_TASK
    assert got.task_invocation_parameters == RUN_COMMAND.task_invocation_parameters

    replaced = await mw_client.update_maintenance_window_task(
        maintenance_window_id,
        task_id,
        TaskUpdate(
            task_arn="AWS-RunPowerShellScript",
            targets=(Target.instances("i-0123456789abcdef0"),),
            priority=7,
            max_concurrency="1",
            max_errors="2",
        ),
        replace=True,
    )
    assert replaced.cutoff_behavior is None
    assert replaced.priority == 7
    assert replaced.max_errors == "2"
    got = await mw_client.get_maintenance_window_task(maintenance_window_id, task_id)
    assert (got.cutoff_behavior, got.task_arn, got.description) == (
        None,
        "AWS-RunPowerShellScript",
        None,
    )


async def test_update_returns_the_update_result_shape(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """Update returns the task as stored: ids and every member, without TaskType."""
    task_id = await mw_client.register_task_with_maintenance_window(maintenance_window_id, LAMBDA)
    result = await mw_client.update_maintenance_window_task(
        maintenance_window_id, task_id, TaskUpdate(priority=9)
    )
    assert isinstance(result, MaintenanceWindowTaskDetails)
    assert (result.window_id, result.window_task_id, result.priority) == (
        maintenance_window_id,
        task_id,
        9,
    )
    assert result.task_type is None
    assert result.task_invocation_parameters == LAMBDA.task_invocation_parameters


async def test_replace_without_what_register_requires_is_refused_before_sending(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """replace=True without a task ARN raises ValidationError and sends nothing."""
    before = ssm_server.request_count()
    with pytest.raises(ValidationError) as info:
        await mw_client.update_maintenance_window_task(
            maintenance_window_id, MISSING_TASK, TaskUpdate(priority=1), replace=True
        )
    assert "task_arn" in info.value.paths
    assert ssm_server.request_count() == before


async def test_every_violation_is_reported_and_nothing_is_sent(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient
) -> None:
    """A request with several violations lists them all, by path, and never leaves."""
    bad = TaskDefinition(
        task_arn="AWS-RunShellScript",
        task_invocation_parameters=RunCommandParameters(timeout_seconds=10),
        max_concurrency="0",
        priority=-1,
    )
    before = ssm_server.request_count()
    with pytest.raises(ValidationError) as info:
        await mw_client.register_task_with_maintenance_window("mw-bad", bad)
    assert set(info.value.paths) >= {
        "window_id",
        "task_invocation_parameters.timeout_seconds",
        "max_concurrency",
        "priority",
    }
    assert "task_invocation_parameters.timeout_seconds: 10 is below the minimum 30" in str(
        info.value
    )
    assert ssm_server.request_count() == before


async def test_invalid_paginator_arguments_raise_before_any_request(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """A page size out of range or a bad window id raises at the call, naming the argument."""
    before = ssm_server.request_count()
    with pytest.raises(ValidationError) as info:
        mw_client.paginate_maintenance_window_tasks(maintenance_window_id, page_size=5)
    assert info.value.paths == ("page_size",)
    with pytest.raises(ValidationError, match="window_id"):
        mw_client.paginate_maintenance_window_tasks("not-a-window")
    with pytest.raises(ValidationError, match="max_items"):
        mw_client.paginate_maintenance_window_tasks(maintenance_window_id, max_items=0)
    with pytest.raises(ValidationError, match="starting_token"):
        mw_client.paginate_maintenance_window_tasks(
            maintenance_window_id, starting_token="ssm-mw:1:!!!"
        )
    assert ssm_server.request_count() == before


@pytest.mark.parametrize(
    "call",
    ["describe", "get", "register", "update"],
)
async def test_unknown_ids_raise_does_not_exist(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str, call: str
) -> None:
    """Each operation maps DoesNotExistException to DoesNotExistError."""
    calls = {
        "describe": lambda: mw_client.describe_maintenance_window_tasks(MISSING_WINDOW),
        "get": lambda: mw_client.get_maintenance_window_task(maintenance_window_id, MISSING_TASK),
        "register": lambda: mw_client.register_task_with_maintenance_window(MISSING_WINDOW, LAMBDA),
        "update": lambda: mw_client.update_maintenance_window_task(
            maintenance_window_id, MISSING_TASK, TaskUpdate(priority=1)
        ),
    }
    with pytest.raises(DoesNotExistError) as info:
        await calls[call]()
    error = info.value
    assert error.code == "DoesNotExistException"
    assert error.http_status == 400
    assert error.request_id
    assert error.operation.endswith(("MaintenanceWindowTasks", "MaintenanceWindowTask", "Window"))
    assert isinstance(error.__cause__, ClientError)


async def test_task_limit_raises_resource_limit_exceeded(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """Registering past the window's task limit raises ResourceLimitExceededError."""
    ssm_server.max_tasks_per_window = 1
    await mw_client.register_task_with_maintenance_window(maintenance_window_id, LAMBDA)
    with pytest.raises(ResourceLimitExceededError):
        await mw_client.register_task_with_maintenance_window(maintenance_window_id, AUTOMATION)


async def test_client_token_makes_register_idempotent(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """The same token and definition give the same id; another definition is a mismatch."""
    first = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, LAMBDA, client_token="once"
    )
    again = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, LAMBDA, client_token="once"
    )
    assert first == again
    with pytest.raises(IdempotentParameterMismatchError):
        await mw_client.register_task_with_maintenance_window(
            maintenance_window_id, AUTOMATION, client_token="once"
        )
    page = await mw_client.describe_maintenance_window_tasks(maintenance_window_id)
    assert [t.window_task_id for t in page.tasks] == [first]


async def test_each_call_gets_its_own_token(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """Without a token, two calls with the same definition register two tasks."""
    a = await mw_client.register_task_with_maintenance_window(maintenance_window_id, LAMBDA)
    b = await mw_client.register_task_with_maintenance_window(maintenance_window_id, LAMBDA)
    assert a != b


async def test_lost_register_response_is_retried_without_a_duplicate(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """A register whose response is lost is retried with the same token: one task only."""
    ssm_server.inject_fault(REGISTER, "InternalServerError", status=500, after_commit=True)
    task_id = await mw_client.register_task_with_maintenance_window(maintenance_window_id, LAMBDA)
    assert ssm_server.request_count(REGISTER) == 2
    page = await mw_client.describe_maintenance_window_tasks(maintenance_window_id)
    assert [t.window_task_id for t in page.tasks] == [task_id]


async def test_throttling_is_retried_within_the_budget(
    ssm_server: EmbeddedSSMServer, mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """Two throttled attempts then success: the call succeeds (standard mode, 3 attempts)."""
    ssm_server.inject_fault(DESCRIBE, "ThrottlingException", times=2)
    page = await mw_client.describe_maintenance_window_tasks(maintenance_window_id)
    assert page.tasks == ()
    assert ssm_server.request_count(DESCRIBE) == 3


@pytest.mark.parametrize(
    ("code", "status", "cls"),
    [
        ("ThrottlingException", 400, ThrottlingError),
        ("InternalServerError", 500, InternalServerError),
        ("FeatureNotAvailableException", 400, ServiceError),
        ("SomethingNew", 409, ServiceError),
    ],
)
async def test_errors_map_to_typed_exceptions(
    ssm_server: EmbeddedSSMServer,
    maintenance_window_id: str,
    code: str,
    status: int,
    cls: type[ServiceError],
) -> None:
    """Service errors map to their class and carry code, message, operation and status."""
    ssm_server.inject_fault("GetMaintenanceWindowTask", code, status=status, times=None)
    async with client_for(ssm_server, retries={"mode": "standard", "max_attempts": 1}) as mw:
        with pytest.raises(cls) as info:
            await mw.get_maintenance_window_task(maintenance_window_id, MISSING_TASK)
    error = info.value
    assert (error.code, error.http_status, error.operation) == (
        code,
        status,
        "GetMaintenanceWindowTask",
    )
    assert error.message
    assert isinstance(error.__cause__, ClientError)
    if code == "FeatureNotAvailableException":
        assert type(error).__name__ == "FeatureNotAvailableError"


async def test_client_outside_its_context_raises(ssm_server: EmbeddedSSMServer) -> None:
    """Using a client before opening or after closing, or reopening it, raises ClientStateError."""
    mw = client_for(ssm_server)
    with pytest.raises(ClientStateError, match="not open"):
        await mw.describe_maintenance_window_tasks(MISSING_WINDOW)
    async with mw:
        with pytest.raises(ClientStateError, match="already open"):
            await mw.__aenter__()
    with pytest.raises(ClientStateError, match="closed"):
        await mw.describe_maintenance_window_tasks(MISSING_WINDOW)
    with pytest.raises(ClientStateError, match="closed"):
        async with mw:
            pass
    await mw.aclose()  # closing twice is harmless


async def test_from_client_wraps_a_caller_owned_client(
    ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """from_client uses the caller's aiobotocore client and leaves it open when done."""
    session = ssm_server.aio_session()
    async with session.create_client("ssm", **ssm_server.client_kwargs()) as ssm:
        async with MaintenanceWindowClient.from_client(ssm) as mw:
            task_id = await mw.register_task_with_maintenance_window(maintenance_window_id, LAMBDA)
        # The wrapper is closed; the caller's client still works.
        response = await ssm.get_maintenance_window_task(
            WindowId=maintenance_window_id, WindowTaskId=task_id
        )
        assert response["TaskType"] == "LAMBDA"
        with pytest.raises(ClientStateError):
            await mw.get_maintenance_window_task(maintenance_window_id, task_id)


async def test_unreachable_endpoint_raises_transport_error() -> None:
    """A connection failure surfaces as TransportError, with botocore's error as cause."""
    from aiobotocore.session import get_session

    session = get_session()
    session.set_credentials("testing", "testing")
    async with MaintenanceWindowClient(
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:1",
        session=session,
        config=AioConfig(retries={"mode": "standard", "max_attempts": 1}),
    ) as mw:
        with pytest.raises(TransportError, match="DescribeMaintenanceWindowTasks"):
            await mw.describe_maintenance_window_tasks(MISSING_WINDOW)


async def test_each_call_logs_its_redacted_request_and_its_answer(
    mw_client: MaintenanceWindowClient,
    maintenance_window_id: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Two DEBUG lines per call on logger ssm_mw, the request (secrets redacted) and its
    answer (status, time, request id, retries; no value)."""
    secret = "s3cr3t-value-42"
    definition = TaskDefinition(
        task_arn="AWS-RunShellScript",
        task_invocation_parameters=RunCommandParameters(parameters={"commands": (secret,)}),
        targets=(Target.instances("i-0123456789abcdef0"),),
        max_concurrency="1",
        max_errors="0",
        description=secret,
    )
    with caplog.at_level(logging.DEBUG, logger="ssm_mw"):
        await register_then_get(mw_client, maintenance_window_id, definition)
    records = [r for r in caplog.records if r.name == "ssm_mw"]
    assert [r.levelno for r in records] == [logging.DEBUG] * 4
    assert REGISTER in records[0].getMessage()
    assert "AWS-RunShellScript" in records[0].getMessage()
    assert records[1].getMessage().startswith(f"{REGISTER} answered 200 in ")
    assert "GetMaintenanceWindowTask" in records[2].getMessage()
    assert records[3].getMessage().startswith("GetMaintenanceWindowTask answered 200 in ")
    assert all(secret not in r.getMessage() for r in records)
