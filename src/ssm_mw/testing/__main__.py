"""Run the embedded SSM backend on its own: ``python -m ssm_mw.testing --port N``.

``--throttle RATE`` rate-limits requests (a token bucket, requests a second;
see :meth:`EmbeddedSSMServer.throttle`), for all operations or, with
``--throttle-operation``, one. Prints the endpoint URL on one line, then
serves until SIGINT or SIGTERM and exits 0.
"""

from __future__ import annotations

import argparse
import math
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
    parser.add_argument(
        "--throttle",
        type=_positive,
        default=None,
        metavar="RATE",
        help="refuse requests beyond RATE a second with ThrottlingException (default: no limit)",
    )
    parser.add_argument(
        "--throttle-burst",
        type=_positive,
        default=None,
        metavar="N",
        help="requests the limit lets through at once (default: one second's worth)",
    )
    parser.add_argument(
        "--throttle-operation",
        default=None,
        metavar="OPERATION",
        help="limit only this operation, e.g. UpdateMaintenanceWindowTask (default: all)",
    )
    parser.add_argument("--log-requests", action="store_true", help="log each request to stderr")
    return parser


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGINT or SIGTERM; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.throttle is None and (args.throttle_burst or args.throttle_operation):
        parser.error("--throttle-burst and --throttle-operation need --throttle RATE")
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
    if args.throttle is not None:
        try:
            server.throttle(
                args.throttle, burst=args.throttle_burst, operation=args.throttle_operation
            )
        except ValueError as exc:
            parser.error(str(exc))
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
