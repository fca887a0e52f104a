"""String enums with the service's values, open to values added later.

The service may add enum values at any time. A value this version does not
know still becomes a member of the enum (a *pseudo-member*), so responses
never fail to parse and the value is written back unchanged.
:meth:`OpenEnum.is_known` tells the two apart; request validation rejects
values that the botocore model does not list.

Wherever a model takes an enum, it also takes the service's string value
(``cutoff_behavior="CANCEL_TASK"``, as boto3 users write it): the string
becomes the member when the model is built. A string that is not one of the
declared values raises :class:`~ssm_mw.ValidationError` naming the field; an
unknown value can still be given on purpose as a pseudo-member
(``CutoffBehavior("NEW_VALUE")``), which request validation then judges.
The ``to_...`` converters below do it, one per enum, typed with exactly
those inputs.
"""

from __future__ import annotations

import enum
from typing import Any, Literal, TypeVar, cast

from ._errors import ValidationError
from ._public import publish_exported

__all__ = [
    "MEMBER_CONVERTERS",
    "CutoffBehavior",
    "DocumentHashType",
    "NotificationEvent",
    "NotificationType",
    "OpenEnum",
    "TaskType",
    "member",
    "to_cutoff_behavior",
    "to_document_hash_type",
    "to_notification_events",
    "to_notification_type",
    "to_optional_task_type",
    "to_task_type",
]

E = TypeVar("E", bound="OpenEnum")


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


def member(cls: type[E], value: object, path: str) -> E:
    """``value`` as a member of ``cls``: a member (pseudo-members included) as it is,
    a string that is one of the declared values as its member.

    Anything else raises :class:`~ssm_mw.ValidationError` at ``path``, never an
    ``AttributeError`` later.
    """
    if isinstance(value, cls):
        return value
    if isinstance(value, str) and not isinstance(value, enum.Enum) and cls.is_known(value):
        return cls(value)
    choices = ", ".join(m.value for m in cls)
    shown = repr(value.value) if isinstance(value, enum.Enum) else repr(value)
    raise ValidationError.single(path, f"{shown} is not one of {choices}")


# -- the converters of the models' enum members (attrs ``converter=``) --------------
#
# Each spells its enum's values once more, as a ``Literal``, so that type checkers
# accept exactly the strings that work (a test keeps the two lists equal).


def to_task_type(
    value: TaskType | Literal["RUN_COMMAND", "AUTOMATION", "STEP_FUNCTIONS", "LAMBDA"],
) -> TaskType:
    """A ``task_type`` member that must be set."""
    return member(TaskType, value, "task_type")


def to_optional_task_type(
    value: TaskType | Literal["RUN_COMMAND", "AUTOMATION", "STEP_FUNCTIONS", "LAMBDA"] | None,
) -> TaskType | None:
    """A ``task_type`` member that may be ``None``."""
    return None if value is None else member(TaskType, value, "task_type")


def to_cutoff_behavior(
    value: CutoffBehavior | Literal["CONTINUE_TASK", "CANCEL_TASK"] | None,
) -> CutoffBehavior | None:
    """A ``cutoff_behavior`` member."""
    return None if value is None else member(CutoffBehavior, value, "cutoff_behavior")


def to_document_hash_type(
    value: DocumentHashType | Literal["Sha256", "Sha1"] | None,
) -> DocumentHashType | None:
    """A ``document_hash_type`` member."""
    return None if value is None else member(DocumentHashType, value, "document_hash_type")


def to_notification_type(
    value: NotificationType | Literal["Command", "Invocation"] | None,
) -> NotificationType | None:
    """A ``notification_type`` member."""
    return None if value is None else member(NotificationType, value, "notification_type")


def to_notification_events(
    value: tuple[
        NotificationEvent
        | Literal["All", "InProgress", "Success", "TimedOut", "Cancelled", "Failed"],
        ...,
    ]
    | None,
) -> tuple[NotificationEvent, ...] | None:
    """A ``notification_events`` member: each item a member."""
    given = cast(object, value)  # the type promises a tuple; callers may pass anything
    if given is None:
        return None
    if not isinstance(given, (tuple, list)):
        raise ValidationError.single(
            "notification_events", f"expected a tuple of events, got {type(given).__name__}"
        )
    items: tuple[object, ...] = tuple(given)  # pyright: ignore[reportUnknownArgumentType]
    return tuple(
        member(NotificationEvent, v, f"notification_events[{i}]") for i, v in enumerate(items)
    )


#: The converters above: each returns a member it is given unchanged (see ``_converter``).
MEMBER_CONVERTERS: frozenset[object] = frozenset(
    {
        to_task_type,
        to_optional_task_type,
        to_cutoff_behavior,
        to_document_hash_type,
        to_notification_type,
        to_notification_events,
    }
)


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
