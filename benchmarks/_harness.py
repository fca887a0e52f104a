"""Measuring and reporting: interleaved repeats, medians, ratios, the table and the JSON.

Every figure is a ratio of two contenders measured side by side in one run:
the contenders alternate (in alternating order) round after round, and each
side's median over the rounds is compared. Absolute times on a shared, noisy
machine mean little; the ratio of two medians taken together means more.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = [
    "Result",
    "environment",
    "format_table",
    "interleave",
    "interleave_async",
    "per_call",
    "write_json",
]


@dataclass
class Result:
    """One benchmark's outcome: two medians, their ratio and the target.

    ``ratio`` is ``ours / baseline`` when ``higher_is_better`` is false (the
    target is a ceiling), and ``baseline / ours`` (a speed-up) when it is true
    (the target is a floor).
    """

    name: str
    description: str
    ours: float
    baseline: float
    unit: str
    target: float
    higher_is_better: bool = False
    rounds: int = 0
    ours_samples: list[float] = field(default_factory=lambda: [])
    baseline_samples: list[float] = field(default_factory=lambda: [])
    notes: str = ""

    @property
    def ratio(self) -> float:
        """The ratio that the target applies to."""
        if self.higher_is_better:
            return self.baseline / self.ours if self.ours else float("inf")
        return self.ours / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool:
        """Whether the ratio meets the target."""
        if self.higher_is_better:
            return self.ratio >= self.target
        return self.ratio <= self.target

    @property
    def target_text(self) -> str:
        """The target as printed: ``<= 0.35x`` or ``>= 8x faster``."""
        if self.higher_is_better:
            return f">= {self.target:g}x faster"
        return f"<= {self.target:g}x"

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: every field plus ratio, target text and met."""
        data = asdict(self)
        data.update(ratio=self.ratio, target_text=self.target_text, met=self.met)
        return data


def per_call(fn: Callable[[], object], number: int) -> float:
    """Seconds per call of ``fn``, over ``number`` calls (garbage collector off, as timeit)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        return (time.perf_counter() - start) / number
    finally:
        if enabled:
            gc.enable()


def interleave(contenders: Sequence[Callable[[], float]], rounds: int) -> list[list[float]]:
    """Run each contender once per round, alternating the order; return each one's samples.

    A contender is a callable that measures itself once and returns the figure.
    Each sample starts from a freshly collected heap, so that the garbage
    collector's full collections, which fall every so many allocations, do
    not land on whichever contender happens to run when the count runs out.
    """
    samples: list[list[float]] = [[] for _ in contenders]
    order = list(range(len(contenders)))
    for r in range(rounds):
        for i in order if r % 2 == 0 else reversed(order):
            gc.collect()
            samples[i].append(contenders[i]())
    return samples


async def interleave_async(
    contenders: Sequence[Callable[[], Awaitable[float]]], rounds: int
) -> list[list[float]]:
    """:func:`interleave` for coroutine functions."""
    samples: list[list[float]] = [[] for _ in contenders]
    order = list(range(len(contenders)))
    for r in range(rounds):
        for i in order if r % 2 == 0 else reversed(order):
            gc.collect()
            samples[i].append(await contenders[i]())
    return samples


def median(values: Iterable[float]) -> float:
    """The median (a thin wrapper, to keep imports short in the benchmarks)."""
    return statistics.median(values)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return "unknown"


def environment() -> dict[str, Any]:
    """The machine and the versions a run ran on."""
    return {
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "packages": {
            name: _version(name)
            for name in (
                "ssm-mw",
                "aiobotocore",
                "botocore",
                "aiohttp",
                "attrs",
                "cattrs",
                "pydantic",
                "pydantic-core",
                "moto",
            )
        },
    }


def _show(value: float, unit: str) -> str:
    if unit == "s":
        if value < 1e-3:
            return f"{value * 1e6:.2f} us"
        if value < 1:
            return f"{value * 1e3:.1f} ms"
        return f"{value:.2f} s"
    if unit == "B":
        if value >= 1 << 20:
            return f"{value / (1 << 20):.2f} MiB"
        return f"{value / 1024:.1f} KiB"
    return f"{value:g} {unit}"


def format_table(results: Sequence[Result]) -> str:
    """A plain-text (and Markdown) table: name, medians, ratio, target, met?"""
    header = ("benchmark", "ours (median)", "baseline (median)", "ratio", "target", "met?")
    rows = [
        (
            r.name,
            _show(r.ours, r.unit),
            _show(r.baseline, r.unit),
            f"{r.ratio:.3f}x",
            r.target_text,
            "yes" if r.met else "NO",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def write_json(path: Path, results: Sequence[Result], *, smoke: bool, elapsed: float) -> None:
    """Write the results, the machine and the run's mode to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "smoke": smoke,
        "elapsed_seconds": elapsed,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "environment": environment(),
        "results": [r.as_dict() for r in results],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")


def run_async(coro: Awaitable[Any]) -> Any:
    """Run a coroutine in a fresh event loop."""

    async def main() -> Any:
        return await coro

    return asyncio.run(main())
