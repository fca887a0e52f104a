"""Fidelity: the embedded backend follows the real service's rules (docs/fidelity.md).

Plain aiobotocore against the embedded server, no ssm-mw client in the loop:
each rule's error code and (where a public source quotes it) its exact message,
and the values the service fills in, as get, describe and update report them.
The rule ids (F1, F2, ...) are those of the ledger in ``docs/fidelity.md``.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from support.conformance import fails_with

WINDOW_TARGET = "e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3"
INSTANCE = "i-0123456789abcdef0"
#: The help text of the service's target error, quoted in tflint-ruleset-aws#524.
HELP = (
    "For Run Command tasks, you must specify at least one resource as the target of the task. "
    "You can specify between 1 and 50 instance IDs, or between 1 and 10 maintenance window "
    "target IDs"
)
NO_MAX_ERRORS = "Maintenance window tasks without targets do not support MaxErrors values."
NO_MAX_CONCURRENCY = (
    "Maintenance window tasks without targets do not support MaxConcurrency values."
)


def run_command(**overrides: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "TaskArn": "AWS-RunShellScript",
        "TaskType": "RUN_COMMAND",
        "Targets": [{"Key": "WindowTargetIds", "Values": [WINDOW_TARGET]}],
        "MaxConcurrency": "2",
        "MaxErrors": "1",
        "TaskInvocationParameters": {"RunCommand": {"TimeoutSeconds": 600}},
    }
    request.update(overrides)
    return {k: v for k, v in request.items() if v is not None}


def automation(**overrides: Any) -> dict[str, Any]:
    """A targetless Automation task, as the user guide's example registers it."""
    request: dict[str, Any] = {
        "TaskArn": "AWS-RestartEC2Instance",
        "TaskType": "AUTOMATION",
        "Name": "RestartInstanceWithoutTarget",
        "Priority": 10,
        "TaskInvocationParameters": {"Automation": {"Parameters": {"InstanceId": [INSTANCE]}}},
    }
    request.update(overrides)
    return {k: v for k, v in request.items() if v is not None}


def automation_on_an_instance(**overrides: Any) -> dict[str, Any]:
    """:func:`automation` with targets: one instance, MaxConcurrency "5" and MaxErrors "2"."""
    targets = [{"Key": "InstanceIds", "Values": [INSTANCE]}]
    return automation(Targets=targets, MaxConcurrency="5", MaxErrors="2", **overrides)


async def refused(call: Any, **params: Any) -> ClientError:
    """``call(**params)`` fails with a ValidationException; return it."""
    return await fails_with("ValidationException", call(**params))


async def refused_register(ssm: Any, window_id: str, request: dict[str, Any]) -> ClientError:
    """Registering ``request`` in the window fails with a ValidationException; return it."""
    return await refused(ssm.register_task_with_maintenance_window, WindowId=window_id, **request)


async def registered(ssm: Any, window_id: str, request: dict[str, Any]) -> dict[str, str]:
    """Register ``request`` in the window; return the new task's WindowId and WindowTaskId."""
    created = await ssm.register_task_with_maintenance_window(WindowId=window_id, **request)
    return {"WindowId": window_id, "WindowTaskId": created["WindowTaskId"]}


def message(error: ClientError) -> str:
    return str(error.response["Error"]["Message"])


async def task_count(ssm: Any, window_id: str) -> int:
    listed = await ssm.describe_maintenance_window_tasks(WindowId=window_id)
    return len(listed["Tasks"])


# -- F1: only InstanceIds and WindowTargetIds --------------------------------------


@pytest.mark.parametrize(
    "key", ["tag:Patch", "tag-key", "resource-groups:Name", "instanceids", "target-ks-scan"]
)
async def test_f1_other_target_keys_are_refused_with_the_services_message(
    ssm: Any, maintenance_window_id: str, key: str
) -> None:
    """F1: a tag, resource-group or misspelt key is refused, in the service's words."""
    error = await refused_register(
        ssm, maintenance_window_id, run_command(Targets=[{"Key": key, "Values": ["weekly"]}])
    )
    assert message(error) == (
        f"{key} is an invalid window task target type, use WindowTargetIds or InstanceIds. {HELP}"
    )
    assert await task_count(ssm, maintenance_window_id) == 0


async def test_f1_update_refuses_other_target_keys(ssm: Any, maintenance_window_id: str) -> None:
    """F1 holds for update too, and the task keeps its targets."""
    ids = await registered(ssm, maintenance_window_id, run_command())
    error = await refused(
        ssm.update_maintenance_window_task, **ids, Targets=[{"Key": "tag:Env", "Values": ["a"]}]
    )
    assert message(error).startswith("tag:Env is an invalid window task target type")
    got = await ssm.get_maintenance_window_task(**ids)
    assert got["Targets"] == [{"Key": "WindowTargetIds", "Values": [WINDOW_TARGET]}]


# -- F2: 1 to 50 instance ids, 1 to 10 window targets -------------------------------


async def test_f2_eleven_window_targets_are_refused(ssm: Any, maintenance_window_id: str) -> None:
    """F2: more than 10 window-target ids: "The maximum number of window targets is 10"."""
    ids = [f"e32eecb2-646c-4f4b-8ed1-{i:012x}" for i in range(11)]
    error = await refused_register(
        ssm, maintenance_window_id, run_command(Targets=[{"Key": "WindowTargetIds", "Values": ids}])
    )
    assert message(error) == "The maximum number of window targets is 10"
    task = await registered(
        ssm,
        maintenance_window_id,
        run_command(Targets=[{"Key": "WindowTargetIds", "Values": ids[:10]}]),
    )
    got = await ssm.get_maintenance_window_task(**task)
    assert got["Targets"][0]["Values"] == ids[:10]


async def test_f2_fifty_instances_are_accepted(ssm: Any, maintenance_window_id: str) -> None:
    """F2: 50 instance ids are the most (51 breaks the model's own maximum)."""
    ids = [f"i-{i:017x}" for i in range(50)]
    await ssm.register_task_with_maintenance_window(
        WindowId=maintenance_window_id,
        **run_command(Targets=[{"Key": "InstanceIds", "Values": ids}]),
    )
    assert await task_count(ssm, maintenance_window_id) == 1


@pytest.mark.parametrize("key", ["InstanceIds", "WindowTargetIds"])
async def test_f2_a_target_without_values_is_refused(
    ssm: Any, maintenance_window_id: str, key: str
) -> None:
    """F2: every target takes at least one id."""
    error = await refused_register(
        ssm, maintenance_window_id, run_command(Targets=[{"Key": key, "Values": []}])
    )
    assert message(error) == HELP


# -- F3: the values are ids of the key's kind ----------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("WindowTargetIds", "e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE"),
        ("WindowTargetIds", "weekly"),
        ("InstanceIds", "web-1"),
        ("InstanceIds", "i-123"),
    ],
)
async def test_f3_values_must_be_ids(
    ssm: Any, maintenance_window_id: str, key: str, value: str
) -> None:
    """F3: a WindowTargetIds value is a window-target id (a UUID); InstanceIds an instance id."""
    error = await refused_register(
        ssm, maintenance_window_id, run_command(Targets=[{"Key": key, "Values": [value]}])
    )
    assert message(error).startswith(f"{value} is not a valid ")


# -- F4: which task types may omit targets -------------------------------------------


@pytest.mark.parametrize("targets", [None, []], ids=["omitted", "empty"])
async def test_f4_run_command_needs_a_target(
    ssm: Any, maintenance_window_id: str, targets: Any
) -> None:
    """F4: a Run Command task without targets is refused."""
    params = run_command(MaxConcurrency=None, MaxErrors=None)
    if targets is None:
        del params["Targets"]
    else:
        params["Targets"] = targets
    error = await refused(
        ssm.register_task_with_maintenance_window, WindowId=maintenance_window_id, **params
    )
    assert message(error) == HELP


@pytest.mark.parametrize(
    ("task_type", "arn", "block"),
    [
        ("AUTOMATION", "AWS-RestartEC2Instance", {"Automation": {"DocumentVersion": "$DEFAULT"}}),
        ("LAMBDA", "arn:aws:lambda:us-east-1:111122223333:function:f", {"Lambda": {}}),
        ("STEP_FUNCTIONS", "arn:aws:states:us-east-1:111122223333:stateMachine:s", None),
    ],
)
async def test_f4_other_types_may_omit_targets(
    ssm: Any, maintenance_window_id: str, task_type: str, arn: str, block: Any
) -> None:
    """F4: Automation, Lambda and Step Functions tasks may have no targets."""
    params: dict[str, Any] = {"TaskType": task_type, "TaskArn": arn}
    if block:
        params["TaskInvocationParameters"] = block
    await ssm.register_task_with_maintenance_window(WindowId=maintenance_window_id, **params)
    assert await task_count(ssm, maintenance_window_id) == 1


# -- F5 and F6: targetless tasks: no limits in, placeholders out ----------------------


@pytest.mark.parametrize(
    ("limits", "expected"),
    [
        ({"MaxConcurrency": "1"}, NO_MAX_CONCURRENCY),
        ({"MaxErrors": "0"}, NO_MAX_ERRORS),
        ({"MaxConcurrency": "1", "MaxErrors": "0"}, f"{NO_MAX_ERRORS} {NO_MAX_CONCURRENCY}"),
    ],
    ids=["concurrency", "errors", "both"],
)
async def test_f5_a_targetless_task_may_not_carry_limits(
    ssm: Any, maintenance_window_id: str, limits: dict[str, str], expected: str
) -> None:
    """F5: the quoted errors (both, MaxErrors first, as in terraform-provider-aws#19396)."""
    error = await refused_register(ssm, maintenance_window_id, automation(**limits))
    assert message(error) == expected
    assert await task_count(ssm, maintenance_window_id) == 0


async def test_f6_get_describe_and_update_report_the_placeholders(
    ssm: Any, maintenance_window_id: str
) -> None:
    """F6: the service inserts "1" for both limits of a targetless task and reports it."""
    ids = await registered(ssm, maintenance_window_id, automation())
    got = await ssm.get_maintenance_window_task(**ids)
    assert (got["MaxConcurrency"], got["MaxErrors"]) == ("1", "1")
    assert "Targets" not in got
    (listed,) = (await ssm.describe_maintenance_window_tasks(WindowId=maintenance_window_id))[
        "Tasks"
    ]
    assert (listed["MaxConcurrency"], listed["MaxErrors"]) == ("1", "1")
    updated = await ssm.update_maintenance_window_task(**ids, Priority=3)
    assert (updated["MaxConcurrency"], updated["MaxErrors"], updated["Priority"]) == ("1", "1", 3)


async def test_f5_update_of_a_targetless_task_may_not_add_limits(
    ssm: Any, maintenance_window_id: str
) -> None:
    """F5 on update: a task that stays without targets takes no limits (the stored "1" aside)."""
    ids = await registered(ssm, maintenance_window_id, automation())
    error = await refused(ssm.update_maintenance_window_task, **ids, MaxConcurrency="5")
    assert message(error) == NO_MAX_CONCURRENCY
    error = await refused(
        ssm.update_maintenance_window_task, **ids, Replace=True, MaxErrors="2", **_arn()
    )
    assert message(error) == NO_MAX_ERRORS


def _arn(priority: bool = True) -> dict[str, Any]:
    """What a replace must send (F8, F10): the task ARN and, unless not, a priority."""
    return {"TaskArn": "AWS-RestartEC2Instance", **({"Priority": 1} if priority else {})}


async def test_f6_clearing_the_targets_leaves_the_placeholders(
    ssm: Any, maintenance_window_id: str
) -> None:
    """F5/F6: an Automation task whose targets are cleared reports "1" for both limits."""
    ids = await registered(ssm, maintenance_window_id, automation_on_an_instance())
    error = await refused(ssm.update_maintenance_window_task, **ids, Targets=[], MaxErrors="2")
    assert message(error) == NO_MAX_ERRORS
    updated = await ssm.update_maintenance_window_task(**ids, Targets=[])
    assert (updated["MaxConcurrency"], updated["MaxErrors"]) == ("1", "1")


# -- F7: a task with targets needs both limits ----------------------------------------


async def test_f7_giving_targets_to_a_targetless_task_needs_the_limits(
    ssm: Any, maintenance_window_id: str
) -> None:
    """F7: the placeholders do not count as values: adding targets needs both limits."""
    ids = await registered(ssm, maintenance_window_id, automation())
    targets = [{"Key": "InstanceIds", "Values": [INSTANCE]}]
    await refused(ssm.update_maintenance_window_task, **ids, Targets=targets)
    await refused(ssm.update_maintenance_window_task, **ids, Targets=targets, MaxErrors="1")
    updated = await ssm.update_maintenance_window_task(
        **ids, Targets=targets, MaxConcurrency="3", MaxErrors="1"
    )
    assert (updated["MaxConcurrency"], updated["MaxErrors"]) == ("3", "1")


# -- F8: Replace=True needs what register needs, for the stored task type -----------


async def test_f8_replace_of_a_run_command_task_needs_targets(
    ssm: Any, maintenance_window_id: str
) -> None:
    """F8: the task's stored type decides: a Run Command task replaced without targets fails."""
    ids = await registered(ssm, maintenance_window_id, run_command())
    error = await refused(
        ssm.update_maintenance_window_task,
        **ids,
        Replace=True,
        TaskArn="AWS-RunShellScript",
        Priority=1,
    )
    assert message(error) == HELP
    await refused(
        ssm.update_maintenance_window_task,
        **ids,
        Replace=True,
        TaskArn="AWS-RunShellScript",
        Priority=1,
        Targets=[{"Key": "InstanceIds", "Values": [INSTANCE]}],
    )  # ... and with targets, both limits


async def test_f8_replace_to_targetless_clears_and_fills_in(
    ssm: Any, maintenance_window_id: str
) -> None:
    """F6/F8: a replace without targets clears the rest and reports the placeholders."""
    request = automation_on_an_instance(CutoffBehavior="CANCEL_TASK")
    ids = await registered(ssm, maintenance_window_id, request)
    await ssm.update_maintenance_window_task(**ids, Replace=True, **_arn())
    got = await ssm.get_maintenance_window_task(**ids)
    assert (got["MaxConcurrency"], got["MaxErrors"]) == ("1", "1")
    assert "Targets" not in got
    assert "CutoffBehavior" not in got
    assert "Name" not in got


# -- F10: Replace=True needs a Priority, in the service's words ---------------------------


async def test_f10_a_replace_without_priority_is_refused_in_the_services_words(
    ssm: Any, maintenance_window_id: str
) -> None:
    """F10: a replace without Priority is the quoted ValidationException; nothing changes."""
    ids = await registered(ssm, maintenance_window_id, automation(Priority=None))
    before = await ssm.get_maintenance_window_task(**ids)
    error = await refused(ssm.update_maintenance_window_task, **ids, Replace=True, **_arn(False))
    assert message(error) == (
        "Value null at 'Priority' failed to satisfy constraint: Member must not be null"
    )
    after = await ssm.get_maintenance_window_task(**ids)
    assert {**after, "ResponseMetadata": None} == {**before, "ResponseMetadata": None}
    await ssm.update_maintenance_window_task(**ids, Replace=True, **_arn(False), Priority=0)
    assert (await ssm.get_maintenance_window_task(**ids))["Priority"] == 0
    await ssm.update_maintenance_window_task(**ids, Name="no-replace")  # a plain update needs none


# -- F11: TaskParameters {} when none were given ----------------------------------------


async def test_f11_no_task_parameters_are_reported_as_an_empty_map(
    ssm: Any, maintenance_window_id: str
) -> None:
    """F11: get, describe and update report TaskParameters {} when none were given."""
    ids = await registered(ssm, maintenance_window_id, automation())
    got = await ssm.get_maintenance_window_task(**ids)
    (listed,) = (await ssm.describe_maintenance_window_tasks(WindowId=ids["WindowId"]))["Tasks"]
    updated = await ssm.update_maintenance_window_task(**ids, Priority=3)
    assert got["TaskParameters"] == listed["TaskParameters"] == updated["TaskParameters"] == {}
    given = {"level": {"Values": ["1"]}}
    await ssm.update_maintenance_window_task(**ids, TaskParameters=given)
    assert (await ssm.get_maintenance_window_task(**ids))["TaskParameters"] == given
    await ssm.update_maintenance_window_task(**ids, Replace=True, **_arn())
    assert (await ssm.get_maintenance_window_task(**ids))["TaskParameters"] == {}


# -- F16: invocation parameters not given again are removed -------------------------------


async def test_f16_invocation_parameters_not_given_again_are_removed(
    ssm: Any, maintenance_window_id: str
) -> None:
    """F16: an update that sends TaskInvocationParameters replaces them whole (the API reference's
    own example: Comment and NotificationConfig go when only OutputS3BucketName is sent)."""
    notify = {"NotificationArn": "arn:aws:sns:us-east-1:123456789012:topic"}
    request = run_command(
        TaskInvocationParameters={
            "RunCommand": {
                "Comment": "c",
                "NotificationConfig": notify,
                "OutputS3BucketName": "logs-a",
            }
        }
    )
    ids = await registered(ssm, maintenance_window_id, request)
    kept = {"RunCommand": {"OutputS3BucketName": "logs-b"}}
    await ssm.update_maintenance_window_task(**ids, TaskInvocationParameters=kept)
    got = await ssm.get_maintenance_window_task(**ids)
    assert got["TaskInvocationParameters"] == kept
    assert got["TaskArn"] == request["TaskArn"]  # F15: what is not sent is unchanged


# -- what the service does not fill in -------------------------------------------------


async def test_no_other_member_is_filled_in(ssm: Any, maintenance_window_id: str) -> None:
    """CutoffBehavior and Priority are reported only when given (no public evidence of defaults)."""
    ids = await registered(ssm, maintenance_window_id, run_command())
    got = await ssm.get_maintenance_window_task(**ids)
    assert "CutoffBehavior" not in got
    assert "Priority" not in got
    assert (got["MaxConcurrency"], got["MaxErrors"]) == ("2", "1")


# -- F9: an unknown window, in the service's words ---------------------------------------


async def test_f9_an_unknown_window_is_reported_in_the_services_words(ssm: Any) -> None:
    """F9: "Maintenance window mw-... does not exist" (DoesNotExistException), every operation."""
    missing = "mw-0000000000000000f"
    calls = [
        (ssm.register_task_with_maintenance_window, {"WindowId": missing, **automation()}),
        (ssm.describe_maintenance_window_tasks, {"WindowId": missing}),
        (
            ssm.get_maintenance_window_task,
            {"WindowId": missing, "WindowTaskId": "00000000-0000-4000-8000-000000000000"},
        ),
        (
            ssm.update_maintenance_window_task,
            {"WindowId": missing, "WindowTaskId": "00000000-0000-4000-8000-000000000000"},
        ),
    ]
    for call, params in calls:
        error = await fails_with("DoesNotExistException", call(**params))
        assert message(error) == f"Maintenance window {missing} does not exist"
