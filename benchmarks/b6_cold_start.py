"""B6, cold start: import, create the client and make a first describe call, in a fresh process.

ssm-mw (``MaintenanceWindowClient`` with its own session) against raw
aiobotocore (``get_session().create_client("ssm")``), each in a new Python
process, against an embedded backend that is already running (in a process
of its own). The time is taken inside the child, from its first statement
(before any import) to the end of the first call, so interpreter start-up,
the same for both, is left out. Target: < 1.0x (aim 0.9x).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ._embedded import client_for, populate
from ._harness import Result, interleave, median
from ._server_process import RemoteServer

__all__ = ["run"]

_OURS = """\
import time
_start, _cpu = time.perf_counter(), time.process_time()
import asyncio
from ssm_mw import MaintenanceWindowClient

async def main():
    async with MaintenanceWindowClient(region_name={region!r}, endpoint_url={url!r}) as mw:
        page = await mw.describe_maintenance_window_tasks({window!r})
    assert len(page.tasks) == {tasks}

asyncio.run(main())
print(time.perf_counter() - _start, time.process_time() - _cpu)
"""

_RAW = """\
import time
_start, _cpu = time.perf_counter(), time.process_time()
import asyncio
from aiobotocore.session import get_session

async def main():
    session = get_session()
    async with session.create_client("ssm", region_name={region!r}, endpoint_url={url!r}) as ssm:
        page = await ssm.describe_maintenance_window_tasks(WindowId={window!r})
    assert len(page["Tasks"]) == {tasks}

asyncio.run(main())
print(time.perf_counter() - _start, time.process_time() - _cpu)
"""


def _child_env(home: str) -> dict[str, str]:
    """The environment of a child: dummy credentials, no AWS config files, no metadata lookups."""
    # PYTHONDONTWRITEBYTECODE would keep the warm-up run from writing the
    # byte-code caches, and every child would compile whichever of the two
    # libraries' modules changed since their caches were written (an
    # installed wheel has them compiled): both children run with caches.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "BOTO")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=str(Path(home) / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(Path(home) / "credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        HOME=home,
    )
    return env


def _child(script: str, env: dict[str, str], cpu: list[float]) -> float:
    """Run ``script`` in a fresh interpreter; return the seconds it reports (CPU to ``cpu``)."""
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"cold-start child failed:\n{done.stderr}")
    wall, cpu_seconds = done.stdout.strip().splitlines()[-1].split()
    cpu.append(float(cpu_seconds))
    return float(wall)


def run(*, smoke: bool) -> list[Result]:
    """Time both cold starts in fresh processes, interleaved."""
    rounds, tasks = (1, 2) if smoke else (61, 10)
    with RemoteServer() as server, tempfile.TemporaryDirectory() as home:
        window_id = server.create_maintenance_window(name="bench-cold-start")

        async def setup() -> None:
            async with client_for(server) as mw:
                await populate(mw, [window_id], tasks)

        asyncio.run(setup())
        fields = {
            "region": server.region_name,
            "url": server.endpoint_url,
            "window": window_id,
            "tasks": tasks,
        }
        ours_script, raw_script = _OURS.format(**fields), _RAW.format(**fields)
        env = _child_env(home)
        ours_cpu: list[float] = []
        raw_cpu: list[float] = []
        _child(ours_script, env, [])  # warm the byte-code caches of both
        _child(raw_script, env, [])
        ours_s, raw_s = interleave(
            [lambda: _child(ours_script, env, ours_cpu), lambda: _child(raw_script, env, raw_cpu)],
            rounds,
        )
    return [
        Result(
            name="B6 cold start",
            description=(
                "fresh process: import, create the client, first describe call against a "
                "running embedded backend: ssm-mw vs raw aiobotocore"
            ),
            ours=median(ours_s),
            baseline=median(raw_s),
            unit="s",
            target=1.0,
            rounds=rounds,
            ours_samples=ours_s,
            baseline_samples=raw_s,
            notes=(
                f"the children's CPU time: {median(ours_cpu) * 1e3:.0f} ms vs "
                f"{median(raw_cpu) * 1e3:.0f} ms, {median(ours_cpu) / median(raw_cpu):.3f}x"
            ),
        )
    ]
