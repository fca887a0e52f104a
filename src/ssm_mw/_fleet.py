"""Set ``CutoffBehavior`` on every matching task of many windows: :func:`set_cutoff_behavior`.

A fixed pool of ``concurrency`` workers takes jobs from one queue: "list this
window" jobs first (one per window), then "update this task" jobs, which the
listing jobs add as they find tasks that need the change. So at most
``concurrency`` requests are in flight, across windows as well as tasks, and
updates start while other windows are still being listed.

Every task found appears in the report, and so does every window whose
listing failed: nothing is skipped silently.

Every request goes through one :class:`~ssm_mw._pacing.Pacer`: under a rate
limit the run slows to the rate the service accepts, and a throttled request
is sent again rather than failing its task.

Cancelled, the run stops taking jobs: listings in flight are cancelled (they
change nothing), updates in flight are waited for, so the report is exact,
and :class:`CutoffCancelledError` carries it. A second cancellation while it
waits cancels those updates too; their tasks are then left out of the report
(whether the service applied them is not known).
"""

from __future__ import annotations

import asyncio
import enum
import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Literal

import attrs

from ._enums import CutoffBehavior, TaskType
from ._errors import ValidationError
from ._live import check_concurrency, check_count, check_window_ids
from ._models import MaintenanceWindowTask, TaskFilter, TaskPage, TaskUpdate
from ._operations import DESCRIBE_TASKS, UPDATE_TASK
from ._organization import (
    ScopedClients,
    TargetRuns,
    TargetsCancelled,
    TargetSummary,
    find_windows,
    for_each_target,
    target_summary,
)
from ._pacing import NotSent, Pacer
from ._pool import JobPool
from ._public import publish_exported
from ._scope import AccountRegion, WindowSelection
from ._service_errors import ThrottlingError

if TYPE_CHECKING:
    from ._client import MaintenanceWindowClient

__all__ = [
    "CutoffCancelledError",
    "CutoffChange",
    "CutoffOutcome",
    "CutoffProgress",
    "CutoffReport",
    "set_cutoff_behavior",
]

_PAGE_SIZE = 100  # the most DescribeMaintenanceWindowTasks hands out per page
_DESCRIBE = DESCRIBE_TASKS.name
_UPDATE = UPDATE_TASK.name


class CutoffOutcome(enum.Enum):
    """What happened to one task (or one window's listing) in :func:`set_cutoff_behavior`."""

    #: The task was updated; in a dry run: it would be updated (nothing was sent).
    CHANGED = "changed"
    #: The task already had the behavior; nothing was sent.
    UNCHANGED = "unchanged"
    #: The update failed, or the window's listing failed; see ``error``.
    FAILED = "failed"
    #: The run was cancelled before the task's update was accepted: it waited for its
    #: send slot, or the service refused it throttled (which changes nothing), and it was
    #: not sent (again).
    INTERRUPTED = "interrupted"


@attrs.frozen(kw_only=True)
class CutoffChange:
    """One entry of a :class:`CutoffReport`: one task, or one window whose listing failed.

    ``window_task_id`` is ``None`` only for a listing failure. ``before`` is the
    behavior describe reported (``None``: not set); ``after`` is the behavior
    the task has now (in a dry run: would have), ``None`` when unknown
    because the update failed. ``error`` is set exactly when ``outcome`` is
    :attr:`CutoffOutcome.FAILED`. ``target`` is the task's account-Region in a
    run across a scope (``None`` in a run on one client).
    """

    window_id: str
    window_task_id: str | None
    outcome: CutoffOutcome
    before: CutoffBehavior | None = None
    after: CutoffBehavior | None = None
    task_type: TaskType | None = None
    name: str | None = None
    error: Exception | None = attrs.field(default=None, eq=False)
    target: AccountRegion | None = None

    @property
    def is_listing_failure(self) -> bool:
        """Whether this entry stands for a window whose tasks could not be listed."""
        return self.window_task_id is None


@attrs.frozen(kw_only=True)
class CutoffReport:
    """The result of :func:`set_cutoff_behavior`: one :class:`CutoffChange` per task.

    ``changes`` is in the order of the window ids given, and within a window
    in listing order; a window's listing failure comes after its tasks.
    ``throttled_retries`` counts the requests that the service throttled and
    that were sent again (botocore's retries and the run's own). In the
    report of a cancelled run (:class:`CutoffCancelledError`), ``complete`` is
    ``False`` and ``changes`` holds the tasks done before it stopped.

    A run across a scope orders ``changes`` by account-Region (the scope's
    order), each change with its ``target``, and ``targets`` has one
    :class:`~ssm_mw.TargetSummary` per account-Region: ``ok``, ``partial``
    or ``failed``, with the error (a role not assumed, a Region not enabled,
    a window not found fail it before any task, and are only there).
    """

    behavior: CutoffBehavior
    dry_run: bool
    changes: tuple[CutoffChange, ...]
    throttled_retries: int = 0
    complete: bool = True
    targets: tuple[TargetSummary, ...] = ()

    def _with(self, outcome: CutoffOutcome) -> tuple[CutoffChange, ...]:
        return tuple(c for c in self.changes if c.outcome is outcome)

    @property
    def changed(self) -> tuple[CutoffChange, ...]:
        """Tasks that were changed (in a dry run: that would be changed)."""
        return self._with(CutoffOutcome.CHANGED)

    @property
    def unchanged(self) -> tuple[CutoffChange, ...]:
        """Tasks that already had the behavior."""
        return self._with(CutoffOutcome.UNCHANGED)

    @property
    def failed(self) -> tuple[CutoffChange, ...]:
        """Failed updates, and windows whose listing failed."""
        return self._with(CutoffOutcome.FAILED)

    @property
    def interrupted(self) -> tuple[CutoffChange, ...]:
        """Tasks whose throttled update the cancellation stopped (not changed, not failed)."""
        return self._with(CutoffOutcome.INTERRUPTED)

    @property
    def failed_targets(self) -> tuple[TargetSummary, ...]:
        """The account-Regions that did not end ``ok`` (a run across a scope)."""
        return tuple(t for t in self.targets if not t.ok and t.complete)

    @property
    def ok(self) -> bool:
        """Whether nothing failed: no task, window listing or account-Region."""
        return not self.failed and not self.failed_targets


class CutoffCancelledError(asyncio.CancelledError):
    """:func:`set_cutoff_behavior` was cancelled; ``report`` says what it did before it stopped.

    A :class:`asyncio.CancelledError`, so cancellation goes on as usual.
    ``report.changes`` holds every task done: each ``CHANGED`` one was
    changed, and no task was changed that is not there. Tasks not reached
    are not in it; ``windows_listed`` of ``windows_total`` windows were
    listed in full.

    Catch it around the ``await set_cutoff_behavior(...)`` in the task that is
    cancelled. (Python 3.11 and later also hand it to whoever awaits that
    task; Python 3.10 gives them a new, plain ``CancelledError``.)
    """

    def __init__(self, report: CutoffReport, *, windows_listed: int, windows_total: int) -> None:
        self.report = report
        self.windows_listed = windows_listed
        self.windows_total = windows_total
        changed = len(report.changed)
        super().__init__(
            f"set_cutoff_behavior was cancelled after {len(report.changes)} tasks "
            f"({changed} changed); {windows_listed} of {windows_total} windows listed"
        )


@attrs.frozen(kw_only=True)
class CutoffProgress:
    """A snapshot handed to the ``progress`` callback of :func:`set_cutoff_behavior`.

    ``tasks_total`` grows while windows are being listed; it is final once
    ``windows_listed == windows_total``. Across a scope, ``windows_total``
    grows too as each account-Region's windows are found, and
    ``targets_done`` of ``targets_total`` account-Regions have ended (both 0
    in a run on one client).
    """

    windows_total: int
    windows_listed: int
    tasks_total: int
    tasks_done: int
    targets_total: int = 0
    targets_done: int = 0


ProgressCallback = Callable[[CutoffProgress], None]


# -- argument checks --------------------------------------------------------------


def _behavior(value: object) -> CutoffBehavior:
    if isinstance(value, str) and CutoffBehavior.is_known(value):
        return CutoffBehavior(value)
    choices = ", ".join(b.value for b in CutoffBehavior)
    raise ValidationError.single("behavior", f"{value!r} is not one of {choices}")


def _task_type(value: object) -> TaskType | None:
    if value is None:
        return None
    if isinstance(value, str) and TaskType.is_known(value):
        return TaskType(value)
    choices = ", ".join(t.value for t in TaskType)
    raise ValidationError.single("task_type", f"{value!r} is not one of {choices}")


# -- the run ----------------------------------------------------------------------


_LIST_FIRST, _UPDATE_NEXT = 0, 1
_AFTER_TASKS = 1 << 62  # the sequence number of a listing failure: after the window's tasks


class _Interrupted(Exception):
    """The run was cancelled; what it did is in ``_Run.results``."""


class _Run:
    def __init__(
        self,
        client: MaintenanceWindowClient,
        windows: tuple[str, ...],
        behavior: CutoffBehavior,
        task_type: TaskType | None,
        dry_run: bool,
        progress: ProgressCallback | None,
        pacer: Pacer,
        target: AccountRegion | None = None,
    ) -> None:
        self.client = client
        self.target = target
        self.pacer = pacer
        self.windows = windows
        self.behavior = behavior
        self.filters = () if task_type is None else (TaskFilter.task_type(task_type),)
        self.dry_run = dry_run
        self.progress = progress
        self.pool = JobPool()
        self.results: dict[tuple[int, int], CutoffChange] = {}
        self.windows_listed = 0
        self.tasks_total = 0
        self.tasks_done = 0

    def report(self) -> None:
        if self.progress is not None:
            self.progress(
                CutoffProgress(
                    windows_total=len(self.windows),
                    windows_listed=self.windows_listed,
                    tasks_total=self.tasks_total,
                    tasks_done=self.tasks_done,
                )
            )

    async def execute(self, concurrency: int) -> tuple[CutoffChange, ...]:
        for window in range(len(self.windows)):
            self.pool.put(functools.partial(self.list_window, window), priority=_LIST_FIRST)
        self.report()
        with self.pacer.attached(self.client, (_DESCRIBE, _UPDATE), keep_going=self.going):
            try:
                await self.pool.run(concurrency)
            except asyncio.CancelledError:
                raise _Interrupted from None
        return self.changes()

    def changes(self) -> tuple[CutoffChange, ...]:
        return tuple(self.results[key] for key in sorted(self.results))

    async def list_window(self, window: int) -> None:
        window_id = self.windows[window]
        seq = 0
        token: str | None = None
        try:
            while True:
                page = await self.pacer.send(
                    _DESCRIBE,
                    functools.partial(self.describe, window_id, token),
                    keep_going=self.going,
                )
                for task in page.tasks:
                    self.found(window, seq, task)
                    seq += 1
                token = page.next_token
                if not token:
                    break
        except NotSent:
            return  # stopped: the window is not listed in full
        except Exception as exc:
            self.results[(window, _AFTER_TASKS)] = CutoffChange(
                window_id=window_id,
                window_task_id=None,
                outcome=CutoffOutcome.FAILED,
                error=exc,
                target=self.target,
            )
        self.windows_listed += 1
        self.report()

    async def describe(self, window_id: str, token: str | None) -> TaskPage:
        return await self.client.describe_maintenance_window_tasks(
            window_id, filters=self.filters, max_results=_PAGE_SIZE, next_token=token
        )

    def going(self) -> bool:
        return not self.pool.stopping

    def found(self, window: int, seq: int, task: MaintenanceWindowTask) -> None:
        self.tasks_total += 1
        if task.cutoff_behavior == self.behavior:
            self.record(window, seq, task, CutoffOutcome.UNCHANGED, after=self.behavior)
        elif self.dry_run:
            self.record(window, seq, task, CutoffOutcome.CHANGED, after=self.behavior)
        else:
            self.pool.put(
                functools.partial(self.update_task, window, seq, task),
                priority=_UPDATE_NEXT,
                finish_on_cancel=True,  # an update in flight is waited for, not abandoned
            )

    async def update_task(self, window: int, seq: int, task: MaintenanceWindowTask) -> None:
        update = TaskUpdate(cutoff_behavior=self.behavior)
        try:
            details = await self.pacer.send(
                _UPDATE,
                lambda: self.client.update_maintenance_window_task(
                    task.window_id, task.window_task_id, update
                ),
                keep_going=self.going,
            )
        except NotSent:  # stopped before it was sent (again): not changed
            self.record(window, seq, task, CutoffOutcome.INTERRUPTED)
        except ThrottlingError as exc:
            if self.going():
                self.record(window, seq, task, CutoffOutcome.FAILED, error=exc)
            else:  # cut off mid-retry by the cancellation: refused, so not changed
                self.record(window, seq, task, CutoffOutcome.INTERRUPTED)
        except Exception as exc:
            self.record(window, seq, task, CutoffOutcome.FAILED, error=exc)
        else:
            after = details.cutoff_behavior or self.behavior
            self.record(window, seq, task, CutoffOutcome.CHANGED, after=after)
        self.report()

    def record(
        self,
        window: int,
        seq: int,
        task: MaintenanceWindowTask,
        outcome: CutoffOutcome,
        *,
        after: CutoffBehavior | None = None,
        error: Exception | None = None,
    ) -> None:
        self.tasks_done += 1
        self.results[(window, seq)] = CutoffChange(
            window_id=self.windows[window],
            window_task_id=task.window_task_id,
            outcome=outcome,
            before=task.cutoff_behavior,
            after=after,
            task_type=task.task_type,
            name=task.name,
            error=error,
            target=self.target,
        )


async def set_cutoff_behavior(
    client: MaintenanceWindowClient | ScopedClients,
    window_ids: Iterable[str] | WindowSelection,
    behavior: CutoffBehavior | Literal["CONTINUE_TASK", "CANCEL_TASK"],
    *,
    task_type: TaskType
    | Literal["RUN_COMMAND", "AUTOMATION", "STEP_FUNCTIONS", "LAMBDA"]
    | None = None,
    concurrency: int | None = None,
    per_target_concurrency: int = 8,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    adapt_to_throttling: bool = True,
) -> CutoffReport:
    """Set ``CutoffBehavior`` on every task (of ``task_type``, if given) in the windows.

    ``client`` must be open: one :class:`~ssm_mw.MaintenanceWindowClient`, or
    the :class:`~ssm_mw.ScopedClients` of a scope, to work in each of its
    account-Regions at once. The windows are ``window_ids``, or a
    :class:`~ssm_mw.WindowSelection` (by name, or all) found in each
    account-Region; window ids across a scope are allowed only when it is a
    single account-Region (an id belongs to one). Tasks are listed with
    describe (which reports each task's behavior) and only those with a
    different behavior, or none set, are updated, with
    ``TaskUpdate(cutoff_behavior=behavior)`` (not a replace). With
    ``dry_run`` nothing is updated: the report says what would change.

    At most ``concurrency`` requests are in flight at any time (default 8 on
    one client; 64 across a scope, overall), and at most
    ``per_target_concurrency`` in each account-Region of a scope.

    A failed update, or a window whose listing failed, is an entry of the
    report with outcome ``FAILED`` and its ``error``; other tasks go on.
    Across a scope, an account-Region that cannot be reached, or whose
    windows are not one of each name (:class:`~ssm_mw.WindowLookupError`),
    fails alone: ``report.targets`` says so, and the others go on. Only the
    arguments raise: :class:`~ssm_mw.ValidationError` names the field
    (``behavior``, ``task_type``, ``concurrency``, ``window_ids[i]``) before
    any request. ``progress``, if given, is called with a
    :class:`CutoffProgress` after each window is listed, each task is done
    and each account-Region ends.

    Throttling does not fail tasks: requests are paced to the rate the
    service accepts (learned from its throttled answers, per operation, and
    per account-Region across a scope: one throttled account-Region does not
    slow the others), and a request still throttled after the client's
    retries is sent again. A task fails for throttling only when the service
    accepted none of its operation's requests for 60 seconds.
    ``report.throttled_retries`` counts the throttled requests sent again.
    With ``adapt_to_throttling=False`` the rate is left to the client's own
    retry mode (e.g. botocore's ``"adaptive"``); throttled updates are still
    sent again, after a backoff.

    Cancelling the call stops it: no new request is sent, updates in flight
    are waited for, and :class:`CutoffCancelledError` is raised with the
    partial report as ``report``.

    Example::

        report = await set_cutoff_behavior(mw, ["mw-0123456789abcdef0"], "CANCEL_TASK")
        for change in report.failed:
            print(change.window_id, change.window_task_id, change.error)

        async with ScopedClients(Scope(regions=["us-east-1", "eu-west-1"])) as reach:
            report = await set_cutoff_behavior(
                reach, WindowSelection.named("patching"), "CANCEL_TASK"
            )
    """
    target = _behavior(behavior)
    kind = _task_type(task_type)
    scoped = isinstance(client, ScopedClients)
    workers = check_concurrency((64 if scoped else 8) if concurrency is None else concurrency)
    per_target = check_count("per_target_concurrency", per_target_concurrency)
    selection = window_ids if isinstance(window_ids, WindowSelection) else None
    windows = () if selection is not None else check_window_ids(window_ids)
    if isinstance(client, ScopedClients):
        if selection is None and not client.scope.is_single:
            raise ValidationError.single(
                "window_ids",
                "a window id belongs to one account-Region: across a scope, "
                "give a WindowSelection (by name, or all)",
            )
        settings = _Settings(target, kind, dry_run, progress, adapt_to_throttling)
        return await _across(client, selection, windows, settings, workers, per_target)
    if selection is not None:
        windows = tuple(w.window_id for w in await find_windows(client, selection))
    pacer = Pacer(pace=adapt_to_throttling)
    run = _Run(client, windows, target, kind, dry_run, progress, pacer)
    try:
        changes = await run.execute(workers)
    except _Interrupted:
        partial = CutoffReport(
            behavior=target,
            dry_run=dry_run,
            changes=run.changes(),
            throttled_retries=pacer.throttled_retries,
            complete=False,
        )
        raise CutoffCancelledError(
            partial, windows_listed=run.windows_listed, windows_total=len(windows)
        ) from None
    return CutoffReport(
        behavior=target,
        dry_run=dry_run,
        changes=changes,
        throttled_retries=pacer.throttled_retries,
    )


@attrs.frozen
class _Settings:
    behavior: CutoffBehavior
    task_type: TaskType | None
    dry_run: bool
    progress: ProgressCallback | None
    adapt: bool


async def _across(
    reach: ScopedClients,
    selection: WindowSelection | None,
    window_ids: tuple[str, ...],
    settings: _Settings,
    concurrency: int,
    per_target: int,
) -> CutoffReport:
    """:func:`set_cutoff_behavior` in every account-Region of ``reach``, each on its own
    run and Pacer, under one limit of requests in flight."""
    started: dict[AccountRegion, _Run] = {}
    runs_done: list[TargetRuns[tuple[CutoffChange, ...]]] = []

    def tell(_: CutoffProgress | None = None) -> None:
        if settings.progress is None:
            return
        every = list(started.values())
        settings.progress(
            CutoffProgress(
                windows_total=sum(len(r.windows) for r in every),
                windows_listed=sum(r.windows_listed for r in every),
                tasks_total=sum(r.tasks_total for r in every),
                tasks_done=sum(r.tasks_done for r in every),
                targets_total=len(reach.targets),
                targets_done=runs_done[0].done if runs_done else 0,
            )
        )

    def ended(runs: TargetRuns[tuple[CutoffChange, ...]]) -> None:
        if not runs_done:
            runs_done.append(runs)
        tell()

    async def work(
        where: AccountRegion, client: MaintenanceWindowClient
    ) -> tuple[CutoffChange, ...]:
        if selection is None:
            ids = window_ids
        else:
            found = await find_windows(client, selection, target=where)
            ids = tuple(w.window_id for w in found)
        run = _Run(
            client,
            ids,
            settings.behavior,
            settings.task_type,
            settings.dry_run,
            tell,
            Pacer(pace=settings.adapt),
            target=where,
        )
        started[where] = run
        try:
            return await run.execute(per_target)
        except _Interrupted:
            raise asyncio.CancelledError from None

    tell()
    try:
        runs = await for_each_target(reach, work, concurrency=concurrency, on_done=ended)
    except TargetsCancelled as stop:
        partial = _scoped_report(reach, stop.runs, started, settings, complete=False)
        listed = sum(r.windows_listed for r in started.values())
        total = sum(len(r.windows) for r in started.values())
        raise CutoffCancelledError(partial, windows_listed=listed, windows_total=total) from None
    return _scoped_report(reach, runs, started, settings, complete=True)


def _scoped_report(
    reach: ScopedClients,
    runs: TargetRuns[tuple[CutoffChange, ...]],
    started: dict[AccountRegion, _Run],
    settings: _Settings,
    *,
    complete: bool,
) -> CutoffReport:
    changes: list[CutoffChange] = []
    summaries: list[TargetSummary] = []
    for where in reach.targets:
        run = started.get(where)
        done = run.changes() if run is not None else ()
        changes.extend(done)
        failed = [c.error for c in done if c.outcome is CutoffOutcome.FAILED and c.error]
        good = sum(c.outcome in (CutoffOutcome.CHANGED, CutoffOutcome.UNCHANGED) for c in done)
        summaries.append(
            target_summary(
                where,
                error=runs.errors.get(where),
                done=good,
                failed=failed,
                complete=where in runs.results or where in runs.errors,
            )
        )
    retries = sum(r.pacer.throttled_retries for r in started.values())
    return CutoffReport(
        behavior=settings.behavior,
        dry_run=settings.dry_run,
        changes=tuple(changes),
        throttled_retries=retries,
        complete=complete,
        targets=tuple(summaries),
    )


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
