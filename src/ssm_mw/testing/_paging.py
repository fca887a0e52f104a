"""Filters and page tokens of DescribeMaintenanceWindowTasks and DescribeMaintenanceWindows.

A token names the last item of the page by its sequence number, so pages
stay stable when tasks come and go in between. It is signed with a key made
when this module is imported, and bound to the window (or to the window list) and the filters: a
garbage, forged or foreign token is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections.abc import Callable, Mapping
from typing import Any, cast

from .._operations import DESCRIBE_TASKS, DESCRIBE_WINDOWS

__all__ = [
    "FILTER_KEYS",
    "WINDOW_FILTER_KEYS",
    "Pager",
    "PagingError",
    "task_matcher",
    "window_matcher",
]

#: The filter keys DescribeMaintenanceWindowTasks supports.
FILTER_KEYS = DESCRIBE_TASKS.filter_keys

#: The filter keys DescribeMaintenanceWindows supports.
WINDOW_FILTER_KEYS = DESCRIBE_WINDOWS.filter_keys

_KEY = secrets.token_bytes(32)


class PagingError(ValueError):
    """A filter or a NextToken that the service refuses (a ValidationException)."""


def task_matcher(
    filters: list[Mapping[str, Any]],
) -> Callable[[str, Mapping[str, Any]], bool]:
    """A predicate on ``(WindowTaskId, stored members)``.

    Values within one filter are OR'ed; filters are AND'ed.
    """
    conditions: list[tuple[str, frozenset[str]]] = []
    for key, values in _conditions(filters, FILTER_KEYS):
        if key in DESCRIBE_TASKS.integer_filters:
            if any(DESCRIBE_TASKS.refuses_filter_value(key, v) for v in values):
                raise PagingError(f"{key} filter values must be integers")
            values = [str(int(v)) for v in values]
        conditions.append((key, frozenset(values)))

    def matches(task_id: str, members: Mapping[str, Any]) -> bool:
        for key, values in conditions:
            value = task_id if key == "WindowTaskId" else members.get(key)
            if value is None or str(value) not in values:
                return False
        return True

    return matches


def _conditions(
    filters: list[Mapping[str, Any]], keys: tuple[str, ...]
) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for item in filters:
        key = item.get("Key")
        if key not in keys:
            raise PagingError(
                f"Invalid filter key {key!r}; the supported keys are {', '.join(keys)}"
            )
        out.append((str(key), [str(v) for v in item.get("Values") or []]))
    return out


def window_matcher(filters: list[Mapping[str, Any]]) -> Callable[[Mapping[str, Any]], bool]:
    """A predicate on a window's members (``Name``, ``Enabled``, ...).

    ``Name`` matches the whole name; ``Enabled`` takes ``true`` or ``false``
    in any case. Values within one filter are OR'ed; filters are AND'ed.
    """
    conditions: list[tuple[str, frozenset[str]]] = []
    for key, values in _conditions(filters, WINDOW_FILTER_KEYS):
        if key == "Enabled":
            values = [v.lower() for v in values]
        conditions.append((key, frozenset(values)))

    def matches(members: Mapping[str, Any]) -> bool:
        for key, values in conditions:
            value = members.get(key)
            if key == "Enabled":
                value = "true" if value else "false"
            if value is None or str(value) not in values:
                return False
        return True

    return matches


class Pager:
    """Encodes and checks the NextTokens of one scope (a window, or the window list) and filters."""

    def __init__(self, scope: str, filters: list[Mapping[str, Any]]) -> None:
        self._window_id = scope
        canon = sorted(
            (str(f.get("Key")), sorted(str(v) for v in f.get("Values") or [])) for f in filters
        )
        self._digest = hashlib.sha256(json.dumps(canon).encode()).hexdigest()[:16]

    def encode(self, after: int) -> str:
        """The token of the page that follows the task numbered ``after``."""
        payload = json.dumps({"w": self._window_id, "a": after, "f": self._digest}).encode()
        return urlsafe_b64encode(payload).decode().rstrip("=") + "." + _sign(payload)

    def decode(self, token: str) -> int:
        """The task number a token continues after; raises :class:`PagingError`."""
        invalid = PagingError("The NextToken is not valid for this request")
        encoded, _, signature = token.partition(".")
        try:
            payload = urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            data: object = json.loads(payload)
        except ValueError:
            raise invalid from None
        if not hmac.compare_digest(signature.encode(), _sign(payload).encode()):
            raise invalid
        if not isinstance(data, dict):
            raise invalid
        fields = cast("dict[str, Any]", data)
        after = fields.get("a")
        if fields.get("w") != self._window_id or fields.get("f") != self._digest:
            raise invalid
        if isinstance(after, bool) or not isinstance(after, int):
            raise invalid
        return after


def _sign(payload: bytes) -> str:
    return hmac.new(_KEY, payload, hashlib.sha256).hexdigest()[:32]
