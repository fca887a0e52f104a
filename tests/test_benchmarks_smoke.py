"""The benchmarks keep working: the harness's arithmetic, and every benchmark at tiny sizes.

Benchmarks are not timed tests: nothing here checks a figure against a
target. Each benchmark runs once at its smoke sizes (its server processes and
children included), and ``python -m benchmarks --smoke`` runs end to end.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import BENCHMARKS
from benchmarks._canned import CannedPages, canned_client
from benchmarks._fixtures import (
    WINDOW_ID,
    full_get_response,
    full_task_definition,
    page_body,
)
from benchmarks._harness import Result, format_table, interleave, write_json
from benchmarks.pydantic_models import MaintenanceWindowTaskDetailsModel

from ssm_mw import (
    MaintenanceWindowClient,
    MaintenanceWindowTaskDetails,
    from_botocore,
    to_botocore,
)
from ssm_mw._validation import validate_request


def test_ratio_and_target_of_a_ceiling() -> None:
    """A ceiling target compares ours / baseline."""
    r = Result(name="x", description="", ours=2.0, baseline=10.0, unit="s", target=0.35)
    assert r.ratio == pytest.approx(0.2)
    assert r.met
    assert not Result(name="x", description="", ours=4, baseline=10, unit="s", target=0.35).met


def test_ratio_and_target_of_a_speedup() -> None:
    """A floor target compares baseline / ours (a speed-up)."""
    r = Result(
        name="x", description="", ours=1.0, baseline=9.0, unit="s", target=8, higher_is_better=True
    )
    assert r.ratio == pytest.approx(9.0)
    assert r.met
    assert r.target_text == ">= 8x faster"


def test_interleave_alternates_the_order() -> None:
    """Contenders alternate which goes first, round after round."""
    calls: list[str] = []
    samples = interleave([lambda: calls.append("a") or 1.0, lambda: calls.append("b") or 2.0], 3)
    assert calls == ["a", "b", "b", "a", "a", "b"]
    assert samples == [[1.0] * 3, [2.0] * 3]


def test_table_and_json(tmp_path: Path) -> None:
    """The table names every result; the JSON holds ratios, targets and the machine."""
    results = [
        Result(name="B9 thing", description="d", ours=1e-5, baseline=2e-5, unit="s", target=0.6)
    ]
    table = format_table(results)
    assert "B9 thing" in table
    assert "0.500x" in table
    assert "yes" in table
    path = tmp_path / "out.json"
    write_json(path, results, smoke=True, elapsed=1.0)
    data = json.loads(path.read_text())
    assert data["results"][0]["ratio"] == pytest.approx(0.5)
    assert data["results"][0]["met"] is True
    assert data["environment"]["nproc"] >= 1


def test_the_fixtures_describe_the_same_task() -> None:
    """The full get response, the task definition and the pydantic model agree."""
    response = full_get_response()
    details = from_botocore(response, MaintenanceWindowTaskDetails)
    assert to_botocore(details) == response
    definition = to_botocore(full_task_definition())
    assert definition == {
        k: v for k, v in response.items() if k not in ("WindowId", "WindowTaskId")
    }
    validate_request(
        "RegisterTaskWithMaintenanceWindow",
        {"WindowId": WINDOW_ID, **definition, "ClientToken": "t"},
    )
    model = MaintenanceWindowTaskDetailsModel.model_validate(response)
    assert model.model_dump(by_alias=True, exclude_none=True, mode="json") == response


async def test_canned_pages_go_through_aiobotocore() -> None:
    """before-send answers are parsed by aiobotocore and paged by both iterators."""
    pages = CannedPages([page_body(WINDOW_ID, i, 3, 10) for i in range(3)])
    async with canned_client(pages) as client:
        mw = MaintenanceWindowClient.from_client(client)
        ours = [t async for t in mw.paginate_maintenance_window_tasks(WINDOW_ID, page_size=10)]
        raw = [
            t
            async for page in client.get_paginator("describe_maintenance_window_tasks").paginate(
                WindowId=WINDOW_ID, PaginationConfig={"PageSize": 10}
            )
            for t in page["Tasks"]
        ]
    assert len(ours) == len(raw) == 30
    assert [t.window_task_id for t in ours] == [t["WindowTaskId"] for t in raw]
    assert pages.request_count == 6


def test_every_benchmark_is_listed() -> None:
    """B1 to B10 and B13 (at least), in order, each a module of the package."""
    ids = list(BENCHMARKS)
    assert {*(f"B{i}" for i in range(1, 11)), "B13"} <= set(ids)
    assert ids == sorted(ids, key=lambda b: int(b[1:]))
    root = Path(__file__).resolve().parent.parent
    for module in BENCHMARKS.values():
        assert (root / (module.replace(".", "/") + ".py")).is_file()


@pytest.mark.parametrize("bench", list(BENCHMARKS))
def test_every_benchmark_runs_in_smoke_mode(bench: str) -> None:
    """Each benchmark runs at tiny sizes (its servers and children too), with positive figures."""
    import importlib

    module = importlib.import_module(BENCHMARKS[bench])
    results: list[Result] = module.run(smoke=True)
    assert results
    for r in results:
        assert r.ours > 0
        assert r.baseline > 0
        assert r.name.startswith(bench)


def test_the_command_line_runs_in_smoke_mode_and_writes_the_json(tmp_path: Path) -> None:
    """``python -m benchmarks --smoke --only B1,B2`` prints the table and writes its JSON."""
    out = tmp_path / "smoke.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--only", "B1,B2", "--json", str(out)],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "(smoke mode: tiny sizes, the ratios mean nothing)" in result.stdout
    written = json.loads(out.read_text())
    assert written["smoke"] is True
    assert {r["name"].split()[0] for r in written["results"]} == {"B1", "B2"}


def test_cold_start_children_keep_byte_code_caches_and_no_aws_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """B6's children may write byte-code caches, and see only the dummy credentials.

    With ``PYTHONDONTWRITEBYTECODE`` inherited, the warm-up run writes no
    caches and every child compiles the modules changed since they were last
    written: a cost an installed wheel never has, charged to one side only.
    """
    from benchmarks.b6_cold_start import _child_env

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("AWS_PROFILE", "someone")
    monkeypatch.setenv("BOTO_CONFIG", "/nowhere")
    env = _child_env(str(tmp_path))
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert "AWS_PROFILE" not in env
    assert "BOTO_CONFIG" not in env
    assert env["AWS_ACCESS_KEY_ID"] == "testing"
    assert env["HOME"] == str(tmp_path)


def test_the_cli_benchmark_says_when_the_aws_cli_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """B13 without the awscli package: an error that names it and how to install it."""
    import importlib.util

    from benchmarks import b13_cli

    assert b13_cli.aws_cli_missing() is None  # a test dependency: installed with the suite
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "awscli" else real(name, *a)
    )
    with pytest.raises(RuntimeError, match=r"AWS CLI v1 \(the awscli package\)") as raised:
        b13_cli.run(smoke=True)
    assert "uv pip install -c constraints.txt awscli" in str(raised.value)
