"""Public names show where users import them: ``ssm_mw.TaskDefinition``, not ``ssm_mw._models``.

:func:`publish` sets ``__module__`` on the classes and functions of a public
namespace, as many libraries do, so that reprs, tracebacks, ``help()`` and
pickles name the import path users know. Annotations are resolved first, in
the module that wrote them, so that ``typing.get_type_hints`` keeps working.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

__all__ = ["publish", "publish_exported"]


#: Each annotation's text compiled once: many members share one (``str | None``).
_COMPILED: dict[str, types.CodeType] = {}


def _resolve(cls: type, module: dict[str, Any]) -> None:
    """Replace ``cls``'s own string annotations with what they name, in ``module``.

    What ``typing.get_type_hints`` does for a class's own annotations, with each
    distinct text compiled once for the whole package.
    """
    own: dict[str, Any] = vars(cls)["__annotations__"]
    local = dict(vars(cls))
    resolved: dict[str, Any] = {}
    for name, annotation in own.items():
        if isinstance(annotation, str):
            code = _COMPILED.get(annotation)
            if code is None:
                code = _COMPILED[annotation] = compile(annotation, "<annotation>", "eval")
            annotation = eval(code, module, local)
        resolved[name] = annotation
    cls.__annotations__ = resolved


def publish(namespace: str, objects: Mapping[str, object], names: Iterable[str]) -> None:
    """Make each class and function among ``names`` (in ``objects``) belong to ``namespace``.

    A name that is a builtin at run time (a type alias for type checkers, such as
    ``TargetKey``) is left as it is.
    """
    for name in names:
        obj = objects[name]
        if isinstance(obj, type):
            if obj.__module__ in (namespace, "builtins"):
                continue
            module = vars(sys.modules[obj.__module__])
            if "__annotations__" in vars(obj):
                _resolve(obj, module)
            if attrs.has(obj):
                # The annotations are objects now: attrs reads them without evaluating.
                attrs.resolve_types(obj, globalns=module, include_extras=True)
            obj.__module__ = namespace
        elif isinstance(obj, types.FunctionType):
            obj.__module__ = namespace


def publish_exported(objects: Mapping[str, object], names: Iterable[str]) -> None:
    """:func:`publish` those of ``names`` that ``ssm_mw`` exports, as ``ssm_mw.X``.

    For the modules that ``ssm_mw`` imports on first use (its ``_ON_FIRST_USE``):
    called at their end, it gives their public names the public path however
    the module was reached (``ssm_mw.apply_plan``, or an import of the module).
    """
    exported: set[str] = set(getattr(sys.modules["ssm_mw"], "__all__", ()))
    publish("ssm_mw", objects, [name for name in names if name in exported])
