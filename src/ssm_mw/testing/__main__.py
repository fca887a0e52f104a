"""Run the embedded SSM backend on its own: ``python -m ssm_mw.testing --port N``.

Prints the endpoint URL on one line, then serves until SIGINT or SIGTERM and
exits 0.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from ._backend import DEFAULT_MAX_TASKS_PER_WINDOW
from ._server import EmbeddedSSMServer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ssm_mw.testing",
        description="Serve the embedded SSM maintenance-window backend (moto, extended).",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--region", default="us-east-1", help="Region to report (us-east-1)")
    parser.add_argument(
        "--max-tasks-per-window",
        type=int,
        default=DEFAULT_MAX_TASKS_PER_WINDOW,
        help=f"task limit per window (default {DEFAULT_MAX_TASKS_PER_WINDOW})",
    )
    parser.add_argument("--log-requests", action="store_true", help="log each request to stderr")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGINT or SIGTERM; return the exit status."""
    args = _parser().parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    server = EmbeddedSSMServer(
        region_name=args.region,
        host=args.host,
        port=args.port,
        max_tasks_per_window=args.max_tasks_per_window,
        log_requests=args.log_requests,
    )
    try:
        server.start()
    except OSError as exc:
        print(f"error: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    try:
        print(server.endpoint_url, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
