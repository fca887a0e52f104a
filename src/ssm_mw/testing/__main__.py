"""Run the embedded SSM backend on its own: ``python -m ssm_mw.testing --port N``.

Its options are :data:`~ssm_mw.testing.SERVE_OPTIONS`, the same as ``ssm-mw
serve``'s: ``--throttle RATE`` rate-limits requests (a token bucket, requests a
second; see :meth:`EmbeddedSSMServer.throttle`), for all operations or, with
``--throttle-operation``, one, and with ``--throttle-scope ACCOUNT/REGION`` the
requests of one account and Region; ``--windows N`` creates empty windows;
``--org-accounts N`` an organization of N member accounts, with ``--org-windows``
windows in each of ``--org-regions``. Prints the endpoint URL on one line,
then each created window's id on a line of its own, then the organization's
lines (:meth:`Organization.lines`: ``organization …``, ``unit …``, ``account …``,
``window <account> <region> mw-…``), then serves until SIGINT or SIGTERM and
exits 0.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Any

from ._serve import SERVE_OPTIONS, ServeOption, ServeUsageError, start_served


def _parse(option: ServeOption) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            return option.parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ssm_mw.testing",
        description="Serve the embedded SSM maintenance-window backend (moto, extended).",
    )
    for option in SERVE_OPTIONS:
        shown = "" if option.default in (None, False) else f" (default: {option.default})"
        keywords: dict[str, Any] = {"help": option.help + shown, "dest": option.dest}
        if option.kind == "flag":
            parser.add_argument(option.flag, action="store_true", **keywords)
            continue
        keywords.update(default=option.default, metavar=option.metavar or option.dest.upper())
        keywords["type"] = _parse(option)
        parser.add_argument(option.flag, **keywords)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGINT or SIGTERM; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            server, window_ids = start_served(vars(args))
        except ServeUsageError as exc:
            parser.error(str(exc))
        except OSError as exc:
            print(f"error: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
            return 1
        try:
            print(server.endpoint_url, flush=True)
            for window_id in window_ids:
                print(window_id, flush=True)
            if server.organization is not None:
                print("\n".join(server.organization.lines()), flush=True)
            while not stop.wait(0.5):
                pass
        finally:
            server.stop()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
