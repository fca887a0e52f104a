"""Desired-state files: JSON or YAML read into a :class:`~ssm_mw.DesiredState` (private).

A desired-state file maps window ids to task names to tasks, each in the shape
a task file has (what register takes), without ``Name``: its key is its name::

    windows:
      mw-0123456789abcdef0:
        nightly-patch:
          TaskArn: AWS-RunPatchBaseline
          TaskType: RUN_COMMAND
          ...

The file is read as a task file is (:mod:`ssm_mw._taskfile`): what only the
file has is checked here, and each task becomes the definition that holds its
members as written. The state is then made, and that is its one check (every
window id, every definition, as :class:`~ssm_mw.DesiredState` checks any
state); each of its violations is put back at its key in the file.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import Any, cast

from ._converter import CALL_MEMBERS, wire_names
from ._desired import DesiredState, key_path, scope_from_data
from ._errors import TaskFileError, ValidationError, Violation
from ._models import TaskDefinition
from ._operations import REGISTER_TASK
from ._public import publish_exported
from ._scope import Scope
from ._taskfile import Document, Key, locate, parse_document, read_members, read_text, unknown_key

__all__ = ["load_desired_state", "parse_desired_state"]

_REGISTER = REGISTER_TASK.name


def _name() -> str:
    """A task's name in botocore form: in a file, the task's key."""
    return wire_names(TaskDefinition)["name"]


_WINDOWS = "windows"
_SCOPE = "scope"


@functools.cache
def _not_in_a_task() -> Mapping[str, str]:
    """Request members a task of a desired-state file never holds, and why."""
    return {
        member: f"not allowed in a task ({reason})"
        for member, reason in {
            CALL_MEMBERS["window_id"]: "the task's window is its key under 'windows'",
            CALL_MEMBERS["window_task_id"]: "apply finds the live task by its name",
            CALL_MEMBERS["client_token"]: (
                "apply derives it from the window, the name and the definition"
            ),
            CALL_MEMBERS["replace"]: "apply always replaces the whole task",
            _name(): "the task's name is its key",
        }.items()
    }


def _kind(value: object) -> str:
    return "a list" if isinstance(value, list) else type(value).__name__


class _Found:
    """The problems of a file's tasks: every one, in order, raised together."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []
        self.locations: list[tuple[int, int] | None] = []
        self.lines: list[str] = []

    def add(self, error: TaskFileError) -> None:
        self.violations.extend(error.violations)
        self.locations.extend(error.locations)
        self.lines.extend(error.lines)

    def raise_any(self, name: str) -> None:
        if self.violations:
            raise TaskFileError(name, self.violations, self.locations, lines=self.lines)


def _task_label(part: Document) -> str:
    """How a problem of a task's ``Name`` (its key) reads: the key, and ``task name``."""
    return f"{part.where()}: {part.field()}: task name"


def _task(source: Document, window_id: str, name: object, members: object) -> TaskDefinition:
    if not isinstance(name, str):
        raise source.error((_WINDOWS, window_id), f"task name {name!r} is not a string")
    part = source.part(_WINDOWS, window_id, name)
    if not isinstance(members, dict):
        raise part.error((), f"expected a mapping of request members, got {_kind(members)}")
    return read_members(
        _REGISTER,
        part,
        TaskDefinition,
        extra={_name(): name},
        not_in_file=_not_in_a_task(),
        labels={_name(): _task_label(part)},
    )


def _located(source: Document, error: ValidationError) -> TaskFileError:
    """The state's violations (paths ``windows['W']['NAME'].member``), each at its key."""
    windows = cast("dict[str, dict[str, Any]]", source.data[_WINDOWS])
    # The path of each window and task in the state's errors: a window's tasks before it.
    places: dict[str, tuple[Key, ...]] = {}
    for window_id, tasks in windows.items():
        for name in tasks or {}:
            places[key_path(window_id, name)] = (_WINDOWS, window_id, name)
        places[key_path(window_id)] = (_WINDOWS, window_id)
    found = _Found()
    for v in error.violations:
        prefix = next(
            (p for p in places if v.path == p or v.path.startswith((f"{p}.", f"{p}["))), None
        )
        if prefix is None:  # pragma: no cover - the state's paths start at its keys
            found.add(TaskFileError(source.name, [v]))
            continue
        place, rest = places[prefix], v.path[len(prefix) :].lstrip(".")
        if len(place) == 2:  # a window: its id
            found.add(source.error(place, v.message))
            continue
        part = source.part(*place)
        data = {**part.data, _name(): place[2]}
        labels = {_name(): _task_label(part)}
        one = ValidationError([Violation(path=rest, message=v.message)])
        found.add(locate(part, one, data, labels))
    return TaskFileError(source.name, found.violations, found.locations, lines=found.lines)


def _scope(source: Document) -> Scope | None:
    """The file's ``scope:``, each problem at its key (``scope.accounts[0]``: the list item)."""
    try:
        return scope_from_data(source.data.get(_SCOPE))
    except ValidationError as exc:
        found = _Found()
        for v in exc.violations:
            parts = v.path.replace("[", ".").replace("]", "").split(".")
            path: list[Key] = [int(p) if p.isdigit() else p for p in parts if p]
            while len(path) > 1 and source.location(path) is None:
                path.pop()  # the deepest key the file has
            found.add(source.error(tuple(path), v.message))
        found.raise_any(source.name)
        raise  # pragma: no cover - every violation is found above


def _desired_state(source: Document) -> DesiredState:
    for key in source.data:
        if key not in (_WINDOWS, _SCOPE):
            message = (
                f"{unknown_key(key, [_WINDOWS, _SCOPE])}; expected {_WINDOWS!r} and {_SCOPE!r}"
            )
            raise source.error((str(key),), message)
    scope = _scope(source)
    windows = source.data.get(_WINDOWS)
    if not isinstance(windows, dict):
        got = "nothing" if windows is None else _kind(windows)
        raise source.error((_WINDOWS,), f"expected a mapping of window ids, got {got}")
    found = _Found()
    built: dict[str, dict[str, TaskDefinition]] = {}
    for window_id, tasks in cast("dict[object, object]", windows).items():
        if not isinstance(window_id, str):
            found.add(source.error((_WINDOWS, str(window_id)), "a window id must be a string"))
            continue
        if tasks is None:  # a window with no tasks
            tasks = {}
        if not isinstance(tasks, dict):
            message = f"expected a mapping of task names, got {_kind(tasks)}"
            found.add(source.error((_WINDOWS, window_id), message))
            continue
        built[window_id] = {}
        for name, members in cast("dict[object, object]", tasks).items():
            try:
                built[window_id][str(name)] = _task(source, window_id, name, members)
            except TaskFileError as exc:
                found.add(exc)
    found.raise_any(source.name)
    try:
        return DesiredState(windows=built, scope=scope)
    except ValidationError as exc:
        raise _located(source, exc) from None


def parse_desired_state(text: str, *, name: str = "<string>") -> DesiredState:
    """The :class:`DesiredState` of a desired-state file's text (see :func:`load_desired_state`).

    ``name`` names the text in errors; a name ending in ``.json`` is read as
    JSON, ``.yaml`` or ``.yml`` as YAML, any other by its first character.
    """
    source = parse_document(name, text, what=f"a mapping with the key {_WINDOWS!r}")
    return _desired_state(source)


def load_desired_state(path: str | os.PathLike[str]) -> DesiredState:
    """Read a desired-state file (JSON or YAML) into a :class:`DesiredState`.

    The file maps window ids to task names to tasks: ``{"windows": {WINDOW_ID:
    {NAME: TASK}}}``, each task in the botocore shape a task file has
    (:func:`load_task_definition`), without ``Name`` (its key is its name).
    ``path`` ``"-"`` reads standard input. Raises
    :class:`~ssm_mw.TaskFileError` naming every problem at its place
    (``tasks.yaml:6:7: windows.mw-0123456789abcdef0.notify.Priority: -1 is
    below the minimum 0``), and :class:`OSError` when the file cannot be read.
    YAML needs PyYAML.
    """
    name, text = read_text(path)
    return parse_desired_state(text, name=name)


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
