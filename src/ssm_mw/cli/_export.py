"""``ssm-mw export``: the desired-state file of what is live."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import click

if TYPE_CHECKING:
    from rich.console import Console

    from .. import ExportReport
from ._app import (
    EXIT_INTERRUPTED,
    CliUsageError,
    Interrupted,
    Settings,
    SingleValueCommand,
    check_window_ids,
    ctrl_c_cancels,
    global_options,
    open_client,
    run_async,
)
from ._render import console, error_text, targets_table
from ._scope import open_reach, scope_given, scope_of, scope_options, window_selection

__all__ = ["export_command", "export_text", "report_export"]

_WINDOWS = "windows"


def _yaml_blobs(value: Any) -> Any:
    """Blobs that are UTF-8 text as strings; other bytes stay bytes (YAML ``!!binary``)."""
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return bytes(value)
    if isinstance(value, dict):
        return {k: _yaml_blobs(v) for k, v in cast("dict[str, Any]", value).items()}
    if isinstance(value, list):
        return [_yaml_blobs(v) for v in cast("Sequence[Any]", value)]
    return value


def export_text(report: ExportReport, fmt: str) -> str:
    """The desired-state file of an export, as YAML or JSON.

    A blob (a Lambda payload) that is UTF-8 text is written as text; other
    bytes as YAML ``!!binary``, or in JSON as ``{"$base64": "..."}``: the one
    JSON form of binary data, which ``plan`` and ``apply`` read back.
    """
    data = report.desired.to_botocore()
    if fmt == "json":
        from .. import to_json_value

        return json.dumps(to_json_value(data), indent=2, ensure_ascii=False) + "\n"
    import yaml

    return yaml.safe_dump(
        _yaml_blobs(data), sort_keys=False, allow_unicode=True, default_flow_style=False
    )


def report_export(report: ExportReport, err: Console, *, scoped: bool = False) -> None:
    """The export's lines on stderr: each task not exported, each account-Region whose
    tasks differ from the file's, each account-Region that failed, then (``scoped``: an
    export across a scope, even of no account-Region) the summary of the account-Regions."""
    for skipped in report.skipped:
        err.print(f"not exported: {skipped}", markup=False, highlight=False)
    for difference in report.differences:
        err.print(f"differs: {difference}", markup=False, highlight=False, style="yellow")
    for target in report.failed_targets:
        err.print(
            f"failed: {target.target}: {error_text(target.error)}",
            markup=False,
            highlight=False,
            style="red",
        )
    if scoped:
        err.print(targets_table(report.targets, err))
    if report.differences:
        where = len({d.target for d in report.differences})
        err.print(
            f"note: {len(report.differences)} differences in {where} account-Regions: "
            "planning the file changes them there",
            markup=False,
            highlight=False,
        )


@click.command("export", cls=SingleValueCommand)
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
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="The file's format.",
)
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
@scope_options
@global_options
@click.pass_context
def export_command(
    ctx: click.Context,
    window_ids: tuple[str, ...],
    window_names: tuple[str, ...],
    all_windows: bool,
    fmt: str,
    concurrency: int | None,
    per_target_concurrency: int,
) -> None:
    """Write the desired-state file of the windows' named tasks to stdout.

    Every member is as the service reports it, so `ssm-mw plan` of the file
    shows every task unchanged. Tasks without a name are not exported (listed
    on stderr). The file holds sensitive values: keep it safe.

    Across accounts and Regions (the scope options: --regions, --accounts,
    --organization, ...), name the windows with --window-name or --all-windows:
    the file is one for the whole scope, with its `scope:` and the windows
    keyed `name:<window name>`. Each window's tasks are those of the first
    account-Region that has it; every other one whose tasks differ is a
    `differs:` line (planning the file changes it there). An account-Region
    that fails is a `failed:` line, the others are exported, and the exit
    status is 1. The file is written once the export is whole: interrupted,
    nothing is written.

    \b
    Examples:
      ssm-mw export mw-0123456789abcdef0 > tasks.yaml
      ssm-mw export --window-name patching --organization --role-name OrgAdmin \\
          --regions us-east-1,eu-west-1 > patching.yaml
    """
    from .. import export_tasks

    settings = ctx.find_object(Settings) or Settings()
    selection = window_selection(window_names, all_windows)
    if selection is not None and window_ids:
        raise CliUsageError("WINDOW_ID: give window ids, or --window-name / --all-windows")
    if selection is None and not window_ids:
        raise CliUsageError("missing WINDOW_ID..., --window-name NAME or --all-windows")
    check_window_ids(window_ids)  # before any client is made: bad input first
    scoped = selection is not None or scope_given(ctx)
    scope = scope_of(ctx) if scoped else None
    if scope is not None and selection is None and not scope.is_single:
        raise CliUsageError(
            "WINDOW_ID: a window id belongs to one account and Region; "
            "across several, give --window-name or --all-windows"
        )

    async def run() -> ExportReport | None:
        try:
            with ctrl_c_cancels():
                if scope is not None:
                    async with open_reach(settings, scope) as reach:
                        return await export_tasks(
                            reach,
                            selection if selection is not None else window_ids,
                            concurrency=concurrency,
                            per_target_concurrency=per_target_concurrency,
                        )
                workers = 8 if concurrency is None else concurrency
                async with open_client(settings, pool=workers) as mw:
                    return await export_tasks(mw, window_ids, concurrency=workers)
        except Interrupted:
            return None

    report = run_async(run())
    err = console(stderr=True)
    if report is None:
        err.print("interrupted: nothing was written", markup=False, highlight=False)
        ctx.exit(EXIT_INTERRUPTED)
    text = export_text(report, fmt)
    report_export(report, err, scoped=scope is not None)
    click.echo(text, nl=False)
    err.print(
        f"note: the file holds the tasks' sensitive values ({len(report.desired)} tasks); "
        "keep it as safe as the tasks themselves",
        markup=False,
        highlight=False,
    )
    if not report.ok:
        ctx.exit(1)
