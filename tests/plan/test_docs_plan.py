"""docs/plan.md is executed: its file, its outputs and its Python run on the embedded backend."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import Run
from ssm_mw import MaintenanceWindowClient, TaskUpdate
from ssm_mw.testing import EmbeddedSSMServer

DOC = Path(__file__).resolve().parents[2] / "docs" / "plan.md"
DOC_WINDOW = "mw-0123456789abcdef0"
DOC_IDS = ("3f1b6c2e-8a4d-4e5f-9b7a-1c2d3e4f5a6b", "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a")
_BLOCK = re.compile(r"<!-- docs-example: (?P<name>[^>]+?) -->\n```\w*\n(?P<body>.*?)\n```", re.S)


def _examples() -> dict[str, str]:
    return {m["name"]: m["body"] for m in _BLOCK.finditer(DOC.read_text(encoding="utf-8"))}


def _console(name: str) -> tuple[list[str], list[str]]:
    """The command (argv after ``ssm-mw``) and the output lines of a console example."""
    first, *output = _examples()[name].splitlines()
    assert first.startswith("$ ssm-mw ")
    return first.removeprefix("$ ssm-mw ").split(), output


def _same(expected: list[str], actual: str, replace: dict[str, str]) -> None:
    """The output matches the example, ``...`` standing for any lines before the rest."""
    text = actual
    for old, new in replace.items():
        text = text.replace(new, old)
    lines = text.splitlines()
    if expected and expected[0] == "...":
        expected = expected[1:]
        lines = lines[len(lines) - len(expected) :]
    assert lines == expected


def test_the_worked_example_runs_as_documented(
    run: Run, ssm_server: EmbeddedSSMServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file, the first plan, the error, apply, in sync, drift and the stale plan, verbatim."""
    examples = _examples()
    window = ssm_server.create_maintenance_window(name="docs")
    monkeypatch.chdir(tmp_path)
    Path("tasks.yaml").write_text(examples["tasks.yaml"].replace(DOC_WINDOW, window), "utf-8")
    names = {DOC_WINDOW: window}

    argv, expected = _console("first plan")
    _same(expected, run(*argv).stdout, names)

    good = Path("tasks.yaml").read_text("utf-8")
    Path("tasks.yaml").write_text(good.replace("Priority: 1", "Priorty: 1"), "utf-8")
    argv, expected = _console("invalid")
    result = run(*argv)
    assert result.exit_code == 2
    _same(expected, result.stderr, names)
    Path("tasks.yaml").write_text(good, "utf-8")

    argv, expected = _console("apply")
    result = run(*argv)
    assert result.exit_code == 0, result.stderr
    created = re.findall(r"created +\S+/(\S+) +(\S+)", result.stdout)
    ids = dict(created)
    names.update({DOC_IDS[0]: ids["nightly-patch"], DOC_IDS[1]: ids["notify-team"]})
    _same(expected, result.stdout, names)

    argv, expected = _console("in sync")
    result = run(*argv)
    assert result.exit_code == 0
    _same(expected, result.stdout, names)

    # Export what is live: the note on stderr, and a file that plans as all unchanged.
    argv, expected = _console("export")
    assert argv[-2:] == [">", "tasks.yaml"]
    result = run(*[names.get(a, a) for a in argv[:-2]])
    assert result.exit_code == 0, result.stderr
    _same(expected, result.stderr, names)
    Path("exported.yaml").write_text(result.stdout, "utf-8")
    assert run("plan", "exported.yaml", "--check").exit_code == 0

    drift = ["tasks", "update", window, ids["nightly-patch"], "--priority", "4"]
    assert run(*drift).exit_code == 0
    argv, expected = _console("drift")
    _same(expected, run(*argv).stdout, names)

    # A saved plan of that update; then the task changes again before it is applied.
    assert run("plan", "tasks.yaml", "--out", "tasks.plan").exit_code == 0
    assert run(*drift[:-1], "5").exit_code == 0
    argv, expected = _console("stale")
    result = run(*argv)
    assert result.exit_code == 1
    _same(expected, result.stderr, names)


async def test_the_python_example_runs(
    mw_client: MaintenanceWindowClient, maintenance_window_id: str
) -> None:
    """The library example converges a window and round-trips it through export."""
    namespace: dict[str, object] = {}
    exec(compile(_examples()["python"], str(DOC), "exec"), namespace)
    converge = namespace["converge"]
    await converge(mw_client, maintenance_window_id)  # type: ignore[operator]
    (task,) = [t async for t in mw_client.paginate_maintenance_window_tasks(maintenance_window_id)]
    assert task.name == "notify-team"
    assert TaskUpdate  # the doc's names are the public ones
