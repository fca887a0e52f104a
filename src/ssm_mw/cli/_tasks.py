"""``ssm-mw tasks``: list, get, register and update the tasks of one window."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import attrs
import click

from .. import CutoffBehavior

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from .. import (
        MaintenanceWindowTask,
        MaintenanceWindowTaskDetails,
        TaskFile,
        TaskFilter,
        ValidationError,
    )
from ._app import (
    CliUsageError,
    EnumChoice,
    Settings,
    SingleValueGroup,
    argument_path,
    describe_violations,
    global_options,
    open_client,
    run_async,
)
from ._files import file_errors, load, usage_error, usage_lines
from ._render import OUTPUT_OPTION, console, echo_json, task_details_table, tasks_json, tasks_table

__all__ = ["tasks"]

_LIST_PAGE_SIZE = 100


@cache
def _filter_keys() -> tuple[str, str, str, str]:
    """The keys a ``--filter`` may have: those of ``TaskFilter``'s constructors.

    In order: the task id's, the task ARN's, the priority's and the task type's.
    """
    from .. import TaskFilter

    return (
        str(TaskFilter.window_task_id().key),
        str(TaskFilter.task_arn().key),
        str(TaskFilter.priority().key),
        str(TaskFilter.task_type().key),
    )


@cache
def _task_id_member() -> str:
    """The member that register's answer holds: the wire name ``to_botocore`` gives task ids."""
    from .. import MaintenanceWindowTask, to_botocore

    task = MaintenanceWindowTask(window_id="w", window_task_id="t")
    return next(member for member, value in to_botocore(task).items() if value == "t")


#: Where the first attribute of a violation's path ends (``targets`` of ``targets[0].key``).
_FIRST_END = re.compile(r"[.\[]")


def _parse_filter(text: str) -> TaskFilter:
    from .. import TaskFilter, TaskType

    _, _, priority, task_type = filter_keys = _filter_keys()
    key, sep, values_text = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise click.BadParameter(f"{text!r} is not KEY=VALUE[,VALUE...]")
    if key not in filter_keys:
        choices = ", ".join(filter_keys)
        raise click.BadParameter(f"unknown key {key!r}; use one of {choices}")
    values = tuple(v.strip() for v in values_text.split(","))
    if key == task_type:  # enum values are taken in any case, as --task-type takes them
        values = tuple(v.upper() for v in values)
    if not all(values):
        raise click.BadParameter(f"{key}: every value must be non-empty, got {values_text!r}")
    for value in values:
        if key == task_type and not TaskType.is_known(value):
            choices = ", ".join(t.value for t in TaskType)
            raise click.BadParameter(f"{key}: {value!r} is not one of {choices}")
        if key == priority and not value.isdigit():
            raise click.BadParameter(f"{key}: {value!r} is not a non-negative integer")
    return TaskFilter(key=key, values=values)


def _filters(
    ctx: click.Context, param: click.Parameter, value: Sequence[str]
) -> tuple[TaskFilter, ...]:
    return tuple(_parse_filter(v) for v in value)


def _complete_filter(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of ``--filter``: its keys (``TaskType=``), then a task type's values."""
    from click.shell_completion import CompletionItem

    from .. import TaskType

    keys = _filter_keys()
    key, sep, values = incomplete.partition("=")
    if not sep:
        return [CompletionItem(f"{k}=") for k in keys if k.startswith(key)]
    if key != keys[3]:  # the task type's: the other keys take any value
        return []
    done, _, last = values.rpartition(",")
    head = f"{key}={done}," if done else f"{key}="
    kinds = [t.value for t in TaskType if t.value.startswith(last.upper())]
    return [CompletionItem(head + kind) for kind in kinds]


@click.group(cls=SingleValueGroup)
def tasks() -> None:
    """List, show, register and update the tasks of a maintenance window."""


@tasks.command("list")
@click.argument("window_id")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=V1,V2",
    callback=_filters,
    shell_complete=_complete_filter,
    help="Keep tasks whose KEY (WindowTaskId, TaskArn, Priority or TaskType) is one of the "
    "values. Repeat to combine filters (all must match).",
)
@OUTPUT_OPTION
@global_options
@click.pass_obj
def list_tasks(
    settings: Settings, window_id: str, filters: tuple[TaskFilter, ...], output: str
) -> None:
    """List every task of WINDOW_ID, over all pages."""

    async def fetch() -> list[MaintenanceWindowTask]:
        async with open_client(settings) as mw:
            paginator = mw.paginate_maintenance_window_tasks(
                window_id, filters=filters, page_size=_LIST_PAGE_SIZE
            )
            return [task async for task in paginator]

    found = run_async(fetch())
    if output == "json":
        echo_json(tasks_json(found))
    else:
        out = console()
        out.print(tasks_table(found, f"Tasks of {window_id} ({len(found)})", out))


def _print_details(details: MaintenanceWindowTaskDetails, output: str) -> None:
    from .. import to_botocore

    if output == "json":
        echo_json(to_botocore(details))
    else:
        console().print(task_details_table(details))


@tasks.command("get")
@click.argument("window_id")
@click.argument("task_id")
@OUTPUT_OPTION
@global_options
@click.pass_obj
def get_task(settings: Settings, window_id: str, task_id: str, output: str) -> None:
    """Show one task in full, invocation parameters included."""

    async def fetch() -> MaintenanceWindowTaskDetails:
        async with open_client(settings) as mw:
            return await mw.get_maintenance_window_task(window_id, task_id)

    _print_details(run_async(fetch()), output)


_FILE_HELP = "A JSON or YAML file in the botocore request shape (without the ids); - for stdin."


@tasks.command("register")
@click.argument("window_id")
@click.option(
    "--file",
    "-f",
    "path",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    metavar="DEF",
    help=_FILE_HELP,
)
@click.option(
    "--client-token",
    metavar="TOKEN",
    help="Idempotency token: registering again with it returns the same task.",
)
@click.option(
    "--output",
    "-o",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help='table: the new task id alone; json: {"WindowTaskId": ...}, as the API answers.',
)
@global_options
@click.pass_obj
def register_task(
    settings: Settings, window_id: str, path: str, client_token: str | None, output: str
) -> None:
    """Register a task from a definition file; print its new WindowTaskId.

    \b
    Example definition (YAML):
      TaskArn: AWS-RunShellScript
      TaskType: RUN_COMMAND
      Targets: [{Key: WindowTargetIds, Values: [e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3]}]
      MaxConcurrency: "2"
      MaxErrors: "1"
      CutoffBehavior: CANCEL_TASK
      TaskInvocationParameters:
        RunCommand:
          Parameters: {commands: [uptime]}
    """
    from .. import TaskFile, ValidationError

    task_file = load(TaskFile.load, path)
    with file_errors():
        definition = task_file.definition()

    async def register() -> str:
        async with open_client(settings) as mw:
            try:
                return await mw.register_task_with_maintenance_window(
                    window_id, definition, client_token=client_token
                )
            except ValidationError as exc:  # the request's one check: named in the file
                raise usage_error(task_file.locate(exc)) from None

    task_id = run_async(register())
    if output == "json":
        echo_json({_task_id_member(): task_id})
    else:
        click.echo(task_id)


def _attribute(path: str) -> str:
    """The first attribute of a violation's path (``targets`` of ``targets[0].key``)."""
    return _FIRST_END.split(path, maxsplit=1)[0]


def _update_error(
    exc: ValidationError, task_file: TaskFile, options: Mapping[str, str]
) -> CliUsageError:
    """The usage line of the client's violations: an option's by its name, the rest in the file."""
    lines = usage_lines(task_file.locate(exc))  # one for each violation, in order
    out = [
        f"{options[_attribute(v.path)]}: {v.message}" if _attribute(v.path) in options else line
        for v, line in zip(exc.violations, lines, strict=True)
    ]
    return CliUsageError("; ".join(out))


def _replace_error(exc: ValidationError) -> ValidationError | CliUsageError:
    """A replace without a file: members no option sets are named, with what gives them."""
    unset = [v for v in exc.violations if argument_path(v.path) == v.path and v.path]
    if not unset:
        return exc
    needed = ", ".join(dict.fromkeys(v.path.split(".")[0].split("[")[0] for v in unset))
    return CliUsageError(
        f"--replace sets every member of the task, and {needed} has no option: give a "
        "complete definition with --file (see 'ssm-mw tasks update --help'); "
        + describe_violations(exc.violations)
    )


@tasks.command("update")
@click.argument("window_id")
@click.argument("task_id")
@click.option(
    "--file",
    "-f",
    "path",
    type=click.Path(dir_okay=False, allow_dash=True),
    metavar="DEF",
    help=_FILE_HELP + " Options below override its members.",
)
@click.option(
    "--cutoff-behavior",
    type=EnumChoice([b.value for b in CutoffBehavior]),
    help="What happens at the window's cutoff: keep running or stop starting invocations.",
)
@click.option("--priority", type=int, metavar="N", help="Priority (0 is highest).")
@click.option("--max-concurrency", metavar="X", help="e.g. 10 or 10%.")
@click.option("--max-errors", metavar="X", help="e.g. 1 or 5%.")
@click.option("--name", metavar="TEXT", help="Task name.")
@click.option("--description", metavar="TEXT", help="Task description.")
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the whole task: members not given are cleared (needs every member "
    "that register needs).",
)
@OUTPUT_OPTION
@global_options
@click.pass_obj
def update_task(
    settings: Settings,
    /,
    window_id: str,
    task_id: str,
    path: str | None,
    replace: bool,
    output: str,
    **shortcuts: Any,
) -> None:
    """Change a task from a definition file and/or shortcut options; print the result.

    Only the members given change, unless --replace.

    \b
    Examples:
      ssm-mw tasks update mw-0123456789abcdef0 4f7ca192-7e9a-40fe-9192-5cb15a0b1c2d \\
          --cutoff-behavior CANCEL_TASK --priority 1
      ssm-mw tasks update mw-0123456789abcdef0 4f7ca192-7e9a-40fe-9192-5cb15a0b1c2d -f task.yaml
    """
    from .. import TaskFile, TaskUpdate, ValidationError

    task_file = load(TaskFile.load, path) if path is not None else None
    options = {param: value for param, value in shortcuts.items() if value is not None}
    if "cutoff_behavior" in options:
        options["cutoff_behavior"] = CutoffBehavior(options["cutoff_behavior"].upper())
    with file_errors():
        update = task_file.update(replace=replace) if task_file is not None else TaskUpdate()
    update = attrs.evolve(update, **options)  # the options win over the file's members
    if update == TaskUpdate() and not replace:
        raise CliUsageError(
            "nothing to update: give --file or an option such as --cutoff-behavior "
            "(see 'ssm-mw tasks update --help')"
        )
    labels = {param: argument_path(param) for param in options}

    async def send() -> MaintenanceWindowTaskDetails:
        async with open_client(settings) as mw:
            try:
                return await mw.update_maintenance_window_task(
                    window_id, task_id, update, replace=replace
                )
            except ValidationError as exc:  # the request's one check
                if task_file is None:  # named by the options' names
                    raise (_replace_error(exc) if replace else exc) from None
                raise _update_error(exc, task_file, labels) from None

    _print_details(run_async(send()), output)
