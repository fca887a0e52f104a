"""The ``ssm-mw`` command line (the ``cli`` extra: click, rich, PyYAML).

``main`` is the console script; ``cli`` is the click group, for embedding or
testing with ``click.testing.CliRunner``. See ``docs/cli.md``.

Importing it imports click and the command tree only: the client (aiobotocore),
rich and PyYAML are imported by the commands that use them, when they run, so
``ssm-mw --help``, ``ssm-mw CMD --help`` and shell completion answer quickly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

from ._app import cli
from ._apply import apply_command
from ._completion import completion
from ._cutoff import set_cutoff
from ._demo import demo, serve
from ._export import export_command
from ._plan import plan_command
from ._tasks import tasks

__all__ = ["cli", "main"]

cli.add_command(demo)
cli.add_command(tasks)
cli.add_command(set_cutoff)
cli.add_command(serve)
cli.add_command(plan_command)
cli.add_command(apply_command)
cli.add_command(export_command)
cli.add_command(completion)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run ``ssm-mw`` with ``argv`` (default: ``sys.argv[1:]``) and exit with its status.

    Exit status: 0 on success, 1 when an operation failed (a service or
    transport error, or a failed task), 2 for bad input (usage or validation).
    """
    cli.main(args=argv, prog_name="ssm-mw")
    raise SystemExit(0)  # pragma: no cover - cli.main always exits in standalone mode
