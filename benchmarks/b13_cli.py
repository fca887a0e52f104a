"""B13, the command line: whole processes, `ssm-mw` beside the AWS CLI v1, and `--help`.

Two figures, from the same interleaved rounds of fresh processes against an
embedded backend already running in a process of its own (a window with a
few tasks):

* **tasks list**: ``ssm-mw tasks list W -o json`` against the AWS CLI v1's
  ``aws ssm describe-maintenance-window-tasks --window-id W`` (the ``awscli``
  package of this interpreter, ``python -m awscli``), both started the same
  way (``python -m``), wall time of the whole process, from its start to its
  exit, as a user waits for it. Target: <= 0.8x.
* **--help**: ``ssm-mw --help`` against a budget of 0.15 s. The figure is the
  process's CPU time (user + system, from ``wait4``): a short single-threaded
  process on an idle machine takes that long, while its wall time on a busy
  one mostly says when the scheduler ran it. Its wall time, those of
  ``ssm-mw tasks list --help`` and of a shell completion, and ``python -c
  pass`` (the interpreter's own start-up) in the same rounds are in the notes.

The children run with dummy credentials, no AWS config files and a home of
their own (B6's environment), and with byte-code caches allowed.
"""

from __future__ import annotations

import asyncio
import importlib.util
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence

from ._embedded import client_for, populate
from ._harness import Result, interleave, median
from ._server_process import RemoteServer
from .b6_cold_start import _child_env

__all__ = ["HELP_BUDGET", "aws_cli_missing", "run"]

#: The most ``ssm-mw --help`` may take, in seconds.
HELP_BUDGET = 0.15
_TASKS = 5


def aws_cli_missing() -> str | None:
    """Why the AWS CLI v1 cannot run here, or ``None`` when ``python -m awscli`` can."""
    if importlib.util.find_spec("awscli") is None:
        return (
            f"B13 needs the AWS CLI v1 (the awscli package) in this interpreter's environment "
            f"({sys.executable}); it is in the test dependency group: `make` installs it, "
            "or `uv pip install -c constraints.txt awscli`"
        )
    return None


def _timed(command: Sequence[str], env: Mapping[str, str], cpu: list[float]) -> float:
    """Run ``command`` to its end; return its wall time (its CPU time goes to ``cpu``).

    The CPU time is what the children reaped meanwhile used: this one alone (the
    server process runs on, unreaped, until the benchmark ends).
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=dict(env), capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def _contender(
    command: Sequence[str], env: Mapping[str, str], cpu: list[float]
) -> Callable[[], float]:
    return lambda: _timed(command, env, cpu)


def run(*, smoke: bool) -> list[Result]:
    """Time the command lines in fresh processes, interleaved."""
    missing = aws_cli_missing()
    if missing is not None:
        raise RuntimeError(missing)
    rounds = 1 if smoke else 31
    python = sys.executable
    with RemoteServer() as server, tempfile.TemporaryDirectory() as home:
        window_id = server.create_maintenance_window(name="bench-cli")

        async def setup() -> None:
            async with client_for(server) as mw:
                await populate(mw, [window_id], _TASKS)

        asyncio.run(setup())
        env = {**_child_env(home), "AWS_DEFAULT_REGION": server.region_name}
        where = ["--endpoint-url", server.endpoint_url, "--region", server.region_name]
        cli = [python, "-m", "ssm_mw.cli"]
        aws = ["ssm", "describe-maintenance-window-tasks", "--window-id", window_id]
        commands = {
            "list": [*cli, *where, "tasks", "list", window_id, "-o", "json"],
            "aws": [python, "-m", "awscli", *aws, *where],
            "help": [*cli, "--help"],
            "list help": [*cli, "tasks", "list", "--help"],
            "pass": [python, "-c", "pass"],
        }
        completion = {
            **env,
            "_SSM_MW_COMPLETE": "bash_complete",
            "COMP_WORDS": "ssm-mw set-cutoff CAN",
            "COMP_CWORD": "2",
        }
        cpu: dict[str, list[float]] = {name: [] for name in [*commands, "completion"]}
        contenders = [_contender(cmd, env, cpu[name]) for name, cmd in commands.items()]
        contenders.append(_contender(cli, completion, cpu["completion"]))
        for contender in contenders:  # warm the byte-code caches and the disk cache
            contender()
        for samples in cpu.values():
            samples.clear()
        walls = dict(zip([*commands, "completion"], interleave(contenders, rounds), strict=True))
    wall = {name: median(samples) for name, samples in walls.items()}
    cpu_median = {name: median(samples) for name, samples in cpu.items()}
    ms = {name: f"{value * 1e3:.0f} ms" for name, value in wall.items()}
    return [
        Result(
            name="B13 tasks list vs AWS CLI v1",
            description=(
                f"whole process: `ssm-mw tasks list W -o json` vs `aws ssm "
                f"describe-maintenance-window-tasks --window-id W` (AWS CLI v1), {_TASKS} tasks, "
                "a running embedded backend"
            ),
            ours=wall["list"],
            baseline=wall["aws"],
            unit="s",
            target=0.8,
            rounds=rounds,
            ours_samples=walls["list"],
            baseline_samples=walls["aws"],
            notes=(
                f"CPU time: {cpu_median['list'] * 1e3:.0f} ms vs "
                f"{cpu_median['aws'] * 1e3:.0f} ms, "
                f"{cpu_median['list'] / cpu_median['aws']:.3f}x; `python -c pass`: {ms['pass']}"
            ),
        ),
        Result(
            name="B13 --help CPU vs 0.15 s",
            description=(
                "whole process: the CPU time of `ssm-mw --help` against a budget of 0.15 s"
            ),
            ours=cpu_median["help"],
            baseline=HELP_BUDGET,
            unit="s",
            target=1.0,
            rounds=rounds,
            ours_samples=cpu["help"],
            notes=(
                f"wall time: --help {ms['help']}, tasks list --help {ms['list help']}, "
                f"a completion {ms['completion']} (CPU {cpu_median['list help'] * 1e3:.0f} and "
                f"{cpu_median['completion'] * 1e3:.0f} ms); `python -c pass` {ms['pass']} "
                f"(CPU {cpu_median['pass'] * 1e3:.0f} ms): --help is "
                f"{wall['help'] / wall['pass']:.1f}x the interpreter's start-up"
            ),
        ),
    ]
