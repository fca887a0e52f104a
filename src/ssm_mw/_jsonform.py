"""The one JSON form of binary data (a Lambda payload), in every output and input (private).

A blob that is UTF-8 text is written as that text, a JSON string; any other
bytes as ``{"$base64": "<base64 text>"}``, so that binary data can always be
told from text. Readers take both: a string is its UTF-8 bytes, and a
``{"$base64": ...}`` mapping where the model has a blob is the bytes it
encodes. ``tasks get -o json``, ``export --format json``, saved plans and the
plan's JSON all write this form; task files, desired-state files and saved
plans read it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from typing import Any, cast

from ._public import publish_exported
from ._schema import Key, Node

__all__ = ["BASE64_KEY", "BlobProblem", "decode_blobs", "to_json_value"]

#: The one key of the mapping that stands for bytes that are not UTF-8 text.
BASE64_KEY = "$base64"


def _blob_json(data: bytes) -> str | dict[str, str]:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {BASE64_KEY: base64.b64encode(data).decode("ascii")}


def to_json_value(value: Any) -> Any:
    """``value`` (botocore-shaped, or any nest of mappings and lists) ready for JSON.

    Every ``bytes`` in it becomes its UTF-8 text, or ``{"$base64": "..."}``
    when it is not UTF-8 text: ssm-mw's one JSON form of binary data, which
    its file readers take back. Mappings become dicts and tuples lists; other
    values are left as they are.

    Example::

        json.dumps(ssm_mw.to_json_value(ssm_mw.to_botocore(definition)))
    """
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _blob_json(bytes(value))
    if isinstance(value, Mapping):
        items = cast("Mapping[str, Any]", value).items()
        return {k: to_json_value(v) for k, v in items}
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in cast("Sequence[Any]", value)]
    return value


def _encoded(value: object) -> str | None:
    """The base64 text of a ``{"$base64": text}`` mapping, else ``None``."""
    if isinstance(value, Mapping):
        mapping = cast("Mapping[object, object]", value)
        if len(mapping) == 1:
            text = mapping.get(BASE64_KEY)
            if isinstance(text, str):
                return text
    return None


def _decode(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


#: A problem of :func:`decode_blobs`: the wire path of the value, and what is wrong.
BlobProblem = tuple[tuple[Key, ...], str]


def decode_blobs(
    node: Node, value: Any, path: tuple[Key, ...] = (), problems: list[BlobProblem] | None = None
) -> Any:
    """``value`` (a file's members, shaped by ``node``) with each ``{"$base64": ...}`` mapping
    where the model has a blob as its bytes. One that is not base64 is left as it is and, when
    ``problems`` is given, added to it."""
    if node.kind == "blob":
        text = _encoded(value)
        if text is None:
            return value
        try:
            return _decode(text)
        except (binascii.Error, ValueError):
            if problems is not None:
                problems.append(((*path, BASE64_KEY), "not valid base64"))
            return value
    if node.kind == "structure" and isinstance(value, Mapping):
        known = node.members
        items = cast("Mapping[str, Any]", value).items()
        return {
            k: decode_blobs(known[k].node, v, (*path, k), problems) if k in known else v
            for k, v in items
        }
    if node.item is not None and isinstance(value, list):
        items_ = cast("Sequence[Any]", value)
        return [decode_blobs(node.item, v, (*path, i), problems) for i, v in enumerate(items_)]
    if node.value is not None and isinstance(value, Mapping):
        items = cast("Mapping[str, Any]", value).items()
        return {k: decode_blobs(node.value, v, (*path, k), problems) for k, v in items}
    return value


publish_exported(globals(), ["to_json_value"])
