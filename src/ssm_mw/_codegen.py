"""The one code generator: Python source for one function, turned into that function.

The converter's structure functions and constructors and validation's
predicates are written as source (a function with every step inline is
several times faster than a tree of closures on these small, hot paths).
This is where such source becomes a function, and the package's only
``exec``: the source is kept in :mod:`linecache` under a descriptive file
name, so tracebacks and debuggers show the generated lines.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable
from typing import Any

__all__ = ["Source", "define"]


def define(name: str, source: str, namespace: dict[str, Any], filename: str) -> Callable[..., Any]:
    """The function ``name`` that ``source`` defines, run with ``namespace`` as its globals.

    ``filename`` (e.g. ``"<ssm-mw json TaskPage>"``) names the source in
    tracebacks; the source is registered under it in :mod:`linecache`.
    """
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    function: Callable[..., Any] = namespace[name]
    return function


class Source:
    """The lines of a generated function, and the names its body refers to."""

    def __init__(self, namespace: dict[str, Any] | None = None) -> None:
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = dict(namespace or {})
        self._counter = 0

    def fresh(self, prefix: str) -> str:
        """A local name not used before in this source: ``prefix`` and a number."""
        self._counter += 1
        return f"{prefix}{self._counter}"

    def line(self, depth: int, text: str) -> None:
        """Add a line of code indented ``depth`` levels."""
        self.lines.append("    " * depth + text)

    def constant(self, prefix: str, value: object) -> str:
        """A fresh global name bound to ``value``, for the body to refer to."""
        name = self.fresh(prefix)
        self.namespace[name] = value
        return name

    def function(self, name: str, parameters: str, filename: str) -> Callable[..., Any]:
        """Define ``def name(parameters):`` with the lines added so far as its body."""
        source = "\n".join([f"def {name}({parameters}):", *self.lines, ""])
        return define(name, source, self.namespace, filename)
