"""Plans: the difference between a :class:`DesiredState` and what is live (private).

:func:`plan_tasks` reads every window the desired state names (describe, then
get for each live task whose name the state manages; at most ``concurrency``
requests in flight) and returns a :class:`Plan`: one :class:`TaskPlan` per
desired task and per live task the state does not name. A plan can be saved
(:meth:`Plan.dumps`) and read back (:meth:`Plan.loads`) to be applied later.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import attrs

from ._converter import to_botocore
from ._desired import (
    DesiredState,
    MemberChange,
    compared_live,
    diff,
    fingerprint,
    live_members,
    replacement,
    reported_members,
)
from ._enums import TaskType
from ._errors import SsmMwError, ValidationError
from ._jsonform import to_json_value
from ._live import LiveWindow, Wanted, check_concurrency, check_count, read_windows
from ._models import MaintenanceWindowTaskDetails, TaskDefinition
from ._public import publish_exported
from ._version import __version__

if TYPE_CHECKING:
    from ._client import MaintenanceWindowClient

__all__ = [
    "Plan",
    "PlanAction",
    "PlanConflict",
    "PlanError",
    "TaskPlan",
    "plan_tasks",
]

_FORMAT = "ssm-mw plan"
_VERSION = 1


class PlanAction(enum.Enum):
    """What a plan does with one task."""

    #: No live task has the name: it will be registered.
    CREATE = "create"
    #: The live task differs: it will be updated (replaced) to the definition.
    UPDATE = "update"
    #: The live task is as desired: nothing is sent.
    UNCHANGED = "unchanged"
    #: A live task the desired state does not name (or one without a name): left alone.
    UNMANAGED = "unmanaged"
    #: With ``prune``: a live task of a window the state manages that the state does not
    #: name (one without a name included): it will be deregistered.
    DELETE = "delete"


@attrs.frozen(kw_only=True)
class TaskPlan:
    """One task of a :class:`Plan`.

    ``window_task_id`` is ``None`` for :attr:`PlanAction.CREATE`; ``name`` is
    ``None`` only for an unmanaged task without a name. ``changes`` lists the
    members an update changes (empty otherwise); ``members`` their wire paths.
    ``definition`` is the desired definition (``None`` for unmanaged tasks and
    deletions); ``fingerprint`` is a digest of the live task (``None`` for
    create and unmanaged), used to refuse a stale plan. ``task_arn`` is the
    live task's (for a task to delete, shown with it).
    """

    window_id: str
    name: str | None
    action: PlanAction
    window_task_id: str | None = None
    task_type: TaskType | None = None
    changes: tuple[MemberChange, ...] = ()
    definition: TaskDefinition | None = attrs.field(default=None, repr=False)
    fingerprint: str | None = attrs.field(default=None, repr=False)
    task_arn: str | None = None

    @property
    def members(self) -> tuple[str, ...]:
        """The wire paths of the members that differ (``("Priority", ...)``)."""
        return tuple(c.member for c in self.changes)

    @property
    def label(self) -> str:
        """``WINDOW/NAME`` (or ``WINDOW/TASK_ID`` for a task without a name)."""
        return f"{self.window_id}/{self.name if self.name is not None else self.window_task_id}"


@attrs.frozen(kw_only=True)
class Plan:
    """What :func:`apply_plan` would do: a :class:`TaskPlan` per task, grouped by window.

    Within a window, the desired tasks come first (in the desired state's
    order), then the unmanaged ones (in listing order).
    """

    desired: DesiredState
    tasks: tuple[TaskPlan, ...]
    #: What an apply of this plan may run into although the plan is valid, one line each:
    #: a window the plan takes past the service's task quota. Not kept in a saved plan.
    warnings: tuple[str, ...] = attrs.field(default=(), eq=False)
    #: Whether it was read back from a saved plan (:meth:`loads`): :func:`apply_plan` then
    #: reads the tasks it would change again, and refuses it if any changed since.
    saved: bool = attrs.field(default=False, eq=False)
    #: Whether it was made with ``prune``: the windows hold exactly the state's tasks.
    prune: bool = False

    def with_action(self, *actions: PlanAction) -> tuple[TaskPlan, ...]:
        """The tasks whose action is one of ``actions``."""
        return tuple(t for t in self.tasks if t.action in actions)

    @property
    def summary(self) -> dict[PlanAction, int]:
        """How many tasks of each action (every action present, zeros included)."""
        return {a: sum(1 for t in self.tasks if t.action is a) for a in PlanAction}

    @property
    def has_changes(self) -> bool:
        """Whether applying would create, update or delete anything."""
        return bool(self.with_action(PlanAction.CREATE, PlanAction.UPDATE, PlanAction.DELETE))

    def dumps(self) -> str:
        """The saved-plan file (JSON): the desired state, and a fingerprint per live task.

        The desired state is stored as it is, sensitive values included (the
        desired-state file holds them too: keep a saved plan as safe as it).
        Of the live tasks, only a digest and the changed members are stored,
        sensitive ones as ``"***"``.
        """
        data = {
            "format": _FORMAT,
            "version": _VERSION,
            "ssm_mw_version": __version__,
            "desired": to_json_value(self.desired.to_botocore()),
            "prune": self.prune,
            "tasks": [_task_json(t) for t in self.tasks],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def loads(cls, text: str) -> Plan:
        """Read a saved plan made by :meth:`dumps`; raise :class:`~ssm_mw.ValidationError`."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValidationError.single("plan", f"not a saved plan: {exc}") from None
        return _plan_from_json(data)

    @staticmethod
    def is_saved_plan(data: object) -> bool:
        """Whether a parsed JSON value is a saved plan (rather than a desired-state file)."""
        return (
            isinstance(data, Mapping) and cast("Mapping[str, Any]", data).get("format") == _FORMAT
        )


# -- conflicts --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PlanConflict:
    """A live state the plan cannot converge: two tasks of one name, a type change, or an
    update the service would refuse (a replace without ``Priority``, fidelity F10)."""

    window_id: str
    name: str
    window_task_ids: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return f"{self.window_id}/{self.name}: {self.message}"


class PlanError(SsmMwError):
    """The live state conflicts with the desired state; ``conflicts`` says where.

    Raised for a window holding two or more live tasks with a name the state
    manages (every id is named), for a task whose type would change (an
    update cannot change ``TaskType``), and for a task to update whose
    definition lacks a member the service needs in a replace (``Priority``:
    an update replaces the whole task, and the service refuses a replace
    without one; registering a task without it is fine). Nothing was sent but
    reads.
    """

    def __init__(self, conflicts: Sequence[PlanConflict]) -> None:
        self.conflicts = tuple(conflicts)
        super().__init__("; ".join(str(c) for c in self.conflicts))


def _conflicts(window: LiveWindow, tasks: Mapping[str, TaskDefinition]) -> list[PlanConflict]:
    out: list[PlanConflict] = []
    for name, definition in tasks.items():
        found = window.named(name)
        ids = tuple(t.window_task_id for t in found)
        if len(found) > 1:
            message = f"{len(found)} live tasks have this name ({', '.join(ids)}); keep one"
            out.append(
                PlanConflict(
                    window_id=window.window_id, name=name, window_task_ids=ids, message=message
                )
            )
        elif found and found[0].task_type not in (None, definition.task_type):
            live_type = found[0].task_type
            message = (
                f"task {ids[0]} is {live_type.value}, the definition {definition.task_type.value}: "
                "an update cannot change the task type (deregister it, or use another name)"
            )
            out.append(
                PlanConflict(
                    window_id=window.window_id, name=name, window_task_ids=ids, message=message
                )
            )
    return out


# -- planning ---------------------------------------------------------------------------


def _window_plan(
    window: LiveWindow, tasks: Mapping[str, TaskDefinition], prune: bool = False
) -> list[TaskPlan]:
    out: list[TaskPlan] = []
    for name, definition in tasks.items():
        found = window.named(name)
        if not found:
            out.append(
                TaskPlan(
                    window_id=window.window_id,
                    name=name,
                    action=PlanAction.CREATE,
                    task_type=definition.task_type,
                    changes=diff({}, reported_members(definition)),
                    definition=definition,
                )
            )
            continue
        task_id = found[0].window_task_id
        live = live_members(window.details[task_id])
        wanted = reported_members(definition)
        changes = diff(compared_live(live, wanted), wanted)
        out.append(
            TaskPlan(
                window_id=window.window_id,
                name=name,
                action=PlanAction.UPDATE if changes else PlanAction.UNCHANGED,
                window_task_id=task_id,
                task_type=definition.task_type,
                changes=changes,
                definition=definition,
                fingerprint=fingerprint(task_id, live),
            )
        )
    for task in window.listed:
        if task.name is None or task.name not in tasks:
            details = window.details.get(task.window_task_id) if prune else None
            out.append(
                TaskPlan(
                    window_id=window.window_id,
                    name=task.name,
                    action=PlanAction.DELETE if details is not None else PlanAction.UNMANAGED,
                    window_task_id=task.window_task_id,
                    task_type=task.task_type,
                    task_arn=task.task_arn,
                    fingerprint=None
                    if details is None
                    else fingerprint(task.window_task_id, live_members(details)),
                )
            )
    return out


async def plan_tasks(
    client: MaintenanceWindowClient,
    desired: DesiredState,
    *,
    concurrency: int = 8,
    tasks_per_window: int | None = None,
    prune: bool = False,
) -> Plan:
    """What it takes to make the live windows match ``desired``: a :class:`Plan`.

    ``client`` is an open :class:`~ssm_mw.MaintenanceWindowClient`. Each window
    of ``desired`` is described, and each live task whose name it manages is
    read in full; at most ``concurrency`` requests are in flight. A read that
    fails raises its error. A window with two live tasks of one managed name,
    or a task whose type would change, raises :class:`PlanError`. Nothing is
    changed.

    With ``prune=True`` the windows the state names are to hold exactly its
    tasks: every other live task of those windows (one without a name
    included) is :attr:`PlanAction.DELETE`, and a window the state names with
    no tasks is to be emptied (a line of :attr:`Plan.warnings` says so).
    Without it, those tasks are :attr:`PlanAction.UNMANAGED` and left alone.

    A window the plan would take past the service's quota of tasks per window
    (``tasks_per_window``, default 20, the quota page's default) is a line of
    :attr:`Plan.warnings`, not an error: a raised quota lets the apply through.

    Example::

        plan = await plan_tasks(mw, DesiredState(windows={"mw-0123456789abcdef0": {...}}))
        for task in plan.with_action(PlanAction.UPDATE):
            print(task.label, task.members)
    """
    workers = check_concurrency(concurrency)
    quota = _check_quota(tasks_per_window)
    given = cast(object, desired)
    if not isinstance(given, DesiredState):
        raise ValidationError.single(
            "desired", f"expected a DesiredState, got {type(given).__name__}"
        )
    if not isinstance(cast(object, prune), bool):
        raise ValidationError.single("prune", f"expected a bool, got {type(prune).__name__}")
    wanted: Wanted = (lambda _task: True) if prune else desired.windows
    live = await read_windows(client, tuple(desired.windows), wanted, workers)
    conflicts = [c for w in live for c in _conflicts(w, desired.windows[w.window_id])]
    if conflicts:
        raise PlanError(conflicts)
    tasks = [t for w in live for t in _window_plan(w, desired.windows[w.window_id], prune)]
    details = {task_id: d for w in live for task_id, d in w.details.items()}
    unsendable = [c for t in tasks if (c := _unsendable(t, details)) is not None]
    if unsendable:
        raise PlanError(unsendable)
    warnings = tuple(w for window in live if (w := _over_quota(window, tasks, quota)))
    if prune:
        warnings += tuple(
            f"{window.window_id}: the state names no task for this window: "
            f"pruning deletes all {len(window.listed)} of its tasks"
            for window in live
            if not desired.windows[window.window_id] and window.listed
        )
    return Plan(desired=desired, tasks=tuple(tasks), warnings=warnings, prune=prune)


def _check_quota(value: object) -> int:
    from ._rules import TASKS_PER_WINDOW

    return TASKS_PER_WINDOW.default if value is None else check_count("tasks_per_window", value)


def _over_quota(window: LiveWindow, tasks: Sequence[TaskPlan], quota: int) -> str:
    """The warning for a window that the plan's creates take past ``quota`` tasks, or ``""``."""
    mine = [t.action for t in tasks if t.window_id == window.window_id]
    creates = mine.count(PlanAction.CREATE)
    after = len(window.listed) + creates - mine.count(PlanAction.DELETE)
    if not creates or after <= quota:
        return ""
    failing = min(creates, after - quota)
    return (
        f"{window.window_id}: the plan makes {after} tasks in the window, past the service's "
        f"quota of {quota} tasks per maintenance window: {failing} of its {creates} creates "
        "would fail unless the quota was raised"
    )


def _unsendable(
    task: TaskPlan, details: Mapping[str, MaintenanceWindowTaskDetails]
) -> PlanConflict | None:
    """The conflict of an update whose replace the service would refuse (F8, F10), if any."""
    if task.action is not PlanAction.UPDATE or task.definition is None or task.name is None:
        return None
    from ._rules import REPLACE_RULES

    sent = to_botocore(replacement(task.definition))
    missing = [r for r in REPLACE_RULES if r.check(replace=True, sent=sent) is not None]
    if not missing or task.window_task_id is None:
        return None
    rule = missing[0]
    live = getattr(details[task.window_task_id], rule.attribute, None)
    has = "" if live is None else f" (the live task has {rule.member} {live!r})"
    message = (
        f"{rule.member} is not given, and the update replaces the task: the service refuses "
        f"a replace without it ({rule.id} in docs/fidelity.md); give {rule.member}{has}"
    )
    return PlanConflict(
        window_id=task.window_id,
        name=task.name,
        window_task_ids=(task.window_task_id,),
        message=message,
    )


# -- the saved-plan file ----------------------------------------------------------------


def _task_json(task: TaskPlan) -> dict[str, Any]:
    return {
        "window_id": task.window_id,
        "name": task.name,
        "action": task.action.value,
        "window_task_id": task.window_task_id,
        "task_type": None if task.task_type is None else task.task_type.value,
        "fingerprint": task.fingerprint,
        "task_arn": task.task_arn,
        "changes": [
            {"member": c.member, "before": c.before, "after": c.after, "sensitive": c.sensitive}
            for c in task.changes
        ],
    }


def _bad(message: str) -> ValidationError:
    return ValidationError.single("plan", message)


def _opt_str(entry: Mapping[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if value is not None and not isinstance(value, str):
        raise _bad(f"tasks: {key} must be a string or null")
    return value


def _task_from_json(entry: object, desired: DesiredState) -> TaskPlan:
    if not isinstance(entry, Mapping):
        raise _bad("tasks: each entry must be an object")
    item = cast("Mapping[str, Any]", entry)
    window_id, name = _opt_str(item, "window_id"), _opt_str(item, "name")
    try:
        action = PlanAction(item.get("action"))
    except ValueError:
        raise _bad(f"tasks: unknown action {item.get('action')!r}") from None
    if window_id is None or window_id not in desired.windows:
        raise _bad(f"tasks: window {window_id!r} is not in the plan's desired state")
    definition = desired.windows[window_id].get(name) if name is not None else None
    if action not in (PlanAction.UNMANAGED, PlanAction.DELETE) and definition is None:
        raise _bad(f"tasks: {window_id}/{name} is not in the plan's desired state")
    task_id, print_ = _opt_str(item, "window_task_id"), _opt_str(item, "fingerprint")
    if action in (PlanAction.UPDATE, PlanAction.UNCHANGED, PlanAction.DELETE) and (
        task_id is None or print_ is None
    ):
        raise _bad(f"tasks: {window_id}/{name} lacks its window_task_id or fingerprint")
    kind = _opt_str(item, "task_type")
    changes = [
        MemberChange(
            member=str(c["member"]),
            before=c.get("before"),
            after=c.get("after"),
            sensitive=bool(c.get("sensitive")),
        )
        for c in cast("list[Mapping[str, Any]]", item.get("changes") or [])
    ]
    return TaskPlan(
        window_id=window_id,
        name=name,
        action=action,
        window_task_id=task_id,
        task_type=None if kind is None else TaskType(kind),
        changes=tuple(changes),
        definition=definition if action is not PlanAction.DELETE else None,
        fingerprint=print_,
        task_arn=_opt_str(item, "task_arn"),
    )


def _plan_from_json(data: object) -> Plan:
    if not Plan.is_saved_plan(data):
        raise _bad(f'not a saved plan (no "format": "{_FORMAT}")')
    item = cast("Mapping[str, Any]", data)
    if item.get("version") != _VERSION:
        raise _bad(
            f"saved-plan version {item.get('version')!r} is not supported (expected {_VERSION})"
        )
    given: Any = item.get("desired")  # checked by the reader, blobs in their JSON form
    try:
        desired = DesiredState.from_botocore(given)
    except ValidationError as exc:
        raise _bad(f"its desired state is invalid: {exc}") from None
    except ValueError as exc:
        raise _bad(f"its desired state cannot be read: {exc}") from None
    entries = item.get("tasks")
    if not isinstance(entries, list):
        raise _bad("tasks must be a list")
    try:
        tasks = tuple(_task_from_json(e, desired) for e in cast("list[object]", entries))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise _bad(f"tasks: cannot be read ({exc})") from None
    return Plan(desired=desired, tasks=tasks, saved=True, prune=item.get("prune") is True)


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
