"""What the type checkers must infer for plan, apply and export (checked, not run)."""

from __future__ import annotations

from typing import Any

from typing_extensions import assert_type

from ssm_mw import (
    ApplyOutcome,
    ApplyReport,
    DesiredState,
    ExportReport,
    MaintenanceWindowClient,
    MemberChange,
    Plan,
    PlanAction,
    TaskDefinition,
    TaskPlan,
    TaskResult,
    TaskType,
    apply_plan,
    export_tasks,
    plan_tasks,
)


async def plans(mw: MaintenanceWindowClient) -> None:
    definition = TaskDefinition(task_arn="arn:aws:lambda:::function:x", task_type=TaskType.LAMBDA)
    desired = DesiredState(windows={"mw-0123456789abcdef0": {"notify-team": definition}})
    assert_type(desired.windows["mw-0123456789abcdef0"]["notify-team"], TaskDefinition)
    plan = await plan_tasks(mw, desired, concurrency=4)
    assert_type(plan, Plan)
    task = plan.tasks[0]
    assert_type(task, TaskPlan)
    assert_type(task.action, PlanAction)
    assert_type(task.window_task_id, str | None)
    assert_type(task.changes[0], MemberChange)
    assert_type(task.members, tuple[str, ...])
    assert_type(task.changes[0].before, Any)
    assert_type(plan.summary, dict[PlanAction, int])
    assert_type(Plan.loads(plan.dumps()), Plan)
    report = await apply_plan(mw, plan)
    assert_type(report, ApplyReport)
    assert_type(report.results[0], TaskResult)
    assert_type(report.results[0].outcome, ApplyOutcome)
    assert_type(await apply_plan(mw, desired), ApplyReport)
    exported = await export_tasks(mw, ["mw-0123456789abcdef0"])
    assert_type(exported, ExportReport)
    assert_type(exported.desired, DesiredState)
    assert_type(DesiredState.from_botocore(exported.desired.to_botocore()), DesiredState)
