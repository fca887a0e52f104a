"""The package's shape: imports flow one way, and botocore's wire names stay in one layer.

* Imports flow one way: base <- models <- converter <- client <- cli. A module
  imports only from its own layer or the ones below; ``ssm_mw.testing`` (the
  embedded backend) uses the base and converter layers and never the CLI.
* An operation's botocore name (``"GetMaintenanceWindowTask"``) is spelled
  only in the operation registry (``_operations``); every other module takes
  it from the registry's record.
* The command line (``cli``) takes from ``ssm_mw`` only its public names
  (``ssm_mw.__all__``, and ``ssm_mw.testing``'s): what it needs that a user
  would want too is public, and the rest lives in ``cli``.
* The botocore member names (``WindowId``, ``CutoffBehavior``, ...) are
  spelled only in the converter layer (the converter, the service-model
  helpers, request validation and log redaction) and in the embedded backend,
  which speaks the wire protocol. Everything else goes through the converter.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import ssm_mw
from ssm_mw._operations import OPERATION_NAMES
from ssm_mw._schema import input_schema, output_schema, reachable

PACKAGE = Path(ssm_mw.__file__).resolve().parent
TESTS = Path(__file__).resolve().parent

#: The layer of each module (dotted name below ``ssm_mw``): it imports from layers <= its own.
LAYERS: dict[str, int] = {
    "_version": 0,
    "_enums": 0,
    "_errors": 0,
    "_service_errors": 0,  # ServiceError and kin, botocore ClientErrors (_errors: no botocore)
    "_redact": 0,
    "_public": 0,
    "_operations": 0,  # the operation registry: one record per operation
    "_shapes": 0,  # the service model's shapes
    "_schema": 0,  # the shapes compiled once: every use derives from it
    "_codegen": 0,  # the one code generator (the package's only exec)
    "_fields": 0,  # the models' field conversions (each sequence a tuple), from annotations
    "_jsonform": 0,  # the one JSON form of binary data (text, or {"$base64": ...})
    "_invocation": 1,
    "_models": 1,
    "_rules": 1,  # the real service's rules, one record each (fidelity ledger), on neutral facts
    "_converter": 2,
    "_fastpath": 2,
    "_validation": 2,
    "_logredact": 2,
    "_identifiers": 2,  # check_window_id and its kin: the request validation on one member
    "_redacted": 2,  # to_botocore_redacted: to_botocore with the model's sensitive values hidden
    "_paginator": 3,
    "_config": 3,
    "_client": 3,
    "_fleet": 3,
    "_pacing": 3,
    "_pool": 3,
    "_live": 3,
    "_desired": 3,
    "_plan": 3,
    "_apply": 3,
    "_export": 3,
    "_taskfile": 3,  # task files (JSON or YAML) read into request models
    "_statefile": 3,  # desired-state files (JSON or YAML) read into a DesiredState
    "_scope": 3,  # which accounts and Regions a call covers
    "_organization": 3,  # clients across a scope's accounts and Regions; windows by name
    "": 4,  # ssm_mw/__init__.py: the public namespace over the layers below
    "cli": 5,
    "testing": 2,  # the embedded backend: the wire layer's helpers, nothing above
}
#: The layers whose modules may spell botocore member names.
WIRE_LAYERS = frozenset(
    {
        "_operations",
        "_converter",
        "_fastpath",
        "_shapes",
        "_schema",
        "_validation",
        "_logredact",
        "testing",
    }
)
#: The assignments whose strings are the package's public names (``ssm_mw.__all__``, and
#: ``ssm_mw._SOURCES``: each public name's module), not botocore member names.
PUBLIC_NAME_LISTS = frozenset({"__all__", "_SOURCES"})
#: Strings that are member names but, where they appear, are values of the API itself:
#: the keys of ``Target`` and ``TaskFilter`` (``TaskFilter(key="TaskArn", ...)``).
VALUE_KEYWORDS = frozenset({"key"})


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] in ("__init__", "__main__"):
            parts = parts[:-1] if parts[-1] == "__init__" else parts
        yield ".".join(parts), path


def _layer(module: str) -> str:
    return module.split(".")[0] if module else ""


def _imports(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """The ``ssm_mw`` modules (relative to the package) that ``module`` imports, with lines."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = [p for p in package if p]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.split(".")[0] == "ssm_mw":
                target = node.module.split(".")[1:]
            else:
                continue
            names = [a.name for a in node.names]
            if not target:  # `from . import x` in the package root, or `from ssm_mw import x`
                yield from ((n, node.lineno) for n in names if n in LAYERS)
                if not any(n in LAYERS for n in names):
                    yield "", node.lineno
            else:
                yield ".".join(target), node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "ssm_mw":
                    yield ".".join(parts[1:]), node.lineno


def test_every_module_has_a_layer() -> None:
    """A new module must be placed in a layer here."""
    assert {_layer(m) for m, _ in _modules()} <= set(LAYERS)


def test_imports_flow_one_way() -> None:
    """models <- converter <- client <- cli: no module imports from a layer above its own."""
    wrong = []
    for module, path in _modules():
        own = _layer(module)
        for target, line in _imports(module, path):
            other = _layer(target)
            if other == own:
                continue
            allowed = LAYERS[other] <= LAYERS[own]
            if own == "cli" and other == "testing":
                allowed = True  # `ssm-mw demo` and `ssm-mw serve` run the embedded backend
            if own == "testing" and other == "":
                allowed = True  # the pytest plugin hands out the public client
            if not allowed:
                wrong.append(
                    f"{path.relative_to(PACKAGE)}:{line}: {module or 'ssm_mw'} -> {target}"
                )
    assert wrong == []


def _cli_imports(path: Path) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """Each import of a ``cli`` module: its line, the absolute module, the names it takes."""
    module = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = module if path.name == "__init__.py" else module[:-1]
    package = tuple(p for p in package if p != "__init__")
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            target = ".".join((*base, *(node.module.split(".") if node.module else ())))
            yield node.lineno, target, tuple(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()


def _private_uses(path: Path) -> Iterator[str]:
    """What a ``cli`` module takes from ``ssm_mw`` other than its public names.

    Allowed: ``from .. import X`` (or ``from ssm_mw import X``) for ``X`` in
    ``ssm_mw.__all__``; ``import ssm_mw``; the ``cli`` modules themselves; and
    ``ssm_mw.testing``'s public names (``ssm-mw demo`` and ``serve``).
    """
    import ssm_mw.testing

    public = {"ssm_mw": set(ssm_mw.__all__), "ssm_mw.testing": set(ssm_mw.testing.__all__)}
    where = path.relative_to(PACKAGE)
    aliases: set[str] = set()
    for line, target, names in _cli_imports(path):
        if target.split(".")[0] != "ssm_mw" or target.startswith("ssm_mw.cli"):
            continue
        if target in public and not names:  # `import ssm_mw`, `import ssm_mw.testing`
            aliases.add(target)
            continue
        if target in public:
            for name in names:
                if name not in public[target] and f"{target}.{name}" not in public:
                    yield f"{where}:{line}: from {target} import {name}"
            continue
        yield f"{where}:{line}: {target}"
    # `import ssm_mw` then `ssm_mw._converter...`: an attribute outside __all__.
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr not in public[node.value.id]
        ):
            yield f"{where}:{node.lineno}: {node.value.id}.{node.attr}"


def test_the_cli_uses_the_public_api_only() -> None:
    """cli/ takes from ssm_mw only its public names (and ssm_mw.testing's): what users have."""
    paths = sorted((PACKAGE / "cli").rglob("*.py"))
    assert len(paths) > 5  # the scan sees the command modules
    assert [use for path in paths for use in _private_uses(path)] == []


def _wire_names() -> frozenset[str]:
    """Every member name of every shape the four operations reach, requests and responses."""
    roots = [input_schema(op) for op in OPERATION_NAMES]
    roots += [output_schema(op) for op in OPERATION_NAMES]
    names = {wire for node in reachable(*roots) for wire in node.members}
    # Single words ("Name", "Values", "Key", "Input") are ordinary words too; the ones that
    # are only wire names are those of two words or more.
    return frozenset(n for n in names if sum(c.isupper() for c in n) >= 2)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _spelled_wire_names(path: Path, names: frozenset[str]) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in VALUE_KEYWORDS:
            skip.add(id(node.value))
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        # __all__, and the package's table of where each public name lives: public names.
        if any(isinstance(t, ast.Name) and t.id in PUBLIC_NAME_LISTS for t in targets):
            skip.update(id(n) for n in ast.walk(node.value or node))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and node.value in names
        ):
            yield f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}"


def test_the_wire_names_are_a_real_list() -> None:
    """The scan below looks for real names (a broken walk would make it pass vacuously)."""
    names = _wire_names()
    assert {"WindowId", "WindowTaskId", "CutoffBehavior", "TaskInvocationParameters"} <= names
    assert {"AlarmConfiguration", "ClientToken", "MaxConcurrency", "NextToken"} <= names
    assert len(names) > 30


@pytest.mark.parametrize(
    "module",
    [m for m, _ in _modules() if _layer(m) not in WIRE_LAYERS],
    ids=lambda m: m or "ssm_mw",
)
def test_wire_names_are_spelled_only_in_the_converter_layer(module: str) -> None:
    """Outside the converter layer, no string is a botocore member name such as ``WindowId``."""
    path = dict(_modules())[module]
    assert list(_spelled_wire_names(path, _wire_names())) == []


@pytest.mark.parametrize(
    "module", [m for m, _ in _modules() if m != "_operations"], ids=lambda m: m or "ssm_mw"
)
def test_operation_names_are_spelled_only_in_the_registry(module: str) -> None:
    """Outside ``_operations``, no string (docstrings aside) is an operation's botocore name."""
    path = dict(_modules())[module]
    assert list(_spelled_wire_names(path, frozenset(OPERATION_NAMES))) == []


def _whole_project_checks() -> set[str]:
    """The top-level test files (and folders, with a trailing ``/``) that tests/README.md lists."""
    text = (TESTS / "README.md").read_text(encoding="utf-8")
    section = text.split("## Whole-project checks", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^- `([^`]+)`", section, re.MULTILINE))


def _source_modules(package: Path) -> set[str]:
    """The modules of ``package`` by the name their tests take: ``_fleet.py`` -> ``fleet``."""
    return {p.stem.removeprefix("_") for p in package.glob("*.py")} - {"_init__", "_main__"}


def _misplaced(path: Path, whole_project: set[str]) -> str | None:
    """Why the test file ``path`` (relative to tests/) is named after no source module, if so."""
    if path.as_posix() in whole_project:
        return None
    package = PACKAGE
    *folders, name = path.parts
    for i, folder in enumerate(folders):
        where = package.relative_to(PACKAGE.parent).as_posix()
        if (package / folder / "__init__.py").exists():
            package = package / folder  # tests/cli/ mirrors src/ssm_mw/cli/
        elif folder in _source_modules(package) and i == len(folders) - 1:
            return None  # tests/fleet/test_<aspect>.py: the tests of one module
        else:
            return f"{path}: {folder}/ is no module or package of {where}"
    module = name.removeprefix("test_").removesuffix(".py")
    if name.startswith("test_") and module in _source_modules(package):
        return None
    return f"{path}: {module} is no module of {package.relative_to(PACKAGE.parent).as_posix()}"


def _test_files() -> Iterator[Path]:
    """Every Python file under tests/ but support/, the listed folders, conftests and packages."""
    skip = {"support", "__pycache__", *(p.rstrip("/") for p in _whole_project_checks())}
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(TESTS)
        if relative.name in ("conftest.py", "__init__.py") or skip & set(relative.parts[:-1]):
            continue
        yield relative


def test_the_tests_mirror_the_source() -> None:
    """Every test file is named after the source module it tests, or is a whole-project check.

    ``_X.py`` -> ``test_X.py`` or ``X/test_<aspect>.py``, in the folder that mirrors its
    package (``tests/cli/``, ``tests/testing/``); the checks of no one module are listed
    in tests/README.md.
    """
    listed = _whole_project_checks()
    assert {"test_architecture.py", "typing/"} <= listed
    assert all((TESTS / name).exists() for name in listed)
    # The guard refuses what it should (a broken walk would pass vacuously).
    assert _misplaced(Path("cli/test_fleet_library.py"), listed)  # a library test in cli/
    assert _misplaced(Path("reliability/test_faults.py"), listed)  # a theme, not a module
    assert _misplaced(Path("fleet/test_throttling.py"), listed) is None
    files = list(_test_files())
    assert len(files) > 40
    assert [why for path in files if (why := _misplaced(path, listed))] == []
