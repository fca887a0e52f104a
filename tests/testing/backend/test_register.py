"""Conformance: RegisterTaskWithMaintenanceWindow."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ssm_mw.testing import EmbeddedSSMServer
from support.conformance import Wire, error_code, fails_with, register, run_command_task
from support.examples import RUN_COMMAND_WIRE

#: A Run Command request of every member.
FULL_REQUEST = RUN_COMMAND_WIRE


async def test_register_stores_every_member(ssm: Any, maintenance_window_id: str) -> None:
    """Register keeps every member, CutoffBehavior and AlarmConfiguration included."""
    created = await ssm.register_task_with_maintenance_window(
        WindowId=maintenance_window_id, ClientToken="full-1", **FULL_REQUEST
    )
    got = await ssm.get_maintenance_window_task(
        WindowId=maintenance_window_id, WindowTaskId=created["WindowTaskId"]
    )
    got.pop("ResponseMetadata")
    assert got == {
        "WindowId": maintenance_window_id,
        "WindowTaskId": created["WindowTaskId"],
        **FULL_REQUEST,
    }


async def test_register_unknown_window(ssm: Any) -> None:
    """Registering in a window that does not exist fails with DoesNotExistException."""
    await fails_with("DoesNotExistException", register(ssm, "mw-0123456789abcdef0"))


async def test_same_token_same_request_is_idempotent(ssm: Any, maintenance_window_id: str) -> None:
    """The same ClientToken with the same request returns the same id and adds no task."""
    first = await register(ssm, maintenance_window_id, ClientToken="token-a")
    again = await register(ssm, maintenance_window_id, ClientToken="token-a")
    other = await register(ssm, maintenance_window_id, ClientToken="token-b")
    assert again == first
    assert other != first
    listed = await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    assert sorted(t["WindowTaskId"] for t in listed["Tasks"]) == sorted([first, other])


async def test_same_token_different_request_mismatches(
    ssm: Any, maintenance_window_id: str
) -> None:
    """The same ClientToken with a different request fails with IdempotentParameterMismatch."""
    await register(ssm, maintenance_window_id, ClientToken="token-a", Priority=1)
    await fails_with(
        "IdempotentParameterMismatch",
        register(ssm, maintenance_window_id, ClientToken="token-a", Priority=2),
    )
    listed = await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    assert len(listed["Tasks"]) == 1


VARIANTS = {
    "RUN_COMMAND": {"RunCommand": {"Comment": "c"}},
    "AUTOMATION": {"Automation": {"DocumentVersion": "$DEFAULT"}},
    "STEP_FUNCTIONS": {"StepFunctions": {"Input": "{}", "Name": "run"}},
    "LAMBDA": {"Lambda": {"Qualifier": "prod"}},
}


@pytest.mark.parametrize("task_type", sorted(VARIANTS))
async def test_variant_must_match_task_type(
    ssm: Any, maintenance_window_id: str, task_type: str
) -> None:
    """The matching invocation variant is accepted; any other is a ValidationException."""
    await register(
        ssm, maintenance_window_id, TaskType=task_type, TaskInvocationParameters=VARIANTS[task_type]
    )
    for other_type, variant in VARIANTS.items():
        if other_type == task_type:
            continue
        await fails_with(
            "ValidationException",
            register(
                ssm, maintenance_window_id, TaskType=task_type, TaskInvocationParameters=variant
            ),
        )


async def test_two_variants_are_rejected(ssm: Any, maintenance_window_id: str) -> None:
    """TaskInvocationParameters with two variants is a ValidationException."""
    both = {**VARIANTS["RUN_COMMAND"], **VARIANTS["LAMBDA"]}
    await fails_with(
        "ValidationException", register(ssm, maintenance_window_id, TaskInvocationParameters=both)
    )


@pytest.mark.parametrize("missing", ["TaskArn", "TaskType", "WindowId"])
async def test_required_members(raw_ssm: Any, maintenance_window_id: str, missing: str) -> None:
    """A request without a required member is a ValidationException (checked by the server)."""
    request = run_command_task(maintenance_window_id)
    del request[missing]
    await fails_with(
        "ValidationException", raw_ssm.register_task_with_maintenance_window(**request)
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"Priority": -1},
        {"Priority": "high"},
        {"TaskType": "SHELL"},
        {"CutoffBehavior": "STOP"},
        {"MaxConcurrency": "0"},
        {"MaxErrors": "many"},
        {"Name": "no spaces allowed"},
        {"Description": "d" * 129},
        {"Targets": [{"Key": "InstanceIds", "Values": ["i-1"]}] * 6},
        {"LoggingInfo": {"S3BucketName": "bucket"}},
        {"AlarmConfiguration": {"Alarms": []}},
        {"AlarmConfiguration": {"Alarms": [{"Name": "a"}, {"Name": "b"}]}},
        {"TaskInvocationParameters": {"RunCommand": {"TimeoutSeconds": 10}}},
        {"ClientToken": "t" * 65},
    ],
    ids=lambda overrides: "-".join(overrides),
)
async def test_model_constraints(
    raw_ssm: Any, maintenance_window_id: str, overrides: dict[str, Any]
) -> None:
    """A member that breaks a constraint of the botocore model is a ValidationException."""
    await fails_with("ValidationException", register(raw_ssm, maintenance_window_id, **overrides))
    listed = await raw_ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    assert listed["Tasks"] == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"Targets": None},
        {"Targets": []},
        {"MaxConcurrency": None},
        {"MaxErrors": None},
    ],
    ids=["run-command-without-targets", "empty-targets", "no-max-concurrency", "no-max-errors"],
)
async def test_target_rules(
    ssm: Any, maintenance_window_id: str, overrides: dict[str, Any]
) -> None:
    """RUN_COMMAND needs targets, and a task with targets needs MaxConcurrency and MaxErrors."""
    await fails_with("ValidationException", register(ssm, maintenance_window_id, **overrides))


async def test_targetless_tasks_of_other_types(ssm: Any, maintenance_window_id: str) -> None:
    """A LAMBDA task may have no targets, and then needs no MaxConcurrency or MaxErrors.

    Get reports the service's placeholder "1" for both limits of a targetless task
    (docs/fidelity.md, F6).
    """
    task_id = await register(
        ssm,
        maintenance_window_id,
        TaskType="LAMBDA",
        TaskArn="fn",
        Targets=None,
        MaxConcurrency=None,
        MaxErrors=None,
        TaskInvocationParameters=None,
    )
    got = await ssm.get_maintenance_window_task(
        WindowId=maintenance_window_id, WindowTaskId=task_id
    )
    assert "Targets" not in got
    assert (got["MaxConcurrency"], got["MaxErrors"]) == ("1", "1")


async def test_lambda_payload_round_trips_as_bytes(
    ssm: Any, maintenance_window_id: str, wire: Wire
) -> None:
    """A Lambda Payload comes back base64-encoded on the wire and decodes to the same bytes."""
    payload = b'{"k": 1}\x00\xff\xfe'
    task_id = await register(
        ssm,
        maintenance_window_id,
        TaskArn="arn:aws:lambda:us-east-1:111122223333:function:fn",
        TaskType="LAMBDA",
        TaskInvocationParameters={"Lambda": {"Payload": payload, "ClientContext": "ctx"}},
    )
    got = await ssm.get_maintenance_window_task(
        WindowId=maintenance_window_id, WindowTaskId=task_id
    )
    assert got["TaskInvocationParameters"]["Lambda"]["Payload"] == payload
    raw = wire.last("GetMaintenanceWindowTask")["TaskInvocationParameters"]["Lambda"]["Payload"]
    assert base64.b64decode(raw) == payload


async def test_oversized_lambda_payload(raw_ssm: Any, maintenance_window_id: str) -> None:
    """A Lambda Payload over 4096 bytes is a ValidationException."""
    await fails_with(
        "ValidationException",
        register(
            raw_ssm,
            maintenance_window_id,
            TaskType="LAMBDA",
            TaskInvocationParameters={"Lambda": {"Payload": b"x" * 4097}},
        ),
    )


async def test_default_task_limit_is_20(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """The 21st task of a window is a ResourceLimitExceededException; other windows still accept."""
    assert ssm_server.max_tasks_per_window == 20
    for _ in range(20):
        await register(ssm, maintenance_window_id)
    await fails_with("ResourceLimitExceededException", register(ssm, maintenance_window_id))
    other_window = ssm_server.create_maintenance_window(name="other")
    await register(ssm, other_window)


async def test_task_limit_is_settable(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Setting max_tasks_per_window changes where ResourceLimitExceededException starts."""
    ssm_server.max_tasks_per_window = 3
    for _ in range(3):
        await register(ssm, maintenance_window_id)
    await fails_with("ResourceLimitExceededException", register(ssm, maintenance_window_id))
    ssm_server.max_tasks_per_window = 4
    await register(ssm, maintenance_window_id)


async def test_idempotent_retry_succeeds_at_the_limit(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """A retry with a known ClientToken returns its task even when the window is full."""
    ssm_server.max_tasks_per_window = 1
    first = await register(ssm, maintenance_window_id, ClientToken="only")
    assert await register(ssm, maintenance_window_id, ClientToken="only") == first


async def test_concurrent_registrations(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """50 concurrent registrations give 50 distinct tasks, all listed."""
    ssm_server.max_tasks_per_window = 50
    ids = await asyncio.gather(
        *(register(ssm, maintenance_window_id, Name=f"task-{i}") for i in range(50))
    )
    assert len(set(ids)) == 50
    listed: list[str] = []
    token: dict[str, str] = {}
    while True:
        page = await ssm.describe_maintenance_window_tasks(
            WindowId=maintenance_window_id, MaxResults=100, **token
        )
        listed += [t["WindowTaskId"] for t in page["Tasks"]]
        if "NextToken" not in page:
            break
        token = {"NextToken": page["NextToken"]}
    assert sorted(listed) == sorted(ids)


async def test_concurrent_registrations_respect_the_limit(
    ssm: Any, maintenance_window_id: str
) -> None:
    """Of 30 concurrent registrations under the default limit, exactly 20 succeed."""
    results = await asyncio.gather(
        *(register(ssm, maintenance_window_id) for _ in range(30)), return_exceptions=True
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    assert len(failures) == 10
    assert all(
        isinstance(f, ClientError) and error_code(f) == "ResourceLimitExceededException"
        for f in failures
    )
