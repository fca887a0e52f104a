"""Smoke-test the built distributions, run with the Python of a venv the wheel is installed in.

Usage: VENV/bin/python tools/smoke_wheel.py DIST_DIR

Checks the sdist and the wheel (LICENSE, py.typed, metadata), then uses the
installed wheel as a user would, from a directory outside the source tree:
``import ssm_mw``, the pytest plugin in a user's own test, ``ssm-mw --help``,
``ssm-mw demo`` and ``python -m ssm_mw.testing --help``.
"""

from __future__ import annotations

import email
import os
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import zipfile
from pathlib import Path

USER_CONFTEST = """\
pytest_plugins = ["ssm_mw.testing.pytest_plugin"]
"""
USER_PYPROJECT = """\
[tool.pytest.ini_options]
asyncio_mode = "auto"
asyncio_default_fixture_loop_scope = "function"
"""
USER_TEST = """\
import pytest
from ssm_mw import LambdaParameters, TaskDefinition, ThrottlingError, TaskUpdate, CutoffBehavior


async def test_register_update_get(mw_client, maintenance_window_id):
    task_id = await mw_client.register_task_with_maintenance_window(
        maintenance_window_id,
        TaskDefinition(
            task_arn="arn:aws:lambda:us-east-1:123456789012:function:notify",
            task_invocation_parameters=LambdaParameters(payload=b"{}"),
        ),
    )
    await mw_client.update_maintenance_window_task(
        maintenance_window_id, task_id, TaskUpdate(cutoff_behavior=CutoffBehavior.CANCEL_TASK)
    )
    task = await mw_client.get_maintenance_window_task(maintenance_window_id, task_id)
    assert task.cutoff_behavior is CutoffBehavior.CANCEL_TASK


async def test_faults(ssm_server, mw_client, maintenance_window_id):
    ssm_server.inject_fault(
        "DescribeMaintenanceWindowTasks", "ThrottlingException", times=None
    )
    with pytest.raises(ThrottlingError):
        await mw_client.describe_maintenance_window_tasks(maintenance_window_id)
"""


def fail(message: str) -> None:
    """Stop with one line on stderr."""
    print(f"error: smoke test: {message}", file=sys.stderr)
    sys.exit(1)


def check_distributions(dist: Path) -> None:
    """LICENSE in both, py.typed and botocore's trimmed data in the wheel, and the metadata."""
    wheels, sdists = sorted(dist.glob("ssm_mw-*.whl")), sorted(dist.glob("ssm_mw-*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        fail(f"{dist}: expected one wheel and one sdist, found {wheels + sdists}")
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
        if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
            fail(f"{wheels[0].name}: no LICENSE")
        if "ssm_mw/py.typed" not in names:
            fail(f"{wheels[0].name}: no py.typed")
        for data in (
            "ssm_mw/_data/ssm/2014-11-06/service-2.json",
            "ssm_mw/_data/endpoints-slice.json",
        ):
            if data not in names:
                fail(f"{wheels[0].name}: no {data}")
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(wheel.read(metadata_name))
    with tarfile.open(sdists[0]) as sdist:
        if not any(n.endswith("/LICENSE") and n.count("/") == 1 for n in sdist.getnames()):
            fail(f"{sdists[0].name}: no LICENSE")
    if metadata["License-Expression"] != "MIT":
        fail(f"License-Expression is {metadata['License-Expression']!r}")
    extras = set(metadata.get_all("Provides-Extra") or [])
    declared = set(_declared_extras())
    if extras != declared:
        fail(f"published extras are {sorted(extras)}, not pyproject.toml's {sorted(declared)}")
    urls = metadata.get_all("Project-URL") or []
    if not any(u.startswith("Documentation, https://") for u in urls):
        fail(f"no Documentation URL in {urls}")
    classifiers = set(metadata.get_all("Classifier") or [])
    for version in ("3.10", "3.11", "3.12", "3.13"):
        if f"Programming Language :: Python :: {version}" not in classifiers:
            fail(f"no classifier for Python {version}")
    description = metadata.get_payload()
    assert isinstance(description, str)
    if "](docs/" in description or "](CHANGELOG" in description:
        fail("the long description has relative links")
    print(f"ok: {wheels[0].name} and {sdists[0].name}: LICENSE, py.typed, data, metadata")


def run(args: list[str], cwd: Path, env: dict[str, str], expect: str) -> None:
    """Run ``args``; it must exit 0 and print ``expect``."""
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    output = result.stdout + result.stderr
    if result.returncode != 0 or expect not in output:
        fail(f"`{' '.join(args)}` exited {result.returncode}:\n{output}")
    print(f"ok: {' '.join(Path(args[0]).name if i == 0 else a for i, a in enumerate(args))}")


def _declared_extras() -> list[str]:
    """The extras pyproject.toml declares ([project.optional-dependencies])."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - the tools run on 3.11 and later here
        import tomli as tomllib
    with (Path(__file__).resolve().parents[1] / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)["project"]
    return list(project.get("optional-dependencies", {}))


def main(argv: list[str]) -> int:
    """Check the distributions in ``argv[1]``, then use the installed wheel."""
    check_distributions(Path(argv[1]))
    bin_dir = Path(sys.executable).parent
    source = Path(__file__).resolve().parent.parent
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    with tempfile.TemporaryDirectory(prefix="ssm-mw-smoke-") as work:
        project = Path(work)
        where = subprocess.run(
            [sys.executable, "-c", "import ssm_mw; print(ssm_mw.__file__, ssm_mw.__version__)"],
            cwd=project, env=env, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        if str(source / "src") in where or str(Path(sys.prefix)) not in where:
            fail(f"ssm_mw is imported from {where.strip()}, not from the installed wheel")
        print(f"ok: import ssm_mw: {where.strip()}")
        (project / "conftest.py").write_text(USER_CONFTEST)
        (project / "pyproject.toml").write_text(USER_PYPROJECT)
        (project / "test_my_tasks.py").write_text(textwrap.dedent(USER_TEST))
        run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"],
            project, env, "2 passed",
        )  # fmt: skip
        run([str(bin_dir / "ssm-mw"), "--help"], project, env, "Usage:")
        run([str(bin_dir / "ssm-mw"), "demo"], project, env, "Done:")
        run([sys.executable, "-m", "ssm_mw.testing", "--help"], project, env, "--port")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
