"""Attribute paths into models: wire names as attribute names, a value replaced at a path.

A path is a tuple of segments: attribute names, list indices (``int``) and map
keys (:class:`Key`); :func:`render_path` writes one as the violations name it.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

__all__ = ["Key", "Segment", "evolve_at", "render_path", "snake_case"]


class Key(str):
    """A path segment that is a map key (rendered ``[key]``, not ``.key``)."""

    __slots__ = ()


Segment = str | int


def evolve_at(obj: Any, path: tuple[Segment, ...], value: Any) -> Any:
    """A copy of ``obj`` with the value at ``path`` replaced.

    Segments are attribute names (attrs classes), indices (tuples) or keys (dicts).
    """
    if not path:
        return value
    head, rest = path[0], path[1:]
    if attrs.has(type(obj)):
        assert isinstance(head, str)
        return attrs.evolve(obj, **{head: evolve_at(getattr(obj, head), rest, value)})
    if isinstance(obj, tuple):
        assert isinstance(head, int)
        items = list(obj)
        items[head] = evolve_at(items[head], rest, value)
        return tuple(items)
    if isinstance(obj, dict):
        return {**obj, head: evolve_at(obj[head], rest, value)}
    raise TypeError(f"cannot descend into {type(obj).__name__} at {head!r}")


def render_path(path: tuple[Segment, ...]) -> str:
    """A violation path as ssm-mw documents it: ``targets[0].values[1]``, ``task_parameters[k]``.

    ``int`` segments are list indices and :class:`Key` segments map keys.
    """
    out = ""
    for segment in path:
        if isinstance(segment, (int, Key)):
            out += f"[{segment}]"
        else:
            out += f".{segment}" if out else segment
    return out


_ACRONYM_END = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD_START = re.compile(r"([a-z0-9])([A-Z])")


def snake_case(wire: str) -> str:
    """The attribute name of a wire member: ``OutputS3KeyPrefix`` -> ``output_s3_key_prefix``."""
    return _WORD_START.sub(r"\1_\2", _ACRONYM_END.sub(r"\1_\2", wire)).lower()
