"""Misuse of plan, apply and export that the type checkers must reject: each marked line."""

from __future__ import annotations

from ssm_mw import (
    DesiredState,
    MaintenanceWindowClient,
    Plan,
    TaskDefinition,
    TaskUpdate,
    apply_plan,
    export_tasks,
    plan_tasks,
)


async def misuse(mw: MaintenanceWindowClient, plan: Plan, definition: TaskDefinition) -> None:
    DesiredState({"mw-0123456789abcdef0": {"x": definition}})  # E: keyword-only
    DesiredState(windows={"mw-0123456789abcdef0": {"x": TaskUpdate()}})  # E: not a definition
    await plan_tasks(mw, {"mw-0123456789abcdef0": {"x": definition}})  # E: not a DesiredState
    await apply_plan(mw, "tasks.plan")  # E: a path is no plan
    await export_tasks(mw, "mw-0123456789abcdef0", concurrency="8")  # E: concurrency is an int
    plan.tasks = ()  # E: frozen
