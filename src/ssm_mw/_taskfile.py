"""Task files: a JSON or YAML file in the botocore request shape, read into a request model.

:func:`load_task_definition` reads a file such as::

    TaskArn: AWS-RunShellScript
    TaskType: RUN_COMMAND
    TaskInvocationParameters:
      RunCommand:
        TimeoutSeconds: 600

into a :class:`~ssm_mw.TaskDefinition` (:func:`load_task_update`: a
:class:`~ssm_mw.TaskUpdate`). Every problem is a :class:`~ssm_mw.TaskFileError`
line naming where it is: ``FILE:LINE:COLUMN`` for a syntax error; for a
semantic one, the key's dotted path in the file
(``TaskInvocationParameters.RunCommand.TimeoutSeconds``), with the line and
column of that key when it is in the file. JSON is read with the standard
library; YAML with PyYAML, imported when a YAML file is read.

The file is checked here against every rule the request must meet, so each
problem is named at its place in the file.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar, cast

import attrs

from ._converter import CALL_MEMBERS, call_members, from_botocore, to_botocore
from ._errors import Location, ResponseError, TaskFileError, ValidationError, Violation
from ._models import TaskDefinition, TaskUpdate
from ._operations import REGISTER_TASK, UPDATE_TASK
from ._schema import Key, Node, input_schema, wire_path
from ._validation import violations

__all__ = [
    "ARGUMENTS",
    "NOT_IN_FILE",
    "Document",
    "check_members",
    "load_task_definition",
    "load_task_update",
    "parse_document",
    "parse_task_definition",
    "parse_task_update",
    "read_text",
    "to_model",
    "unknown_key",
]

#: The request models a task file becomes.
T = TypeVar("T", TaskDefinition, TaskUpdate)

_REGISTER = REGISTER_TASK.name
_UPDATE = UPDATE_TASK.name
_MEMBERS = "a mapping of request members"
#: Call members that stand in for the arguments of the client's methods while a file is checked.
_PLACEHOLDER_WINDOW = "mw-00000000000000000"
_PLACEHOLDER_TASK = "00000000-0000-0000-0000-000000000000"
_PLACEHOLDER_TOKEN = "0"
#: Request members that are arguments of the client's methods, never members of a file:
#: the argument's name, by the member's wire name.
ARGUMENTS: Mapping[str, str] = {wire: name for name, wire in CALL_MEMBERS.items()}
#: The message for each of them, in a file.
NOT_IN_FILE: Mapping[str, str] = {
    wire: f"not allowed in the file; it is an argument of the client's method ({name})"
    for wire, name in ARGUMENTS.items()
}


@attrs.frozen(kw_only=True)
class Document:
    """A parsed file: its members, and where each key is in the text."""

    name: str
    data: dict[str, Any]
    positions: Mapping[tuple[Key, ...], tuple[int, int]] = attrs.field(factory=dict)
    #: Where ``data`` sits in the file: ``()`` for a whole file, else the path of its key
    #: (a task of a desired-state file: ``("windows", WINDOW_ID, NAME)``).
    base: tuple[Key, ...] = ()

    def location(self, path: Sequence[Key] = ()) -> Location:
        """``(line, column)`` of the key at ``path`` (below ``base``), if known."""
        return self.positions.get((*self.base, *path))

    def where(self, path: Sequence[Key] = ()) -> str:
        """``name:line:col`` of the key at ``path`` (below ``base``) if known, else ``name``."""
        position = self.location(path)
        return f"{self.name}:{position[0]}:{position[1]}" if position else self.name

    def field(self, path: Sequence[Key] = ()) -> str:
        """The dotted path of ``path`` (below ``base``) in the file."""
        return _path_text((*self.base, *path))

    def part(self, *path: Key) -> Document:
        """The same file, with ``data`` the mapping at ``path`` below ``base``."""
        data: Any = self.data
        for key in path:
            data = data[key]
        return attrs.evolve(self, data=data, base=(*self.base, *path))

    def error(self, path: Sequence[Key] | None, message: str) -> TaskFileError:
        """One problem at the key at ``path`` (below ``base``); ``None``: the whole file."""
        if path is None:
            return TaskFileError(self.name, [Violation(path="", message=message)])
        return TaskFileError(
            self.name, [Violation(path=self.field(path), message=message)], [self.location(path)]
        )


class _Problems:
    """The problems of one file, each a violation, its location and its line."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found: list[tuple[Violation, Location, str]] = []

    def add(self, path: str, message: str, location: Location = None, line: str = "") -> None:
        violation = Violation(path=path, message=message)
        if not line:
            where = f"{self.name}:{location[0]}:{location[1]}" if location else self.name
            line = f"{where}: {violation}"
        self.found.append((violation, location, line))

    def raise_any(self) -> None:
        if self.found:
            raise TaskFileError(
                self.name,
                [v for v, _, _ in self.found],
                [at for _, at, _ in self.found],
                lines=[line for _, _, line in self.found],
            )


# -- reading --------------------------------------------------------------------------


class _DuplicateKeyError(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


def _is_json(name: str, text: str) -> bool:
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return True
    if suffix in (".yaml", ".yml"):
        return False
    return text.lstrip().startswith(("{", "["))


def _yaml(name: str) -> ModuleType:
    """PyYAML, imported on first use; without it, an error that says how to install it."""
    try:
        import yaml
    except ImportError:
        raise ModuleNotFoundError(
            f"{name}: reading a YAML task file needs PyYAML: "
            "pip install PyYAML (or ssm-mw[cli]); JSON files need nothing more",
            name="yaml",
        ) from None
    return yaml


def _fail(name: str, message: str, location: Location = None) -> TaskFileError:
    return TaskFileError(name, [Violation(path="", message=message)], [location])


def read_text(path: str | os.PathLike[str]) -> tuple[str, str]:
    """The name and text of a file (``-``: standard input, named ``<stdin>``).

    Raises :class:`OSError` when the file cannot be read, and
    :class:`~ssm_mw.TaskFileError` when it is not UTF-8 text.
    """
    name = os.fspath(path)
    if name == "-":
        return "<stdin>", sys.stdin.read()
    try:
        return name, Path(name).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(name, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _parse_json(name: str, text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise _fail(name, f"invalid JSON: {exc.msg}", (exc.lineno, exc.colno)) from None
    except _DuplicateKeyError as exc:
        raise _fail(name, f"duplicate key {exc.args[0]!r}") from None


def _parse_yaml(name: str, text: str) -> Any:
    yaml = _yaml(name)
    try:
        return yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else None
        problem = exc.problem or exc.context or "cannot parse"
        raise _fail(name, f"invalid YAML: {problem}", where) from None
    except yaml.YAMLError as exc:
        raise _fail(name, f"invalid YAML: {' '.join(str(exc).split())}") from None


def _positions(name: str, text: str, is_json: bool) -> dict[tuple[Key, ...], tuple[int, int]]:
    """Where each key and list item is (YAML is a superset of JSON); also rejects duplicates.

    A JSON file read without PyYAML installed has no positions.
    """
    try:
        yaml = _yaml(name)
    except ModuleNotFoundError:
        if is_json:
            return {}
        raise
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # e.g. JSON that YAML reads differently: no positions, no harm
        return {}
    out: dict[tuple[Key, ...], tuple[int, int]] = {}
    seen: set[int] = set()

    def walk(node: Any, path: tuple[Key, ...]) -> None:
        if node is None or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in cast("list[tuple[Any, Any]]", node.value):
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                key = str(key_node.value)
                mark = key_node.start_mark
                if key in keys:
                    raise _fail(name, f"duplicate key {key!r}", (mark.line + 1, mark.column + 1))
                keys.add(key)
                child: tuple[Key, ...] = (*path, key)
                out[child] = (mark.line + 1, mark.column + 1)
                walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(cast("list[Any]", node.value)):
                index: tuple[Key, ...] = (*path, i)
                out[index] = (item.start_mark.line + 1, item.start_mark.column + 1)
                walk(item, index)

    walk(root, ())
    return out


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__


def parse_document(name: str, text: str, *, what: str = _MEMBERS) -> Document:
    """Parse the text of a file named ``name``; raise :class:`~ssm_mw.TaskFileError`.

    JSON when the name ends in ``.json`` (or, with another suffix, the text
    starts with ``{`` or ``[``), else YAML. Duplicate keys are refused, with
    their place. ``what`` says what the top level must be, in the error for a
    file that is empty or not a mapping.
    """
    is_json = _is_json(name, text)
    # Keys first: a duplicate key is named with its place (YAML loaders keep the last one).
    positions = _positions(name, text, is_json)
    data = _parse_json(name, text) if is_json else _parse_yaml(name, text)
    if data is None:
        raise _fail(name, f"the file is empty; expected {what}")
    if not isinstance(data, dict):
        raise _fail(name, f"expected {what} at the top level, got {_kind(data)}")
    return Document(name=name, data=cast("dict[str, Any]", data), positions=positions)


# -- checking -------------------------------------------------------------------------


def _path_text(path: Sequence[Key]) -> str:
    out = ""
    for segment in path:
        if isinstance(segment, int):
            out += f"[{segment}]"
        else:
            out += f".{segment}" if out else segment
    return out


def unknown_key(key: object, known: Iterable[str]) -> str:
    """``unknown key 'x'``, with ``(did you mean 'y'?)`` when a known key is close."""
    close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.75)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {str(key)!r}{hint}"


def _unknown_keys(
    node: Node, value: Any, path: tuple[Key, ...], out: list[tuple[tuple[Key, ...], str]]
) -> None:
    if node.kind == "structure" and isinstance(value, Mapping):
        known = node.members
        for key, item in cast("Mapping[str, Any]", value).items():
            member = known.get(key)
            if member is not None:
                _unknown_keys(member.node, item, (*path, key), out)
                continue
            out.append(((*path, key), unknown_key(key, known)))
    elif node.item is not None and isinstance(value, list):
        for i, item in enumerate(value):
            _unknown_keys(node.item, item, (*path, i), out)
    elif node.value is not None and isinstance(value, Mapping):
        for key, item in cast("Mapping[str, Any]", value).items():
            _unknown_keys(node.value, item, (*path, key), out)


def _hint(message: str) -> str:
    if re.match(r"expected a string, got (int|float|bool|date|datetime)\b", message):
        return f"{message} (quote the value)"
    return message


def _describe(
    v: Violation,
    operation: str,
    source: Document,
    data: Mapping[str, Any],
    labels: Mapping[str, str],
    problems: _Problems,
) -> None:
    path = wire_path(input_schema(operation), v.path, data) if v.path else ()
    message = _hint(v.message)
    if path is None:  # cannot map it back: the library's own path still names the field
        problems.add(v.path, message)
        return
    top = path[0] if path else None
    if isinstance(top, str) and top in labels:
        problems.add(source.field(path), message, line=f"{labels[top]}: {message}")
        return
    problems.add(source.field(path), message, source.location(path))


def check_members(
    operation: str,
    source: Document,
    data: Mapping[str, Any],
    fixed: Mapping[str, Any],
    labels: Mapping[str, str] = {},
    *,
    not_in_file: Mapping[str, str] | None = None,
) -> None:
    """Check a request before it is built: keys the file may not hold, unknown keys, every rule.

    ``data`` holds the members from the file (and any set over them), ``fixed``
    those from the call's arguments (``WindowId``...). A violation of a member
    named in ``labels`` is shown as ``LABEL: message`` (a member that is not
    from the file). ``not_in_file`` maps each member the file may not hold to
    the message for it (default: :data:`NOT_IN_FILE`). Raises
    :class:`~ssm_mw.TaskFileError` naming every problem of the first kind
    found, each where it is.
    """
    refused = not_in_file if not_in_file is not None else NOT_IN_FILE
    for key in source.data:
        if key in refused:  # the first one: the file was probably meant for something else
            raise source.error((key,), refused[key])
    problems = _Problems(source.name)
    unknown: list[tuple[tuple[Key, ...], str]] = []
    _unknown_keys(input_schema(operation), source.data, (), unknown)
    for path, message in unknown:
        problems.add(source.field(path), message, source.location(path))
    problems.raise_any()
    merged = {**data, **fixed}
    for v in violations(operation, merged):
        _describe(v, operation, source, merged, labels, problems)
    problems.raise_any()


def _dropped(data: Any, kept: Any, path: tuple[Key, ...]) -> tuple[Key, ...] | None:
    if isinstance(data, Mapping):
        if not isinstance(kept, Mapping):
            return path
        given, back = cast("Mapping[str, Any]", data), cast("Mapping[str, Any]", kept)
        for key, value in given.items():
            if key not in back:
                return (*path, key)
            found = _dropped(value, back[key], (*path, key))
            if found is not None:
                return found
    elif isinstance(data, list):
        items: list[Any] = data
        if not isinstance(kept, (list, tuple)) or len(kept) != len(items):
            return path
        for i, (value, other) in enumerate(zip(items, cast("Sequence[Any]", kept), strict=True)):
            found = _dropped(value, other, (*path, i))
            if found is not None:
                return found
    return None


def to_model(
    operation: str,
    data: Mapping[str, Any],
    cls: type[T],
    source: Document,
) -> T:
    """Build the request model from checked ``data``; nothing in it may be lost."""
    problems = _Problems(source.name)
    try:
        model = from_botocore(data, cls)
    except ValidationError as exc:
        for v in exc.violations:
            _describe(v, operation, source, data, {}, problems)
        problems.raise_any()
        raise  # pragma: no cover - a ValidationError always holds a violation
    except ResponseError as exc:
        raise source.error(None, str(exc)) from None
    back = to_botocore(model)
    lost = _dropped(data, back, ())
    if lost is not None:
        raise source.error(lost, "not supported by this version of ssm-mw")
    return model


# -- the public loaders ---------------------------------------------------------------


def _definition(source: Document) -> TaskDefinition:
    fixed = call_members(_PLACEHOLDER_WINDOW, client_token=_PLACEHOLDER_TOKEN)
    check_members(_REGISTER, source, source.data, fixed)
    return to_model(_REGISTER, source.data, TaskDefinition, source)


def _update(source: Document, replace: bool) -> TaskUpdate:
    fixed = call_members(_PLACEHOLDER_WINDOW, _PLACEHOLDER_TASK, replace=replace)
    check_members(_UPDATE, source, source.data, fixed)
    return to_model(_UPDATE, source.data, TaskUpdate, source)


def load_task_definition(path: str | os.PathLike[str]) -> TaskDefinition:
    """Read a task file (JSON or YAML, botocore request shape) into a :class:`TaskDefinition`.

    The file holds what ``RegisterTaskWithMaintenanceWindow`` takes, without
    ``WindowId`` and ``ClientToken`` (arguments of the client's method).
    ``path`` ``"-"`` reads standard input. Raises
    :class:`~ssm_mw.TaskFileError` naming every problem and its place
    (``task.yaml:4:1: Priority: -1 is below the minimum 0``), and
    :class:`OSError` when the file cannot be read. YAML needs PyYAML.
    """
    name, text = read_text(path)
    return parse_task_definition(text, name=name)


def load_task_update(path: str | os.PathLike[str], *, replace: bool = False) -> TaskUpdate:
    """Read a task file (JSON or YAML, botocore request shape) into a :class:`TaskUpdate`.

    The file holds what ``UpdateMaintenanceWindowTask`` takes, without
    ``WindowId``, ``WindowTaskId`` and ``Replace``; with ``replace=True`` it
    is checked as a whole task, for ``update_maintenance_window_task(...,
    replace=True)``. Raises as :func:`load_task_definition` does.
    """
    name, text = read_text(path)
    return parse_task_update(text, name=name, replace=replace)


def parse_task_definition(text: str, *, name: str = "<string>") -> TaskDefinition:
    """The :class:`TaskDefinition` of a task file's text (see :func:`load_task_definition`).

    ``name`` names the text in errors; a name ending in ``.json`` is read as
    JSON, ``.yaml`` or ``.yml`` as YAML, any other by its first character.
    """
    return _definition(parse_document(name, text))


def parse_task_update(text: str, *, name: str = "<string>", replace: bool = False) -> TaskUpdate:
    """The :class:`TaskUpdate` of a task file's text (see :func:`load_task_update`)."""
    return _update(parse_document(name, text), replace)
