"""``ssm-mw set-cutoff``: set CutoffBehavior on every matching task of many windows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import click

from .. import CutoffBehavior, TaskType

if TYPE_CHECKING:
    from rich.console import Console

    from .. import (
        CutoffProgress,
        CutoffReport,
        MaintenanceWindowClient,
        ScopedClients,
        WindowSelection,
    )
from ._app import (
    EXIT_INTERRUPTED,
    CliUsageError,
    EnumChoice,
    Interrupted,
    Settings,
    SingleValueCommand,
    check_window_ids,
    ctrl_c_cancels,
    global_options,
    open_client,
    run_async,
)
from ._render import (
    console,
    cutoff_report_json,
    cutoff_report_table,
    echo_json,
    error_text,
    targets_table,
)
from ._scope import open_reach, scope_given, scope_of, scope_options, window_selection

__all__ = ["apply_cutoff", "set_cutoff"]


async def apply_cutoff(
    client: MaintenanceWindowClient | ScopedClients,
    window_ids: Sequence[str] | WindowSelection,
    behavior: CutoffBehavior,
    *,
    task_type: TaskType | None = None,
    concurrency: int | None = 8,
    per_target_concurrency: int = 8,
    dry_run: bool = False,
    out: Console,
    err: Console,
    output: str = "table",
) -> CutoffReport:
    """Run :func:`set_cutoff_behavior`, with a progress bar on a terminal, and print the report.

    The ``set-cutoff`` command and the demo share this path. Every failure is
    also written to ``err``, one line each. Cancelled, it prints the partial
    report the same way, says so on ``err``, and re-raises the
    :class:`CutoffCancelledError`.
    """
    from .. import CutoffCancelledError, MaintenanceWindowClient, set_cutoff_behavior

    async def run(progress: Callable[[CutoffProgress], None] | None) -> CutoffReport:
        return await set_cutoff_behavior(
            client,
            window_ids,
            behavior,
            task_type=task_type,
            concurrency=concurrency,
            per_target_concurrency=per_target_concurrency,
            dry_run=dry_run,
            progress=progress,
        )

    if err.is_terminal:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        columns = (
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=err, transient=True) as bar:
            job = bar.add_task("listing windows", total=None)

            def show(p: CutoffProgress) -> None:
                listing = p.windows_listed < p.windows_total
                description = (
                    f"listing windows {p.windows_listed}/{p.windows_total}"
                    if listing
                    else "updating tasks"
                )
                if p.targets_total:
                    where = f"account-Regions {p.targets_done}/{p.targets_total}"
                    description = f"{where}, {description}"
                total = None if listing and p.tasks_total == 0 else p.tasks_total
                bar.update(job, description=description, total=total, completed=p.tasks_done)

            try:
                report = await run(show)
            except CutoffCancelledError as exc:
                interrupted: CutoffCancelledError | None = exc
                report = exc.report
            else:
                interrupted = None
    else:
        try:
            report = await run(None)
        except CutoffCancelledError as exc:
            interrupted, report = exc, exc.report
        else:
            interrupted = None
    scoped = not isinstance(client, MaintenanceWindowClient)
    _print_report(report, out, err, output, scoped=scoped)
    if interrupted is not None:
        err.print(
            f"interrupted: stopped after {len(report.changes)} tasks "
            f"({len(report.changed)} changed, {len(report.failed)} failed, "
            f"{len(report.interrupted)} throttled and not sent again); "
            f"{interrupted.windows_listed} of {interrupted.windows_total} windows listed. "
            "Tasks not in the table were not changed; run the command again to finish.",
            markup=False,
            highlight=False,
            style="yellow",
        )
        raise interrupted
    return report


def _print_report(
    report: CutoffReport, out: Console, err: Console, output: str, *, scoped: bool
) -> None:
    if output == "json":
        echo_json(cutoff_report_json(report, scoped=scoped))
    else:
        out.print(cutoff_report_table(report, out, scoped=scoped))
        if scoped:
            out.print(targets_table(report.targets, out))
    for target in report.targets:
        if target.error is not None and not any(c.target == target.target for c in report.changes):
            err.print(
                f"failed: {target.target}: {error_text(target.error)}",
                markup=False,
                highlight=False,
                style="red",
            )
    for change in report.failed:
        what = (
            "listing the tasks"
            if change.window_task_id is None
            else f"task {change.window_task_id}"
        )
        where = f"{change.target} " if change.target is not None else ""
        err.print(
            f"failed: {where}{change.window_id} {what}: {error_text(change.error)}",
            markup=False,
            highlight=False,
            style="red",
        )
    if report.throttled_retries:
        err.print(
            f"throttled: {report.throttled_retries} requests were sent again",
            markup=False,
            highlight=False,
        )


@click.command("set-cutoff", cls=SingleValueCommand)
@click.argument(
    "behavior",
    type=EnumChoice([b.value for b in CutoffBehavior]),
    metavar="BEHAVIOR",
)
@click.argument("window_ids", nargs=-1, metavar="[WINDOW_ID]...")
@click.option(
    "--window-name",
    "window_names",
    multiple=True,
    metavar="NAME",
    help="The window of this name in each account and Region (repeatable).",
)
@click.option("--all-windows", is_flag=True, help="Every window of each account and Region.")
@click.option(
    "--task-type",
    type=EnumChoice([t.value for t in TaskType]),
    help="Only tasks of this type.",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    metavar="N",
    help="Requests in flight at once, across all windows [default: 8; across a scope, 64].",
)
@click.option(
    "--per-target-concurrency",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    metavar="N",
    help="Requests in flight at once in each account and Region.",
)
@click.option(
    "--output",
    "-o",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="How to print the report.",
)
@scope_options
@global_options
@click.pass_context
def set_cutoff(
    ctx: click.Context,
    behavior: str,
    window_ids: tuple[str, ...],
    window_names: tuple[str, ...],
    all_windows: bool,
    task_type: str | None,
    dry_run: bool,
    concurrency: int | None,
    per_target_concurrency: int,
    output: str,
) -> None:
    """Set CutoffBehavior to BEHAVIOR on every matching task of the windows.

    BEHAVIOR is CONTINUE_TASK (tasks go on when the window's cutoff arrives) or
    CANCEL_TASK (no new invocations start). Tasks that already have it are left
    alone. Ends with a table of changed, already-set and failed tasks; exits 1
    if any task (or the listing of any window) failed.

    Across accounts and Regions (the scope options: --regions, --accounts,
    --organization, ...), name the windows with --window-name or --all-windows:
    a window's id belongs to one account-Region. Each account-Region is paced
    on its own; one that fails (a role not assumed, a Region not enabled, a
    window missing or two of one name) is a `failed:` line, and the others go
    on. The table and the JSON carry each task's account and Region, and
    each account-Region's status: ok, partial or failed.

    \b
    Examples:
      ssm-mw set-cutoff CANCEL_TASK mw-0123456789abcdef0 mw-0a1b2c3d4e5f6a7b8 --dry-run
      ssm-mw set-cutoff CANCEL_TASK --window-name patching \\
          --organization --role-name OrgAdmin --regions us-east-1,eu-west-1
    """

    from .. import CutoffCancelledError

    settings = ctx.find_object(Settings) or Settings()
    selection = window_selection(window_names, all_windows)
    if selection is not None and window_ids:
        raise CliUsageError("WINDOW_ID: give window ids, or --window-name / --all-windows")
    if selection is None and not window_ids:
        raise CliUsageError("missing WINDOW_ID..., --window-name NAME or --all-windows")
    check_window_ids(window_ids)  # before any client is made: bad input first
    chosen = CutoffBehavior(behavior.upper())
    kind = TaskType(task_type.upper()) if task_type is not None else None
    scoped = selection is not None or scope_given(ctx)
    scope = scope_of(ctx) if scoped else None
    if scope is not None and selection is None and not scope.is_single:
        raise CliUsageError(
            "WINDOW_ID: a window id belongs to one account and Region; "
            "across several, give --window-name or --all-windows"
        )

    async def run() -> CutoffReport | None:
        try:
            with ctrl_c_cancels():
                if scope is not None:
                    async with open_reach(settings, scope) as reach:
                        return await apply_cutoff(
                            reach,
                            selection if selection is not None else window_ids,
                            chosen,
                            task_type=kind,
                            concurrency=concurrency,
                            per_target_concurrency=per_target_concurrency,
                            dry_run=dry_run,
                            out=console(),
                            err=console(stderr=True),
                            output=output,
                        )
                workers = 8 if concurrency is None else concurrency
                async with open_client(settings, pool=workers) as mw:
                    return await apply_cutoff(
                        mw,
                        window_ids,
                        chosen,
                        task_type=kind,
                        concurrency=workers,
                        dry_run=dry_run,
                        out=console(),
                        err=console(stderr=True),
                        output=output,
                    )
        except Interrupted as stop:
            if not isinstance(stop.cancelled, CutoffCancelledError):  # before the run, or after
                console(stderr=True).print("error: interrupted", markup=False, highlight=False)
            return None  # the partial report is printed; Ctrl-C before the run: nothing

    report = run_async(run())
    if report is None:
        ctx.exit(EXIT_INTERRUPTED)
    if not report.ok:
        ctx.exit(1)
