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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import attrs
from botocore.exceptions import ClientError

__all__ = [
    "ClientStateError",
    "DoesNotExistError",
    "FeatureNotAvailableError",
    "IdempotentParameterMismatchError",
    "IgnoredMembersWarning",
    "InternalServerError",
    "ResourceLimitExceededError",
    "ResponseError",
    "ServiceError",
    "ServiceValidationError",
    "SsmMwError",
    "TaskFileError",
    "ThrottlingError",
    "TransportError",
    "ValidationError",
    "Violation",
    "from_client_error",
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


class ServiceError(SsmMwError, ClientError):
    """The service answered with an error.

    It is also a botocore ``ClientError``, so ``except ClientError`` code keeps
    working: ``.response`` and ``.operation_name`` are botocore's (the
    ``ClientError`` that botocore raised is kept as ``__cause__``). The typed
    attributes are ``code``, ``message``, ``operation``, ``request_id`` and
    ``http_status``. When the body was not the service's JSON error (e.g. an
    HTML page from a proxy), ``message`` summarises it in one line: the HTTP
    status, the content type and the first characters.
    """

    #: The error codes that map to this class (subclasses set it).
    codes: tuple[str, ...] = ()

    code: str
    message: str
    operation: str
    request_id: str | None
    http_status: int | None

    def __init__(
        self,
        *,
        code: str,
        message: str,
        operation: str,
        request_id: str | None = None,
        http_status: int | None = None,
        response: Mapping[str, Any] | None = None,
    ) -> None:
        if response is None:
            metadata: dict[str, Any] = {}
            if request_id is not None:
                metadata["RequestId"] = request_id
            if http_status is not None:
                metadata["HTTPStatusCode"] = http_status
            response = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": metadata}
        ClientError.__init__(self, cast(Any, response), operation)
        self.code = code
        self.message = message
        self.operation = operation
        self.request_id = request_id
        self.http_status = http_status
        self.args = (f"{operation}: {code}: {message}",)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> tuple[Any, ...]:
        # ClientError's own __reduce__ calls the class positionally; this one keeps every attribute.
        return (_restore, (type(self), self.args, dict(vars(self))))


def _restore(cls: type[ServiceError], args: tuple[Any, ...], state: dict[str, Any]) -> ServiceError:
    error = cls.__new__(cls)
    error.args = args
    vars(error).update(state)
    return error


class ServiceValidationError(ServiceError):
    """The service rejected the request as invalid (``ValidationException``).

    The library validates every request before sending it, so this is a rule
    the service checks and this version does not (yet).
    """

    codes = ("ValidationException",)


class DoesNotExistError(ServiceError):
    """The maintenance window or task does not exist."""

    codes = ("DoesNotExistException",)


class ResourceLimitExceededError(ServiceError):
    """A quota was reached, e.g. the number of tasks in one window."""

    codes = ("ResourceLimitExceededException",)


class IdempotentParameterMismatchError(ServiceError):
    """A client token was reused with a different request."""

    codes = ("IdempotentParameterMismatch",)


class FeatureNotAvailableError(ServiceError):
    """The feature is not available in this Region."""

    codes = ("FeatureNotAvailableException",)


class InternalServerError(ServiceError):
    """The service failed (after retries, if any were allowed)."""

    codes = ("InternalServerError",)


class ThrottlingError(ServiceError):
    """The service throttled the request (after retries, if any were allowed)."""

    codes = (
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
    )


_CLASSES: Mapping[str, type[ServiceError]] = {
    code: cls
    for cls in (
        ServiceValidationError,
        DoesNotExistError,
        ResourceLimitExceededError,
        IdempotentParameterMismatchError,
        FeatureNotAvailableError,
        InternalServerError,
        ThrottlingError,
    )
    for code in cls.codes
}
_BODY_PREVIEW = 80


def _message(error: Mapping[str, Any], code: str, metadata: Mapping[str, Any]) -> str:
    """The error's message; for a body that is not the service's JSON error, a summary."""
    message = str(error.get("Message", ""))
    status = metadata.get("HTTPStatusCode")
    headers = metadata.get("HTTPHeaders") or {}
    content_type = str(headers.get("content-type", "") or "no content type")
    # botocore falls back to the HTTP status as the code when the body names none.
    if code != str(status) or "json" in content_type.lower():
        return message
    preview = " ".join(message.split())
    if len(preview) > _BODY_PREVIEW:
        preview = preview[:_BODY_PREVIEW] + "..."
    body = f": {preview!r}" if preview else ", empty body"
    return f"not an SSM error response (HTTP {status}, {content_type}){body}"


def from_client_error(operation: str, exc: ClientError) -> ServiceError:
    """The typed :class:`ServiceError` for a botocore ``ClientError``."""
    response: Mapping[str, Any] = cast(Any, exc.response)
    error: Mapping[str, Any] = response.get("Error") or {}
    metadata: Mapping[str, Any] = response.get("ResponseMetadata") or {}
    code = str(error.get("Code", "Unknown"))
    cls = _CLASSES.get(code, ServiceError)
    return cls(
        code=code,
        message=_message(error, code, metadata),
        operation=operation,
        request_id=metadata.get("RequestId"),
        http_status=metadata.get("HTTPStatusCode"),
        response=response,
    )
