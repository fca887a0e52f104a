"""The scope options (accounts, Regions, how to reach them, a shard), before any command or
after it, and the clients of the scope they name.

Each option is accepted by the root group (``ssm-mw --regions R1,R2 set-cutoff ...``)
and by the commands that work across a scope; given after the command, a value
wins over the one given before it. The values are kept in the click context's
``meta`` (shared by the group and its command) until the command asks for its
:func:`scope_of`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ._app import CliUsageError, Settings, check_window_ids

if TYPE_CHECKING:
    from .. import Scope, ScopedClients

__all__ = [
    "SCOPE_OPTIONS",
    "add_scope_options",
    "chosen_windows",
    "concurrency_options",
    "open_reach",
    "scope_given",
    "scope_of",
    "scope_options",
    "window_options",
    "window_selection",
]

F = TypeVar("F", bound=Callable[..., Any])

_META = "ssm_mw.scope"

#: Each scope option: its flag, the Scope field it sets, and click's settings.
_SPECS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "--regions",
        "regions",
        {"metavar": "R1,R2", "help": "Regions (default: --region, or the profile's)."},
    ),
    ("--accounts", "accounts", {"metavar": "A1,A2", "help": "Account ids (with --role-name)."}),
    (
        "--accounts-file",
        "accounts_file",
        {
            "metavar": "FILE",
            "type": click.Path(dir_okay=False),
            "help": "Account ids, one a line (# comments).",
        },
    ),
    (
        "--organization",
        "organization",
        {"is_flag": True, "help": "Every ACTIVE account of the Organization (with --role-name)."},
    ),
    (
        "--ou",
        "ous",
        {
            "multiple": True,
            "metavar": "OU_ID",
            "help": "With --organization: only accounts under this OU, nested ones too "
            "(repeatable).",
        },
    ),
    ("--role-name", "role_name", {"metavar": "NAME", "help": "Assume this role in each account."}),
    ("--external-id", "external_id", {"metavar": "ID", "help": "The ExternalId of --role-name."}),
    (
        "--role-session-name",
        "role_session_name",
        {"metavar": "NAME", "help": "The role's session name (default ssm-mw)."},
    ),
    ("--profiles", "profiles", {"metavar": "P1,P2", "help": "Named profiles, one per account."}),
    ("--shard", "shard", {"metavar": "K/N", "help": "Only shard K of N of the account-Regions."}),
)

#: The flag of each Scope field, for error messages.
_FLAGS = {field: flag for flag, field, _ in _SPECS}


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """Keep a scope option's value given here (the command's wins over the group's)."""
    if value is None or value is False or value == ():
        return
    given: dict[str, Any] = ctx.meta.setdefault(_META, {})
    given[param.name or ""] = value


def _options() -> list[click.Option]:
    return [
        click.Option([flag, field], expose_value=False, callback=_remember, **kwargs)
        for flag, field, kwargs in _SPECS
    ]


#: The scope options' flags, in the order of ``--help``.
SCOPE_OPTIONS = tuple(flag for flag, _, _ in _SPECS)


def scope_options(command: F) -> F:
    """Accept the scope options on a command (after it; they win over those before it)."""
    for flag, field, kwargs in reversed(_SPECS):
        option = click.option(flag, field, expose_value=False, callback=_remember, **kwargs)
        command = option(command)
    return command


def add_scope_options(group: click.Group) -> None:
    """Accept the scope options before any command of ``group``."""
    group.params.extend(_options())


def scope_given(ctx: click.Context) -> bool:
    """Whether any scope option was given (before or after the command)."""
    return bool(ctx.meta.get(_META))


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
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def scope_of(ctx: click.Context, base: Scope | None = None) -> Scope:
    """The :class:`~ssm_mw.Scope` of the options given, over ``base`` (a desired-state
    file's ``scope:``): a field given on the command line wins. A usage error names the
    option."""
    import attrs

    from .. import Scope, ValidationError

    given: dict[str, Any] = dict(ctx.meta.get(_META, {}))
    fields: dict[str, Any] = {}
    if "regions" in given:
        fields["regions"] = _words(given["regions"])
    if "accounts_file" in given:
        if "accounts" in given:
            raise CliUsageError("--accounts-file: give --accounts or --accounts-file, not both")
        fields["accounts"] = _accounts_file(str(given["accounts_file"]))
    elif "accounts" in given:
        fields["accounts"] = _words(given["accounts"])
    if "profiles" in given:
        fields["profiles"] = _words(given["profiles"])
    for name in ("organization", "role_name", "external_id", "role_session_name", "shard"):
        if name in given:
            fields[name] = given[name]
    if "ous" in given:
        fields["ous"] = list(given["ous"])
    if base is not None and any(k in fields for k in ("accounts", "organization", "profiles")):
        # The command line names the accounts: the file's way of naming them gives way.
        base = attrs.evolve(base, accounts=(), organization=False, ous=(), profiles=())
        if "profiles" in fields:
            base = attrs.evolve(base, role_name=None, external_id=None)
    try:
        return attrs.evolve(base, **fields) if base is not None else Scope(**fields)
    except ValidationError as exc:
        lines = []
        for v in exc.violations:
            head, _, rest = v.path.partition("[")
            where = _FLAGS.get(head, head) + (f"[{rest}" if rest else "")
            lines.append(f"{where}: {v.message}")
        raise CliUsageError("; ".join(lines)) from None


def window_selection(names: tuple[str, ...], all_windows: bool) -> Any:
    """The :class:`~ssm_mw.WindowSelection` of ``--window-name`` / ``--all-windows``
    (``None`` if neither); a usage error names the option."""
    from .. import ValidationError, WindowSelection

    if names and all_windows:
        raise CliUsageError("--all-windows: give --all-windows or --window-name, not both")
    if all_windows:
        return WindowSelection.all()
    if not names:
        return None
    try:
        return WindowSelection.named(*names)
    except ValidationError as exc:
        v = exc.violations[0]
        raise CliUsageError(f"--window-name: {v.message}") from None


def window_options(command: F) -> F:
    """``[WINDOW_ID]...``, ``--window-name`` and ``--all-windows`` (the windows of a command
    that works across a scope), and its :func:`concurrency_options`."""
    decorators = (
        click.argument("window_ids", nargs=-1, metavar="[WINDOW_ID]..."),
        click.option(
            "--window-name",
            "window_names",
            multiple=True,
            metavar="NAME",
            help="The window of this name in each account and Region (repeatable).",
        ),
        click.option(
            "--all-windows", is_flag=True, help="Every window of each account and Region."
        ),
    )
    for decorator in reversed(decorators):
        command = decorator(command)
    return concurrency_options(command)


def concurrency_options(command: F) -> F:
    """``--concurrency`` (overall: 8 on one client, 64 across a scope) and
    ``--per-target-concurrency`` (in each account-Region) of the commands across a scope."""
    overall = click.option(
        "--concurrency",
        type=click.IntRange(min=1),
        metavar="N",
        help="Requests in flight at once, across all windows [default: 8; across a scope, 64].",
    )
    per_target = click.option(
        "--per-target-concurrency",
        type=click.IntRange(min=1),
        default=8,
        show_default=True,
        metavar="N",
        help="Requests in flight at once in each account and Region.",
    )
    return overall(per_target(command))


def chosen_windows(
    ctx: click.Context,
    window_ids: tuple[str, ...],
    window_names: tuple[str, ...],
    all_windows: bool,
) -> tuple[Any, Scope | None]:
    """The windows (``window_ids``, or a :class:`~ssm_mw.WindowSelection`) and the scope
    (``None``: no scope option and no selection, the one client of today) of
    :func:`window_options`; a usage error names the argument or option, before any request."""

    selection = window_selection(window_names, all_windows)
    if selection is not None and window_ids:
        raise CliUsageError("WINDOW_ID: give window ids, or --window-name / --all-windows")
    if selection is None and not window_ids:
        raise CliUsageError("missing WINDOW_ID..., --window-name NAME or --all-windows")
    check_window_ids(window_ids)  # before any client is made: bad input first
    scope = scope_of(ctx) if selection is not None or scope_given(ctx) else None
    if scope is not None and selection is None and not scope.is_single:
        raise CliUsageError(
            "WINDOW_ID: a window id belongs to one account and Region; "
            "across several, give --window-name or --all-windows"
        )
    return (selection if selection is not None else window_ids), scope


def open_reach(settings: Settings, scope: Scope) -> ScopedClients:
    """The :class:`~ssm_mw.ScopedClients` of ``scope`` with the global options."""
    from .. import ScopedClients

    return ScopedClients(
        scope,
        profile_name=settings.profile,
        region_name=settings.region,
        endpoint_url=settings.endpoint_url,
        max_attempts=settings.max_attempts,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
    )
