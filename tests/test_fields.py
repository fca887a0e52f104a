"""``ssm_mw._fields``: every model field of a sequence type takes a list or a tuple, never a str.

The conversions follow from each field's annotation, so the walk below finds every
such field of every public model and tries the values a user may pass by mistake.
"""

from __future__ import annotations

import typing
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssm_mw
from ssm_mw import (
    AutomationParameters,
    LambdaParameters,
    MaintenanceWindowClient,
    PlanAction,
    RunCommandParameters,
    Target,
    TaskDefinition,
    TaskParameterValueExpression,
    TaskType,
    ValidationError,
    apply_plan,
    plan_tasks,
)
from ssm_mw._converter import BOTOCORE_SHAPES
from ssm_mw._fields import keeps_structured
from support import strategies as S
from support.plan import INSTANCE


def _origin(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is typing.Union or type(annotation).__name__ == "UnionType":
        return _origin(args[0]) if len(args) == 1 else None
    return typing.get_origin(annotation) or annotation


def _fields_of(kind: Any) -> list[tuple[type, str, Any]]:
    """Every (model class, field, annotation) whose annotation's outer type is ``kind``."""
    found = []
    for cls in BOTOCORE_SHAPES:
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            if _origin(hints[field.name]) is kind:
                found.append((cls, field.name, hints[field.name]))
    return found


SEQUENCES = _fields_of(tuple)
MAPS = _fields_of(dict)


def test_the_walk_finds_the_fields() -> None:
    """The fields below are found (a broken walk would make the tests below vacuous)."""
    names = {f"{cls.__name__}.{name}" for cls, name, _ in SEQUENCES}
    assert {"Target.values", "TaskDefinition.targets", "TaskPage.tasks"} <= names
    assert len(SEQUENCES) >= 12
    maps = {f"{cls.__name__}.{name}" for cls, name, _ in MAPS}
    assert {"RunCommandParameters.parameters", "TaskDefinition.task_parameters"} <= maps


def _build(cls: type, full: bool, data: st.DataObject, **changes: Any) -> Any:
    """A valid instance of ``cls`` with ``changes`` (through the constructor, as a user builds)."""
    valid = data.draw(S.MODELS[cls](full))
    members = {f.name: getattr(valid, f.name) for f in attrs.fields(cls) if f.init}
    return cls(**{**members, **changes})


@pytest.mark.parametrize(("cls", "name", "annotation"), SEQUENCES, ids=lambda v: str(v))
@given(data=st.data(), text=st.text(max_size=8))
def test_a_sequence_field_refuses_a_str_or_bytes_and_keeps_a_list_as_a_tuple(
    cls: type, name: str, annotation: Any, data: st.DataObject, text: str
) -> None:
    """A str or bytes is refused naming the field; a list becomes a tuple; the model hashes."""
    for wrong in (text, text.encode()):
        with pytest.raises(ValidationError) as caught:
            _build(cls, True, data, **{name: wrong})
        assert caught.value.paths == (name,)
        assert f"got {type(wrong).__name__}" in str(caught.value)
    valid = _build(cls, True, data)
    items = getattr(valid, name)
    if items is not None:
        rebuilt = _build(cls, True, data, **{name: list(items)})
        assert type(getattr(rebuilt, name)) is tuple
        assert getattr(rebuilt, name) == items


@pytest.mark.parametrize(("cls", "name", "annotation"), MAPS, ids=lambda v: str(v))
@given(data=st.data(), text=st.text(max_size=8))
def test_a_map_field_refuses_what_is_no_map(
    cls: type, name: str, annotation: Any, data: st.DataObject, text: str
) -> None:
    """A str or a list of pairs is refused naming the field."""
    for wrong in (text, [("k", "v")]):
        with pytest.raises(ValidationError) as caught:
            _build(cls, True, data, **{name: wrong})
        assert caught.value.paths == (name,)


@pytest.mark.parametrize("cls", [RunCommandParameters, AutomationParameters])
def test_a_parameter_given_as_a_str_is_refused_naming_its_key(cls: type) -> None:
    """``parameters={"commands": "ls -la"}`` is no list of eleven commands."""
    with pytest.raises(ValidationError) as caught:
        cls(parameters={"commands": "ls -la"})
    assert str(caught.value) == ("parameters[commands]: expected a list or tuple of str, got str")
    assert cls(parameters={"commands": ["ls -la"]}).parameters == {"commands": ("ls -la",)}


def test_the_cases_users_hit() -> None:
    """Targets without a tuple, a value expression of one str: one line naming the field."""
    with pytest.raises(ValidationError, match=r"^targets: expected a list or tuple of Target"):
        TaskDefinition(
            task_arn="AWS-RunShellScript",
            task_type=TaskType.RUN_COMMAND,
            targets=Target.instances(INSTANCE),  # type: ignore[arg-type]
        )
    with pytest.raises(ValidationError, match=r"^values: expected a list or tuple of str"):
        TaskParameterValueExpression(values="abc")  # type: ignore[arg-type]
    definition = TaskDefinition(
        task_arn="AWS-RunShellScript",
        task_type=TaskType.RUN_COMMAND,
        targets=[Target.instances(INSTANCE)],  # type: ignore[arg-type]
    )
    assert definition.targets == (Target.instances(INSTANCE),)
    assert hash(definition) == hash(attrs.evolve(definition))


def test_a_lambda_payload_given_as_text_is_kept_as_its_utf8_bytes() -> None:
    """What botocore sends for a str payload, and what get reports: no perpetual diff."""
    assert LambdaParameters(payload='{"a": "é"}').payload == '{"a": "é"}'.encode()
    assert LambdaParameters(payload=bytearray(b"x")).payload == b"x"  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^payload: expected bytes or str, got int$"):
        LambdaParameters(payload=5)  # type: ignore[arg-type]


def test_each_conversion_keeps_what_the_readers_build() -> None:
    """The response readers may skip the conversions: each keeps a tuple, a dict, bytes."""
    converters = [f.converter for cls in BOTOCORE_SHAPES for f in attrs.fields(cls)]
    ours = [c for c in converters if keeps_structured(c)]
    assert len(ours) >= len(SEQUENCES) + len(MAPS)
    target = attrs.fields(Target).values.converter
    assert target is not None
    kept = ("a",)
    assert target(kept) is kept
    assert ssm_mw.Target.__module__ == "ssm_mw"


@pytest.mark.parametrize(
    "payload", ['{"level": "warn"}', b'{"level": "warn"}'], ids=["str", "bytes"]
)
async def test_plan_apply_plan_with_a_str_payload_and_lists_is_unchanged(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str, payload: str | bytes
) -> None:
    """A payload written as text or bytes, lists where tuples belong, members the service
    reports in another form (no TaskParameters, reported {}; an empty map given; targetless
    limits reported "1"): applied once, then unchanged."""
    definition = TaskDefinition(
        task_arn="arn:aws:lambda:us-east-1:123456789012:function:notify",
        task_type=TaskType.LAMBDA,
        task_invocation_parameters=LambdaParameters(payload=payload),
        targets=[Target(key="InstanceIds", values=[INSTANCE])],  # type: ignore[arg-type]
        max_concurrency="1",
        max_errors="1",
        priority=1,
    )
    targetless = TaskDefinition(
        task_arn="AWS-RestartEC2Instance",
        task_invocation_parameters=AutomationParameters(parameters={"InstanceId": [INSTANCE]}),
        task_parameters={},
        priority=2,
    )
    state = ssm_mw.DesiredState(
        windows={maintenance_window_id: {"notify": definition, "restart": targetless}}
    )
    first = await plan_tasks(mw_client, state)
    assert [t.action for t in first.tasks] == [PlanAction.CREATE] * 2
    assert (await apply_plan(mw_client, first)).ok
    again = await plan_tasks(mw_client, state)
    assert [t.action for t in again.tasks] == [PlanAction.UNCHANGED] * 2, again


@pytest.mark.parametrize("cls", list(BOTOCORE_SHAPES), ids=lambda c: c.__name__)
@given(data=st.data())
def test_every_valid_model_hashes_and_equal_models_hash_equal(
    cls: type, data: st.DataObject
) -> None:
    """hash() works on every model, maps included; a copy read back equals it and hashes equal."""
    valid = data.draw(S.MODELS[cls](True))
    copy = ssm_mw.from_botocore(ssm_mw.to_botocore(valid), cls)
    assert copy == valid
    assert hash(copy) == hash(valid)
    assert len({valid, copy}) == 1
