"""cattrs conversion between the models and botocore dicts.

This is the only module that knows the botocore wire names (PascalCase).
A wire name is the PascalCase of the attribute name, with one exception:
describe's ``Type`` is ``task_type``.

Nothing is built at import: cattrs is imported and the converter made on the
first conversion that needs them, and every generated function is generated
on its first use. :func:`json_structure_fn` structures a response's raw JSON
(as ``json.loads`` gives it) the way botocore's parse followed by
:func:`from_botocore` would, without cattrs (the fast path, :mod:`ssm_mw._fastpath`).
"""

from __future__ import annotations

import base64
import enum
import functools
import inspect
import itertools
import linecache
import types
import typing
import weakref
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import attrs

from ._codegen import define
from ._enums import MEMBER_CONVERTERS, OpenEnum
from ._errors import ResponseError, ValidationError
from ._fields import keeps_structured
from ._invocation import (
    AnyInvocationParameters,
    AutomationParameters,
    CloudWatchOutputConfig,
    LambdaParameters,
    NotificationConfig,
    RunCommandParameters,
    StepFunctionsParameters,
    TaskInvocationParameters,
    UnknownInvocationParameters,
)
from ._models import (
    Alarm,
    AlarmConfiguration,
    DeregisteredTask,
    LoggingInfo,
    MaintenanceWindowIdentity,
    MaintenanceWindowTask,
    MaintenanceWindowTaskDetails,
    Target,
    TaskDefinition,
    TaskFilter,
    TaskPage,
    TaskParameterValueExpression,
    TaskUpdate,
    WindowFilter,
    WindowPage,
)
from ._operations import DESCRIBE_TASKS
from ._public import publish_exported
from ._schema import input_schema, shape_schema
from ._shapes import TASK_TYPE_VARIANTS, snake_case

_DESCRIBE_TASKS = DESCRIBE_TASKS.name

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "BOTOCORE_SHAPES",
    "CALL_MEMBERS",
    "call_members",
    "describe_request",
    "from_botocore",
    "get_request",
    "invocation_key",
    "json_structure_fn",
    "make_converter",
    "parse_register_response",
    "register_request",
    "request",
    "to_botocore",
    "update_request",
    "wire_names",
]

T = TypeVar("T")

#: The botocore shape each model class stands for (used by tests and fuzzing).
BOTOCORE_SHAPES: Mapping[type, str] = {
    Target: "Target",
    TaskFilter: "MaintenanceWindowFilter",
    TaskParameterValueExpression: "MaintenanceWindowTaskParameterValueExpression",
    LoggingInfo: "LoggingInfo",
    Alarm: "Alarm",
    AlarmConfiguration: "AlarmConfiguration",
    CloudWatchOutputConfig: "CloudWatchOutputConfig",
    NotificationConfig: "NotificationConfig",
    RunCommandParameters: "MaintenanceWindowRunCommandParameters",
    AutomationParameters: "MaintenanceWindowAutomationParameters",
    StepFunctionsParameters: "MaintenanceWindowStepFunctionsParameters",
    LambdaParameters: "MaintenanceWindowLambdaParameters",
    TaskDefinition: "RegisterTaskWithMaintenanceWindowRequest",
    TaskUpdate: "UpdateMaintenanceWindowTaskRequest",
    MaintenanceWindowTask: "MaintenanceWindowTask",
    MaintenanceWindowTaskDetails: "GetMaintenanceWindowTaskResult",
    TaskPage: "DescribeMaintenanceWindowTasksResult",
    WindowFilter: "MaintenanceWindowFilter",
    MaintenanceWindowIdentity: "MaintenanceWindowIdentity",
    WindowPage: "DescribeMaintenanceWindowsResult",
    DeregisteredTask: "DeregisterTaskFromMaintenanceWindowResult",
}

_RENAMES: Mapping[tuple[type, str], str] = {
    (MaintenanceWindowTask, "task_type"): "Type",
    (WindowPage, "windows"): "WindowIdentities",
}

#: The key of each invocation-parameters variant in ``TaskInvocationParameters``.
_VARIANT_KEYS: Mapping[type[TaskInvocationParameters], str] = {
    cls: TASK_TYPE_VARIANTS[cls.task_type]
    for cls in (
        RunCommandParameters,
        AutomationParameters,
        StepFunctionsParameters,
        LambdaParameters,
    )
}
_VARIANTS: Mapping[str, type[TaskInvocationParameters]] = {k: c for c, k in _VARIANT_KEYS.items()}


def invocation_key(cls: type[TaskInvocationParameters]) -> str:
    """The key of a variant in a ``TaskInvocationParameters`` block (``"RunCommand"``)."""
    return _VARIANT_KEYS[cls]


_REQUEST_UNION: Any = TaskInvocationParameters | None
_RESPONSE_UNION: Any = AnyInvocationParameters | None


@functools.cache
def wire_names(cls: type) -> Mapping[str, str]:
    """Map each attribute of a model class to its botocore member name.

    The names are those of the compiled shape the class stands for
    (:data:`BOTOCORE_SHAPES`): each attribute is the snake_case of its member,
    but for the few the models rename. An attribute that names no member is a
    :class:`TypeError` (the models and the service model disagree).
    """
    shape = BOTOCORE_SHAPES[cls]
    by_attribute = {snake_case(wire): wire for wire in shape_schema(shape).members}
    names: dict[str, str] = {}
    for a in attrs.fields(cls):
        if a.name == "raw":
            continue
        wire = _RENAMES.get((cls, a.name)) or by_attribute.get(a.name)
        if wire is None or wire not in by_attribute.values():
            raise TypeError(f"{cls.__name__}.{a.name} is no member of the shape {shape}")
        names[a.name] = wire
    return MappingProxyType(names)


def _cattrs_structure_fn(cls: type, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """cattrs' own generated structure function (for inputs that are not plain dicts)."""
    from cattrs.gen import make_dict_structure_fn, override

    overrides: dict[str, Any] = {n: override(rename=w) for n, w in wire_names(cls).items()}
    return make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=False, **overrides)


# -- structuring plain dicts: generated code ------------------------------------------------
#
# Responses are plain dicts (botocore parses JSON into them), and structuring
# them is on every call's path. For a plain dict, the structure function of
# each model class is generated once, with each member's conversion written
# inline (no per-member hook call, no per-call dispatch on types): the same
# conversions cattrs makes (``str(v)``, ``int(v)``, ``Enum(v)``, a tuple of
# them, ...), and the converter's hook for anything else. Any other mapping
# goes to cattrs' own generated function, so the result is the same either way.


class _EnumLookup(dict[Any, Any]):
    """Value -> member of one enum: a dict lookup for known values, ``cls(value)`` otherwise."""

    def __init__(self, cls: type[enum.Enum]) -> None:
        super().__init__(cls._value2member_map_)
        self._cls = cls

    def __missing__(self, value: Any) -> Any:
        member = self._cls(value)  # a pseudo-member (OpenEnum), or ValueError
        self[value] = member
        return member


@functools.cache
def _enum_lookup(cls: type[enum.Enum]) -> _EnumLookup:
    return _EnumLookup(cls)


def _str_lists(mapping: Mapping[Any, Any]) -> dict[str, tuple[str, ...]]:
    """``{str(k): tuple(str(x) for x in v)}``, without the calls when all are ``str`` already."""
    result = {k: tuple(v) for k, v in mapping.items()}
    try:
        "".join(result)  # TypeError unless every key is a str
        "".join(itertools.chain.from_iterable(result.values()))
    except TypeError:
        return {str(k): tuple(map(str, v)) for k, v in mapping.items()}
    return result


def _union_args(t: Any) -> tuple[Any, ...] | None:
    if typing.get_origin(t) in (typing.Union, types.UnionType):
        return typing.get_args(t)
    return None


def _is_leaf(t: Any) -> bool:
    """Whether ``t`` is a model class with no model class below it (its code is short)."""
    if not attrs.has(t):
        return False
    attrs.resolve_types(t)
    return not any(
        attrs.has(arg) or any(attrs.has(a) for a in typing.get_args(arg))
        for a in attrs.fields(t)
        for arg in (a.type, *typing.get_args(a.type))
    )


class _Fallback(Exception):
    """A JSON function met a value where botocore's parse might not agree with it."""


def _fallback() -> NoReturn:
    raise _Fallback


class _StructureCode:
    """Writes the expressions that structure values, and collects the names they use.

    A member holding another model class is built inline (no call of that
    class's structure function) when it is a plain dict, and by that class's
    structure function otherwise.

    Without a converter it writes the *JSON* form (:func:`json_structure_fn`):
    the input is raw JSON, and each expression gives what the converter gives
    for botocore's parse of it. botocore's JSON parser passes scalars through
    as they are, so those conversions are the converter's own (``str(v)``,
    ``int(v)``, an enum lookup...); what differs is that a ``null`` member of a
    structure counts as absent (botocore drops it), a blob is base64-decoded
    (botocore's default blob parser), and wherever botocore's walk could fail
    or change a container (a structure that is not a dict, a ``null`` item,
    an invocation block that is not one variant) the code raises
    :class:`_Fallback` so that the caller parses botocore's way instead.
    """

    def __init__(self, converter: cattrs.Converter | None) -> None:
        self.converter = converter
        self.names: dict[str, Any] = {}
        self._refs: dict[int, str] = {}
        self._temps = itertools.count(1)
        self._inlining: list[type] = []

    @property
    def json(self) -> bool:
        return self.converter is None

    def ref(self, value: Any) -> str:
        name = self._refs.get(id(value))
        if name is None or self.names[name] is not value:
            name = f"_r{len(self.names)}"
            self.names[name] = value
            self._refs[id(value)] = name
        return name

    def fallback(self) -> str:
        """An expression that raises :class:`_Fallback` (JSON form only)."""
        return f"{self.ref(_fallback)}()"

    def temp(self) -> str:
        return f"_v{next(self._temps)}"

    def bind(self, src: str) -> tuple[str, str]:
        """A name for the value of ``src`` and the expression that binds it (evaluate it first)."""
        if src.isidentifier():
            return src, src
        name = self.temp()
        return name, f"({name} := {src})"

    def _plain_call(self, t: Any) -> str | None:
        """A callable doing what cattrs does for ``t`` when its hook is just ``t(value)``."""
        if self.converter is None:
            # The JSON form: the hooks make_converter() leaves plain (checked by the tests).
            is_enum = isinstance(t, type) and issubclass(t, OpenEnum)
            if not (is_enum or t in (str, int, bool, float)):
                return None
        else:
            plain = self.converter._structure_call  # pyright: ignore[reportPrivateUsage]
            if self.converter.get_structure_hook(t) != plain:
                return None
        if isinstance(t, type) and issubclass(t, enum.Enum):
            return f"{self.ref(_enum_lookup(t))}.__getitem__"
        return t.__name__ if t in (str, int, bool, float) else self.ref(t)

    def expr(self, t: Any, src: str) -> str:
        """An expression structuring ``src`` (evaluated once) into ``t``."""
        args = _union_args(t)
        if args is not None and type(None) in args:
            value, bound = self.bind(src)
            rest = [a for a in args if a is not type(None)]
            # A union of several types and None: the converter's hook, never called with None.
            if len(rest) == 1:
                inner = self.expr(rest[0], value)
            elif not self.json:
                inner = self._hook_call(t, value)
            elif t == _RESPONSE_UNION:
                inner = f"{self.ref(_json_invocation)}({value})"
            else:
                inner = self.fallback()
            return f"(None if {bound} is None else {inner})"
        origin, targs = typing.get_origin(t), typing.get_args(t)
        if origin is tuple and len(targs) == 2 and targs[1] is Ellipsis:
            call = self._plain_call(targs[0])
            if call is not None:
                return f"tuple(map({call}, {src}))"
            item = self.temp()
            if not _is_leaf(targs[0]):
                return f"tuple([{self.expr(targs[0], item)} for {item} in {src}])"
            value, bound = self.bind(src)
            each = f"tuple([{self.expr(targs[0], item)} for {item} in {value}])"
            # A list of one (the usual: one target, one alarm) needs no comprehension.
            one = f"({self.expr(targs[0], f'{value}[0]')},)"
            return f"({one} if {bound}.__class__ is list and len({value}) == 1 else {each})"
        if t == dict[str, tuple[str, ...]] and self._plain_call(str) == "str":
            return f"{self.ref(_str_lists)}({src})"
        if origin is dict and len(targs) == 2:
            value, bound = self.bind(src)
            key, item = self.temp(), self.temp()
            k, v = self.expr(targs[0], key), self.expr(targs[1], item)
            each = f"{{{k}: {v} for {key}, {item} in {value}.items()}}"
            # An empty dict (describe sends TaskParameters: {}) needs no comprehension.
            return f"({{}} if {bound}.__class__ is dict and not {value} else {each})"
        if attrs.has(t) and t not in self._inlining:
            if self.converter is None:
                value, bound = self.bind(src)
                built = self.build(t, value, f"{value}.get")
                return f"({built} if {bound}.__class__ is dict else {self.fallback()})"
            hook = self.converter.get_structure_hook(t)
            if hook in _GENERATED:  # not a hook registered for this class by hand
                value, bound = self.bind(src)
                built = self.build(t, value, f"{value}.get")
                return f"({built} if {bound}.__class__ is dict else {self._hook_call(t, value)})"
        call = self._plain_call(t)
        if call is None:
            if not self.json:
                return self._hook_call(t, src)
            if t is bytes:  # botocore's default blob parser, then bytes as they are
                return f"{self.ref(base64.b64decode)}({src})"
            return self.fallback()
        if isinstance(t, type) and issubclass(t, enum.Enum):
            return f"{self.ref(_enum_lookup(t))}[{src}]"  # a subscript is cheaper than a call
        return f"{call}({src})"

    def build(self, cls: type, o: str, get: str) -> str:
        """An expression that builds ``cls`` from the plain dict named ``o``.

        A member absent from the dict is left out (so it takes its default);
        for members whose default is ``None`` and that may be ``None``, passing
        ``None`` is the same and cheaper. When every member is passed that way
        and :func:`_constructor` has a function for the class, that function
        gets them positionally; otherwise the class gets them by keyword.
        """
        attrs.resolve_types(cls)
        wires = wire_names(cls)
        self._inlining.append(cls)
        values: list[str] = []
        keywords: list[str] = []
        for a in attrs.fields(cls):
            if not a.init:
                continue
            key = repr(wires.get(a.name, a.name))
            if a.default is attrs.NOTHING:
                src = f"{o}[{key}]"
                if self.json:  # botocore drops a null member: then it is missing
                    v = self.temp()
                    src = f"({v} if ({v} := {src}) is not None else {self.fallback()})"
                values.append(self.expr(a.type, src))
                keywords.append(f"{a.alias}={values[-1]}")
            elif a.default is None and type(None) in (_union_args(a.type) or ()):
                values.append(self.expr(a.type, f"{get}({key})"))
                keywords.append(f"{a.alias}={values[-1]}")
            else:
                value = self.expr(a.type, f"{o}[{key}]")
                given = f"{get}({key}) is not None" if self.json else f"{key} in {o}"
                keywords.append(f"**({{{a.alias!r}: {value}}} if {given} else {{}})")
        self._inlining.pop()
        fast = _constructor(cls)
        if fast is not None and len(values) == len(keywords):
            return f"{self.ref(fast)}({', '.join(values)})"
        return f"{self.ref(cls)}({', '.join(keywords)})"

    def _hook_call(self, t: Any, src: str) -> str:
        assert self.converter is not None
        return f"{self.ref(self.converter.get_structure_hook(t))}({src}, {self.ref(t)})"


_OBJECT_NEW = inspect.getattr_static(object, "__new__")


@functools.cache
def _constructor(cls: type) -> Callable[..., Any] | None:
    """A function that takes every field positionally and builds what ``cls(...)`` builds.

    Only for a class whose attrs-generated ``__init__`` does nothing but set
    each field's slot (``_setattr('name', name)``: no validator, converter,
    factory or hook; checked on its source), or passes an enum member through
    its converter (:data:`~ssm_mw._enums.MEMBER_CONVERTERS`, and the models'
    sequence, map and bytes conversions, :func:`~ssm_mw._fields.keeps_structured`,
    all of which leave what the structure code makes unchanged). The function sets each slot
    through its descriptor, as that ``__init__`` does, minus a generic
    attribute lookup per field. ``None`` for any other class.
    """
    fields = attrs.fields(cls)
    code = getattr(vars(cls).get("__init__"), "__code__", None)
    if code is None:
        return None
    # attrs keeps the source it generated in linecache; the body runs to the next "def".
    lines = linecache.getlines(code.co_filename)[code.co_firstlineno :]
    end = next((i for i, line in enumerate(lines) if line[:1] not in (" ", "\t", "\n")), None)
    body = [line.strip() for line in lines[:end] if line.strip()]
    expected = [
        "_setattr = _cached_setattr_get(self)",
        *(
            # An enum member's converter keeps the members the structure code makes: skip it.
            f"_setattr({a.name!r}, __attr_converter_{a.name}({a.alias}))"
            if a.converter in MEMBER_CONVERTERS or keeps_structured(a.converter)
            else f"_setattr({a.name!r}, {a.alias})"
            for a in fields
        ),
    ]
    if body != expected or inspect.getattr_static(cls, "__new__") is not _OBJECT_NEW:
        return None
    names: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    sets: list[str] = []
    for i, a in enumerate(fields):
        slot = inspect.getattr_static(cls, a.name, None)
        if not isinstance(slot, types.MemberDescriptorType):
            return None
        names[f"_s{i}"] = slot.__set__
        sets.append(f"  _s{i}(self, {a.alias})\n")
    head = f"def new({', '.join(a.alias for a in fields)}):\n  self = _new(_cls)\n"
    script = f"{head}{''.join(sets)}  return self\n"
    return define("new", script, names, f"<ssm-mw new {cls.__module__}.{cls.__qualname__}>")


#: The structure functions :func:`_structure_factory` made.
_GENERATED: weakref.WeakSet[Callable[[Any, Any], Any]] = weakref.WeakSet()


def _structure_factory(cls: type, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    fallback: list[Callable[[Any, Any], Any]] = []

    def other_mapping(o: Any, t: Any) -> Any:
        if not fallback:
            fallback.append(_cattrs_structure_fn(cls, converter))
        return fallback[0](o, t)

    code = _StructureCode(converter)
    name = f"structure_{cls.__name__}"
    script = (
        f"def {name}(o, t=None):\n"
        "  if o.__class__ is not dict:\n"
        f"    return {code.ref(other_mapping)}(o, t)\n"
        "  g = o.get\n"
        f"  return {code.build(cls, 'o', 'g')}\n"
    )
    filename = f"<ssm-mw structure {cls.__module__}.{cls.__qualname__}>"
    function: Callable[[Any, Any], Any] = define(name, script, code.names, filename)
    _GENERATED.add(function)
    return function


#: The functions :func:`json_structure_fn` generated, by class.
_JSON_FUNCTIONS: dict[type, Callable[[Any], Any]] = {}


def json_structure_fn(cls: type[T]) -> Callable[[Any], T]:
    """A function building ``cls`` from a response's raw JSON (generated on first use).

    For a body that ``json.loads`` made, it returns what ``from_botocore`` of
    botocore's JSON parse of that body returns, or raises: wherever the two
    might not agree, or the body lacks a member the model needs, it raises
    (an exception of its own, or whatever the conversion raised), and the
    caller parses the body botocore's way instead. It never uses cattrs.
    """
    function = _JSON_FUNCTIONS.get(cls)
    if function is None:
        function = _JSON_FUNCTIONS[cls] = _json_function(cls)
    return function


def _json_function(cls: type) -> Callable[[Any], Any]:
    code = _StructureCode(None)
    name = f"json_{cls.__name__}"
    script = (
        f"def {name}(o):\n"
        "  if o.__class__ is not dict:\n"
        f"    {code.fallback()}\n"
        "  g = o.get\n"
        f"  return {code.build(cls, 'o', 'g')}\n"
    )
    filename = f"<ssm-mw json {cls.__module__}.{cls.__qualname__}>"
    return define(name, script, code.names, filename)


def _json_invocation(block: Any) -> AnyInvocationParameters:
    """The invocation parameters of a raw JSON block, as from botocore's parse of it.

    botocore keeps the four variants' members that are not ``null``, so a
    block with exactly one of them is that variant, and one with none of them
    is an empty :class:`UnknownInvocationParameters`. A block with several is
    left to botocore's parse (its ``raw`` is botocore's parse).
    """
    if block.__class__ is not dict:
        _fallback()
    found: str | None = None
    for key, inner in block.items():
        if inner is not None and key in _VARIANTS:
            if found is not None:
                _fallback()
            found = key
    if found is None:
        return UnknownInvocationParameters(botocore_key=None, raw={})
    params: TaskInvocationParameters = json_structure_fn(_VARIANTS[found])(block[found])
    return params


def _none_or(hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else hook(value)


def _unstructure_factory(cls: type, converter: cattrs.Converter) -> Callable[[Any], Any]:
    from cattrs.gen import make_dict_unstructure_fn, override

    wires = wire_names(cls)
    overrides: dict[str, Any] = {n: override(rename=w) for n, w in wires.items()}
    if cls is TaskDefinition:
        # task_type has a computed default but must always be sent.
        overrides["task_type"] = override(rename="TaskType", omit_if_default=False)
    attrs.resolve_types(cls)
    for a in attrs.fields(cls):
        if a.default is attrs.NOTHING and typing.get_origin(a.type) in (tuple, dict):
            # A required collection given as None goes through as None, so that
            # validation reports it by its path instead of a TypeError here.
            hook = _none_or(converter.get_unstructure_hook(a.type))
            overrides[a.name] = override(rename=wires[a.name], unstruct_hook=hook)
    return make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **overrides)


def _structure_bytes(value: Any, _: type) -> bytes:
    if isinstance(value, str):
        return value.encode()
    return bytes(value)


def _enum_value(member: OpenEnum) -> str:
    value: str = member._value_
    return value


def _structure_invocation(
    converter: cattrs.Converter, *, strict: bool
) -> Callable[[Any, Any], AnyInvocationParameters | None]:
    hooks: dict[type, Callable[[Any, Any], Any]] = {}  # the variants' hooks, found once

    def hook(block: Any, _: Any) -> AnyInvocationParameters | None:
        if block is None:
            return None
        if len(block) == 1:
            ((key, inner),) = block.items()
            variant = _VARIANTS.get(key)
            if variant is not None:
                structure = hooks.get(variant)
                if structure is None:
                    structure = hooks[variant] = converter.get_structure_hook(variant)
                params: TaskInvocationParameters = structure(inner, variant)
                return params
        if strict:
            keys = ", ".join(sorted(block)) or "none"
            raise ValidationError.single(
                "task_invocation_parameters",
                f"needs exactly one of {', '.join(_VARIANTS)} (got {keys})",
            )
        key = next(iter(block)) if len(block) == 1 else None
        return UnknownInvocationParameters(botocore_key=key, raw=dict(block))

    return hook


def _unstructure_invocation(converter: cattrs.Converter) -> Callable[[Any], Any]:
    def hook(params: AnyInvocationParameters | None) -> Any:
        if params is None:
            return None
        if isinstance(params, UnknownInvocationParameters):
            return dict(params.raw)
        return {_VARIANT_KEYS[type(params)]: converter.unstructure(params)}

    return hook


def make_converter() -> cattrs.Converter:
    """A converter that knows the wire names of every model class."""
    import cattrs

    converter = cattrs.Converter(
        detailed_validation=False,
        unstruct_collection_overrides={tuple: list, Sequence: list},
    )
    converter.register_structure_hook(bytes, _structure_bytes)
    # By class, so it wins over cattrs' own hook for str (OpenEnum is a str).
    converter.register_unstructure_hook(OpenEnum, _enum_value)
    converter.register_structure_hook_func(
        lambda t: t == _REQUEST_UNION, _structure_invocation(converter, strict=True)
    )
    converter.register_structure_hook_func(
        lambda t: t == _RESPONSE_UNION, _structure_invocation(converter, strict=False)
    )
    converter.register_unstructure_hook_func(
        lambda t: t in (_REQUEST_UNION, _RESPONSE_UNION), _unstructure_invocation(converter)
    )
    converter.register_structure_hook_factory(attrs.has, _structure_factory)
    converter.register_unstructure_hook_factory(attrs.has, _unstructure_factory)
    return converter


@functools.cache
def _converter() -> cattrs.Converter:
    """The converter of :func:`to_botocore` and :func:`from_botocore`, made on first use."""
    return make_converter()


def to_botocore(
    obj: Target
    | TaskFilter
    | TaskParameterValueExpression
    | LoggingInfo
    | Alarm
    | AlarmConfiguration
    | CloudWatchOutputConfig
    | NotificationConfig
    | RunCommandParameters
    | AutomationParameters
    | StepFunctionsParameters
    | LambdaParameters
    | TaskDefinition
    | TaskUpdate
    | MaintenanceWindowTask
    | MaintenanceWindowTaskDetails
    | TaskPage
    | WindowFilter
    | MaintenanceWindowIdentity
    | WindowPage
    | DeregisteredTask,
) -> dict[str, Any]:
    """Convert a model to the botocore dict it stands for; unset members are left out.

    >>> to_botocore(TaskUpdate(priority=1))
    {'Priority': 1}

    Anything but one of the library's models raises ``TypeError``.
    """
    if not isinstance(obj, _MODEL_CLASSES):
        raise TypeError(
            "to_botocore() takes one of the ssm_mw models (e.g. TaskUpdate), "
            f"not {type(obj).__name__}"
        )
    data: dict[str, Any] = _converter().unstructure(obj)
    return data


_MODEL_CLASSES = tuple(BOTOCORE_SHAPES)


def from_botocore(data: Mapping[str, Any], cls: type[T]) -> T:
    """Build a model from a botocore dict, leniently, as a response is read: unknown keys
    are ignored and scalars are read as the member's type. For a user's dict, use
    :meth:`ssm_mw.TaskFile.from_botocore`, which refuses both.

    Raises :class:`~ssm_mw.ResponseError` when the dict lacks what the model
    cannot do without (e.g. a task's ``WindowId``), and
    :class:`~ssm_mw.ValidationError` for request models that break a rule
    checked at construction.
    """
    try:
        return _converter().structure(data, cls)
    except ValidationError:
        raise
    except KeyError as exc:
        raise ResponseError(
            f"{cls.__name__}: the response lacks the required member {exc.args[0]}"
        ) from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise ResponseError(f"{cls.__name__}: cannot read the response: {exc}") from None


def request(operation: str, **members: Any) -> dict[str, Any]:
    """The request of ``operation`` from its members by attribute name.

    Names come from the compiled input shape (``filters=`` is ``Filters``,
    ``max_results=`` is ``MaxResults``). A ``None`` or an empty sequence is
    not sent; a model becomes its botocore dict. An unknown name is a
    ``KeyError``: the caller's mistake, not the user's.
    """
    attributes = input_schema(operation).attributes
    params: dict[str, Any] = {}
    for name, value in members.items():
        if value is None or (isinstance(value, (tuple, list)) and not value):
            continue
        params[attributes[name].wire] = _wire_value(value)
    return params


def _wire_value(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_wire_value(item) for item in value]
    if isinstance(value, _MODEL_CLASSES):
        return _converter().unstructure(value)
    return value


def describe_request(
    window_id: str,
    filters: Sequence[TaskFilter],
    max_results: int | None,
    next_token: str | None,
) -> dict[str, Any]:
    """The DescribeMaintenanceWindowTasks parameters."""
    return request(
        _DESCRIBE_TASKS,
        window_id=window_id,
        filters=filters,
        max_results=max_results,
        next_token=next_token,
    )


#: The request members that are arguments of the client's methods, not members of a model.
CALL_MEMBERS: Mapping[str, str] = {
    "window_id": "WindowId",
    "window_task_id": "WindowTaskId",
    "client_token": "ClientToken",
    "replace": "Replace",
}


def call_members(
    window_id: str,
    window_task_id: str | None = None,
    *,
    client_token: str | None = None,
    replace: bool = False,
) -> dict[str, Any]:
    """The members of a request that come from a method's arguments (``WindowId``, ...)."""
    given = {
        "window_id": window_id,
        "window_task_id": window_task_id,
        "client_token": client_token,
        "replace": True if replace else None,
    }
    return {CALL_MEMBERS[name]: value for name, value in given.items() if value is not None}


def get_request(window_id: str, window_task_id: str) -> dict[str, Any]:
    """The GetMaintenanceWindowTask parameters."""
    return call_members(window_id, window_task_id)


def register_request(
    window_id: str, definition: TaskDefinition, client_token: str
) -> dict[str, Any]:
    """The RegisterTaskWithMaintenanceWindow parameters."""
    return {**to_botocore(definition), **call_members(window_id, client_token=client_token)}


def update_request(
    window_id: str, window_task_id: str, update: TaskUpdate, replace: bool
) -> dict[str, Any]:
    """The UpdateMaintenanceWindowTask parameters."""
    return {**call_members(window_id, window_task_id, replace=replace), **to_botocore(update)}


def parse_register_response(response: Mapping[str, Any]) -> str:
    """The ``WindowTaskId`` of a register response."""
    task_id = response.get("WindowTaskId")
    if not isinstance(task_id, str):
        raise ResponseError("RegisterTaskWithMaintenanceWindow: the response lacks WindowTaskId")
    return task_id


# Imported on first use of one of its names by ``ssm_mw``: the public names show as
# ``ssm_mw.X`` however this module was reached.
publish_exported(globals(), __all__)
