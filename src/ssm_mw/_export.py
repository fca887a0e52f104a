"""ExportReport: the desired state of what is live (private).

:func:`export_tasks` reads windows and returns the :class:`DesiredState` of
their named tasks, each with every member as the service reports it, so that
planning it right away shows every task unchanged.

Across a scope (:class:`~ssm_mw.ScopedClients`) the windows are found by name
in every account-Region at once, and the state is one file for all of them:
window keys ``name:<window name>``, the scope as its ``scope:``. Each window's
tasks are those of the first account-Region (in the scope's order) that has
it; every other account-Region whose tasks of that window are not the same
(by the plan's comparison) is an :class:`ExportDifference`.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

from ._converter import from_botocore
from ._desired import (
    NAME_PREFIX,
    DesiredState,
    compared_live,
    diff,
    live_members,
    reported_members,
    unreported,
    window_name,
)
from ._errors import ResponseError, ValidationError
from ._live import LiveWindow, check_concurrency, check_count, check_window_ids, read_windows
from ._models import MaintenanceWindowIdentity, MaintenanceWindowTask, TaskDefinition
from ._organization import (
    ScopedClients,
    TargetsCancelled,
    TargetSummary,
    WindowLookupError,
    find_windows,
    for_each_target,
    target_summary,
)
from ._public import publish_exported
from ._scope import AccountRegion, WindowSelection

if TYPE_CHECKING:
    from ._client import MaintenanceWindowClient

__all__ = [
    "ExportDifference",
    "ExportDifferenceKind",
    "ExportReport",
    "SkippedTask",
    "export_tasks",
]


@attrs.frozen(kw_only=True)
class SkippedTask:
    """A live task that an export leaves out, and why (no name, a duplicate name, ...).

    ``target`` is its account-Region in an export across a scope (``None`` in
    an export on one client).
    """

    window_id: str
    window_task_id: str
    name: str | None
    reason: str
    target: AccountRegion | None = None

    def __str__(self) -> str:
        where = f"{self.target} " if self.target is not None else ""
        return f"{where}{self.window_id} {self.window_task_id}: {self.reason}"


class ExportDifferenceKind(enum.Enum):
    """How an account-Region's task differs from the exported one (:class:`ExportDifference`)."""

    #: The file has the task; this account-Region's window has none of that name:
    #: planning the file creates it there.
    MISSING = "missing"
    #: This account-Region's window has a named task that the file does not hold: planning
    #: the file leaves it unmanaged (``prune`` deletes it).
    EXTRA = "extra"
    #: The task is there with other members (``members``): planning the file updates it.
    CHANGED = "changed"
    #: Two or more tasks of the window have the file's task name: planning the file there
    #: is refused until one is left (a plan conflict).
    DUPLICATE = "duplicate"
    #: The account-Region has no window of this name (an export of all windows): planning
    #: the file fails there until it has one.
    WINDOW_MISSING = "window-missing"


@attrs.frozen(kw_only=True)
class ExportDifference:
    """One task of one account-Region that differs from what an export across a scope holds.

    The file holds each window's tasks as the first account-Region (the
    scope's order) that has the window reports them (``source``); planning the
    file against the same scope changes ``target``'s task ``task_name`` of the
    window ``window_name`` (there ``window_id``; the live task
    ``window_task_id``, ``None`` when ``MISSING``). ``members`` are the wire
    paths of the members that differ (``CHANGED`` only), never their values.
    ``WINDOW_MISSING`` is about the whole window: ``task_name`` and
    ``window_id`` are ``None``.
    """

    target: AccountRegion
    window_name: str
    window_id: str | None
    task_name: str | None
    kind: ExportDifferenceKind
    members: tuple[str, ...] = ()
    window_task_id: str | None = None
    source: AccountRegion | None = None

    @property
    def what(self) -> str:
        """What differs, on one line: the members, or what planning does."""
        if self.kind is ExportDifferenceKind.CHANGED:
            return ", ".join(self.members)
        if self.kind is ExportDifferenceKind.MISSING:
            return "missing here (planning creates it)"
        if self.kind is ExportDifferenceKind.EXTRA:
            return f"task {self.window_task_id} is not in the file (unmanaged; prune deletes it)"
        if self.kind is ExportDifferenceKind.DUPLICATE:
            return "two or more tasks have this name here (planning refuses it)"
        return "no window of this name here (planning fails here)"

    def __str__(self) -> str:
        task = f" {self.task_name}" if self.task_name is not None else ""
        return f"{self.target} {NAME_PREFIX}{self.window_name}{task}: {self.what}"


@attrs.frozen(kw_only=True)
class ExportReport:
    """What :func:`export_tasks` found: the desired state, and the tasks it could not hold.

    Across a scope, ``targets`` has one :class:`~ssm_mw.TargetSummary` per
    account-Region (``ok``, or ``failed`` with its error: a role not assumed,
    a Region not enabled, a window missing or two of one name; a failed one
    is left out of ``desired``), and ``differences`` lists every task of an
    account-Region that planning ``desired`` would change there (grouped by
    account-Region, in the scope's order).
    """

    desired: DesiredState
    skipped: tuple[SkippedTask, ...]
    differences: tuple[ExportDifference, ...] = ()
    targets: tuple[TargetSummary, ...] = ()

    @property
    def failed_targets(self) -> tuple[TargetSummary, ...]:
        """The account-Regions that could not be exported (an export across a scope)."""
        return tuple(t for t in self.targets if not t.ok)

    @property
    def ok(self) -> bool:
        """Whether every account-Region was exported (differences and skipped tasks aside)."""
        return not self.failed_targets


def _skip(task: MaintenanceWindowTask, reason: str, target: AccountRegion | None) -> SkippedTask:
    return SkippedTask(
        window_id=task.window_id,
        window_task_id=task.window_task_id,
        name=task.name,
        reason=reason,
        target=target,
    )


def _window(
    window: LiveWindow, skipped: list[SkippedTask], target: AccountRegion | None = None
) -> dict[str, TaskDefinition]:
    tasks: dict[str, TaskDefinition] = {}
    for task in window.listed:
        if task.name is None:
            skipped.append(_skip(task, "no name: a desired-state file holds tasks by name", target))
            continue
        same = window.named(task.name)
        if len(same) > 1:
            ids = ", ".join(t.window_task_id for t in same)
            reason = f"{len(same)} tasks are named {task.name!r} ({ids})"
            skipped.append(_skip(task, reason, target))
            continue
        details = window.details.get(task.window_task_id)
        if details is None:  # pragma: no cover - every named task is read
            continue
        try:
            definition = unreported(from_botocore(live_members(details), TaskDefinition))
            DesiredState(windows={window.window_id: {task.name: definition}})
            if reported_members(definition) != live_members(details):
                reason = "this version cannot write it so that it plans unchanged"
                skipped.append(_skip(task, reason, target))
                continue
        except (ValidationError, ResponseError) as exc:
            skipped.append(_skip(task, f"cannot be written as a definition: {exc}", target))
            continue
        tasks[task.name] = definition
    return tasks


async def export_tasks(
    client: MaintenanceWindowClient | ScopedClients,
    window_ids: Iterable[str] | WindowSelection,
    *,
    concurrency: int | None = None,
    per_target_concurrency: int = 8,
) -> ExportReport:
    """The desired state of the windows' named tasks, as the service reports them.

    ``client`` must be open: one :class:`~ssm_mw.MaintenanceWindowClient`, or
    the :class:`~ssm_mw.ScopedClients` of a scope. The windows are
    ``window_ids``, or a :class:`~ssm_mw.WindowSelection` (by name, or all)
    found in each account-Region; window ids across a scope are allowed only
    when it is a single account-Region (an id belongs to one), else
    :class:`~ssm_mw.ValidationError` (``window_ids``) before any request.

    Each window is described and each named task read in full (at most
    ``concurrency`` requests in flight: default 8 on one client, 64 across a
    scope overall, and at most ``per_target_concurrency`` in each of its
    account-Regions). Tasks without a name, tasks whose name another task of
    the window has too, and tasks this version cannot write as a definition
    are left out and listed in ``skipped``. The state holds sensitive values
    (they are part of the definitions).

    Windows found by name are keyed ``name:<window name>``. Across a scope the
    state is one for every account-Region, with the scope (without its shard)
    as its ``scope``: each window's tasks are those of the first account-Region,
    in the scope's order, that has it, and every other account-Region whose
    tasks of the window differ (a task missing, an extra task, other members)
    is listed in ``differences``: planning the state changes it there. An
    account-Region that fails (not reached, a window missing or two of one
    name: :class:`~ssm_mw.WindowLookupError`) is ``failed`` in ``targets``
    and left out; the others are exported. Cancelled, the call raises
    :class:`asyncio.CancelledError` with nothing exported (an export is whole
    or not at all).

    Example::

        report = await export_tasks(mw, ["mw-0123456789abcdef0"])

        async with ScopedClients(Scope(regions=["us-east-1", "eu-west-1"])) as reach:
            report = await export_tasks(reach, WindowSelection.named("patching"))
        for difference in report.differences:
            print(difference)
    """
    scoped = isinstance(client, ScopedClients)
    workers = check_concurrency((64 if scoped else 8) if concurrency is None else concurrency)
    per_target = check_count("per_target_concurrency", per_target_concurrency)
    selection = window_ids if isinstance(window_ids, WindowSelection) else None
    ids = () if selection is not None else check_window_ids(window_ids)
    if isinstance(client, ScopedClients):
        if selection is None and not client.scope.is_single:
            raise ValidationError.single(
                "window_ids",
                "a window id belongs to one account-Region: across a scope, "
                "give a WindowSelection (by name, or all)",
            )
        return await _across(client, selection, ids, workers, per_target)
    if selection is not None:
        found = await _found(client, selection, None)
        live = await read_windows(client, tuple(found.values()), _named, workers)
        skipped: list[SkippedTask] = []
        by_name = {
            f"{NAME_PREFIX}{n}": _window(w, skipped) for n, w in zip(found, live, strict=True)
        }
        return ExportReport(desired=DesiredState(windows=by_name), skipped=tuple(skipped))
    live = await read_windows(client, ids, _named, workers)
    skipped = []
    state = {w.window_id: _window(w, skipped) for w in live}
    return ExportReport(desired=DesiredState(windows=state), skipped=tuple(skipped))


def _named(task: MaintenanceWindowTask) -> bool:
    """Whether a listed task is read in full: every named one."""
    return task.name is not None


async def _found(
    client: MaintenanceWindowClient, selection: WindowSelection, target: AccountRegion | None
) -> dict[str, str]:
    """The windows of ``selection`` in one account-Region: name -> id, one of each name."""
    windows = await find_windows(client, selection, target=target)
    by_name: dict[str, list[MaintenanceWindowIdentity]] = {}
    for window in windows:
        if window.name is not None:  # the service requires every window's name
            by_name.setdefault(window.name, []).append(window)
    duplicates = {n: [w.window_id for w in ws] for n, ws in by_name.items() if len(ws) > 1}
    if duplicates:  # only WindowSelection.all(): find_windows refuses them by name
        raise WindowLookupError(target, duplicates=duplicates)
    return {name: found[0].window_id for name, found in by_name.items()}


async def _across(
    reach: ScopedClients,
    selection: WindowSelection | None,
    window_ids: tuple[str, ...],
    concurrency: int,
    per_target: int,
) -> ExportReport:
    """:func:`export_tasks` in every account-Region of ``reach`` at once, merged into one
    state."""

    async def work(where: AccountRegion, client: MaintenanceWindowClient) -> dict[str, LiveWindow]:
        """The windows of one account-Region as read, by window key."""
        if selection is None:
            found = {w: w for w in window_ids}
        else:
            named = await _found(client, selection, where)
            found = {f"{NAME_PREFIX}{n}": i for n, i in named.items()}
        live = await read_windows(client, tuple(found.values()), _named, per_target)
        return dict(zip(found, live, strict=True))

    try:
        runs = await for_each_target(reach, work, concurrency=concurrency)
    except TargetsCancelled:
        raise asyncio.CancelledError from None
    skipped: list[SkippedTask] = []
    # window key -> (the account-Region it is exported from, its tasks)
    desired: dict[str, tuple[AccountRegion, dict[str, TaskDefinition]]] = {}
    names = selection.names if selection is not None and selection.names is not None else ()
    order = [f"{NAME_PREFIX}{n}" for n in names] or list(window_ids)
    read: list[AccountRegion] = []
    for where in reach.targets:
        done = runs.results.get(where)
        if done is None:
            continue
        read.append(where)
        for key, window in done.items():
            tasks = _window(window, skipped, where)
            if key not in desired:
                desired[key] = (where, tasks)
                if key not in order:
                    order.append(key)
    differences: list[ExportDifference] = []
    for where in read:
        windows = runs.results[where]
        for key in (k for k in order if k in desired):
            source, tasks = desired[key]
            here = windows.get(key)
            if here is None:  # WindowSelection.all(): another account-Region has it
                differences.append(
                    ExportDifference(
                        target=where,
                        window_name=window_name(key) or key,
                        window_id=None,
                        task_name=None,
                        kind=ExportDifferenceKind.WINDOW_MISSING,
                        source=source,
                    )
                )
            elif source != where:
                differences.extend(_differences(where, source, key, here, tasks))
    summaries = tuple(target_summary(t, error=runs.errors.get(t)) for t in reach.targets)
    state = DesiredState(
        windows={k: desired[k][1] for k in order if k in desired},
        scope=attrs.evolve(reach.scope, shard=None),
    )
    return ExportReport(
        desired=state, skipped=tuple(skipped), differences=tuple(differences), targets=summaries
    )


def _differences(
    where: AccountRegion,
    source: AccountRegion,
    key: str,
    window: LiveWindow,
    tasks: Mapping[str, TaskDefinition],
) -> list[ExportDifference]:
    """How ``window`` (of ``where``) differs from ``tasks``, by the plan's comparison."""
    name = window_name(key) or key

    def difference(
        task: str,
        kind: ExportDifferenceKind,
        members: tuple[str, ...] = (),
        task_id: str | None = None,
    ) -> ExportDifference:
        return ExportDifference(
            target=where,
            window_name=name,
            window_id=window.window_id,
            task_name=task,
            kind=kind,
            members=members,
            window_task_id=task_id,
            source=source,
        )

    out: list[ExportDifference] = []
    for task_name, definition in tasks.items():
        found = window.named(task_name)
        if not found:
            out.append(difference(task_name, ExportDifferenceKind.MISSING))
            continue
        task_id = found[0].window_task_id
        if len(found) > 1:
            out.append(difference(task_name, ExportDifferenceKind.DUPLICATE, task_id=task_id))
            continue
        live = live_members(window.details[task_id])
        wanted = reported_members(definition)
        changes = diff(compared_live(live, wanted), wanted)
        if changes:
            members = tuple(c.member for c in changes)
            out.append(difference(task_name, ExportDifferenceKind.CHANGED, members, task_id))
    for task in window.listed:
        if task.name is not None and task.name not in tasks:
            out.append(
                difference(task.name, ExportDifferenceKind.EXTRA, task_id=task.window_task_id)
            )
    return out


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
