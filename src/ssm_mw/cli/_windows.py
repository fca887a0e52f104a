"""``ssm-mw windows list``: the windows of every account and Region of a scope."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ._app import (
    EXIT_INTERRUPTED,
    CliUsageError,
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

if TYPE_CHECKING:
    from .. import Scope, WindowsReport

__all__ = ["SCOPE_OPTIONS", "scope_from_options", "windows"]


def _words(value: str | None) -> list[str]:
    return [w.strip() for w in (value or "").split(",") if w.strip()]


def _accounts_file(path: str) -> list[str]:
    """One account id a line; ``#`` starts a comment; blank lines are skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CliUsageError(f"--accounts-file: cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CliUsageError(f"--accounts-file: {path} is not UTF-8 text") from None
    return [
        line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()
    ]


def scope_from_options(options: dict[str, Any]) -> Scope:
    """The :class:`~ssm_mw.Scope` of the scope options; a usage error naming the option."""
    from .. import Scope, ValidationError

    accounts = _words(options.get("accounts"))
    if options.get("accounts_file"):
        if accounts:
            raise CliUsageError("--accounts-file: give --accounts or --accounts-file, not both")
        accounts = _accounts_file(str(options["accounts_file"]))
    names = {
        "regions": "--regions",
        "accounts": "--accounts",
        "organization": "--organization",
        "ous": "--ou",
        "profiles": "--profiles",
        "role_name": "--role-name",
        "external_id": "--external-id",
        "role_session_name": "--role-session-name",
        "shard": "--shard",
    }
    try:
        return Scope(
            regions=_words(options.get("regions")),
            accounts=accounts,
            organization=bool(options.get("organization")),
            ous=list(options.get("ous") or ()),
            profiles=_words(options.get("profiles")),
            role_name=options.get("role_name"),
            external_id=options.get("external_id"),
            role_session_name=options.get("role_session_name") or "ssm-mw",
            shard=options.get("shard"),
        )
    except ValidationError as exc:
        lines = []
        for v in exc.violations:
            head, _, rest = v.path.partition("[")
            where = names.get(head, head) + (f"[{rest}" if rest else "")
            lines.append(f"{where}: {v.message}")
        raise CliUsageError("; ".join(lines)) from None


#: The options that name a scope: accounts, Regions, how to reach them, a shard.
SCOPE_OPTIONS = (
    click.option(
        "--regions", metavar="R1,R2", help="Regions (default: --region, or the profile's)."
    ),
    click.option("--accounts", metavar="A1,A2", help="Account ids (reached with --role-name)."),
    click.option(
        "--accounts-file",
        metavar="FILE",
        type=click.Path(dir_okay=False),
        help="Account ids, one a line (# comments).",
    ),
    click.option(
        "--organization",
        is_flag=True,
        help="Every ACTIVE account of the Organization (with --role-name).",
    ),
    click.option(
        "--ou",
        "ous",
        multiple=True,
        metavar="OU_ID",
        help="With --organization: only the accounts under this OU, nested ones too (repeatable).",
    ),
    click.option("--role-name", metavar="NAME", help="Assume arn:aws:iam::ACCOUNT:role/NAME."),
    click.option("--external-id", metavar="ID", help="The ExternalId of --role-name."),
    click.option("--role-session-name", metavar="NAME", help="The session name (default ssm-mw)."),
    click.option("--profiles", metavar="P1,P2", help="Named profiles, one per account."),
    click.option("--shard", metavar="K/N", help="Only shard K of N of the account-Region pairs."),
)


def _scope_options(command: Any) -> Any:
    for option in reversed(SCOPE_OPTIONS):
        command = option(command)
    return command


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
@_scope_options
@global_options
@click.pass_obj
def list_command(
    settings: Settings, /, names: tuple[str, ...], output: str, concurrency: int, **options: Any
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
    from .. import ScopedClients, list_windows

    scope = scope_from_options(options)

    async def run() -> WindowsReport | None:
        try:
            with ctrl_c_cancels():
                async with ScopedClients(
                    scope,
                    profile_name=settings.profile,
                    region_name=settings.region,
                    endpoint_url=settings.endpoint_url,
                    max_attempts=settings.max_attempts,
                    connect_timeout=settings.connect_timeout,
                    read_timeout=settings.read_timeout,
                ) as reach:
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
