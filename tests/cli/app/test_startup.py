"""Start-up: ``--help`` reads the command tree only; a command imports what it uses.

Each run is a fresh process (``support.imports.run_cli``) that reports what it
imported. The console script's garbage collector (paused for start-up, the heap
frozen at exit) is checked in fresh interpreters too. How fast it all answers is
measured by benchmark B13, not here.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ssm_mw import __version__
from ssm_mw.cli import cli
from ssm_mw.testing import EmbeddedSSMServer
from support.aws_env import bare_env, dummy_aws_env
from support.clients import register
from support.examples import run_command
from support.fresh import fresh_python
from support.imports import HEAVY, run_cli


def _command_paths(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group of the tree, as the words that name it (the root is ``()``)."""
    found = [path]
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            found += _command_paths(sub, (*path, name))
    return found


def test_the_tree_is_walked() -> None:
    """The parametrization below sees every command (a broken walk would test nothing)."""
    paths = _command_paths(cli)
    assert {(), ("tasks",), ("tasks", "list"), ("set-cutoff",), ("completion",)} <= set(paths)
    assert len(paths) >= 12


@pytest.mark.parametrize("words", _command_paths(cli), ids=lambda w: " ".join(w) or "ssm-mw")
def test_help_imports_no_client_and_no_output_library(
    words: tuple[str, ...], tmp_path: Path
) -> None:
    """`ssm-mw [CMD] --help` imports neither aiobotocore, aiohttp, botocore, moto, rich nor yaml."""
    done = run_cli([*words, "--help"], bare_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Usage: ssm-mw {' '.join(words)}".rstrip())
    assert set(done.imported).isdisjoint(HEAVY), done.imported


def test_the_root_help_lists_every_command(tmp_path: Path) -> None:
    """The listing in `ssm-mw --help` still names each command with its short help."""
    done = run_cli(["--help"], bare_env(tmp_path))
    for name, command in cli.commands.items():
        line = next(line for line in done.stdout.splitlines() if line.split()[:1] == [name])
        assert command.get_short_help_str(limit=45).split()[0] in line


def test_version_and_usage_errors_import_no_client(tmp_path: Path) -> None:
    """--version, and a usage error (a bad option), are answered from the command tree too."""
    version = run_cli(["--version"], bare_env(tmp_path))
    assert version.returncode == 0
    assert __version__ in version.stdout
    assert set(version.imported).isdisjoint(HEAVY)
    usage = run_cli(["tasks", "list", "--no-such-option"], bare_env(tmp_path))
    assert usage.returncode == 2
    assert usage.stderr.startswith("error: No such option")
    assert set(usage.imported).isdisjoint(HEAVY)


def test_a_json_listing_imports_the_client_but_no_output_library(
    ssm_server: EmbeddedSSMServer, window_id: str, tmp_path: Path
) -> None:
    """`tasks list -o json` uses aiobotocore, and neither rich nor yaml (nor moto)."""
    (task_id,) = register(ssm_server, window_id, [run_command()])
    env = bare_env(tmp_path, **dummy_aws_env(tmp_path))
    args = ["--endpoint-url", ssm_server.endpoint_url, "--region", ssm_server.region_name]
    done = run_cli([*args, "tasks", "list", window_id, "-o", "json"], env)
    assert done.returncode == 0, done.stderr
    assert [t["WindowTaskId"] for t in json.loads(done.stdout)] == [task_id]
    assert "aiobotocore" in done.imported
    assert {"moto", "rich", "yaml"}.isdisjoint(done.imported)
    table = run_cli([*args, "tasks", "list", window_id], env)
    assert table.returncode == 0, table.stderr
    assert task_id in table.stdout
    assert "rich" in table.imported


def test_the_console_script_pauses_the_collector_for_its_start_up_only() -> None:
    """`main` pauses the garbage collector, which comes back (heap frozen) after the pause."""
    # Python 3.12 may have frozen objects of its own at start: count from what is there.
    code = (
        "import gc, time\n"
        "from ssm_mw.cli import _pause_collector\n"
        "before = gc.get_freeze_count()\n"
        "_pause_collector(0.1)\n"
        "print(gc.isenabled(), gc.get_freeze_count() > before)\n"
        "deadline = time.monotonic() + 30\n"
        "while not gc.isenabled() and time.monotonic() < deadline:\n"
        "    time.sleep(0.05)\n"
        "print(gc.isenabled(), gc.get_freeze_count() > before)\n"
    )
    assert fresh_python(code).splitlines() == ["False False", "True True"]


def test_the_console_script_freezes_the_heap_as_it_exits() -> None:
    """At exit, after the command line, every object is frozen: no last full collection."""
    code = (
        "import atexit, gc\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        "from ssm_mw.cli import main\n"
        "main(['--version'])\n"
    )
    assert fresh_python(code).splitlines()[-1] == "frozen True"


def test_the_group_called_by_another_program_leaves_the_collector_alone() -> None:
    """`cli.main()` (here through CliRunner) neither pauses nor freezes this process's collector."""
    frozen = gc.get_freeze_count()
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
