"""``ssm-mw export``: the desired-state file of what is live."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import click

if TYPE_CHECKING:
    from .. import ExportReport
from ._app import (
    Settings,
    SingleValueCommand,
    check_window_ids,
    global_options,
    run_async,
)
from ._plan import CONCURRENCY_OPTION, plan_client
from ._render import console

__all__ = ["export_command", "export_text"]

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


@click.command("export", cls=SingleValueCommand)
@click.argument("window_ids", nargs=-1, required=True, metavar="WINDOW_ID...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="The file's format.",
)
@CONCURRENCY_OPTION
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
    from .. import export_tasks

    check_window_ids(window_ids)  # before any client is made: bad input first

    async def run() -> ExportReport:
        async with plan_client(settings, concurrency) as mw:
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
