"""Conformance: DescribeMaintenanceWindowTasks (items, filters, pagination)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ssm_mw.testing import EmbeddedSSMServer
from support.conformance import MODEL, Wire, error_code, fails_with, register


async def _describe_all(ssm: Any, window_id: str, **kwargs: Any) -> list[list[str]]:
    """Every page of a describe, as lists of WindowTaskIds."""
    pages: list[list[str]] = []
    token: dict[str, str] = {}
    while True:
        page = await ssm.describe_maintenance_window_tasks(WindowId=window_id, **kwargs, **token)
        pages.append([t["WindowTaskId"] for t in page["Tasks"]])
        if "NextToken" not in page:
            return pages
        token = {"NextToken": page["NextToken"]}


async def test_items_carry_type_and_every_summary_member(
    ssm: Any, maintenance_window_id: str, wire: Wire
) -> None:
    """Items carry Type, CutoffBehavior, AlarmConfiguration and the other summary members."""
    task_id = await register(
        ssm,
        maintenance_window_id,
        ServiceRoleArn="arn:aws:iam::111122223333:role/MW",
        TaskParameters={"p": {"Values": ["v"]}},
        LoggingInfo={"S3BucketName": "bucket", "S3Region": "us-east-1", "S3KeyPrefix": "x"},
        Name="named",
        Description="described",
        CutoffBehavior="CANCEL_TASK",
        AlarmConfiguration={"IgnorePollAlarmFailure": False, "Alarms": [{"Name": "alarm"}]},
    )
    listed = await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id)
    (item,) = listed["Tasks"]
    summary_members = set(MODEL.shape_for("MaintenanceWindowTask").members)
    assert set(item) == summary_members
    assert item["WindowTaskId"] == task_id
    assert item["Type"] == "RUN_COMMAND"
    assert item["CutoffBehavior"] == "CANCEL_TASK"
    assert item["AlarmConfiguration"] == {
        "IgnorePollAlarmFailure": False,
        "Alarms": [{"Name": "alarm"}],
    }
    raw_item = wire.last("DescribeMaintenanceWindowTasks")["Tasks"][0]
    assert "TaskInvocationParameters" not in raw_item
    assert "TaskType" not in raw_item
    assert raw_item["Type"] == "RUN_COMMAND"


async def test_describe_unknown_window(ssm: Any) -> None:
    """Describing a window that does not exist fails with DoesNotExistException."""
    await fails_with(
        "DoesNotExistException",
        ssm.describe_maintenance_window_tasks(WindowId="mw-0123456789abcdef0"),
    )


@pytest.fixture
async def four_tasks(ssm: Any, maintenance_window_id: str) -> dict[str, str]:
    """Four tasks of different ARN, type and priority, by short name."""
    return {
        "run1": await register(ssm, maintenance_window_id, TaskArn="AWS-A", Priority=1),
        "run2": await register(ssm, maintenance_window_id, TaskArn="AWS-B", Priority=2),
        "auto1": await register(
            ssm,
            maintenance_window_id,
            TaskArn="AWS-A",
            TaskType="AUTOMATION",
            Priority=1,
            TaskInvocationParameters={"Automation": {"DocumentVersion": "1"}},
        ),
        "lambda3": await register(
            ssm,
            maintenance_window_id,
            TaskArn="fn",
            TaskType="LAMBDA",
            Priority=3,
            TaskInvocationParameters={"Lambda": {"Payload": b"{}"}},
        ),
    }


async def _filtered(ssm: Any, window_id: str, filters: list[dict[str, Any]]) -> set[str]:
    pages = await _describe_all(ssm, window_id, Filters=filters)
    return {task_id for page in pages for task_id in page}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ([{"Key": "TaskArn", "Values": ["AWS-A"]}], {"run1", "auto1"}),
        ([{"Key": "TaskArn", "Values": ["AWS-B", "fn"]}], {"run2", "lambda3"}),
        ([{"Key": "Priority", "Values": ["1"]}], {"run1", "auto1"}),
        ([{"Key": "Priority", "Values": ["2", "3"]}], {"run2", "lambda3"}),
        ([{"Key": "TaskType", "Values": ["RUN_COMMAND"]}], {"run1", "run2"}),
        ([{"Key": "TaskType", "Values": ["LAMBDA", "AUTOMATION"]}], {"auto1", "lambda3"}),
        ([{"Key": "TaskType", "Values": ["STEP_FUNCTIONS"]}], set()),
        (
            [{"Key": "TaskArn", "Values": ["AWS-A"]}, {"Key": "Priority", "Values": ["1"]}],
            {"run1", "auto1"},
        ),
        (
            [
                {"Key": "TaskArn", "Values": ["AWS-A", "AWS-B"]},
                {"Key": "TaskType", "Values": ["RUN_COMMAND"]},
                {"Key": "Priority", "Values": ["2"]},
            ],
            {"run2"},
        ),
        (
            [{"Key": "TaskType", "Values": ["LAMBDA"]}, {"Key": "Priority", "Values": ["1"]}],
            set(),
        ),
    ],
    ids=[
        "arn",
        "arn-or",
        "priority",
        "priority-or",
        "type",
        "type-or",
        "type-none",
        "arn-and-priority",
        "three-keys",
        "and-empty",
    ],
)
async def test_filters(
    ssm: Any,
    maintenance_window_id: str,
    four_tasks: dict[str, str],
    filters: list[dict[str, Any]],
    expected: set[str],
) -> None:
    """Values within one filter key are OR'ed; keys are AND'ed."""
    found = await _filtered(ssm, maintenance_window_id, filters)
    assert found == {four_tasks[name] for name in expected}


async def test_filter_on_window_task_id(
    ssm: Any, maintenance_window_id: str, four_tasks: dict[str, str]
) -> None:
    """A WindowTaskId filter returns exactly the tasks named, combined with other keys by AND."""
    wanted = [four_tasks["run1"], four_tasks["lambda3"]]
    by_id = [{"Key": "WindowTaskId", "Values": wanted}]
    assert await _filtered(ssm, maintenance_window_id, by_id) == set(wanted)
    narrowed = [*by_id, {"Key": "TaskType", "Values": ["LAMBDA"]}]
    assert await _filtered(ssm, maintenance_window_id, narrowed) == {four_tasks["lambda3"]}


@pytest.mark.parametrize(
    "filters",
    [
        [{"Key": "Name", "Values": ["x"]}],
        [{"Key": "taskarn", "Values": ["AWS-A"]}],
        [{"Key": "Priority", "Values": ["high"]}],
    ],
    ids=["unknown-key", "wrong-case-key", "non-integer-priority"],
)
async def test_bad_filters(ssm: Any, maintenance_window_id: str, filters: Any) -> None:
    """An unknown filter key or a non-integer Priority value is a ValidationException."""
    await fails_with(
        "ValidationException",
        ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id, Filters=filters),
    )


async def test_pagination_in_registration_order(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """25 tasks come in pages of 10, 10 and 5, in registration order, with no gap or duplicate."""
    ssm_server.max_tasks_per_window = 25
    registered = [await register(ssm, maintenance_window_id) for _ in range(25)]
    pages = await _describe_all(ssm, maintenance_window_id, MaxResults=10)
    assert [len(page) for page in pages] == [10, 10, 5]
    assert [task_id for page in pages for task_id in page] == registered


async def test_pagination_with_a_filter(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """Paging a filtered listing returns every match once, across pages."""
    ssm_server.max_tasks_per_window = 30
    matching = []
    for i in range(30):
        task_id = await register(ssm, maintenance_window_id, Priority=i % 2)
        if i % 2:
            matching.append(task_id)
    pages = await _describe_all(
        ssm,
        maintenance_window_id,
        MaxResults=10,
        Filters=[{"Key": "Priority", "Values": ["1"]}],
    )
    assert [len(page) for page in pages] == [10, 5]
    assert [task_id for page in pages for task_id in page] == matching


async def test_exact_page_has_no_next_token(ssm: Any, maintenance_window_id: str) -> None:
    """When the tasks fill the page exactly, the page carries no NextToken."""
    for _ in range(10):
        await register(ssm, maintenance_window_id)
    page = await ssm.describe_maintenance_window_tasks(
        WindowId=maintenance_window_id, MaxResults=10
    )
    assert len(page["Tasks"]) == 10
    assert "NextToken" not in page


async def test_default_page_size_is_10(ssm: Any, maintenance_window_id: str) -> None:
    """Without MaxResults a page holds at most 10 tasks and a NextToken leads on."""
    for _ in range(12):
        await register(ssm, maintenance_window_id)
    pages = await _describe_all(ssm, maintenance_window_id)
    assert [len(page) for page in pages] == [10, 2]


async def test_pages_survive_a_deletion(ssm: Any, maintenance_window_id: str) -> None:
    """A task deregistered between pages neither shifts nor repeats the following ones."""
    registered = [await register(ssm, maintenance_window_id) for _ in range(15)]
    first = await ssm.describe_maintenance_window_tasks(
        WindowId=maintenance_window_id, MaxResults=10
    )
    await ssm.deregister_task_from_maintenance_window(
        WindowId=maintenance_window_id, WindowTaskId=registered[3]
    )
    second = await ssm.describe_maintenance_window_tasks(
        WindowId=maintenance_window_id, MaxResults=10, NextToken=first["NextToken"]
    )
    assert [t["WindowTaskId"] for t in second["Tasks"]] == registered[10:]


@pytest.mark.parametrize("max_results", [0, 9, 101])
async def test_max_results_out_of_range(
    raw_ssm: Any, maintenance_window_id: str, max_results: int
) -> None:
    """MaxResults outside 10..100 is a ValidationException from the server."""
    await fails_with(
        "ValidationException",
        raw_ssm.describe_maintenance_window_tasks(
            WindowId=maintenance_window_id, MaxResults=max_results
        ),
    )


def _forge(token: str, **changes: Any) -> str:
    """The token with its payload changed but its signature kept."""
    encoded, _, signature = token.partition(".")
    payload = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    payload.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"{forged}.{signature}"


async def test_bad_forged_and_foreign_tokens(
    ssm: Any, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """A garbage, forged or foreign NextToken is a ValidationException; the real one works."""
    for _ in range(11):
        await register(ssm, maintenance_window_id)
    other_window = ssm_server.create_maintenance_window(name="other")
    for _ in range(11):
        await register(ssm, other_window)
    first = await ssm.describe_maintenance_window_tasks(
        WindowId=maintenance_window_id, MaxResults=10
    )
    token = first["NextToken"]
    foreign = (await ssm.describe_maintenance_window_tasks(WindowId=other_window, MaxResults=10))[
        "NextToken"
    ]
    bad_requests: list[dict[str, Any]] = [
        {"NextToken": "not-a-token"},
        {"NextToken": "\u00e9t\u00e9.\u00e9"},
        {"NextToken": token + "0"},
        {"NextToken": _forge(token, a=0)},
        {"NextToken": foreign},
        {"NextToken": token, "Filters": [{"Key": "TaskType", "Values": ["RUN_COMMAND"]}]},
    ]
    for extra in bad_requests:
        with pytest.raises(ClientError) as caught:
            await ssm.describe_maintenance_window_tasks(
                WindowId=maintenance_window_id, MaxResults=10, **extra
            )
        assert error_code(caught.value) == "ValidationException", extra
    rest = await ssm.describe_maintenance_window_tasks(
        WindowId=maintenance_window_id, MaxResults=10, NextToken=token
    )
    assert len(rest["Tasks"]) == 1


# -- DescribeMaintenanceWindows ---------------------------------------------------


def _windows(server: EmbeddedSSMServer, prefix: str, count: int) -> list[str]:
    """``count`` fresh windows named ``{prefix}-0`` ... (the session's server has others too)."""
    return [server.create_maintenance_window(name=f"{prefix}-{i}") for i in range(count)]


async def _all_windows(ssm: Any, **kwargs: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = await ssm.describe_maintenance_windows(
            **kwargs, **({"NextToken": token} if token else {})
        )
        found += page["WindowIdentities"]
        token = page.get("NextToken")
        if not token:
            return found


async def test_windows_come_in_creation_order_with_their_members(
    ssm: Any, ssm_server: EmbeddedSSMServer
) -> None:
    """Every window once, oldest first, with the members moto keeps and ``Enabled``."""
    created = _windows(ssm_server, "order", 12)
    listed = [w for w in await _all_windows(ssm, MaxResults=10) if w["WindowId"] in created]
    assert [w["WindowId"] for w in listed] == created
    assert listed[0] == {
        "WindowId": created[0],
        "Name": "order-0",
        "Enabled": True,
        "Duration": 2,
        "Cutoff": 1,
        "Schedule": "cron(0 2 ? * SUN *)",
    }


async def test_windows_pages_hold_max_results(ssm: Any, ssm_server: EmbeddedSSMServer) -> None:
    """A page holds ``MaxResults`` windows (10 by default) and a token while more match."""
    _windows(ssm_server, "paged", 23)
    first = await ssm.describe_maintenance_windows(
        Filters=[{"Key": "Name", "Values": [f"paged-{i}" for i in range(23)]}]
    )
    assert len(first["WindowIdentities"]) == 10
    second = await ssm.describe_maintenance_windows(
        Filters=[{"Key": "Name", "Values": [f"paged-{i}" for i in range(23)]}],
        MaxResults=20,
        NextToken=first["NextToken"],
    )
    assert len(second["WindowIdentities"]) == 13
    assert "NextToken" not in second


async def test_windows_name_filter_matches_whole_names(
    ssm: Any, ssm_server: EmbeddedSSMServer
) -> None:
    """``Name`` values are OR'ed and match the whole name; filters are AND'ed."""
    ids = _windows(ssm_server, "named", 3)
    by_name = await _all_windows(ssm, Filters=[{"Key": "Name", "Values": ["named-0", "named-2"]}])
    assert [w["WindowId"] for w in by_name] == [ids[0], ids[2]]
    assert await _all_windows(ssm, Filters=[{"Key": "Name", "Values": ["named"]}]) == []
    both = await _all_windows(
        ssm,
        Filters=[
            {"Key": "Name", "Values": ["named-1"]},
            {"Key": "Enabled", "Values": ["TRUE"]},
        ],
    )
    assert [w["WindowId"] for w in both] == [ids[1]]
    disabled = await _all_windows(
        ssm,
        Filters=[{"Key": "Name", "Values": ["named-1"]}, {"Key": "Enabled", "Values": ["false"]}],
    )
    assert disabled == []


async def test_windows_unknown_filter_key_is_refused(raw_ssm: Any) -> None:
    """Only ``Name`` and ``Enabled`` are supported keys."""
    error = await fails_with(
        "ValidationException",
        raw_ssm.describe_maintenance_windows(Filters=[{"Key": "Schedule", "Values": ["x"]}]),
    )
    assert "Name, Enabled" in str(error)


async def test_windows_token_of_other_filters_is_refused(
    ssm: Any, ssm_server: EmbeddedSSMServer
) -> None:
    """A token is bound to its filters, and a task page's token is not a window page's."""
    _windows(ssm_server, "bound", 11)
    names = [{"Key": "Name", "Values": [f"bound-{i}" for i in range(11)]}]
    token = (await ssm.describe_maintenance_windows(Filters=names))["NextToken"]
    await fails_with(
        "ValidationException",
        ssm.describe_maintenance_windows(
            Filters=[{"Key": "Enabled", "Values": ["true"]}], NextToken=token
        ),
    )
    await fails_with("ValidationException", ssm.describe_maintenance_windows(NextToken="junk"))


@pytest.mark.parametrize("max_results", [9, 101])
async def test_windows_max_results_out_of_range(raw_ssm: Any, max_results: int) -> None:
    """MaxResults outside 10..100 is a ValidationException from the server."""
    await fails_with(
        "ValidationException", raw_ssm.describe_maintenance_windows(MaxResults=max_results)
    )
