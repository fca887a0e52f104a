"""``ssm-mw plan`` against the embedded backend: tables, JSON, --check, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from ssm_mw.testing import EmbeddedSSMServer
from support.cli import Run
from support.clients import read_tasks, register
from support.operations import REGISTER
from support.plan import (
    LIVE_SECRETS,
    SECRETS,
    TWO_TASKS,
    automation_targetless,
    lambda_full,
    lambda_minimal,
    run_command_full,
    state_file,
    write_count,
)


def test_plan_table_groups_by_window_and_shows_before_and_after(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """create, update (before → after), unchanged and unmanaged, then the summary line."""
    w = maintenance_window_id
    path = state_file(tmp_path, w, TWO_TASKS)
    assert run("apply", path, "--yes").exit_code == 0
    (patch_id,) = [t.window_task_id for t in read_tasks(ssm_server, w) if t.name == "nightly-patch"]
    other = state_file(tmp_path, w, TWO_TASKS.replace("Priority: 1", "Priority: 2"), "changed.yaml")
    unnamed = register(ssm_server, w, [automation_targetless()])[0]
    result = run("plan", other)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == w
    assert lines[1].split() == ["~", "update", "nightly-patch", patch_id, "RUN_COMMAND"]
    assert lines[2].strip() == "~ Priority: 1 → 2"
    assert lines[3].split() == ["?", "unmanaged", "(no", "name)", unnamed, "AUTOMATION"]
    assert lines[4].split() == ["=", "1", "unchanged"]
    assert lines[5] == "Plan: 0 to add, 1 to change, 0 to delete."
    assert len(lines) == 6
    assert result.stderr == ""
    every = run("plan", other, "--show-unchanged").stdout.splitlines()
    assert every[3].split()[:3] == ["=", "unchanged", "notify"]
    assert every[4].split()[:2] == ["?", "unmanaged"]
    assert every[5:] == ["Plan: 0 to add, 1 to change, 0 to delete."]
    in_sync = run("plan", path).stdout.splitlines()
    assert [line.split() for line in in_sync[:3]] == [
        [w],
        ["?", "unmanaged", "(no", "name)", unnamed, "AUTOMATION"],
        ["=", "2", "unchanged"],
    ]
    assert in_sync[3:] == ["No changes. The live tasks match the desired state."]


def test_plan_json_has_exactly_the_documented_shape(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """tasks (window_id, name, action, window_task_id, members) and summary; nothing else."""
    w = maintenance_window_id
    unnamed = register(ssm_server, w, [automation_targetless()])[0]
    result = run("plan", state_file(tmp_path, w, TWO_TASKS), "--output", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"tasks", "summary"}
    assert data["summary"] == {"create": 2, "update": 0, "unchanged": 0, "unmanaged": 1}
    for task in data["tasks"]:
        assert set(task) == {
            "window_id", "name", "action", "window_task_id", "members", "changes",
        }  # fmt: skip
        assert [c["member"] for c in task["changes"]] == task["members"]
    assert [(t["name"], t["action"], t["window_task_id"]) for t in data["tasks"]] == [
        ("nightly-patch", "create", None),
        ("notify", "create", None),
        (None, "unmanaged", unnamed),
    ]
    assert "Priority" in data["tasks"][0]["members"]
    assert {"member": "Priority", "before": None, "after": 1} in data["tasks"][0]["changes"]
    assert data["tasks"][2]["members"] == []
    assert data["tasks"][2]["changes"] == []
    sensitive = [c for t in data["tasks"] for c in t["changes"] if "sensitive" in c]
    assert sensitive, "the file's Lambda task has sensitive members"
    assert all(set(c) == {"member", "sensitive"} and c["sensitive"] is True for c in sensitive)
    assert run("apply", state_file(tmp_path, w, TWO_TASKS), "--yes").exit_code == 0
    changed = TWO_TASKS.replace("Priority: 1", "Priority: 2")
    updated = run("plan", state_file(tmp_path, w, changed, "changed.yaml"), "-o", "json")
    (update,) = [t for t in json.loads(updated.stdout)["tasks"] if t["action"] == "update"]
    assert update["changes"] == [{"member": "Priority", "before": 1, "after": 2}]


def test_check_exits_3_on_changes_and_0_in_sync(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """plan --check: 3 while anything would change; 0 after apply; plan alone never changes."""
    path = state_file(tmp_path, maintenance_window_id, TWO_TASKS)
    assert run("plan", path, "--check").exit_code == 3
    assert run("plan", path, "--check", "-o", "json").exit_code == 3
    assert write_count(ssm_server) == 0
    assert run("plan", path).exit_code == 0
    applied = run("apply", path, "--yes")
    assert applied.exit_code == 0, applied.stderr
    assert "Apply: 2 created, 0 updated, 0 failed" in applied.stdout
    assert run("plan", path, "--check").exit_code == 0
    again = run("apply", path, "--yes")
    assert "Nothing to do" in again.stdout
    assert ssm_server.request_count(REGISTER) == 2


def test_duplicate_live_names_name_both_ids(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """Two live tasks named as one task of the file: exit 1, one line naming both ids."""
    w = maintenance_window_id
    twin = attrs.evolve(lambda_minimal(), name="notify")
    ids = register(ssm_server, w, [twin, twin])
    result = run("plan", state_file(tmp_path, w, TWO_TASKS))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert f"{w}/notify" in line
    assert ids[0] in line
    assert ids[1] in line


_TASK = "    notify:\n      TaskArn: x\n      TaskType: LAMBDA\n"
_HEAD = "windows:\n  WINDOW:\n"
_RUN_COMMAND = "    patch:\n      TaskArn: AWS-RunShellScript\n      TaskType: RUN_COMMAND\n"
_WHERE = "windows.WINDOW.notify"
_BAD_FILES = [
    (
        _HEAD + _TASK + "      Priorty: 1\n",
        ["tasks.yaml:6:7", f"{_WHERE}.Priorty", "unknown key 'Priorty'", "did you mean"],
    ),
    (
        _HEAD + _TASK + "      Priority: high\n",
        ["tasks.yaml:6:7", f"{_WHERE}.Priority", "expected an integer"],
    ),
    (_HEAD + _TASK + _TASK, ["tasks.yaml:6:5", "duplicate key 'notify'"]),
    (
        _HEAD + _TASK + "      Name: notify\n",
        ["tasks.yaml:6:7", f"{_WHERE}.Name", "the task's name is its key"],
    ),
    (_HEAD + _TASK + "      ClientToken: t\n", ["tasks.yaml:6:7", "ClientToken", "derives it"]),
    (
        "windows:\n  mw-0c50858d01EXAMPLE:\n" + _TASK,
        ["tasks.yaml:2:3", "windows.mw-0c50858d01EXAMPLE", "window id"],
    ),
    (_HEAD + _TASK.replace("notify", "ab"), ["tasks.yaml:3:5", "windows.WINDOW.ab", "task name"]),
    (
        _HEAD
        + _RUN_COMMAND
        + "      Targets: [{Key: InstanceIds, Values: [i-0123456789abcdef0]}]\n"
        "      MaxConcurrency: '1'\n",
        ["windows.WINDOW.patch", "MaxErrors"],
    ),
    (_HEAD + _RUN_COMMAND, ["windows.WINDOW.patch", "Targets", "RUN_COMMAND"]),
    ("windowz: {}\n", ["tasks.yaml:1:1", "unknown key 'windowz'", "did you mean 'windows'"]),
    ("windows: [1, 2]\n", ["tasks.yaml:1:1", "windows: expected a mapping of window ids"]),
    (_HEAD + "    notify: [1]\n", ["tasks.yaml:3:5", "expected a mapping of request members"]),
    (_HEAD + "    notify: {TaskArn: x\n", ["tasks.yaml:", "invalid YAML"]),
    ("", ["tasks.yaml: the file is empty"]),
]


@pytest.mark.parametrize(("text", "needles"), _BAD_FILES)
def test_an_invalid_file_is_one_line_naming_the_key_and_sends_nothing(
    run: Run,
    ssm_server: EmbeddedSSMServer,
    maintenance_window_id: str,
    tmp_path: Path,
    text: str,
    needles: list[str],
) -> None:
    """Syntax, unknown keys, constraints, rules and duplicates: exit 2, one line, no request."""
    path = tmp_path / "tasks.yaml"
    path.write_text(text.replace("WINDOW", maintenance_window_id), encoding="utf-8")
    before = ssm_server.request_count()
    for command in ("plan", "apply"):
        result = run(command, str(path), "--yes") if command == "apply" else run(command, str(path))
        assert result.exit_code == 2, (result.stdout, result.stderr)
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, lines
        assert "Traceback" not in result.stderr
        for needle in needles:
            assert needle.replace("WINDOW", maintenance_window_id) in lines[0], (needle, lines[0])
    assert ssm_server.request_count() == before


def test_duplicate_keys_in_json_are_named_with_their_place(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """JSON loaders keep the last of two equal keys; the file is refused instead."""
    task = '{"TaskArn": "x", "TaskType": "LAMBDA"}'
    text = (
        f'{{"windows": {{"{maintenance_window_id}": {{\n"notify": {task},\n"notify": {task}}}}}}}'
    )
    path = tmp_path / "tasks.json"
    path.write_text(text, encoding="utf-8")
    result = run("plan", str(path))
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: " + f"{path}:3:1: duplicate key 'notify'"
    assert ssm_server.request_count() == 0


def test_no_secret_in_any_cli_output(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """Secrets of the file and of the live tasks: in no plan or apply output, nor in --debug."""
    w = maintenance_window_id
    live = [attrs.evolve(run_command_full(LIVE_SECRETS), name="patch-linux")]
    live.append(attrs.evolve(lambda_full(LIVE_SECRETS), name="notify"))
    register(ssm_server, w, live)
    path = state_file(tmp_path, w, TWO_TASKS.replace("nightly-patch", "patch-linux"))
    outputs = []
    commands = [
        ["plan", path],
        ["plan", path, "-o", "json"],
        ["--debug", "plan", path],
        ["--debug", "apply", path, "--yes"],
        ["plan", path, "--debug", "-o", "json"],
    ]
    for args in commands:
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout + result.stderr)
    assert "debug: " in outputs[2]
    for text in outputs:
        for secret in (*SECRETS.values(), *LIVE_SECRETS.values()):
            assert secret not in text


def test_a_window_that_does_not_exist_is_one_error_line(
    run: Run, ssm_server: EmbeddedSSMServer, tmp_path: Path
) -> None:
    """A service error while reading: exit 1, one line naming the window; nothing changed."""
    missing = "mw-00000000000000000"
    result = run("plan", state_file(tmp_path, missing, TWO_TASKS))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: ")
    assert missing in line
    assert write_count(ssm_server) == 0


def test_plan_refuses_a_saved_plan_and_export_checks_ids_first(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """`plan PLANFILE` and `export BAD_ID` are usage errors (exit 2), before any request."""
    planfile = tmp_path / "tasks.plan"
    assert (
        run(
            "plan", state_file(tmp_path, maintenance_window_id, TWO_TASKS), "--out", str(planfile)
        ).exit_code
        == 0
    )
    before = ssm_server.request_count()
    result = run("plan", str(planfile))
    assert result.exit_code == 2
    assert "is a saved plan" in result.stderr
    result = run("export", "mw-0c50858d01EXAMPLE")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: WINDOW_ID: ")
    assert ssm_server.request_count() == before


def test_a_window_past_the_task_quota_is_a_warning_line(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """19 live tasks and the file's 2 to create: plan and apply warn on stderr, one line."""
    w = maintenance_window_id
    register(ssm_server, w, [lambda_minimal()] * 19)
    path = state_file(tmp_path, w, TWO_TASKS)
    warning = (
        f"warning: {w}: the plan makes 21 tasks in the window, past the service's quota of 20 "
        "tasks per maintenance window: 1 of its 2 creates would fail unless the quota was raised"
    )
    result = run("plan", path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [warning]
    applied = run("apply", path, "--yes")
    assert applied.exit_code == 1  # the service's quota (the backend's 20) refuses the 21st
    assert applied.stderr.splitlines()[0] == warning
    assert "ResourceLimitExceededException" in applied.stderr


def test_prune_shows_each_deletion_and_apply_deletes_it(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """plan --prune: a `- delete` line (name, id, type, ARN) and the count in the summary;
    apply --prune --yes deletes; a plan saved without --prune is refused with --prune."""
    w = maintenance_window_id
    path = state_file(tmp_path, w, TWO_TASKS)
    assert run("apply", path, "--yes").exit_code == 0
    (stray,) = register(ssm_server, w, [attrs.evolve(lambda_minimal(), name="stray")])
    result = run("plan", path, "--prune")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    arn = lambda_minimal().task_arn
    assert ["-", "delete", "stray", stray, "LAMBDA", arn] in [line.split() for line in lines]
    assert lines[-2:] == ["  = 2 unchanged", "Plan: 0 to add, 0 to change, 1 to delete."]
    assert run("plan", path).stdout.splitlines()[-1] == (
        "No changes. The live tasks match the desired state."
    )
    saved = tmp_path / "plain.plan"
    assert run("plan", path, "--out", str(saved)).exit_code == 0
    refused = run("apply", str(saved), "--prune", "--yes")
    assert refused.exit_code == 2
    assert "saved without --prune" in refused.stderr
    applied = run("apply", path, "--prune", "--yes")
    assert applied.exit_code == 0, applied.stderr
    assert "1 deleted" in applied.stdout
    assert sorted(str(t.name) for t in read_tasks(ssm_server, w)) == ["nightly-patch", "notify"]
