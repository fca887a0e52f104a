"""The counters of the tests (see support.figures)."""

from support.figures import COUNTS, count

__all__ = ["COUNTS", "count"]
