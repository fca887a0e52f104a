"""The fast path: a successful response of ssm-mw's operations straight from JSON into the models.

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

Two more pieces of the request path are spared for ssm-mw's calls (and only
for them: :func:`install` changes the class of two of the client's objects to
a subclass of botocore's own, whose methods outside ssm-mw's calls are
botocore's, unchanged):

* **The User-Agent header.** botocore builds the string twice for every
  request (once with the request, once more in a ``request-created`` handler,
  with the features registered meanwhile), each of its ~300 characters
  checked one by one: ~35 µs each time, ~10 % of a get. It is a function of
  what botocore reads to build it: the builder's own fields (platform,
  Python, session name, version and extra, the client's features), the
  client config's ``user_agent``, ``user_agent_extra``, ``user_agent_appid``,
  retry mode and ``endpoint_discovery_enabled``, the features of the
  request's context, and botocore's ``modify_components`` hook. Inside
  ssm-mw's calls, the client's ``UserAgentString`` keeps each string it
  builds for those inputs (:class:`_UserAgent`), and builds it again when any
  of them changes.
* **botocore's parameter validation.** Every request ssm-mw sends has passed
  ssm-mw's own validation, compiled from the same model and stricter. A
  client that validates (``parameter_validation`` on: a client of a session
  the caller gave, or the caller's own through ``from_client``) serializes
  ssm-mw's request without validating it again when the parameters it is
  given are equal to those ssm-mw validated (:class:`_Validated`); anything
  else (a caller's ``provide-client-params`` handler returning other
  parameters, a ``before-parameter-build`` handler adding or replacing a
  member) is validated by botocore as it always is. The comparison is of the
  members: a handler that changes a value inside a member in place is not
  seen.
"""

from __future__ import annotations

import contextvars
import importlib
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from botocore import useragent
from botocore.useragent import UserAgentString
from botocore.validate import ParamValidationDecorator

from ._converter import from_botocore, json_structure_fn, parse_register_response
from ._operations import REGISTER_TASK, OperationSpec

__all__ = [
    "REGISTER",
    "Operation",
    "install",
    "operation",
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


def operation(spec: OperationSpec, result: type[T]) -> Operation[T]:
    """The operation ``spec`` whose result is the model ``result`` (from JSON or botocore)."""
    return Operation(
        spec, lambda response: from_botocore(response, result), lambda: json_structure_fn(result)
    )


#: Register's result is the new task's id, not a model.
REGISTER: Operation[str] = Operation(
    REGISTER_TASK,
    parse_register_response,
    lambda: _json_register,
)


class _Call:
    """One of ssm-mw's calls in progress: its operation and the parameters ssm-mw validated."""

    __slots__ = ("operation", "params")

    def __init__(self, operation: Operation[Any], params: Mapping[str, Any]) -> None:
        self.operation = operation
        self.params = params


_CURRENT: contextvars.ContextVar[_Call | None] = contextvars.ContextVar(
    "ssm_mw_fast_path", default=None
)


class taking:
    """Mark the aiobotocore call made inside ``with`` as ssm-mw's own call of ``operation``.

    ``params`` are the request's parameters, as ssm-mw validated them.
    """

    __slots__ = ("_call", "_token")

    def __init__(self, operation: Operation[Any], params: Mapping[str, Any]) -> None:
        self._call = _Call(operation, params)

    def __enter__(self) -> None:
        self._token = _CURRENT.set(self._call)

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
    call = _CURRENT.get()
    if call is None:
        return
    operation = call.operation
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


#: Strings built by :class:`_UserAgent`, by their inputs (a few per client at most).
_AGENTS: dict[Any, str] = {}
_AGENTS_KEPT = 64
_ABSENT = object()


def _config_inputs(config: Any) -> Any:
    """What botocore's ``UserAgentString.to_string`` reads of the client config."""
    if config is None:
        return None
    retries = config.retries
    return (
        getattr(config, "_supplied_user_agent", _ABSENT),
        config.user_agent,
        config.user_agent_extra,
        config.user_agent_appid,
        retries.get("mode") if retries else _ABSENT,
        config.endpoint_discovery_enabled,
    )


def _context_getter() -> Callable[[], Any] | None:
    # botocore's request context (features in the User-Agent) is newer than our lowest botocore.
    try:
        module = importlib.import_module("botocore.context")
    except ImportError:  # pragma: no cover - the lowest dependency set
        return None
    getter: Callable[[], Any] = module.get_context
    return getter


#: botocore's request context, or ``None`` in a botocore that has none.
_get_context = _context_getter()


def _user_agent_inputs(agent: UserAgentString) -> Any:
    """Everything the User-Agent string is built from, hashable; ``None`` if some is not."""
    if _get_context is None:  # a botocore without the context: build it every time
        return None
    context = _get_context()
    features = frozenset(context.features) if context is not None else frozenset()
    fields: list[tuple[str, Any]] = []
    for name, value in vars(agent).items():
        if name == "_client_config":
            value = _config_inputs(value)
        elif isinstance(value, (set, frozenset)):
            value = frozenset(value)
        fields.append((name, value))
    key = (features, getattr(useragent, "modify_components", None), tuple(fields))
    try:
        hash(key)
    except TypeError:  # a field botocore added that cannot be a key: build it every time
        return None
    return key


class _UserAgent(UserAgentString):
    """botocore's User-Agent builder, keeping the strings it builds inside ssm-mw's calls.

    Outside ssm-mw's calls it is botocore's. Inside, a string built once is
    handed out again for the same inputs (:func:`_user_agent_inputs`).
    """

    __slots__ = ()

    def to_string(self) -> str:
        """The User-Agent header's value, as botocore builds it."""
        if _CURRENT.get() is None:
            return super().to_string()
        key = _user_agent_inputs(self)
        if key is None:
            return super().to_string()
        text = _AGENTS.get(key)
        if text is None:
            text = super().to_string()
            if len(_AGENTS) >= _AGENTS_KEPT:
                _AGENTS.clear()
            _AGENTS[key] = text
        return text


class _Validated(ParamValidationDecorator):
    """botocore's validating serializer, which does not validate again what ssm-mw validated.

    Parameters of one of ssm-mw's calls, for its operation and equal to those
    ssm-mw validated, go straight to botocore's serializer; everything else is
    validated by botocore, then serialized, as botocore does.
    """

    __slots__ = ()
    _serializer: Any  # botocore's serializer, which the decorator wraps

    def serialize_to_request(self, parameters: Any, operation_model: Any) -> Any:
        """The request dict of ``parameters``; botocore validates all but ssm-mw's own."""
        call = _CURRENT.get()
        if (
            call is not None
            and operation_model.name == call.operation.name
            and parameters == call.params
        ):
            return self._serializer.serialize_to_request(parameters, operation_model)
        return super().serialize_to_request(parameters, operation_model)


def install(client: Any) -> None:
    """Put the fast path on an aiobotocore client (once; harmless twice).

    It registers the ``before-parse`` handler on the client's events, and
    changes the class of the client's User-Agent builder (a botocore
    ``UserAgentString``) to :class:`_UserAgent` and of its validating
    serializer (a ``ParamValidationDecorator``, when botocore's validation
    is on) to :class:`_Validated`: subclasses that behave as botocore's
    outside ssm-mw's calls. Objects of any other class are left as they are.
    """
    client.meta.events.register_last("before-parse", _before_parse, unique_id=_UNIQUE_ID)
    agent = getattr(client, "_user_agent_creator", None)
    if type(agent) is UserAgentString:
        agent.__class__ = _UserAgent
    serializer = getattr(client, "_serializer", None)
    if type(serializer) is ParamValidationDecorator:
        serializer.__class__ = _Validated


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
