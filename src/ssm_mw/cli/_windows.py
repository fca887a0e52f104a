"""``ssm-mw windows list``: the windows of every account and Region of a scope."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ._app import (
    EXIT_INTERRUPTED,
    Interrupted,
    Settings,
    SingleValueCommand,
    SingleValueGroup,
    ctrl_c_cancels,
    global_options,
    run_async,
)
from ._plan import OUTPUT_OPTION
from ._render import console, echo_json, error_text
from ._scope import open_reach, scope_of, scope_options

if TYPE_CHECKING:
    from .. import WindowsReport

__all__ = ["windows"]


@click.group(cls=SingleValueGroup)
def windows() -> None:
    """Maintenance windows, across accounts and Regions."""


@windows.command("list", cls=SingleValueCommand)
@click.option(
    "--name", "names", multiple=True, metavar="NAME", help="Only windows of this name (repeatable)."
)
@OUTPUT_OPTION
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=16,
    show_default=True,
    metavar="N",
    help="Requests in flight at once, across all accounts and Regions.",
)
@scope_options
@global_options
@click.pass_context
def list_command(
    ctx: click.Context, /, names: tuple[str, ...], output: str, concurrency: int
) -> int:
    """Every window of the scope: account, Region, id, name, enabled, schedule, tasks.

    Without scope options: the windows of the base credentials' account and
    Region. An account-Region that fails (a role that cannot be assumed, a
    Region not enabled) is one `failed:` line on stderr; the others are
    listed; exit 1.

    \b
    Example:
      ssm-mw windows list --organization --role-name OrgAdmin --regions us-east-1,eu-west-1
    """
    from .. import list_windows

    settings = ctx.find_object(Settings) or Settings()
    scope = scope_of(ctx)

    async def run() -> WindowsReport | None:
        try:
            with ctrl_c_cancels():
                async with open_reach(settings, scope) as reach:
                    return await list_windows(reach, names=names, concurrency=concurrency)
        except Interrupted:
            return None

    report = run_async(run())
    err = console(stderr=True)
    if report is None:
        err.print("interrupted: nothing was listed in full", markup=False, highlight=False)
        return EXIT_INTERRUPTED
    rows = [
        {
            "account": w.target.account,
            "region": w.target.region,
            "window_id": w.window.window_id,
            "name": w.window.name,
            "enabled": w.window.enabled,
            "schedule": w.window.schedule,
            "tasks": w.task_count,
        }
        for w in report.windows
    ]
    if output == "json":
        echo_json(rows)
    else:
        _table(rows)
    for failed in report.failed:
        err.print(
            f"failed: {failed.target}: {error_text(failed.error)}", markup=False, highlight=False
        )
    return 0 if report.ok else 1


def _table(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    out = console()
    table = Table(box=None, pad_edge=False)
    for column in ("Account", "Region", "Window ID", "Name", "Enabled", "Schedule", "Tasks"):
        table.add_column(column, justify="right" if column == "Tasks" else "left")
    for row in rows:
        table.add_row(
            row["account"] or "(default)",
            row["region"],
            row["window_id"],
            row["name"] or "",
            "yes" if row["enabled"] else "no",
            row["schedule"] or "",
            str(row["tasks"]),
        )
    out.print(table)
    out.print(f"{len(rows)} windows.")
