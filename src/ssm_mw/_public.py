"""Public names show where users import them: ``ssm_mw.TaskDefinition``, not ``ssm_mw._models``.

:func:`publish` sets ``__module__`` on the classes and functions of a public
namespace, as many libraries do, so that reprs, tracebacks, ``help()`` and
pickles name the import path users know. Annotations are resolved first, in
the module that wrote them, so that ``typing.get_type_hints`` keeps working.
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Iterable, Mapping

import attrs

__all__ = ["publish", "publish_exported"]


def publish(namespace: str, objects: Mapping[str, object], names: Iterable[str]) -> None:
    """Make each class and function among ``names`` (in ``objects``) belong to ``namespace``."""
    for name in names:
        obj = objects[name]
        if isinstance(obj, type):
            if obj.__module__ == namespace:
                continue
            if attrs.has(obj):
                attrs.resolve_types(obj)
            if "__annotations__" in vars(obj):
                module = vars(sys.modules[obj.__module__])
                hints = typing.get_type_hints(obj, globalns=module, include_extras=True)
                own = vars(obj)["__annotations__"]
                obj.__annotations__ = {k: v for k, v in hints.items() if k in own}
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
