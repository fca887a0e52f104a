"""Converging a plan: :func:`apply_plan` (private).

``create`` registers with a client token derived from the window, the name
and the definition (a re-run after a crash gets the task already made, never
a second one); ``update`` replaces the task with the whole definition
(``replace=True``: members the definition leaves out are cleared). At most
``concurrency`` requests are in flight, paced like ``set_cutoff_behavior``'s
when the service throttles (a throttled task is sent again, not failed); each
task gets an outcome, and one failure does not stop the others.

A plan made earlier (e.g. read back from a saved plan) is checked first:
every task it would change is read again, and if any changed since the plan
was made, :class:`StalePlanError` names them and nothing is changed.

Given the :class:`~ssm_mw.ScopedClients` of a scope, each account-Region's
tasks are applied with its own client, run and Pacer, all at once under one
limit of requests in flight; an account-Region that fails before its tasks
(not reached, a stale saved plan) fails alone, and the others go on.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar, cast

import attrs

from ._desired import DesiredState, client_token, fingerprint, live_members, replacement
from ._errors import SsmMwError, ValidationError
from ._live import LiveWindow, check_concurrency, check_count, read_windows
from ._operations import DEREGISTER_TASK, REGISTER_TASK, UPDATE_TASK
from ._organization import (
    ScopedClients,
    TargetRuns,
    TargetsCancelled,
    TargetSummary,
    for_each_target,
    target_summary,
)
from ._pacing import NotSent, Pacer
from ._plan import Plan, PlanAction, TaskPlan, plan_tasks
from ._pool import Job, JobPool
from ._public import publish_exported
from ._scope import AccountRegion
from ._service_errors import DoesNotExistError, ThrottlingError

if TYPE_CHECKING:
    from ._client import MaintenanceWindowClient
    from ._models import MaintenanceWindowTask

__all__ = [
    "ApplyCancelledError",
    "ApplyOutcome",
    "ApplyProgress",
    "ApplyReport",
    "StalePlanError",
    "StaleTask",
    "TaskResult",
    "apply_plan",
]


class ApplyOutcome(enum.Enum):
    """What :func:`apply_plan` did with one task."""

    #: Registered (a ``create``).
    CREATED = "created"
    #: Replaced with the definition (an ``update``).
    UPDATED = "updated"
    #: Already as desired; nothing was sent.
    UNCHANGED = "unchanged"
    #: Not named by the desired state; left alone.
    UNMANAGED = "unmanaged"
    #: Deregistered (a ``delete`` of a plan made with ``prune``).
    DELETED = "deleted"
    #: The register, update or deregister failed; see ``error``.
    FAILED = "failed"
    #: The run was cancelled while the request was throttled: it was refused and not
    #: sent again, so nothing changed (a report of :class:`ApplyCancelledError` only).
    INTERRUPTED = "interrupted"
    #: The task's request was never sent, so nothing changed: the run was cancelled
    #: before it (a report of :class:`ApplyCancelledError`), or, across a scope, its
    #: account-Region failed before any of its tasks (see :attr:`ApplyReport.targets`).
    NOT_STARTED = "not_started"


@attrs.frozen(kw_only=True)
class TaskResult:
    """The outcome of one task of a plan.

    ``window_task_id`` is the task's id (for a create, the new one; ``None`` if
    the register failed). ``error`` is set exactly when ``outcome`` is
    :attr:`ApplyOutcome.FAILED`. ``target`` and ``window_key`` are the plan's
    task's (its account-Region across a scope; the state's key of its window
    when that is a name).
    """

    window_id: str
    name: str | None
    action: PlanAction
    outcome: ApplyOutcome
    window_task_id: str | None = None
    error: Exception | None = attrs.field(default=None, eq=False)
    target: AccountRegion | None = None
    window_key: str | None = None

    @property
    def label(self) -> str:
        """``WINDOW/NAME`` (or ``WINDOW/TASK_ID`` for a task without a name)."""
        return f"{self.window_id}/{self.name if self.name is not None else self.window_task_id}"


@attrs.frozen(kw_only=True)
class ApplyReport:
    """The result of :func:`apply_plan`: the plan applied, and a :class:`TaskResult` per task.

    Across a scope, ``results`` are in the plan's order (by account-Region),
    each with its ``target``, and ``targets`` has one
    :class:`~ssm_mw.TargetSummary` per account-Region of the plan: ``ok``,
    ``partial`` or ``failed`` with the error (an account-Region not planned,
    not reached, or whose saved plan is stale fails before any of its tasks,
    which are then :attr:`ApplyOutcome.NOT_STARTED`).
    """

    plan: Plan
    results: tuple[TaskResult, ...]
    #: ``False`` for the partial report of a cancelled run (:class:`ApplyCancelledError`).
    complete: bool = True
    #: One summary per account-Region of a plan across a scope (empty on one client).
    targets: tuple[TargetSummary, ...] = ()

    def with_outcome(self, *outcomes: ApplyOutcome) -> tuple[TaskResult, ...]:
        """The results whose outcome is one of ``outcomes``."""
        return tuple(r for r in self.results if r.outcome in outcomes)

    @property
    def failed(self) -> tuple[TaskResult, ...]:
        """The tasks whose register or update failed."""
        return self.with_outcome(ApplyOutcome.FAILED)

    @property
    def failed_targets(self) -> tuple[TargetSummary, ...]:
        """The account-Regions that did not end ``ok`` (cancelled ones excepted)."""
        return tuple(t for t in self.targets if not t.ok and t.complete)

    @property
    def ok(self) -> bool:
        """Whether nothing failed: no task, and no account-Region."""
        return not self.failed and not self.failed_targets


class ApplyCancelledError(asyncio.CancelledError):
    """:func:`apply_plan` was cancelled; ``report`` says what it did before it stopped.

    A :class:`asyncio.CancelledError`, so cancellation goes on as usual. Requests
    in flight were waited for, so each task of ``report`` is what happened to
    it: created, updated, deleted or failed; :attr:`ApplyOutcome.INTERRUPTED`
    (throttled, not sent again) or :attr:`ApplyOutcome.NOT_STARTED` (never
    sent) when nothing changed. ``report.complete`` is ``False``. Cancelled
    while it planned (or read a saved plan's tasks again), nothing was sent:
    every task to change is not started. A re-run converges.
    """

    def __init__(self, report: ApplyReport) -> None:
        self.report = report
        done = len(report.with_outcome(*_SENT))
        left = len(report.with_outcome(ApplyOutcome.NOT_STARTED, ApplyOutcome.INTERRUPTED))
        super().__init__(f"apply_plan was cancelled: {done} tasks done, {left} not changed")


@attrs.frozen(kw_only=True)
class ApplyProgress:
    """A snapshot for the ``progress`` callback of :func:`apply_plan`: tasks sent and done.

    Across a scope, ``targets_done`` of ``targets_total`` account-Regions with something
    to change have ended (both 0 on one client).
    """

    total: int
    done: int
    targets_total: int = 0
    targets_done: int = 0


@attrs.frozen(kw_only=True)
class StaleTask:
    """A task of a stale plan: what changed since the plan was made."""

    window_id: str
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.window_id}/{self.name}: {self.reason}"


class StalePlanError(SsmMwError):
    """The plan is stale: tasks it would change have changed since it was made.

    ``tasks`` names each of them; nothing was changed. Make a new plan.
    """

    def __init__(self, tasks: Sequence[StaleTask]) -> None:
        self.tasks = tuple(tasks)
        listed = "; ".join(str(t) for t in self.tasks)
        super().__init__(f"the plan is stale, make a new one: {listed}")


def _stale(task: TaskPlan, window: LiveWindow) -> str | None:
    if task.action is PlanAction.DELETE:
        details = window.details.get(str(task.window_task_id))
        if details is None:
            return f"task {task.window_task_id}, to delete, is gone"
        if fingerprint(str(task.window_task_id), live_members(details)) != task.fingerprint:
            return f"task {task.window_task_id}, to delete, changed since the plan was made"
        return None
    assert task.name is not None
    found = window.named(task.name)
    if task.action is PlanAction.CREATE:
        if found:
            ids = ", ".join(t.window_task_id for t in found)
            return f"a task of this name now exists ({ids})"
        return None
    if len(found) != 1 or found[0].window_task_id != task.window_task_id:
        now = ", ".join(t.window_task_id for t in found) or "none"
        return f"the live task is no longer {task.window_task_id} (now: {now})"
    assert task.window_task_id is not None
    live = live_members(window.details[task.window_task_id])
    if fingerprint(task.window_task_id, live) != task.fingerprint:
        return f"task {task.window_task_id} changed since the plan was made"
    return None


async def _check_fresh(client: MaintenanceWindowClient, plan: Plan, concurrency: int) -> None:
    changing = plan.with_action(*_CHANGES)
    if not changing:
        return
    window_ids = tuple(dict.fromkeys(t.window_id for t in changing))
    doomed = {t.window_task_id for t in changing if t.action is PlanAction.DELETE}
    # The state's tasks of each window, by its id (a window given by name: its key's).
    keys = {t.window_id: t.key for t in plan.tasks}
    names = {w: plan.desired.windows.get(k, {}) for w, k in keys.items()}

    def wanted(task: MaintenanceWindowTask) -> bool:
        named = task.name is not None and task.name in names.get(task.window_id, {})
        return named or task.window_task_id in doomed

    live = {w.window_id: w for w in await read_windows(client, window_ids, wanted, concurrency)}
    stale = []
    for task in changing:
        reason = _stale(task, live[task.window_id])
        if reason is not None:
            label = task.name if task.name is not None else str(task.window_task_id)
            stale.append(StaleTask(window_id=task.window_id, name=label, reason=reason))
    if stale:
        raise StalePlanError(stale)


ProgressCallback = Callable[[ApplyProgress], None]
T = TypeVar("T")
_REGISTER = REGISTER_TASK.name
_UPDATE = UPDATE_TASK.name
_DEREGISTER = DEREGISTER_TASK.name
#: The actions that send something.
_CHANGES = (PlanAction.CREATE, PlanAction.UPDATE, PlanAction.DELETE)
#: The outcomes of a task whose request was answered.
_SENT = (ApplyOutcome.CREATED, ApplyOutcome.UPDATED, ApplyOutcome.DELETED, ApplyOutcome.FAILED)


async def apply_plan(
    client: MaintenanceWindowClient | ScopedClients,
    plan: Plan | DesiredState,
    *,
    concurrency: int | None = None,
    per_target_concurrency: int = 8,
    progress: ProgressCallback | None = None,
) -> ApplyReport:
    """Converge ``plan`` (or plan ``desired`` and converge that); report each task's outcome.

    ``client`` is an open :class:`~ssm_mw.MaintenanceWindowClient`, or the
    :class:`~ssm_mw.ScopedClients` of a scope (a plan made across a scope
    needs them; see :func:`plan_tasks`). Given a saved :class:`Plan` (read
    back with :meth:`Plan.loads`), the tasks it would change are read again
    first; if any changed since the plan was made, :class:`StalePlanError` is
    raised and nothing is sent (across a scope: that account-Region fails with
    it, nothing is sent there, and the others go on). A plan made in this
    process by :func:`plan_tasks` is applied with the reads that made it: no
    task is read twice (an update replaces the whole task, whatever it had
    become, and a create's client token never makes a second task). Given a
    :class:`DesiredState`, it is planned here (see :func:`plan_tasks`). Then
    every ``create`` is registered (with a client token from window, name and
    definition) and every ``update`` replaced, with at most ``concurrency``
    requests in flight (default 8 on one client; 64 across a scope, overall)
    and at most ``per_target_concurrency`` in each account-Region of a scope.
    A failed task is a :attr:`ApplyOutcome.FAILED` result with its ``error``;
    the others go on. Re-running after a partial failure converges, with no
    duplicates. ``progress``, if given, gets an :class:`ApplyProgress` after
    each task.

    Cancelling the call stops it: no new request is sent (nor a throttled one
    again), requests in flight are waited for, and :class:`ApplyCancelledError`
    is raised with the partial report as ``report`` (across a scope: every
    account-Region's tasks).

    Example::

        report = await apply_plan(mw, await plan_tasks(mw, desired))
        for result in report.failed:
            print(result.label, result.error)
    """
    scoped = isinstance(client, ScopedClients)
    workers = check_concurrency((64 if scoped else 8) if concurrency is None else concurrency)
    per_target = check_count("per_target_concurrency", per_target_concurrency)
    given = cast(object, plan)
    if not isinstance(given, (DesiredState, Plan)):
        raise ValidationError.single(
            "plan", f"expected a Plan or DesiredState, got {type(given).__name__}"
        )
    if isinstance(client, ScopedClients):
        if isinstance(given, Plan) and given.scope is None and not client.scope.is_single:
            raise ValidationError.single(
                "plan", "a plan made on one client is applied on one account-Region"
            )
        if isinstance(given, DesiredState):
            # Cancelled while planning, it raises a plain CancelledError: there is no plan yet.
            given = await plan_tasks(
                client, given, concurrency=workers, per_target_concurrency=per_target
            )
        return await _apply_across(client, given, workers, per_target, progress)
    if isinstance(given, Plan) and given.scope is not None:
        raise ValidationError.single(
            "plan", "a plan made across a scope is applied with the ScopedClients of its scope"
        )
    run = _Run(client, progress)
    if isinstance(given, DesiredState):
        # Cancelled while planning, it raises a plain CancelledError: there is no plan yet.
        plan = await plan_tasks(client, given, concurrency=workers)
    else:
        if given.saved:
            try:
                await _check_fresh(client, given, workers)
            except asyncio.CancelledError:
                raise ApplyCancelledError(run.report(given, complete=False)) from None
        plan = given
    return await run.execute(plan, workers)


async def _apply_across(
    reach: ScopedClients,
    plan: Plan,
    workers: int,
    per_target: int,
    progress: ProgressCallback | None,
) -> ApplyReport:
    """:func:`apply_plan` in every account-Region of ``plan`` that has something to change,
    each on its own run (and Pacer), under one limit of ``workers`` requests in flight."""
    # A plan made on one client, applied on the one account-Region of ``reach``.
    default = reach.targets[0] if plan.scope is None and reach.targets else None
    positions: dict[AccountRegion, list[int]] = {s.target: [] for s in plan.targets}
    for index, task in enumerate(plan.tasks):
        where = task.target if task.target is not None else default
        if where is not None:
            positions.setdefault(where, []).append(index)
    parts = {
        where: attrs.evolve(plan, tasks=tuple(plan.tasks[i] for i in indexes), targets=())
        for where, indexes in positions.items()
    }
    not_planned = {s.target: s.error for s in plan.targets if not s.ok}
    reachable = set(reach.targets)
    running = [
        where
        for where, part in parts.items()
        if where not in not_planned and where in reachable and part.with_action(*_CHANGES)
    ]
    total = sum(len(parts[where].with_action(*_CHANGES)) for where in running)
    started: dict[AccountRegion, _Run] = {}
    ended: list[TargetRuns[None]] = []

    def tell(_: ApplyProgress | None = None) -> None:
        if progress is not None:
            progress(
                ApplyProgress(
                    total=total,
                    done=sum(r.done for r in started.values()),
                    targets_total=len(running),
                    targets_done=ended[0].done if ended else 0,
                )
            )

    def target_ended(runs: TargetRuns[None]) -> None:
        if not ended:
            ended.append(runs)
        tell()

    async def work(where: AccountRegion, client: MaintenanceWindowClient) -> None:
        part = parts[where]
        run = _Run(client, tell)
        started[where] = run
        if part.saved:
            try:
                await _check_fresh(client, part, per_target)
            except asyncio.CancelledError:
                raise ApplyCancelledError(run.report(part, complete=False)) from None
        await run.execute(part, per_target)

    def report(runs: TargetRuns[None], *, complete: bool) -> ApplyReport:
        results: list[TaskResult | None] = [None] * len(plan.tasks)
        summaries: list[TargetSummary] = []
        for where, part in parts.items():
            run = started.get(where)
            mine = _results(part, run.results if run is not None else {})
            for index, result in zip(positions[where], mine, strict=True):
                results[index] = result
            error = not_planned.get(where) or runs.errors.get(where)
            if where not in reachable and where not in not_planned:
                error = SsmMwError(f"{where} is not an account-Region of the clients' scope")
            summaries.append(
                target_summary(
                    where,
                    error=error,
                    done=sum(r.outcome in _SENT and r.error is None for r in mine),
                    failed=[r.error for r in mine if r.error is not None],
                    complete=where not in running or where in runs.results or where in runs.errors,
                )
            )
        return ApplyReport(
            plan=plan,
            results=tuple(r for r in results if r is not None),
            complete=complete,
            targets=tuple(summaries),
        )

    tell()
    try:
        runs = await for_each_target(
            reach, work, concurrency=workers, targets=running, on_done=target_ended
        )
    except TargetsCancelled as stop:
        raise ApplyCancelledError(report(stop.runs, complete=False)) from None
    return report(runs, complete=True)


class _Run:
    """One :func:`apply_plan` run: its results so far, whatever stops it."""

    def __init__(self, client: MaintenanceWindowClient, progress: ProgressCallback | None) -> None:
        self.client = client
        self.progress = progress
        self.results: dict[int, TaskResult] = {}
        self.pacer = Pacer()  # throttled answers slow the run down rather than fail tasks
        self.pool = JobPool()
        self.total = self.done = 0

    def going(self) -> bool:
        return not self.pool.stopping

    def tell(self) -> None:
        if self.progress is not None:
            self.progress(ApplyProgress(total=self.total, done=self.done))

    def job(self, index: int, task: TaskPlan) -> Job:
        async def run() -> None:
            converge = _delete if task.action is PlanAction.DELETE else _converge
            self.results[index] = await converge(self, task)
            self.done += 1
            self.tell()

        return run

    async def execute(self, plan: Plan, workers: int) -> ApplyReport:
        changing = [(i, t) for i, t in enumerate(plan.tasks) if t.action in _CHANGES]
        self.total = len(changing)
        self.tell()
        deletions = [(i, t) for i, t in changing if t.action is PlanAction.DELETE]
        others = [(i, t) for i, t in changing if t.action is not PlanAction.DELETE]
        operations = (_REGISTER, _UPDATE, _DEREGISTER)
        with self.pacer.attached(self.client, operations, keep_going=self.going):
            # Deletions first: they make room under the service's quota of tasks per window.
            for batch in (deletions, others):
                self.pool = JobPool()
                for index, task in batch:
                    # A request in flight is waited for, so that its outcome is known.
                    self.pool.put(self.job(index, task), finish_on_cancel=True)
                try:
                    await self.pool.run(workers)
                except asyncio.CancelledError:
                    raise ApplyCancelledError(self.report(plan, complete=False)) from None
        return self.report(plan)

    def report(self, plan: Plan, *, complete: bool = True) -> ApplyReport:
        return ApplyReport(plan=plan, results=_results(plan, self.results), complete=complete)

    async def send(self, operation: str, call: Callable[[], Awaitable[T]]) -> T:
        return await self.pacer.send(operation, call, keep_going=self.going)


def _results(plan: Plan, done: Mapping[int, TaskResult]) -> tuple[TaskResult, ...]:
    """A result per task of ``plan``: those ``done`` (by index), and what the others are."""
    results = []
    for index, task in enumerate(plan.tasks):
        result = done.get(index)
        if result is None:
            if task.action in _CHANGES:
                outcome = ApplyOutcome.NOT_STARTED
            elif task.action is PlanAction.UNMANAGED:
                outcome = ApplyOutcome.UNMANAGED
            else:
                outcome = ApplyOutcome.UNCHANGED
            result = _result(task, outcome, task.window_task_id)
        results.append(result)
    return tuple(results)


def _result(
    task: TaskPlan,
    outcome: ApplyOutcome,
    task_id: str | None,
    error: Exception | None = None,
) -> TaskResult:
    return TaskResult(
        window_id=task.window_id,
        name=task.name,
        action=task.action,
        outcome=outcome,
        window_task_id=task_id,
        error=error,
        target=task.target,
        window_key=task.window_key,
    )


def _unsent(run: _Run, task: TaskPlan, exc: Exception) -> TaskResult | None:
    """The result of a request that stopped unanswered by the cancellation, if it did."""
    if isinstance(exc, NotSent) or (isinstance(exc, ThrottlingError) and not run.going()):
        return _result(task, ApplyOutcome.INTERRUPTED, task.window_task_id)
    return None


async def _converge(run: _Run, task: TaskPlan) -> TaskResult:
    definition, name = task.definition, task.name
    if definition is None or name is None:  # pragma: no cover - plans make both for changes
        raise ValidationError.single("plan", f"{task.label}: a change without a definition")
    client = run.client
    try:
        if task.action is PlanAction.CREATE:
            token = client_token(task.window_id, name, definition)
            task_id = await run.send(
                _REGISTER,
                lambda: client.register_task_with_maintenance_window(
                    task.window_id, definition, client_token=token
                ),
            )
            return _result(task, ApplyOutcome.CREATED, task_id)
        if task.window_task_id is None:  # pragma: no cover - an update has its task's id
            raise ValidationError.single("plan", f"{task.label}: an update without a task id")
        task_id = task.window_task_id
        await run.send(
            _UPDATE,
            lambda: client.update_maintenance_window_task(
                task.window_id, task_id, replacement(definition), replace=True
            ),
        )
        return _result(task, ApplyOutcome.UPDATED, task.window_task_id)
    except Exception as exc:
        return _unsent(run, task, exc) or _result(
            task, ApplyOutcome.FAILED, task.window_task_id, exc
        )


async def _delete(run: _Run, task: TaskPlan) -> TaskResult:
    """Deregister a task to delete; a task found gone is deleted (a lost answer, a re-run)."""
    client, window_id, task_id = run.client, task.window_id, task.window_task_id
    if task_id is None:  # pragma: no cover - a deletion has its task's id
        raise ValidationError.single("plan", f"{task.label}: a deletion without a task id")
    try:
        await run.send(
            _DEREGISTER,
            lambda: client.deregister_task_from_maintenance_window(window_id, task_id),
        )
    except DoesNotExistError:
        return _result(task, ApplyOutcome.DELETED, task_id)  # an earlier answer was lost
    except Exception as exc:
        unsent = _unsent(run, task, exc)
        if unsent is not None:
            return unsent
        try:  # the answer may be what failed: ask whether the task is still there
            await client.get_maintenance_window_task(window_id, task_id)
        except DoesNotExistError:
            return _result(task, ApplyOutcome.DELETED, task_id)
        except Exception:
            pass
        return _result(task, ApplyOutcome.FAILED, task_id, exc)
    return _result(task, ApplyOutcome.DELETED, task_id)


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
