"""Fidelity through ``MaintenanceWindowClient``: the real service's rules, checked before sending.

Each rule of ``docs/fidelity.md`` that the request alone decides is refused by
the client with a :class:`ValidationError` naming the field, and the server's
request count stays unchanged. What the service fills in is what
:func:`ssm_mw._rules.as_reported` says it fills in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import attrs
import pytest
from hypothesis import given

from ssm_mw import (
    AutomationParameters,
    IgnoredMembersWarning,
    LoggingInfo,
    MaintenanceWindowClient,
    MaintenanceWindowTaskDetails,
    RunCommandParameters,
    Target,
    TaskDefinition,
    TaskParameterValueExpression,
    TaskUpdate,
    ValidationError,
)
from ssm_mw._rules import as_reported
from ssm_mw.testing import EmbeddedSSMServer
from support import strategies as S
from support.examples import ALL_TYPES, AUTOMATION, LAMBDA, RUN_COMMAND, STEP_FUNCTIONS
from support.loop_client import LoopClient
from support.round_trip import register_then_get

INSTANCE = "i-0123456789abcdef0"
WINDOW_TARGET = "e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3"
KEY_HELP = "use InstanceIds (Target.instances) or WindowTargetIds (Target.window_targets)"
NO_LIMIT = "must not be given for a task without targets (the service refuses it and reports '1')"

TARGETLESS = TaskDefinition(
    task_arn="AWS-RestartEC2Instance",
    task_invocation_parameters=AutomationParameters(parameters={"InstanceId": (INSTANCE,)}),
    priority=10,
)


async def refused_unsent(
    server: EmbeddedSSMServer, call: Callable[[], Awaitable[Any]]
) -> ValidationError:
    """Run ``call``; it must raise ValidationError and send nothing."""
    before = server.request_count()
    with pytest.raises(ValidationError) as caught:
        await call()
    assert server.request_count() == before
    return caught.value


def lines(error: ValidationError) -> list[str]:
    return [str(v) for v in error.violations]


# -- F1: only InstanceIds and WindowTargetIds ----------------------------------------


@pytest.mark.parametrize(
    "key", ["tag:Patch", "tag-key", "resource-groups:Name", "instanceids", None]
)
async def test_f1_other_target_keys_are_not_sent(
    mw_client: MaintenanceWindowClient,
    ssm_server: EmbeddedSSMServer,
    maintenance_window_id: str,
    key: str | None,
) -> None:
    """F1: ``Target(key="tag:Patch", ...)`` names targets[0].key and is never sent."""
    definition = attrs.evolve(RUN_COMMAND, targets=(Target(key=key, values=("weekly",)),))
    error = await refused_unsent(
        ssm_server,
        lambda: mw_client.register_task_with_maintenance_window(maintenance_window_id, definition),
    )
    shown = "is required" if key is None else f"{key!r} is not a window task target"
    assert f"targets[0].key: {shown}: {KEY_HELP}" in lines(error)


async def test_f1_update_checks_targets_too(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """F1 on update: the second target's bad key is named by its index."""
    task_id = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, RUN_COMMAND
    )
    update = TaskUpdate(
        targets=(Target.instances(INSTANCE), Target(key="tag:Env", values=("prod",)))
    )
    error = await refused_unsent(
        ssm_server,
        lambda: mw_client.update_maintenance_window_task(maintenance_window_id, task_id, update),
    )
    assert error.paths == ("targets[1].key",)


# -- F2 and F3: how many values, and of which form --------------------------------------


@pytest.mark.parametrize(
    ("target", "path", "message"),
    [
        (
            Target.window_targets(*[f"e32eecb2-646c-4f4b-8ed1-{i:012x}" for i in range(11)]),
            "targets[0].values",
            "has 11 ids: a WindowTargetIds target takes 1 to 10",
        ),
        (Target.instances(), "targets[0].values", "has 0 ids: a InstanceIds target takes 1 to 50"),
        (
            Target(key="WindowTargetIds"),
            "targets[0].values",
            "is required: a WindowTargetIds target takes 1 to 10 ids",
        ),
        (
            Target.window_targets("e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE"),
            "targets[0].values[0]",
            "'e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE' is not a window-target id",
        ),
        (
            Target.instances(INSTANCE, "web-1"),
            "targets[0].values[1]",
            "'web-1' is not a managed-node id (i-...)",
        ),
    ],
    ids=["11-window-targets", "no-instances", "no-values", "doc-example-id", "not-an-instance"],
)
async def test_f2_f3_values_are_checked_before_sending(
    mw_client: MaintenanceWindowClient,
    ssm_server: EmbeddedSSMServer,
    maintenance_window_id: str,
    target: Target,
    path: str,
    message: str,
) -> None:
    """F2: 1 to 50 instance ids, 1 to 10 window targets; F3: ids of the key's kind."""
    definition = attrs.evolve(RUN_COMMAND, targets=(target,))
    error = await refused_unsent(
        ssm_server,
        lambda: mw_client.register_task_with_maintenance_window(maintenance_window_id, definition),
    )
    assert lines(error) == [f"{path}: {message}"]


async def test_f2_the_limits_themselves_are_accepted(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """F2: 50 instance ids and 10 window targets are sent and stored."""
    for target in (
        Target.instances(*[f"i-{i:017x}" for i in range(50)]),
        Target.window_targets(*[f"e32eecb2-646c-4f4b-8ed1-{i:012x}" for i in range(10)]),
    ):
        definition = attrs.evolve(RUN_COMMAND, targets=(target,))
        _, details = await register_then_get(mw_client, maintenance_window_id, definition)
        assert details.targets == (target,)


# -- F4: Run Command needs targets ------------------------------------------------------


@pytest.mark.parametrize("targets", [None, ()], ids=["none", "empty"])
async def test_f4_run_command_without_targets_is_not_sent(
    mw_client: MaintenanceWindowClient,
    ssm_server: EmbeddedSSMServer,
    maintenance_window_id: str,
    targets: tuple[Target, ...] | None,
) -> None:
    """F4: a Run Command task needs a target."""
    definition = attrs.evolve(RUN_COMMAND, targets=targets, max_concurrency=None, max_errors=None)
    error = await refused_unsent(
        ssm_server,
        lambda: mw_client.register_task_with_maintenance_window(maintenance_window_id, definition),
    )
    assert lines(error) == ["targets: a RUN_COMMAND task needs a target"]


# -- F5: a targetless task carries no limits ----------------------------------------------


@pytest.mark.parametrize("base", [AUTOMATION, STEP_FUNCTIONS, LAMBDA], ids=lambda d: d.task_type)
async def test_f5_a_targetless_task_with_limits_is_not_sent(
    mw_client: MaintenanceWindowClient,
    ssm_server: EmbeddedSSMServer,
    maintenance_window_id: str,
    base: TaskDefinition,
) -> None:
    """F5: without targets, max_concurrency and max_errors are refused, both named."""
    definition = attrs.evolve(base, targets=None, max_concurrency="2", max_errors="0")
    error = await refused_unsent(
        ssm_server,
        lambda: mw_client.register_task_with_maintenance_window(maintenance_window_id, definition),
    )
    assert lines(error) == [f"max_concurrency: {NO_LIMIT}", f"max_errors: {NO_LIMIT}"]


async def test_f5_a_replace_or_a_clearing_update_with_limits_is_not_sent(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """F5 on update: replace without targets, or targets=(), may not carry limits."""
    task_id = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, AUTOMATION
    )
    replace = TaskUpdate(task_arn="AWS-RestartEC2Instance", priority=1, max_errors="1")
    error = await refused_unsent(
        ssm_server,
        lambda: mw_client.update_maintenance_window_task(
            maintenance_window_id, task_id, replace, replace=True
        ),
    )
    assert lines(error) == [f"max_errors: {NO_LIMIT}"]
    clear = TaskUpdate(targets=(), max_concurrency="1")
    error = await refused_unsent(
        ssm_server,
        lambda: mw_client.update_maintenance_window_task(maintenance_window_id, task_id, clear),
    )
    assert lines(error) == [f"max_concurrency: {NO_LIMIT}"]


# -- F6: the placeholders, as as_reported says ----------------------------------------------


def _same_members(definition: TaskDefinition, details: MaintenanceWindowTaskDetails) -> None:
    for field in attrs.fields(TaskDefinition):
        if field.name == "task_invocation_parameters":
            continue  # a response's union is wider; compared below
        assert getattr(details, field.name) == getattr(definition, field.name), field.name
    assert details.task_invocation_parameters == definition.task_invocation_parameters


@pytest.mark.parametrize(
    "definition",
    [
        *ALL_TYPES,
        TARGETLESS,
        attrs.evolve(AUTOMATION, targets=None, max_concurrency=None, max_errors=None),
        attrs.evolve(AUTOMATION, targets=(), max_concurrency=None, max_errors=None),
    ],
    ids=[
        "run-command",
        "automation",
        "step-functions",
        "lambda",
        "targetless",
        "no-targets",
        "empty-targets",
    ],
)
async def test_f6_get_reports_what_as_reported_says(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str, definition: TaskDefinition
) -> None:
    """F6: for each definition, get reports as_reported(definition), member by member."""
    _, details = await register_then_get(mw_client, maintenance_window_id, definition)
    _same_members(as_reported(definition), details)


async def test_f6_a_replace_is_reported_as_as_reported_says(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """F6/F8: after a replace-update to a targetless definition, get reports as_reported of it."""
    task_id = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, AUTOMATION
    )
    update = TaskUpdate(
        task_arn=TARGETLESS.task_arn,
        task_invocation_parameters=TARGETLESS.task_invocation_parameters,
        priority=TARGETLESS.priority,
    )
    await mw_client.update_maintenance_window_task(
        maintenance_window_id, task_id, update, replace=True
    )
    details = await mw_client.get_maintenance_window_task(maintenance_window_id, task_id)
    _same_members(as_reported(TARGETLESS), details)
    (listed,) = [
        t async for t in mw_client.paginate_maintenance_window_tasks(maintenance_window_id)
    ]
    assert (listed.max_concurrency, listed.max_errors) == ("1", "1")


# -- F7 and F8 ----------------------------------------------------------------------------


async def test_f7_targets_without_limits_are_not_sent(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """F7: a task with targets needs both limits."""
    definition = attrs.evolve(AUTOMATION, max_concurrency=None)
    error = await refused_unsent(
        ssm_server,
        lambda: mw_client.register_task_with_maintenance_window(maintenance_window_id, definition),
    )
    assert lines(error) == ["max_concurrency: is required when targets are given"]


async def test_f8_replace_needs_the_task_arn(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """F8: replace=True needs what register requires: task_arn."""
    task_id = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, AUTOMATION
    )
    error = await refused_unsent(
        ssm_server,
        lambda: mw_client.update_maintenance_window_task(
            maintenance_window_id, task_id, TaskUpdate(priority=1), replace=True
        ),
    )
    assert lines(error) == ["task_arn: is required when replace is True"]


async def test_f10_a_replace_without_priority_is_not_sent(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """F10: replace=True needs a priority, which register does not; priority 0 is one."""
    task_id = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, attrs.evolve(AUTOMATION, priority=None)
    )
    replace = TaskUpdate(
        task_arn=AUTOMATION.task_arn,
        targets=AUTOMATION.targets,
        max_concurrency=AUTOMATION.max_concurrency,
        max_errors=AUTOMATION.max_errors,
    )
    error = await refused_unsent(
        ssm_server,
        lambda: mw_client.update_maintenance_window_task(
            maintenance_window_id, task_id, replace, replace=True
        ),
    )
    assert lines(error) == [
        "priority: is required when replace is True (the service cannot clear it)"
    ]
    error = await refused_unsent(
        ssm_server,
        lambda: mw_client.update_maintenance_window_task(
            maintenance_window_id, task_id, TaskUpdate(), replace=True
        ),
    )
    assert lines(error) == [
        "task_arn: is required when replace is True",
        "priority: is required when replace is True (the service cannot clear it)",
    ]
    await mw_client.update_maintenance_window_task(
        maintenance_window_id, task_id, attrs.evolve(replace, priority=0), replace=True
    )
    details = await mw_client.get_maintenance_window_task(maintenance_window_id, task_id)
    assert details.priority == 0


# -- the oracle for plan/apply: any valid definition comes back as as_reported says ----------


# Definitions reach the model's boundaries (some members have no maximum): aiohttp
# warns about a body of over a megabyte, which is harmless on loopback.
@pytest.mark.filterwarnings("ignore:Sending a large body directly:ResourceWarning")
@given(definition=S.task_definitions())
def test_any_valid_definition_is_reported_as_as_reported_says(
    definition: TaskDefinition, loop_client: LoopClient, ssm_server: EmbeddedSSMServer
) -> None:
    """Register any valid definition: get reports ``as_reported(definition)``, member by member.

    This is what plan/apply relies on to decide that a registered task is "the same"
    as a definition. A fresh window per example keeps clear of the per-window limit.
    """
    window_id = ssm_server.create_maintenance_window(name="fidelity")
    mw = loop_client.client
    task_id = loop_client.run(mw.register_task_with_maintenance_window(window_id, definition))
    details = loop_client.run(mw.get_maintenance_window_task(window_id, task_id))
    _same_members(as_reported(definition), details)


# -- F13: no resource ids in a Run Command task --------------------------------------------

F13 = (
    "cannot be used in a Run Command task (only Automation, Lambda and Step Functions tasks "
    "take it)"
)


async def test_f13_resource_ids_in_a_run_command_task_are_not_sent(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """F13: {{TARGET_ID}} / {{RESOURCE_ID}} in a Run Command task's parameters, each named."""
    params = RunCommandParameters(parameters={"commands": ("uptime", "echo {{TARGET_ID}}")})
    definition = attrs.evolve(
        RUN_COMMAND,
        task_invocation_parameters=params,
        task_parameters={"id": TaskParameterValueExpression(values=("{{ RESOURCE_ID }}",))},
    )
    error = await refused_unsent(
        ssm_server,
        lambda: mw_client.register_task_with_maintenance_window(maintenance_window_id, definition),
    )
    assert lines(error) == [
        f"task_invocation_parameters.parameters[commands][1]: {{{{TARGET_ID}}}} {F13}",
        f"task_parameters[id].values[0]: {{{{ RESOURCE_ID }}}} {F13}",
    ]
    task_id = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, RUN_COMMAND
    )
    update = TaskUpdate(task_invocation_parameters=params)
    error = await refused_unsent(
        ssm_server,
        lambda: mw_client.update_maintenance_window_task(maintenance_window_id, task_id, update),
    )
    assert lines(error) == [
        f"task_invocation_parameters.parameters[commands][1]: {{{{TARGET_ID}}}} {F13}"
    ]


async def test_f13_other_types_and_other_pseudo_parameters_are_sent(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """Automation takes {{RESOURCE_ID}}; a Run Command task takes {{WINDOW_EXECUTION_ID}}."""
    automation = attrs.evolve(
        AUTOMATION,
        task_invocation_parameters=AutomationParameters(
            parameters={"InstanceId": ("{{RESOURCE_ID}}",)}
        ),
    )
    await mw_client.register_task_with_maintenance_window(maintenance_window_id, automation)
    run_command = attrs.evolve(
        RUN_COMMAND,
        task_invocation_parameters=RunCommandParameters(
            parameters={"SnapshotId": ("{{WINDOW_EXECUTION_ID}}",)}
        ),
    )
    await mw_client.register_task_with_maintenance_window(maintenance_window_id, run_command)


# -- F14: deprecated members the service ignores: a warning, and the request is sent ----------


async def test_f14_members_a_task_type_ignores_are_sent_with_a_warning(
    mw_client: MaintenanceWindowClient, ssm_server: EmbeddedSSMServer, maintenance_window_id: str
) -> None:
    """A Lambda task's TaskParameters, a Run Command task's LoggingInfo beside its invocation
    parameters: IgnoredMembersWarning, pointing at the caller; the task is registered."""
    expression = {"level": TaskParameterValueExpression(values=("1",))}
    lambda_task = attrs.evolve(LAMBDA, task_parameters=expression)
    with pytest.warns(IgnoredMembersWarning) as caught:
        await mw_client.register_task_with_maintenance_window(maintenance_window_id, lambda_task)
    (warning,) = caught.list
    assert str(warning.message) == (
        "task_parameters: ignored by the service for a LAMBDA task (deprecated: only a Run "
        "Command task without task_invocation_parameters uses them)"
    )
    assert warning.filename == __file__
    logging_info = LoggingInfo(s3_bucket_name="logs", s3_region="us-east-1")
    run_command = attrs.evolve(RUN_COMMAND, task_parameters=None, logging_info=logging_info)
    with pytest.warns(
        IgnoredMembersWarning,
        match=r"^logging_info: ignored by the service for a Run Command task whose request",
    ):
        await mw_client.register_task_with_maintenance_window(maintenance_window_id, run_command)
    update = TaskUpdate(
        task_invocation_parameters=AutomationParameters(),
        task_parameters=expression,
        logging_info=logging_info,
    )
    automation_id = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id, AUTOMATION
    )
    with pytest.warns(
        IgnoredMembersWarning,
        match=r"^task_parameters and logging_info: ignored by the service for an AUTOMATION task",
    ):
        await mw_client.update_maintenance_window_task(maintenance_window_id, automation_id, update)
    details = await mw_client.get_maintenance_window_task(maintenance_window_id, automation_id)
    assert details.logging_info == logging_info


async def test_f14_a_run_command_task_without_invocation_parameters_uses_them(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """No warning where the service uses them: Run Command without invocation parameters."""
    import warnings

    bare = attrs.evolve(
        RUN_COMMAND,
        task_invocation_parameters=None,
        task_type=RUN_COMMAND.task_type,
        task_parameters={"commands": TaskParameterValueExpression(values=("uptime",))},
        logging_info=LoggingInfo(s3_bucket_name="logs", s3_region="us-east-1"),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", IgnoredMembersWarning)
        await mw_client.register_task_with_maintenance_window(maintenance_window_id, bare)
