"""Checks of the identifiers a caller holds: window ids and window task ids.

Each is the request validation (:mod:`ssm_mw._validation`) run on a request
that holds the one member: the service model's constraints on ``WindowId``
and ``WindowTaskId`` (lengths, patterns), and nothing copied here.
"""

from __future__ import annotations

from ._converter import CALL_MEMBERS, call_members
from ._errors import ValidationError
from ._operations import DESCRIBE_TASKS, GET_TASK, REGISTER_TASK
from ._public import publish_exported
from ._schema import input_schema
from ._validation import violations

__all__ = ["check_window_id", "check_window_name", "check_window_task_id"]

_WINDOW_TASK_ID = "window_task_id"
_NAME = "name"


def check_window_id(window_id: str) -> None:
    """Raise :class:`~ssm_mw.ValidationError` unless ``window_id`` is a well-formed window id.

    The id is checked as every request checks it, against the service model's
    ``WindowId`` (``mw-`` and 17 hexadecimal digits, ``mw-0123456789abcdef0``);
    each violation's path is ``window_id``. Nothing is sent, so whether the
    window exists is not known here.

    >>> check_window_id("mw-0123456789abcdef0")
    >>> check_window_id("mw-0c50858d01EXAMPLE")
    Traceback (most recent call last):
    ...
    ssm_mw.ValidationError: window_id: 'mw-0c50858d01EXAMPLE' does not match the pattern ...
    """
    found = violations(DESCRIBE_TASKS.name, call_members(window_id))
    if found:
        raise ValidationError(found)


def check_window_task_id(window_task_id: str) -> None:
    """Raise :class:`~ssm_mw.ValidationError` unless ``window_task_id`` is a well-formed task id.

    The id is checked as every request checks it, against the service model's
    ``WindowTaskId`` (a UUID, ``4f7ca192-7e9a-40fe-9192-5cb15a0b1c2d``); each
    violation's path is ``window_task_id``. Nothing is sent.
    """
    request = {CALL_MEMBERS[_WINDOW_TASK_ID]: window_task_id}
    found = [v for v in violations(GET_TASK.name, request) if v.path == _WINDOW_TASK_ID]
    if found:
        raise ValidationError(found)


def check_window_name(name: str) -> None:
    """Raise :class:`~ssm_mw.ValidationError` unless ``name`` is a well-formed window name.

    A window's name and a task's name are the same shape in the service model
    (``MaintenanceWindowName``: 3 to 128 of ``a-z A-Z 0-9 _ - .``); the name is
    checked as a register request checks its task's. Each violation's path is
    ``name``. Nothing is sent.
    """
    request = {input_schema(REGISTER_TASK.name).attributes[_NAME].wire: name}
    found = [v for v in violations(REGISTER_TASK.name, request) if v.path == _NAME]
    if found:
        raise ValidationError(found)


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
