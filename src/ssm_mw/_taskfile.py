"""Task files: a JSON or YAML file in the botocore request shape, read into a request model.

:func:`load_task_definition` reads a file such as::

    TaskArn: AWS-RunShellScript
    TaskType: RUN_COMMAND
    TaskInvocationParameters:
      RunCommand:
        TimeoutSeconds: 600

into a :class:`~ssm_mw.TaskDefinition` (:func:`load_task_update`: a
:class:`~ssm_mw.TaskUpdate`); :class:`TaskFile` is the file itself, read. Every
problem is a :class:`~ssm_mw.TaskFileError` line naming where it is:
``FILE:LINE:COLUMN`` for a syntax error; for a semantic one, the key's dotted
path in the file (``TaskInvocationParameters.RunCommand.TimeoutSeconds``), with
the line and column of that key when it is in the file. JSON is read with the
standard library; YAML with PyYAML, imported when a YAML file is read.

Reading a file is not validating its request. The loader checks what only the
file has (syntax, duplicate keys, keys the file may not hold, unknown keys) and
builds the model that holds the file's members exactly as written
(:func:`exact_model`); the request made of that model is validated once, by
whoever sends it (the client, or a :class:`~ssm_mw.DesiredState` when it is
made), and :func:`locate` puts each of its violations back at its key in the
file. Only a file whose members the model cannot hold as written (``2`` where a
string is wanted) is checked here, to name why: its request is never made.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar, cast

import attrs

from ._converter import CALL_MEMBERS, call_members, from_botocore, to_botocore
from ._errors import Location, ResponseError, SsmMwError, TaskFileError, ValidationError, Violation
from ._jsonform import BASE64_KEY, BlobProblem, decode_blobs
from ._models import TaskDefinition, TaskUpdate
from ._operations import REGISTER_TASK, UPDATE_TASK
from ._public import publish_exported
from ._schema import Key, Node, input_schema, path_text, wire_path
from ._validation import violations

__all__ = [
    "NOT_IN_FILE",
    "NOT_SUPPORTED",
    "Document",
    "Key",
    "NotExact",
    "TaskFile",
    "exact_model",
    "load_task_definition",
    "load_task_update",
    "locate",
    "parse_document",
    "parse_task_definition",
    "parse_task_update",
    "read_members",
    "read_text",
    "unknown_key",
    "why_not_exact",
]

#: The request models a task file becomes.
T = TypeVar("T", TaskDefinition, TaskUpdate)

_REGISTER = REGISTER_TASK.name
_UPDATE = UPDATE_TASK.name
_MEMBERS = "a mapping of request members"
#: Call members that stand in for the arguments of the client's methods while a file is checked.
_PLACEHOLDER_WINDOW = "mw-00000000000000000"
_PLACEHOLDER_TASK = "00000000-0000-0000-0000-000000000000"
_PLACEHOLDER_TOKEN = "0"
#: The message for each request member that is an argument of the client's methods, never a
#: member of a file (by the member's wire name).
NOT_IN_FILE: Mapping[str, str] = {
    wire: f"not allowed in the file; it is an argument of the client's method ({name})"
    for name, wire in CALL_MEMBERS.items()
}


@functools.cache
def _not_in_an_update() -> Mapping[str, str]:
    """What an update file may not hold: the method's arguments, and what only register takes
    (the task's type, which an update cannot change)."""
    register_only = set(input_schema(_REGISTER).members) - set(input_schema(_UPDATE).members)
    return {
        **NOT_IN_FILE,
        **{
            key: "an update cannot change the task's type: its request has no "
            f"{key} (is this a file for register?)"
            for key in sorted(register_only - set(NOT_IN_FILE))
        },
    }


#: Where the first attribute of a library path ends (``targets`` of ``targets[0].key``).
_FIRST_END = re.compile(r"[.\[]")


@attrs.frozen(kw_only=True)
class Document:
    """A parsed file: its members, and where each key is in the text."""

    name: str
    data: dict[str, Any]
    positions: Mapping[tuple[Key, ...], tuple[int, int]] = attrs.field(factory=dict)
    #: Where ``data`` sits in the file: ``()`` for a whole file, else the path of its key
    #: (a task of a desired-state file: ``("windows", WINDOW_ID, NAME)``).
    base: tuple[Key, ...] = ()
    #: Whether ``data`` was parsed from text (YAML's unquoted ``5`` is no string: say so).
    parsed: bool = True

    def location(self, path: Sequence[Key] = ()) -> Location:
        """``(line, column)`` of the key at ``path`` (below ``base``), if known."""
        return self.positions.get((*self.base, *path))

    def where(self, path: Sequence[Key] = ()) -> str:
        """``name:line:col`` of the key at ``path`` (below ``base``) if known, else ``name``."""
        position = self.location(path)
        return f"{self.name}:{position[0]}:{position[1]}" if position else self.name

    def field(self, path: Sequence[Key] = ()) -> str:
        """The dotted path of ``path`` (below ``base``) in the file."""
        return path_text((*self.base, *path))

    def part(self, *path: Key) -> Document:
        """The same file, with ``data`` the mapping at ``path`` below ``base``."""
        data: Any = self.data
        for key in path:
            data = data[key]
        return attrs.evolve(self, data=data, base=(*self.base, *path))

    def error(self, path: Sequence[Key] | None, message: str) -> TaskFileError:
        """One problem at the key at ``path`` (below ``base``); ``None``: the whole file."""
        if path is None:
            return TaskFileError(self.name, [Violation(path="", message=message)])
        return TaskFileError(
            self.name, [Violation(path=self.field(path), message=message)], [self.location(path)]
        )


class _Problems:
    """The problems of one file, each a violation, its location and its line."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found: list[tuple[Violation, Location, str]] = []

    def add(self, path: str, message: str, location: Location = None, line: str = "") -> None:
        violation = Violation(path=path, message=message)
        if not line:
            where = f"{self.name}:{location[0]}:{location[1]}" if location else self.name
            line = f"{where}: {violation}"
        self.found.append((violation, location, line))

    def error(self) -> TaskFileError:
        return TaskFileError(
            self.name,
            [v for v, _, _ in self.found],
            [at for _, at, _ in self.found],
            lines=[line for _, _, line in self.found],
        )

    def raise_any(self) -> None:
        if self.found:
            raise self.error()


# -- reading --------------------------------------------------------------------------


class _DuplicateKeyError(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


def _is_json(name: str, text: str) -> bool:
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return True
    if suffix in (".yaml", ".yml"):
        return False
    return text.lstrip().startswith(("{", "["))


def _yaml(name: str) -> ModuleType:
    """PyYAML, imported on first use; without it, an error that says how to install it."""
    try:
        import yaml
    except ImportError:
        raise ModuleNotFoundError(
            f"{name}: reading a YAML task file needs PyYAML: "
            "pip install PyYAML (or ssm-mw[cli]); JSON files need nothing more",
            name="yaml",
        ) from None
    return yaml


def _fail(name: str, message: str, location: Location = None) -> TaskFileError:
    return TaskFileError(name, [Violation(path="", message=message)], [location])


def read_text(path: str | os.PathLike[str]) -> tuple[str, str]:
    """The name and text of a file (``-``: standard input, named ``<stdin>``).

    Raises :class:`OSError` when the file cannot be read, and
    :class:`~ssm_mw.TaskFileError` when it is not UTF-8 text.
    """
    name = os.fspath(path)
    if name == "-":
        return "<stdin>", sys.stdin.read()
    try:
        return name, Path(name).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(name, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _parse_json(name: str, text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise _fail(name, f"invalid JSON: {exc.msg}", (exc.lineno, exc.colno)) from None
    except _DuplicateKeyError as exc:
        raise _fail(name, f"duplicate key {exc.args[0]!r}") from None


def _parse_yaml(name: str, text: str) -> Any:
    yaml = _yaml(name)
    try:
        return yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else None
        problem = exc.problem or exc.context or "cannot parse"
        raise _fail(name, f"invalid YAML: {problem}", where) from None
    except yaml.YAMLError as exc:
        raise _fail(name, f"invalid YAML: {' '.join(str(exc).split())}") from None


def _positions(name: str, text: str, is_json: bool) -> dict[tuple[Key, ...], tuple[int, int]]:
    """Where each key and list item is (YAML is a superset of JSON); also rejects duplicates.

    A JSON file read without PyYAML installed has no positions.
    """
    try:
        yaml = _yaml(name)
    except ModuleNotFoundError:
        if is_json:
            return {}
        raise
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # e.g. JSON that YAML reads differently: no positions, no harm
        return {}
    out: dict[tuple[Key, ...], tuple[int, int]] = {}
    seen: set[int] = set()

    def walk(node: Any, path: tuple[Key, ...]) -> None:
        if node is None or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in cast("list[tuple[Any, Any]]", node.value):
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                key = str(key_node.value)
                mark = key_node.start_mark
                if key in keys:
                    raise _fail(name, f"duplicate key {key!r}", (mark.line + 1, mark.column + 1))
                keys.add(key)
                child: tuple[Key, ...] = (*path, key)
                out[child] = (mark.line + 1, mark.column + 1)
                walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(cast("list[Any]", node.value)):
                index: tuple[Key, ...] = (*path, i)
                out[index] = (item.start_mark.line + 1, item.start_mark.column + 1)
                walk(item, index)

    walk(root, ())
    return out


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__


def parse_document(name: str, text: str, *, what: str = _MEMBERS) -> Document:
    """Parse the text of a file named ``name``; raise :class:`~ssm_mw.TaskFileError`.

    JSON when the name ends in ``.json`` (or, with another suffix, the text
    starts with ``{`` or ``[``), else YAML. Duplicate keys are refused, with
    their place. ``what`` says what the top level must be, in the error for a
    file that is empty or not a mapping.
    """
    is_json = _is_json(name, text)
    # Keys first: a duplicate key is named with its place (YAML loaders keep the last one).
    positions = _positions(name, text, is_json)
    data = _parse_json(name, text) if is_json else _parse_yaml(name, text)
    if data is None:
        raise _fail(name, f"the file is empty; expected {what}")
    if not isinstance(data, dict):
        raise _fail(name, f"expected {what} at the top level, got {_kind(data)}")
    return Document(name=name, data=cast("dict[str, Any]", data), positions=positions)


# -- checking -------------------------------------------------------------------------


def unknown_key(key: object, known: Iterable[str]) -> str:
    """``unknown key 'x'``, with ``(did you mean 'y'?)`` when a known key is close."""
    import difflib  # for a wrong key only: not on import

    close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.75)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {str(key)!r}{hint}"


def _unknown_keys(
    node: Node, value: Any, path: tuple[Key, ...], out: list[tuple[tuple[Key, ...], str]]
) -> None:
    if node.kind == "structure" and isinstance(value, Mapping):
        known = node.members
        for key, item in cast("Mapping[str, Any]", value).items():
            member = known.get(key)
            if member is not None:
                _unknown_keys(member.node, item, (*path, key), out)
                continue
            out.append(((*path, key), unknown_key(key, known)))
    elif node.item is not None and isinstance(value, list):
        for i, item in enumerate(value):
            _unknown_keys(node.item, item, (*path, i), out)
    elif node.value is not None and isinstance(value, Mapping):
        for key, item in cast("Mapping[str, Any]", value).items():
            _unknown_keys(node.value, item, (*path, key), out)


def _hint(message: str) -> str:
    if re.match(r"expected a string, got (int|float|bool|date|datetime)\b", message):
        return f"{message} (quote the value)"
    if re.match(r"expected bytes(?: or str)?, got (dict|list)\b", message):
        return (
            f'{message} (write the payload as a JSON string: \'{{"key": "value"}}\', '
            f'or binary data as {{"{BASE64_KEY}": "..."}})'
        )
    return message


def _describe(
    v: Violation,
    operations: Sequence[str],
    source: Document,
    data: Mapping[str, Any],
    labels: Mapping[str, str],
    problems: _Problems,
) -> None:
    """Add ``v`` (a library path) to ``problems``, at its key in the file when it is there.

    The path is followed in the input shape of the first of ``operations`` that
    knows it.
    """
    path: tuple[Key, ...] | None = ()
    if v.path:
        paths = (wire_path(input_schema(operation), v.path, data) for operation in operations)
        path = next((p for p in paths if p is not None), None)
    message = _hint(v.message) if source.parsed else v.message
    if path is None:  # cannot map it back: the library's own path still names the field
        problems.add(v.path, message)
        return
    top = path[0] if path else None
    if isinstance(top, str) and top in labels:
        problems.add(source.field(path), message, line=f"{labels[top]}: {message}")
        return
    problems.add(source.field(path), message, source.location(path))


def _differs(given: Any, back: Any, path: tuple[Key, ...]) -> tuple[Key, ...] | None:
    """The first path at which ``back`` (a model's members) is not ``given`` as written."""
    if isinstance(given, Mapping):
        if not isinstance(back, Mapping):
            return path
        mine, theirs = cast("Mapping[str, Any]", given), cast("Mapping[str, Any]", back)
        for key in dict.fromkeys((*mine, *theirs)):
            if key not in mine or key not in theirs:
                return (*path, key)
            found = _differs(mine[key], theirs[key], (*path, key))
            if found is not None:
                return found
        return None
    if isinstance(given, (list, tuple)):
        items = cast("Sequence[Any]", given)
        if not isinstance(back, (list, tuple)) or len(cast("Sequence[Any]", back)) != len(items):
            return path
        for i, (value, other) in enumerate(zip(items, cast("Sequence[Any]", back), strict=True)):
            found = _differs(value, other, (*path, i))
            if found is not None:
                return found
        return None
    if isinstance(back, bytes) and isinstance(given, (str, bytes, bytearray)):  # a blob
        sent = given.encode("utf-8", "surrogatepass") if isinstance(given, str) else bytes(given)
        return None if sent == back else path
    return None if type(given) is type(back) and given == back else path


#: What stands for a member that the model holds otherwise than written, and no rule explains.
NOT_SUPPORTED = "not supported by this version of ssm-mw"


class NotExact(Exception):
    """Members that a model cannot hold as written (see :func:`exact_model`)."""

    def __init__(self, failure: SsmMwError | None, lost: tuple[Key, ...] = ()) -> None:
        super().__init__(str(failure) if failure is not None else f"{path_text(lost)}: differs")
        #: Why the converter could not build the model, if it could not.
        self.failure = failure
        #: The first member (wire path) that the model holds otherwise, if it was built.
        self.lost = lost

    @property
    def lost_path(self) -> str:
        """:attr:`lost` as a dotted wire path (``Targets[0].Values``)."""
        return path_text(self.lost)


def exact_model(data: Mapping[str, Any], cls: type[T]) -> T:
    """The model of the botocore members ``data``, if it holds exactly them; else :class:`NotExact`.

    The converter reads any value it can (``2`` for a string member becomes
    ``"2"``); a file's members must be sent as written, so the model is kept
    only when :func:`~ssm_mw.to_botocore` gives ``data`` back, types included.
    Nothing is validated here: the model goes to whoever checks what is sent.
    """
    try:
        model = from_botocore(data, cls)
    except (ValidationError, ResponseError) as exc:
        raise NotExact(exc) from None
    lost = _differs(data, to_botocore(model), ())
    if lost is not None:
        raise NotExact(None, lost)
    return model


def _placeholders(operation: str, replace: bool) -> dict[str, Any]:
    if operation == _REGISTER:
        return call_members(_PLACEHOLDER_WINDOW, client_token=_PLACEHOLDER_TOKEN)
    return call_members(_PLACEHOLDER_WINDOW, _PLACEHOLDER_TASK, replace=replace)


def why_not_exact(
    operation: str, data: Mapping[str, Any], inexact: NotExact, *, replace: bool = False
) -> list[Violation]:
    """Why ``data`` cannot become a request model as written: what its request would break.

    This is the one check of a request that is never made: ``data`` is checked
    against every rule of ``operation`` (with stand-ins for the members of the
    method's arguments, ``replace`` among them). When it breaks none, the
    converter's own reason; empty when there is none either (``inexact.lost``
    is then a member this version cannot send as written: :data:`NOT_SUPPORTED`).
    """
    found = violations(operation, {**data, **_placeholders(operation, replace)})
    if found:
        return found
    if isinstance(inexact.failure, ValidationError):
        return list(inexact.failure.violations)
    if inexact.failure is not None:
        return [Violation(path="", message=str(inexact.failure))]
    return []


def read_members(
    operation: str,
    source: Document,
    cls: type[T],
    *,
    extra: Mapping[str, Any] = {},
    replace: bool = False,
    not_in_file: Mapping[str, str] | None = None,
    labels: Mapping[str, str] = {},
) -> T:
    """The request model of a file's members (``source.data``), holding them as written.

    ``extra`` holds members set over the file's (a task's ``Name``, its key in a
    desired-state file); ``labels`` names, for members from elsewhere, what a
    problem of theirs is shown as (``LABEL: message``). Raises
    :class:`~ssm_mw.TaskFileError`, each problem where it is: the first key the
    file may not hold (``not_in_file``: the message for each; default
    :data:`NOT_IN_FILE`), else every unknown key, else, for members the model
    cannot hold as written, every rule their request would break
    (:func:`why_not_exact`). The constraints and rules of a model that holds
    them are checked by whoever sends it (the client, or the desired state).
    """
    refused = not_in_file if not_in_file is not None else NOT_IN_FILE
    for key in source.data:
        if key in refused:  # the first one: the file was probably meant for something else
            raise source.error((key,), refused[key])
    problems = _Problems(source.name)
    unknown: list[tuple[tuple[Key, ...], str]] = []
    _unknown_keys(input_schema(operation), source.data, (), unknown)
    for path, message in unknown:
        problems.add(source.field(path), message, source.location(path))
    problems.raise_any()
    bad_blobs: list[BlobProblem] = []
    members = decode_blobs(input_schema(operation), source.data, (), bad_blobs)
    for path, message in bad_blobs:
        problems.add(source.field(path), message, source.location(path[:-1]))
    problems.raise_any()
    data = {**members, **extra}
    try:
        return exact_model(data, cls)
    except NotExact as inexact:
        for v in why_not_exact(operation, data, inexact, replace=replace):
            _describe(v, (operation,), source, data, labels, problems)
        if not problems.found:
            lost = inexact.lost
            problems.add(source.field(lost), NOT_SUPPORTED, source.location(lost))
        raise problems.error() from None


def locate(
    source: Document,
    error: ValidationError,
    data: Mapping[str, Any] | None = None,
    labels: Mapping[str, str] = {},
) -> TaskFileError:
    """``error`` (library paths) with each violation at its key in the file, one for one.

    ``data`` holds the members the request was made of (default: the file's).
    A violation of one of the method's arguments (``window_id``...) keeps its
    path: it is not in the file.
    """
    problems = _Problems(source.name)
    members = source.data if data is None else data
    for v in error.violations:
        if _FIRST_END.split(v.path, maxsplit=1)[0] in CALL_MEMBERS:
            problems.add(v.path, v.message)
        else:
            _describe(v, (_REGISTER, _UPDATE), source, members, labels, problems)
    return problems.error()


# -- the public API ----------------------------------------------------------------------


class TaskFile:
    """A task file, read: JSON or YAML in the botocore request shape, and where each key is.

    ``TaskFile.load("task.yaml")`` reads a file (``"-"``: standard input);
    ``TaskFile(text, name="task.yaml")`` takes its text. A file that is not a
    mapping of members (bad syntax, a duplicate key, a list) raises
    :class:`~ssm_mw.TaskFileError` there, with its place.

    :meth:`definition` and :meth:`update` build the request model; a problem of
    the file (a key it may not hold, an unknown key, a value of the wrong type)
    is a :class:`~ssm_mw.TaskFileError`, each where it is. The constraints and
    rules of the request are checked once, when the client sends it; pass the
    client's :class:`~ssm_mw.ValidationError` to :meth:`locate` to have each
    violation named at its place in the file::

        task = TaskFile.load("task.yaml")
        try:
            await mw.register_task_with_maintenance_window(window_id, task.definition())
        except ValidationError as error:
            raise task.locate(error) from None
    """

    __slots__ = ("_source",)

    def __init__(self, text: str, *, name: str = "<string>") -> None:
        """Parse ``text``, named ``name`` in errors (raises as :meth:`load` does).

        A name ending in ``.json`` is read as JSON, ``.yaml`` or ``.yml`` as
        YAML, any other by its first character (``{`` or ``[``: JSON).
        """
        self._source = parse_document(name, text)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TaskFile:
        """Read the file at ``path`` (``"-"``: standard input, named ``<stdin>``).

        Raises :class:`OSError` when it cannot be read, and
        :class:`~ssm_mw.TaskFileError` when it is not UTF-8 text or not a
        mapping of members. YAML needs PyYAML.
        """
        name, text = read_text(path)
        return cls(text, name=name)

    @classmethod
    def from_botocore(cls, data: Mapping[str, Any], *, name: str = "<dict>") -> TaskFile:
        """A user's dict of request members, read as strictly as a file's.

        This is the way to make a request model from input: unlike
        :func:`~ssm_mw.from_botocore` (which reads responses leniently), an
        unknown key, or a value of the wrong type (``{"TaskArn": 5}``,
        ``{"Priority": "high"}``), is a :class:`~ssm_mw.TaskFileError` naming the
        member (``<dict>: Priority: expected an integer, got str``), never
        dropped or converted. ``name`` names ``data`` in errors. A ``data`` that
        is no mapping raises it too.
        """
        given = cast(object, data)
        if not isinstance(given, Mapping):
            raise _fail(name, f"expected {_MEMBERS}, got {_kind(given)}")
        members = dict(cast("Mapping[str, Any]", given))
        document = Document(name=name, data=members, parsed=False)
        task_file = cls.__new__(cls)
        task_file._source = document
        return task_file

    @property
    def name(self) -> str:
        """The file's name in errors (``<stdin>`` for standard input)."""
        return self._source.name

    def definition(self) -> TaskDefinition:
        """The :class:`TaskDefinition` the file holds (what register takes, without ``WindowId``).

        Raises :class:`~ssm_mw.TaskFileError` for a key the file may not hold
        (``WindowId``, ``ClientToken``: the client method's arguments), an
        unknown key, or a value the definition cannot hold as written (every
        rule its request breaks is then named).
        """
        return read_members(_REGISTER, self._source, TaskDefinition)

    def update(self, *, replace: bool = False) -> TaskUpdate:
        """The :class:`TaskUpdate` the file holds; raises as :meth:`definition` does.

        ``replace`` is the one the update will be sent with: it changes the rules
        named for a file whose values the update cannot hold as written.
        """
        return read_members(
            _UPDATE, self._source, TaskUpdate, replace=replace, not_in_file=_not_in_an_update()
        )

    def locate(self, error: ValidationError) -> TaskFileError:
        """``error`` with each violation named at its place in the file: raise what it returns.

        ``error`` is what the client raised for a request made from this
        file's model. The result holds one violation for each of ``error``'s,
        in order, with the file's (botocore) path and the ``(line, column)``
        of its key when the file has it
        (``task.yaml:4:1: Priority: -1 is below the minimum 0``). A
        violation of the method's own arguments (``window_id``,
        ``client_token``...) keeps its path, with no place.
        """
        return locate(self._source, error)

    def __repr__(self) -> str:
        return f"TaskFile(name={self.name!r})"


def load_task_definition(path: str | os.PathLike[str]) -> TaskDefinition:
    """Read a task file (JSON or YAML, botocore request shape) into a :class:`TaskDefinition`.

    The file holds what ``RegisterTaskWithMaintenanceWindow`` takes, without
    ``WindowId`` and ``ClientToken`` (arguments of the client's method).
    ``path`` ``"-"`` reads standard input. Raises
    :class:`~ssm_mw.TaskFileError` naming every problem of the file and its
    place (``task.yaml:4:1: MaxConcurrency: expected a string, got int``), and
    :class:`OSError` when the file cannot be read. YAML needs PyYAML. The
    request's constraints are checked when it is sent; :class:`TaskFile`
    names the place of each of those too.
    """
    return TaskFile.load(path).definition()


def load_task_update(path: str | os.PathLike[str], *, replace: bool = False) -> TaskUpdate:
    """Read a task file (JSON or YAML, botocore request shape) into a :class:`TaskUpdate`.

    The file holds what ``UpdateMaintenanceWindowTask`` takes, without
    ``WindowId``, ``WindowTaskId`` and ``Replace``; ``replace`` is the one
    the update will be sent with. Raises as :func:`load_task_definition` does.
    """
    return TaskFile.load(path).update(replace=replace)


def parse_task_definition(text: str, *, name: str = "<string>") -> TaskDefinition:
    """The :class:`TaskDefinition` of a task file's text (see :func:`load_task_definition`).

    ``name`` names the text in errors; a name ending in ``.json`` is read as
    JSON, ``.yaml`` or ``.yml`` as YAML, any other by its first character.
    """
    return TaskFile(text, name=name).definition()


def parse_task_update(text: str, *, name: str = "<string>", replace: bool = False) -> TaskUpdate:
    """The :class:`TaskUpdate` of a task file's text (see :func:`load_task_update`)."""
    return TaskFile(text, name=name).update(replace=replace)


# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
