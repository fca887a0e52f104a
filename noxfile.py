"""The CI matrix: the test suite on Python 3.10-3.13, and at the lowest and newest dependencies.

``make matrix`` runs every session (``nox -l`` lists them). Each session makes a
fresh virtual environment with uv, installs ssm-mw from this tree as a user
would (not editable) with its ``testing`` and ``cli`` extras and the ``test``
dependency group, and runs the whole pytest suite:

- ``tests-3.10`` ... ``tests-3.13``: the pinned set of ``constraints.txt``.
- ``lowest``: Python 3.10 and the lowest version every direct requirement
  allows (uv's ``--resolution lowest-direct``): the published lower bounds.
- ``newest``: Python 3.13 and the newest release of everything, no constraints.

Interpreters come from pyenv (``versions/3.X.*`` under ``$PYENV_ROOT``, the
root of the ``pyenv`` on ``PATH`` or of its shims, or ``~/.pyenv``; the newest
patch release), or else from ``python3.X`` on ``PATH``; a missing one fails its
session, it is never skipped. Extra arguments after ``--`` go to pytest.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import nox

nox.options.default_venv_backend = "none"
nox.options.error_on_missing_interpreters = True
nox.options.reuse_existing_virtualenvs = False

ROOT = Path(__file__).resolve().parent
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
ENVS = ROOT / ".nox"
#: pytest-xdist's workers (as ``make pytest``): more than the cores, many tests wait on a server.
WORKERS = os.environ.get("PYTEST_WORKERS", "4")


def _pyenv_roots() -> list[Path]:
    """Where pyenv keeps its versions: $PYENV_ROOT, next to ``pyenv`` or its shims, ~/.pyenv."""
    roots = [Path(os.environ["PYENV_ROOT"])] if os.environ.get("PYENV_ROOT") else []
    pyenv = shutil.which("pyenv")
    if pyenv is not None:
        roots.append(Path(pyenv).resolve().parent.parent)
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if entry.endswith("shims"):
            roots.append(Path(entry).parent)
    roots.append(Path.home() / ".pyenv")
    return [root for root in dict.fromkeys(roots) if (root / "versions").is_dir()]


def find_python(version: str) -> str:
    """The path of the newest installed ``version`` (``"3.10"``) interpreter."""
    pattern = re.compile(rf"^{re.escape(version)}\.(\d+)$")
    found = sorted(
        (int(m.group(1)), path / "bin" / "python3")
        for root in _pyenv_roots()
        for path in (root / "versions").glob(f"{version}.*")
        if (m := pattern.match(path.name)) and (path / "bin" / "python3").exists()
    )
    if found:
        return str(found[-1][1])
    on_path = shutil.which(f"python{version}")
    if on_path is None:
        raise RuntimeError(f"no Python {version}: install it with pyenv (pyenv install {version})")
    return on_path


def _uv(session: nox.Session) -> str:
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    uv = shutil.which("uv", path=search)
    if uv is None:
        session.error("uv is needed: pip install uv")
    return uv


def _suite(session: nox.Session, version: str, *install: str) -> None:
    """Make a fresh venv for ``version``, install ssm-mw with ``install`` options, run pytest."""
    uv = _uv(session)
    venv = ENVS / re.sub(r"[^\w.-]+", "-", session.name).strip("-")
    session.run(
        uv, "venv", "--quiet", "--clear", "--python", find_python(version), str(venv), external=True
    )
    env = {"VIRTUAL_ENV": str(venv), "UV_PYTHON_DOWNLOADS": "never"}
    session.run(
        uv, "pip", "install", "--quiet", ".[testing,cli]", "--group", "test", *install,
        env=env, external=True,
    )  # fmt: skip
    session.run(uv, "pip", "list", "--quiet", env=env, external=True)
    python = str(venv / "bin" / "python")
    session.run(
        python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", WORKERS, *session.posargs,
        env={"PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}, external=True,
    )  # fmt: skip


@nox.session(name="tests")
@nox.parametrize("version", PYTHONS, ids=PYTHONS)
def tests(session: nox.Session, version: str) -> None:
    """The suite on one Python, with the pinned dependencies of constraints.txt."""
    _suite(session, version, "--constraint", "constraints.txt")


@nox.session
def lowest(session: nox.Session) -> None:
    """The suite on Python 3.10 at the lowest versions the published ranges allow."""
    _suite(session, "3.10", "--resolution", "lowest-direct")


@nox.session
def newest(session: nox.Session) -> None:
    """The suite on Python 3.13 at the newest release of every dependency."""
    _suite(session, "3.13", "--resolution", "highest", "--upgrade")
