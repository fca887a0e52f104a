"""Request validation: every constraint of the botocore SSM model, checked before sending.

:func:`validate_request` checks a botocore-shaped request (PascalCase keys, as
passed to ``client.register_task_with_maintenance_window(**params)``) against
the operation's input shape: required members, string lengths, integer ranges,
list and map sizes, patterns, enums, blob sizes, types and unknown members;
then the rules the API reference states across members and the real service's
rules beyond the model that the operation's record lists (see ``_rule``; each has its
entry in ``docs/fidelity.md``).

Violation paths use the library's attribute names (``targets[0].values[1]``),
with the level of the task-invocation-parameters variant dropped, because in
the library the variant is the class. Messages never show the value of a
member the model marks ``sensitive``.

Each operation's input shape is compiled on first use into two forms, so a call
does no reflection over the model:

* a predicate, generated as the source of one function with every check
  inline (:class:`_PredicateWriter`), that answers only "does this request
  break no constraint of the model?", as fast as Python allows, and bails out
  at the first doubt;
* a tree of small closures (:class:`_Compiler`) that finds every violation,
  with its path and message, built only when the predicate says no (or when
  a caller asks for the violations themselves).

The predicate is exact for the plain types (``dict``, ``list``, ``str``,
``int``, ``bool``, ``bytes``, and a ``str`` for a blob) and conservative for
anything else (a ``tuple`` for a list, another ``Mapping``, a ``bytearray``):
it then says no, and the closures decide, so a request never passes that they
would refuse.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

from ._codegen import Source
from ._errors import ValidationError, Violation
from ._operations import OPERATIONS, OperationSpec, operation_named
from ._schema import NO_MAX, Node, input_schema, redact_request
from ._shapes import TASK_TYPE_VARIANTS, compile_pattern, snake_case

if TYPE_CHECKING:
    # The real service's rules are imported with the first request that has
    # cross-member checks (register, update): a describe or a get never needs them.
    from ._rules import Breach, Limit, PseudoParameterRule, TaskFacts

__all__ = [
    "redact_request",
    "request_warning",
    "validate_request",
    "violations",
]

Check = Callable[[Any, str, str, list[Violation]], None]
"""Checks one value: ``check(value, base, segment, out)`` appends a :class:`Violation` per
problem; the value's path is ``base + segment``, only ever joined when it is needed."""

_MISSING: Any = object()
_SHOW = 60  # longest value shown in a message

# Allowed values the API reference states for members the model leaves open,
# keyed by (operation, wire path): the filter keys of the registry's records.
_EXTRA_ENUMS: Mapping[tuple[str, str], tuple[str, ...]] = {
    (op.name, "Filters[].Key"): op.filter_keys for op in OPERATIONS if op.filter_keys
}


def _show(value: object) -> str:
    if isinstance(value, str) and len(value) > _SHOW:
        return repr(value[:_SHOW]) + "…"
    return repr(value)


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


_INDEXES = tuple(f"[{i}]" for i in range(64))


def _index(i: int) -> str:
    return _INDEXES[i] if i < 64 else f"[{i}]"


class _Compiler:
    """Turns the compiled schema below one operation's input into checkers."""

    def __init__(self, operation: str) -> None:
        self.operation = operation

    def compile(self, node: Node, wire: str, sensitive: bool, label: str = "") -> Check:
        sensitive = sensitive or node.sensitive
        kind = node.kind
        if kind == "structure":
            return self._structure(node, wire, sensitive, label)
        if kind == "list":
            return self._list(node, wire, sensitive, label)
        if kind == "map":
            return self._map(node, wire, sensitive, label)
        if kind == "string":
            extra = _EXTRA_ENUMS.get((self.operation, wire), ())
            return _string(node, sensitive, label, extra)
        if kind in ("integer", "long"):
            return _integer(node, sensitive, label)
        if kind == "boolean":
            return _typed(bool, "a boolean", label, strict=True)
        if kind == "blob":
            return _blob(node, label)
        raise NotImplementedError(f"{node.name}: {kind} shapes are not supported")

    def _structure(self, node: Node, wire: str, sensitive: bool, label: str) -> Check:
        drop = node.union
        entries: list[tuple[str, str, Check, bool]] = []
        for member in node.members.values():
            name = member.wire
            segment = "" if drop else member.attribute if not wire else f".{member.attribute}"
            check = self.compile(
                member.node,
                f"{wire}.{name}" if wire else name,
                sensitive,
                f"{name}: " if drop else "",
            )
            entries.append((name, segment, check, member.required))
        known = frozenset(node.members)

        def check_structure(value: Any, base: str, seg: str, out: list[Violation]) -> None:
            path = base + seg
            if type(value) is not dict and not isinstance(value, Mapping):
                message = f"{label}expected a structure (dict), got {_kind(value)}"
                out.append(Violation(path=path, message=message))
                return
            found = 0
            for name, segment, check, is_required in entries:
                item = value.get(name, _MISSING)
                if item is _MISSING:
                    if is_required:
                        out.append(Violation(path=path + segment, message="is required"))
                    continue
                found += 1
                check(item, path, segment, out)
            if found != len(value):
                for key in cast(Mapping[object, Any], value):
                    if key in known:
                        continue
                    if sensitive:  # even a member's name may give a secret away
                        out.append(Violation(path=path, message=f"{label}has an unknown member"))
                        continue
                    where = path
                    if isinstance(key, str):
                        where = f"{path}.{snake_case(key)}" if path else snake_case(key)
                    out.append(Violation(path=where, message=f"unknown member {key!r}"))

        return check_structure

    def _list(self, node: Node, wire: str, sensitive: bool, label: str) -> Check:
        item_check = self.compile(cast(Node, node.item), f"{wire}[]", sensitive)
        size = _size_check(node, "item", label)
        low, high = node.low, node.high

        def check_list(value: Any, base: str, seg: str, out: list[Violation]) -> None:
            path = base + seg
            if type(value) is not list and not isinstance(value, (list, tuple)):
                message = f"{label}expected a list, got {_kind(value)}"
                out.append(Violation(path=path, message=message))
                return
            n = len(value)
            if n < low or n > high:
                size(n, path, out)
            for i, item in enumerate(cast("list[Any]", value)):
                item_check(item, path, _index(i), out)

        return check_list

    def _map(self, node: Node, wire: str, sensitive: bool, label: str) -> Check:
        key_check = self.compile(cast(Node, node.key), f"{wire}{{}}", sensitive, "key: ")
        value_check = self.compile(cast(Node, node.value), f"{wire}{{}}", sensitive)
        size = _size_check(node, "entry", label, plural="entries")
        low, high = node.low, node.high

        def check_map(value: Any, base: str, seg: str, out: list[Violation]) -> None:
            path = base + seg
            if type(value) is not dict and not isinstance(value, Mapping):
                message = f"{label}expected a map (dict), got {_kind(value)}"
                out.append(Violation(path=path, message=message))
                return
            n = len(value)
            if n < low or n > high:
                size(n, path, out)
            entries: Mapping[Any, Any] = value
            for i, (key, item) in enumerate(entries.items()):
                before = len(out)
                key_check(key, path, "", out)
                # A key that broke a rule of a sensitive map stays out of paths.
                shown = f"#{i}" if sensitive and len(out) != before else key
                value_check(item, path, f"[{shown}]", out)

        return check_map


def _size_check(
    node: Node, noun: str, label: str, plural: str = ""
) -> Callable[[int, str, list[Violation]], None]:
    low, high = node.low, node.high
    plural = plural or noun + "s"

    def size(n: int, path: str, out: list[Violation]) -> None:
        if n < low:
            word = noun if n == 1 else plural
            message = f"{label}has {n} {word}, below the minimum {low}"
            out.append(Violation(path=path, message=message))
        elif n > high:
            message = f"{label}has {n} {plural}, above the maximum {high}"
            out.append(Violation(path=path, message=message))

    return size


def _typed(kind: type, article: str, label: str, *, strict: bool = False) -> Check:
    def check_type(value: Any, base: str, seg: str, out: list[Violation]) -> None:
        if type(value) is not kind and (strict or not isinstance(value, kind)):
            message = f"{label}expected {article}, got {_kind(value)}"
            out.append(Violation(path=base + seg, message=message))

    return check_type


def _string(node: Node, sensitive: bool, label: str, extra_enum: tuple[str, ...]) -> Check:
    low, high = node.low, node.high
    pattern = node.pattern
    choices = node.enum or extra_enum
    allowed = frozenset(choices)

    search: Callable[[str], object] | None = None

    def first_search(value: str) -> object:
        # Compiled on first use: the \p{..} classes cost tens of milliseconds.
        nonlocal search
        search = compile_pattern(cast(str, pattern)).search
        return search(value)

    if pattern is not None:
        search = first_search

    def check_string(value: Any, base: str, seg: str, out: list[Violation]) -> None:
        if (
            (type(value) is str or isinstance(value, str))
            and low <= len(value) <= high
            and (search is None or search(value) is not None)
            and (not allowed or value in allowed)
        ):
            return
        report(value, base + seg, out)

    def report(value: Any, path: str, out: list[Violation]) -> None:
        if not isinstance(value, str):
            message = f"{label}expected a string, got {_kind(value)}"
            out.append(Violation(path=path, message=message))
            return
        n = len(value)
        shown = "" if sensitive else f": {_show(value)}"
        subject = "value" if sensitive else _show(value)
        if n < low:
            message = f"{label}length {n} is below the minimum {low}{shown}"
            out.append(Violation(path=path, message=message))
        elif n > high:
            message = f"{label}length {n} is above the maximum {high}{shown}"
            out.append(Violation(path=path, message=message))
        if pattern is not None and compile_pattern(pattern).search(value) is None:
            message = f"{label}{subject} does not match the pattern {pattern}"
            out.append(Violation(path=path, message=message))
        if allowed and value not in allowed:
            message = f"{label}{subject} is not one of {', '.join(choices)}"
            out.append(Violation(path=path, message=message))

    return check_string


def _integer(node: Node, sensitive: bool, label: str) -> Check:
    # The node's bounds include those of its type (a Smithy "integer" is 32-bit, a "long" 64).
    low, high = node.low, node.high

    def check_integer(value: Any, base: str, seg: str, out: list[Violation]) -> None:
        if type(value) is int and low <= value <= high:
            return
        path = base + seg
        if not isinstance(value, int) or isinstance(value, bool):
            message = f"{label}expected an integer, got {_kind(value)}"
            out.append(Violation(path=path, message=message))
            return
        subject = "value" if sensitive else str(int(value))
        if value < low:
            message = f"{label}{subject} is below the minimum {low}"
            out.append(Violation(path=path, message=message))
        elif value > high:
            message = f"{label}{subject} is above the maximum {high}"
            out.append(Violation(path=path, message=message))

    return check_integer


def _blob(node: Node, label: str) -> Check:
    low, high = node.low, node.high

    def check_blob(value: Any, base: str, seg: str, out: list[Violation]) -> None:
        if type(value) is bytes and low <= len(value) <= high:
            return
        path = base + seg
        if isinstance(value, (bytes, bytearray, memoryview)):
            n = memoryview(value).nbytes
        elif isinstance(value, str):
            n = len(value.encode("utf-8", "surrogatepass"))
        else:
            message = f"{label}expected bytes, got {_kind(value)}"
            out.append(Violation(path=path, message=message))
            return
        # Blob contents are never shown, sensitive or not.
        if n < low:
            message = f"{label}size {n} bytes is below the minimum {low}"
            out.append(Violation(path=path, message=message))
        elif n > high:
            message = f"{label}size {n} bytes is above the maximum {high}"
            out.append(Violation(path=path, message=message))

    return check_blob


# -- rules the API reference states across members -----------------------------

Rule = Callable[[Mapping[str, Any], list[Violation]], None]

_VARIANT_NAMES = tuple(TASK_TYPE_VARIANTS.values())
#: The task type of each invocation-parameters variant.
_VARIANT_TYPES = {variant: task_type for task_type, variant in TASK_TYPE_VARIANTS.items()}
_TIP = "task_invocation_parameters"


def _variants(params: Mapping[str, Any]) -> list[str]:
    block = params.get("TaskInvocationParameters")
    if type(block) is not dict and not isinstance(block, Mapping):
        return []
    block = cast(Mapping[str, Any], block)
    return [name for name in _VARIANT_NAMES if block.get(name) is not None]


def _one_variant(variants: list[str], out: list[Violation]) -> None:
    # Reference, TaskInvocationParameters: "Populate only the fields that match
    # the task type. All other fields should be empty."
    if len(variants) > 1:
        message = f"only one kind of parameters may be given, got {' and '.join(variants)}"
        out.append(Violation(path=_TIP, message=message))


# The real service's rules (docs/fidelity.md) are the records of ``_rules``: here the
# facts they look at are read from the request, and each breach becomes a violation.


def _report(breaches: Iterable[Breach], out: list[Violation], base: str = "") -> None:
    for breach in breaches:
        out.append(Violation(path=base + breach.path, message=breach.message))


@functools.cache
def _limit_members() -> tuple[tuple[Limit, str], ...]:
    """Each limit with its member name in the request."""
    from ._rules import LIMITS

    return tuple((limit, limit.member) for limit in LIMITS)


def _task_facts(
    params: Mapping[str, Any], task_type: str | None, *, whole: bool
) -> TaskFacts | None:
    """What the request says about the task it leads to (F4, F5, F7).

    ``whole`` is true for register and a replace-update (members not sent are not
    set); any other update keeps what it does not send, so only an explicit
    ``Targets`` says whether the task has targets, and no limit is known to be
    lacking. ``None`` when ``Targets`` is no list (the model check reports it).
    """
    targets = params.get("Targets", _MISSING)
    if targets is _MISSING:
        has_targets = False if whole else None
    elif isinstance(targets, (list, tuple)):
        has_targets = len(cast("list[Any]", targets)) > 0
    else:
        return None
    from ._rules import TaskFacts

    given: list[Limit] = []
    absent: list[Limit] = []
    for limit, member in _limit_members():
        value = params.get(member, _MISSING)
        if value is _MISSING:
            absent.append(limit)
        elif value is not None:  # None is no value; the model check reports it
            given.append(limit)
    return TaskFacts(
        task_type,
        has_targets,
        frozenset(given) if given else _NO_LIMITS,
        frozenset(absent) if whole and absent else _NO_LIMITS,
    )


_NO_LIMITS: frozenset[Limit] = frozenset()


_MODEL_MAX_VALUES = 50  # TargetValues' own maximum: more values are the model check's to report


def _structures(params: Mapping[str, Any], member: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Each structure of the list ``member`` with its index; the model check reports the rest."""
    items = params.get(member)
    if not isinstance(items, (list, tuple)):
        return
    for i, item in enumerate(cast("list[Any]", items)):
        if isinstance(item, Mapping):
            yield i, cast("Mapping[str, Any]", item)


def _window_task_targets(
    params: Mapping[str, Any], out: list[Violation], held: frozenset[str]
) -> None:
    """A window task's targets: the target rules (F1 to F3) ``held`` names, on each."""
    from ._rules import target_breaches

    for i, target in _structures(params, "Targets"):
        found = target_breaches(
            target.get("Key"),
            target.get("Values"),
            _show,
            most_counted=_MODEL_MAX_VALUES,
            held=held,
        )
        if found:
            _report(found, out, f"targets{_index(i)}.")


def _variant_matches_type(params: Mapping[str, Any], out: list[Violation]) -> None:
    variants = _variants(params)
    task_type = params.get("TaskType")
    expected = TASK_TYPE_VARIANTS.get(task_type) if isinstance(task_type, str) else None
    if len(variants) == 1 and expected is not None and variants[0] != expected:
        message = f"{variants[0]} parameters do not match task_type {task_type!r}"
        out.append(Violation(path=_TIP, message=f"{message} (expected {expected})"))


def _parameter_texts(
    params: Mapping[str, Any], keep: Callable[[str], bool]
) -> Iterable[tuple[str, object]]:
    """Each text value of a Run Command task's parameters that ``keep`` keeps, with its
    library path (built only for those)."""
    tip = params.get("TaskInvocationParameters")
    run = tip.get("RunCommand") if isinstance(tip, Mapping) else None
    given = run.get("Parameters") if isinstance(run, Mapping) else None
    if isinstance(given, Mapping):
        for key, values in cast("Mapping[str, Any]", given).items():
            if isinstance(values, (list, tuple)):
                for i, value in enumerate(cast("list[object]", values)):
                    if isinstance(value, str) and keep(value):
                        yield f"{_TIP}.parameters[{key}]{_index(i)}", value
    task_parameters = params.get("TaskParameters")
    if isinstance(task_parameters, Mapping):
        for key, expression in cast("Mapping[str, Any]", task_parameters).items():
            values = expression.get("Values") if isinstance(expression, Mapping) else None
            if isinstance(values, (list, tuple)):
                for i, value in enumerate(cast("list[object]", values)):
                    if isinstance(value, str) and keep(value):
                        yield f"task_parameters[{key}].values{_index(i)}", value


def _pseudo_parameters(
    rule: PseudoParameterRule, params: Mapping[str, Any], out: list[Violation]
) -> None:
    """F13: the pseudo parameters a Run Command task cannot take (its type, or its block, says)."""
    task_type = _task_type(params, whole=True)
    _report(rule.breaches(task_type, _parameter_texts(params, rule.may_hold)), out)


def _task_type(params: Mapping[str, Any], *, whole: bool) -> str | None:
    """The type of the task the request leads to, where the request says it."""
    task_type = params.get("TaskType")
    if isinstance(task_type, str):
        return task_type
    # An update has no TaskType member: a replace's one invocation block is the only
    # hint of the task's type. Any other update says nothing of it.
    variants = _variants(params)
    return _VARIANT_TYPES[variants[0]] if whole and len(variants) == 1 else None


@functools.cache
def _rule(operation: str) -> Rule | None:
    """The cross-member checks of ``operation``'s request, derived from its record.

    The API reference's variant rules apply where the input has the members they
    relate; the real service's rules are those the record lists (``rules``). A
    request that has a ``Replace`` member says the whole task only when it is true
    (an update); one without says it always (register).
    """
    spec = operation_named(operation)
    held = frozenset(spec.rules)
    inputs = input_schema(operation).members
    checks: list[Rule] = []
    if spec.integer_filters:
        checks.append(functools.partial(_integer_filters, spec))
    if "TaskInvocationParameters" in inputs:
        checks.append(lambda params, out: _one_variant(_variants(params), out))
    if held:
        checks += _held_rules(held, inputs)
    if not checks:
        return None

    def check(params: Mapping[str, Any], out: list[Violation]) -> None:
        for each in checks:
            each(params, out)

    return check


def _integer_filters(spec: OperationSpec, params: Mapping[str, Any], out: list[Violation]) -> None:
    """Each value of a filter on an integer member (``Priority``) is an integer."""
    for i, item in _structures(params, "Filters"):
        key, values = item.get("Key"), item.get("Values")
        if key not in spec.integer_filters or not isinstance(values, (list, tuple)):
            continue
        for j, value in enumerate(cast("list[Any]", values)):
            if isinstance(value, str) and spec.refuses_filter_value(key, value):
                path = f"filters{_index(i)}.values{_index(j)}"
                message = f"{_show(value)} is no integer (the {key} filter takes integers)"
                out.append(Violation(path=path, message=message))


def _held_rules(held: frozenset[str], inputs: Mapping[str, Any]) -> list[Rule]:
    """The checks of a request that writes a task: its variant's type and the rules ``held``."""
    from ._rules import CLIENT_RULES, REPLACE_RULES, TARGET_RULES, TASK_RULES, task_breaches

    checks: list[Rule] = []
    if "TaskInvocationParameters" in inputs and "TaskType" in inputs:
        checks.append(_variant_matches_type)
    if held & {rule.id for rule in TARGET_RULES}:

        def targets(params: Mapping[str, Any], out: list[Violation]) -> None:
            _window_task_targets(params, out, held)

        checks.append(targets)
    replacing = [rule for rule in REPLACE_RULES if rule.id in held]
    if replacing:

        def replace(params: Mapping[str, Any], out: list[Violation]) -> None:
            given = params.get("Replace") is True
            breaches = (rule.check(replace=given, sent=params) for rule in replacing)
            _report([b for b in breaches if b is not None], out)

        checks.append(replace)
    for client_rule in CLIENT_RULES:
        if client_rule.id in held:
            checks.append(functools.partial(_pseudo_parameters, client_rule))
    if held & {rule.id for rule in TASK_RULES}:
        partial = "Replace" in inputs

        def task(params: Mapping[str, Any], out: list[Violation]) -> None:
            whole = not partial or params.get("Replace") is True
            facts = _task_facts(params, _task_type(params, whole=whole), whole=whole)
            if facts is not None:
                _report(task_breaches(facts, held), out)

        checks.append(task)
    return checks


# -- the predicate: one generated function per operation -------------------------


class _PredicateWriter:
    """Writes the source of ``valid(value) -> bool`` for one operation's input schema.

    Each node's checks are written inline, in the parent's function: a
    structure reads each member once (``value.get(name, _MISSING)``), a list
    or a map loops over its items, and a scalar is one ``if``. Any broken
    constraint, and any type other than the plain ones, returns ``False``.
    """

    def __init__(self, operation: str) -> None:
        self.operation = operation
        self.source = Source({"_MISSING": _MISSING})

    def size(self, var: str, node: Node, depth: int) -> None:
        if node.high < NO_MAX:
            self.source.line(depth, f"if not {node.low} <= len({var}) <= {node.high}: return False")
        elif node.low > 0:
            self.source.line(depth, f"if len({var}) < {node.low}: return False")

    def write(self, node: Node, wire: str, var: str, depth: int) -> None:
        line, fresh = self.source.line, self.source.fresh
        kind = node.kind
        if kind == "structure":
            self.structure(node, wire, var, depth)
        elif kind == "list":
            line(depth, f"if type({var}) is not list: return False")
            self.size(var, node, depth)
            item = fresh("i")
            line(depth, f"for {item} in {var}:")
            self.write(cast(Node, node.item), f"{wire}[]", item, depth + 1)
        elif kind == "map":
            line(depth, f"if type({var}) is not dict: return False")
            self.size(var, node, depth)
            key, item = fresh("k"), fresh("v")
            line(depth, f"for {key}, {item} in {var}.items():")
            self.write(cast(Node, node.key), f"{wire}{{}}", key, depth + 1)
            self.write(cast(Node, node.value), f"{wire}{{}}", item, depth + 1)
        elif kind == "string":
            self.string(node, wire, var, depth)
        elif kind in ("integer", "long"):
            line(depth, f"if type({var}) is not int or not {node.low} <= {var} <= {node.high}:")
            line(depth + 1, "return False")
        elif kind == "boolean":
            line(depth, f"if type({var}) is not bool: return False")
        elif kind == "blob":
            # bytes, or a str that botocore sends UTF-8 encoded (measured as the closures do).
            size = fresh("b")
            line(depth, f"if type({var}) is bytes: {size} = {var}")
            line(depth, f"elif type({var}) is str: {size} = {var}.encode('utf-8', 'surrogatepass')")
            line(depth, "else: return False")
            self.size(size, node, depth)
        else:
            raise NotImplementedError(f"{node.name}: {kind} shapes are not supported")

    def structure(self, node: Node, wire: str, var: str, depth: int) -> None:
        line, fresh = self.source.line, self.source.fresh
        line(depth, f"if type({var}) is not dict: return False")
        found = fresh("n")
        line(depth, f"{found} = 0")
        for name, member in node.members.items():
            item = fresh("m")
            line(depth, f"{item} = {var}.get({name!r}, _MISSING)")
            if member.required:
                line(depth, f"if {item} is _MISSING: return False")
                line(depth, f"{found} += 1")
                self.write(member.node, f"{wire}.{name}" if wire else name, item, depth)
            else:
                line(depth, f"if {item} is not _MISSING:")
                line(depth + 1, f"{found} += 1")
                self.write(member.node, f"{wire}.{name}" if wire else name, item, depth + 1)
        line(depth, f"if {found} != len({var}): return False")  # an unknown member

    def string(self, node: Node, wire: str, var: str, depth: int) -> None:
        line = self.source.line
        line(depth, f"if type({var}) is not str: return False")
        self.size(var, node, depth)
        pattern = node.pattern
        if pattern is not None:
            # Compiled on first use, like the closures' (the \p{..} classes are costly).
            search = self.source.fresh("search")
            namespace = self.source.namespace

            def first_search(value: str, name: str = search, pattern: str = pattern) -> object:
                found = namespace[name] = compile_pattern(pattern).search
                return found(value)

            namespace[search] = first_search
            line(depth, f"if {search}({var}) is None: return False")
        choices = node.enum or _EXTRA_ENUMS.get((self.operation, wire), ())
        if choices:
            allowed = self.source.constant("allowed", frozenset(choices))
            line(depth, f"if {var} not in {allowed}: return False")

    def function(self, node: Node) -> Callable[[Any], bool]:
        self.write(node, "", "value", 1)
        self.source.line(1, "return True")
        name = f"valid_{self.operation}"
        filename = f"<ssm-mw validation {self.operation}>"
        return cast("Callable[[Any], bool]", self.source.function(name, "value", filename))


@functools.cache
def _predicate(operation: str) -> Callable[[Any], bool]:
    return _PredicateWriter(operation).function(input_schema(operation))


def _passes(operation: str, params: Mapping[str, Any]) -> bool:
    """True when ``params`` breaks no constraint and no rule: no closure is then needed."""
    if not _predicate(operation)(params):
        return False
    rule = _rule(operation)
    if rule is None:
        return True
    out: list[Violation] = []
    rule(params, out)
    return not out


@functools.cache
def _model_checker(operation: str) -> Check:
    """The closures of the model's constraints alone (no cross-member rules)."""
    return _Compiler(operation).compile(input_schema(operation), "", False)


@functools.cache
def _checker(operation: str) -> Check:
    compiled = _model_checker(operation)
    rule = _rule(operation)
    if rule is None:
        return compiled

    def check_operation(value: Any, base: str, seg: str, out: list[Violation]) -> None:
        compiled(value, base, seg, out)
        if type(value) is dict or isinstance(value, Mapping):
            rule(cast(Mapping[str, Any], value), out)

    return check_operation


def violations(operation: str, params: Mapping[str, Any]) -> list[Violation]:
    """Every constraint ``params`` breaks, in model (document) order; empty if none.

    ``operation`` is the botocore name of one of the operations ssm-mw wraps,
    e.g. ``"GetMaintenanceWindowTask"``; any other raises :class:`ValueError`.
    """
    if _passes(operation, params):
        return []
    out: list[Violation] = []
    _checker(operation)(params, "", "", out)
    return out


@functools.cache
def _warner(operation: str) -> Callable[[Mapping[str, Any]], str | None] | None:
    """The check of ``operation``'s request for members the service ignores (F14), if held."""
    held = operation_named(operation).rules
    if not held:
        return None
    from ._rules import IGNORED_DEPRECATED_MEMBERS as IGNORED

    if IGNORED.id not in held:
        return None

    def ignored(params: Mapping[str, Any]) -> str | None:
        has_invocation = params.get("TaskInvocationParameters") is not None
        return IGNORED.ignored(_task_type(params, whole=True), params, has_invocation)

    return ignored


def request_warning(operation: str, params: Mapping[str, Any]) -> str | None:
    """What a valid request sends that the service ignores (F14), in one line; else ``None``."""
    warner = _warner(operation)
    return None if warner is None else warner(params)


def validate_request(operation: str, params: Mapping[str, Any]) -> None:
    """Raise :class:`~ssm_mw.ValidationError` listing every violation, or return ``None``."""
    if _passes(operation, params):
        return
    out: list[Violation] = []
    _checker(operation)(params, "", "", out)
    if out:
        raise ValidationError(out)
