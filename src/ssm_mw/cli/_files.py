"""Task definition files (JSON or YAML, botocore request shape) and their errors.

Every problem becomes one line naming where it is: ``FILE:LINE:COLUMN`` for a
syntax error; for a semantic error, the dotted wire path in the file
(``TaskInvocationParameters.RunCommand.TimeoutSeconds``), with the line and
column of that key when it is in the file.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import attrs
import yaml

from .._converter import CALL_MEMBERS, from_botocore, to_botocore
from .._errors import ResponseError, ValidationError, Violation
from .._models import TaskDefinition, TaskUpdate
from .._shapes import (
    Shape,
    list_member,
    map_value,
    members,
    operation_input_shape,
    snake_case,
)
from .._validation import violations
from ._app import CliUsageError, argument_path

__all__ = ["DefinitionFile", "check_definition", "load_definition", "to_model"]

#: The request models a definition file becomes.
T = TypeVar("T", TaskDefinition, TaskUpdate)

Key = str | int
_Position = tuple[int, int]
_VARIANTS = "MaintenanceWindowTaskInvocationParameters"
_TOKEN = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")

#: Request members that come from the command line, never from a file.
_FROM_COMMAND_LINE: Mapping[str, str] = {
    wire: argument_path(argument) for argument, wire in CALL_MEMBERS.items()
}


@attrs.frozen(kw_only=True)
class DefinitionFile:
    """A parsed definition file: its members, and where each key is in the text."""

    name: str
    data: dict[str, Any]
    positions: Mapping[tuple[Key, ...], _Position] = attrs.field(factory=dict)

    def where(self, path: Sequence[Key] = ()) -> str:
        """``name:line:col`` of the key at ``path`` if known, else ``name``."""
        position = self.positions.get(tuple(path))
        return f"{self.name}:{position[0]}:{position[1]}" if position else self.name


def _usage(message: str) -> CliUsageError:
    return CliUsageError(message)


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


def _kind_of(name: str, text: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return "JSON"
    if suffix in (".yaml", ".yml"):
        return "YAML"
    return "JSON" if text.lstrip().startswith(("{", "[")) else "YAML"


def _read(path: str) -> tuple[str, str]:
    if path == "-":
        return "<stdin>", sys.stdin.read()
    try:
        return path, Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _usage(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise _usage(f"cannot read {path}: {exc.strerror or exc}") from None


def _parse_json(name: str, text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise _usage(f"{name}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    except _DuplicateKeyError as exc:
        raise _usage(f"{name}: duplicate key {exc.args[0]!r}") from None


def _parse_yaml(name: str, text: str) -> Any:
    try:
        return yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = exc.problem or exc.context or "cannot parse"
        raise _usage(f"{where}: invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise _usage(f"{name}: invalid YAML: {' '.join(str(exc).split())}") from None


def _positions(name: str, text: str) -> dict[tuple[Key, ...], _Position]:
    """Where each key and list item is (YAML is a superset of JSON); also rejects duplicates."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # e.g. JSON that YAML reads differently: no positions, no harm
        return {}
    out: dict[tuple[Key, ...], _Position] = {}
    seen: set[int] = set()

    def walk(node: yaml.Node | None, path: tuple[Key, ...]) -> None:
        if node is None or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in cast("list[tuple[yaml.Node, yaml.Node]]", node.value):
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                key = str(key_node.value)
                mark = key_node.start_mark
                if key in keys:
                    where = f"{name}:{mark.line + 1}:{mark.column + 1}"
                    raise _usage(f"{where}: duplicate key {key!r}")
                keys.add(key)
                child: tuple[Key, ...] = (*path, key)
                out[child] = (mark.line + 1, mark.column + 1)
                walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(cast("list[yaml.Node]", node.value)):
                index: tuple[Key, ...] = (*path, i)
                out[index] = (item.start_mark.line + 1, item.start_mark.column + 1)
                walk(item, index)

    walk(root, ())
    return out


def load_definition(path: str) -> DefinitionFile:
    """Read and parse a definition file (``-``: stdin); raise a usage :class:`CliError`."""
    name, text = _read(path)
    kind = _kind_of(name, text)
    data = _parse_json(name, text) if kind == "JSON" else _parse_yaml(name, text)
    positions = _positions(name, text)
    if data is None:
        raise _usage(f"{name}: the file is empty; expected a mapping of request members")
    if not isinstance(data, dict):
        raise _usage(
            f"{name}: expected a mapping of request members at the top level, got {_kind(data)}"
        )
    return DefinitionFile(name=name, data=cast("dict[str, Any]", data), positions=positions)


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__


# -- checking -------------------------------------------------------------------------


def _path_text(path: Sequence[Key]) -> str:
    out = ""
    for segment in path:
        if isinstance(segment, int):
            out += f"[{segment}]"
        else:
            out += f".{segment}" if out else segment
    return out


def _unknown_keys(
    shape: Shape, value: Any, path: tuple[Key, ...], out: list[tuple[tuple[Key, ...], str]]
) -> None:
    kind = shape.type_name
    if kind == "structure" and isinstance(value, Mapping):
        known = members(shape)
        for key, item in value.items():
            if key in known:
                _unknown_keys(known[key], item, (*path, key), out)
                continue
            close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.75)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            out.append(((*path, key), f"unknown key {str(key)!r}{hint}"))
    elif kind == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            _unknown_keys(list_member(shape), item, (*path, i), out)
    elif kind == "map" and isinstance(value, Mapping):
        for key, item in value.items():
            _unknown_keys(map_value(shape), item, (*path, key), out)


def _member(shape: Shape, token: str) -> str | None:
    return next((m for m in members(shape) if snake_case(m) == token), None)


def wire_path(operation: str, snake_path: str, data: Any) -> tuple[Key, ...] | None:
    """The wire-name path of a validation path (``targets[0].key`` -> ``Targets[0].Key``).

    ``None`` if the path cannot be followed.
    """
    shape = operation_input_shape(operation)
    out: list[Key] = []
    for match in _TOKEN.finditer(snake_path):
        name, bracket = match.group(1), match.group(2)
        kind = shape.type_name
        if name is not None:
            if kind != "structure":
                return None
            wire = _member(shape, name)
            if wire is None and shape.name == _VARIANTS and isinstance(data, Mapping):
                # Validation drops the variant level (RunCommand, Lambda...): put it back.
                for variant, variant_shape in members(shape).items():
                    inner = _member(variant_shape, name)
                    if variant in data and inner is not None:
                        out.append(variant)
                        data, shape, wire = data[variant], variant_shape, inner
                        break
            if wire is None:
                return None
            out.append(wire)
            data = data.get(wire) if isinstance(data, Mapping) else None
            shape = members(shape)[wire]
        elif kind == "list":
            try:
                index = int(bracket)
            except ValueError:
                return None
            out.append(index)
            data = data[index] if isinstance(data, list) and 0 <= index < len(data) else None
            shape = list_member(shape)
        elif kind == "map":
            out.append(bracket)
            data = data.get(bracket) if isinstance(data, Mapping) else None
            shape = map_value(shape)
        else:
            return None
    return tuple(out)


def _hint(message: str) -> str:
    if re.match(r"expected a string, got (int|float|bool|date|datetime)\b", message):
        return f"{message} (quote the value)"
    return message


def _describe(
    v: Violation,
    operation: str,
    source: DefinitionFile | None,
    data: Mapping[str, Any],
    options: Mapping[str, str],
) -> str:
    path = wire_path(operation, v.path, data) if v.path else ()
    message = _hint(v.message)
    if path is None:  # cannot map it back: the library's own path still names the field
        prefix = f"{source.name}: " if source is not None else ""
        return f"{prefix}{v.path}: {message}"
    top = path[0] if path else None
    if isinstance(top, str) and top in _FROM_COMMAND_LINE:
        return f"{_FROM_COMMAND_LINE[top]}: {message}"
    if isinstance(top, str) and top in options:
        return f"{options[top]}: {message}"
    field = _path_text(path)
    if source is None:
        return f"{field}: {message}" if field else message
    return f"{source.where(path)}: {field}: {message}" if field else f"{source.name}: {message}"


def check_definition(
    operation: str,
    source: DefinitionFile | None,
    data: Mapping[str, Any],
    fixed: Mapping[str, Any],
    options: Mapping[str, str] = {},
) -> None:
    """Check a request before it is built: unknown keys, then every model constraint.

    ``data`` holds the members from the file and the option overrides,
    ``fixed`` those from arguments (``WindowId``...); ``options`` maps a
    member set by an option to the option's name. Raises a usage
    :class:`CliError` naming every problem and where it is.
    """
    shape = operation_input_shape(operation)
    if source is not None:
        for key in source.data:
            if key in _FROM_COMMAND_LINE:
                raise _usage(
                    f"{source.where((key,))}: {key}: not allowed in the file; "
                    f"it comes from the command line ({_FROM_COMMAND_LINE[key]})"
                )
        unknown: list[tuple[tuple[Key, ...], str]] = []
        _unknown_keys(shape, source.data, (), unknown)
        if unknown:
            raise _usage(
                "; ".join(
                    f"{source.where(path)}: {_path_text(path)}: {message}"
                    for path, message in unknown
                )
            )
    found = violations(operation, {**data, **fixed})
    if found:
        merged = {**data, **fixed}
        raise _usage("; ".join(_describe(v, operation, source, merged, options) for v in found))


def _dropped(data: Any, kept: Any, path: tuple[Key, ...]) -> tuple[Key, ...] | None:
    if isinstance(data, Mapping):
        if not isinstance(kept, Mapping):
            return path
        for key, value in data.items():
            if key not in kept:
                return (*path, key)
            found = _dropped(value, kept[key], (*path, key))
            if found is not None:
                return found
    elif isinstance(data, list):
        if not isinstance(kept, (list, tuple)) or len(kept) != len(data):
            return path
        for i, (value, other) in enumerate(zip(data, kept)):  # noqa: B905 - same length
            found = _dropped(value, other, (*path, i))
            if found is not None:
                return found
    return None


def to_model(
    operation: str, data: Mapping[str, Any], cls: type[T], source: DefinitionFile | None
) -> T:
    """Build the request model from checked ``data``; nothing in it may be lost."""
    name = f"{source.name}: " if source is not None else ""
    try:
        model = from_botocore(data, cls)
    except ValidationError as exc:
        raise _usage(
            "; ".join(_describe(v, operation, source, data, {}) for v in exc.violations)
        ) from None
    except ResponseError as exc:
        raise _usage(f"{name}{exc}") from None
    lost = _dropped(data, to_botocore(model), ())
    if lost is not None:
        where = source.where(lost) if source is not None else ""
        prefix = f"{where}: " if where else ""
        raise _usage(f"{prefix}{_path_text(lost)}: not supported by this version of ssm-mw")
    return model
