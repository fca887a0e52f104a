"""``ssm-mw export`` on the embedded backend: a file that plans unchanged, ids checked first."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from ssm_mw.testing import EmbeddedSSMServer
from support.cli import Run, assert_error_line
from support.clients import register
from support.plan import ALL_TASKS, automation_targetless, lambda_full


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_then_plan_is_all_unchanged(
    run: Run, ssm_server: EmbeddedSSMServer, tmp_path: Path, fmt: str
) -> None:
    """Every task type and member, two windows: the exported file plans all unchanged."""
    windows = [ssm_server.create_maintenance_window(name=f"w{i}") for i in range(2)]
    for window in windows:
        register(
            ssm_server, window, [attrs.evolve(make(), name=n) for n, make in ALL_TASKS.items()]
        )
    unnamed = register(ssm_server, windows[1], [automation_targetless()])[0]
    result = run("export", *windows, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    exported = tmp_path / f"exported.{fmt}"
    exported.write_text(result.stdout, encoding="utf-8")
    stderr = result.stderr.splitlines()
    assert [line for line in stderr if line.startswith("not exported:")] == [
        f"not exported: {windows[1]} {unnamed}: no name: a desired-state file holds tasks by name"
    ]
    assert any("sensitive values" in line for line in stderr)
    plan = run("plan", str(exported), "-o", "json", "--check")
    assert plan.exit_code == 0, (plan.stdout, plan.stderr)
    data = json.loads(plan.stdout)
    assert data["summary"] == {
        "create": 0, "update": 0, "unchanged": 2 * len(ALL_TASKS), "unmanaged": 1,
    }  # fmt: skip


def test_export_of_a_payload_that_is_not_text(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """A binary Lambda payload exports as YAML !!binary (and plans unchanged); JSON refuses."""
    w = maintenance_window_id
    binary = attrs.evolve(
        lambda_full(),
        name="binary-payload",
        task_invocation_parameters=attrs.evolve(
            lambda_full().task_invocation_parameters,
            payload=b"\xff\xfe\x00",  # type: ignore[misc]
        ),
    )
    register(ssm_server, w, [binary])
    as_yaml = run("export", w)
    assert as_yaml.exit_code == 0, as_yaml.stderr
    assert "!!binary" in as_yaml.stdout
    path = tmp_path / "binary.yaml"
    path.write_text(as_yaml.stdout, encoding="utf-8")
    assert run("plan", str(path), "--check").exit_code == 0
    as_json = run("export", w, "--format", "json")
    assert as_json.exit_code == 1
    assert "use --format yaml" in as_json.stderr


def test_a_bad_window_id_reads_the_same_in_every_command(
    run: Run, ssm_server: EmbeddedSSMServer
) -> None:
    """export names every violation of a bad WINDOW_ID, as set-cutoff and tasks list do."""
    lines = {
        command[0]: assert_error_line(run(*command), 2, "WINDOW_ID: ")
        for command in (
            ("export", "mw-1"),
            ("set-cutoff", "CANCEL_TASK", "mw-1"),
            ("tasks", "list", "mw-1"),
        )
    }
    assert len(set(lines.values())) == 1, lines
    assert lines["export"] == (
        "error: WINDOW_ID: length 4 is below the minimum 20: 'mw-1'; "
        "WINDOW_ID: 'mw-1' does not match the pattern ^mw-[0-9a-f]{17}$"
    )
    assert ssm_server.request_count() == 0
