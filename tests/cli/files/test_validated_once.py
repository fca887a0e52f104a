"""Each request is validated once: a task file or a desired-state file, from reading to sending.

The request validation has two entry points, ``validate_request`` (the client,
before it sends) and ``violations`` (everything else). They are observed here,
not replaced: a profile hook counts each call of either by operation while a
command runs in-process, and the command's outcome is checked as well.

* ``tasks register --file`` and ``tasks update --file``: the loader reads the
  file into the model that holds its members as written; the client validates
  the request once, and a violation is named at its place in the file.
  A file whose members the model cannot hold as written (``2`` for a string)
  is checked by the loader instead, to name why: that request is never made.
* ``plan`` and ``apply`` of a desired-state file: the state is checked once
  when it is made (every definition, as a register request), before any
  request; ``apply`` then sends each request, which the client validates once.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from ssm_mw import _validation
from ssm_mw.testing import EmbeddedSSMServer
from support.cli import Run, assert_error_line
from support.clients import register
from support.examples import lambda_task
from support.operations import REGISTER, UPDATE

TASK = """\
TaskArn: arn:aws:lambda:us-east-1:123456789012:function:f
TaskType: LAMBDA
Priority: 3
CutoffBehavior: CANCEL_TASK
"""
STATE = """\
windows:
  WINDOW:
    notify:
      TaskArn: arn:aws:lambda:us-east-1:123456789012:function:notify
      TaskType: LAMBDA
    drain:
      TaskArn: arn:aws:lambda:us-east-1:123456789012:function:drain
      TaskType: LAMBDA
      Priority: 2
"""


@contextmanager
def validations() -> Iterator[Counter[str]]:
    """Count the runs of the request validation, by operation, while the block runs."""
    entries = {_validation.validate_request.__code__, _validation.violations.__code__}
    counts: Counter[str] = Counter()

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code in entries:
            counts[frame.f_locals["operation"]] += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield counts
    finally:
        sys.setprofile(previous)


def test_the_counter_sees_the_client_validate(run: Run, window_id: str) -> None:
    """The observation is real: one get is one request, validated when the client sends it."""
    with validations() as counts:
        assert run("tasks", "get", window_id, "4f7ca192-7e9a-40fe-9192-5cb15a0b1c2d").exit_code
    assert counts == Counter({"GetMaintenanceWindowTask": 1})


def test_register_from_a_file_validates_the_request_once(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """A valid file: the client's check, and no other."""
    path = tmp_path / "task.yaml"
    path.write_text(TASK)
    with validations() as counts:
        result = run("tasks", "register", window_id, "-f", str(path))
    assert result.exit_code == 0, result.stderr
    assert counts[REGISTER] == 1
    assert ssm_server.request_count(REGISTER) == 1


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (TASK.replace("Priority: 3", "Priority: -1"), "task.yaml:3:1: Priority: -1 is below"),
        (TASK + "MaxErrors: 1\n", "task.yaml:5:1: MaxErrors: expected a string, got int"),
    ],
    ids=["refused-by-the-client", "not-held-as-written"],
)
def test_a_bad_file_is_validated_once_and_located(
    run: Run,
    ssm_server: EmbeddedSSMServer,
    window_id: str,
    tmp_path: Path,
    content: str,
    needle: str,
) -> None:
    """A rule the request breaks (the client's check) or a value of the wrong type (the
    loader's, for a request never made): one check, the key's place, nothing sent."""
    path = tmp_path / "task.yaml"
    path.write_text(content)
    with validations() as counts:
        result = run("tasks", "register", window_id, "-f", str(path))
    assert_error_line(result, 2, needle)
    assert counts[REGISTER] == 1
    assert ssm_server.request_count(REGISTER) == 0


def test_update_from_a_file_and_options_validates_the_request_once(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """The file's members and the options make one update: one check, by the client."""
    (task_id,) = register(ssm_server, window_id, [lambda_task()])
    path = tmp_path / "update.yaml"
    path.write_text("Priority: 4\nDescription: nightly\n")
    with validations() as counts:
        result = run("tasks", "update", window_id, task_id, "-f", str(path), "--priority", "5")
    assert result.exit_code == 0, result.stderr
    assert counts[UPDATE] == 1
    with validations() as counts:
        result = run("tasks", "update", window_id, task_id, "-f", str(path), "--priority", "-1")
    assert_error_line(result, 2, "--priority: -1 is below the minimum 0")
    assert counts[UPDATE] == 1
    assert ssm_server.request_count(UPDATE) == 1


def test_plan_and_apply_check_each_task_once_and_each_request_once(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """plan: one check per task (the state's, when it is made). apply: that, then the client's
    check of each request it sends (two registers here)."""
    path = tmp_path / "tasks.yaml"
    path.write_text(STATE.replace("WINDOW", window_id))
    with validations() as counts:
        assert run("plan", str(path)).exit_code == 0
    assert counts[REGISTER] == 2
    with validations() as counts:
        result = run("apply", str(path), "--yes")
    assert result.exit_code == 0, result.stderr
    assert counts[REGISTER] == 2 + 2
    assert ssm_server.request_count(REGISTER) == 2


def test_a_bad_desired_state_is_checked_once_and_located(
    run: Run, ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """The state's one check finds the broken rule; the line names the key; nothing is sent."""
    path = tmp_path / "tasks.yaml"
    path.write_text(STATE.replace("WINDOW", window_id).replace("Priority: 2", "Priority: -2"))
    before = ssm_server.request_count()
    with validations() as counts:
        result = run("plan", str(path))
    assert_error_line(
        result, 2, f"tasks.yaml:9:7: windows.{window_id}.drain.Priority: -2 is below the minimum 0"
    )
    assert counts[REGISTER] == 2
    assert ssm_server.request_count() == before
