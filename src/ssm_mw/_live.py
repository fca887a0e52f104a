"""Reading the live tasks of many windows, concurrently and bounded (private).

Plan, apply (its staleness check) and export all read the same way: describe
every window, then get each listed task that is wanted in full. Requests go
through a :class:`~ssm_mw._pacing.Pacer`, as in ``set_cutoff_behavior``: a
throttled read is paced and sent again, not failed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, cast

import attrs

from ._errors import ValidationError, Violation
from ._identifiers import check_window_id
from ._models import MaintenanceWindowTask, MaintenanceWindowTaskDetails
from ._operations import DESCRIBE_TASKS, GET_TASK
from ._pacing import Pacer
from ._pool import Job, JobPool

if TYPE_CHECKING:
    from ._client import MaintenanceWindowClient

__all__ = [
    "LiveWindow",
    "Wanted",
    "check_concurrency",
    "check_count",
    "check_window_ids",
    "read_windows",
]

_PAGE_SIZE = 100  # the most DescribeMaintenanceWindowTasks hands out per page
_LIST, _GET = 0, 1
_DESCRIBE = DESCRIBE_TASKS.name
_GET_TASK = GET_TASK.name


@attrs.frozen(kw_only=True)
class LiveWindow:
    """One window as read: every task describe lists, and the wanted ones in full."""

    window_id: str
    listed: tuple[MaintenanceWindowTask, ...]
    details: Mapping[str, MaintenanceWindowTaskDetails]

    def named(self, name: str) -> tuple[MaintenanceWindowTask, ...]:
        """The listed tasks with this name."""
        return tuple(t for t in self.listed if t.name == name)


def check_concurrency(value: object) -> int:
    """``concurrency`` as given, or :class:`~ssm_mw.ValidationError`."""
    return check_count("concurrency", value)


def check_count(name: str, value: object) -> int:
    """The argument ``name``, an integer of at least 1, or :class:`~ssm_mw.ValidationError`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError.single(name, f"expected an integer, got {type(value).__name__}")
    if value < 1:
        raise ValidationError.single(name, f"{value} is below the minimum 1")
    return value


def check_window_ids(value: object) -> tuple[str, ...]:
    """The window ids given (duplicates dropped), or :class:`~ssm_mw.ValidationError`."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValidationError.single(
            "window_ids", f"expected a sequence of window ids, got {type(value).__name__}"
        )
    ids = tuple(cast("Iterable[object]", value))
    if not ids:
        raise ValidationError.single("window_ids", "needs at least one window id")
    found: list[Violation] = []
    for i, window_id in enumerate(ids):
        if not isinstance(window_id, str):
            found.append(Violation(path=f"window_ids[{i}]", message="expected a string"))
            continue
        try:
            check_window_id(window_id)
        except ValidationError as exc:
            found.extend(
                Violation(path=f"window_ids[{i}]", message=v.message) for v in exc.violations
            )
    if found:
        raise ValidationError(found)
    return tuple(dict.fromkeys(cast("tuple[str, ...]", ids)))


#: Which names of a window are wanted in full (a mapping: its keys; a callable: its answer).
Wanted = Mapping[str, Mapping[str, object]] | Callable[[MaintenanceWindowTask], bool]


def _is_wanted(wanted: Wanted, task: MaintenanceWindowTask) -> bool:
    if callable(wanted):
        return wanted(task)
    return task.name is not None and task.name in wanted.get(task.window_id, {})


async def read_windows(
    client: MaintenanceWindowClient,
    window_ids: tuple[str, ...],
    wanted: Wanted,
    concurrency: int,
) -> tuple[LiveWindow, ...]:
    """Read the windows (in the order given); the first failed read raises its error."""
    listed: dict[str, list[MaintenanceWindowTask]] = {w: [] for w in window_ids}
    details: dict[str, dict[str, MaintenanceWindowTaskDetails]] = {w: {} for w in window_ids}
    pool = JobPool()

    pacer = Pacer()  # throttled answers slow the run down rather than fail it

    def get_job(task: MaintenanceWindowTask) -> Job:
        async def get() -> None:
            found = await pacer.send(
                _GET_TASK,
                lambda: client.get_maintenance_window_task(task.window_id, task.window_task_id),
            )
            details[task.window_id][task.window_task_id] = found

        return get

    def list_job(window_id: str) -> Job:
        async def list_window() -> None:
            token: str | None = None
            while True:
                page = await pacer.send(
                    _DESCRIBE,
                    functools.partial(
                        client.describe_maintenance_window_tasks,
                        window_id,
                        max_results=_PAGE_SIZE,
                        next_token=token,
                    ),
                )
                for task in page.tasks:
                    listed[window_id].append(task)
                    if _is_wanted(wanted, task):
                        pool.put(get_job(task), priority=_GET)
                token = page.next_token
                if not token:
                    break

        return list_window

    for window_id in window_ids:
        pool.put(list_job(window_id), priority=_LIST)
    with pacer.attached(client, (_DESCRIBE, _GET_TASK)):
        await pool.run(concurrency)
    return tuple(
        LiveWindow(window_id=w, listed=tuple(listed[w]), details=details[w]) for w in window_ids
    )
