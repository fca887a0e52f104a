"""How sensitive values look wherever they are shown: ``repr()``, redacted dicts, logs."""

from __future__ import annotations

__all__ = ["REDACTED", "redacted_repr"]

#: What stands in the place of a sensitive value, in ``repr()`` and in redacted dicts and logs.
REDACTED = "***"


def redacted_repr(value: object) -> str:
    """``repr`` for a sensitive attribute: ``None`` stays visible, values never do."""
    return "None" if value is None else f"'{REDACTED}'"
