"""The public namespace: explicit, sorted, documented, and free of optional dependencies."""

from __future__ import annotations

import inspect
import subprocess
import sys

import ssm_mw


def test_all_is_sorted_and_unique() -> None:
    """__all__ is sorted and lists each name once."""
    assert list(ssm_mw.__all__) == sorted(set(ssm_mw.__all__))


def test_all_matches_public_names() -> None:
    """Every public name of the package is in __all__, and every name in __all__ exists."""
    public = {
        name
        for name, value in vars(ssm_mw).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert public | {"__version__"} == set(ssm_mw.__all__)


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


def test_exported_objects_belong_to_the_package() -> None:
    """Every exported class and function is defined inside ssm_mw (nothing leaks from deps)."""
    foreign = [
        name
        for name in ssm_mw.__all__
        if (inspect.isclass(obj := getattr(ssm_mw, name)) or inspect.isfunction(obj))
        and not obj.__module__.startswith("ssm_mw")
    ]
    assert foreign == []


def test_import_does_not_pull_in_optional_dependencies() -> None:
    """`import ssm_mw` imports neither moto, click, rich nor yaml (checked in a fresh process)."""
    code = (
        "import sys, ssm_mw\n"
        "bad = sorted(m for m in ('moto', 'click', 'rich', 'yaml', 'werkzeug', 'flask')"
        " if m in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


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
