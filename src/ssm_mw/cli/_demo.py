"""``ssm-mw demo`` and ``ssm-mw serve``: the embedded backend, no AWS account needed.

``ssm_mw.testing`` is imported when a command needs it (``serve``'s options
included), and moto only when the embedded backend starts.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING, Any

import attrs
import click

from ._app import CliError, CliUsageError, Settings, SingleValueCommand, run_async
from ._render import console

if TYPE_CHECKING:
    from rich.console import Console

    from .. import MaintenanceWindowClient, MaintenanceWindowTask, TaskDefinition
    from ..testing import EmbeddedSSMServer, ServeOption

__all__ = ["demo", "serve"]

_DEMO_PAGE_SIZE = 10  # the smallest page DescribeMaintenanceWindowTasks allows
_ACCOUNT = "123456789012"
#: The exit status of an interrupted command (128 + SIGINT), as in ``App.main``.
_EXIT_INTERRUPTED = 130


def _definitions(region: str) -> list[TaskDefinition]:
    """One task of each type, with mixed CutoffBehavior (one left unset)."""
    from .. import (
        AutomationParameters,
        CutoffBehavior,
        LambdaParameters,
        RunCommandParameters,
        StepFunctionsParameters,
        Target,
        TaskDefinition,
    )

    return [
        TaskDefinition(
            name="patch-linux",
            task_arn="AWS-RunShellScript",
            task_invocation_parameters=RunCommandParameters(
                parameters={"commands": ("yum -y update",)}, timeout_seconds=600
            ),
            targets=(Target.instances("i-0123456789abcdef0", "i-0fedcba9876543210"),),
            max_concurrency="50%",
            max_errors="1",
            priority=1,
            cutoff_behavior=CutoffBehavior.CONTINUE_TASK,
        ),
        TaskDefinition(
            name="restart-nodes",
            task_arn="AWS-RestartEC2Instance",
            task_invocation_parameters=AutomationParameters(
                document_version="$DEFAULT", parameters={"InstanceId": ("{{RESOURCE_ID}}",)}
            ),
            priority=2,
            cutoff_behavior=CutoffBehavior.CANCEL_TASK,
        ),
        TaskDefinition(
            name="nightly-report",
            task_arn=f"arn:aws:states:{region}:{_ACCOUNT}:stateMachine:nightly-report",
            task_invocation_parameters=StepFunctionsParameters(
                input='{"report": "nightly"}', name="nightly-report-run"
            ),
            priority=3,
            cutoff_behavior=CutoffBehavior.CONTINUE_TASK,
        ),
        TaskDefinition(
            name="rotate-logs",
            task_arn=f"arn:aws:lambda:{region}:{_ACCOUNT}:function:rotate-logs",
            task_invocation_parameters=LambdaParameters(
                payload=b'{"days": 7}', qualifier="$LATEST"
            ),
            priority=4,
        ),
    ]


def _step(out: Console, title: str) -> None:
    out.print()
    out.print(title, style="bold cyan", markup=False)


async def _list_by_page(
    mw: MaintenanceWindowClient, window_id: str, out: Console
) -> list[MaintenanceWindowTask]:
    found: list[MaintenanceWindowTask] = []
    paginator = mw.paginate_maintenance_window_tasks(window_id, page_size=_DEMO_PAGE_SIZE)
    number = 0
    async for page in paginator.pages():
        number += 1
        found.extend(page.tasks)
        more = "more to come" if page.next_token else "the last page"
        out.print(f"  page {number}: {len(page.tasks)} tasks ({more})")
    return found


async def _run_demo(server: EmbeddedSSMServer, out: Console, err: Console) -> None:
    from .. import CutoffBehavior, MaintenanceWindowClient
    from ._cutoff import apply_cutoff
    from ._render import task_details_table, tasks_table

    target = CutoffBehavior.CANCEL_TASK
    out.print(
        f"[bold]ssm-mw demo[/bold]: the embedded SSM backend at {server.endpoint_url} "
        f"({server.region_name}); no AWS account needed."
    )
    _step(out, "1. Create a maintenance window")
    window_id = server.create_maintenance_window(name="ssm-mw-demo")
    out.print(f"  {window_id}")
    async with MaintenanceWindowClient(
        region_name=server.region_name,
        endpoint_url=server.endpoint_url,
        session=server.aio_session(),
    ) as mw:
        _step(out, "2. Register one task of each type")
        for definition in _definitions(server.region_name):
            task_id = await mw.register_task_with_maintenance_window(window_id, definition)
            cutoff = definition.cutoff_behavior or "(not set)"
            line = f"  {definition.task_type.value:<15} {task_id}  CutoffBehavior {cutoff}"
            out.print(line, markup=False)

        _step(out, f"3. List them, page by page (page size {_DEMO_PAGE_SIZE})")
        before = await _list_by_page(mw, window_id, out)
        out.print(tasks_table(before, f"Before: tasks of {window_id}", out))

        _step(out, "4. Get one task in full")
        lambda_task = next(t for t in before if t.task_type == "LAMBDA")
        details = await mw.get_maintenance_window_task(window_id, lambda_task.window_task_id)
        out.print(task_details_table(details))

        _step(
            out, f"5. Set CutoffBehavior {target.value} on every task (the code path of set-cutoff)"
        )
        report = await apply_cutoff(mw, [window_id], target, concurrency=4, out=out, err=err)

        _step(out, "6. List them again")
        after = [t async for t in mw.paginate_maintenance_window_tasks(window_id)]
        out.print(tasks_table(after, f"After: tasks of {window_id}", out))
        wrong = [t.window_task_id for t in after if t.cutoff_behavior != target]
        if not report.ok or wrong or len(after) != len(before):
            raise CliError(f"the demo did not end as expected (tasks not switched: {wrong})")
        await _declare(mw, window_id, server.region_name, out, err)
    fanned = await _fan_out(server, out, err)
    out.print(
        f"Done: {len(report.changed)} changed by set-cutoff, then a plan applied, then "
        f"{fanned} changed across accounts and Regions."
    )
    out.print("Next: `ssm-mw serve` runs this backend for your own commands.")


async def _declare(
    mw: MaintenanceWindowClient, window_id: str, region: str, out: Console, err: Console
) -> None:
    """Steps 7 to 9: export the window, change the desired state, plan, apply, plan again."""
    from .. import DesiredState, LambdaParameters, TaskDefinition, export_tasks, plan_tasks
    from ._apply import run_apply, show_report
    from ._plan import show_plan, summary_line

    _step(out, "7. Export the window as a desired state (the code path of `ssm-mw export`)")
    exported = await export_tasks(mw, [window_id])
    tasks = dict(exported.desired.windows[window_id])
    out.print(f"  {len(tasks)} named tasks: {', '.join(tasks)}", markup=False)

    _step(out, "8. Change it (a priority, a new task) and plan (the code path of `ssm-mw plan`)")
    tasks["patch-linux"] = attrs.evolve(tasks["patch-linux"], priority=5)
    tasks["notify-team"] = TaskDefinition(
        task_arn=f"arn:aws:lambda:{region}:{_ACCOUNT}:function:notify-team",
        task_invocation_parameters=LambdaParameters(payload=b'{"channel": "ops"}'),
        priority=9,
    )
    plan = await plan_tasks(mw, DesiredState(windows={window_id: tasks}))
    show_plan(plan, out)

    _step(out, "9. Apply it (the code path of `ssm-mw apply --yes`), then plan again")
    applied = await run_apply(mw, plan, concurrency=4, err=err)
    show_report(applied, out)
    again = await plan_tasks(mw, DesiredState(windows={window_id: tasks}))
    out.print(summary_line(again), markup=False)
    if not applied.ok or again.has_changes:
        raise CliError("the demo did not end as expected (the plan did not converge)")


#: The demo organization: member accounts, and the Region beside the server's.
_ORG_ACCOUNTS, _OTHER_REGION = 3, "eu-west-1"


async def _fan_out(server: EmbeddedSSMServer, out: Console, err: Console) -> int:
    """Step 10: an organization of 3 accounts x 2 Regions, a window named ``patching`` in
    each; list the windows, then set CutoffBehavior on their tasks by window name."""
    from .. import (
        CutoffBehavior,
        LambdaParameters,
        Scope,
        ScopedClients,
        TaskDefinition,
        WindowSelection,
        list_windows,
    )
    from ._cutoff import apply_cutoff

    _step(out, "10. Across accounts and Regions (the code paths of `--organization`)")
    regions = [server.region_name, _OTHER_REGION]
    if server.region_name == _OTHER_REGION:  # pragma: no cover - the demo's server is us-east-1
        regions = [server.region_name]
    org = server.create_organization(_ORG_ACCOUNTS, regions=regions, windows_per_region=0)
    for account in org.account_ids:
        for region in regions:
            server.create_maintenance_window("patching", account_id=account, region=region)
    scope = Scope(organization=True, role_name=org.role_name, regions=regions)
    out.print(
        f"  an Organization of {len(org.account_ids)} member accounts, reached by assuming "
        f"role {org.role_name}; a window named 'patching' in each of {', '.join(regions)}",
        markup=False,
    )
    async with ScopedClients(
        scope,
        session=server.aio_session(),
        region_name=server.region_name,
        endpoint_url=server.endpoint_url,
    ) as reach:
        for target in reach.targets:
            if target.account == server.account_id:
                continue  # the management account has no 'patching' window
            mw = await reach.client(target)
            (window,) = [w async for w in mw.paginate_maintenance_windows()]
            for n in (1, 2):
                definition = TaskDefinition(
                    name=f"patch-{n}",
                    task_arn=f"arn:aws:lambda:{target.region}:{target.account}:function:p{n}",
                    task_invocation_parameters=LambdaParameters(),
                    cutoff_behavior=CutoffBehavior.CONTINUE_TASK,
                )
                await mw.register_task_with_maintenance_window(window.window_id, definition)
        found = await list_windows(reach, names=["patching"])
        for summary in found.windows:
            out.print(
                f"  {summary.target.account} {summary.target.region:<10} "
                f"{summary.window.window_id} {summary.window.name} ({summary.task_count} tasks)",
                markup=False,
            )
    members = Scope(accounts=org.account_ids, role_name=org.role_name, regions=regions)
    async with ScopedClients(
        members,
        session=server.aio_session(),
        region_name=server.region_name,
        endpoint_url=server.endpoint_url,
    ) as reach:
        report = await apply_cutoff(
            reach,
            WindowSelection.named("patching"),
            CutoffBehavior.CANCEL_TASK,
            concurrency=16,
            out=out,
            err=err,
        )
    if not report.ok or len(report.changed) != 2 * len(found.windows):
        raise CliError("the demo did not end as expected (the fan-out did not change every task)")
    return len(report.changed)


@click.command(cls=SingleValueCommand)
def demo() -> None:
    """Show the library at work on the embedded backend; needs no AWS account.

    Creates a window, registers one task of each type with mixed
    CutoffBehavior, lists them page by page, gets one, switches CutoffBehavior
    on all of them (the code path of set-cutoff), and prints tables from before
    and after. Then exports the window, changes the desired state, shows the
    plan and applies it (the code paths of export, plan and apply). Last, it
    makes an Organization of 3 accounts with a window named 'patching' in 2
    Regions each, and switches their tasks by window name across all of them
    (the code paths of the scope options). Global options are not used.
    """
    from ..testing import EmbeddedSSMServer

    out, err = console(), console(stderr=True)
    with EmbeddedSSMServer() as server:
        run_async(_run_demo(server, out, err))


if TYPE_CHECKING:
    _ParamType = click.ParamType[Any]
else:  # click < 8.5: ParamType is not generic
    _ParamType = click.ParamType


class _OptionType(_ParamType):
    """A ``SERVE_OPTIONS`` value, parsed (and refused) as ``python -m ssm_mw.testing`` does."""

    def __init__(self, option: ServeOption) -> None:
        self.option = option
        self.name = "integer" if option.kind == "int" else "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return self.option.parse(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _click_option(option: ServeOption) -> click.Option:
    """One of ``SERVE_OPTIONS`` as a click option; ``--windows`` makes one window unless
    told otherwise, and ``--region`` defaults to the global one."""
    default = 1 if option.dest == "windows" else option.default
    keywords: dict[str, Any] = {"help": option.help, "default": default}
    if option.kind == "flag":
        keywords["is_flag"] = True
    else:
        keywords["metavar"] = option.metavar
        keywords["show_default"] = default is not None
    if option.kind in ("int", "positive"):
        keywords["type"] = _OptionType(option)
    if option.dest == "region":
        keywords.update(default=None, show_default=False)
        keywords["help"] += " [default: --region before the command, or us-east-1]"
    return click.Option([option.flag, option.dest], **keywords)


class _ServeCommand(SingleValueCommand):
    """``serve``, whose options are ``python -m ssm_mw.testing``'s (``SERVE_OPTIONS``), read
    from ``ssm_mw.testing`` when first needed: listing the commands does not import it."""

    _options_added = False

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        if not self._options_added:
            from ..testing import SERVE_OPTIONS

            self.params[:0] = [_click_option(option) for option in SERVE_OPTIONS]
            self._options_added = True
        return super().get_params(ctx)


@click.command(cls=_ServeCommand)
@click.pass_obj
def serve(settings: Settings, /, **options: Any) -> None:
    """Run the embedded SSM backend in the foreground until Ctrl+C (or SIGTERM).

    Prints its endpoint (and the ids of the windows it created): point any
    command at it with --endpoint-url and --region, with any credentials.
    Takes the options of `python -m ssm_mw.testing`. Exits 130 after Ctrl+C
    (SIGINT), as every interrupted command does, and 0 after SIGTERM.
    """
    from ..testing import ServeUsageError, start_served

    options["region"] = options["region"] or settings.region or "us-east-1"
    region, host, port = options["region"], options["host"], options["port"]
    stop = threading.Event()
    received: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        stop.set()

    try:
        server, ids = start_served(options)
    except ServeUsageError as exc:
        raise CliUsageError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        click.echo(f"endpoint: {server.endpoint_url}")
        click.echo(f"region:   {region}")
        for window_id in ids:
            click.echo(f"window:   {window_id}")
        organization = server.organization
        if organization is not None:  # --org-accounts: its units, accounts and windows
            for line in organization.lines():
                kind, _, rest = line.partition(" ")
                click.echo(f"{kind + ':':<13} {rest}")
        example = ids[0] if ids else "WINDOW_ID"
        click.echo(
            "try:      AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing "
            f"ssm-mw --endpoint-url {server.endpoint_url} --region {region} tasks list {example}"
        )
        click.echo("Serving; press Ctrl+C to stop.", err=True)
        while not stop.wait(0.2):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.stop()
    if received and received[0] == signal.SIGINT:
        click.echo("Stopped (interrupted).", err=True)
        raise click.exceptions.Exit(_EXIT_INTERRUPTED)
    click.echo("Stopped.", err=True)
