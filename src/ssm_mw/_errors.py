"""The exceptions that ssm-mw raises.

Every exception derives from :class:`SsmMwError`::

    SsmMwError
    ├── ValidationError (also a ValueError)       bad request, caught before sending
    │   └── TaskFileError                          a task file that cannot become a request
    ├── ResponseError                              a response the library cannot use
    ├── ClientStateError (also a RuntimeError)     client used outside its lifecycle
    ├── TransportError                             no credentials or Region, endpoint unreachable
    └── ServiceError (also a botocore ClientError) the service answered with an error
        ├── ServiceValidationError                 ValidationException
        ├── DoesNotExistError                      DoesNotExistException
        ├── ResourceLimitExceededError             ResourceLimitExceededException
        ├── IdempotentParameterMismatchError       IdempotentParameterMismatch
        ├── FeatureNotAvailableError               FeatureNotAvailableException
        ├── InternalServerError                    InternalServerError
        └── ThrottlingError                        ThrottlingException and kin

Messages never contain the values of members that the botocore model marks
sensitive.

One warning, :class:`IgnoredMembersWarning` (a ``UserWarning``), says that a
request sends members the service will ignore; it is sent all the same.

:class:`ServiceError` and its subclasses are botocore ``ClientError`` subclasses too,
so they live in :mod:`ssm_mw._service_errors`, beside botocore: this module
imports no botocore, and the models, enums and validation that need only
these errors do not import it either (``ssm-mw --help`` reads none of it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ._public import publish_exported

__all__ = [
    "ClientStateError",
    "IgnoredMembersWarning",
    "ResponseError",
    "SsmMwError",
    "TaskFileError",
    "TransportError",
    "ValidationError",
    "Violation",
]


class SsmMwError(Exception):
    """Base class of every exception that ssm-mw raises."""

    #: The ``ClientToken`` of the registration that raised this error after its
    #: request was sent (``register_task_with_maintenance_window``); ``None``
    #: otherwise. Registering again with it returns the task if an attempt
    #: whose answer was lost created it, and creates it once otherwise.
    client_token: str | None = None


@attrs.frozen(kw_only=True)
class Violation:
    """One broken constraint: where it is, and what is wrong.

    ``path`` is dotted and uses the library's attribute names, e.g.
    ``task_invocation_parameters.timeout_seconds`` or ``targets[0].values[1]``.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ValidationError(SsmMwError, ValueError):
    """A request broke one or more constraints; nothing was sent.

    ``violations`` lists every broken constraint at once.
    """

    violations: tuple[Violation, ...]

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = tuple(violations)
        super().__init__(self._render())

    def _render(self) -> str:
        if len(self.violations) == 1:
            return str(self.violations[0])
        lines = "\n".join(f"  - {v}" for v in self.violations)
        return f"{len(self.violations)} validation errors:\n{lines}"

    @classmethod
    def single(cls, path: str, message: str) -> ValidationError:
        """Build an error with a single violation."""
        return cls([Violation(path=path, message=message)])

    @property
    def paths(self) -> tuple[str, ...]:
        """The dotted paths of every violation, in order."""
        return tuple(v.path for v in self.violations)


#: Where a problem is in a file: ``(line, column)``, both from 1; ``None`` when not known.
Location = tuple[int, int] | None


class TaskFileError(ValidationError):
    """A task file could not be read, parsed or checked; nothing was sent.

    ``file`` names the file (``<stdin>`` for standard input). Each violation's
    ``path`` is the dotted path of the key in the file, in the file's own
    (botocore) names, such as
    ``TaskInvocationParameters.RunCommand.TimeoutSeconds`` (empty for a
    problem with the whole file); ``locations`` holds the ``(line, column)``
    of each, or ``None`` when the key is not in the file. The message is one
    line per problem, the same as ``lines``::

        task.yaml:7:7: TaskInvocationParameters.RunCommand.TimeoutSeconds: 5 is below the minimum 30
    """

    file: str
    locations: tuple[Location, ...]

    def __init__(
        self,
        file: str,
        violations: Sequence[Violation],
        locations: Sequence[Location] | None = None,
        *,
        lines: Sequence[str] | None = None,
    ) -> None:
        self.file = file
        given = tuple(locations) if locations is not None else ()
        self.locations = given + (None,) * (len(violations) - len(given))
        self._lines = (
            tuple(lines)
            if lines is not None
            else tuple(
                _file_line(file, v, at) for v, at in zip(violations, self.locations, strict=True)
            )
        )
        super().__init__(violations)

    def _render(self) -> str:
        return "\n".join(self._lines)

    @property
    def lines(self) -> tuple[str, ...]:
        """One line per problem: ``FILE[:LINE:COLUMN]: [PATH: ]MESSAGE``."""
        return self._lines

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore_file_error, (self.file, self.violations, self.locations, self._lines))


def _file_line(file: str, violation: Violation, location: Location) -> str:
    where = f"{file}:{location[0]}:{location[1]}" if location is not None else file
    return f"{where}: {violation}"


def _restore_file_error(
    file: str,
    violations: tuple[Violation, ...],
    locations: tuple[Location, ...],
    lines: tuple[str, ...],
) -> TaskFileError:
    return TaskFileError(file, violations, locations, lines=lines)


class IgnoredMembersWarning(UserWarning):
    """A request sends members the service ignores (the request is sent all the same).

    ``TaskParameters`` and ``LoggingInfo`` are deprecated: a Run Command task uses
    them only when ``TaskInvocationParameters`` is not given, and Automation,
    Lambda and Step Functions tasks ignore them (fidelity F14). Filter it like any
    warning: ``warnings.filterwarnings("ignore", category=ssm_mw.IgnoredMembersWarning)``.
    """


class ResponseError(SsmMwError):
    """A response lacked what the library needs, e.g. a task's identity."""


class ClientStateError(SsmMwError, RuntimeError):
    """The client was used before it was opened, after it was closed, or reopened."""


class TransportError(SsmMwError):
    """The request could not be made or its answer not read.

    No credentials, no Region, an unreachable endpoint, a timeout: botocore's
    own exception is kept as ``__cause__``.
    """


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
