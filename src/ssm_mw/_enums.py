"""String enums with the service's values, open to values added later.

The service may add enum values at any time. A value this version does not
know still becomes a member of the enum (a *pseudo-member*), so responses
never fail to parse and the value is written back unchanged.
:meth:`OpenEnum.is_known` tells the two apart; request validation rejects
values that the botocore model does not list.
"""

from __future__ import annotations

import enum
from typing import Any

__all__ = [
    "CutoffBehavior",
    "DocumentHashType",
    "NotificationEvent",
    "NotificationType",
    "OpenEnum",
    "TaskType",
]


class OpenEnum(str, enum.Enum):
    """A ``str`` enum that accepts unknown values as pseudo-members.

    Members compare equal to their string value.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        pseudo = str.__new__(cls, value)
        pseudo._name_ = value
        pseudo._value_ = value
        # Cache it so that the same unknown value is always the same object.
        return cls._value2member_map_.setdefault(value, pseudo)

    @classmethod
    def is_known(cls, value: str) -> bool:
        """Whether ``value`` is one of the values this version declares."""
        return value in cls.__members__.values()

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        if type(self).is_known(self.value):
            return f"{type(self).__name__}.{self._name_}"
        return f"{type(self).__name__}({self.value!r})"


class TaskType(OpenEnum):
    """The type of a maintenance-window task."""

    RUN_COMMAND = "RUN_COMMAND"
    AUTOMATION = "AUTOMATION"
    STEP_FUNCTIONS = "STEP_FUNCTIONS"
    LAMBDA = "LAMBDA"


class CutoffBehavior(OpenEnum):
    """What happens to running tasks when the window's cutoff time arrives.

    ``CONTINUE_TASK`` lets tasks that already started go on;
    ``CANCEL_TASK`` stops new task invocations from starting.
    """

    CONTINUE_TASK = "CONTINUE_TASK"
    CANCEL_TASK = "CANCEL_TASK"


class DocumentHashType(OpenEnum):
    """The hash algorithm of a Run Command document hash."""

    SHA256 = "Sha256"
    SHA1 = "Sha1"


class NotificationEvent(OpenEnum):
    """A command status change that triggers a notification."""

    ALL = "All"
    IN_PROGRESS = "InProgress"
    SUCCESS = "Success"
    TIMED_OUT = "TimedOut"
    CANCELLED = "Cancelled"
    FAILED = "Failed"


class NotificationType(OpenEnum):
    """Whether notifications are sent per command or per invocation."""

    COMMAND = "Command"
    INVOCATION = "Invocation"
