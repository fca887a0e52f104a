"""Task files for the command line: the library's loaders, their errors as one usage line.

The library (``ssm_mw.TaskFile``, ``ssm_mw.parse_desired_state``) reads a
file, and names every problem where it is (``FILE:LINE:COLUMN`` and the dotted
wire path), the ones the client finds in its request included
(``TaskFile.locate``). Here a :class:`~ssm_mw.TaskFileError` becomes one usage
line (exit 2, no traceback), its problems joined with ``; ``; a member that an
argument gives is named as the command line names it (``WINDOW_ID``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Generator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from .. import TaskFileError
from ._app import CliUsageError, argument_path

__all__ = ["file_errors", "load", "read_file", "usage_error", "usage_lines"]

T = TypeVar("T")

#: The library's message for a member of a file that is an argument of the client's method.
_ARGUMENT_IN_FILE = re.compile(
    r"^not allowed in the file; it is an argument of the client's method \((\w+)\)$"
)


def _line(file: str, path: str, message: str, location: tuple[int, int] | None, line: str) -> str:
    argument = _ARGUMENT_IN_FILE.match(message)
    if argument is not None:  # WindowId in the file: it comes from WINDOW_ID
        where = f"{file}:{location[0]}:{location[1]}" if location else file
        name = argument_path(argument.group(1))
        return f"{where}: {path}: not allowed in the file; it comes from the command line ({name})"
    if location is None and argument_path(path) != path:  # an argument: window_id, ...
        return f"{argument_path(path)}: {message}"
    return line


def usage_lines(exc: TaskFileError) -> list[str]:
    """A task file's problems as the command line names them: one for each, in order."""
    return [
        _line(exc.file, v.path, v.message, location, line)
        for v, location, line in zip(exc.violations, exc.locations, exc.lines, strict=True)
    ]


def usage_error(exc: TaskFileError) -> CliUsageError:
    """The one usage line of a task file's problems, ``; ``-joined."""
    return CliUsageError("; ".join(usage_lines(exc)))


@contextmanager
def file_errors() -> Generator[None]:
    """Turn a :class:`~ssm_mw.TaskFileError` raised inside into its usage line."""
    try:
        yield
    except TaskFileError as exc:
        raise usage_error(exc) from None


def read_file(path: str) -> tuple[str, str]:
    """The name and text of a file (``-``: stdin); a usage error when it cannot be read."""
    if path == "-":
        return "<stdin>", sys.stdin.read()
    try:
        return path, Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CliUsageError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise CliUsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def load(loader: Callable[[str], T], path: str) -> T:
    """``loader(path)`` (a public loader, e.g. ``TaskFile.load``), its errors as usage errors."""
    try:
        with file_errors():
            return loader(path)
    except OSError as exc:
        raise CliUsageError(f"cannot read {path}: {exc.strerror or exc}") from None
