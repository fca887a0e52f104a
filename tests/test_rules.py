"""``ssm_mw._rules``: the definition as the service reports it (docs/fidelity.md)."""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssm_mw import AutomationParameters, RunCommandParameters, Target, TaskDefinition, TaskType
from ssm_mw._rules import (
    INSTANCE_ID_PATTERN,
    MAX_TARGET_VALUES,
    TARGET_KEYS,
    TARGETLESS_PLACEHOLDER,
    WINDOW_TARGET_ID_PATTERN,
    as_reported,
    is_targetless,
)
from ssm_mw._shapes import compile_pattern, list_member, members, operation_input_shape
from support import strategies as S


def test_the_facts() -> None:
    """F1/F2: two keys, 50 instance ids, 10 window targets; F6: the placeholder is "1"."""
    assert TARGET_KEYS == ("InstanceIds", "WindowTargetIds")
    assert dict(MAX_TARGET_VALUES) == {"InstanceIds": 50, "WindowTargetIds": 10}
    assert TARGETLESS_PLACEHOLDER == "1"
    assert is_targetless(None)
    assert is_targetless(())
    assert not is_targetless((Target.instances("i-0123456789abcdef0"),))


def test_a_targetless_task_is_reported_with_placeholders() -> None:
    """F6: without targets, max_concurrency and max_errors are reported as "1"."""
    definition = TaskDefinition(
        task_arn="AWS-RestartEC2Instance",
        task_invocation_parameters=AutomationParameters(parameters={"InstanceId": ("i-1",)}),
        priority=10,
    )
    reported = as_reported(definition)
    assert reported.max_concurrency == "1"
    assert reported.max_errors == "1"
    assert attrs.evolve(reported, max_concurrency=None, max_errors=None) == definition
    empty = attrs.evolve(definition, targets=())
    assert as_reported(empty) == attrs.evolve(empty, max_concurrency="1", max_errors="1")


def test_a_task_with_targets_is_reported_as_given() -> None:
    """With targets nothing is filled in (no evidence of any other default)."""
    definition = TaskDefinition(
        task_arn="AWS-RunPatchBaseline",
        task_invocation_parameters=RunCommandParameters(timeout_seconds=600),
        targets=(Target.instances("i-0123456789abcdef0"),),
        max_concurrency="2",
        max_errors="0",
    )
    assert as_reported(definition) is definition
    assert as_reported(definition).cutoff_behavior is None
    assert as_reported(definition).priority is None


@given(definition=S.task_definitions())
def test_as_reported_is_idempotent_and_changes_only_the_placeholders(
    definition: TaskDefinition,
) -> None:
    """Applying it twice is applying it once; only the two limits of a targetless task change."""
    once = as_reported(definition)
    assert as_reported(once) == once
    assert attrs.evolve(once, max_concurrency=None, max_errors=None) == attrs.evolve(
        definition, max_concurrency=None, max_errors=None
    )
    assert (once == definition) is (not is_targetless(definition.targets))


@given(task_type=st.sampled_from([TaskType.AUTOMATION, TaskType.LAMBDA, TaskType.STEP_FUNCTIONS]))
def test_every_type_that_may_omit_targets_gets_placeholders(task_type: TaskType) -> None:
    """F4: Automation, Lambda and Step Functions tasks may be targetless."""
    reported = as_reported(TaskDefinition(task_arn="arn", task_type=task_type))
    assert (reported.max_concurrency, reported.max_errors) == ("1", "1")


def _full_model_pattern(shape: str) -> str:
    import botocore.session

    model = botocore.session.get_session().get_service_model("ssm")
    return str(model.shape_for(shape).metadata["pattern"])


@pytest.mark.parametrize(
    ("rules_pattern", "shape", "samples"),
    [
        (
            INSTANCE_ID_PATTERN,
            "InstanceId",
            [
                "i-0123456789abcdef0",
                "i-01234567",
                "mi-0123456789abcdef0",
                "i-0123456789",
                "i-0123456789abcdef0\n",
                "x-0123456789abcdef0",
                "i-0123456789abcdéf0",
                "i-_123456789abcdef0",
                "mi-01234567",
                "",
            ],
        ),
        (
            WINDOW_TARGET_ID_PATTERN,
            "MaintenanceWindowTargetId",
            [
                "e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3",
                "E32EECB2-646C-4F4B-8ED1-205FB0A1B2C3",
                "e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE",
                "e32eecb2646c4f4b8ed1205fb0a1b2c3",
                "e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3\n",
                "",
            ],
        ),
    ],
    ids=["InstanceId", "MaintenanceWindowTargetId"],
)
def test_the_id_patterns_are_the_service_models(
    rules_pattern: str, shape: str, samples: list[str]
) -> None:
    """F3: the id patterns agree with the full SSM model's own shapes on every sample."""
    model = compile_pattern(_full_model_pattern(shape))
    for sample in samples:
        assert (re.fullmatch(rules_pattern, sample) is not None) is (
            model.search(sample) is not None
        ), sample


def test_the_instance_maximum_is_the_models() -> None:
    """F2: 50 instance ids is also the model's own maximum of TargetValues."""
    target = list_member(
        members(operation_input_shape("RegisterTaskWithMaintenanceWindow"))["Targets"]
    )
    assert int(members(target)["Values"].metadata["max"]) == MAX_TARGET_VALUES["InstanceIds"]
