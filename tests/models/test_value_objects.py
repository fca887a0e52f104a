"""The value objects: frozen, keyword-only, slotted, typed builders with redacted secrets."""

from __future__ import annotations

import attrs
import pytest

import ssm_mw
from ssm_mw import (
    AutomationParameters,
    CutoffBehavior,
    LambdaParameters,
    RunCommandParameters,
    StepFunctionsParameters,
    Target,
    TaskDefinition,
    TaskFilter,
    TaskType,
    TaskUpdate,
    ValidationError,
)
from ssm_mw._converter import invocation_key
from support.examples import ALL_TYPES, LAMBDA, RUN_COMMAND

MODEL_CLASSES = [
    getattr(ssm_mw, name)
    for name in ssm_mw.__all__
    if isinstance(getattr(ssm_mw, name), type) and attrs.has(getattr(ssm_mw, name))
]


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda c: c.__name__)
def test_models_are_frozen_keyword_only_and_slotted(cls: type) -> None:
    """Every model class is frozen, keyword-only and slotted."""
    assert "__slots__" in vars(cls)
    fields = attrs.fields(cls)
    assert fields
    assert all(a.kw_only for a in fields)
    blank = object.__new__(cls)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(blank, fields[0].name, None)


def test_a_definition_cannot_be_changed_in_place() -> None:
    """Assigning to a TaskDefinition's attribute raises; evolve makes a changed copy."""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(RUN_COMMAND, "priority", 5)  # noqa: B010
    changed = attrs.evolve(RUN_COMMAND, priority=5)
    assert (changed.priority, RUN_COMMAND.priority) == (5, 1)


@pytest.mark.parametrize(
    ("params", "task_type"),
    [
        (RunCommandParameters(), TaskType.RUN_COMMAND),
        (AutomationParameters(), TaskType.AUTOMATION),
        (StepFunctionsParameters(), TaskType.STEP_FUNCTIONS),
        (LambdaParameters(), TaskType.LAMBDA),
    ],
)
def test_task_type_follows_from_the_invocation_parameters(
    params: ssm_mw.TaskInvocationParameters, task_type: TaskType
) -> None:
    """The class of the invocation parameters decides the task type."""
    assert TaskDefinition(task_arn="x", task_invocation_parameters=params).task_type is task_type
    assert params.task_type is task_type


def test_each_variant_has_its_botocore_key_in_the_converter() -> None:
    """The converter names the member of the botocore structure each variant stands for."""
    keys = [
        invocation_key(cls)
        for cls in (
            RunCommandParameters,
            AutomationParameters,
            StepFunctionsParameters,
            LambdaParameters,
        )
    ]
    assert keys == ["RunCommand", "Automation", "StepFunctions", "Lambda"]


def test_explicit_task_type_that_agrees_is_accepted() -> None:
    """An explicit task type equal to the derived one is fine."""
    d = TaskDefinition(
        task_arn="x", task_type=TaskType.LAMBDA, task_invocation_parameters=LambdaParameters()
    )
    assert d.task_type is TaskType.LAMBDA


def test_explicit_task_type_that_disagrees_raises() -> None:
    """An explicit task type that disagrees with the parameters raises ValidationError."""
    with pytest.raises(ValidationError) as info:
        TaskDefinition(
            task_arn="x",
            task_type=TaskType.RUN_COMMAND,
            task_invocation_parameters=LambdaParameters(),
        )
    assert info.value.paths == ("task_type",)
    assert "LAMBDA" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_task_type_without_parameters_is_required() -> None:
    """With no invocation parameters the task type must be given."""
    with pytest.raises(ValidationError, match="task_type"):
        TaskDefinition(task_arn="x")
    assert TaskDefinition(task_arn="x", task_type=TaskType.AUTOMATION).task_type is (
        TaskType.AUTOMATION
    )


def test_target_constructors() -> None:
    """The Target constructors build the keys the service expects."""
    assert Target.instances("i-1", "i-2") == Target(key="InstanceIds", values=("i-1", "i-2"))
    assert Target.window_targets("t") == Target(key="WindowTargetIds", values=("t",))


def test_target_offers_only_what_a_window_task_accepts() -> None:
    """A window task takes InstanceIds or WindowTargetIds only (fidelity F1): no tag helpers."""
    constructors = {n for n, v in vars(Target).items() if isinstance(v, classmethod)}
    assert constructors == {"instances", "window_targets"}


def test_filter_constructors() -> None:
    """The TaskFilter constructors build one filter per supported key."""
    assert TaskFilter.window_task_id("a") == TaskFilter(key="WindowTaskId", values=("a",))
    assert TaskFilter.task_arn("b") == TaskFilter(key="TaskArn", values=("b",))
    assert TaskFilter.priority(1, 20) == TaskFilter(key="Priority", values=("1", "20"))
    assert TaskFilter.task_type(TaskType.LAMBDA, TaskType.AUTOMATION) == TaskFilter(
        key="TaskType", values=("LAMBDA", "AUTOMATION")
    )


def test_sensitive_members_are_redacted_in_repr_and_str() -> None:
    """Task parameters, Run Command parameters, payloads, inputs and descriptions never show."""
    secret = "hunter2-secret"
    definitions = [
        TaskDefinition(
            task_arn="x",
            task_invocation_parameters=RunCommandParameters(parameters={"p": (secret,)}),
            task_parameters={"k": ssm_mw.TaskParameterValueExpression(values=(secret,))},
            description=secret,
        ),
        TaskDefinition(
            task_arn="x", task_invocation_parameters=LambdaParameters(payload=secret.encode())
        ),
        TaskDefinition(
            task_arn="x", task_invocation_parameters=StepFunctionsParameters(input=secret)
        ),
        TaskUpdate(description=secret),
    ]
    for d in definitions:
        assert secret not in repr(d)
        assert secret not in str(d)
        assert "='***'" in repr(d)
    assert definitions[1].task_invocation_parameters == LambdaParameters(payload=secret.encode())


def test_sensitive_values_stay_readable() -> None:
    """Redaction is in repr only: the attributes keep their values."""
    assert isinstance(LAMBDA.task_invocation_parameters, LambdaParameters)
    assert LAMBDA.task_invocation_parameters.payload == b'{"notify": 1}'
    assert RUN_COMMAND.description == "Patches Linux hosts"


def test_unset_sensitive_members_show_none() -> None:
    """A sensitive member that is not set shows as None, not as redacted."""
    assert "description=None" in repr(TaskUpdate())


def test_unknown_enum_values_are_kept() -> None:
    """An enum value this version does not know becomes a pseudo-member equal to its string."""
    unknown = CutoffBehavior("PAUSE_TASK")
    assert unknown == "PAUSE_TASK"
    assert unknown.value == "PAUSE_TASK"
    assert isinstance(unknown, CutoffBehavior)
    assert CutoffBehavior("PAUSE_TASK") is unknown
    assert not CutoffBehavior.is_known("PAUSE_TASK")
    assert CutoffBehavior.is_known("CANCEL_TASK")
    assert repr(unknown) == "CutoffBehavior('PAUSE_TASK')"
    assert list(CutoffBehavior) == [CutoffBehavior.CONTINUE_TASK, CutoffBehavior.CANCEL_TASK]


def test_every_example_is_distinct_per_type() -> None:
    """The shared examples cover each of the four task types once."""
    assert sorted(d.task_type.value for d in ALL_TYPES) == sorted(t.value for t in TaskType)
