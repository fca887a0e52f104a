"""The botocore SSM service model, behind small typed helpers.

Everything that reads the model goes through :func:`service_model`, which loads
it lazily and once. It loads the model trimmed to the registry's operations
(``_operations``) that ships in ``ssm_mw/_data`` (:data:`DATA_PATH`): the
operations and every shape they reach, exactly as the pinned botocore has
them (``tools/trim_service_model.py`` makes it; ``tests/shapes/test_trimmed_model.py``
proves it equal). It loads in a few milliseconds, where botocore's full SSM model takes ~50-100 ms.

Also here: :func:`snake_case` (wire member names to the library's attribute
names), :func:`compile_pattern` (the model's Java-style regexes for Python's
:mod:`re`), and the table of invocation variants. ``_schema`` compiles the
shapes read through these helpers once, for every other use.
"""

from __future__ import annotations

import array
import functools
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol, cast

__all__ = [
    "DATA_PATH",
    "TASK_TYPE_VARIANTS",
    "Shape",
    "compile_pattern",
    "enum_values",
    "list_member",
    "map_key",
    "map_value",
    "members",
    "operation_input_shape",
    "operation_output_shape",
    "required_members",
    "service_model",
    "snake_case",
    "translate_pattern",
]


#: A botocore data directory holding ``ssm/2014-11-06/service-2.json``, trimmed to the
#: registry's operations (``_operations.OPERATIONS``). Sessions that ssm-mw creates search
#: it before botocore's own.
DATA_PATH = Path(__file__).resolve().parent / "_data"


class Shape(Protocol):
    """The part of a ``botocore.model.Shape`` that ssm-mw reads."""

    @property
    def name(self) -> str: ...
    @property
    def type_name(self) -> str: ...
    @property
    def metadata(self) -> Mapping[str, Any]: ...


class _OperationModel(Protocol):
    @property
    def input_shape(self) -> Shape | None: ...
    @property
    def output_shape(self) -> Shape | None: ...


class ServiceModel(Protocol):
    """The part of a ``botocore.model.ServiceModel`` that ssm-mw reads."""

    @property
    def operation_names(self) -> list[str]: ...
    def operation_model(self, operation_name: str) -> _OperationModel: ...
    def shape_for(self, shape_name: str) -> Shape: ...


@functools.cache
def service_model() -> ServiceModel:
    """The SSM service model trimmed to the registry's operations (loaded once, on first call)."""
    from botocore.loaders import Loader
    from botocore.model import ServiceModel as BotocoreServiceModel

    loader = Loader(extra_search_paths=[str(DATA_PATH)], include_default_search_paths=False)
    data = loader.load_service_model("ssm", "service-2")
    return cast(ServiceModel, BotocoreServiceModel(data, service_name="ssm"))


def _operation(operation: str) -> _OperationModel:
    model = service_model()
    if operation not in model.operation_names:
        raise ValueError(f"unknown SSM operation {operation!r}")
    return model.operation_model(operation)


def operation_input_shape(operation: str) -> Shape:
    """The input structure of a botocore operation, e.g. ``"GetMaintenanceWindowTask"``."""
    shape = _operation(operation).input_shape
    if shape is None:  # pragma: no cover - every SSM operation has an input
        raise ValueError(f"{operation} has no input shape")
    return shape


def operation_output_shape(operation: str) -> Shape:
    """The output structure of a botocore operation."""
    shape = _operation(operation).output_shape
    if shape is None:  # pragma: no cover - every SSM operation has an output
        raise ValueError(f"{operation} has no output shape")
    return shape


def members(shape: Shape) -> Mapping[str, Shape]:
    """A structure's members, in model (document) order."""
    return cast(Mapping[str, Shape], getattr(shape, "members", {}))


def required_members(shape: Shape) -> tuple[str, ...]:
    """The names of a structure's required members."""
    return tuple(cast(list[str], getattr(shape, "required_members", [])))


def list_member(shape: Shape) -> Shape:
    """The member shape of a list shape."""
    return cast(Shape, getattr(shape, "member"))  # noqa: B009 - untyped botocore attribute


def map_key(shape: Shape) -> Shape:
    """The key shape of a map shape."""
    return cast(Shape, getattr(shape, "key"))  # noqa: B009


def map_value(shape: Shape) -> Shape:
    """The value shape of a map shape."""
    return cast(Shape, getattr(shape, "value"))  # noqa: B009


def enum_values(shape: Shape) -> tuple[str, ...]:
    """A string shape's enum values, in model order (empty if it is no enum)."""
    return tuple(cast(list[str], shape.metadata.get("enum", [])))


# -- names ------------------------------------------------------------------

_ACRONYM_END = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD_START = re.compile(r"([a-z0-9])([A-Z])")


def snake_case(name: str) -> str:
    """The library's attribute name for a wire member name.

    ``S3BucketName`` → ``s3_bucket_name``, ``OutputS3KeyPrefix`` →
    ``output_s3_key_prefix``, ``ServiceRoleARN`` → ``service_role_arn``.
    """
    return _WORD_START.sub(r"\1_\2", _ACRONYM_END.sub(r"\1_\2", name)).lower()


# -- the invocation-parameter variants ------------------------------------------

#: The member of ``TaskInvocationParameters`` that each task type takes (the API
#: reference: the parameters must be those of the task's type).
TASK_TYPE_VARIANTS: Mapping[str, str] = {
    "RUN_COMMAND": "RunCommand",
    "AUTOMATION": "Automation",
    "STEP_FUNCTIONS": "StepFunctions",
    "LAMBDA": "Lambda",
}


# -- patterns -----------------------------------------------------------------

# fmt: off
_CATEGORIES = (
    "Cc", "Cf", "Cn", "Co", "Cs", "Ll", "Lm", "Lo", "Lt", "Lu", "Mc", "Me", "Mn", "Nd", "Nl",
    "No", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "Sc", "Sk", "Sm", "So", "Zl", "Zp", "Zs",
)
# fmt: on
_CATEGORY_INDEX = {name: i for i, name in enumerate(_CATEGORIES)}


def _categories_of(start: int, stop: int) -> bytes:
    text = array.array("I", range(start, stop)).tobytes().decode("utf-32-le")
    return bytes(map(_CATEGORY_INDEX.__getitem__, map(unicodedata.category, text)))


@functools.cache
def _category_table(*, full_scan: bool = False) -> bytes:
    """One byte per code point: the index of its general category in ``_CATEGORIES``."""
    cn, co, cs = (bytes([_CATEGORY_INDEX[c]]) for c in ("Cn", "Co", "Cs"))
    if full_scan or int(unicodedata.unidata_version.split(".")[0]) > 16:
        return _categories_of(0, 0xD800) + cs * 0x800 + _categories_of(0xE000, 0x110000)
    # Up to Unicode 16, planes 4-13 are unassigned and planes 15-16 are private
    # use but for their last two code points: skipping them saves ~70% of the scan.
    # (tests/shapes/test_patterns.py checks this against a full scan.)
    private_plane = co * 0xFFFE + cn * 2
    return (
        _categories_of(0, 0xD800)
        + cs * 0x800
        + _categories_of(0xE000, 0x40000)
        + cn * (0xE0000 - 0x40000)
        + _categories_of(0xE0000, 0xF0000)
        + private_plane * 2
    )


def _escape(cp: int) -> str:
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


@functools.cache
def _category_class(name: str) -> str:
    """The body of a character class for a Unicode general category: ``L``, ``Lu``, ``IsZ``…"""
    bare = name.removeprefix("Is")
    wanted = [c for c in _CATEGORIES if c == bare or (len(bare) == 1 and c[0] == bare)]
    if not wanted:
        raise ValueError(rf"unsupported character property \p{{{name}}}")
    codes = re.escape(bytes(_CATEGORY_INDEX[c] for c in wanted))
    runs = re.finditer(b"[" + codes + b"]+", _category_table())
    return "".join(
        _escape(m.start())
        if m.end() - m.start() == 1
        else f"{_escape(m.start())}-{_escape(m.end() - 1)}"
        for m in runs
    )


# Java's `.` excludes every line terminator, not only "\n".
_DOT = "[^\\n\\r\\x85\\u2028\\u2029]"
_UNSUPPORTED_ESCAPES = frozenset("GRXhHvVQEZk")


def _read_property(pattern: str, i: int) -> tuple[str, int]:
    """Read the name after ``\\p`` at ``pattern[i]``: ``{Name}`` or a single letter."""
    if pattern.startswith("{", i):
        end = pattern.index("}", i)
        return pattern[i + 1 : end], end + 1
    return pattern[i], i + 1


def translate_pattern(pattern: str) -> str:
    """Translate a model (Java-style) regex into Python :mod:`re` syntax.

    ``\\p{..}``/``\\P{..}`` become exact classes built from :mod:`unicodedata`,
    ``.`` excludes every Java line terminator, ``$`` is end of input (as in
    ECMA-262, which Smithy specifies, so a trailing newline never slips
    through). Compile the result with ``re.ASCII``, which gives ``\\d``, ``\\w``
    and ``\\s`` their Java meaning. Constructs Python cannot mirror raise
    :class:`ValueError`.
    """
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\":
            e = pattern[i + 1 : i + 2]
            if e in ("p", "P"):
                name, i = _read_property(pattern, i + 2)
                body = _category_class(name)
                if in_class and e == "P":
                    raise ValueError(r"\P{..} inside a character class is not supported")
                out.append(body if in_class else f"[{'^' if e == 'P' else ''}{body}]")
                continue
            if not e or e in _UNSUPPORTED_ESCAPES:
                raise ValueError(f"unsupported escape in pattern {pattern!r}")
            out.append("\\Z" if e == "z" else pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if c == "[" or pattern.startswith("&&", i):
                raise ValueError(f"nested or intersected character class in {pattern!r}")
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern.startswith("]", i + 1) or pattern.startswith("^]", i + 1):
                raise ValueError(f"ambiguous ']' at the start of a class in {pattern!r}")
        elif (
            c == "("
            and re.match(r"\(\?[a-zA-Z<]", pattern[i:])
            and not pattern.startswith(("(?<=", "(?<!"), i)
        ):
            raise ValueError(f"unsupported group or inline flag in {pattern!r}")
        elif c == ".":
            c = _DOT
        elif c == "$":
            c = "\\Z"
        out.append(c)
        i += 1
    if in_class:
        raise ValueError(f"unterminated character class in {pattern!r}")
    return "".join(out)


@functools.cache
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a model pattern; use ``.search`` (model patterns are not implicitly anchored)."""
    return re.compile(translate_pattern(pattern), re.ASCII)
