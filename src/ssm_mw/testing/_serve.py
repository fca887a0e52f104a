"""The options of a served backend, one set for ``python -m ssm_mw.testing`` and ``ssm-mw serve``.

:data:`SERVE_OPTIONS` describes each option once (flag, type, default, help);
each command line builds its parser from it (argparse here, click in the
CLI), and :func:`start_served` turns the parsed values into a running
:class:`EmbeddedSSMServer`, so both commands accept and mean the same.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ._backend import DEFAULT_MAX_TASKS_PER_WINDOW
from ._server import EmbeddedSSMServer, check_region

__all__ = ["SERVE_OPTIONS", "ServeOption", "ServeUsageError", "start_served"]

_MAX_WINDOWS = 100
_MAX_ACCOUNTS = 1000


class ServeUsageError(ValueError):
    """A value, or a combination of options, that cannot be served; names the option."""


def _positive(text: str) -> float:
    """A finite number > 0 (a rate, a burst); :class:`ValueError` otherwise."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"expected a number > 0, got {text!r}")
    return value


@attrs.frozen(kw_only=True)
class ServeOption:
    """One option of a served backend: ``--flag``, its value's kind, default and help."""

    flag: str
    #: ``int`` (with ``low``..``high``), ``positive`` (a number > 0), ``str``, or ``flag``.
    kind: Literal["int", "positive", "str", "flag"]
    default: Any
    help: str
    metavar: str | None = None
    low: int = 0
    high: int | None = None

    @property
    def dest(self) -> str:
        """The option's name as a Python identifier (``max_tasks_per_window``)."""
        return self.flag.lstrip("-").replace("-", "_")

    def parse(self, text: str) -> Any:
        """The value of ``text`` given to the option; :class:`ValueError` saying why not."""
        if self.kind == "positive":
            return _positive(text)
        if self.kind == "int":
            try:
                value = int(text)
            except ValueError:
                raise ValueError(f"expected an integer, got {text!r}") from None
            if value < self.low or (self.high is not None and value > self.high):
                top = "" if self.high is None else f" and <= {self.high}"
                raise ValueError(f"expected an integer >= {self.low}{top}, got {value}")
            return value
        return text


#: The options of a served backend, in the order ``--help`` lists them.
SERVE_OPTIONS: tuple[ServeOption, ...] = (
    ServeOption(
        flag="--port",
        kind="int",
        default=0,
        help="Port to listen on (0: any free port).",
        metavar="PORT",
        high=65535,
    ),
    ServeOption(
        flag="--host", kind="str", default="127.0.0.1", help="Address to bind.", metavar="ADDRESS"
    ),
    ServeOption(
        flag="--region",
        kind="str",
        default="us-east-1",
        help="Region the backend reports.",
        metavar="REGION",
    ),
    ServeOption(
        flag="--windows",
        kind="int",
        default=0,
        help="Empty maintenance windows to create at start (their ids are printed).",
        metavar="N",
        high=_MAX_WINDOWS,
    ),
    ServeOption(
        flag="--max-tasks-per-window",
        kind="int",
        default=DEFAULT_MAX_TASKS_PER_WINDOW,
        help="The quota of tasks per window (the service's default).",
        metavar="N",
        low=1,
    ),
    ServeOption(
        flag="--throttle",
        kind="positive",
        default=None,
        help="Refuse requests beyond RATE a second with ThrottlingException (default: no limit).",
        metavar="RATE",
    ),
    ServeOption(
        flag="--throttle-burst",
        kind="positive",
        default=None,
        help="Requests the limit lets through at once (default: one second's worth).",
        metavar="N",
    ),
    ServeOption(
        flag="--throttle-operation",
        kind="str",
        default=None,
        help="Limit only this operation, e.g. UpdateMaintenanceWindowTask (default: all).",
        metavar="OPERATION",
    ),
    ServeOption(
        flag="--throttle-scope",
        kind="str",
        default=None,
        help="Limit only the requests of this account and Region, '*' for any, "
        "e.g. 123456789012/eu-west-1 or */eu-west-1 (default: all).",
        metavar="ACCOUNT/REGION",
    ),
    ServeOption(
        flag="--org-accounts",
        kind="int",
        default=0,
        help="Create an organization of N member accounts, managed by the server's account "
        "(printed, with their windows, after the endpoint).",
        metavar="N",
        high=_MAX_ACCOUNTS,
    ),
    ServeOption(
        flag="--org-regions",
        kind="str",
        default=None,
        help="Regions of the organization's windows, comma-separated (default: --region).",
        metavar="REGION,...",
    ),
    ServeOption(
        flag="--org-windows",
        kind="int",
        default=1,
        help="Empty maintenance windows per member account and Region.",
        metavar="K",
        high=_MAX_WINDOWS,
    ),
    ServeOption(
        flag="--log-requests", kind="flag", default=False, help="Log each request to stderr."
    ),
)


def _scope(text: str | None) -> tuple[str | None, str | None]:
    """``--throttle-scope``'s ``ACCOUNT/REGION`` as (account, Region), ``None`` for ``*``."""
    if text is None:
        return None, None
    account, slash, region = text.partition("/")
    if not slash or not account or not region:
        raise ServeUsageError(
            f"--throttle-scope: expected ACCOUNT/REGION ('*' for any), got {text!r}"
        )
    return (None if account == "*" else account), (None if region == "*" else region)


def _regions(text: str | None) -> list[str] | None:
    """``--org-regions``' comma-separated Regions; ``None`` when not given."""
    if text is None:
        return None
    regions = [r.strip() for r in text.split(",") if r.strip()]
    if not regions:
        raise ServeUsageError(f"--org-regions: expected Regions such as us-east-1, got {text!r}")
    for region in regions:
        try:
            check_region(region)
        except ValueError as exc:
            raise ServeUsageError(f"--org-regions: {exc}") from None
    return regions


def start_served(values: Mapping[str, Any]) -> tuple[EmbeddedSSMServer, list[str]]:
    """A started server for the parsed options (by :attr:`ServeOption.dest`), and the ids of
    the windows it created with ``--windows``.

    With ``--org-accounts N`` the server also has an organization, made by
    :meth:`EmbeddedSSMServer.create_organization`: read it from
    :attr:`EmbeddedSSMServer.organization` (:meth:`Organization.lines` prints it).
    Raises :class:`ServeUsageError` naming the option for a combination that
    cannot be served, and :class:`OSError` when the address cannot be bound.
    """
    given = {o.dest: values.get(o.dest, o.default) for o in SERVE_OPTIONS}
    if given["throttle"] is None:
        for dest in ("throttle_burst", "throttle_operation", "throttle_scope"):
            if given[dest] is not None:
                flag = "--" + dest.replace("_", "-")
                raise ServeUsageError(f"{flag}: needs --throttle RATE")
    if not given["org_accounts"]:
        if given["org_regions"] is not None:
            raise ServeUsageError("--org-regions: needs --org-accounts N")
        if given["org_windows"] != 1:
            raise ServeUsageError("--org-windows: needs --org-accounts N")
    scope_account, scope_region = _scope(given["throttle_scope"])
    org_regions = _regions(given["org_regions"])
    server = EmbeddedSSMServer(
        region_name=given["region"],
        host=given["host"],
        port=given["port"],
        max_tasks_per_window=given["max_tasks_per_window"],
        log_requests=given["log_requests"],
    )
    if given["throttle"] is not None:
        try:
            server.throttle(None, operation=given["throttle_operation"])  # a check; sets nothing
        except ValueError as exc:
            raise ServeUsageError(f"--throttle-operation: {exc}") from None
        try:
            server.throttle(None, account_id=scope_account, region=scope_region)  # a check
        except ValueError as exc:
            raise ServeUsageError(f"--throttle-scope: {exc}") from None
        try:
            server.throttle(
                given["throttle"],
                burst=given["throttle_burst"],
                operation=given["throttle_operation"],
                account_id=scope_account,
                region=scope_region,
            )
        except ValueError as exc:
            raise ServeUsageError(f"--throttle-burst: {exc}") from None
    server.start()
    try:
        ids = [
            server.create_maintenance_window(name=f"window-{i + 1}")
            for i in range(given["windows"])
        ]
        if given["org_accounts"]:
            server.create_organization(
                given["org_accounts"],
                regions=org_regions,
                windows_per_region=given["org_windows"],
            )
    except BaseException:
        server.stop()
        raise
    return server, ids
