"""A griffe extension for the docs site: the docstrings' Sphinx markup, as Markdown.

ssm-mw's docstrings are written for Sphinx (IDEs render them so); the site is
built by mkdocstrings, which renders docstrings as Markdown. mkdocs.yml loads
this extension (``extensions:`` of the mkdocstrings handler); it rewrites
every docstring of the package once it is loaded, before mkdocstrings parses
any, and leaves the source alone:

- a cross-reference role (``:class:`~ssm_mw.TaskDefinition```, ``:meth:`start```,
  ``:func:`text <target>```) becomes a mkdocs-autorefs link to the entry of
  the object it names: ``[`TaskDefinition`][ssm_mw.TaskDefinition]``. A
  bare name is looked up as Sphinx does: in the docstring's own class, then
  its enclosing classes and modules, then the public namespaces. A name that
  is not documented on the site (the standard library, private helpers) is
  inline code, never a link that autorefs could not resolve;
- a literal block (a paragraph ending in ``::`` followed by an indented
  block, as ``Example::``) becomes a fenced code block, ``python`` when the
  block compiles as Python (top-level ``await`` allowed), ``text`` otherwise;
  the ``::`` becomes ``:`` as Sphinx shows it (or goes, after a space).

Only documented names are links: the names in the ``__all__`` of the public
namespaces (the ``namespaces`` option) and the public members (no leading
underscore) of those classes, which the reference pages render. A member a
public class inherits is linked on the base's entry when the base is public,
and on the class's own entry otherwise (the page shows a private base's
members with ``inherited_members``).
"""

from __future__ import annotations

import ast
import logging
import re
import textwrap
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import griffe

__all__ = ["SphinxMarkup", "rewrite", "rewrite_literal_blocks", "rewrite_roles"]

logger = logging.getLogger(__name__)

#: The Python domain's cross-reference roles (``:py:`` prefix optional).
ROLES = ("func", "class", "meth", "attr", "data", "exc", "mod", "obj", "const")
#: An inline literal (left as it is; it may wrap onto the next line) or a role and its target.
_INLINE = re.compile(
    r"``(?:[^`]|`(?!`))+?``"
    rf"|:(?:py:)?(?:{'|'.join(ROLES)}):`(?P<target>[^`\n]+)`"
)
#: A role's explicit title: ``text <target>``.
_TITLED = re.compile(r"(?P<title>.*?)\s*<(?P<target>[^<>]+)>\s*$", re.DOTALL)
_FENCE = re.compile(r"^\s*(```|~~~)")

#: Looks a role's target up: its public path on the site, or None.
Resolve = Callable[[str], "str | None"]


def _link(text: str, resolve: Resolve) -> str:
    """The Markdown for one role's text (what is between its backticks)."""
    titled = _TITLED.match(text)
    title, target = (titled["title"], titled["target"]) if titled else (None, text)
    target = target.strip()
    no_link = target.startswith("!")
    target = target.lstrip("!")
    short = target.startswith("~")
    target = target.lstrip("~.")
    shown = target.rsplit(".", 1)[-1] if short else target
    label = title if title else f"`{shown}`"
    path = None if no_link else resolve(target)
    if path is None:
        return f"`{title}`" if title else label
    return f"[{label}][{path}]"


def rewrite_roles(text: str, resolve: Resolve) -> str:
    """``text`` with each role outside code (fenced or inline) made a link or inline code."""
    out: list[str] = []
    prose: list[str] = []

    def flush() -> None:
        if prose:
            out.append(
                _INLINE.sub(
                    lambda m: m[0] if m["target"] is None else _link(m["target"], resolve),
                    "\n".join(prose),
                )
            )
            prose.clear()

    fence: str | None = None  # the fence of the code block the line is in
    for line in text.split("\n"):
        opening = _FENCE.match(line) if fence is None else None
        if opening is not None:
            flush()
            fence = opening[1]
            out.append(line)
        elif fence is not None:
            out.append(line)
            if line.strip() == fence:
                fence = None
        else:
            prose.append(line)
    flush()
    return "\n".join(out)


def _indent(line: str) -> int:
    """The number of spaces ``line`` starts with."""
    return len(line) - len(line.lstrip(" "))


_BULLET = re.compile(r" *(?:[*+-]|\d+[.)]) +")


def _text_indent(line: str) -> int:
    """Where the text of ``line`` starts: after its indentation, and a list item's bullet."""
    bullet = _BULLET.match(line)
    return bullet.end() if bullet else _indent(line)


def _language(block: str) -> str:
    """``python`` if ``block`` compiles as Python (top-level ``await`` too), else ``text``."""
    try:
        compile(block, "<docstring>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except (SyntaxError, ValueError):
        return "text"
    return "python"


def rewrite_literal_blocks(text: str) -> str:
    """``text`` with each reST literal block (after a ``::`` paragraph) a fenced code block."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.rstrip()
        after = i + 1
        while after < len(lines) and not lines[after].strip():
            after += 1
        margin = _text_indent(line)
        if not (
            stripped.endswith("::")
            and after > i + 1  # reST wants a blank line before the block
            and after < len(lines)
            and _indent(lines[after]) > margin
        ):
            out.append(line)
            i += 1
            continue
        # The marker as Sphinx shows it: "Example::" is "Example:", "text ::" is "text",
        # a paragraph of "::" alone goes.
        if stripped.strip() != "::":
            out.append(stripped[:-2].rstrip() if stripped[:-2].endswith(" ") else stripped[:-1])
        end = after
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > margin):
            end += 1
        block = textwrap.dedent("\n".join(lines[after:end])).strip("\n")
        pad = " " * margin
        if out and out[-1].strip():
            out.append("")
        out.append(f"{pad}```{_language(block)}")
        out.extend(f"{pad}{code}" if code else "" for code in block.split("\n"))
        out.append(f"{pad}```")
        if end < len(lines):
            out.append("")
        i = end
    return "\n".join(out)


def rewrite(text: str, resolve: Resolve) -> str:
    """A Sphinx docstring as Markdown: literal blocks fenced, then roles made links."""
    return rewrite_roles(rewrite_literal_blocks(text), resolve)


class _Missing:
    """A name that a scope does not have (as opposed to one it has but the site does not show)."""


_MISSING = _Missing()


class _Site:
    """Which objects of a package the reference pages document, and under which path."""

    def __init__(self, package: griffe.Module, namespaces: Sequence[str]) -> None:
        self.package = package
        self.namespaces: list[griffe.Object] = []
        #: An object's own path (``ssm_mw._plan.Plan``) to its path on the site (``ssm_mw.Plan``).
        self.public: dict[str, str] = {}
        for name in namespaces:
            module = package.modules_collection.get_member(name)
            target = self._target(module)
            if target is None or not target.is_module:
                raise griffe.ExtensionError(f"{name} is not a module of {package.name}")
            self.namespaces.append(target)
            self.public.setdefault(target.path, name)
        for module in self.namespaces:
            for export in module.exports or ():
                member = module.members.get(str(export))
                target = self._target(member) if member is not None else None
                if target is not None:
                    self.public.setdefault(target.path, f"{module.path}.{export}")

    @staticmethod
    def _target(obj: griffe.Object | griffe.Alias) -> griffe.Object | None:
        """The object itself, or an alias's final target; None outside the loaded packages."""
        if not isinstance(obj, griffe.Alias):
            return obj
        try:
            return obj.final_target
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None

    def _walk(self, scope: griffe.Object, parts: Sequence[str]) -> str | _Missing | None:
        """The site path of ``parts`` looked up from ``scope``; _MISSING if scope lacks parts[0]."""
        current = scope
        path = self.public.get(scope.path)
        for index, part in enumerate(parts):
            members = current.all_members if current.is_class else current.members
            member = members.get(part)
            if member is None:
                return _MISSING if index == 0 else None
            target = self._target(member)
            if target is None:
                return None
            if target.path in self.public:
                path = self.public[target.path]
            elif path is not None and current.is_class and not part.startswith("_"):
                owner = target.parent
                inherited = isinstance(member, griffe.Alias) and member.inherited
                if inherited and owner is not None and owner.path in self.public:
                    path = f"{self.public[owner.path]}.{part}"
                else:
                    path = f"{path}.{part}"
            else:
                path = None
            current = target
        return path

    def _scopes(self, owner: griffe.Object) -> Iterator[griffe.Object]:
        """Where a bare name in ``owner``'s docstring is looked up, innermost first."""
        scope: griffe.Object | None = owner if (owner.is_class or owner.is_module) else owner.parent
        while scope is not None:
            yield scope
            scope = scope.parent
        yield from self.namespaces

    def resolve(self, owner: griffe.Object, target: str) -> str | None:
        """The site path of ``target`` as written in ``owner``'s docstring, or None."""
        parts = target.split(".")
        if parts[0] == self.package.name:
            found = self._walk(self.package, parts[1:]) if parts[1:] else self.public.get(target)
            if not isinstance(found, _Missing):
                return found
        for scope in self._scopes(owner):
            found = self._walk(scope, parts)
            if not isinstance(found, _Missing):
                return found
        return None


def _objects(obj: griffe.Object) -> Iterator[griffe.Object]:
    """``obj`` and every object declared in it, aliases left out."""
    yield obj
    for member in obj.members.values():
        if not isinstance(member, griffe.Alias):
            yield from _objects(member)


class SphinxMarkup(griffe.Extension):
    """Rewrite the Sphinx markup of a package's docstrings as Markdown (see the module)."""

    def __init__(self, namespaces: Sequence[str]) -> None:
        """``namespaces``: the public modules (``ssm_mw``, ...) whose ``__all__`` the site shows."""
        super().__init__()
        self.namespaces = list(namespaces)
        self.done: set[str] = set()

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Rewrite every docstring of the package that holds the namespaces, once."""
        if pkg.name in self.done or not any(
            name.split(".")[0] == pkg.name for name in self.namespaces
        ):
            return
        self.done.add(pkg.name)
        site = _Site(pkg, self.namespaces)
        for obj in _objects(pkg):
            docstring = obj.docstring
            if docstring is None:
                continue

            def resolve(target: str, owner: griffe.Object = obj) -> str | None:
                path = site.resolve(owner, target)
                if path is None:
                    logger.debug("%s: %r is not on the site: inline code", owner.path, target)
                return path

            docstring.value = rewrite(docstring.value, resolve)
