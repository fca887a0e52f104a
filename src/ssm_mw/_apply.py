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
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

import attrs

from ._desired import DesiredState, client_token, fingerprint, live_members, replacement
from ._errors import SsmMwError, ValidationError
from ._live import LiveWindow, check_concurrency, read_windows
from ._operations import DEREGISTER_TASK, REGISTER_TASK, UPDATE_TASK
from ._pacing import Pacer
from ._plan import Plan, PlanAction, TaskPlan, plan_tasks
from ._pool import Job, JobPool
from ._public import publish_exported
from ._service_errors import DoesNotExistError

if TYPE_CHECKING:
    from ._client import MaintenanceWindowClient
    from ._models import MaintenanceWindowTask

__all__ = [
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


@attrs.frozen(kw_only=True)
class TaskResult:
    """The outcome of one task of a plan.

    ``window_task_id`` is the task's id (for a create, the new one; ``None`` if
    the register failed). ``error`` is set exactly when ``outcome`` is
    :attr:`ApplyOutcome.FAILED`.
    """

    window_id: str
    name: str | None
    action: PlanAction
    outcome: ApplyOutcome
    window_task_id: str | None = None
    error: Exception | None = attrs.field(default=None, eq=False)

    @property
    def label(self) -> str:
        """``WINDOW/NAME`` (or ``WINDOW/TASK_ID`` for a task without a name)."""
        return f"{self.window_id}/{self.name if self.name is not None else self.window_task_id}"


@attrs.frozen(kw_only=True)
class ApplyReport:
    """The result of :func:`apply_plan`: the plan applied, and a :class:`TaskResult` per task."""

    plan: Plan
    results: tuple[TaskResult, ...]

    def with_outcome(self, *outcomes: ApplyOutcome) -> tuple[TaskResult, ...]:
        """The results whose outcome is one of ``outcomes``."""
        return tuple(r for r in self.results if r.outcome in outcomes)

    @property
    def failed(self) -> tuple[TaskResult, ...]:
        """The tasks whose register or update failed."""
        return self.with_outcome(ApplyOutcome.FAILED)

    @property
    def ok(self) -> bool:
        """Whether nothing failed."""
        return not self.failed


@attrs.frozen(kw_only=True)
class ApplyProgress:
    """A snapshot for the ``progress`` callback of :func:`apply_plan`: tasks sent and done."""

    total: int
    done: int


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
    names = plan.desired.windows

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
_REGISTER = REGISTER_TASK.name
_UPDATE = UPDATE_TASK.name
_DEREGISTER = DEREGISTER_TASK.name
#: The actions that send something.
_CHANGES = (PlanAction.CREATE, PlanAction.UPDATE, PlanAction.DELETE)


async def apply_plan(
    client: MaintenanceWindowClient,
    plan: Plan | DesiredState,
    *,
    concurrency: int = 8,
    progress: ProgressCallback | None = None,
) -> ApplyReport:
    """Converge ``plan`` (or plan ``desired`` and converge that); report each task's outcome.

    Given a saved :class:`Plan` (read back with :meth:`Plan.loads`), the tasks
    it would change are read again first; if any changed since the plan was
    made, :class:`StalePlanError` is raised and nothing is sent. A plan made in
    this process by :func:`plan_tasks` is applied with the reads that made it:
    no task is read twice (an update replaces the whole task, whatever it had
    become, and a create's client token never makes a second task). Given a
    :class:`DesiredState`, it is planned here (see :func:`plan_tasks`). Then
    every ``create`` is registered (with a client token from window, name and
    definition) and every ``update`` replaced,
    with at most ``concurrency`` requests in flight. A failed task is a
    :attr:`ApplyOutcome.FAILED` result with its ``error``; the others go on.
    Re-running after a partial failure converges, with no duplicates.
    ``progress``, if given, gets an :class:`ApplyProgress` after each task.

    Example::

        report = await apply_plan(mw, await plan_tasks(mw, desired))
        for result in report.failed:
            print(result.label, result.error)
    """
    workers = check_concurrency(concurrency)
    given = cast(object, plan)
    if isinstance(given, DesiredState):
        plan = await plan_tasks(client, given, concurrency=workers)
    elif isinstance(given, Plan):
        if given.saved:
            await _check_fresh(client, given, workers)
        plan = given
    else:
        raise ValidationError.single(
            "plan", f"expected a Plan or DesiredState, got {type(given).__name__}"
        )
    results: dict[int, TaskResult] = {}
    changing = [(i, t) for i, t in enumerate(plan.tasks) if t.action in _CHANGES]
    done = 0

    def report() -> None:
        if progress is not None:
            progress(ApplyProgress(total=len(changing), done=done))

    pacer = Pacer()  # throttled answers slow the run down rather than fail tasks

    def job(index: int, task: TaskPlan) -> Job:
        async def run() -> None:
            nonlocal done
            converge = _delete if task.action is PlanAction.DELETE else _converge
            results[index] = await converge(client, task, pacer)
            done += 1
            report()

        return run

    report()
    deletions = [(i, t) for i, t in changing if t.action is PlanAction.DELETE]
    with pacer.attached(client, (_REGISTER, _UPDATE, _DEREGISTER)):
        # Deletions first: they make room under the service's quota of tasks per window.
        for batch in (deletions, [(i, t) for i, t in changing if (i, t) not in deletions]):
            pool = JobPool()
            for index, task in batch:
                pool.put(job(index, task))
            await pool.run(workers)
    for index, task in enumerate(plan.tasks):
        if index not in results:
            outcome = (
                ApplyOutcome.UNMANAGED
                if task.action is PlanAction.UNMANAGED
                else ApplyOutcome.UNCHANGED
            )
            results[index] = TaskResult(
                window_id=task.window_id,
                name=task.name,
                action=task.action,
                outcome=outcome,
                window_task_id=task.window_task_id,
            )
    return ApplyReport(plan=plan, results=tuple(results[i] for i in range(len(plan.tasks))))


async def _converge(client: MaintenanceWindowClient, task: TaskPlan, pacer: Pacer) -> TaskResult:
    definition, name = task.definition, task.name
    if definition is None or name is None:  # pragma: no cover - plans make both for changes
        raise ValidationError.single("plan", f"{task.label}: a change without a definition")

    def result(
        outcome: ApplyOutcome, task_id: str | None, error: Exception | None = None
    ) -> TaskResult:
        return TaskResult(
            window_id=task.window_id,
            name=name,
            action=task.action,
            outcome=outcome,
            window_task_id=task_id,
            error=error,
        )

    try:
        if task.action is PlanAction.CREATE:
            token = client_token(task.window_id, name, definition)
            task_id = await pacer.send(
                _REGISTER,
                lambda: client.register_task_with_maintenance_window(
                    task.window_id, definition, client_token=token
                ),
            )
            return result(ApplyOutcome.CREATED, task_id)
        if task.window_task_id is None:  # pragma: no cover - an update has its task's id
            raise ValidationError.single("plan", f"{task.label}: an update without a task id")
        task_id = task.window_task_id
        await pacer.send(
            _UPDATE,
            lambda: client.update_maintenance_window_task(
                task.window_id, task_id, replacement(definition), replace=True
            ),
        )
        return result(ApplyOutcome.UPDATED, task.window_task_id)
    except Exception as exc:
        return result(ApplyOutcome.FAILED, task.window_task_id, exc)


async def _delete(client: MaintenanceWindowClient, task: TaskPlan, pacer: Pacer) -> TaskResult:
    """Deregister a task to delete; a task found gone is deleted (a lost answer, a re-run)."""
    window_id, task_id = task.window_id, task.window_task_id
    if task_id is None:  # pragma: no cover - a deletion has its task's id
        raise ValidationError.single("plan", f"{task.label}: a deletion without a task id")

    def result(outcome: ApplyOutcome, error: Exception | None = None) -> TaskResult:
        return TaskResult(
            window_id=window_id,
            name=task.name,
            action=task.action,
            outcome=outcome,
            window_task_id=task_id,
            error=error,
        )

    try:
        await pacer.send(
            _DEREGISTER,
            lambda: client.deregister_task_from_maintenance_window(window_id, task_id),
        )
    except DoesNotExistError:
        return result(ApplyOutcome.DELETED)  # gone: an earlier attempt's answer was lost
    except Exception as exc:
        try:  # the answer may be what failed: ask whether the task is still there
            await client.get_maintenance_window_task(window_id, task_id)
        except DoesNotExistError:
            return result(ApplyOutcome.DELETED)
        except Exception:
            pass
        return result(ApplyOutcome.FAILED, exc)
    return result(ApplyOutcome.DELETED)


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
