"""A secret planted in each sensitive member never shows in a plan: repr, table, JSON, logs."""

from __future__ import annotations

import base64
import io
import json
import logging

import attrs
import pytest
from rich.console import Console

from ssm_mw import (
    DesiredState,
    MaintenanceWindowClient,
    Plan,
    PlanAction,
    apply_plan,
    export_tasks,
    plan_tasks,
)
from ssm_mw.cli._apply import report_json, show_report
from ssm_mw.cli._plan import plan_json, show_plan
from support.plan import LIVE_SECRETS, SECRETS, lambda_full, run_command_full, step_functions_full

_SENSITIVE_MEMBERS = set(SECRETS)


def _forms(secrets: dict[str, str]) -> list[str]:
    out = []
    for value in secrets.values():
        out += [value, base64.b64encode(value.encode()).decode()]
    return out


def _leaks(text: str, secrets: dict[str, str]) -> list[str]:
    return [s for s in _forms(secrets) if s in text]


def _state(window_id: str, secrets: dict[str, str]) -> DesiredState:
    return DesiredState(
        windows={
            window_id: {
                "patch-linux": run_command_full(secrets),
                "drain-queue": step_functions_full(secrets),
                "notify-team": lambda_full(secrets),
            }
        }
    )


def _table(plan: Plan, *, terminal: bool) -> str:
    buffer = io.StringIO()
    show_plan(plan, Console(file=buffer, force_terminal=terminal, width=300))
    return buffer.getvalue()


async def test_no_plan_output_holds_a_secret(
    mw_client: MaintenanceWindowClient,
    maintenance_window_id: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Desired and live secrets differ in every sensitive member: changed, never shown."""
    caplog.set_level(logging.DEBUG)
    w = maintenance_window_id
    live = _state(w, LIVE_SECRETS)
    await apply_plan(mw_client, live)  # the live tasks hold the live secrets
    plan = await plan_tasks(mw_client, _state(w, SECRETS))
    changed = {c.member for t in plan.tasks for c in t.changes if c.sensitive}
    assert changed == _SENSITIVE_MEMBERS
    assert all(t.action is PlanAction.UPDATE for t in plan.tasks)
    for change in (c for t in plan.tasks for c in t.changes if c.sensitive):
        assert (change.before, change.after) == ("***", "***")
    outputs = {
        "repr": repr(plan),
        "str": str(plan),
        "json": json.dumps(plan_json(plan)),
        "table": _table(plan, terminal=False),
        "terminal table": _table(plan, terminal=True),
    }
    assert "(sensitive value) → (sensitive value)" in outputs["table"]
    saved = plan.dumps()
    report = await apply_plan(mw_client, Plan.loads(saved))
    assert report.ok
    buffer = io.StringIO()
    show_report(report, Console(file=buffer, width=300))
    outputs["report"] = buffer.getvalue() + repr(report) + json.dumps(report_json(report))
    outputs["logs"] = "\n".join(r.getMessage() for r in caplog.records)
    assert caplog.records, "DEBUG logging was on"
    for where, text in outputs.items():
        assert _leaks(text, SECRETS) == [], where
        assert _leaks(text, LIVE_SECRETS) == [], where
    # A saved plan holds the desired state (secrets as in the desired-state file), never the
    # live values: of live tasks it keeps only a digest.
    assert _leaks(saved, LIVE_SECRETS) == []


async def test_a_create_plan_hides_secrets_and_shows_the_rest(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """Members created whole show their value, with each sensitive part as ***."""
    plan = await plan_tasks(mw_client, _state(maintenance_window_id, SECRETS))
    assert {t.action for t in plan.tasks} == {PlanAction.CREATE}
    patch = next(t for t in plan.tasks if t.name == "patch-linux")
    params = next(c for c in patch.changes if c.member == "TaskInvocationParameters")
    assert not params.sensitive
    assert params.after["RunCommand"]["Parameters"] == "***"
    assert params.after["RunCommand"]["TimeoutSeconds"] == 600
    description = next(c for c in patch.changes if c.member == "Description")
    assert (description.after, description.sensitive) == ("***", True)
    for text in (repr(plan), json.dumps(plan_json(plan)), _table(plan, terminal=False)):
        assert _leaks(text, SECRETS) == []


async def test_export_repr_holds_no_secret(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """The exported state holds the values (for the file) but its repr shows none."""
    w = maintenance_window_id
    await apply_plan(mw_client, _state(w, SECRETS))
    exported = await export_tasks(mw_client, [w])
    assert exported.desired == attrs.evolve(_state(w, SECRETS))
    assert _leaks(repr(exported), SECRETS) == []
