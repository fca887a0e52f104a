"""B11, an organization: ``set_cutoff_behavior`` over 20 account-Regions, each throttled alone.

An organization on the embedded backend (in a process of its own): 10 member
accounts x 2 Regions, 3 windows of 10 tasks in each account-Region (600
tasks, all ``CONTINUE_TASK``), set to ``CANCEL_TASK``. Each account-Region
is throttled on its own for UpdateMaintenanceWindowTask (10 a second, a
bucket of one second's worth, starting full), as AWS throttles each account
in each Region: the sum of the limits is 200 updates a second, a small share
of what the server itself can serve (measured first, unthrottled, and given
in the notes). Three contenders, interleaved, each starting from the base
credentials (every role assumed in the run):

* **ssm-mw**: ``ScopedClients`` over the scope and ``set_cutoff_behavior(reach,
  WindowSelection.all(), "CANCEL_TASK", concurrency=64, per_target_concurrency=8)``;
* **the SRA loop** (the loop AWS's Security Reference Architecture uses):
  accounts one at a time, then Regions one at a time; the role assumed per
  account with boto3; a plain boto3 SSM client in ``standard`` retry mode per
  account-Region; windows and tasks listed, then each task updated, one after
  the other;
* **a botocove-style pool**: a ``ThreadPoolExecutor`` of 20 threads, one job
  per account (the job assumes the role with boto3 STS, then loops over the
  Regions), boto3 clients in ``standard`` retry mode, tasks updated one after
  the other within the job.

Both baselines are written here from that description. ``standard`` retries
give up after 3 attempts: a task whose update is still throttled then fails,
and each baseline counts its own failed tasks (its wall time is reported all
the same). After every run the tasks are set back to ``CONTINUE_TASK``
(unthrottled, not timed), which counts the tasks the run changed: it must
equal the updates the run says succeeded.

Targets: 0 failed tasks; a throughput (tasks / wall time) of at least 85% of
the sum of the limits (aim 95%); the wall time at most 0.25x the SRA loop's
and at most 0.6x the pool's.
"""

from __future__ import annotations

import asyncio
import functools
import os
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ssm_mw import (
    CutoffBehavior,
    CutoffProgress,
    CutoffReport,
    MaintenanceWindowClient,
    Scope,
    ScopedClients,
    WindowSelection,
    set_cutoff_behavior,
)

from ._embedded import populate
from ._harness import Result, interleave, median
from ._server_process import RemoteServer

__all__ = ["SMOKE", "STANDARD", "Org", "Shape", "make_org", "run", "run_ssm_mw", "seconds"]

UPDATE = "UpdateMaintenanceWindowTask"
#: The Region of the base credentials (STS, the default of every client).
HOME = "us-east-1"
#: ssm-mw's settings: requests in flight across all pairs, and per account-Region.
CONCURRENCY, PER_TARGET = 64, 8
#: The pool baseline's threads.
POOL_THREADS = 20


@dataclass(frozen=True)
class Shape:
    """An organization's size and each account-Region's limit."""

    accounts: int
    regions: tuple[str, ...]
    windows: int
    tasks: int
    rate: float

    @property
    def pairs(self) -> int:
        """Account-Regions."""
        return self.accounts * len(self.regions)

    @property
    def updates(self) -> int:
        """Tasks, each updated once per run."""
        return self.pairs * self.windows * self.tasks

    @property
    def limits(self) -> float:
        """The sum over the account-Regions of their limits (updates a second)."""
        return self.pairs * self.rate


STANDARD = Shape(accounts=10, regions=("us-east-1", "eu-west-1"), windows=3, tasks=10, rate=10.0)
SMOKE = Shape(accounts=2, regions=("us-east-1", "eu-west-1"), windows=1, tasks=3, rate=5.0)


@dataclass
class Org:
    """The organization made on a server: its accounts, role and windows.

    Use it as a context manager: it keeps a scope's clients open on an event
    loop of its own, to fill the windows and to set the tasks back between
    runs (:meth:`restore`) without paying for the clients each time.
    """

    server: RemoteServer
    shape: Shape
    accounts: tuple[str, ...]
    role_name: str
    windows: dict[tuple[str, str], tuple[str, ...]]
    _loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    _reach: ScopedClients | None = None

    def __enter__(self) -> Org:
        try:
            self._reach = self._loop.run_until_complete(self.reach().__aenter__())
            self._loop.run_until_complete(self._each(self._fill))
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        reach, self._reach = self._reach, None
        if reach is not None:
            self._loop.run_until_complete(reach.__aexit__(None, None, None))
        self._loop.close()

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """The account-Regions, in the scope's order (accounts, then Regions)."""
        return [(a, r) for a in self.accounts for r in self.shape.regions]

    def scope(self) -> Scope:
        """The scope of every account-Region, reached by the organization's role."""
        return Scope(accounts=self.accounts, regions=self.shape.regions, role_name=self.role_name)

    def reach(self) -> ScopedClients:
        """ssm-mw's clients over the scope, from the base credentials."""
        return ScopedClients(
            self.scope(),
            session=self.server.aio_session(),
            region_name=HOME,
            endpoint_url=self.server.endpoint_url,
        )

    def role_arn(self, account: str) -> str:
        """The role to assume into ``account``."""
        return f"arn:aws:iam::{account}:role/{self.role_name}"

    def throttle(self, rate: float | None, *, hard: tuple[str, str] | None = None) -> None:
        """Each account-Region's own limit on updates (fresh, full buckets); ``None``: none.

        ``hard`` is a pair throttled at ``rate`` while the others get the shape's rate
        (B12)."""
        for account, region in self.pairs:
            limit = rate if hard is None or (account, region) == hard else self.shape.rate
            self.server.throttle(limit, operation=UPDATE, account_id=account, region=region)

    def throttled(self) -> int:
        """Updates refused by the limits so far."""
        return self.server.throttled_count(UPDATE)

    def restore(self) -> int:
        """Unthrottled and not timed: every task back to ``CONTINUE_TASK``; return how many
        had to change (the tasks the last run set to ``CANCEL_TASK``)."""
        self.throttle(None)
        return self.flip(CutoffBehavior.CONTINUE_TASK)

    def flip(self, behavior: CutoffBehavior) -> int:
        """Set every task to ``behavior`` on the clients kept open (ssm-mw on each client,
        every account-Region at once); return how many tasks changed."""

        async def one(mw: MaintenanceWindowClient, account: str, region: str) -> int:
            windows = self.windows[(account, region)]
            report = await set_cutoff_behavior(mw, windows, behavior, concurrency=4)
            assert report.ok, report.failed
            return len(report.changed)

        return sum(self._loop.run_until_complete(self._each(one)))

    async def _each(
        self, work: Callable[[MaintenanceWindowClient, str, str], Awaitable[int]]
    ) -> list[int]:
        reach = self._reach
        assert reach is not None, "use the Org as a context manager"
        clients = {(t.account, t.region): await reach.client(t) for t in reach.targets}
        return list(await asyncio.gather(*(work(clients[p], *p) for p in self.pairs)))

    async def _fill(self, mw: MaintenanceWindowClient, account: str, region: str) -> int:
        await populate(mw, self.windows[(account, region)], self.shape.tasks, concurrency=4)
        return 0


def make_org(server: RemoteServer, shape: Shape) -> Org:
    """Make the organization (its tasks are made, all ``CONTINUE_TASK``, on entering it)."""
    made = server.create_organization(shape.accounts, list(shape.regions), shape.windows)
    return Org(
        server=server,
        shape=shape,
        accounts=tuple(made["accounts"]),
        role_name=str(made["role_name"]),
        windows={(a, r): tuple(ids) for a, r, ids in made["windows"]},
    )


# -- the contenders ------------------------------------------------------------------


@dataclass
class Tally:
    """What one contender's runs did."""

    seconds: list[float] = field(default_factory=lambda: [])
    failed: list[int] = field(default_factory=lambda: [])
    throttled: list[int] = field(default_factory=lambda: [])
    cpu: list[float] = field(default_factory=lambda: [])

    def rate(self, updates: int) -> float:
        """Tasks updated a second, at the median run."""
        return updates / statistics.median(self.seconds)


def timed_run(org: Org, tally: Tally, body: Callable[[], int]) -> float:
    """Throttle every pair, time ``body`` (which returns its failed tasks), check the
    tasks it changed against the server's state, and note it in ``tally``."""
    org.throttle(org.shape.rate)
    refused = org.throttled()
    cpu = time.process_time()
    start = time.perf_counter()
    failed = body()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    refused = org.throttled() - refused
    changed = org.restore()
    assert changed + failed == org.shape.updates, (changed, failed, org.shape.updates)
    tally.seconds.append(elapsed)
    tally.failed.append(failed)
    tally.throttled.append(refused)
    tally.cpu.append(cpu)
    return elapsed


async def run_ssm_mw(
    org: Org, progress: Callable[[CutoffProgress], None] | None = None
) -> CutoffReport:
    """ssm-mw's organization-wide run, from the base credentials to the last task."""
    async with org.reach() as reach:
        return await set_cutoff_behavior(
            reach,
            WindowSelection.all(),
            "CANCEL_TASK",
            concurrency=CONCURRENCY,
            per_target_concurrency=PER_TARGET,
            progress=progress,
        )


def failed_tasks(report: CutoffReport, org: Org) -> int:
    """The tasks a report did not change: failed ones, or all of a failed account-Region."""
    return org.shape.updates - len(report.changed)


def ssm_mw_contender(org: Org) -> int:
    """One ssm-mw run; its failed tasks."""
    report = asyncio.run(run_ssm_mw(org))
    return failed_tasks(report, org)


def _boto3() -> tuple[Any, Any, type[Exception]]:
    """boto3, the standard retry mode's config, and botocore's ``ClientError``."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    return boto3, Config(retries={"mode": "standard"}), ClientError


def _update_pair(ssm: Any, error: type[Exception]) -> int:
    """List the windows and their tasks, then update each task, one after the other;
    return the tasks whose update failed."""
    windows = [
        w["WindowId"]
        for page in ssm.get_paginator("describe_maintenance_windows").paginate()
        for w in page["WindowIdentities"]
    ]
    failed = 0
    for window_id in windows:
        pages = ssm.get_paginator("describe_maintenance_window_tasks").paginate(WindowId=window_id)
        for task in [t for page in pages for t in page["Tasks"]]:
            try:
                ssm.update_maintenance_window_task(
                    WindowId=window_id,
                    WindowTaskId=task["WindowTaskId"],
                    CutoffBehavior="CANCEL_TASK",
                )
            except error:
                failed += 1
    return failed


def _account_session(org: Org, account: str) -> Any:
    """Assume the role in ``account`` from the base credentials; a boto3 session of it."""
    boto3, _, _ = _boto3()
    base = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=HOME
    )
    sts = base.client("sts", region_name=HOME, endpoint_url=org.server.endpoint_url)
    credentials = sts.assume_role(RoleArn=org.role_arn(account), RoleSessionName="baseline")[
        "Credentials"
    ]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=HOME,
    )


def _account_job(org: Org, account: str) -> int:
    """One account: its role assumed, then its Regions one after the other."""
    _, config, error = _boto3()
    session = _account_session(org, account)
    failed = 0
    for region in org.shape.regions:
        ssm = session.client(
            "ssm", region_name=region, endpoint_url=org.server.endpoint_url, config=config
        )
        failed += _update_pair(ssm, error)
    return failed


def sra_loop(org: Org) -> int:
    """The SRA loop: accounts one at a time, each one's Regions one at a time."""
    return sum(_account_job(org, account) for account in org.accounts)


def pool_of_threads(org: Org) -> int:
    """The botocove-style pool: 20 threads, one job per account."""
    with ThreadPoolExecutor(max_workers=POOL_THREADS) as pool:
        return sum(pool.map(functools.partial(_account_job, org), org.accounts))


# -- the server's own capacity --------------------------------------------------------


def server_capacity(org: Org, rounds: int) -> str:
    """The server's own capacity for updates: with no limits, every task flipped and
    flipped back ``rounds`` times on clients already open (20 account-Regions at once, 4
    requests in flight in each); the updates a second reached, and the server process's
    CPU time per request (listings included): what one core of it can serve."""
    org.throttle(None)
    rates: list[float] = []
    per_request: list[float] = []
    for _ in range(rounds):
        for behavior in (CutoffBehavior.CANCEL_TASK, CutoffBehavior.CONTINUE_TASK):
            requests, cpu = org.server.request_count(), org.server.cpu_seconds()
            start = time.perf_counter()
            assert org.flip(behavior) == org.shape.updates
            rates.append(org.shape.updates / (time.perf_counter() - start))
            sent = org.server.request_count() - requests
            after = org.server.cpu_seconds()
            if cpu is not None and after is not None:
                per_request.append((after - cpu) / sent)
    text = (
        f"server capacity (no limits, clients open, {len(rates)} passes): "
        f"{statistics.median(rates):.0f} updates/s"
    )
    if per_request:
        cost = statistics.median(per_request)
        text += (
            f", server CPU {cost * 1e3:.2f} ms per request: ~{1 / cost:.0f} requests/s per "
            f"server core"
        )
    return text + f"; sum of the limits {org.shape.limits:g}/s ({os.cpu_count()} cores)"


def seconds(values: Sequence[float]) -> str:
    """Samples as a short list: ``[5.08, 7.01]``."""
    return "[" + ", ".join(f"{v:.2f}" for v in values) + "]"


def run(*, smoke: bool) -> list[Result]:
    """Run ssm-mw, the SRA loop and the pool, interleaved, against the throttled organization."""
    shape, rounds = (SMOKE, 1) if smoke else (STANDARD, 3)
    ours, sra, pool = Tally(), Tally(), Tally()
    with RemoteServer() as server, make_org(server, shape) as org:
        capacity = server_capacity(org, 1 if smoke else 3)
        contenders: Sequence[Callable[[], float]] = [
            lambda: timed_run(org, ours, lambda: ssm_mw_contender(org)),
            lambda: timed_run(org, pool, lambda: pool_of_threads(org)),
            lambda: timed_run(org, sra, lambda: sra_loop(org)),
        ]
        interleave(contenders, rounds)
    if not smoke:
        assert max(ours.failed) == 0, f"ssm-mw failed tasks under throttling: {ours.failed}"
    updates, limits = shape.updates, shape.limits
    floor = updates / limits
    notes = "; ".join(
        [
            f"ssm-mw {ours.rate(updates):.1f} updates/s ({ours.rate(updates) / limits:.1%} of "
            f"the {limits:g}/s sum of limits), failed tasks {ours.failed}, throttled "
            f"{ours.throttled}",
            f"pool {pool.rate(updates):.1f} updates/s, failed tasks {pool.failed}, throttled "
            f"{pool.throttled}",
            f"SRA loop {sra.rate(updates):.1f} updates/s, failed tasks {sra.failed}, throttled "
            f"{sra.throttled}",
            f"wall s: ssm-mw {seconds(ours.seconds)}, pool {seconds(pool.seconds)}, SRA loop "
            f"{seconds(sra.seconds)}",
            f"client CPU s: ssm-mw {seconds(ours.cpu)}, pool {seconds(pool.cpu)}, SRA loop "
            f"{seconds(sra.cpu)}",
            capacity,
        ]
    )
    where = (
        f"{shape.accounts} accounts x {len(shape.regions)} Regions x {shape.windows} windows x "
        f"{shape.tasks} tasks, updates limited to {shape.rate:g}/s per account-Region"
    )
    return [
        Result(
            name="B11 organization throughput",
            description=(
                f"set_cutoff_behavior over a scope of {where}: the run vs updates / sum of "
                "limits (target: >= 85% of the limits)"
            ),
            ours=median(ours.seconds),
            baseline=floor,
            unit="s",
            target=round(1 / 0.85, 3),
            rounds=rounds,
            ours_samples=ours.seconds,
            baseline_samples=[floor],
            notes=notes,
        ),
        Result(
            name="B11 organization vs SRA loop",
            description=(
                f"the same run vs the SRA loop (accounts then Regions one at a time, boto3, "
                f"standard retries, tasks updated serially); {where}"
            ),
            ours=median(ours.seconds),
            baseline=median(sra.seconds),
            unit="s",
            target=0.25,
            rounds=rounds,
            ours_samples=ours.seconds,
            baseline_samples=sra.seconds,
        ),
        Result(
            name="B11 organization vs thread pool",
            description=(
                f"the same run vs a botocove-style pool ({POOL_THREADS} threads, one job per "
                f"account, boto3, standard retries, tasks updated serially); {where}"
            ),
            ours=median(ours.seconds),
            baseline=median(pool.seconds),
            unit="s",
            target=0.6,
            rounds=rounds,
            ours_samples=ours.seconds,
            baseline_samples=pool.seconds,
        ),
    ]
