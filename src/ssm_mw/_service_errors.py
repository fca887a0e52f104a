"""The errors the service answers with: :class:`ServiceError` and its subclasses.

Each is also a botocore ``ClientError`` (``except ClientError`` keeps working),
so this is the one module of the error hierarchy that imports botocore; the
rest of it is in :mod:`ssm_mw._errors` (see its docstring for the whole tree).
:func:`from_client_error` turns botocore's ``ClientError`` into the class of
its error code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from botocore.exceptions import ClientError

from ._errors import SsmMwError
from ._public import publish_exported

__all__ = [
    "DoesNotExistError",
    "FeatureNotAvailableError",
    "IdempotentParameterMismatchError",
    "InternalServerError",
    "ResourceLimitExceededError",
    "ServiceError",
    "ServiceValidationError",
    "ThrottlingError",
    "from_client_error",
]


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


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
