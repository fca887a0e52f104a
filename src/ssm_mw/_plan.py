"""Plans: the difference between a :class:`DesiredState` and what is live (private).

:func:`plan_tasks` reads every window the desired state names (describe, then
get for each live task whose name the state manages; at most ``concurrency``
requests in flight) and returns a :class:`Plan`: one :class:`TaskPlan` per
desired task and per live task the state does not name. A plan can be saved
(:meth:`Plan.dumps`) and read back (:meth:`Plan.loads`) to be applied later.

Given the :class:`~ssm_mw.ScopedClients` of a scope, each account-Region is
planned on its own (its windows found by name, its own Pacer), all of them at
once under one limit of requests in flight; an account-Region that fails (not
reached, a window missing or two of one name, a conflict) is a failed
:class:`~ssm_mw.TargetSummary` of :attr:`Plan.targets`, and the others are planned.
"""

from __future__ import annotations

import asyncio
import enum
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import attrs

from ._converter import to_botocore
from ._desired import (
    NAME_PREFIX,
    DesiredState,
    MemberChange,
    compared_live,
    diff,
    fingerprint,
    key_path,
    live_members,
    replacement,
    reported_members,
    scope_data,
    scope_from_data,
    window_name,
)
from ._enums import TaskType
from ._errors import SsmMwError, ValidationError, Violation
from ._jsonform import to_json_value
from ._live import LiveWindow, Wanted, check_concurrency, check_count, read_windows
from ._models import MaintenanceWindowTaskDetails, TaskDefinition
from ._organization import (
    ScopedClients,
    TargetsCancelled,
    TargetStatus,
    TargetSummary,
    find_windows,
    for_each_target,
    target_summary,
)
from ._public import publish_exported
from ._scope import AccountRegion, Scope, WindowSelection
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

    ``target`` is the task's account-Region in a plan across a scope (``None``
    in a plan on one client); ``window_key`` is the desired state's key of its
    window when that is not the id (``name:patching``), ``None`` otherwise.
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
    target: AccountRegion | None = None
    window_key: str | None = None

    @property
    def key(self) -> str:
        """The desired state's key of the task's window: ``window_key``, or the window id."""
        return self.window_key if self.window_key is not None else self.window_id

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

    A plan across a scope has the tasks of each account-Region in turn (the
    scope's order), each with its ``target``; ``targets`` has one
    :class:`~ssm_mw.TargetSummary` per account-Region (``ok``, or ``failed``
    with the error that stopped its planning), and ``scope`` is the scope it
    was made across (a saved plan keeps both, so that it is applied in the
    same accounts and Regions). A plan on one client has neither.
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
    #: One summary per account-Region of a plan across a scope (empty on one client).
    targets: tuple[TargetSummary, ...] = ()
    #: The scope a plan across a scope was made in (``None`` on one client).
    scope: Scope | None = None

    @property
    def failed_targets(self) -> tuple[TargetSummary, ...]:
        """The account-Regions that could not be planned (a plan across a scope)."""
        return tuple(t for t in self.targets if not t.ok)

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
        data: dict[str, Any] = {
            "format": _FORMAT,
            "version": _VERSION,
            "ssm_mw_version": __version__,
            "desired": to_json_value(self.desired.to_botocore()),
            "prune": self.prune,
        }
        if self.scope is not None:  # a plan across a scope: where it was made, and how it went
            data["scope"] = scope_data(self.scope, shard=True)
            data["targets"] = [_summary_to_json(t) for t in self.targets]
        data["tasks"] = [_task_json(t) for t in self.tasks]
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
    client: MaintenanceWindowClient | ScopedClients,
    desired: DesiredState,
    *,
    concurrency: int | None = None,
    per_target_concurrency: int = 8,
    tasks_per_window: int | None = None,
    prune: bool = False,
) -> Plan:
    """What it takes to make the live windows match ``desired``: a :class:`Plan`.

    ``client`` is an open :class:`~ssm_mw.MaintenanceWindowClient`, or the
    :class:`~ssm_mw.ScopedClients` of a scope, to plan each of its
    account-Regions at once. A window given by name (``name:patching``) is
    found in each account-Region (one of each name, or
    :class:`~ssm_mw.WindowLookupError`); a window id across a scope is allowed
    only when the scope is a single account-Region (an id belongs to one), or
    :class:`~ssm_mw.ValidationError` names its key before any request.

    Each window is described, and each live task whose name the state manages
    is read in full; at most ``concurrency`` requests are in flight (default
    8 on one client; 64 across a scope, overall), and at most
    ``per_target_concurrency`` in each account-Region of a scope. On one
    client, a read that fails raises its error, and a window with two live
    tasks of one managed name, or a task whose type would change, raises
    :class:`PlanError`. Across a scope, each of those fails its account-Region
    only (a failed summary in :attr:`Plan.targets`, with the error; a role
    not assumed, a Region not enabled too), and the others are planned.
    Nothing is changed.

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

        async with ScopedClients(Scope(regions=["us-east-1", "eu-west-1"])) as reach:
            plan = await plan_tasks(reach, DesiredState(windows={"name:patching": {...}}))
    """
    scoped = isinstance(client, ScopedClients)
    workers = check_concurrency((64 if scoped else 8) if concurrency is None else concurrency)
    per_target = check_count("per_target_concurrency", per_target_concurrency)
    quota = _check_quota(tasks_per_window)
    given = cast(object, desired)
    if not isinstance(given, DesiredState):
        raise ValidationError.single(
            "desired", f"expected a DesiredState, got {type(given).__name__}"
        )
    if not isinstance(cast(object, prune), bool):
        raise ValidationError.single("prune", f"expected a bool, got {type(prune).__name__}")
    if isinstance(client, ScopedClients):
        check_window_keys(desired, client.scope)
        return await _plan_across(client, desired, workers, per_target, quota, prune)
    return await _plan_client(client, desired, workers, quota, prune)


def check_window_keys(desired: DesiredState, scope: Scope) -> None:
    """Refuse window ids in ``desired`` across a scope of more than one account-Region."""
    if scope.is_single:
        return
    ids = [key for key in desired.windows if window_name(key) is None]
    if ids:
        message = (
            "a window id belongs to one account-Region: across a scope, give the window "
            f"by name ({NAME_PREFIX}<window name>)"
        )
        raise ValidationError([Violation(path=key_path(key), message=message) for key in ids])


async def _plan_client(
    client: MaintenanceWindowClient,
    desired: DesiredState,
    workers: int,
    quota: int,
    prune: bool,
    target: AccountRegion | None = None,
) -> Plan:
    """The plan of one account-Region (``target``, ``None`` on one client): its windows
    given by name found there, then read and compared."""
    state, keys = desired, {}
    names = desired.window_names()
    if names:
        found = await find_windows(client, WindowSelection.named(*names), target=target)
        ids = {str(w.name): w.window_id for w in found}
        keys = {ids[name]: f"{NAME_PREFIX}{name}" for name in names}
        state = desired.resolved(ids)
    wanted: Wanted = (lambda _task: True) if prune else state.windows
    live = await read_windows(client, tuple(state.windows), wanted, workers)
    conflicts = [c for w in live for c in _conflicts(w, state.windows[w.window_id])]
    if conflicts:
        raise PlanError(conflicts)
    tasks = [t for w in live for t in _window_plan(w, state.windows[w.window_id], prune)]
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
            if not state.windows[window.window_id] and window.listed
        )
    if target is not None or keys:
        tasks = [attrs.evolve(t, target=target, window_key=keys.get(t.window_id)) for t in tasks]
    return Plan(desired=desired, tasks=tuple(tasks), warnings=warnings, prune=prune)


async def _plan_across(
    reach: ScopedClients,
    desired: DesiredState,
    workers: int,
    per_target: int,
    quota: int,
    prune: bool,
) -> Plan:
    """:func:`plan_tasks` in every account-Region of ``reach``, each with its own reads
    (and Pacer), under one limit of ``workers`` requests in flight."""

    async def work(target: AccountRegion, client: MaintenanceWindowClient) -> Plan:
        return await _plan_client(client, desired, per_target, quota, prune, target)

    try:
        runs = await for_each_target(reach, work, concurrency=workers)
    except TargetsCancelled:
        raise asyncio.CancelledError from None  # nothing was changed: there is no plan
    tasks: list[TaskPlan] = []
    warnings: list[str] = []
    summaries: list[TargetSummary] = []
    for target in reach.targets:
        planned = runs.results.get(target)
        if planned is not None:
            tasks.extend(planned.tasks)
            warnings.extend(f"{target}: {w}" for w in planned.warnings)
        summaries.append(target_summary(target, error=runs.errors.get(target)))
    return Plan(
        desired=desired,
        tasks=tuple(tasks),
        warnings=tuple(warnings),
        prune=prune,
        targets=tuple(summaries),
        scope=reach.scope,
    )


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


def _summary_to_json(summary: TargetSummary) -> dict[str, Any]:
    error = summary.error
    return {
        "account": summary.target.account,
        "region": summary.target.region,
        "status": summary.status.value,
        "error": None if error is None else (str(error) or type(error).__name__),
    }


def _target_json(target: AccountRegion | None) -> dict[str, Any]:
    if target is None:
        return {}
    return {"account": target.account, "region": target.region}


def _task_json(task: TaskPlan) -> dict[str, Any]:
    where = _target_json(task.target)
    if task.window_key is not None:
        where["window_key"] = task.window_key
    return {
        **where,
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


def _where(item: Mapping[str, Any], what: str) -> AccountRegion | None:
    """The account-Region of a saved plan's entry (``None`` without a ``region``)."""
    region = item.get("region")
    if region is None:
        return None
    if not isinstance(region, str):
        raise _bad(f"{what}: region must be a string")
    return AccountRegion(account=_opt_str(item, "account"), region=region)


def _task_from_json(entry: object, desired: DesiredState) -> TaskPlan:
    if not isinstance(entry, Mapping):
        raise _bad("tasks: each entry must be an object")
    item = cast("Mapping[str, Any]", entry)
    window_id, name = _opt_str(item, "window_id"), _opt_str(item, "name")
    window_key = _opt_str(item, "window_key")
    try:
        action = PlanAction(item.get("action"))
    except ValueError:
        raise _bad(f"tasks: unknown action {item.get('action')!r}") from None
    key = window_key if window_key is not None else window_id
    if window_id is None or key is None or key not in desired.windows:
        raise _bad(f"tasks: window {key!r} is not in the plan's desired state")
    definition = desired.windows[key].get(name) if name is not None else None
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
        target=_where(item, "tasks"),
        window_key=window_key,
    )


def _summary_from_json(entry: object) -> TargetSummary:
    if not isinstance(entry, Mapping):
        raise _bad("targets: each entry must be an object")
    item = cast("Mapping[str, Any]", entry)
    target = _where(item, "targets")
    if target is None:
        raise _bad("targets: each entry needs its region")
    try:
        status = TargetStatus(item.get("status"))
    except ValueError:
        raise _bad(f"targets: unknown status {item.get('status')!r}") from None
    error = _opt_str(item, "error")
    return TargetSummary(
        target=target, status=status, error=None if error is None else SsmMwError(error)
    )


def _scope_from_json(item: Mapping[str, Any]) -> Scope | None:
    if "scope" not in item:
        return None
    try:
        return scope_from_data(item["scope"]) or Scope()
    except ValidationError as exc:
        raise _bad(f"its scope is invalid: {exc}") from None


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
    scope = _scope_from_json(item)
    summaries = item.get("targets", [])
    if not isinstance(summaries, list):
        raise _bad("targets must be a list")
    try:
        tasks = tuple(_task_from_json(e, desired) for e in cast("list[object]", entries))
        targets = tuple(_summary_from_json(e) for e in cast("list[object]", summaries))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise _bad(f"tasks: cannot be read ({exc})") from None
    return Plan(
        desired=desired,
        tasks=tasks,
        saved=True,
        prune=item.get("prune") is True,
        targets=targets,
        scope=scope,
    )


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
