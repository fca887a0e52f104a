"""The extension of moto's SSM backend and responses (private).

:func:`install` replaces moto's handlers for the registry's operations, always,
even if a future moto implements them itself, so the embedded backend keeps
the behaviour described in ``docs/testing.md``. Tasks live in moto's own
``FakeMaintenanceWindow.tasks`` dict (so moto's deregistration still works);
the extra state (client tokens, the registration counter) hangs off the moto
backend object, so moto's own reset clears it too.

moto is imported inside functions only: importing this module is cheap.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from .._operations import (
    DEREGISTER_TASK,
    DESCRIBE_TASKS,
    DESCRIBE_WINDOWS,
    GET_TASK,
    REGISTER_TASK,
    UPDATE_TASK,
    OperationSpec,
)
from .._rules import (
    EMPTY_TASK_PARAMETERS,
    LIMITS,
    REPLACE_RULES,
    TARGETLESS_PLACEHOLDERS,
    TASKS_PER_WINDOW,
    Breach,
    Limit,
    TaskFacts,
    target_breaches,
    task_breaches,
)
from .._shapes import TASK_TYPE_VARIANTS
from ._model import ModelViolation, check_request, serialize_result
from ._paging import Pager, PagingError, task_matcher, window_matcher

if TYPE_CHECKING:
    from moto.core.responses import ActionResult
    from moto.ssm.responses import SimpleSystemManagerResponse

__all__ = [
    "ACCOUNT_HEADER",
    "DEFAULT_MAX_TASKS_PER_WINDOW",
    "LOCK",
    "delay_new_windows",
    "forget_account",
    "install",
    "set_max_tasks_per_window",
    "window_created",
]

#: AWS's quota of tasks per maintenance window.
DEFAULT_MAX_TASKS_PER_WINDOW = TASKS_PER_WINDOW.default

#: Guards every read and write of task state made by the extension.
LOCK = threading.RLock()
#: The request header by which an embedded server names a request's account to moto.
ACCOUNT_HEADER = "x-ssm-mw-account-id"

_DEFAULT_PAGE_SIZE = 10
_REGISTER = REGISTER_TASK.name
_DESCRIBE = DESCRIBE_TASKS.name
_GET = GET_TASK.name
_UPDATE = UPDATE_TASK.name
_WINDOWS = DESCRIBE_WINDOWS.name
_DEREGISTER = DEREGISTER_TASK.name
#: The scope of DescribeMaintenanceWindows' page tokens (a task page's scope is its window).
_WINDOW_LIST = "windows"
#: The member of register that carries the idempotency token.
_TOKEN = cast(str, REGISTER_TASK.client_token)  # register has one
#: The Content-Type of moto's (and the service's) JSON responses.
_JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
# Members a task stores; WindowId, WindowTaskId, ClientToken and Replace are not.
_TASK_MEMBERS = (
    "Targets",
    "TaskArn",
    "ServiceRoleArn",
    "TaskType",
    "TaskParameters",
    "TaskInvocationParameters",
    "Priority",
    "MaxConcurrency",
    "MaxErrors",
    "LoggingInfo",
    "Name",
    "Description",
    "CutoffBehavior",
    "AlarmConfiguration",
)
_max_tasks: dict[str, int] = {}


@dataclass
class _Visibility:
    """Eventual consistency of one account: new windows stay unknown for their first seconds."""

    seconds: float
    clock: Callable[[], float]
    #: Windows already visible (those that existed when the delay was set, and any whose
    #: first seconds have passed).
    visible: set[str]
    #: Window id -> when it was created (the helper) or first asked for (a window made
    #: through the API, which these handlers do not see being created).
    born: dict[str, float] = field(default_factory=lambda: {})


_visibility: dict[str, _Visibility] = {}


def delay_new_windows(
    account_id: str,
    seconds: float | None,
    clock: Callable[[], float],
    existing: Iterable[str] = (),
) -> None:
    """Make windows other than ``existing`` unknown to the task operations for ``seconds``."""
    with LOCK:
        if not seconds:
            _visibility.pop(account_id, None)
        else:
            _visibility[account_id] = _Visibility(seconds, clock, set(existing))


def window_created(account_id: str, window_id: str) -> None:
    """Note when a window was created, for :func:`delay_new_windows`."""
    with LOCK:
        visibility = _visibility.get(account_id)
        if visibility is not None:
            visibility.born[window_id] = visibility.clock()


def _check_visible(account_id: str, window_id: str) -> None:
    visibility = _visibility.get(account_id)
    if visibility is None or window_id in visibility.visible:
        return
    born = visibility.born.setdefault(window_id, visibility.clock())
    if visibility.clock() - born < visibility.seconds:
        raise _Error("DoesNotExistException", f"Maintenance window {window_id} does not exist")
    visibility.visible.add(window_id)


def set_max_tasks_per_window(account_id: str, limit: int) -> None:
    """Set the per-window task limit of one account (the embedded server's)."""
    with LOCK:
        _max_tasks[account_id] = limit


def forget_account(account_id: str) -> None:
    """Drop an account's settings, restoring the default limit and immediate visibility."""
    with LOCK:
        _max_tasks.pop(account_id, None)
        _visibility.pop(account_id, None)


class _Error(Exception):
    """An AWS error, turned into moto's ``ServiceException`` by the handlers."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _validation(message: str) -> _Error:
    return _Error("ValidationException", message)


@dataclass
class _StoredTask:
    window_id: str
    window_task_id: str
    seq: int
    members: dict[str, Any]


@dataclass
class _BackendState:
    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    # client token -> (request fingerprint, WindowTaskId)
    tokens: dict[str, tuple[str, str]] = field(default_factory=lambda: {})
    # WindowId -> the order in which describe-windows first saw it (creation order)
    window_seq: dict[str, int] = field(default_factory=lambda: {})


def _state(backend: Any) -> _BackendState:
    attrs = cast("dict[str, Any]", vars(backend))
    state = attrs.get("_ssm_mw_state")
    if not isinstance(state, _BackendState):
        state = _BackendState()
        attrs["_ssm_mw_state"] = state
    return state


def _window_tasks(backend: Any, window_id: str) -> dict[str, Any]:
    windows = cast("dict[str, Any]", backend.windows)
    window = windows.get(window_id)
    if window is None:
        raise _Error("DoesNotExistException", f"Maintenance window {window_id} does not exist")
    _check_visible(str(backend.account_id), window_id)
    return cast("dict[str, Any]", window.tasks)


def _stored_task(backend: Any, window_id: str, window_task_id: str) -> _StoredTask:
    task = _window_tasks(backend, window_id).get(window_task_id)
    if not isinstance(task, _StoredTask):
        raise _Error(
            "DoesNotExistException",
            f"Maintenance window task {window_task_id} does not exist in window {window_id}",
        )
    return task


def _check_variant(task_type: str, invocation: Mapping[str, Any] | None) -> None:
    if not invocation:
        return
    sent = sorted(invocation)
    expected = TASK_TYPE_VARIANTS.get(task_type)
    if sent != [expected]:
        raise _validation(
            f"TaskInvocationParameters must hold only {expected} for a {task_type} task; "
            f"got {', '.join(sent)}"
        )


# -- the real service's rules beyond the model (docs/fidelity.md) -------------
#
# The rules are the records of ``_rules``: here the facts they look at are read from
# the request and the stored task, and the first breach is refused in the service's
# words.


def _refuse_first(breaches: Sequence[Breach]) -> None:
    if breaches:
        raise _validation(breaches[0].service_message)


def _check_window_task_targets(targets: Any, held: tuple[str, ...]) -> None:
    """F1 to F3 (those ``held``, the operation record's rules), on each target."""
    for target in cast("list[Mapping[str, Any]]", targets or []):
        _refuse_first(target_breaches(target.get("Key"), target.get("Values"), held=held))


def _limits_in(members: Mapping[str, Any]) -> frozenset[Limit]:
    """The limits ``members`` hold a value for."""
    return frozenset(limit for limit in LIMITS if members.get(limit.member) is not None)


def _check_targets(
    held: tuple[str, ...],
    task_type: str,
    task: Mapping[str, Any],
    sent: Mapping[str, Any],
    valued: Mapping[str, Any],
) -> None:
    """F4, F5 and F7 (those ``held``) on the task ``task`` that the request ``sent`` leads to.

    ``valued`` holds the limits that count as values the user gave: those sent,
    and for a task that had targets its stored ones (the placeholders of a
    targetless task are none).
    """
    facts = TaskFacts(
        task_type=task_type,
        has_targets=bool(task.get("Targets")),
        given=_limits_in(sent),
        lacking=frozenset(LIMITS) - _limits_in(valued),
    )
    _refuse_first(task_breaches(facts, held))


def _as_stored(members: dict[str, Any]) -> dict[str, Any]:
    """F6: a task without targets holds the placeholders for both limits; F11: a task
    without TaskParameters holds (and reports) an empty map."""
    filled = TARGETLESS_PLACEHOLDERS.for_task(has_targets=bool(members.get("Targets")))
    for limit, value in filled.items():
        members[limit.member] = value
    members.setdefault(EMPTY_TASK_PARAMETERS.member, {})
    return members


def _fingerprint(request: Mapping[str, Any]) -> str:
    def default(value: object) -> str:
        if isinstance(value, bytes):
            return value.hex()
        raise TypeError(type(value).__name__)

    body = {k: v for k, v in request.items() if k != _TOKEN}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=default)
    return hashlib.sha256(text.encode()).hexdigest()


def register_task(backend: Any, request: Mapping[str, Any]) -> str:
    """RegisterTaskWithMaintenanceWindow on one moto backend; returns the WindowTaskId."""
    window_id = str(request["WindowId"])
    tasks = _window_tasks(backend, window_id)
    _check_variant(str(request["TaskType"]), request.get("TaskInvocationParameters"))
    _check_window_task_targets(request.get("Targets"), REGISTER_TASK.rules)
    _check_targets(REGISTER_TASK.rules, str(request["TaskType"]), request, request, request)
    state = _state(backend)
    token = request.get(_TOKEN)
    fingerprint = _fingerprint(request)
    if token is not None and token in state.tokens:
        seen, task_id = state.tokens[token]
        if seen != fingerprint:
            raise _Error(
                "IdempotentParameterMismatch",
                "The client token was already used with different parameters",
            )
        return task_id
    limit = _max_tasks.get(backend.account_id, DEFAULT_MAX_TASKS_PER_WINDOW)
    if len(tasks) >= limit:
        raise _Error(
            "ResourceLimitExceededException",
            f"Maintenance window {window_id} already has the maximum of {limit} tasks",
        )
    members = _as_stored({k: request[k] for k in _TASK_MEMBERS if k in request})
    task = _StoredTask(window_id, str(uuid.uuid4()), next(state.counter), members)
    tasks[task.window_task_id] = task
    if token is not None:
        state.tokens[token] = (fingerprint, task.window_task_id)
    return task.window_task_id


def get_task(backend: Any, request: Mapping[str, Any]) -> dict[str, Any]:
    """GetMaintenanceWindowTask on one moto backend; returns the result."""
    task = _stored_task(backend, str(request["WindowId"]), str(request["WindowTaskId"]))
    return {"WindowId": task.window_id, "WindowTaskId": task.window_task_id, **task.members}


def update_task(backend: Any, request: Mapping[str, Any]) -> dict[str, Any]:
    """UpdateMaintenanceWindowTask on one moto backend; returns the result."""
    task = _stored_task(backend, str(request["WindowId"]), str(request["WindowTaskId"]))
    sent = {k: request[k] for k in _TASK_MEMBERS if k in request and k != "TaskType"}
    _check_window_task_targets(sent.get("Targets"), UPDATE_TASK.rules)
    task_type = str(task.members["TaskType"])
    replace = request.get("Replace") is True
    for rule in REPLACE_RULES:
        breach = rule.check(replace=replace, sent=sent)
        if breach is not None and rule.id in UPDATE_TASK.rules:
            raise _validation(breach.service_message)
    if replace:
        # Replace requires what Register requires and a priority (F8, F10), and clears
        # what is not sent.
        members = {"TaskType": task_type, **sent}
        valued = sent
    else:
        members = {**task.members, **sent}
        # A targetless task's stored limits are the placeholders, no values given (F7).
        valued = members if task.members.get("Targets") else sent
    _check_targets(UPDATE_TASK.rules, task_type, members, sent, valued)
    _check_variant(task_type, sent.get("TaskInvocationParameters"))
    task.members = _as_stored({k: members[k] for k in _TASK_MEMBERS if k in members})
    result = {"WindowId": task.window_id, "WindowTaskId": task.window_task_id, **task.members}
    del result["TaskType"]  # UpdateMaintenanceWindowTaskResult has no TaskType
    return result


def deregister_task(backend: Any, request: Mapping[str, Any]) -> dict[str, Any]:
    """DeregisterTaskFromMaintenanceWindow on one moto backend; returns the result."""
    task = _stored_task(backend, str(request["WindowId"]), str(request["WindowTaskId"]))
    del _window_tasks(backend, task.window_id)[task.window_task_id]
    return {"WindowId": task.window_id, "WindowTaskId": task.window_task_id}


_T = TypeVar("_T")


def _paging(
    request: Mapping[str, Any], scope: str, matcher: Callable[[list[Mapping[str, Any]]], _T]
) -> tuple[_T, Pager, int, int]:
    """A describe's matcher, pager, the sequence number it continues after, and its page size."""
    filters = cast("list[Mapping[str, Any]]", request.get("Filters") or [])
    token = request.get("NextToken")
    try:
        matches = matcher(filters)
        pager = Pager(scope, filters)
        after = 0 if token is None else pager.decode(str(token))
    except PagingError as exc:
        raise _validation(str(exc)) from None
    return matches, pager, after, int(request.get("MaxResults") or _DEFAULT_PAGE_SIZE)


def _page(
    key: str, found: Sequence[tuple[int, dict[str, Any]]], pager: Pager, size: int
) -> dict[str, Any]:
    """The result: the first ``size`` items under ``key``, and a token while more match."""
    result: dict[str, Any] = {key: [item for _, item in found[:size]]}
    if len(found) > size:
        result["NextToken"] = pager.encode(found[size - 1][0])
    return result


def describe_tasks(backend: Any, request: Mapping[str, Any]) -> dict[str, Any]:
    """DescribeMaintenanceWindowTasks on one moto backend; returns the result."""
    window_id = str(request["WindowId"])
    tasks = _window_tasks(backend, window_id)
    matches, pager, after, size = _paging(request, window_id, task_matcher)
    snapshot = list(tasks.values())  # moto's own handlers do not take LOCK
    found = sorted(
        (t.seq, _summary(t))
        for t in snapshot
        if isinstance(t, _StoredTask) and t.seq > after and matches(t.window_task_id, t.members)
    )
    return _page("Tasks", found, pager, size)


def describe_windows(backend: Any, request: Mapping[str, Any]) -> dict[str, Any]:
    """DescribeMaintenanceWindows on one moto backend; returns the result.

    Windows come in the order they were created, with every filter key the
    service supports and pages of ``MaxResults`` (moto has neither).
    """
    matches, pager, after, size = _paging(request, _WINDOW_LIST, window_matcher)
    seq = _state(backend).window_seq
    found: list[tuple[int, dict[str, Any]]] = []
    for window in list(cast("dict[str, Any]", backend.windows).values()):
        number = seq.setdefault(str(window.id), len(seq) + 1)
        identity = _identity(window)
        if number > after and matches(identity):
            found.append((number, identity))
    return _page("WindowIdentities", found, pager, size)


def _identity(window: Any) -> dict[str, Any]:
    identity = {k: v for k, v in window.to_json().items() if v is not None}
    identity["Enabled"] = bool(getattr(window, "enabled", True))
    return identity


def _summary(task: _StoredTask) -> dict[str, Any]:
    members = {k: v for k, v in task.members.items() if k != "TaskInvocationParameters"}
    members["Type"] = members.pop("TaskType")
    return {"WindowId": task.window_id, "WindowTaskId": task.window_task_id, **members}


# --- moto glue --------------------------------------------------------------

_Operation = Callable[[Any, Mapping[str, Any]], Any]


def _run(response: SimpleSystemManagerResponse, operation: str, impl: _Operation) -> Any:
    from moto.ssm.exceptions import SSMException

    try:
        try:
            body: object = json.loads(response.body or "{}")
        except ValueError:
            raise _validation("The request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise _validation("The request body must be a JSON object")
        try:
            request = check_request(operation, cast("dict[str, Any]", body))
        except ModelViolation as exc:
            raise _validation(str(exc)) from None
        with LOCK:
            return impl(response.ssm_backend, request)
    except _Error as exc:
        raise SSMException(exc.code, exc.message) from None


@functools.cache
def _serialized_result_class() -> Any:
    from moto.core.responses import ActionResult

    class SerializedResult(ActionResult):
        """A result that is serialized by :func:`serialize_result`, not by moto."""

        def __init__(self, operation: str, result: Mapping[str, Any]) -> None:
            super().__init__(result)
            self.operation = operation

        def execute_result(self, context: Any) -> Any:
            body = serialize_result(self.operation, cast("Mapping[str, Any]", self.result))
            return 200, {"Content-Type": _JSON_CONTENT_TYPE}, body

    return SerializedResult


def _result(operation: str, value: Mapping[str, Any]) -> ActionResult:
    """The result of a handler: moto sends it as the JSON body, serialized here."""
    result: ActionResult = _serialized_result_class()(operation, value)
    return result


def _register_handler(self: SimpleSystemManagerResponse) -> ActionResult:
    task_id = _run(self, _REGISTER, register_task)
    return _result(_REGISTER, {"WindowTaskId": task_id})


def _describe_handler(self: SimpleSystemManagerResponse) -> ActionResult:
    return _result(_DESCRIBE, _run(self, _DESCRIBE, describe_tasks))


def _windows_handler(self: SimpleSystemManagerResponse) -> ActionResult:
    return _result(_WINDOWS, _run(self, _WINDOWS, describe_windows))


def _deregister_handler(self: SimpleSystemManagerResponse) -> ActionResult:
    return _result(_DEREGISTER, _run(self, _DEREGISTER, deregister_task))


def _get_handler(self: SimpleSystemManagerResponse) -> ActionResult:
    return _result(_GET, _run(self, _GET, get_task))


def _update_handler(self: SimpleSystemManagerResponse) -> ActionResult:
    return _result(_UPDATE, _run(self, _UPDATE, update_task))


#: Per operation of the registry: its handler on moto's responses class, and its backend method.
_OPERATIONS: dict[
    OperationSpec, tuple[Callable[[SimpleSystemManagerResponse], ActionResult], _Operation]
] = {
    REGISTER_TASK: (_register_handler, register_task),
    DESCRIBE_TASKS: (_describe_handler, describe_tasks),
    DESCRIBE_WINDOWS: (_windows_handler, describe_windows),
    DEREGISTER_TASK: (_deregister_handler, deregister_task),
    GET_TASK: (_get_handler, get_task),
    UPDATE_TASK: (_update_handler, update_task),
}
_HANDLERS = {op.method: handler for op, (handler, _) in _OPERATIONS.items()}
_BACKEND_METHODS = {op.method: method for op, (_, method) in _OPERATIONS.items()}


def install() -> None:
    """Extend moto's SSM backend and responses with the registry's operations.

    Always replaces moto's own handlers (even if a future moto implements an
    operation), in this process. Installing twice is harmless.
    """
    from moto.ssm.models import SimpleSystemManagerBackend
    from moto.ssm.responses import SimpleSystemManagerResponse

    with LOCK:
        for name, handler in _HANDLERS.items():
            setattr(SimpleSystemManagerResponse, name, handler)
        for name, method in _BACKEND_METHODS.items():
            setattr(SimpleSystemManagerBackend, name, method)
        _remember_method_names(SimpleSystemManagerResponse)
        _account_from_header()


def _account_from_header() -> None:
    """Let a request that names its account in :data:`ACCOUNT_HEADER` act in that account.

    moto's ``get_current_account`` takes ``MOTO_ACCOUNT_ID`` from the
    environment first, then its ``x-moto-account-id`` header, then the access
    key's account. An embedded server works out each request's account itself
    (from its credentials) and names it in :data:`ACCOUNT_HEADER`, which wins
    here; a request without it (one that did not come through an embedded
    server) gets moto's own answer.
    """
    from moto.core.responses import BaseResponse

    original: Callable[[Any], str] = BaseResponse.get_current_account
    if getattr(original, "_ssm_mw", False):
        return

    @functools.wraps(original)
    def get_current_account(self: Any) -> str:
        headers = getattr(self, "headers", None)
        named = headers.get(ACCOUNT_HEADER) if headers is not None else None
        return str(named) if named else original(self)

    setattr(get_current_account, "_ssm_mw", True)  # noqa: B010 - a function attribute
    setattr(BaseResponse, "get_current_account", get_current_account)  # noqa: B010


#: moto's per-request lookup of handler names, in ``moto.core.responses``.
_LOOKUP = "method_names_from_class"


def _remember_method_names(response_class: type) -> None:
    """Let moto look up the SSM response class's handler names once, not on every request.

    moto's ``call_action`` lists every function of the response class
    (``inspect.getmembers``) on each request to check that the action has a
    handler: about a sixth of the server's CPU per request. The list of the SSM
    class is taken here, after the handlers are installed; other classes still
    get moto's own function.
    """
    import moto.core.responses as responses

    lookup: Callable[[object], list[str]] = getattr(responses, _LOOKUP)
    original: Callable[[object], list[str]] = getattr(lookup, "__wrapped__", lookup)
    names = original(response_class)

    @functools.wraps(original)
    def method_names_from_class(clazz: object) -> list[str]:
        return names if clazz is response_class else original(clazz)

    setattr(responses, _LOOKUP, method_names_from_class)
