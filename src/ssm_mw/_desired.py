"""The desired state of task sets, and what "the same" means (private).

:class:`DesiredState` maps window key -> task name -> :class:`TaskDefinition`. A
window key is a window id (``mw-...``), or ``name:<window name>``: the window of
that name in every account-Region of the state's (or the call's) scope.

Everything the plan compares goes through one place, :func:`reported`: a
desired definition is turned into what the service would report after a
register or replace, and only then compared to the live task. So a plan made
right after an apply (or an export) has nothing to change, whatever the
service fills in. Members are compared in their botocore form (maps by key,
not by order); the diff walks the service model, so it names members by
their wire paths (``TaskInvocationParameters.RunCommand.TimeoutSeconds``) and
knows which are sensitive.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any, cast

import attrs

from ._converter import register_request, to_botocore, wire_names
from ._errors import ValidationError, Violation
from ._identifiers import check_window_id, check_window_name
from ._jsonform import BlobProblem, decode_blobs
from ._models import MaintenanceWindowTaskDetails, TaskDefinition, TaskUpdate
from ._operations import REGISTER_TASK
from ._public import publish_exported
from ._redact import REDACTED
from ._rules import (
    DEFAULT_SERVICE_ROLE,
    EMPTY_TASK_PARAMETERS,
    TARGETLESS_PLACEHOLDER,
    as_reported,
    is_targetless,
)
from ._schema import Node, input_schema, path_text
from ._scope import Scope
from ._taskfile import NOT_SUPPORTED, NotExact, exact_model, why_not_exact
from ._validation import violations

__all__ = [
    "DesiredState",
    "MemberChange",
    "client_token",
    "compared_live",
    "diff",
    "fingerprint",
    "key_path",
    "live_members",
    "replacement",
    "reported",
    "reported_members",
    "scope_data",
    "scope_from_data",
    "unreported",
    "window_name",
]

_REGISTER = REGISTER_TASK.name
#: The botocore name of each definition member (``name`` -> its wire name), once.


def _name() -> str:
    """A definition's name in botocore form: its key in the desired state."""
    return wire_names(TaskDefinition)["name"]


@functools.cache
def _definition_members() -> frozenset[str]:
    """The members of a definition in botocore form: what the plan compares."""
    return frozenset(wire_names(TaskDefinition).values())


_UPDATE_FIELDS = tuple(a.name for a in attrs.fields(TaskUpdate))


# -- the one normalisation -------------------------------------------------------------


def reported(definition: TaskDefinition) -> TaskDefinition:
    """The definition as the service reports it after register or replace (the fidelity rules)."""
    return as_reported(definition)


def unreported(live: TaskDefinition) -> TaskDefinition:
    """A definition that the service reports as ``live``: :func:`reported` undone (for export).

    A targetless task reports the placeholder limits (fidelity F6) but may not
    be given them (F5): they are left out. An empty ``task_parameters``, which
    the service reports when none were given (F11), is left out too.
    """
    changes: dict[str, Any] = {}
    if EMPTY_TASK_PARAMETERS.is_empty(getattr(live, EMPTY_TASK_PARAMETERS.attribute)):
        changes[EMPTY_TASK_PARAMETERS.attribute] = None
    placeholders = (TARGETLESS_PLACEHOLDER, TARGETLESS_PLACEHOLDER)
    if is_targetless(live.targets) and (live.max_concurrency, live.max_errors) == placeholders:
        changes.update(max_concurrency=None, max_errors=None)
    return attrs.evolve(live, **changes) if changes else live


def reported_members(definition: TaskDefinition) -> dict[str, Any]:
    """The botocore members that a live task registered from ``definition`` has, as compared."""
    return _compared(to_botocore(reported(definition)))


def live_members(details: MaintenanceWindowTaskDetails) -> dict[str, Any]:
    """The botocore members of a live task that a definition can set (no ids), as compared."""
    return _compared({k: v for k, v in to_botocore(details).items() if k in _definition_members()})


def compared_live(live: Mapping[str, Any], desired: Mapping[str, Any]) -> dict[str, Any]:
    """``live`` (:func:`live_members`) as compared with ``desired`` (:func:`reported_members`).

    A member the service may fill in when none is given (F12, the service role)
    is no difference when ``desired`` leaves it out.
    """
    member = DEFAULT_SERVICE_ROLE.member
    if member in desired:
        return dict(live)
    return {k: v for k, v in live.items() if k != member}


def _compared(members: dict[str, Any]) -> dict[str, Any]:
    """``members`` without an empty map the service may report for none given (F11).

    ``{}`` and absence are the same task whichever the service reports.
    """
    member = EMPTY_TASK_PARAMETERS.member
    if EMPTY_TASK_PARAMETERS.is_empty(members.get(member)):
        del members[member]
    return members


# -- the diff --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class MemberChange:
    """One member that a plan would change: its wire path, the value before and after.

    ``member`` is a dotted botocore path such as ``Priority`` or
    ``TaskInvocationParameters.RunCommand.TimeoutSeconds``; ``before`` and
    ``after`` are botocore-shaped values, ``None`` when not set. For a
    sensitive member (``sensitive``), ``before`` and ``after`` are ``"***"``
    when set, and so is every sensitive part of a structure that is added or
    removed whole: a plan never holds a sensitive value.
    """

    member: str
    before: Any
    after: Any
    sensitive: bool = False


def _hidden(node: Node | None, value: Any) -> Any:
    """``value`` with every sensitive part (and every part the model does not know) as ``***``."""
    if value is None:
        return None
    if node is None or node.sensitive:
        return REDACTED
    if node.kind == "structure" and isinstance(value, Mapping):
        known = node.members
        items = cast("Mapping[str, Any]", value).items()
        return {k: _hidden(known[k].node if k in known else None, v) for k, v in items}
    if node.item is not None and isinstance(value, (list, tuple)):
        return [_hidden(node.item, v) for v in cast("list[Any]", value)]
    if node.value is not None and isinstance(value, Mapping):
        items = cast("Mapping[str, Any]", value).items()
        return {k: _hidden(node.value, v) for k, v in items}
    return value


def _walk(
    node: Node | None,
    before: Any,
    after: Any,
    path: str,
    sensitive: bool,
    out: list[MemberChange],
) -> None:
    if before == after:
        return
    # Sensitive: the member, or a structure enclosing it, is (or the model does not know it).
    sensitive = sensitive or node is None or node.sensitive
    structures = isinstance(before, Mapping) and isinstance(after, Mapping)
    if node is not None and node.kind == "structure" and structures:
        found = len(out)
        old, new = cast("Mapping[str, Any]", before), cast("Mapping[str, Any]", after)
        _walk_members(node, old, new, path, sensitive, out)
        if len(out) > found:
            return
    out.append(
        MemberChange(
            member=path,
            before=_hidden(node, before),
            after=_hidden(node, after),
            sensitive=sensitive,
        )
    )


def _walk_members(
    node: Node,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    path: str,
    sensitive: bool,
    out: list[MemberChange],
) -> None:
    known = node.members
    keys = [k for k in known if k in before or k in after]
    keys += [k for k in dict.fromkeys((*before, *after)) if k not in known]
    for key in keys:
        child = f"{path}.{key}" if path else key
        member = known.get(key)
        nested = member.node if member is not None else None
        _walk(nested, before.get(key), after.get(key), child, sensitive, out)


def diff(live: Mapping[str, Any], desired: Mapping[str, Any]) -> tuple[MemberChange, ...]:
    """The members in which ``live`` and ``desired`` (botocore form) differ, in model order."""
    out: list[MemberChange] = []
    # The name is the task's identity (its key), never a change.
    live = {k: v for k, v in live.items() if k != _name()}
    desired = {k: v for k, v in desired.items() if k != _name()}
    _walk_members(input_schema(_REGISTER), live, desired, "", False, out)
    return tuple(out)


# -- identities ------------------------------------------------------------------------


def _canonical(value: Any) -> bytes:
    def default(item: object) -> str:
        if isinstance(item, (bytes, bytearray, memoryview)):
            return base64.b64encode(bytes(item)).decode("ascii")
        raise TypeError(type(item).__name__)

    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=default)
    return text.encode("utf-8")


def fingerprint(window_task_id: str, live: Mapping[str, Any]) -> str:
    """A digest of a live task (its id and every member): equal exactly when nothing changed."""
    digest = hashlib.sha256(b"ssm-mw task v1\0" + _canonical([window_task_id, live])).hexdigest()
    return f"sha256:{digest}"


def client_token(window_id: str, name: str, definition: TaskDefinition) -> str:
    """The register ``ClientToken`` of a named task: a digest of window, name and definition.

    A re-run of the same register (after a crash, or a lost answer) sends the
    same token, so the service hands back the task it already made.
    """
    body = _canonical([window_id, name, to_botocore(definition)])
    return hashlib.sha256(b"ssm-mw register v1\0" + body).hexdigest()


def replacement(definition: TaskDefinition) -> TaskUpdate:
    """The whole definition as an update with ``replace=True`` (members left out are cleared)."""
    return TaskUpdate(**{f: getattr(definition, f) for f in _UPDATE_FIELDS})


# -- the desired state -----------------------------------------------------------------


def key_path(window_id: str, name: str | None = None) -> str:
    """The path of a window (``windows['mw-...']``) or of one of its tasks in a state's errors."""
    path = f"windows[{window_id!r}]"
    return path if name is None else f"{path}[{name!r}]"


#: The prefix of a window key that names a window (``name:patching``) rather than its id.
NAME_PREFIX = "name:"
#: A well-formed window id that stands for a window given by name, where a request's
#: rules are checked (the definition's own members are what is checked there).
_ANY_WINDOW_ID = "mw-00000000000000000"


def window_name(key: str) -> str | None:
    """The window name of a ``name:<window name>`` key; ``None`` for a window id."""
    return key[len(NAME_PREFIX) :] if key.startswith(NAME_PREFIX) else None


def _check_window_id(window_id: object, out: list[Violation]) -> bool:
    if not isinstance(window_id, str):
        out.append(
            Violation(path="windows", message=f"a window key must be a string: {window_id!r}")
        )
        return False
    name = window_name(window_id)
    try:
        if name is None:
            check_window_id(window_id)
        else:
            check_window_name(name)
    except ValidationError as exc:
        where = key_path(window_id)
        what = "window id" if name is None else "window name"
        out.extend(Violation(path=where, message=f"{what} {v.message}") for v in exc.violations)
        return False
    return True


def _checked(
    window_id: str, name: object, definition: object, out: list[Violation]
) -> TaskDefinition | None:
    if not isinstance(name, str):
        out.append(
            Violation(path=key_path(window_id), message=f"a task name must be a string: {name!r}")
        )
        return None
    where = key_path(window_id, name)
    if not isinstance(definition, TaskDefinition):
        kind = type(definition).__name__
        out.append(Violation(path=where, message=f"expected a TaskDefinition, got {kind}"))
        return None
    if definition.name is not None and definition.name != name:
        message = f"the definition's name {definition.name!r} is not its key {name!r}"
        out.append(Violation(path=f"{where}.name", message=message))
        return None
    named = attrs.evolve(definition, name=name)
    checked_in = _ANY_WINDOW_ID if window_name(window_id) is not None else window_id
    for v in violations(_REGISTER, register_request(checked_in, named, "0")):
        out.append(Violation(path=f"{where}.{v.path}" if v.path else where, message=v.message))
    return named


def _windows(
    windows: Mapping[str, Mapping[str, TaskDefinition]],
) -> dict[str, dict[str, TaskDefinition]]:
    value = cast(object, windows)  # checked at run time too: callers may not be typed
    if not isinstance(value, Mapping):
        raise ValidationError.single("windows", f"expected a mapping, got {type(value).__name__}")
    out: list[Violation] = []
    built: dict[str, dict[str, TaskDefinition]] = {}
    for window_id, tasks in cast("Mapping[object, object]", value).items():
        if not _check_window_id(window_id, out) or not isinstance(window_id, str):
            continue
        if not isinstance(tasks, Mapping):
            message = f"expected a mapping of task names, got {type(tasks).__name__}"
            out.append(Violation(path=key_path(window_id), message=message))
            continue
        checked: dict[str, TaskDefinition] = {}
        for name, definition in cast("Mapping[object, object]", tasks).items():
            task = _checked(window_id, name, definition, out)
            if task is not None and task.name is not None:
                checked[task.name] = task
        built[window_id] = checked
    if out:
        raise ValidationError(out)
    return built


def _scope_value(value: Scope | None) -> Scope | None:
    given = cast(object, value)  # checked at run time too: callers may not be typed
    if given is not None and not isinstance(given, Scope):
        raise ValidationError.single("scope", f"expected a Scope, got {type(given).__name__}")
    return value


def scope_from_data(data: object) -> Scope | None:
    """The ``scope:`` of a desired-state file, or ``None``; errors are at ``scope.<field>``."""
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise ValidationError.single("scope", f"expected a mapping, got {type(data).__name__}")
    given = cast("Mapping[object, object]", data)
    known = {f.name for f in attrs.fields(Scope)}
    unknown = sorted(str(k) for k in given if k not in known)
    if unknown:
        expected = ", ".join(sorted(known))
        raise ValidationError.single(f"scope.{unknown[0]}", f"unknown key: expected {expected}")
    fields: dict[str, Any] = {str(k): v for k, v in given.items()}
    try:
        return Scope(**fields)
    except ValidationError as exc:
        raise ValidationError(
            [Violation(path=f"scope.{v.path}", message=v.message) for v in exc.violations]
        ) from None
    except TypeError as exc:  # a value the converter could not take at all
        raise ValidationError.single("scope", str(exc)) from None


def scope_data(scope: Scope, *, shard: bool = False) -> dict[str, Any]:
    """The scope as a file holds it: the fields not at their default. A desired-state
    file leaves the shard out (one worker's share, not the state's); a saved plan keeps
    it (``shard=True``), as ``"K/N"``."""
    out: dict[str, Any] = {}
    for field in attrs.fields(Scope):
        value = getattr(scope, field.name)
        if value != field.default:
            out[field.name] = list(value) if isinstance(value, tuple) else value
    if scope.shard is not None and shard:
        out["shard"] = f"{scope.shard[0]}/{scope.shard[1]}"
    else:
        out.pop("shard", None)
    return out


@attrs.frozen(kw_only=True)
class DesiredState:
    """The tasks each window should have, by name: window key -> name -> :class:`TaskDefinition`.

    A window key is a window id (``mw-...``), or ``name:<window name>``: the
    window of that name in every account-Region of the scope. Window ids are
    allowed only when the scope is a single account-Region (an id belongs to
    one); planning checks that. ``scope``, if set, is the file's own
    :class:`~ssm_mw.Scope` (``scope:`` with ``accounts``, ``regions``,
    ``role_name``, and any other field of a Scope); a scope given to the call
    (or on the command line) wins over it.

    Every definition is checked when the state is made, with the rules a
    register request must meet (so an invalid task fails here, before any
    request); its ``name`` is set to its key (a ``name`` that differs is an
    error). A window with no tasks is allowed: all its live tasks are then
    unmanaged. Build it in Python, or from the desired-state file's mapping
    with :meth:`from_botocore`::

        DesiredState(windows={
            "mw-0123456789abcdef0": {
                "nightly-patch": TaskDefinition(task_arn="AWS-RunPatchBaseline", ...),
            },
        })
    """

    windows: Mapping[str, Mapping[str, TaskDefinition]] = attrs.field(converter=_windows)
    scope: Scope | None = attrs.field(default=None, converter=_scope_value)

    @property
    def by_name(self) -> bool:
        """Whether any window is given by name (``name:<window name>``)."""
        return any(window_name(key) is not None for key in self.windows)

    def window_names(self) -> tuple[str, ...]:
        """The names of the windows given by name, in order."""
        return tuple(n for key in self.windows if (n := window_name(key)) is not None)

    def resolved(self, ids: Mapping[str, str]) -> DesiredState:
        """This state with each ``name:`` key replaced by its window's id in ``ids`` (name ->
        id, of one account-Region): the state of that account-Region, without a scope.

        A ``name:`` key whose window another key gives by its id is refused
        (:class:`~ssm_mw.ValidationError` naming both): one key's tasks would
        replace the other's.
        """
        windows: dict[str, Mapping[str, TaskDefinition]] = {}
        given: dict[str, str] = {}
        clashes: list[Violation] = []
        for key, tasks in self.windows.items():
            name = window_name(key)
            window_id = key if name is None else ids[name]
            other = given.setdefault(window_id, key)
            if other != key:
                by_name, by_id = (key, other) if name is not None else (other, key)
                message = f"is window {window_id}, which {key_path(by_id)} names too"
                clashes.append(
                    Violation(path=key_path(by_name), message=f"{message}: give each window once")
                )
            windows[window_id] = tasks
        if clashes:
            raise ValidationError(clashes)
        return DesiredState(windows=windows)

    @classmethod
    def from_botocore(cls, data: Mapping[str, Any]) -> DesiredState:
        """Read the desired-state file's mapping: ``{"windows": {id: {name: members}}}``.

        Each task is what a register request holds, in botocore form, without
        the window id, the client token and ``Name`` (its key is its name).
        Raises :class:`~ssm_mw.ValidationError` naming every problem: here, what
        the models cannot hold as written (an unknown key, a value of the wrong
        type); then, as for any state, what the state's check finds.
        """
        given = cast(object, data)
        if not isinstance(given, Mapping):
            raise ValidationError.single("", f"expected a mapping, got {type(given).__name__}")
        extra = sorted(
            str(k) for k in cast("Mapping[object, object]", given) if k not in ("windows", "scope")
        )
        if extra:
            raise ValidationError.single(extra[0], "unknown key: expected 'windows' and 'scope'")
        scope = scope_from_data(data.get("scope"))
        windows = data.get("windows") or {}
        if not isinstance(windows, Mapping):
            raise ValidationError.single(
                "windows", f"expected a mapping, got {type(windows).__name__}"
            )
        out: list[Violation] = []
        built: dict[str, dict[str, TaskDefinition]] = {}
        for window_id, tasks in cast("Mapping[str, Any]", windows).items():
            built[window_id] = {}
            if tasks is not None and not isinstance(tasks, Mapping):
                kind = type(cast(object, tasks)).__name__
                message = f"expected a mapping of task names, got {kind}"
                out.append(Violation(path=key_path(window_id), message=message))
                continue
            for name, members_ in cast("Mapping[str, Any]", tasks or {}).items():
                where = key_path(window_id, str(name))
                if not isinstance(members_, Mapping):
                    kind = type(members_).__name__
                    out.append(Violation(path=where, message=f"expected a mapping, got {kind}"))
                    continue
                members_ = cast("Mapping[str, Any]", members_)
                if _name() in members_:
                    message = "not allowed in a task: its key is its name"
                    out.append(Violation(path=f"{where}.{_name()}", message=message))
                    continue
                bad_blobs: list[BlobProblem] = []
                members_ = decode_blobs(input_schema(_REGISTER), members_, (), bad_blobs)
                if bad_blobs:
                    out.extend(
                        Violation(path=f"{where}.{path_text(path)}", message=message)
                        for path, message in bad_blobs
                    )
                    continue
                task = {**members_, _name(): name}
                try:
                    built[window_id][str(name)] = exact_model(task, TaskDefinition)
                except NotExact as inexact:
                    found = why_not_exact(_REGISTER, task, inexact) or [
                        Violation(path=inexact.lost_path, message=NOT_SUPPORTED)
                    ]
                    out.extend(
                        Violation(path=f"{where}.{v.path}" if v.path else where, message=v.message)
                        for v in found
                    )
        if out:
            raise ValidationError(out)
        # The state's one check: every window key and definition.
        return cls(windows=built, scope=scope)

    def to_botocore(self) -> dict[str, Any]:
        """The desired-state file's mapping (the inverse of :meth:`from_botocore`)."""
        windows: dict[str, Any] = {}
        for window_id, tasks in self.windows.items():
            windows[window_id] = {
                name: {k: v for k, v in to_botocore(d).items() if k != _name()}
                for name, d in tasks.items()
            }
        if self.scope is None:
            return {"windows": windows}
        return {"scope": scope_data(self.scope), "windows": windows}

    def tasks(self) -> Iterator[tuple[str, str, TaskDefinition]]:
        """Every ``(window_id, name, definition)``, in order."""
        for window_id, tasks in self.windows.items():
            for name, definition in tasks.items():
                yield window_id, name, definition

    def __len__(self) -> int:
        return sum(len(tasks) for tasks in self.windows.values())


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
