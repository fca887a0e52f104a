"""DesiredState: every definition checked when the state is made, and the file's mapping read."""

from __future__ import annotations

import attrs
import pytest

from ssm_mw import (
    DesiredState,
    MaintenanceWindowTaskDetails,
    TaskDefinition,
    ValidationError,
    from_botocore,
    to_botocore,
)
from ssm_mw._desired import diff, live_members, reported, reported_members, unreported
from support.plan import lambda_minimal, run_command_full


def test_desired_state_checks_every_definition() -> None:
    """A definition that register would refuse fails when the state is made, naming where."""
    w = "mw-0123456789abcdef0"
    bad = attrs.evolve(run_command_full(), max_errors=None)  # targets need MaxErrors
    with pytest.raises(ValidationError) as caught:
        DesiredState(windows={w: {"patch-linux": bad, "ab": lambda_minimal()}})
    paths = caught.value.paths
    assert f"windows['{w}']['patch-linux'].max_errors" in paths
    assert any(p.startswith(f"windows['{w}']['ab'].name") for p in paths)
    with pytest.raises(ValidationError, match="window id"):
        DesiredState(windows={"mw-0c50858d01EXAMPLE": {}})
    with pytest.raises(ValidationError, match="is not its key"):
        DesiredState(
            windows={w: {"lambda-minimal": attrs.evolve(lambda_minimal(), name="other-name")}}
        )
    state = DesiredState(windows={w: {"lambda-minimal": lambda_minimal()}})
    assert state.windows[w]["lambda-minimal"].name == "lambda-minimal"
    assert list(state.tasks()) == [(w, "lambda-minimal", state.windows[w]["lambda-minimal"])]


def test_desired_state_from_the_file_mapping() -> None:
    """from_botocore reads the file's shape and names unknown keys, Name and bad members."""
    w = "mw-0123456789abcdef0"
    task = {"TaskArn": "arn:aws:lambda:us-east-1:123456789012:function:x", "TaskType": "LAMBDA"}
    state = DesiredState.from_botocore({"windows": {w: {"notify": task}}})
    assert state.windows[w]["notify"] == TaskDefinition(
        task_arn=task["TaskArn"], task_type=lambda_minimal().task_type, name="notify"
    )
    assert state.to_botocore() == {"windows": {w: {"notify": task}}}
    for data, needle in [
        ({"windowz": {}}, "windowz"),
        ({"windows": {w: {"notify": {**task, "Name": "notify"}}}}, "Name"),
        ({"windows": {w: {"notify": {**task, "Priorty": 1}}}}, "Priorty"),
        ({"windows": {w: {"notify": {**task, "Priority": "high"}}}}, "priority"),
        ({"windows": {w: {"notify": "LAMBDA"}}}, "expected a mapping"),
    ]:
        with pytest.raises(ValidationError, match=needle):
            DesiredState.from_botocore(data)


@pytest.mark.parametrize("live_reports", [{}, None], ids=["reported-empty", "not-reported"])
@pytest.mark.parametrize("desired_gives", [{}, None], ids=["given-empty", "not-given"])
def test_task_parameters_empty_or_absent_compare_the_same(
    live_reports: dict[str, object] | None, desired_gives: dict[str, object] | None
) -> None:
    """F11: {} and no TaskParameters are the same task, whichever side has which."""
    definition = attrs.evolve(lambda_minimal(), task_parameters=desired_gives)
    wire = {"WindowId": "mw-0123456789abcdef0", "WindowTaskId": "t"}
    wire.update(to_botocore(reported(definition)))
    wire.pop("TaskParameters", None)
    if live_reports is not None:
        wire["TaskParameters"] = live_reports
    live = from_botocore(wire, MaintenanceWindowTaskDetails)
    assert live_members(live) == reported_members(definition)
    assert diff(live_members(live), reported_members(definition)) == ()
    assert unreported(definition_of(live)).task_parameters is None


def definition_of(details: MaintenanceWindowTaskDetails) -> TaskDefinition:
    """The definition members of a live task, as export reads them."""
    return from_botocore(live_members(details), TaskDefinition)


def test_windows_by_name_and_a_scope_read_and_written() -> None:
    """A ``name:`` key and a ``scope:`` mapping round-trip; resolved() swaps names for ids."""
    from ssm_mw import Scope

    data = {
        "scope": {"accounts": ["111111111111"], "regions": ["eu-west-1"], "role_name": "Admin"},
        "windows": {
            "name:patching": {
                "nightly": {
                    "TaskArn": "arn:aws:lambda:eu-west-1:111111111111:function:f",
                    "TaskType": "LAMBDA",
                }
            }
        },
    }
    state = DesiredState.from_botocore(data)
    assert state.scope == Scope(accounts=["111111111111"], regions=["eu-west-1"], role_name="Admin")
    assert state.by_name
    assert state.window_names() == ("patching",)
    assert state.to_botocore() == data
    resolved = state.resolved({"patching": "mw-0123456789abcdef0"})
    assert list(resolved.windows) == ["mw-0123456789abcdef0"]
    assert resolved.scope is None
    assert not resolved.by_name


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope": {"acounts": []}}, "scope.acounts: unknown key"),
        ({"scope": {"accounts": ["12"]}}, "scope.accounts[0]: '12' is not a 12-digit account id"),
        ({"scope": ["us-east-1"]}, "scope: expected a mapping, got list"),
        ({"windows": {"name:a b": {}}}, "windows['name:a b']: window name 'a b' does not match"),
        ({"colour": 1}, "colour: unknown key: expected 'windows' and 'scope'"),
    ],
)
def test_a_bad_scope_or_window_name_names_its_place(data: dict[str, object], message: str) -> None:
    """Each mistake is one violation at its path."""
    with pytest.raises(ValidationError) as caught:
        DesiredState.from_botocore(data)
    assert message in str(caught.value)
