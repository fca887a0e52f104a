"""``ssm-mw plan``: the desired-state file, and plans for people and programs (``docs/plan.md``)."""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from .. import (
        AccountRegion,
        DesiredState,
        MaintenanceWindowClient,
        MemberChange,
        Plan,
        PlanAction,
        Scope,
        TargetSummary,
        TaskPlan,
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
    open_client,
    run_async,
)
from ._files import file_errors, read_file
from ._render import (
    account_text,
    console,
    echo_json,
    error_text,
    target_json,
    targets_json,
    targets_table,
)
from ._scope import concurrency_options, open_reach, scope_given, scope_of, scope_options

__all__ = [
    "EXIT_CHANGES",
    "OUTPUT_OPTION",
    "PRUNE_OPTION",
    "SHOW_UNCHANGED_OPTION",
    "failed_targets_lines",
    "input_scope",
    "load_desired",
    "load_input",
    "plan_client",
    "plan_command",
    "plan_json",
    "show_plan",
    "show_warnings",
    "summary_line",
]

#: ``plan --check``: the exit status when applying would change something.
EXIT_CHANGES = 3


@cache
def _symbols() -> Mapping[PlanAction, tuple[str, str]]:
    """The symbol and the style of each action, as a plan shows them."""
    from .. import PlanAction

    return {
        PlanAction.CREATE: ("+", "green"),
        PlanAction.UPDATE: ("~", "yellow"),
        PlanAction.UNCHANGED: ("=", "dim"),
        PlanAction.UNMANAGED: ("?", "dim"),
        PlanAction.DELETE: ("-", "red"),
    }


_SENSITIVE = "(sensitive value)"
_NOT_SET = "(not set)"


# -- the desired-state file -------------------------------------------------------------


def load_desired(name: str, text: str) -> DesiredState:
    """Read a desired-state file (the library's loader); a usage error naming each key and place.

    Every task is checked as a ``tasks register`` file is, and the state as
    any state is (every window id, every definition), before anything is sent.
    """
    from .. import parse_desired_state

    with file_errors():
        return parse_desired_state(text, name=name)


def load_input(path: str) -> Plan | DesiredState:
    """A saved plan (JSON with its format marker) or a desired-state file."""
    from .. import Plan

    name, text = read_file(path)
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
    from rich.text import Text

    from .. import PlanAction

    after = _value(change.after, change.sensitive)
    if action is PlanAction.CREATE:
        return Text(f"      + {change.member} = {after}", style="green")
    before = _value(change.before, change.sensitive)
    return Text(f"      ~ {change.member}: {before} → {after}", style="yellow")


def _task_line(task: TaskPlan) -> Text:
    from rich.text import Text

    from .. import PlanAction

    symbol, style = _symbols()[task.action]
    line = Text(f"  {symbol} ", style=style)
    line.append(f"{task.action.value:<9}", style=style)
    line.append(f"  {task.name if task.name is not None else '(no name)'}")
    if task.window_task_id is not None:
        line.append(f"  {task.window_task_id}", style="dim")
    if task.task_type is not None:
        line.append(f"  {task.task_type.value}", style="dim")
    if task.action is PlanAction.DELETE and task.task_arn is not None:
        line.append(f"  {task.task_arn}", style="dim")
    return line


def summary_line(plan: Plan) -> str:
    """Terraform's summary: ``Plan: 1 to add, 2 to change, 0 to delete.``, or ``No changes.``

    A plan made without ``prune`` never deletes; its line still counts deletions, as zero.
    """
    from .. import PlanAction

    if not plan.has_changes:
        return "No changes. The live tasks match the desired state."
    counts = plan.summary
    return (
        f"Plan: {counts[PlanAction.CREATE]} to add, {counts[PlanAction.UPDATE]} to change, "
        f"{counts[PlanAction.DELETE]} to delete."
    )


def _unchanged_line(count: int) -> Text:
    from rich.text import Text

    from .. import PlanAction

    symbol, style = _symbols()[PlanAction.UNCHANGED]
    return Text(f"  {symbol} {count} unchanged", style=style)


def target_heading(target: AccountRegion | None) -> str:
    """The heading of an account-Region's part of a plan or report: ``ACCOUNT  REGION``."""
    if target is None:
        return account_text(target)
    return f"{account_text(target)}  {target.region}"


def _window_heading(task: TaskPlan) -> str:
    if task.window_key is None:
        return task.window_id
    return f"{task.window_key} ({task.window_id})"


def show_plan(plan: Plan, out: Console, *, show_unchanged: bool = False) -> None:
    """The plan for people: what changes, grouped by window, each changed member as
    ``before → after``; a window's unchanged tasks as one count (each one with
    ``show_unchanged``); then the summary line.

    A plan across a scope is grouped by account-Region first (a heading each),
    and its table of account-Regions comes before the summary line."""
    from rich.text import Text

    from .. import PlanAction

    scoped = plan.scope is not None
    by_window: dict[tuple[AccountRegion | None, str], list[TaskPlan]] = {}
    for task in plan.tasks:
        by_window.setdefault((task.target, task.window_id), []).append(task)
    shown_target: list[AccountRegion | None] = []
    for (target, _), tasks in by_window.items():
        if scoped and shown_target[-1:] != [target]:
            out.print(Text(target_heading(target), style="bold underline"))
            shown_target.append(target)
        out.print(Text(_window_heading(tasks[0]), style="bold"))
        unchanged = 0
        for task in tasks:
            if task.action is PlanAction.UNCHANGED and not show_unchanged:
                unchanged += 1
                continue
            out.print(_task_line(task))
            if task.action in (PlanAction.CREATE, PlanAction.UPDATE):
                for change in task.changes:
                    out.print(_change_line(task.action, change))
        if unchanged:
            out.print(_unchanged_line(unchanged))
    if not plan.tasks:
        out.print("No tasks.")
    if scoped:
        out.print(targets_table(plan.targets, out))
    out.print(Text(summary_line(plan), style="bold"))


def show_warnings(plan: Plan) -> None:
    """Each of the plan's warnings, one ``warning:`` line on stderr."""
    for warning in plan.warnings:
        click.echo(f"warning: {warning}", err=True)


def _change_json(change: MemberChange) -> dict[str, Any]:
    if change.sensitive:  # as in the table: that it changes, never a value
        return {"member": change.member, "sensitive": True}
    return {"member": change.member, "before": change.before, "after": change.after}


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan for programs, in the documented shape (members by their wire names).

    Each task to create or update lists its ``changes``: each member's ``before``
    and ``after`` (botocore-shaped; ``null`` when not set), or only
    ``"sensitive": true`` for a sensitive member.
    """
    from .. import PlanAction

    scoped = plan.scope is not None

    def where(task: TaskPlan) -> dict[str, Any]:
        if not scoped:
            return {}
        return {**target_json(task.target), "window_key": task.key}

    return {
        **({"targets": targets_json(plan.targets)} if scoped else {}),
        "tasks": [
            {
                **where(t),
                "window_id": t.window_id,
                "name": t.name,
                "action": t.action.value,
                "window_task_id": t.window_task_id,
                "members": list(t.members),
                "changes": [_change_json(c) for c in t.changes],
            }
            for t in plan.tasks
        ],
        # "delete" only for a plan made with --prune, as in the table's summary line.
        "summary": {
            a.value: n for a, n in plan.summary.items() if a is not PlanAction.DELETE or plan.prune
        },
    }


def _write_private(path: str, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all, readable by its owner only."""
    import tempfile

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


PRUNE_OPTION = click.option(
    "--prune",
    is_flag=True,
    help="Delete the live tasks of the file's windows that the file does not name.",
)
SHOW_UNCHANGED_OPTION = click.option(
    "--show-unchanged",
    is_flag=True,
    help="List each unchanged task, instead of one count per window.",
)
OUTPUT_OPTION = click.option(
    "--output",
    "-o",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table: for people; json: for programs.",
)


def plan_client(settings: Settings, concurrency: int) -> MaintenanceWindowClient:
    return open_client(settings, pool=concurrency)


def input_scope(ctx: click.Context, path: str, loaded: Plan | DesiredState) -> Scope | None:
    """The scope ``plan`` or ``apply`` works across, or ``None`` for today's one client.

    The file's ``scope:`` (a saved plan's scope) is the base; the scope options win
    over it. A desired-state file with ``name:`` keys and neither is the base
    credentials' one account-Region. Window ids across more than one
    account-Region are a usage error naming the key, before any request.
    """
    from .. import DesiredState

    desired = loaded if isinstance(loaded, DesiredState) else loaded.desired
    base = loaded.scope
    by_name = isinstance(loaded, DesiredState) and loaded.by_name
    if base is None and not by_name and not scope_given(ctx):
        return None
    scope = scope_of(ctx, base=base)
    ids = [key for key in desired.windows if not key.startswith("name:")]
    if ids and not scope.is_single:
        raise CliUsageError(
            f"{path}: windows[{ids[0]!r}]: a window id belongs to one account and Region; "
            "across several, give the window by name (name:<window name>)"
        )
    return scope


def failed_targets_lines(
    targets: Sequence[TargetSummary], err: Console, *, but: Collection[AccountRegion | None] = ()
) -> None:
    """One ``failed: ACCOUNT/REGION: error`` line on ``err`` for each account-Region of
    ``targets`` (summaries) that failed, but those in ``but``."""
    for summary in targets:
        if not summary.ok and summary.complete and summary.target not in but:
            err.print(
                f"failed: {summary.target}: {error_text(summary.error)}",
                markup=False,
                highlight=False,
                style="red",
                soft_wrap=True,  # one line, however wide the terminal
            )


@click.command("plan", cls=SingleValueCommand)
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@OUTPUT_OPTION
@click.option("--check", is_flag=True, help="Exit 3 when anything would change, 0 when in sync.")
@click.option(
    "--out",
    "out_path",
    metavar="PLANFILE",
    type=click.Path(dir_okay=False),
    help="Save the plan, for `ssm-mw apply PLANFILE` (holds the file's sensitive values).",
)
@PRUNE_OPTION
@SHOW_UNCHANGED_OPTION
@concurrency_options
@scope_options
@global_options
@click.pass_context
def plan_command(
    ctx: click.Context,
    path: str,
    output: str,
    check: bool,
    out_path: str | None,
    prune: bool,
    show_unchanged: bool,
    concurrency: int | None,
    per_target_concurrency: int,
) -> int:
    """Show what `apply FILE` would change: each task to create, update, leave unchanged.

    FILE (YAML or JSON, - for stdin) maps window ids to task names to tasks in
    the shape `tasks register --file` takes, without Name (the key is the
    name). Live tasks the file does not name are listed as unmanaged and left
    alone; with --prune, those of the file's windows are to be deleted.

    Across accounts and Regions (the file's `scope:`, or the scope options,
    which win over it), give each window by name (`name:<window name>`): it
    is found in each account-Region. One that fails (a role not assumed, a
    Region not enabled, a window missing or two of one name) is a `failed:`
    line, and the others are planned; then exit 1.

    \b
    Example:
      ssm-mw plan tasks.yaml --check     # exit 3 if anything would change
      ssm-mw plan tasks.yaml --organization --role-name OrgAdmin --regions us-east-1,eu-west-1
    """
    from .. import Plan, plan_tasks

    settings = ctx.find_object(Settings) or Settings()
    desired = load_input(path)
    if isinstance(desired, Plan):
        raise CliUsageError(f"{path}: is a saved plan; plan takes a desired-state file")
    scope = input_scope(ctx, path, desired)

    async def run() -> Plan:
        if scope is not None:
            async with open_reach(settings, scope) as reach:
                return await plan_tasks(
                    reach,
                    desired,
                    concurrency=concurrency,
                    per_target_concurrency=per_target_concurrency,
                    prune=prune,
                )
        workers = 8 if concurrency is None else concurrency
        async with plan_client(settings, workers) as mw:
            return await plan_tasks(mw, desired, concurrency=workers, prune=prune)

    async def interruptible() -> Plan | None:
        try:
            with ctrl_c_cancels():
                return await run()
        except Interrupted:
            return None

    found = run_async(interruptible())
    if found is None:
        console(stderr=True).print(
            "interrupted while planning: nothing was changed",
            markup=False,
            highlight=False,
        )
        ctx.exit(EXIT_INTERRUPTED)
    plan = found
    show_warnings(plan)
    if out_path is not None:
        _write_private(out_path, plan.dumps())
    if output == "json":
        echo_json(plan_json(plan))
    else:
        show_plan(plan, console(), show_unchanged=show_unchanged)
        if out_path is not None:
            console().print(
                f"Saved the plan to {out_path}; apply it with `ssm-mw apply {out_path}`."
            )
    failed_targets_lines(plan.targets, console(stderr=True))
    if plan.failed_targets:
        return 1
    return EXIT_CHANGES if check and plan.has_changes else 0
