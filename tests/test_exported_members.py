"""The public namespace: explicit, sorted, documented, and free of optional dependencies."""

from __future__ import annotations

import ast
import contextlib
import inspect
import traceback
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import ssm_mw
import ssm_mw.testing as ssm_mw_testing
from support.fresh import fresh_python


def test_all_is_sorted_and_unique() -> None:
    """__all__ is sorted and lists each name once."""
    assert list(ssm_mw.__all__) == sorted(set(ssm_mw.__all__))


def test_all_matches_public_names() -> None:
    """Every public name of the package is in __all__, and every name in __all__ exists."""
    public = {
        name
        for name in dir(ssm_mw)
        if not name.startswith("_") and not inspect.ismodule(getattr(ssm_mw, name))
    }
    assert public | {"__version__"} == set(ssm_mw.__all__)


def _fresh(code: str) -> str:
    """What ``code`` prints in a fresh interpreter."""
    return fresh_python(code).strip()


#: The desired-state and fleet-wide modules (and theirs): imported on first use of their names.
_LAZY_MODULES = (
    "_apply",
    "_desired",
    "_export",
    "_fleet",
    "_live",
    "_pacing",
    "_plan",
    "_pool",
    "_statefile",
)


def test_import_leaves_the_desired_state_and_fleet_modules_for_first_use() -> None:
    """`import ssm_mw` (and a client) does not import plan/apply/export/fleet; a name does."""
    code = (
        "import sys, ssm_mw\n"
        "modules = " + repr(_LAZY_MODULES) + "\n"
        "print(sorted(m for m in modules if f'ssm_mw.{m}' in sys.modules))\n"
        "ssm_mw.MaintenanceWindowClient(region_name='us-east-1')\n"
        "print(sorted(m for m in modules if f'ssm_mw.{m}' in sys.modules))\n"
        "apply_plan = ssm_mw.apply_plan\n"
        "print(apply_plan.__module__, 'apply_plan' in vars(ssm_mw), repr(ssm_mw.ApplyReport))\n"
    )
    assert _fresh(code).splitlines() == [
        "[]",
        "[]",
        "ssm_mw True <class 'ssm_mw.ApplyReport'>",
    ]


def test_lazily_imported_names_show_as_public_however_their_module_is_reached() -> None:
    """A private import of a lazily loaded module (as the CLI does) still gives ssm_mw.X."""
    code = (
        "from ssm_mw._desired import DesiredState\n"
        "from ssm_mw._fleet import CutoffCancelledError\n"
        "print(repr(DesiredState), CutoffCancelledError.__module__)\n"
    )
    assert _fresh(code) == "<class 'ssm_mw.DesiredState'> ssm_mw"


def test_the_type_checkers_imports_are_the_lazy_table() -> None:
    """What mypy and pyright see (the TYPE_CHECKING imports) is what ``ssm_mw.X`` imports.

    ``ssm_mw._SOURCES`` maps each module to its public names; the imports under
    ``if TYPE_CHECKING:`` must name the same modules and names, each name once, and
    together with ``__version__`` they are ``__all__``.
    """
    import ast
    import importlib

    tree = ast.parse(Path(ssm_mw.__file__).read_text(encoding="utf-8"))
    (block,) = [
        node
        for node in tree.body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    ]
    seen: dict[str, tuple[str, ...]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        assert node.level == 1
        assert node.module is not None
        seen[node.module] = tuple(alias.name for alias in node.names)
    sources: dict[str, tuple[str, ...]] = ssm_mw._SOURCES  # type: ignore[attr-defined]
    assert seen == sources
    names = [name for found in sources.values() for name in found]
    assert len(names) == len(set(names))
    assert {*names, "__version__"} == set(ssm_mw.__all__)
    for module, found in sources.items():
        assert set(found) <= set(importlib.import_module(f"ssm_mw.{module}").__all__), module


def test_import_imports_no_private_module_but_the_version() -> None:
    """`import ssm_mw` is cheap: no model, no attrs, no botocore until a name is used."""
    code = """if True:
        import sys, ssm_mw
        print(sorted(m for m in sys.modules if m.startswith("ssm_mw")))
        print(sorted(m for m in ("attrs", "botocore", "aiobotocore") if m in sys.modules))
        from ssm_mw import CutoffBehavior, TaskDefinition, ValidationError
        print(sorted(m for m in ("botocore", "aiobotocore", "aiohttp") if m in sys.modules))
    """
    assert _fresh(code).splitlines() == ["['ssm_mw', 'ssm_mw._version']", "[]", "[]"]


def test_star_import_gives_every_public_name() -> None:
    """`from ssm_mw import *` binds every name of __all__, each the object ssm_mw.X is."""
    code = """if True:
        from ssm_mw import *
        import ssm_mw
        names = dict(globals())
        print(all(names[n] is getattr(ssm_mw, n) for n in ssm_mw.__all__))
    """
    assert _fresh(code) == "True"


def test_an_unknown_attribute_is_an_attribute_error() -> None:
    """The lazy lookup does not turn a typo into anything but AttributeError."""
    with pytest.raises(AttributeError, match="module 'ssm_mw' has no attribute 'plan_task'"):
        ssm_mw.plan_task  # type: ignore[attr-defined]  # noqa: B018


def test_public_names_have_docstrings() -> None:
    """Every exported class and function carries its own docstring."""
    undocumented = [
        name
        for name in ssm_mw.__all__
        if (inspect.isclass(obj := getattr(ssm_mw, name)) or inspect.isfunction(obj))
        and not (obj.__doc__ or "").strip()
    ]
    assert undocumented == []


def test_public_methods_have_docstrings() -> None:
    """Every public method and classmethod of an exported class carries a docstring."""
    missing = []
    for name in ssm_mw.__all__:
        cls = getattr(ssm_mw, name)
        if not inspect.isclass(cls) or issubclass(cls, BaseException):
            continue
        for attr, member in vars(cls).items():
            func = member.__func__ if isinstance(member, classmethod | staticmethod) else member
            if attr.startswith("_") or not callable(func):
                continue
            if not (getattr(func, "__doc__", None) or "").strip():
                missing.append(f"{name}.{attr}")
    assert missing == []


#: Type aliases that type checkers see as a ``Literal`` and that are a builtin at run time.
RUNTIME_ALIASES: dict[str, type] = {"TargetKey": str}


def test_exported_objects_belong_to_the_package() -> None:
    """Every exported class and function is defined inside ssm_mw (nothing leaks from deps),
    but for the type aliases that are a builtin at run time."""
    foreign = [
        name
        for name in ssm_mw.__all__
        if (inspect.isclass(obj := getattr(ssm_mw, name)) or inspect.isfunction(obj))
        and not obj.__module__.startswith("ssm_mw")
        and RUNTIME_ALIASES.get(name) is not obj
    ]
    assert foreign == []


def _annotation_names(node: ast.AST) -> Iterator[str]:
    """Every name an annotation spells (``Literal["a"] | _X`` gives Literal, _X)."""
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            yield child.id
        elif isinstance(child, ast.Constant) and isinstance(child.value, str):
            with contextlib.suppress(SyntaxError):  # a quoted annotation, or a Literal's value
                yield from _annotation_names(ast.parse(child.value, mode="eval"))


def test_public_annotations_spell_no_private_alias() -> None:
    """No annotation of a public class, method or function, as written, names a private
    alias (one for type checkers only, which pyright shows in an error, as ``_TargetKey``
    was): the source is read, since such an alias is not there at run time."""
    public = set(ssm_mw.__all__)
    found = []
    for path in sorted(Path(ssm_mw.__file__).parent.glob("_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for top in tree.body:
            if not isinstance(top, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if top.name not in public:
                continue
            for node in ast.walk(top):
                annotations: list[ast.expr] = []
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    if node.name.startswith("_") and node.name != "__init__":
                        continue
                    every = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                    annotations += [a.annotation for a in every if a.annotation is not None]
                    if node.returns is not None:
                        annotations.append(node.returns)
                elif isinstance(node, ast.AnnAssign) and node in top.body:
                    annotations.append(node.annotation)
                for annotation in annotations:
                    private = [
                        n
                        for n in _annotation_names(annotation)
                        if n.startswith("_") and not n.startswith("__")
                    ]
                    found += [f"{path.name}:{annotation.lineno}: {top.name}: {n}" for n in private]
    assert found == []


def test_import_does_not_pull_in_optional_dependencies() -> None:
    """`import ssm_mw` imports neither moto, click, rich nor yaml (checked in a fresh process)."""
    code = (
        "import sys, ssm_mw\n"
        "bad = sorted(m for m in ('moto', 'click', 'rich', 'yaml', 'werkzeug', 'flask')"
        " if m in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    assert fresh_python(code).strip() == ""


def test_runtime_modules_do_not_import_optional_dependencies() -> None:
    """No runtime module (outside cli/ and testing/) names moto, click or rich in an import."""
    import pathlib

    root = pathlib.Path(ssm_mw.__file__).parent
    offenders = []
    for path in root.glob("*.py"):
        for line in path.read_text().splitlines():
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")) and any(
                f" {dep}" in stripped or f" {dep}." in stripped for dep in ("moto", "click", "rich")
            ):
                offenders.append(f"{path.name}: {stripped}")
    assert offenders == []


# -- what users see: ssm_mw.X, and public types in every public signature ---------------

#: The public namespaces and what they export.
_NAMESPACES = {"ssm_mw": ssm_mw, "ssm_mw.testing": ssm_mw_testing}
#: Modules whose types a public signature may name besides the package's own.
_STANDARD = {"builtins", "typing", "typing_extensions", "types", "collections.abc"}


def _public_objects() -> list[tuple[str, object]]:
    """Each public class and function (not the run-time builtins of type aliases)."""
    found = []
    for namespace, module in _NAMESPACES.items():
        for name in module.__all__:
            obj = getattr(module, name)
            if RUNTIME_ALIASES.get(name) is obj:
                continue
            if inspect.isclass(obj) or inspect.isfunction(obj):
                found.append((f"{namespace}.{name}", obj))
    return found


def test_public_classes_and_functions_show_as_their_public_path() -> None:
    """`ssm_mw.TaskDefinition`, not `ssm_mw._models.TaskDefinition`: reprs, tracebacks, help()."""
    wrong = [
        f"{path}: {obj.__module__}"  # type: ignore[attr-defined]
        for path, obj in _public_objects()
        if f"{obj.__module__}.{obj.__qualname__}" != path  # type: ignore[attr-defined]
    ]
    assert wrong == []
    assert repr(ssm_mw.RunCommandParameters) == "<class 'ssm_mw.RunCommandParameters'>"
    error = ssm_mw.ValidationError.single("x", "y")
    assert "".join(traceback.format_exception_only(type(error), error)).startswith(
        "ssm_mw.ValidationError: "
    )


def _signatures(obj: object) -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every public callable a user calls: the function, or a class's __init__ and methods."""
    if inspect.isfunction(obj):
        yield "", obj
        return
    assert isinstance(obj, type)
    if "__init__" in vars(obj) or attrs.has(obj):
        yield ".__init__", obj.__init__
    for name, member in vars(obj).items():
        if name.startswith("_"):
            continue
        if isinstance(member, (classmethod, staticmethod)):
            yield f".{name}", member.__func__
        elif isinstance(member, property) and member.fget is not None:
            yield f".{name}", member.fget
        elif inspect.isfunction(member):
            yield f".{name}", member


def _names_in(hint: object) -> Iterator[object]:
    """Every class a type hint names (unions, generics and Literal values taken apart)."""
    if typing.get_origin(hint) is typing.Literal:
        return
    if isinstance(hint, type) and not typing.get_args(hint):
        yield hint
    origin = typing.get_origin(hint)
    if isinstance(origin, type):
        yield origin
    for arg in typing.get_args(hint):
        if arg is not Ellipsis and not isinstance(arg, list):
            yield from _names_in(arg)
        elif isinstance(arg, list):  # Callable[[...], R]
            for inner in arg:
                yield from _names_in(inner)


def _is_public(cls: type) -> bool:
    module = cls.__module__
    if module in _STANDARD:
        return True
    if module in _NAMESPACES:
        return (
            not cls.__name__.startswith("_") and getattr(_NAMESPACES[module], cls.__name__) is cls
        )
    # Another distribution's type (aiobotocore, botocore, the stubs): its own public name.
    return not module.startswith("ssm_mw") and not cls.__name__.startswith("_")


def test_public_signatures_name_public_types_only() -> None:
    """No `_Default`, no `ssm_mw._invocation.X`: every type in a public signature is public."""
    import collections.abc

    from aiobotocore.config import AioConfig
    from aiobotocore.session import AioSession
    from types_aiobotocore_ssm import SSMClient

    # The names an annotation may use that its function's globals lack (attrs' __init__,
    # imports under TYPE_CHECKING).
    standard = [(n, getattr(m, n)) for m in (typing, collections.abc) for n in m.__all__]
    exported = {n: getattr(m, n) for m in (ssm_mw, ssm_mw_testing) for n in m.__all__}
    names: dict[str, Any] = {**dict(standard), **exported}
    names.update(SSMClient=SSMClient, AioSession=AioSession, AioConfig=AioConfig)
    wrong = []
    checked = 0
    for path, obj in _public_objects():
        for where, func in _signatures(obj):
            hints = typing.get_type_hints(func, localns=names)
            for param, hint in hints.items():
                checked += 1
                for cls in _names_in(hint):
                    if isinstance(cls, type) and not _is_public(cls):
                        wrong.append(f"{path}{where}({param}): {cls.__module__}.{cls.__name__}")
    assert checked > 100
    assert wrong == []


def test_the_declarative_task_set_api_is_public() -> None:
    """plan, apply and export, and the values they take and return, are in the flat namespace."""
    names = {
        "ApplyOutcome", "ApplyProgress", "ApplyReport", "DesiredState", "ExportReport",
        "MemberChange", "Plan", "PlanAction", "PlanConflict", "PlanError", "SkippedTask",
        "StalePlanError", "StaleTask", "TaskPlan", "TaskResult", "apply_plan", "export_tasks",
        "plan_tasks",
    }  # fmt: skip
    assert names <= set(ssm_mw.__all__)
    assert issubclass(ssm_mw.PlanError, ssm_mw.SsmMwError)
    assert issubclass(ssm_mw.StalePlanError, ssm_mw.SsmMwError)
