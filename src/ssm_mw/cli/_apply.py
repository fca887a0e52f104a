"""``ssm-mw apply``: converge the windows to a desired-state file or a saved plan."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

    from .. import (
        ApplyOutcome,
        ApplyProgress,
        ApplyReport,
        MaintenanceWindowClient,
        Plan,
        ScopedClients,
    )
from ._app import (
    EXIT_INTERRUPTED,
    CliError,
    CliUsageError,
    Interrupted,
    Settings,
    SingleValueCommand,
    ctrl_c_cancels,
    global_options,
    run_async,
)
from ._plan import (
    OUTPUT_OPTION,
    PRUNE_OPTION,
    SHOW_UNCHANGED_OPTION,
    failed_targets_lines,
    input_scope,
    load_input,
    plan_client,
    show_plan,
    show_warnings,
    target_heading,
)
from ._render import console, echo_json, error_text, target_json, targets_json, targets_table
from ._scope import concurrency_options, open_reach, scope_options

__all__ = ["apply_command", "report_json", "run_apply", "show_report"]


@cache
def _result_styles() -> Mapping[ApplyOutcome, str]:
    """The style of each outcome, in the report for people."""
    from .. import ApplyOutcome

    return {
        ApplyOutcome.CREATED: "green",
        ApplyOutcome.UPDATED: "yellow",
        ApplyOutcome.UNCHANGED: "dim",
        ApplyOutcome.UNMANAGED: "dim",
        ApplyOutcome.FAILED: "bold red",
        ApplyOutcome.DELETED: "red",
        ApplyOutcome.INTERRUPTED: "yellow",
        ApplyOutcome.NOT_STARTED: "yellow",
    }


def _cut_short() -> tuple[ApplyOutcome, ...]:
    """The outcomes only a cancelled run has."""
    from .. import ApplyOutcome

    return (ApplyOutcome.INTERRUPTED, ApplyOutcome.NOT_STARTED)


def _shown(outcome: ApplyOutcome, report: ApplyReport) -> bool:
    from .. import ApplyOutcome

    if outcome is ApplyOutcome.DELETED:
        return report.plan.prune
    # Tasks not started in a complete run: those of an account-Region that failed first.
    return outcome not in _cut_short() or not report.complete or bool(report.with_outcome(outcome))


def report_json(report: ApplyReport) -> dict[str, Any]:
    """The apply report for programs (``"complete": false`` when Ctrl-C stopped it)."""
    from .. import ApplyOutcome

    scoped = report.plan.scope is not None

    def where(r: Any) -> dict[str, Any]:
        if not scoped:
            return {}
        key = r.window_key if r.window_key is not None else r.window_id
        return {**target_json(r.target), "window_key": key}

    return {
        **({"targets": targets_json(report.targets)} if scoped else {}),
        "tasks": [
            {
                **where(r),
                "window_id": r.window_id,
                "name": r.name,
                "action": r.action.value,
                "window_task_id": r.window_task_id,
                "outcome": r.outcome.value,
                "error": None if r.error is None else error_text(r.error),
            }
            for r in report.results
        ],
        "summary": {
            o.value: len(report.with_outcome(o)) for o in ApplyOutcome if _shown(o, report)
        },
        "complete": report.complete,
    }


def show_report(report: ApplyReport, out: Console) -> None:
    """One line per task that was sent (or, cut short, not sent), then the totals."""
    from rich.text import Text

    from .. import ApplyOutcome

    styles = _result_styles()
    scoped = report.plan.scope is not None
    shown_target: list[object] = []
    for r in report.results:
        if r.outcome in (ApplyOutcome.UNCHANGED, ApplyOutcome.UNMANAGED):
            continue
        if scoped and shown_target[-1:] != [r.target]:
            out.print(Text(target_heading(r.target), style="bold underline"))
            shown_target.append(r.target)
        line = Text(f"  {r.outcome.value.replace('_', ' '):<11}", style=styles[r.outcome])
        line.append(f"  {r.label}")
        if r.window_task_id is not None:
            line.append(f"  {r.window_task_id}", style="dim")
        out.print(line)
    if scoped:
        out.print(targets_table(report.targets, out))
    out.print(Text(_totals(report), style="bold"))


def _totals(report: ApplyReport) -> str:
    from .. import ApplyOutcome

    counts = {o: len(report.with_outcome(o)) for o in ApplyOutcome}
    deleted = f"{counts[ApplyOutcome.DELETED]} deleted, " if report.plan.prune else ""
    cut_short = (
        ""
        if report.complete and not counts[ApplyOutcome.NOT_STARTED]
        else (
            f", {counts[ApplyOutcome.INTERRUPTED]} interrupted, "
            f"{counts[ApplyOutcome.NOT_STARTED]} not started"
        )
    )
    return (
        f"Apply: {counts[ApplyOutcome.CREATED]} created, {counts[ApplyOutcome.UPDATED]} "
        f"updated, {deleted}{counts[ApplyOutcome.FAILED]} failed{cut_short}; "
        f"{counts[ApplyOutcome.UNCHANGED]} unchanged, "
        f"{counts[ApplyOutcome.UNMANAGED]} unmanaged."
    )


async def run_apply(
    client: MaintenanceWindowClient | ScopedClients,
    plan: Plan,
    *,
    concurrency: int | None,
    err: Console,
    per_target_concurrency: int = 8,
) -> ApplyReport:
    """:func:`apply_plan` with a progress bar on a terminal (``apply`` and the demo share it)."""
    from .. import apply_plan

    if not err.is_terminal:
        return await apply_plan(
            client, plan, concurrency=concurrency, per_target_concurrency=per_target_concurrency
        )
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        job = bar.add_task("applying", total=None)

        def show(p: ApplyProgress) -> None:
            description = "applying"
            if p.targets_total:
                description = f"account-Regions {p.targets_done}/{p.targets_total}, applying"
            bar.update(job, description=description, total=p.total, completed=p.done)

        return await apply_plan(
            client,
            plan,
            concurrency=concurrency,
            per_target_concurrency=per_target_concurrency,
            progress=show,
        )


def _confirm(plan: Plan, yes: bool, err: Console) -> None:
    from .. import PlanAction

    if yes:
        return
    if not sys.stdin.isatty():
        raise CliUsageError("refusing to apply: stdin is not a terminal; pass --yes to apply")
    deleting = len(plan.with_action(PlanAction.DELETE))
    question = f"Apply this plan, deleting {deleting} tasks?" if deleting else "Apply this plan?"
    if not click.confirm(question, default=False, err=True):
        raise CliError("apply cancelled; nothing was changed")


@click.command("apply", cls=SingleValueCommand)
@click.argument("path", metavar="FILE|PLANFILE", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--yes", "-y", is_flag=True, help="Apply without asking.")
@PRUNE_OPTION
@SHOW_UNCHANGED_OPTION
@concurrency_options
@OUTPUT_OPTION
@scope_options
@global_options
@click.pass_context
def apply_command(
    ctx: click.Context,
    path: str,
    yes: bool,
    prune: bool,
    show_unchanged: bool,
    concurrency: int | None,
    per_target_concurrency: int,
    output: str,
) -> int:
    """Converge the live tasks to FILE (or to a saved PLANFILE); deletes only with --prune.

    Shows the plan and asks first (on a terminal, with the number of tasks it
    deletes; elsewhere pass --yes). A saved plan is refused, naming the tasks,
    if any task it would change or delete has changed since. Creates register
    with a client token derived from window, name and definition (a re-run
    never makes a second task); updates replace the whole task; with --prune,
    the live tasks of the file's windows that it does not name are
    deregistered. Exits 1 if any task failed, each failure on stderr.

    Across accounts and Regions (the file's `scope:`, a saved plan's, or the
    scope options, which win over it), each account-Region is applied on its
    own; one that fails (not reached, a window not found, a stale saved plan)
    is a `failed:` line, and the others go on.
    """
    from .. import ApplyCancelledError, DesiredState, Plan, plan_tasks

    settings = ctx.find_object(Settings) or Settings()
    loaded = load_input(path)
    if isinstance(loaded, Plan) and prune and not loaded.prune:
        raise CliUsageError(
            f"--prune: {path} is a plan saved without --prune; make it with "
            "`ssm-mw plan FILE --prune --out PLANFILE`"
        )
    scope = input_scope(ctx, path, loaded)
    out, err = console(), console(stderr=True)
    shown = err if output == "json" else out
    workers = 8 if concurrency is None else concurrency

    async def converge(mw: MaintenanceWindowClient | ScopedClients) -> ApplyReport | None:
        plan = loaded
        if isinstance(plan, DesiredState):
            try:
                with ctrl_c_cancels():
                    plan = await plan_tasks(
                        mw,
                        plan,
                        concurrency=concurrency if scope is not None else workers,
                        per_target_concurrency=per_target_concurrency,
                        prune=prune,
                    )
            except Interrupted:
                return None
        show_warnings(plan)
        show_plan(plan, shown, show_unchanged=show_unchanged)
        if plan.has_changes:
            _confirm(plan, yes, err)
        # Without changes this sends nothing: every task is unchanged or unmanaged.
        try:
            with ctrl_c_cancels():
                return await run_apply(
                    mw,
                    plan,
                    concurrency=concurrency if scope is not None else workers,
                    per_target_concurrency=per_target_concurrency,
                    err=err,
                )
        except Interrupted as stop:
            if isinstance(stop.cancelled, ApplyCancelledError):
                return stop.cancelled.report
            return None

    async def run() -> ApplyReport | None:
        if scope is not None:
            async with open_reach(settings, scope) as reach:
                return await converge(reach)
        async with plan_client(settings, workers) as mw:
            return await converge(mw)

    report = run_async(run())
    if report is None:
        err.print("interrupted while planning: nothing was changed", markup=False, highlight=False)
        return EXIT_INTERRUPTED
    if output == "table" and report.complete and report.ok and not report.plan.has_changes:
        out.print("Nothing to do: every task is as desired.")
        return 0
    if output == "json":
        echo_json(report_json(report))
    else:
        show_report(report, out)
    failed_targets_lines(
        report.targets, err, but={r.target for r in report.failed if r.target is not None}
    )
    for r in report.failed:
        where = f"{r.target} " if r.target is not None else ""
        err.print(f"failed: {where}{r.label}: {error_text(r.error)}", markup=False, highlight=False)
    if not report.complete:
        left = len(report.with_outcome(*_cut_short()))
        err.print(
            f"interrupted: {left} tasks were not changed (not started, or throttled and not "
            "sent again); the others are as shown. Run the command again to finish.",
            markup=False,
            highlight=False,
            style="yellow",
        )
        return EXIT_INTERRUPTED
    return 0 if report.ok else 1
