"""The compiled schema: each shape of the service model, read once into a plain tree.

:func:`input_schema` and :func:`output_schema` give an operation's shapes as
:class:`Node` trees, built on first use by the one walk over botocore's shapes
in this package (:func:`compile_shape`). A node holds everything any use needs,
already read and converted: its kind, the model's size or value bounds (an
integer's with the limits of its type), its pattern and enum, whether the
model marks it ``sensitive``, a structure's members by wire name and by
attribute name (:func:`~ssm_mw._shapes.snake_case`, computed here once) and
its required ones, a list's item and a map's key and value.

Everything that follows a shape derives from these trees:

* request validation (``_validation``: its closures and its generated predicate);
* redaction of requests and responses (:func:`redact_request`,
  :func:`redact_response`), and the sensitive paths (:func:`sensitive_paths`);
* the comparison behind ``as_reported`` and plans (``_desired``);
* the mapping from the library's attribute paths to wire paths
  (:func:`wire_path`), for errors located in task files;
* the embedded backend's checks and its response encoding (``testing/_model``);
* the tests' hypothesis strategies of response dicts.

The invocation-parameters container (``TaskInvocationParameters``) is a
union-like structure: its level (``RunCommand``, ``Lambda``...) is the
library's class, not an attribute, so attribute paths skip it
(:attr:`Node.union`), and :func:`wire_path` puts it back.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

from ._operations import operation_named
from ._redact import REDACTED
from ._shapes import (
    Shape,
    enum_values,
    list_member,
    map_key,
    map_value,
    members,
    operation_input_shape,
    operation_output_shape,
    required_members,
    service_model,
    snake_case,
)

__all__ = [
    "NO_MAX",
    "Member",
    "Node",
    "compile_shape",
    "input_schema",
    "is_sensitive_path",
    "output_schema",
    "path_text",
    "reachable",
    "redact_request",
    "redact_response",
    "sensitive_paths",
    "shape_schema",
    "wire_path",
]

#: Larger than any length: the upper bound of a shape the model leaves open.
NO_MAX = 2**63
_INT_BOUNDS = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
#: The union-like structures whose level attribute paths skip (the variant is the class).
_UNIONS = frozenset({"MaintenanceWindowTaskInvocationParameters"})


class Member:
    """One member of a structure: its wire name, attribute name, node, and whether required."""

    __slots__ = ("attribute", "node", "required", "wire")

    def __init__(self, wire: str, node: Node, *, required: bool) -> None:
        #: The botocore member name, e.g. ``"ServiceRoleArn"``.
        self.wire = wire
        #: The library's attribute name, e.g. ``"service_role_arn"``.
        self.attribute = snake_case(wire)
        #: The member's shape.
        self.node = node
        #: Whether the model requires it.
        self.required = required

    def __repr__(self) -> str:
        return f"Member({self.wire!r}, {self.node.name!r}, required={self.required})"


class Node:
    """One shape of the service model, compiled: read it, never change it."""

    __slots__ = (
        "attributes",
        "enum",
        "high",
        "item",
        "key",
        "kind",
        "low",
        "members",
        "name",
        "pattern",
        "required",
        "sensitive",
        "union",
        "value",
    )

    def __init__(self, shape: Shape) -> None:
        metadata = shape.metadata
        #: The shape's name in the model, e.g. ``"MaintenanceWindowId"``.
        self.name: str = shape.name
        #: ``structure``, ``list``, ``map``, ``string``, ``integer``, ``long``, ``boolean``,
        #: ``blob``, or another botocore type name.
        self.kind: str = shape.type_name
        #: Whether the model marks this shape ``sensitive`` (enclosing shapes not counted).
        self.sensitive: bool = bool(metadata.get("sensitive", False))
        low, high = _INT_BOUNDS.get(self.kind, (0, NO_MAX))
        #: The least length, size or value the model allows (0, or the type's least integer).
        self.low: int = max(low, int(metadata.get("min", low)))
        #: The greatest length, size or value the model allows (:data:`NO_MAX` if open).
        self.high: int = min(high, int(metadata.get("max", high)))
        #: The model's (Java-style) pattern of a string, if it has one.
        self.pattern: str | None = cast("str | None", metadata.get("pattern"))
        #: A string's enum values in model order (empty if it is no enum).
        self.enum: tuple[str, ...] = enum_values(shape)
        #: A structure's members by wire name, in model order.
        self.members: Mapping[str, Member] = {}
        #: The same members by attribute name.
        self.attributes: Mapping[str, Member] = {}
        #: A structure's required members' wire names.
        self.required: frozenset[str] = frozenset(required_members(shape))
        #: Whether attribute paths skip this structure's level (the invocation variants).
        self.union: bool = self.name in _UNIONS
        #: A list's item.
        self.item: Node | None = None
        #: A map's key and value.
        self.key: Node | None = None
        self.value: Node | None = None

    def __repr__(self) -> str:
        return f"Node({self.name!r}, {self.kind!r})"

    @property
    def bounded(self) -> bool:
        """Whether the model sets a least or greatest size on this (non-integer) shape."""
        return self.low > 0 or self.high < NO_MAX


def compile_shape(shape: Shape, nodes: dict[str, Node] | None = None) -> Node:
    """The one walk over botocore's shapes: ``shape`` and all below it, each read once.

    ``nodes`` holds the nodes compiled so far, by shape name (a fresh table if
    not given): a shape met again, shared or recursive, is the same node.
    """
    if nodes is None:
        nodes = {}
    node = nodes.get(shape.name)
    if node is not None:  # shared and recursive shapes are one node
        return node
    node = nodes[shape.name] = Node(shape)
    if node.kind == "structure":
        found = {
            name: Member(name, compile_shape(child, nodes), required=name in node.required)
            for name, child in members(shape).items()
        }
        node.members = found
        node.attributes = {m.attribute: m for m in found.values()}
    elif node.kind == "list":
        node.item = compile_shape(list_member(shape), nodes)
    elif node.kind == "map":
        node.key = compile_shape(map_key(shape), nodes)
        node.value = compile_shape(map_value(shape), nodes)
    return node


class SchemaTable:
    """Compiled nodes by shape name, safe to share between threads.

    ``compile_shape`` enters a node in its table before it fills the node's
    members (a recursive shape meets itself), so no thread may read the table
    while another fills it: the embedded server answers from many threads.
    """

    def __init__(self) -> None:
        self._nodes: dict[str, Node] = {}
        self._lock = threading.Lock()

    def node(self, shape: Shape) -> Node:
        """The compiled ``shape``, with all below it complete."""
        with self._lock:
            return compile_shape(shape, self._nodes)


#: One table for the whole model: a shape shared by operations is compiled once.
_TABLE = SchemaTable()


@functools.cache
def input_schema(operation: str) -> Node:
    """The compiled input structure of one of the registry's operations (by botocore name)."""
    operation_named(operation)  # ValueError for any other operation
    return _TABLE.node(operation_input_shape(operation))


@functools.cache
def shape_schema(name: str) -> Node:
    """The compiled shape ``name`` of the trimmed model (``"Target"``), as operations reach it."""
    return _TABLE.node(service_model().shape_for(name))


@functools.cache
def output_schema(operation: str) -> Node:
    """The compiled output structure of one of the registry's operations (by botocore name)."""
    operation_named(operation)
    return _TABLE.node(operation_output_shape(operation))


def reachable(*roots: Node) -> Iterator[Node]:
    """Every node below ``roots`` (and they themselves), each once, parents before children."""
    seen: set[int] = set()
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        below = [m.node for m in node.members.values()]
        below += [n for n in (node.item, node.key, node.value) if n is not None]
        stack.extend(reversed(below))


# -- sensitive members --------------------------------------------------------


def _sensitive(node: Node, path: str, seen: frozenset[str], out: set[str]) -> None:
    if node.sensitive:
        out.add(path)
        return
    if node.name in seen:  # recursive shapes: nothing new below a repeat
        return
    seen = seen | {node.name}
    for member in node.members.values():
        _sensitive(member.node, f"{path}.{member.wire}" if path else member.wire, seen, out)
    if node.item is not None:
        _sensitive(node.item, f"{path}[]", seen, out)
    if node.value is not None:
        _sensitive(node.value, f"{path}{{}}", seen, out)


@functools.cache
def sensitive_paths(operation: str, *, output: bool = False) -> frozenset[str]:
    """The wire paths of the outermost sensitive members of an operation's input (or output).

    Everything below a sensitive member is sensitive too. Paths are dotted wire
    names, ``[]`` for "every list item", ``{}`` for "every map value", e.g.
    ``TaskInvocationParameters.Lambda.Payload``.
    """
    out: set[str] = set()
    node = output_schema(operation) if output else input_schema(operation)
    _sensitive(node, "", frozenset(), out)
    return frozenset(out)


def is_sensitive_path(operation: str, path: str, *, output: bool = False) -> bool:
    """Whether the member at a wire path (in :func:`sensitive_paths` notation) is sensitive.

    ``is_sensitive_path("GetMaintenanceWindowTask", "TaskParameters{}.Values[]", output=True)``
    is true: a member is sensitive when it or anything enclosing it is.
    """
    return any(
        path == top or path.startswith((f"{top}.", f"{top}[", f"{top}{{"))
        for top in sensitive_paths(operation, output=output)
    )


# -- redaction ----------------------------------------------------------------


_Redactor = Any  # Callable[[Any], Any]; kept loose because the tree is recursive


def _blank(value: Any) -> Any:
    if isinstance(value, Mapping):
        mapping: Mapping[Any, Any] = value
        return {k: _blank(v) for k, v in mapping.items()}
    if isinstance(value, (list, tuple)):
        return [_blank(v) for v in cast("list[Any]", value)]
    return REDACTED


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        mapping: Mapping[Any, Any] = value
        return {k: _copy(v) for k, v in mapping.items()}
    if isinstance(value, (list, tuple)):
        return [_copy(v) for v in cast("list[Any]", value)]
    return value


def _redactor(node: Node, keep: frozenset[str] = frozenset()) -> _Redactor:
    """A function that copies a value of ``node``, blanking what is sensitive."""
    if node.sensitive:
        return _blank
    if node.kind == "structure":
        table: dict[str, _Redactor] = {m.wire: _redactor(m.node) for m in node.members.values()}
        table.update(dict.fromkeys(keep, _copy))

        def structure(value: Any) -> Any:
            if not isinstance(value, Mapping):
                return _copy(value)
            # A member the model does not know could hold anything: blank it.
            return {k: table.get(k, _blank)(v) for k, v in cast(Mapping[str, Any], value).items()}

        return structure
    if node.item is not None:
        item = _redactor(node.item)

        def sequence(value: Any) -> Any:
            if not isinstance(value, (list, tuple)):
                return _copy(value)
            return [item(v) for v in cast("list[Any]", value)]

        return sequence
    if node.value is not None:
        entry = _redactor(node.value)

        def mapping(value: Any) -> Any:
            if not isinstance(value, Mapping):
                return _copy(value)
            entries: Mapping[Any, Any] = value
            return {k: entry(v) for k, v in entries.items()}

        return mapping
    return _copy


@functools.cache
def _request_redactor(operation: str) -> _Redactor:
    return _redactor(input_schema(operation))


@functools.cache
def _response_redactor(operation: str) -> _Redactor:
    return _redactor(output_schema(operation), keep=frozenset({"ResponseMetadata"}))


def redact_request(operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a botocore-shaped request with every sensitive value replaced by ``"***"``.

    Driven by the model's ``sensitive`` flags; structure (dicts, lists, map
    keys) is kept, and members the model does not know are blanked as well.
    """
    return cast(dict[str, Any], _request_redactor(operation)(params))


def redact_response(operation: str, response: Mapping[str, Any]) -> dict[str, Any]:
    """Like :func:`redact_request`, for a botocore response (``ResponseMetadata`` is kept)."""
    return cast(dict[str, Any], _response_redactor(operation)(response))


# -- attribute paths and wire paths ----------------------------------------------

#: One step of an attribute path: ``name`` or ``[index-or-key]``.
_STEP = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")

#: One step of a wire path: a member name, a list index or a map key.
Key = str | int


def path_text(path: Sequence[Key]) -> str:
    """A wire path as text: ``Targets[0].Values``."""
    out = ""
    for segment in path:
        if isinstance(segment, int):
            out += f"[{segment}]"
        else:
            out += f".{segment}" if out else segment
    return out


def _get(data: Any, key: str) -> Any:
    return cast("Mapping[str, Any]", data).get(key) if isinstance(data, Mapping) else None


def wire_path(node: Node, path: str, data: Any) -> tuple[Key, ...] | None:
    """The wire path of an attribute path below ``node`` (``targets[0].key`` → ``Targets, 0, Key``).

    ``data`` is the wire value at ``node``: where the path skips a union's
    level, it tells which variant the path goes through. ``None`` if the path
    cannot be followed.
    """
    out: list[Key] = []
    for match in _STEP.finditer(path):
        name, bracket = match.group(1), match.group(2)
        if name is not None:
            member = node.attributes.get(name)
            if member is None and node.union and isinstance(data, Mapping):
                for variant in node.members.values():
                    inner = variant.node.attributes.get(name)
                    if variant.wire in data and inner is not None:
                        out.append(variant.wire)
                        data, node, member = data[variant.wire], variant.node, inner
                        break
            if member is None:
                return None
            out.append(member.wire)
            data = _get(data, member.wire)
            node = member.node
        elif node.item is not None:
            try:
                index = int(bracket)
            except ValueError:
                return None
            out.append(index)
            items: list[Any] = data if isinstance(data, list) else []
            data = items[index] if 0 <= index < len(items) else None
            node = node.item
        elif node.value is not None:
            out.append(bracket)
            data = _get(data, bracket)
            node = node.value
        else:
            return None
    return tuple(out)
