"""Run the benchmarks: print a table of medians and ratios, and write it as JSON.

``python -m benchmarks`` runs them all at full size (``make bench``);
``--smoke`` runs tiny sizes only to keep them working (``make bench-smoke``;
the tests run it too): it never fails on a missed target, only on an error.
Without ``--strict`` a full run does not fail on a missed target either: it
reports it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import BENCHMARKS
from ._harness import Result, format_table, write_json

RESULTS = Path(__file__).resolve().parent / "results"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to keep them working")
    parser.add_argument(
        "--only",
        default="",
        help=f"comma-separated benchmark ids to run (of {', '.join(BENCHMARKS)})",
    )
    parser.add_argument("--json", type=Path, default=None, help="where to write the JSON")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a target is missed (full runs)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks; return the exit status."""
    args = _parser().parse_args(argv)
    wanted = [b.strip().upper() for b in args.only.split(",") if b.strip()] or list(BENCHMARKS)
    unknown = [b for b in wanted if b not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    mode = "smoke" if args.smoke else "full"
    results: list[Result] = []
    errors: list[str] = []
    started = time.perf_counter()
    for bench in wanted:
        t0 = time.perf_counter()
        print(f"[{mode}] {bench} ...", end="", flush=True)
        try:
            module = importlib.import_module(BENCHMARKS[bench])
            found: list[Result] = module.run(smoke=args.smoke)
        except Exception:
            print(" ERROR", flush=True)
            traceback.print_exc()
            errors.append(bench)
            continue
        results.extend(found)
        print(f" {time.perf_counter() - t0:.1f} s", flush=True)
    elapsed = time.perf_counter() - started
    print()
    print(format_table(results))
    for r in results:
        if r.notes:
            print(f"  {r.name}: {r.notes}")
    missed = [r.name for r in results if not r.met]
    path = args.json or RESULTS / ("smoke.json" if args.smoke else "latest.json")
    write_json(path, results, smoke=args.smoke, elapsed=elapsed)
    print(f"\n{len(results) - len(missed)}/{len(results)} targets met; JSON: {path}")
    if args.smoke:
        print("(smoke mode: tiny sizes, the ratios mean nothing)")
    if errors:
        print(f"errors in: {', '.join(errors)}", file=sys.stderr)
        return 1
    if missed and args.strict and not args.smoke:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
