"""``ssm-mw plan``, ``apply`` and ``export`` against the embedded backend."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import attrs
import pytest

from ssm_mw.testing import EmbeddedSSMServer
from support.cli import Run, assert_error_line
from support.clients import read_tasks, register
from support.operations import REGISTER, UPDATE
from support.plan import (
    ALL_TASKS,
    LIVE_SECRETS,
    SECRETS,
    automation_targetless,
    lambda_full,
    lambda_minimal,
    live_names,
    run_command_full,
)
from support.terminal import run_on_a_terminal

W = "mw-0123456789abcdef0"  # replaced by the real window id in each file


def _file(tmp_path: Path, window_id: str, text: str, name: str = "tasks.yaml") -> str:
    path = tmp_path / name
    path.write_text(text.replace(W, window_id), encoding="utf-8")
    return str(path)


_PAYLOAD = SECRETS["TaskInvocationParameters.Lambda.Payload"]
TWO_TASKS = f"""\
windows:
  {W}:
    nightly-patch:
      TaskArn: AWS-RunPatchBaseline
      TaskType: RUN_COMMAND
      Targets:
        - {{Key: WindowTargetIds, Values: [e32eecb2-646c-4f4b-8ed1-205fb0a1b2c3]}}
      MaxConcurrency: "2"
      MaxErrors: "1"
      Priority: 1
      CutoffBehavior: CANCEL_TASK
      TaskInvocationParameters:
        RunCommand: {{TimeoutSeconds: 600, Parameters: {{Operation: [Install]}}}}
    notify:
      TaskArn: arn:aws:lambda:us-east-1:123456789012:function:notify
      TaskType: LAMBDA
      Description: {SECRETS["Description"]}
      TaskInvocationParameters: {{Lambda: {{Payload: '{{"x": "{_PAYLOAD}"}}'}}}}
"""


def _writes(server: EmbeddedSSMServer) -> int:
    return server.request_count(REGISTER) + server.request_count(UPDATE)


def test_plan_table_groups_by_window_and_shows_before_and_after(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """create, update (before → after), unchanged and unmanaged, then the summary line."""
    w = maintenance_window_id
    path = _file(tmp_path, w, TWO_TASKS)
    assert run("apply", path, "--yes").exit_code == 0
    (patch_id,) = [t.window_task_id for t in read_tasks(ssm_server, w) if t.name == "nightly-patch"]
    other = _file(tmp_path, w, TWO_TASKS.replace("Priority: 1", "Priority: 2"), "changed.yaml")
    unnamed = register(ssm_server, w, [automation_targetless()])[0]
    result = run("plan", other)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == w
    assert lines[1].split() == ["~", "update", "nightly-patch", patch_id, "RUN_COMMAND"]
    assert lines[2].strip() == "~ Priority: 1 → 2"
    assert lines[3].split()[:3] == ["=", "unchanged", "notify"]
    assert lines[4].split() == ["?", "unmanaged", "(no", "name)", unnamed, "AUTOMATION"]
    assert lines[5] == "Plan: 0 to create, 1 to update, 1 unchanged, 1 unmanaged."
    assert result.stderr == ""


def test_plan_json_has_exactly_the_documented_shape(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """tasks (window_id, name, action, window_task_id, members) and summary; nothing else."""
    w = maintenance_window_id
    unnamed = register(ssm_server, w, [automation_targetless()])[0]
    result = run("plan", _file(tmp_path, w, TWO_TASKS), "--output", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"tasks", "summary"}
    assert data["summary"] == {"create": 2, "update": 0, "unchanged": 0, "unmanaged": 1}
    for task in data["tasks"]:
        assert set(task) == {"window_id", "name", "action", "window_task_id", "members"}
    assert [(t["name"], t["action"], t["window_task_id"]) for t in data["tasks"]] == [
        ("nightly-patch", "create", None),
        ("notify", "create", None),
        (None, "unmanaged", unnamed),
    ]
    assert "Priority" in data["tasks"][0]["members"]
    assert data["tasks"][2]["members"] == []


def test_check_exits_3_on_changes_and_0_in_sync(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """plan --check: 3 while anything would change; 0 after apply; plan alone never changes."""
    path = _file(tmp_path, maintenance_window_id, TWO_TASKS)
    assert run("plan", path, "--check").exit_code == 3
    assert run("plan", path, "--check", "-o", "json").exit_code == 3
    assert _writes(ssm_server) == 0
    assert run("plan", path).exit_code == 0
    applied = run("apply", path, "--yes")
    assert applied.exit_code == 0, applied.stderr
    assert "Apply: 2 created, 0 updated, 0 failed" in applied.stdout
    assert run("plan", path, "--check").exit_code == 0
    again = run("apply", path, "--yes")
    assert "Nothing to do" in again.stdout
    assert ssm_server.request_count(REGISTER) == 2


def test_apply_off_a_terminal_without_yes_changes_nothing(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """Without --yes and without a terminal: the plan is shown, then exit 2, nothing sent."""
    result = run("apply", _file(tmp_path, maintenance_window_id, TWO_TASKS))
    assert result.exit_code == 2
    assert "Plan: 2 to create" in result.stdout
    assert result.stderr.strip().splitlines() == [
        "error: refusing to apply: stdin is not a terminal; pass --yes to apply"
    ]
    assert _writes(ssm_server) == 0
    assert live_names(ssm_server, maintenance_window_id) == []


def test_apply_reports_each_failure_on_a_line_and_exits_1(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """Every failed task is one stderr line; the others are applied; a re-run converges."""
    w = maintenance_window_id
    path = _file(tmp_path, w, TWO_TASKS)
    ssm_server.inject_fault(
        REGISTER, "InternalServerError", status=500, times=None, after_commit=True
    )
    result = run("apply", path, "--yes", "--output", "json")
    assert result.exit_code == 1
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failures) == 2
    assert {line.split()[1] for line in failures} == {f"{w}/nightly-patch:", f"{w}/notify:"}
    data = json.loads(result.stdout)
    assert data["summary"]["failed"] == 2
    assert {t["outcome"] for t in data["tasks"]} == {"failed"}
    ssm_server.clear_faults()
    again = run("apply", path, "--yes")
    assert again.exit_code == 0, again.stderr
    assert sorted(live_names(ssm_server, w)) == ["nightly-patch", "notify"]  # type: ignore[type-var]


def test_a_saved_plan_applies_and_a_stale_one_is_refused(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """--out writes a private plan file; apply PLANFILE uses it; once stale it is refused."""
    w = maintenance_window_id
    path = _file(tmp_path, w, TWO_TASKS)
    planfile = tmp_path / "tasks.plan"
    result = run("plan", path, "--out", str(planfile))
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(planfile.stat().st_mode) == 0o600
    assert LIVE_SECRETS["Description"] not in planfile.read_text()
    applied = run("apply", str(planfile), "--yes")
    assert applied.exit_code == 0, applied.stderr
    assert "2 created" in applied.stdout
    # Re-applying the same saved plan: its creates now exist, so it is stale.
    writes = _writes(ssm_server)
    stale = run("apply", str(planfile), "--yes")
    assert stale.exit_code == 1
    (line,) = stale.stderr.strip().splitlines()
    assert line.startswith("error: the plan is stale")
    assert f"{w}/nightly-patch" in line
    assert f"{w}/notify" in line
    assert _writes(ssm_server) == writes


def test_duplicate_live_names_name_both_ids(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """Two live tasks named as one task of the file: exit 1, one line naming both ids."""
    w = maintenance_window_id
    twin = attrs.evolve(lambda_minimal(), name="notify")
    ids = register(ssm_server, w, [twin, twin])
    result = run("plan", _file(tmp_path, w, TWO_TASKS))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert f"{w}/notify" in line
    assert ids[0] in line
    assert ids[1] in line


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
    path = _file(tmp_path, w, TWO_TASKS.replace("nightly-patch", "patch-linux"))
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


def test_the_demo_shows_a_plan_and_an_apply() -> None:
    """`ssm-mw demo` exports its window, plans a change, applies it, and plans again in sync."""
    from click.testing import CliRunner

    from ssm_mw.cli import cli

    result = CliRunner().invoke(cli, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "~ Priority: 1 → 5" in out
    assert "+ create     notify-team" in out
    assert "Plan: 1 to create, 1 to update, 3 unchanged, 0 unmanaged." in out
    assert "Apply: 1 created, 1 updated, 0 failed; 3 unchanged, 0 unmanaged." in out
    assert "Plan: 0 to create, 0 to update, 5 unchanged, 0 unmanaged." in out


def _on_a_terminal(
    server: EmbeddedSSMServer, path: str, answer: bytes, aws_env: dict[str, str]
) -> tuple[int, str]:
    """`apply PATH` on a terminal, answering ``answer`` to its question."""
    args = ["apply", path, "--concurrency", "1"]
    return run_on_a_terminal(
        server, args, aws_env, columns=200, prompt=b"Apply this plan?", answer=answer
    )


def test_on_a_terminal_apply_colours_the_plan_asks_and_shows_progress(
    ssm_server: EmbeddedSSMServer,
    maintenance_window_id: str,
    tmp_path: Path,
    aws_env: dict[str, str],
) -> None:
    """A coloured plan, a question; "n" changes nothing, "y" applies with a progress bar."""
    w = maintenance_window_id
    path = _file(tmp_path, w, TWO_TASKS)
    code, output = _on_a_terminal(ssm_server, path, b"n\n", aws_env)
    assert code == 1, output
    assert "\x1b[" in output  # colours on a terminal
    assert "apply cancelled; nothing was changed" in output
    assert _writes(ssm_server) == 0
    ssm_server.inject_latency(0.3, operation=REGISTER)
    code, output = _on_a_terminal(ssm_server, path, b"y\n", aws_env)
    assert code == 0, output
    assert "applying" in output  # the progress bar, on stderr
    assert "2 created" in output
    assert sorted(live_names(ssm_server, w)) == ["nightly-patch", "notify"]  # type: ignore[type-var]


def test_a_window_that_does_not_exist_is_one_error_line(
    run: Run, ssm_server: EmbeddedSSMServer, tmp_path: Path
) -> None:
    """A service error while reading: exit 1, one line naming the window; nothing changed."""
    missing = "mw-00000000000000000"
    result = run("plan", _file(tmp_path, missing, TWO_TASKS))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: ")
    assert missing in line
    assert _writes(ssm_server) == 0


def test_plan_refuses_a_saved_plan_and_export_checks_ids_first(
    run: Run, ssm_server: EmbeddedSSMServer, maintenance_window_id: str, tmp_path: Path
) -> None:
    """`plan PLANFILE` and `export BAD_ID` are usage errors (exit 2), before any request."""
    planfile = tmp_path / "tasks.plan"
    assert (
        run(
            "plan", _file(tmp_path, maintenance_window_id, TWO_TASKS), "--out", str(planfile)
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
