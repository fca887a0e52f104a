"""``ssm-mw export`` on the embedded backend: a file that plans unchanged, ids checked first."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from ssm_mw import LambdaParameters, MaintenanceWindowTaskDetails
from ssm_mw.testing import EmbeddedSSMServer
from support.cli import Run, assert_error_line
from support.clients import get_task, read_tasks, register
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


def test_a_binary_payload_has_one_json_form_everywhere(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """A payload that is not UTF-8 text is {"$base64": ...} in `tasks get -o json`, in
    `export --format json` and in a saved plan, and each reads back: the export plans
    unchanged, a task file with it registers the same bytes; YAML keeps !!binary."""
    w = maintenance_window_id
    binary = attrs.evolve(
        lambda_full(),
        name="binary-payload",
        task_invocation_parameters=attrs.evolve(
            lambda_full().task_invocation_parameters,
            payload=b"\xff\xfe\x00",  # type: ignore[misc]
        ),
    )
    (task_id,) = register(ssm_server, w, [binary])
    encoded = {"$base64": "//4A"}
    got = run("tasks", "get", w, task_id, "-o", "json")
    assert got.exit_code == 0, got.stderr
    assert json.loads(got.stdout)["TaskInvocationParameters"]["Lambda"]["Payload"] == encoded
    as_json = run("export", w, "--format", "json")
    assert as_json.exit_code == 0, as_json.stderr
    exported = json.loads(as_json.stdout)
    lambda_ = exported["windows"][w]["binary-payload"]["TaskInvocationParameters"]["Lambda"]
    assert lambda_["Payload"] == encoded
    for fmt, text in (("json", as_json.stdout), ("yaml", run("export", w).stdout)):
        path = tmp_path / f"binary.{fmt}"
        path.write_text(text, encoding="utf-8")
        assert run("plan", str(path), "--check").exit_code == 0, fmt
    assert "!!binary" in (tmp_path / "binary.yaml").read_text(encoding="utf-8")
    planfile = tmp_path / "binary.plan"
    changed = tmp_path / "changed.json"
    exported["windows"][w]["binary-payload"]["Priority"] = 7
    changed.write_text(json.dumps(exported), encoding="utf-8")
    assert run("plan", str(changed), "--out", str(planfile)).exit_code == 0
    saved = json.loads(planfile.read_text(encoding="utf-8"))
    assert saved["desired"]["windows"][w]["binary-payload"]["TaskInvocationParameters"] == {
        "Lambda": lambda_
    }
    assert run("apply", str(planfile), "--yes").exit_code == 0
    (details,) = [t for t in _details(ssm_server, w) if t.name == "binary-payload"]
    assert details.priority == 7
    assert isinstance(details.task_invocation_parameters, LambdaParameters)
    assert details.task_invocation_parameters.payload == b"\xff\xfe\x00"


def test_a_task_file_reads_base64_payloads_and_names_a_bad_one(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """`tasks register -f` takes {"$base64": ...} as the payload's bytes; text that is not
    base64 is one located error line, and nothing is sent."""
    w = maintenance_window_id
    task = {
        "TaskArn": "arn:aws:lambda:us-east-1:123456789012:function:f",
        "TaskType": "LAMBDA",
        "Priority": 1,
        "TaskInvocationParameters": {"Lambda": {"Payload": {"$base64": "AAEC"}}},
    }
    path = tmp_path / "task.json"
    path.write_text(json.dumps(task), encoding="utf-8")
    result = run("tasks", "register", w, "--file", str(path))
    assert result.exit_code == 0, result.stderr
    (details,) = _details(ssm_server, w)
    assert isinstance(details.task_invocation_parameters, LambdaParameters)
    assert details.task_invocation_parameters.payload == b"\x00\x01\x02"
    task["TaskInvocationParameters"] = {"Lambda": {"Payload": {"$base64": "not base64!"}}}
    path.write_text(json.dumps(task, indent=1), encoding="utf-8")
    before = ssm_server.request_count()
    bad = run("tasks", "register", w, "--file", str(path))
    assert_error_line(
        bad, 2, f"{path}:", "TaskInvocationParameters.Lambda.Payload.$base64: not valid base64"
    )
    assert ssm_server.request_count() == before


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


def _details(server: EmbeddedSSMServer, window_id: str) -> list[MaintenanceWindowTaskDetails]:
    """Every task of the window, in full."""
    return [get_task(server, window_id, t.window_task_id) for t in read_tasks(server, window_id)]
