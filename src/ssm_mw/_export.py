"""ExportReport: the desired state of what is live (private).

:func:`export_tasks` reads windows and returns the :class:`DesiredState` of
their named tasks, each with every member as the service reports it, so that
planning it right away shows every task unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from ._converter import from_botocore
from ._desired import DesiredState, live_members, reported_members, unreported
from ._errors import ResponseError, ValidationError
from ._live import LiveWindow, check_concurrency, check_window_ids, read_windows
from ._models import MaintenanceWindowTask, TaskDefinition
from ._public import publish_exported

if TYPE_CHECKING:
    from ._client import MaintenanceWindowClient

__all__ = ["ExportReport", "SkippedTask", "export_tasks"]


@attrs.frozen(kw_only=True)
class SkippedTask:
    """A live task that an export leaves out, and why (no name, a duplicate name, ...)."""

    window_id: str
    window_task_id: str
    name: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.window_id} {self.window_task_id}: {self.reason}"


@attrs.frozen(kw_only=True)
class ExportReport:
    """What :func:`export_tasks` found: the desired state, and the tasks it could not hold."""

    desired: DesiredState
    skipped: tuple[SkippedTask, ...]


def _skip(task: MaintenanceWindowTask, reason: str) -> SkippedTask:
    return SkippedTask(
        window_id=task.window_id, window_task_id=task.window_task_id, name=task.name, reason=reason
    )


def _window(window: LiveWindow, skipped: list[SkippedTask]) -> dict[str, TaskDefinition]:
    tasks: dict[str, TaskDefinition] = {}
    for task in window.listed:
        if task.name is None:
            skipped.append(_skip(task, "no name: a desired-state file holds tasks by name"))
            continue
        same = window.named(task.name)
        if len(same) > 1:
            ids = ", ".join(t.window_task_id for t in same)
            skipped.append(_skip(task, f"{len(same)} tasks are named {task.name!r} ({ids})"))
            continue
        details = window.details.get(task.window_task_id)
        if details is None:  # pragma: no cover - every named task is read
            continue
        try:
            definition = unreported(from_botocore(live_members(details), TaskDefinition))
            DesiredState(windows={window.window_id: {task.name: definition}})
            if reported_members(definition) != live_members(details):
                skipped.append(
                    _skip(task, "this version cannot write it so that it plans unchanged")
                )
                continue
        except (ValidationError, ResponseError) as exc:
            skipped.append(_skip(task, f"cannot be written as a definition: {exc}"))
            continue
        tasks[task.name] = definition
    return tasks


async def export_tasks(
    client: MaintenanceWindowClient, window_ids: Iterable[str], *, concurrency: int = 8
) -> ExportReport:
    """The desired state of the windows' named tasks, as the service reports them.

    Each window is described and each named task read in full (at most
    ``concurrency`` requests in flight). Tasks without a name, tasks whose
    name another task of the window has too, and tasks this version cannot
    write as a definition are left out and listed in ``skipped``. The state
    holds sensitive values (they are part of the definitions).
    """
    workers = check_concurrency(concurrency)
    windows = check_window_ids(window_ids)
    live = await read_windows(client, windows, lambda task: task.name is not None, workers)
    skipped: list[SkippedTask] = []
    state = {w.window_id: _window(w, skipped) for w in live}
    return ExportReport(desired=DesiredState(windows=state), skipped=tuple(skipped))


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
