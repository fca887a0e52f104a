"""The ``ssm-mw`` command line (the ``cli`` extra: click, rich, PyYAML).

``main`` is the console script; ``cli`` is the click group, for embedding or
testing with ``click.testing.CliRunner``. See ``docs/cli.md``.

Importing it imports click and the command tree only: the client (aiobotocore),
rich and PyYAML are imported by the commands that use them, when they run, so
``ssm-mw --help``, ``ssm-mw CMD --help`` and shell completion answer quickly.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Sequence
from typing import NoReturn

from ._app import cli
from ._apply import apply_command
from ._completion import completion
from ._cutoff import set_cutoff
from ._demo import demo, serve
from ._export import export_command
from ._plan import plan_command
from ._scope import add_scope_options
from ._tasks import tasks
from ._windows import windows

__all__ = ["cli", "main"]

cli.add_command(demo)
cli.add_command(tasks)
cli.add_command(set_cutoff)
cli.add_command(serve)
cli.add_command(plan_command)
cli.add_command(apply_command)
cli.add_command(export_command)
cli.add_command(windows)
cli.add_command(completion)
add_scope_options(cli)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run ``ssm-mw`` with ``argv`` (default: ``sys.argv[1:]``) and exit with its status.

    Exit status: 0 on success, 1 when an operation failed (a service or
    transport error, or a failed task), 2 for bad input (usage or validation).
    """
    _pause_collector(START_UP_SECONDS)
    try:
        cli.main(args=argv, prog_name="ssm-mw")
    finally:
        # The process ends: its last full collection, at interpreter shutdown, would scan
        # every object only to find the few cycles among them, and takes longer than most
        # commands (0.1-0.2 s). Frozen, the objects are left to the end of the process.
        gc.freeze()
    raise SystemExit(0)  # pragma: no cover - cli.main always exits in standalone mode


#: How long the garbage collector is paused when ``ssm-mw`` starts (see :func:`main`).
START_UP_SECONDS = 1.0


def _pause_collector(seconds: float) -> None:
    """Pause the garbage collector for the process's first ``seconds``, then resume it.

    Start-up (importing click, aiobotocore, aiohttp and botocore, reading
    botocore's endpoint data, making the client) allocates a few hundred
    thousand objects that live until the process ends. Run every 700
    allocations, the collector would scan them over and over (some 170
    collections, a tenth of a ``tasks list``) and free none of them. Most
    commands end within the pause; a longer one (a ``set-cutoff`` over many
    windows, ``serve``) gets the collector back after it, with the start-up's
    objects frozen (``gc.freeze``: never scanned again). Only the console script
    does this: ``cli.main()`` called by another program leaves its collector alone.
    The end of :func:`main` freezes every object (a process ending needs no full
    collection, Python's last, at shutdown).
    """
    if not gc.isenabled():
        return
    gc.disable()
    timer = threading.Timer(seconds, _resume_collector)
    timer.daemon = True
    timer.start()


def _resume_collector() -> None:
    gc.freeze()
    gc.enable()
