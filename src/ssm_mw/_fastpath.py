"""The fast path: a successful response of the four operations straight from JSON into the models.

botocore's JSON parser walks the output shape for every response (~70 µs for
a full GetMaintenanceWindowTask body, ~1.3 ms for a describe page of 100
tasks) before ssm-mw converts the result once more. For calls made through
:class:`~ssm_mw.MaintenanceWindowClient`, a ``before-parse`` handler (a
botocore event, the one extension point that every aiobotocore version and
every client, ours or a caller's, offers) reads the raw body itself:

1. it acts only inside one of ssm-mw's calls (:func:`taking` marks it, in a
   context variable, so a caller's own calls on the same client, and calls in
   other tasks, are never touched), for that call's operation, on a status
   below 300, a ``bytes`` body and the ``json`` protocol, and when
   ``botocore.parsers`` does not log at DEBUG (so that its log shows the body
   as botocore received it);
2. it decodes the body as botocore does (UTF-8, then ``json.loads``) and
   builds the model with :func:`~ssm_mw._converter.json_structure_fn`, which
   gives what ``from_botocore`` of botocore's parse gives;
3. it puts the model in the event's ``customized_response_dict`` (botocore
   merges that into the parsed response) and empties the body it was given,
   so botocore's parser has nothing to walk. botocore still makes the
   parsed response, with its ``ResponseMetadata`` from the headers, and
   aiobotocore adds ``RetryAttempts``: both stay botocore's own.

Anything it is not sure of (a body that is not JSON or not an object, a
value the model did not expect, a missing member) leaves the response
untouched, and botocore parses it: the result is then ``from_botocore`` of
that parse, errors and all. Error responses, retries, signing and every
other event are left to aiobotocore. A ``before-call``
short-circuit (botocore's Stubber) never reaches the parser: its response is
read with ``from_botocore``.

The handler is registered last (``register_last``) on the root
``before-parse`` event, so that every handler registered the usual way, the
caller's included, runs before it and sees the body as it came.
"""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from ._converter import from_botocore, json_structure_fn, parse_register_response
from ._models import MaintenanceWindowTaskDetails, TaskPage
from ._operations import DESCRIBE_TASKS, GET_TASK, REGISTER_TASK, UPDATE_TASK, OperationSpec

__all__ = [
    "DESCRIBE",
    "GET",
    "REGISTER",
    "UPDATE",
    "Operation",
    "install",
    "read",
    "taken",
    "taking",
]

T = TypeVar("T")

#: Where the handler leaves the model in the parsed response (popped by :func:`read`).
_KEY = "ssm_mw:model"
_UNIQUE_ID = "ssm-mw-fast-path"
_PARSER_LOG = logging.getLogger("botocore.parsers")


def _json_register(data: dict[str, Any]) -> str:
    task_id = data.get("WindowTaskId")
    if task_id.__class__ is not str:
        raise ValueError("no WindowTaskId")  # left to botocore's parse and its error
    return str(task_id)


class Operation(Generic[T]):
    """An operation of the registry, with how its result is read."""

    __slots__ = ("_from_json", "_reader", "method", "name")

    def __init__(
        self,
        spec: OperationSpec,
        reader: Callable[[Mapping[str, Any]], T],
        from_json: Callable[[], Callable[[dict[str, Any]], T]],
    ) -> None:
        self.name = spec.name
        self.method = spec.method
        self._reader = reader
        self._from_json = from_json

    def read(self, response: Mapping[str, Any]) -> T:
        """The result, from botocore's parsed response."""
        return self._reader(response)

    def read_json(self, data: dict[str, Any]) -> T:
        """The result, from the raw JSON body; raises wherever botocore's parse might differ."""
        return self._from_json()(data)


def _model_reader(cls: type[T]) -> Callable[[Mapping[str, Any]], T]:
    return lambda response: from_botocore(response, cls)


def _json_reader(cls: type[T]) -> Callable[[], Callable[[dict[str, Any]], T]]:
    return lambda: json_structure_fn(cls)


DESCRIBE: Operation[TaskPage] = Operation(
    DESCRIBE_TASKS,
    _model_reader(TaskPage),
    _json_reader(TaskPage),
)
GET: Operation[MaintenanceWindowTaskDetails] = Operation(
    GET_TASK,
    _model_reader(MaintenanceWindowTaskDetails),
    _json_reader(MaintenanceWindowTaskDetails),
)
REGISTER: Operation[str] = Operation(
    REGISTER_TASK,
    parse_register_response,
    lambda: _json_register,
)
UPDATE: Operation[MaintenanceWindowTaskDetails] = Operation(
    UPDATE_TASK,
    _model_reader(MaintenanceWindowTaskDetails),
    _json_reader(MaintenanceWindowTaskDetails),
)


_CURRENT: contextvars.ContextVar[Operation[Any] | None] = contextvars.ContextVar(
    "ssm_mw_fast_path", default=None
)


class taking:
    """Mark the aiobotocore call made inside ``with`` as ssm-mw's own call of ``operation``."""

    __slots__ = ("_operation", "_token")

    def __init__(self, operation: Operation[Any]) -> None:
        self._operation = operation

    def __enter__(self) -> None:
        self._token = _CURRENT.set(self._operation)

    def __exit__(self, *_: object) -> None:
        _CURRENT.reset(self._token)


def _protocol(operation_model: Any) -> Any:
    service_model = operation_model.service_model
    # aiobotocore 3 asks the service model for its resolved protocol; 2.x reads the metadata.
    resolved = getattr(service_model, "resolved_protocol", None)
    return resolved if resolved is not None else operation_model.metadata.get("protocol")


def _before_parse(
    operation_model: Any,
    response_dict: dict[str, Any],
    customized_response_dict: dict[str, Any],
    **_: Any,
) -> None:
    operation = _CURRENT.get()
    if operation is None:
        return
    if operation_model.name != operation.name or response_dict.get("status_code", 500) >= 300:
        return
    body = response_dict.get("body")
    if type(body) is not bytes or _PARSER_LOG.isEnabledFor(logging.DEBUG):
        return
    if _protocol(operation_model) != "json":
        return
    try:
        data = json.loads(body.decode("utf-8"))  # as botocore decodes it
        if data.__class__ is not dict:
            return
        result = operation.read_json(data)
    except Exception:  # not sure: botocore's parse decides, as it always did
        return
    customized_response_dict[_KEY] = result
    response_dict["body"] = b""


def install(client: Any) -> None:
    """Register the fast path's handler on an aiobotocore client (once; harmless twice)."""
    client.meta.events.register_last("before-parse", _before_parse, unique_id=_UNIQUE_ID)


def read(operation: Operation[T], response: dict[str, Any]) -> T:
    """The result of a call: the fast path's model, or ``from_botocore`` of botocore's parse."""
    result = response.pop(_KEY, response)
    if result is response:
        return operation.read(response)
    served: T = result
    return served


def taken(response: Mapping[str, Any]) -> bool:
    """Whether the fast path served this parsed response (before :func:`read` pops its model)."""
    return _KEY in response
