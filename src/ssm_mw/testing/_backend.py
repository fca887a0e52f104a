"""The extension of moto's SSM backend and responses (private).

:func:`install` replaces moto's handlers for the four task operations, always,
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
import re
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from .._operations import DESCRIBE_TASKS, GET_TASK, REGISTER_TASK, UPDATE_TASK, OperationSpec
from .._rules import (
    INSTANCE_IDS,
    MAX_TARGET_VALUES,
    TARGET_KEYS,
    TARGET_VALUE_PATTERNS,
    TARGETLESS_PLACEHOLDER,
    WINDOW_TARGET_IDS,
)
from .._shapes import TASK_TYPE_VARIANTS
from ._model import ModelViolation, check_request, serialize_result
from ._paging import Pager, PagingError, task_matcher

if TYPE_CHECKING:
    from moto.core.responses import ActionResult
    from moto.ssm.responses import SimpleSystemManagerResponse

__all__ = [
    "DEFAULT_MAX_TASKS_PER_WINDOW",
    "LOCK",
    "forget_account",
    "install",
    "set_max_tasks_per_window",
]

#: AWS's quota of tasks per maintenance window.
DEFAULT_MAX_TASKS_PER_WINDOW = 20

#: Guards every read and write of task state made by the extension.
LOCK = threading.RLock()

_DEFAULT_PAGE_SIZE = 10
_REGISTER = REGISTER_TASK.name
_DESCRIBE = DESCRIBE_TASKS.name
_GET = GET_TASK.name
_UPDATE = UPDATE_TASK.name
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


def set_max_tasks_per_window(account_id: str, limit: int) -> None:
    """Set the per-window task limit of one account (the embedded server's)."""
    with LOCK:
        _max_tasks[account_id] = limit


def forget_account(account_id: str) -> None:
    """Drop an account's settings, restoring the default limit."""
    with LOCK:
        _max_tasks.pop(account_id, None)


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

#: F1, quoted from a real call (terraform-linters/tflint-ruleset-aws#524); the
#: text after the first sentence is the service's, for every kind of bad target.
_TARGET_HELP = (
    "For Run Command tasks, you must specify at least one resource as the target of the "
    "task. You can specify between 1 and 50 instance IDs, or between 1 and 10 maintenance "
    "window target IDs"
)
#: F2, quoted from a real call (hashicorp/terraform-provider-aws#18372).
_TOO_MANY_WINDOW_TARGETS = "The maximum number of window targets is 10"
#: F5, quoted from a real call (hashicorp/terraform-provider-aws#19396) and the user
#: guide's troubleshooting page; MaxErrors's sentence comes first there.
_NO_LIMITS = {
    "MaxErrors": "Maintenance window tasks without targets do not support MaxErrors values.",
    "MaxConcurrency": (
        "Maintenance window tasks without targets do not support MaxConcurrency values."
    ),
}
_LIMITS = ("MaxConcurrency", "MaxErrors")
_VALUE_NAMES = {INSTANCE_IDS: "instance ID", WINDOW_TARGET_IDS: "maintenance window target ID"}
_VALUE_MATCHERS = {key: re.compile(p).fullmatch for key, p in TARGET_VALUE_PATTERNS.items()}


def _check_window_task_targets(targets: Any) -> None:
    """F1 to F3: only InstanceIds (1 to 50 ids) and WindowTargetIds (1 to 10 ids)."""
    for target in cast("list[Mapping[str, Any]]", targets or []):
        key = target.get("Key")
        if key not in TARGET_KEYS:
            shown = "null" if key is None else str(key)
            raise _validation(
                f"{shown} is an invalid window task target type, use WindowTargetIds or "
                f"InstanceIds. {_TARGET_HELP}"
            )
        values = cast("list[str]", target.get("Values") or [])
        if not values:
            raise _validation(_TARGET_HELP)
        if len(values) > MAX_TARGET_VALUES[key]:
            raise _validation(
                _TOO_MANY_WINDOW_TARGETS if key == WINDOW_TARGET_IDS else _TARGET_HELP
            )
        matches = _VALUE_MATCHERS[key]
        for value in values:
            if matches(value) is None:
                raise _validation(f"{value} is not a valid {_VALUE_NAMES[key]}. {_TARGET_HELP}")


def _check_targets(
    members: Mapping[str, Any], sent: Mapping[str, Any], *, run_command: bool, was_targetless: bool
) -> None:
    """The rules on targets and limits of the task ``members`` a request ``sent`` leads to.

    F4: "One or more targets must be specified for maintenance window Run
    Command-type tasks." F5: a task without targets does not support
    MaxConcurrency or MaxErrors values. F7: "a value can be omitted only when you
    are registering or updating a targetless task. You must provide a value in all
    other cases" (for a task that had targets, the stored values count).
    """
    has_targets = bool(members.get("Targets"))
    if run_command and not has_targets:
        raise _validation(_TARGET_HELP)
    if not has_targets:
        given = [k for k in ("MaxErrors", "MaxConcurrency") if sent.get(k) is not None]
        if given:
            raise _validation(" ".join(_NO_LIMITS[k] for k in given))
        return
    source = sent if was_targetless else members
    missing = [k for k in _LIMITS if source.get(k) is None]
    if missing:
        raise _validation(f"{' and '.join(missing)} must be given for a task with targets")


def _as_stored(members: dict[str, Any]) -> dict[str, Any]:
    """F6: a task without targets holds the placeholder "1" for both limits."""
    if not members.get("Targets"):
        members.update(dict.fromkeys(_LIMITS, TARGETLESS_PLACEHOLDER))
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
    _check_window_task_targets(request.get("Targets"))
    run_command = request["TaskType"] == "RUN_COMMAND"
    _check_targets(request, request, run_command=run_command, was_targetless=True)
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
    _check_window_task_targets(sent.get("Targets"))
    task_type = str(task.members["TaskType"])
    if request.get("Replace") is True:
        if "TaskArn" not in sent:
            raise _validation(
                "Value null at 'taskArn' failed to satisfy constraint: "
                "Member must not be null when Replace is true"
            )
        # Replace requires what Register requires, and clears what is not sent (F8).
        members = {"TaskType": task_type, **sent}
        was_targetless = True
    else:
        members = {**task.members, **sent}
        was_targetless = not task.members.get("Targets")
    _check_targets(
        members, sent, run_command=task_type == "RUN_COMMAND", was_targetless=was_targetless
    )
    _check_variant(task_type, sent.get("TaskInvocationParameters"))
    task.members = _as_stored({k: members[k] for k in _TASK_MEMBERS if k in members})
    result = {"WindowId": task.window_id, "WindowTaskId": task.window_task_id, **task.members}
    del result["TaskType"]  # UpdateMaintenanceWindowTaskResult has no TaskType
    return result


def describe_tasks(backend: Any, request: Mapping[str, Any]) -> dict[str, Any]:
    """DescribeMaintenanceWindowTasks on one moto backend; returns the result."""
    window_id = str(request["WindowId"])
    tasks = _window_tasks(backend, window_id)
    filters = cast("list[Mapping[str, Any]]", request.get("Filters") or [])
    token = request.get("NextToken")
    try:
        matches = task_matcher(filters)
        pager = Pager(window_id, filters)
        after = 0 if token is None else pager.decode(str(token))
    except PagingError as exc:
        raise _validation(str(exc)) from None
    page_size = int(request.get("MaxResults") or _DEFAULT_PAGE_SIZE)
    snapshot = list(tasks.values())  # moto's own handlers do not take LOCK
    found = [
        t
        for t in snapshot
        if isinstance(t, _StoredTask) and t.seq > after and matches(t.window_task_id, t.members)
    ]
    found.sort(key=lambda t: t.seq)
    page = found[:page_size]
    result: dict[str, Any] = {"Tasks": [_summary(t) for t in page]}
    if len(found) > page_size:
        result["NextToken"] = pager.encode(page[-1].seq)
    return result


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
    GET_TASK: (_get_handler, get_task),
    UPDATE_TASK: (_update_handler, update_task),
}
_HANDLERS = {op.method: handler for op, (handler, _) in _OPERATIONS.items()}
_BACKEND_METHODS = {op.method: method for op, (_, method) in _OPERATIONS.items()}


def install() -> None:
    """Extend moto's SSM backend and responses with the four task operations.

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
