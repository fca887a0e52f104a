"""Output: rich tables for people, JSON (the botocore shape) for programs.

rich and the library's models are imported when a table or a JSON document is
made, not with this module: a command's ``--help`` and a JSON listing never load rich.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TextIO, TypeVar

import attrs
import click

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .. import (
        AccountRegion,
        CutoffChange,
        CutoffOutcome,
        CutoffReport,
        MaintenanceWindowTask,
        MaintenanceWindowTaskDetails,
        Target,
        TargetStatus,
        TargetSummary,
    )

__all__ = [
    "OUTPUT_OPTION",
    "account_text",
    "console",
    "cutoff_report_json",
    "cutoff_report_table",
    "echo_json",
    "error_text",
    "outcome_label",
    "target_json",
    "targets_table",
    "task_details_table",
    "tasks_json",
    "tasks_table",
]

#: ``--output table|json`` for commands that print tasks.
OUTPUT_OPTION = click.option(
    "--output",
    "-o",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table: for people; json: the botocore-shaped dicts, for programs.",
)

R = TypeVar("R")

_UNSET = "-"
# A pipe or file gets each table row on one line: never cut to 80 columns.
_PIPE_WIDTH = 1000
_FLEX_WIDTH = 20


def console(*, stderr: bool = False) -> Console:
    """A rich console on stdout (or stderr): colors on a terminal only, honours NO_COLOR."""
    from rich.console import Console

    stream: TextIO = sys.stderr if stderr else sys.stdout
    probe = Console(file=stream)
    width = None if probe.is_terminal or "COLUMNS" in os.environ else _PIPE_WIDTH
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


def echo_json(value: Any) -> None:
    """Print ``value`` as indented JSON on stdout (blobs in ssm-mw's one JSON form:
    UTF-8 text as a string, other bytes as ``{"$base64": ...}``)."""
    from .. import to_json_value

    click.echo(json.dumps(to_json_value(value), indent=2, ensure_ascii=False))


def _plain(cell: str | Text) -> Text:
    """A cell as text: square brackets in values are never read as rich markup."""
    from rich.text import Text

    return cell if isinstance(cell, Text) else Text(cell)


def _text(value: object) -> str:
    if value is None:
        return _UNSET
    return str(value)


def _targets(targets: Sequence[Target] | None) -> str:
    if not targets:
        return _UNSET
    shown = [f"{t.key}={','.join(t.values or ())}" for t in targets[:2]]
    more = f" (+{len(targets) - 2} more)" if len(targets) > 2 else ""
    return "; ".join(shown) + more


@attrs.frozen
class _Column(Generic[R]):
    """A table column: its header, how to fill a cell, and whether it may be hidden."""

    header: str
    cell: Callable[[R], str | Text]
    keep: int = 0  # columns with the lowest ``keep`` are hidden first when the table is too wide
    flex: bool = False  # may wrap down to _FLEX_WIDTH columns rather than be hidden
    options: Mapping[str, Any] = attrs.field(factory=dict)


def _fitted_table(
    out: Console, title: str, columns: Sequence[_Column[R]], rows: Sequence[R], caption: str = ""
) -> Table:
    """The table, without the least needed columns if it is wider than the console."""
    from rich.table import Table

    shown = list(columns)

    def build(squeeze: bool) -> Table:
        table = Table(title=title, title_justify="left")
        for column in shown:
            options = dict(column.options)
            if squeeze and column.flex:
                options["max_width"] = _FLEX_WIDTH
            table.add_column(column.header, **options)
        for row in rows:
            table.add_row(*(_plain(column.cell(row)) for column in shown))
        return table

    while True:
        table = build(squeeze=False)
        droppable = [c for c in shown if c.keep > 0]
        squeezed = build(squeeze=True)
        narrowest = out.measure(squeezed, options=out.options.update_width(_PIPE_WIDTH)).maximum
        if narrowest <= out.width or not droppable:
            hidden = [c.header for c in columns if c not in shown]
            note = f"hidden to fit the terminal: {', '.join(hidden)}" if hidden else ""
            table.caption = "\n".join(line for line in (caption, note) if line) or None
            return table
        shown.remove(min(droppable, key=lambda c: c.keep))


_TASK_COLUMNS: Sequence[_Column[MaintenanceWindowTask]] = (
    _Column("Task ID", lambda t: t.window_task_id, options={"no_wrap": True}),
    _Column("Name", lambda t: _text(t.name), keep=4, flex=True, options={"max_width": 30}),
    _Column("Type", lambda t: _text(t.task_type), keep=6, options={"no_wrap": True}),
    _Column("Priority", lambda t: _text(t.priority), keep=5, options={"justify": "right"}),
    _Column("Cutoff behavior", lambda t: _cutoff(t.cutoff_behavior), options={"no_wrap": True}),
    _Column(
        "Max concurrency", lambda t: _text(t.max_concurrency), keep=3, options={"justify": "right"}
    ),
    _Column("Max errors", lambda t: _text(t.max_errors), keep=3, options={"justify": "right"}),
    _Column(
        "Task ARN", lambda t: _text(t.task_arn), keep=2, flex=True, options={"overflow": "fold"}
    ),
    _Column(
        "Targets", lambda t: _targets(t.targets), keep=1, flex=True, options={"overflow": "fold"}
    ),
)


def tasks_table(tasks: Sequence[MaintenanceWindowTask], title: str, out: Console) -> Table:
    """One row per task: the settings an operator checks at a glance, fitted to ``out``."""
    return _fitted_table(out, title, _TASK_COLUMNS, tasks, "" if tasks else "no tasks")


def _cutoff(value: object) -> Text:
    from rich.text import Text

    if value is None:
        return Text("(not set)", style="dim")
    style = "yellow" if str(value) == "CANCEL_TASK" else "green"
    return Text(str(value), style=style)


def _compact(value: Any) -> str:
    from .. import to_json_value

    if isinstance(value, (Mapping, list, tuple)):
        return json.dumps(to_json_value(value), ensure_ascii=False, separators=(", ", ": "))
    return str(value)


@cache
def _cutoff_member() -> str:
    """The member of a task that is shown colored: the wire name ``to_botocore`` gives it."""
    from .. import CutoffBehavior, TaskUpdate, to_botocore

    (member,) = to_botocore(TaskUpdate(cutoff_behavior=CutoffBehavior.CANCEL_TASK))
    return member


def task_details_table(details: MaintenanceWindowTaskDetails) -> Table:
    """Every member of a task, by wire name; sensitive values show as ``***``."""
    from rich.table import Table
    from rich.text import Text

    from .. import to_botocore, to_botocore_redacted

    data = to_botocore_redacted(details)
    table = Table(
        title=f"Task {details.window_task_id} of {details.window_id}",
        title_justify="left",
        show_header=True,
    )
    table.add_column("Member", no_wrap=True, style="bold")
    table.add_column("Value", overflow="fold")
    for key, value in data.items():
        shown = _compact(value)
        table.add_row(key, _cutoff(value) if key == _cutoff_member() else Text(shown))
    if data != to_botocore(details):  # a sensitive value is hidden
        table.caption = "*** = sensitive, not shown here; --output json shows everything"
    return table


@cache
def _outcomes() -> Mapping[CutoffOutcome, tuple[str, str]]:
    """The label and the style of each outcome of a ``set-cutoff`` change."""
    from .. import CutoffOutcome

    return {
        CutoffOutcome.CHANGED: ("changed", "green"),
        CutoffOutcome.UNCHANGED: ("already set", "dim"),
        CutoffOutcome.FAILED: ("failed", "bold red"),
        CutoffOutcome.INTERRUPTED: ("interrupted", "yellow"),
    }


def outcome_label(change: CutoffChange, dry_run: bool) -> str:
    """``changed``, ``would change`` (dry run), ``already set``, ``failed`` or ``interrupted``."""
    label, _ = _outcomes()[change.outcome]
    if dry_run and label == "changed":
        return "would change"
    return label


def error_text(error: BaseException | None) -> str:
    """An error on one line."""
    if error is None:
        return ""
    text = " ".join(str(error).split())
    return text or type(error).__name__


def account_text(target: AccountRegion | None) -> str:
    """An account-Region's account as shown: its id, or ``(default)`` for the base one."""
    if target is None or target.account is None:
        return "(default)"
    return target.account


def _where_columns() -> list[_Column[Any]]:
    """Account and Region columns, of a row with a ``target``."""
    return [
        _Column("Account", lambda r: account_text(r.target), options={"no_wrap": True}),
        _Column("Region", lambda r: _text(r.target and r.target.region), options={"no_wrap": True}),
    ]


def _report_columns(
    dry_run: bool, errors: bool, scoped: bool = False
) -> list[_Column[CutoffChange]]:
    from rich.text import Text

    def outcome(c: CutoffChange) -> Text:
        return Text(outcome_label(c, dry_run), style=_outcomes()[c.outcome][1])

    columns: list[_Column[CutoffChange]] = [
        *(_where_columns() if scoped else ()),
        _Column("Window", lambda c: c.window_id, options={"no_wrap": True}),
        _Column(
            "Task ID",
            lambda c: "(listing)" if c.window_task_id is None else c.window_task_id,
            options={"no_wrap": True},
        ),
        _Column("Type", lambda c: _text(c.task_type), keep=2, options={"no_wrap": True}),
        _Column("Name", lambda c: _text(c.name), keep=1, flex=True, options={"max_width": 30}),
        _Column(
            "Before",
            lambda c: _UNSET if c.window_task_id is None else _cutoff(c.before),
            keep=3,
            options={"no_wrap": True},
        ),
        _Column(
            "After",
            lambda c: _UNSET if c.after is None else _cutoff(c.after),
            options={"no_wrap": True},
        ),
        _Column("Outcome", outcome, options={"no_wrap": True}),
    ]
    if errors:
        columns.append(
            _Column("Error", lambda c: error_text(c.error), flex=True, options={"overflow": "fold"})
        )
    return columns


def cutoff_report_table(report: CutoffReport, out: Console, *, scoped: bool = False) -> Table:
    """One row per task (and per window whose listing failed), then the totals; ``scoped``:
    with each task's account and Region."""
    verb = "would change" if report.dry_run else "changed"
    title = f"CutoffBehavior -> {report.behavior.value}" + (" (dry run)" if report.dry_run else "")
    totals = (
        f"{len(report.changed)} {verb}, {len(report.unchanged)} already set, "
        f"{len(report.failed)} failed"
    )
    columns = _report_columns(report.dry_run, bool(report.failed), scoped)
    return _fitted_table(out, title, columns, report.changes, totals)


@cache
def _statuses() -> Mapping[TargetStatus, str]:
    from .. import TargetStatus

    return {
        TargetStatus.OK: "green",
        TargetStatus.PARTIAL: "yellow",
        TargetStatus.FAILED: "bold red",
    }


def targets_table(targets: Sequence[TargetSummary], out: Console) -> Table:
    """One row per account-Region: its status (ok, partial, failed), and the error."""
    from rich.text import Text

    def status(t: TargetSummary) -> Text:
        shown = t.status.value if t.complete else f"{t.status.value} (interrupted)"
        return Text(shown, style=_statuses()[t.status])

    columns: list[_Column[TargetSummary]] = [
        *_where_columns(),
        _Column("Status", status, options={"no_wrap": True}),
        _Column("Error", lambda t: error_text(t.error), flex=True, options={"overflow": "fold"}),
    ]
    counts = {s: sum(t.status is s for t in targets) for s in _statuses()}
    totals = ", ".join(f"{n} {s.value}" for s, n in counts.items())
    return _fitted_table(out, "Accounts and Regions", columns, targets, totals)


def target_json(target: AccountRegion | None) -> dict[str, Any]:
    """``{"account": ..., "region": ...}`` of an item of a scoped command's JSON."""
    if target is None:
        return {}
    return {"account": target.account, "region": target.region}


def _summary_json(summary: TargetSummary) -> dict[str, Any]:
    return {
        **target_json(summary.target),
        "status": summary.status.value,
        "complete": summary.complete,
        "error": _error_json(summary.error),
    }


def _error_json(error: BaseException | None) -> dict[str, Any] | None:
    if error is None:
        return None
    out: dict[str, Any] = {"type": type(error).__name__, "message": error_text(error)}
    code = getattr(error, "code", None)
    if isinstance(code, str):
        out["code"] = code
    return out


def cutoff_report_json(report: CutoffReport, *, scoped: bool = False) -> dict[str, Any]:
    """The report as JSON-ready data; ``scoped``: of a run across a scope, with ``targets``
    (even none: a shard may hold no account-Region)."""
    return {
        "behavior": report.behavior.value,
        "dry_run": report.dry_run,
        "changed": len(report.changed),
        "unchanged": len(report.unchanged),
        "failed": len(report.failed),
        "interrupted": len(report.interrupted),
        "throttled_retries": report.throttled_retries,
        "complete": report.complete,
        **({"targets": [_summary_json(t) for t in report.targets]} if scoped else {}),
        "changes": [
            {
                **target_json(c.target),
                "window_id": c.window_id,
                "window_task_id": c.window_task_id,
                "task_type": None if c.task_type is None else c.task_type.value,
                "name": c.name,
                "before": None if c.before is None else c.before.value,
                "after": None if c.after is None else c.after.value,
                "outcome": c.outcome.value,
                "error": _error_json(c.error),
            }
            for c in report.changes
        ],
    }


def tasks_json(tasks: Iterable[MaintenanceWindowTask]) -> list[dict[str, Any]]:
    """The tasks as botocore-shaped dicts (the same as ``to_botocore``)."""
    from .. import to_botocore

    return [to_botocore(t) for t in tasks]
