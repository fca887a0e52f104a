"""What a model's fields take from users: each sequence a tuple, never a str split up.

:func:`strict_fields` is the field transformer of every model class. From each
field's annotation it adds the conversion the annotation promises:

* ``tuple[X, ...]``: a list or a tuple, kept as a tuple. A ``str``, ``bytes``
  or any other single value (a :class:`~ssm_mw.Target` where a tuple of them
  belongs) is refused with a :class:`~ssm_mw.ValidationError` naming the field,
  where Python would split a str into its characters.
* ``dict[str, tuple[X, ...]]``: a mapping, kept as a dict, each value as above
  (its path names the key: ``parameters[commands]``).
* ``dict[str, X]``: a mapping, kept as a dict.
* ``bytes``: bytes, or a ``str``, kept UTF-8 encoded: what botocore sends for
  it and what the service reports back, so a plan compares equal values.

A map field compares and hashes by its items (attrs' ``eq_key``), so every
model is hashable, maps included, and equal models hash equal.

A field that has a converter of its own keeps it. Each conversion returns a
value it would keep unchanged (a tuple, a dict of tuples, bytes) as it is, so
the response readers, which build exactly those, may skip it
(:func:`keeps_structured`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ._errors import ValidationError

__all__ = ["keeps_structured", "strict_fields"]

_OPTIONAL = r"(?: \| None)?"
_TUPLE = re.compile(rf"tuple\[(\w+), \.\.\.\]{_OPTIONAL}")
_MAP_OF_TUPLES = re.compile(rf"dict\[str, tuple\[(\w+), \.\.\.\]\]{_OPTIONAL}")
_MAP = re.compile(rf"dict\[str, (\w+)\]{_OPTIONAL}")
_BYTES = re.compile(rf"bytes{_OPTIONAL}")


def _kind(value: object) -> str:
    return type(value).__name__


def _sequence(path: str, item: str, value: object) -> tuple[Any, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(value)  # pyright: ignore[reportUnknownArgumentType]
    raise ValidationError.single(path, f"expected a list or tuple of {item}, got {_kind(value)}")


class _Convert:
    """One field's conversion: ``__call__`` is attrs' converter (see the module docstring)."""

    __slots__ = ("__name__", "_convert")

    def __init__(self, name: str, convert: Callable[[Any], Any]) -> None:
        self.__name__ = name
        self._convert = convert

    def __call__(self, value: Any) -> Any:
        return None if value is None else self._convert(value)


def _tuples(name: str, item: str) -> _Convert:
    def convert(value: Any) -> Any:
        return value if type(value) is tuple else _sequence(name, item, value)

    return _Convert(name, convert)


def _mapping(name: str, value: object) -> Mapping[Any, Any]:
    if isinstance(value, Mapping):
        return value  # pyright: ignore[reportUnknownVariableType]
    raise ValidationError.single(name, f"expected a map (dict), got {_kind(value)}")


def _map_of_tuples(name: str, item: str) -> _Convert:
    def convert(value: Any) -> Any:
        if type(value) is dict and all(type(v) is tuple for v in value.values()):
            return value
        return {
            k: v if type(v) is tuple else _sequence(f"{name}[{k}]", item, v)
            for k, v in _mapping(name, value).items()
        }

    return _Convert(name, convert)


def _map(name: str) -> _Convert:
    def convert(value: Any) -> Any:
        return value if type(value) is dict else dict(_mapping(name, value))

    return _Convert(name, convert)


def _bytes(name: str) -> _Convert:
    def convert(value: Any) -> Any:
        if type(value) is bytes:
            return value
        if isinstance(value, str):
            return value.encode("utf-8", "surrogatepass")
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value)
        raise ValidationError.single(name, f"expected bytes or str, got {_kind(value)}")

    return _Convert(name, convert)


def _conversion(name: str, annotation: object) -> _Convert | None:
    if not isinstance(annotation, str):
        return None
    if found := _TUPLE.fullmatch(annotation):
        return _tuples(name, found[1])
    if found := _MAP_OF_TUPLES.fullmatch(annotation):
        return _map_of_tuples(name, found[1])
    if _MAP.fullmatch(annotation):
        return _map(name)
    if _BYTES.fullmatch(annotation):
        return _bytes(name)
    return None


def _items(value: Mapping[Any, Any] | None) -> frozenset[tuple[Any, Any]] | None:
    """A map's key for equality and hashing: its items, in no order."""
    return None if value is None else frozenset(value.items())


def _is_map(annotation: object) -> bool:
    return isinstance(annotation, str) and bool(
        _MAP_OF_TUPLES.fullmatch(annotation) or _MAP.fullmatch(annotation)
    )


def strict_fields(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """attrs' ``field_transformer``: each field gets the conversion its annotation promises,
    and a map field compares and hashes by its items."""
    out: list[attrs.Attribute[Any]] = []
    for field in fields:
        conversion = None if field.converter is not None else _conversion(field.name, field.type)
        changes: dict[str, Any] = {} if conversion is None else {"converter": conversion}
        if _is_map(field.type) and field.eq and getattr(field, "eq_key", None) is None:
            changes["eq_key"] = _items
        out.append(field.evolve(**changes) if changes else field)
    return out


def keeps_structured(converter: object) -> bool:
    """True for a conversion of :func:`strict_fields` (it keeps what the readers build)."""
    return isinstance(converter, _Convert)
