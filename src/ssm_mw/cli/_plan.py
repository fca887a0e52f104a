"""``ssm-mw plan``, ``apply`` and ``export``: declarative task sets (see ``docs/plan.md``)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import click
import yaml
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.text import Text

from .._apply import ApplyOutcome, ApplyProgress, ApplyReport, apply_plan
from .._client import MaintenanceWindowClient
from .._converter import CALL_MEMBERS, call_members, wire_names
from .._desired import DesiredState, MemberChange
from .._export import ExportReport, export_tasks
from .._models import TaskDefinition
from .._plan import Plan, PlanAction, TaskPlan, plan_tasks
from .._validation import violations
from ._app import (
    CliError,
    CliUsageError,
    Settings,
    global_options,
    open_client,
    run_async,
)
from ._files import (
    DefinitionFile,
    check_definition,
    parse_definition,
    read_text,
    to_model,
    unknown_key,
)
from ._render import console, echo_json, error_text

__all__ = ["apply_command", "export_command", "load_desired", "plan_command", "show_plan"]

#: ``plan --check``: the exit status when applying would change something.
EXIT_CHANGES = 3

_REGISTER = "RegisterTaskWithMaintenanceWindow"
_DESCRIBE = "DescribeMaintenanceWindowTasks"
_NAME = wire_names(TaskDefinition)["name"]
_WINDOWS = "windows"
#: Request members a task of a desired-state file never holds, and where each comes from.
_NOT_IN_A_TASK: Mapping[str, str] = {
    CALL_MEMBERS["window_id"]: "the task's window is its key under 'windows'",
    CALL_MEMBERS["window_task_id"]: "apply finds the live task by its name",
    CALL_MEMBERS["client_token"]: "apply derives it from the window, the name and the definition",
    CALL_MEMBERS["replace"]: "apply always replaces the whole task",
    _NAME: "the task's name is its key",
}
_SYMBOL = {
    PlanAction.CREATE: ("+", "green"),
    PlanAction.UPDATE: ("~", "yellow"),
    PlanAction.UNCHANGED: ("=", "dim"),
    PlanAction.UNMANAGED: ("?", "dim"),
}
_SENSITIVE = "(sensitive value)"
_NOT_SET = "(not set)"


# -- the desired-state file -------------------------------------------------------------


def _kind(value: object) -> str:
    return "a list" if isinstance(value, list) else type(value).__name__


def _task(source: DefinitionFile, window_id: str, name: object, members: object) -> TaskDefinition:
    if not isinstance(name, str):
        where = source.part(_WINDOWS, window_id)
        raise CliUsageError(f"{where.where()}: {where.field()}: task name {name!r} is not a string")
    part = source.part(_WINDOWS, window_id, name)
    if not isinstance(members, dict):
        raise CliUsageError(
            f"{part.where()}: {part.field()}: expected a mapping of request members, "
            f"got {_kind(members)}"
        )
    data = cast("dict[str, Any]", members)
    for key in data:
        if key in _NOT_IN_A_TASK:
            raise CliUsageError(
                f"{part.where((key,))}: {part.field((key,))}: not allowed in a task "
                f"({_NOT_IN_A_TASK[key]})"
            )
    fixed = {**call_members(window_id), _NAME: name}
    task_name = f"{part.where()}: {part.field()}: task name"
    check_definition(_REGISTER, part, data, fixed, {_NAME: task_name})
    return to_model(_REGISTER, {**data, _NAME: name}, TaskDefinition, part)


def load_desired(name: str, text: str) -> DesiredState:
    """Parse and check a desired-state file; raise a usage error naming the key and its place.

    Every task is checked like a ``tasks register`` file (unknown keys, every
    model constraint and rule), before anything is sent.
    """
    source = parse_definition(name, text, what=f"a mapping with the key {_WINDOWS!r}")
    for key in source.data:
        if key != _WINDOWS:
            raise CliUsageError(
                f"{source.where((key,))}: {key}: {unknown_key(key, [_WINDOWS])}; "
                f"expected only {_WINDOWS!r}"
            )
    windows = source.data.get(_WINDOWS)
    if not isinstance(windows, dict):
        got = "nothing" if windows is None else _kind(windows)
        raise CliUsageError(
            f"{source.where((_WINDOWS,))}: {_WINDOWS}: expected a mapping of window ids, got {got}"
        )
    built: dict[str, dict[str, TaskDefinition]] = {}
    for window_id, tasks in cast("dict[object, object]", windows).items():
        where = f"{source.where((_WINDOWS, cast(str, window_id)))}: {_WINDOWS}.{window_id}"
        if not isinstance(window_id, str):
            raise CliUsageError(f"{where}: a window id must be a string")
        for v in violations(_DESCRIBE, call_members(window_id)):
            raise CliUsageError(f"{where}: window id {v.message}")
        if tasks is None:
            tasks = {}
        if not isinstance(tasks, dict):
            raise CliUsageError(f"{where}: expected a mapping of task names, got {_kind(tasks)}")
        built[window_id] = {
            str(n): _task(source, window_id, n, m)
            for n, m in cast("dict[object, object]", tasks).items()
        }
    return DesiredState(windows=built)


def _load(path: str) -> Plan | DesiredState:
    """A saved plan (JSON with its format marker) or a desired-state file."""
    name, text = read_text(path)
    if text.lstrip().startswith("{"):
        try:
            data: object = json.loads(text)
        except ValueError:
            data = None
        if Plan.is_saved_plan(data):
            return Plan.loads(text)
    return load_desired(name, text)


# -- showing a plan ---------------------------------------------------------------------


def _value(value: Any, sensitive: bool) -> str:
    if value is None:
        return _NOT_SET
    if sensitive:
        return _SENSITIVE
    return json.dumps(value, ensure_ascii=False, default=str)


def _change_line(action: PlanAction, change: MemberChange) -> Text:
    after = _value(change.after, change.sensitive)
    if action is PlanAction.CREATE:
        return Text(f"      + {change.member} = {after}", style="green")
    before = _value(change.before, change.sensitive)
    return Text(f"      ~ {change.member}: {before} → {after}", style="yellow")


def _task_line(task: TaskPlan) -> Text:
    symbol, style = _SYMBOL[task.action]
    line = Text(f"  {symbol} ", style=style)
    line.append(f"{task.action.value:<9}", style=style)
    line.append(f"  {task.name if task.name is not None else '(no name)'}")
    if task.window_task_id is not None:
        line.append(f"  {task.window_task_id}", style="dim")
    if task.task_type is not None:
        line.append(f"  {task.task_type.value}", style="dim")
    return line


def summary_line(plan: Plan) -> str:
    """``Plan: 1 to create, 2 to update, 3 unchanged, 0 unmanaged.``"""
    counts = plan.summary
    return (
        f"Plan: {counts[PlanAction.CREATE]} to create, {counts[PlanAction.UPDATE]} to update, "
        f"{counts[PlanAction.UNCHANGED]} unchanged, {counts[PlanAction.UNMANAGED]} unmanaged."
    )


def show_plan(plan: Plan, out: Console) -> None:
    """The plan for people: grouped by window, each changed member as ``before → after``."""
    window: str | None = None
    for task in plan.tasks:
        if task.window_id != window:
            window = task.window_id
            out.print(Text(window, style="bold"))
        out.print(_task_line(task))
        if task.action in (PlanAction.CREATE, PlanAction.UPDATE):
            for change in task.changes:
                out.print(_change_line(task.action, change))
    if not plan.tasks:
        out.print("No tasks.")
    out.print(Text(summary_line(plan), style="bold"))


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan for programs, in the documented shape (members by their wire names)."""
    return {
        "tasks": [
            {
                "window_id": t.window_id,
                "name": t.name,
                "action": t.action.value,
                "window_task_id": t.window_task_id,
                "members": list(t.members),
            }
            for t in plan.tasks
        ],
        "summary": {a.value: n for a, n in plan.summary.items()},
    }


def _write_private(path: str, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all, readable by its owner only."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent or Path("."), prefix=f".{target.name}.")
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None


_CONCURRENCY = click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    metavar="N",
    help="Requests in flight at once, across all windows.",
)
_OUTPUT = click.option(
    "--output",
    "-o",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table: for people; json: for programs.",
)


def _client(settings: Settings, concurrency: int) -> MaintenanceWindowClient:
    return open_client(settings, pool=concurrency)


@click.command("plan")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@_OUTPUT
@click.option("--check", is_flag=True, help="Exit 3 when anything would change, 0 when in sync.")
@click.option(
    "--out",
    "out_path",
    metavar="PLANFILE",
    type=click.Path(dir_okay=False),
    help="Save the plan, for `ssm-mw apply PLANFILE` (holds the file's sensitive values).",
)
@_CONCURRENCY
@global_options
@click.pass_obj
def plan_command(
    settings: Settings, path: str, output: str, check: bool, out_path: str | None, concurrency: int
) -> int:
    """Show what `apply FILE` would change: each task to create, update, leave unchanged.

    FILE (YAML or JSON, - for stdin) maps window ids to task names to tasks in
    the shape `tasks register --file` takes, without Name (the key is the
    name). Live tasks the file does not name are listed as unmanaged; apply
    never deletes them.

    \b
    Example:
      ssm-mw plan tasks.yaml --check     # exit 3 if anything would change
    """
    desired = _load(path)
    if isinstance(desired, Plan):
        raise CliUsageError(f"{path}: is a saved plan; plan takes a desired-state file")

    async def run() -> Plan:
        async with _client(settings, concurrency) as mw:
            return await plan_tasks(mw, desired, concurrency=concurrency)

    plan = run_async(run())
    if out_path is not None:
        _write_private(out_path, plan.dumps())
    if output == "json":
        echo_json(plan_json(plan))
    else:
        show_plan(plan, console())
        if out_path is not None:
            console().print(
                f"Saved the plan to {out_path}; apply it with `ssm-mw apply {out_path}`."
            )
    return EXIT_CHANGES if check and plan.has_changes else 0


# -- apply ------------------------------------------------------------------------------

_RESULT_STYLE = {
    ApplyOutcome.CREATED: "green",
    ApplyOutcome.UPDATED: "yellow",
    ApplyOutcome.UNCHANGED: "dim",
    ApplyOutcome.UNMANAGED: "dim",
    ApplyOutcome.FAILED: "bold red",
}


def report_json(report: ApplyReport) -> dict[str, Any]:
    """The apply report for programs."""
    return {
        "tasks": [
            {
                "window_id": r.window_id,
                "name": r.name,
                "action": r.action.value,
                "window_task_id": r.window_task_id,
                "outcome": r.outcome.value,
                "error": None if r.error is None else error_text(r.error),
            }
            for r in report.results
        ],
        "summary": {o.value: len(report.with_outcome(o)) for o in ApplyOutcome},
    }


def show_report(report: ApplyReport, out: Console) -> None:
    """One line per task that was sent, then the totals."""
    for r in report.results:
        if r.outcome in (ApplyOutcome.UNCHANGED, ApplyOutcome.UNMANAGED):
            continue
        line = Text(f"  {r.outcome.value:<8}", style=_RESULT_STYLE[r.outcome])
        line.append(f"  {r.label}")
        if r.window_task_id is not None:
            line.append(f"  {r.window_task_id}", style="dim")
        out.print(line)
    counts = {o: len(report.with_outcome(o)) for o in ApplyOutcome}
    out.print(
        Text(
            f"Apply: {counts[ApplyOutcome.CREATED]} created, {counts[ApplyOutcome.UPDATED]} "
            f"updated, {counts[ApplyOutcome.FAILED]} failed; {counts[ApplyOutcome.UNCHANGED]} "
            f"unchanged, {counts[ApplyOutcome.UNMANAGED]} unmanaged.",
            style="bold",
        )
    )


async def run_apply(
    client: MaintenanceWindowClient, plan: Plan, *, concurrency: int, err: Console
) -> ApplyReport:
    """:func:`apply_plan` with a progress bar on a terminal (``apply`` and the demo share it)."""
    if not err.is_terminal:
        return await apply_plan(client, plan, concurrency=concurrency)
    columns = (SpinnerColumn(), TextColumn("applying"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        job = bar.add_task("apply", total=None)

        def show(p: ApplyProgress) -> None:
            bar.update(job, total=p.total, completed=p.done)

        return await apply_plan(client, plan, concurrency=concurrency, progress=show)


def _confirm(yes: bool, err: Console) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise CliUsageError("refusing to apply: stdin is not a terminal; pass --yes to apply")
    if not click.confirm("Apply this plan?", default=False, err=True):
        raise CliError("apply cancelled; nothing was changed")


@click.command("apply")
@click.argument("path", metavar="FILE|PLANFILE", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--yes", "-y", is_flag=True, help="Apply without asking.")
@_CONCURRENCY
@_OUTPUT
@global_options
@click.pass_obj
def apply_command(settings: Settings, path: str, yes: bool, concurrency: int, output: str) -> int:
    """Converge the live tasks to FILE (or to a saved PLANFILE); never deletes.

    Shows the plan and asks first (on a terminal; elsewhere pass --yes). A
    saved plan is refused, naming the tasks, if any task it would change has
    changed since. Creates register with a client token derived from window,
    name and definition (a re-run never makes a second task); updates replace
    the whole task. Exits 1 if any task failed, each failure on stderr.
    """
    loaded = _load(path)
    out, err = console(), console(stderr=True)
    shown = err if output == "json" else out

    async def run() -> ApplyReport:
        async with _client(settings, concurrency) as mw:
            plan = loaded
            if isinstance(plan, DesiredState):
                plan = await plan_tasks(mw, plan, concurrency=concurrency)
            show_plan(plan, shown)
            if plan.has_changes:
                _confirm(yes, err)
            # Without changes this sends nothing: every task is unchanged or unmanaged.
            return await run_apply(mw, plan, concurrency=concurrency, err=err)

    report = run_async(run())
    if output == "table" and not report.plan.has_changes:
        out.print("Nothing to do: every task is as desired.")
        return 0
    if output == "json":
        echo_json(report_json(report))
    else:
        show_report(report, out)
    for r in report.failed:
        err.print(f"failed: {r.label}: {error_text(r.error)}", markup=False, highlight=False)
    return 1 if report.failed else 0


# -- export -----------------------------------------------------------------------------


def _text_blobs(value: Any, keep_bytes: bool, where: str) -> Any:
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            if keep_bytes:
                return bytes(value)
            raise CliError(f"{where}: a payload is not UTF-8 text; use --format yaml") from None
    if isinstance(value, dict):
        return {
            k: _text_blobs(v, keep_bytes, where) for k, v in cast("dict[str, Any]", value).items()
        }
    if isinstance(value, list):
        return [_text_blobs(v, keep_bytes, where) for v in value]
    return value


def export_text(report: ExportReport, fmt: str) -> str:
    """The desired-state file of an export, as YAML or JSON."""
    data = report.desired.to_botocore()
    windows = cast("dict[str, dict[str, Any]]", data[_WINDOWS])
    for window_id, tasks in windows.items():
        for name in list(tasks):
            tasks[name] = _text_blobs(tasks[name], fmt == "yaml", f"{window_id}/{name}")
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)


@click.command("export")
@click.argument("window_ids", nargs=-1, required=True, metavar="WINDOW_ID...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="The file's format.",
)
@_CONCURRENCY
@global_options
@click.pass_obj
def export_command(
    settings: Settings, window_ids: tuple[str, ...], fmt: str, concurrency: int
) -> None:
    """Write the desired-state file of the windows' named tasks to stdout.

    Every member is as the service reports it, so `ssm-mw plan` of the file
    shows every task unchanged. Tasks without a name are not exported (listed
    on stderr). The file holds sensitive values: keep it safe.

    \b
    Example:
      ssm-mw export mw-0123456789abcdef0 > tasks.yaml
    """
    for window_id in window_ids:
        for v in violations(_DESCRIBE, call_members(window_id)):
            raise CliUsageError(f"WINDOW_ID: {v.message}")

    async def run() -> ExportReport:
        async with _client(settings, concurrency) as mw:
            return await export_tasks(mw, window_ids, concurrency=concurrency)

    report = run_async(run())
    text = export_text(report, fmt)
    err = console(stderr=True)
    for skipped in report.skipped:
        err.print(f"not exported: {skipped}", markup=False, highlight=False)
    click.echo(text, nl=False)
    err.print(
        f"note: the file holds the tasks' sensitive values ({len(report.desired)} tasks); "
        "keep it as safe as the tasks themselves",
        markup=False,
        highlight=False,
    )
