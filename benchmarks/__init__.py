"""ssm-mw's benchmarks: ``python -m benchmarks`` (``make bench``), ``--smoke`` for CI.

Each benchmark is a small module with ``run(*, smoke: bool) -> list[Result]``;
every figure is a ratio of two contenders measured side by side in one run.
See ``docs/performance.md`` for what each one measures and the latest run, and
``benchmarks/NOTES.md`` for the investigation notes behind the figures.
"""

from __future__ import annotations

__all__ = ["BENCHMARKS"]

#: Benchmark id -> module (imported only when it runs).
BENCHMARKS: dict[str, str] = {
    "B1": "benchmarks.b1_responses",
    "B2": "benchmarks.b2_requests",
    "B3": "benchmarks.b3_end_to_end",
    "B4": "benchmarks.b4_prefetch",
    "B5": "benchmarks.b5_memory",
    "B6": "benchmarks.b6_cold_start",
    "B7": "benchmarks.b7_fleet",
    "B8": "benchmarks.b8_get",
    "B9": "benchmarks.b9_register",
    "B10": "benchmarks.b10_throttled",
    "B11": "benchmarks.b11_organization",
    "B12": "benchmarks.b12_isolation",
    "B13": "benchmarks.b13_cli",
}
