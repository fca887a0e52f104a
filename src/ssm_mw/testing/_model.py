"""The botocore SSM model, and request checks driven by it (private).

The embedded backend checks every request of the registry's operations
against the compiled schema (``_schema``): required members, types, lengths,
ranges, enums and patterns. Messages name the member and the broken constraint but never the
value, since several members are sensitive.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Callable, Mapping
from typing import Any, cast

from .._schema import NO_MAX, Node, input_schema, output_schema
from .._shapes import compile_pattern

__all__ = [
    "ModelViolation",
    "check_request",
    "operation_names",
    "output_members",
    "serialize_result",
]


class ModelViolation(Exception):
    """A request broke one or more constraints of the model."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        super().__init__(f"{count} validation {noun} detected: " + "; ".join(problems))


@functools.cache
def _service_model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("ssm")


@functools.cache
def operation_names() -> frozenset[str]:
    """Every operation name of the SSM model, e.g. ``"GetMaintenanceWindowTask"``."""
    return frozenset(str(name) for name in _service_model().operation_names)


def output_members(operation: str) -> tuple[str, ...]:
    """The top-level member names of an operation's output shape."""
    return tuple(output_schema(operation).members)


def check_request(operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Check ``params`` (the parsed JSON body) against the operation's input shape.

    Returns a normalized copy: members the model does not know are dropped and
    blobs are decoded to bytes. Raises :class:`ModelViolation`.
    """
    problems: list[str] = []
    checked = _check(input_schema(operation), params, "", problems)
    if problems:
        raise ModelViolation(problems)
    return cast("dict[str, Any]", checked)


def _join(path: str, name: str) -> str:
    member = name[:1].lower() + name[1:]
    return f"{path}.{member}" if path else member


def _bad(path: str, constraint: str) -> str:
    return f"Value at '{path or 'request'}' failed to satisfy constraint: {constraint}"


def _check(node: Node, value: Any, path: str, problems: list[str]) -> Any:
    checker = _CHECKERS.get(node.kind)
    if checker is None:
        return value
    return checker(node, value, path, problems)


def _check_structure(node: Node, value: Any, path: str, problems: list[str]) -> Any:
    if not isinstance(value, dict):
        problems.append(_bad(path, "Member must be a structure"))
        return None
    members: dict[str, Any] = value
    out: dict[str, Any] = {}
    for name in node.required:
        if members.get(name) is None:
            problems.append(
                f"Value null at '{_join(path, name)}' failed to satisfy constraint: "
                "Member must not be null"
            )
    for name, member in node.members.items():
        item = members.get(name)
        if item is not None:
            out[name] = _check(member.node, item, _join(path, name), problems)
    return out


_TYPE_BOUNDS = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


def _check_size(node: Node, size: int, path: str, problems: list[str], what: str) -> None:
    # The model's own bounds (an integer's type limits are not constraints of the model).
    least, most = _TYPE_BOUNDS.get(node.kind, (0, NO_MAX))
    if node.low > least and size < node.low:
        problems.append(_bad(path, f"Member must have {what} greater than or equal to {node.low}"))
    if node.high < most and size > node.high:
        problems.append(_bad(path, f"Member must have {what} less than or equal to {node.high}"))


def _check_list(node: Node, value: Any, path: str, problems: list[str]) -> Any:
    if not isinstance(value, list):
        problems.append(_bad(path, "Member must be a list"))
        return None
    items: list[Any] = value
    _check_size(node, len(items), path, problems, "length")
    item = cast(Node, node.item)
    return [_check(item, v, f"{path}.{i + 1}.member", problems) for i, v in enumerate(items)]


def _check_map(node: Node, value: Any, path: str, problems: list[str]) -> Any:
    if not isinstance(value, dict):
        problems.append(_bad(path, "Member must be a map"))
        return None
    entries: dict[Any, Any] = value
    _check_size(node, len(entries), path, problems, "length")
    key_node, value_node = cast(Node, node.key), cast(Node, node.value)
    out: dict[Any, Any] = {}
    for key, item in entries.items():
        _check(key_node, key, f"{path}.key", problems)
        out[key] = _check(value_node, item, f"{path}.{key}", problems)
    return out


def _check_string(node: Node, value: Any, path: str, problems: list[str]) -> Any:
    if not isinstance(value, str):
        problems.append(_bad(path, "Member must be a string"))
        return None
    _check_size(node, len(value), path, problems, "length")
    if node.enum and value not in node.enum:
        problems.append(_bad(path, f"Member must satisfy enum value set: [{', '.join(node.enum)}]"))
    pattern = node.pattern
    if pattern is not None and compile_pattern(pattern).search(value) is None:
        problems.append(_bad(path, f"Member must satisfy regular expression pattern: {pattern}"))
    return value


def _check_integer(node: Node, value: Any, path: str, problems: list[str]) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(_bad(path, "Member must be an integer"))
        return None
    _check_size(node, value, path, problems, "value")
    return value


def _check_boolean(node: Node, value: Any, path: str, problems: list[str]) -> Any:
    if not isinstance(value, bool):
        problems.append(_bad(path, "Member must be a boolean"))
        return None
    return value


def _check_blob(node: Node, value: Any, path: str, problems: list[str]) -> Any:
    if not isinstance(value, str):
        problems.append(_bad(path, "Member must be base64-encoded binary data"))
        return None
    try:
        data = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        problems.append(_bad(path, "Member must be base64-encoded binary data"))
        return None
    _check_size(node, len(data), path, problems, "length")
    return data


_CHECKERS: dict[str, Any] = {
    "structure": _check_structure,
    "list": _check_list,
    "map": _check_map,
    "string": _check_string,
    "integer": _check_integer,
    "long": _check_integer,
    "boolean": _check_boolean,
    "blob": _check_blob,
}


# -- responses ---------------------------------------------------------------

_Encode = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _encode_blob(value: Any) -> Any:
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return base64.b64encode(raw).decode("ascii")


def _encoder(node: Node, seen: dict[str, _Encode]) -> _Encode:
    """A function that turns a result value of ``shape`` into its JSON-ready form.

    It does what moto's JSON serializer does with a result, in the shape's
    member order: members the shape does not know and ``None`` values are
    dropped (``None`` items of a list are kept, as ``null``), blobs become
    base64 text; everything else is left as it is.
    """
    kind = node.kind
    if kind == "blob":
        return _encode_blob
    if kind == "structure":
        if node.name in seen:  # recursive shapes: look the encoder up when it runs
            name = node.name
            return lambda value: seen[name](value)
        members: list[tuple[str, _Encode]] = []

        def encode_structure(value: Any) -> Any:
            out: dict[str, Any] = {}
            for name, encode in members:
                item = value.get(name)
                if item is not None:
                    out[name] = encode(item)
            return out

        seen[node.name] = encode_structure
        members.extend((m.wire, _encoder(m.node, seen)) for m in node.members.values())
        return encode_structure
    if node.item is not None:  # moto writes a None item as null
        item = _encoder(node.item, seen)
        if item is _identity:
            return list
        return lambda value: [None if v is None else item(v) for v in value]
    if node.value is not None:  # ... and drops a None value with its key
        entry = _encoder(node.value, seen)
        return lambda value: {k: entry(v) for k, v in value.items() if v is not None}
    return _identity


@functools.cache
def _result_encoder(operation: str) -> _Encode:
    return _encoder(output_schema(operation), {})


def serialize_result(operation: str, result: Mapping[str, Any]) -> str:
    """The JSON body of ``result`` as moto's JSON serializer writes it for ``operation``.

    The same text, key order and spacing included (a test compares the two on
    fuzzed results), at a fraction of the cost: moto's serializer looks every
    member up by several spellings on every response.
    """
    return json.dumps(_result_encoder(operation)(result))
