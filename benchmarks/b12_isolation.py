"""B12, isolation: one account-Region throttled hard does not hold up the others.

B11's organization (10 member accounts x 2 Regions, 3 windows of 10 tasks in
each account-Region, every account-Region throttled on its own at 10 updates
a second), on the embedded backend in a process of its own. ssm-mw's
organization-wide ``set_cutoff_behavior`` (``concurrency=64``,
``per_target_concurrency=8``) runs twice, interleaved:

* **with a hard pair**: the scope's first account-Region (the first to be
  started, so the worst place for a queue) throttled at 2 updates a second,
  the other 19 at 10;
* **without**: all 20 at 10 a second.

The figure is the time, from the run's start (the base credentials, before
any role is assumed), at which all but one account-Region have ended: the
progress callback's ``targets_done`` reaching ``targets_total - 1``. With the
hard pair that is exactly the other 19 (the hard pair cannot end before
``(30 - 2) / 2 = 14`` s). Without it, it is the 19th account-Region to end,
which is no later than the same 19 others: the ratio can only come out
larger than the true one. Target: <= 1.10x (the others finish within 10% of
their time without the hard pair); 0 failed tasks, the hard pair's included.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field

from ssm_mw import CutoffProgress

from ._harness import Result, interleave, median
from ._server_process import RemoteServer
from .b11_organization import SMOKE, STANDARD, Org, make_org, run_ssm_mw, seconds

__all__ = ["HARD_RATE", "run"]

#: The hard pair's limit on updates, a second.
HARD_RATE = 2.0


@dataclass
class _Tally:
    """One contender's runs: when all but one account-Region ended, and when all did."""

    others: list[float] = field(default_factory=lambda: [])
    whole: list[float] = field(default_factory=lambda: [])
    failed: list[int] = field(default_factory=lambda: [])


def _timed(org: Org, tally: _Tally, hard: tuple[str, str] | None) -> float:
    """One run of ssm-mw with (or without) the hard pair; the time the others took."""
    org.throttle(HARD_RATE if hard is not None else org.shape.rate, hard=hard)
    ended: list[float] = []
    start = time.perf_counter()

    def progress(p: CutoffProgress) -> None:
        if p.targets_total and p.targets_done >= p.targets_total - 1 and not ended:
            ended.append(time.perf_counter() - start)

    report = asyncio.run(run_ssm_mw(org, progress))
    whole = time.perf_counter() - start
    failed = org.shape.updates - len(report.changed)
    changed = org.restore()
    assert changed + failed == org.shape.updates, (changed, failed)
    assert ended, "the progress callback never saw all but one account-Region end"
    tally.others.append(ended[0])
    tally.whole.append(whole)
    tally.failed.append(failed)
    return ended[0]


def run(*, smoke: bool) -> list[Result]:
    """Run the organization with and without a hard-throttled pair, interleaved."""
    shape, rounds = (SMOKE, 1) if smoke else (STANDARD, 3)
    with_hard, without = _Tally(), _Tally()
    with RemoteServer() as server, make_org(server, shape) as org:
        hard = org.pairs[0]
        interleave(
            [lambda: _timed(org, with_hard, hard), lambda: _timed(org, without, None)], rounds
        )
    if not smoke:
        assert max(with_hard.failed + without.failed) == 0, (with_hard.failed, without.failed)
    tasks = shape.windows * shape.tasks
    notes = (
        f"with the hard pair: the other {shape.pairs - 1} ended at {seconds(with_hard.others)} s, "
        f"the whole run (the hard pair's {tasks} tasks at {HARD_RATE:g}/s) took "
        f"{seconds(with_hard.whole)} s; without: all but one ended at {seconds(without.others)} s, "
        f"all at {seconds(without.whole)} s "
        f"(ratio to all: {statistics.median(with_hard.others) / median(without.whole):.3f}x); "
        f"failed tasks {with_hard.failed} / {without.failed}"
    )
    return [
        Result(
            name="B12 isolation of a throttled pair",
            description=(
                f"set_cutoff_behavior over {shape.accounts} accounts x {len(shape.regions)} "
                f"Regions x {shape.windows} windows x {shape.tasks} tasks at {shape.rate:g} "
                f"updates/s per account-Region: the other {shape.pairs - 1} with one "
                f"account-Region at {HARD_RATE:g}/s vs without it"
            ),
            ours=median(with_hard.others),
            baseline=median(without.others),
            unit="s",
            target=1.10,
            rounds=rounds,
            ours_samples=with_hard.others,
            baseline_samples=without.others,
            notes=notes,
        )
    ]
