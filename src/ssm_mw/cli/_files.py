"""Task files for the command line: the library's loader, its errors as one usage line.

The library (``ssm_mw.load_task_definition`` and its kin) reads and checks a
file, and names every problem where it is (``FILE:LINE:COLUMN`` and the
dotted wire path). Here a :class:`~ssm_mw.TaskFileError` becomes one usage
line (exit 2, no traceback), its problems joined with ``; ``; a member that
an argument gives is named as the command line names it (``WINDOW_ID``).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from contextlib import contextmanager
from typing import TypeVar

from .._errors import TaskFileError
from .._taskfile import ARGUMENTS, Document, parse_document, read_text
from ._app import CliUsageError, argument_path

__all__ = [
    "NOT_IN_FILE",
    "file_errors",
    "load",
    "parse_file",
    "read_file",
    "usage_error",
]

T = TypeVar("T")

#: The message for a member that an argument gives (``WindowId``: ``WINDOW_ID``), in a file.
NOT_IN_FILE: Mapping[str, str] = {
    wire: f"not allowed in the file; it comes from the command line ({argument_path(name)})"
    for wire, name in ARGUMENTS.items()
}


def usage_error(exc: TaskFileError) -> CliUsageError:
    """The one usage line of a task file's problems, ``; ``-joined."""
    lines = []
    for v, location, line in zip(exc.violations, exc.locations, exc.lines, strict=True):
        if v.path in NOT_IN_FILE and v.message.startswith("not allowed in the file;"):
            where = f"{exc.file}:{location[0]}:{location[1]}" if location else exc.file
            line = f"{where}: {v.path}: {NOT_IN_FILE[v.path]}"
        lines.append(line)
    return CliUsageError("; ".join(lines))


@contextmanager
def file_errors() -> Generator[None]:
    """Turn a :class:`~ssm_mw.TaskFileError` raised inside into its usage line."""
    try:
        yield
    except TaskFileError as exc:
        raise usage_error(exc) from None


def read_file(path: str) -> tuple[str, str]:
    """The name and text of a file (``-``: stdin); raise a usage error when it cannot be read."""
    try:
        with file_errors():
            return read_text(path)
    except OSError as exc:
        raise CliUsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def load(loader: Callable[[str], T], path: str) -> T:
    """``loader(path)`` (a public task-file loader), its errors as usage errors."""
    try:
        with file_errors():
            return loader(path)
    except OSError as exc:
        raise CliUsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def parse_file(name: str, text: str, *, what: str) -> Document:
    """Parse a file's text (see :func:`ssm_mw._taskfile.parse_document`); usage errors."""
    with file_errors():
        return parse_document(name, text, what=what)
