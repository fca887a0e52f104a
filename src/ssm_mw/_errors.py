"""The exceptions that ssm-mw raises.

Every exception derives from :class:`SsmMwError`::

    SsmMwError
    ├── ValidationError (also a ValueError)       bad request, caught before sending
    ├── ResponseError                              a response the library cannot use
    ├── ClientStateError (also a RuntimeError)     client used outside its lifecycle
    ├── TransportError                             no credentials or Region, endpoint unreachable
    └── ServiceError                               the service answered with an error
        ├── DoesNotExistError                      DoesNotExistException
        ├── ResourceLimitExceededError             ResourceLimitExceededException
        ├── IdempotentParameterMismatchError       IdempotentParameterMismatch
        ├── FeatureNotAvailableError               FeatureNotAvailableException
        ├── InternalServerError                    InternalServerError
        └── ThrottlingError                        ThrottlingException and kin

Messages never contain the values of members that the botocore model marks
sensitive.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = [
    "ClientStateError",
    "DoesNotExistError",
    "FeatureNotAvailableError",
    "IdempotentParameterMismatchError",
    "InternalServerError",
    "ResourceLimitExceededError",
    "ResponseError",
    "ServiceError",
    "SsmMwError",
    "ThrottlingError",
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


class ResponseError(SsmMwError):
    """A response lacked what the library needs, e.g. a task's identity."""


class ClientStateError(SsmMwError, RuntimeError):
    """The client was used before it was opened, after it was closed, or reopened."""


class TransportError(SsmMwError):
    """The request could not be made or its answer not read.

    No credentials, no Region, an unreachable endpoint, a timeout: botocore's
    own exception is kept as ``__cause__``.
    """


class ServiceError(SsmMwError):
    """The service answered with an error.

    The botocore ``ClientError`` is kept as ``__cause__``.
    """

    #: The error codes that map to this class (subclasses set it).
    codes: tuple[str, ...] = ()

    def __init__(
        self,
        *,
        code: str,
        message: str,
        operation: str,
        request_id: str | None = None,
        http_status: int | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.operation = operation
        self.request_id = request_id
        self.http_status = http_status
        super().__init__(f"{operation}: {code}: {message}")


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
