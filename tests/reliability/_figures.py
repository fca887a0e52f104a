"""Counters that the reliability tests keep, for the figures quoted in docs/reliability.md.

Tests add to them with :func:`count`; at the end of the session ``conftest.py``
prints them and writes them to ``.hypothesis/ssm-mw-reliability-<profile>.json``.
"""

from __future__ import annotations

from collections import Counter

__all__ = ["COUNTS", "count"]

#: Counter name -> value, e.g. ``"examples:test_round_trip"`` or ``"soak:faults_injected"``.
COUNTS: Counter[str] = Counter()


def count(name: str, n: int = 1) -> None:
    """Add ``n`` to the counter ``name``."""
    COUNTS[name] += n
