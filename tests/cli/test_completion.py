"""`ssm-mw completion SHELL`, and shell completion itself, run as the shell runs it.

The shell calls ``ssm-mw`` with ``_SSM_MW_COMPLETE=bash_complete`` (and the words
typed so far in ``COMP_WORDS``/``COMP_CWORD``); each answer line is ``TYPE,VALUE``.
Every run is a fresh process, which also reports what it imported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ssm_mw.cli._completion import SHELLS
from support.aws_env import bare_env
from support.imports import HEAVY, run_cli


def _complete(line: str, tmp_path: Path) -> list[str]:
    """What bash completion offers for the last word of ``line`` (empty after a trailing space).

    Checks on the way that the run imported none of :data:`HEAVY`.
    """
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    env = bare_env(
        tmp_path, _SSM_MW_COMPLETE="bash_complete", COMP_WORDS=line, COMP_CWORD=str(cword)
    )
    done = run_cli([], env)
    assert done.returncode == 0, done.stderr
    assert set(done.imported).isdisjoint(HEAVY), done.imported
    return [answer.partition(",")[2] for answer in done.stdout.splitlines() if answer]


@pytest.mark.parametrize("shell", SHELLS)
def test_the_script_is_the_one_click_writes(shell: str, tmp_path: Path) -> None:
    """`ssm-mw completion SHELL` prints what `_SSM_MW_COMPLETE=SHELL_source ssm-mw` prints."""
    printed = run_cli(["completion", shell], bare_env(tmp_path))
    assert printed.returncode == 0, printed.stderr
    sourced = run_cli([], bare_env(tmp_path, _SSM_MW_COMPLETE=f"{shell}_source"))
    assert sourced.returncode == 0, sourced.stderr
    # click before 8.3 ends its script with one more newline: the same script.
    assert printed.stdout.rstrip("\n") == sourced.stdout.rstrip("\n")
    assert "_SSM_MW_COMPLETE" in printed.stdout
    assert set(printed.imported).isdisjoint(HEAVY)


def test_an_unknown_shell_is_a_usage_error(tmp_path: Path) -> None:
    """Only bash, zsh and fish: anything else is exit 2 naming the choices."""
    done = run_cli(["completion", "tcsh"], bare_env(tmp_path))
    assert done.returncode == 2
    assert "'tcsh' is not one of 'bash', 'zsh', 'fish'" in done.stderr


@pytest.mark.parametrize(
    ("line", "offered"),
    [
        ("ssm-mw ta", ["tasks"]),
        ("ssm-mw tasks ", ["get", "list", "register", "update"]),
        ("ssm-mw co", ["completion"]),
        ("ssm-mw completion ", ["bash", "zsh", "fish"]),
        ("ssm-mw tasks list --o", ["--output"]),
        ("ssm-mw --reg", ["--region", "--regions"]),
        ("ssm-mw tasks list mw-0123456789abcdef0 --output ", ["table", "json"]),
        ("ssm-mw set-cutoff CAN", ["CANCEL_TASK"]),
        ("ssm-mw set-cutoff can", ["CANCEL_TASK"]),
        ("ssm-mw set-cutoff CANCEL_TASK mw-0123456789abcdef0 --task-type l", ["LAMBDA"]),
        ("ssm-mw tasks update w t --cutoff-behavior CO", ["CONTINUE_TASK"]),
        ("ssm-mw tasks list w --filter T", ["TaskArn=", "TaskType="]),
        ("ssm-mw tasks list w --filter TaskType=LAMBDA,ru", ["TaskType=LAMBDA,RUN_COMMAND"]),
        ("ssm-mw tasks list w --filter Priority=", []),
        ("ssm-mw export w --format ", ["yaml", "json"]),
        ("ssm-mw --endpoint-url notaurl tasks li", ["list"]),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_completion_offers_commands_options_and_values(
    line: str, offered: list[str], tmp_path: Path
) -> None:
    """Command names, option names and enum values (in any case); never an error."""
    assert _complete(line, tmp_path) == offered


def test_file_arguments_complete_as_files(tmp_path: Path) -> None:
    """A FILE argument answers `file`: the shell lists the files itself."""
    words = "ssm-mw plan "
    env = bare_env(tmp_path, _SSM_MW_COMPLETE="bash_complete", COMP_WORDS=words, COMP_CWORD="2")
    assert run_cli([], env).stdout.splitlines() == ["file,"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_loads_the_script_and_completes_through_it(tmp_path: Path) -> None:
    """In bash: the script registers its function, which calls ssm-mw and fills COMPREPLY."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "ssm-mw"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ssm_mw.cli "$@"\n')
    launcher.chmod(0o755)
    script = tmp_path / "ssm-mw.bash"
    script.write_text(run_cli(["completion", "bash"], bare_env(tmp_path)).stdout)
    session = (
        f"source {script}\n"
        "complete -p ssm-mw\n"
        "COMP_WORDS=(ssm-mw set-cutoff CAN); COMP_CWORD=2\n"
        "_ssm_mw_completion ssm-mw\n"
        'echo "reply: ${COMPREPLY[*]}"\n'
    )
    env = bare_env(tmp_path)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "--noprofile", "--norc"],
        input=session,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "complete -o nosort -F _ssm_mw_completion ssm-mw",
        "reply: CANCEL_TASK",
    ]
