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
from ._server import EmbeddedSSMServer

__all__ = ["SERVE_OPTIONS", "ServeOption", "ServeUsageError", "start_served"]

_MAX_WINDOWS = 100


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
        flag="--log-requests", kind="flag", default=False, help="Log each request to stderr."
    ),
)


def start_served(values: Mapping[str, Any]) -> tuple[EmbeddedSSMServer, list[str]]:
    """A started server for the parsed options (by :attr:`ServeOption.dest`), and the ids of
    the windows it created.

    Raises :class:`ServeUsageError` naming the option for a combination that
    cannot be served, and :class:`OSError` when the address cannot be bound.
    """
    given = {o.dest: values.get(o.dest, o.default) for o in SERVE_OPTIONS}
    if given["throttle"] is None:
        for dest in ("throttle_burst", "throttle_operation"):
            if given[dest] is not None:
                flag = "--" + dest.replace("_", "-")
                raise ServeUsageError(f"{flag}: needs --throttle RATE")
    server = EmbeddedSSMServer(
        region_name=given["region"],
        host=given["host"],
        port=given["port"],
        max_tasks_per_window=given["max_tasks_per_window"],
        log_requests=given["log_requests"],
    )
    if given["throttle"] is not None:
        try:
            server.throttle(
                given["throttle"],
                burst=given["throttle_burst"],
                operation=given["throttle_operation"],
            )
        except ValueError as exc:
            raise ServeUsageError(f"--throttle-operation: {exc}") from None
    server.start()
    try:
        ids = [
            server.create_maintenance_window(name=f"window-{i + 1}")
            for i in range(given["windows"])
        ]
    except BaseException:
        server.stop()
        raise
    return server, ids
