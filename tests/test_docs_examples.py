"""Every example in README.md and docs/ runs here, against the embedded backend.

The rules (docs/index.md, "About the examples", says the same for readers):

- Each page is one test. Its fenced blocks run in order, in a fresh temporary
  directory, against a fresh embedded backend that the standard AWS variables
  point at: ``AWS_ENDPOINT_URL_SSM`` (botocore honours it), dummy credentials,
  ``AWS_DEFAULT_REGION=us-east-1``, no config files. The backend holds the
  sample windows ``SAMPLE_WINDOWS`` in us-east-1 and eu-west-1, so an example
  reads as it would against an account that has them.
- ``python`` blocks run in one namespace per page, top-level ``await`` allowed
  (as in ``python -m asyncio``); a block may use what an earlier block on the
  page defined. Context an example needs is an earlier, visible block.
- A block whose first line is a file name comment (``# conftest.py``,
  ``# patch.yaml``) is written to that file instead (a second block with the
  same name adds to it). When a page has written ``test_*.py`` files, pytest
  runs them at the end of the page and every test in them must pass.
- ``console`` blocks are shell sessions: each ``$ `` line runs (one bash per
  page, so variables carry over), and the lines after it are its output,
  compared after the ports, task ids and window ids are replaced by
  placeholders (they differ from run to run); a ``...`` line stands for any
  lines. A command exits 0, unless its shown output has an ``error:`` line.
  A server (``ssm-mw serve``, ``python -m ssm_mw.testing``) runs until the end
  of the page, as if in another terminal, and must then stop with status 0 on
  SIGINT (or 130, "interrupted").
- ``sh`` blocks are commands that do not run here (installing, ``make``, the
  project's own benchmarks); they may not hold an ``ssm-mw`` or
  ``python -m ssm_mw...`` command: those are examples, and go in ``console``
  blocks.
- A ``python`` block that must not run (it needs real AWS) starts with a
  ``# not run`` comment that says why; it is still compiled.
- ``yaml``/``json``/``toml`` blocks without a file name must parse; ``text``
  blocks are output, synopses and diagrams. Every fence names its language.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import fcntl
import inspect
import json
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

from ssm_mw import MaintenanceWindowClient
from ssm_mw.testing import EmbeddedSSMServer

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(
    [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")],
    key=lambda p: p.relative_to(ROOT).as_posix(),
)
# Windows that exist in the backend of every page, in each of SAMPLE_REGIONS.
SAMPLE_WINDOWS = ("mw-0123456789abcdef0", "mw-0a1b2c3d4e5f6a7b8")
SAMPLE_REGIONS = ("us-east-1", "eu-west-1")
DEFAULT_REGION = "us-east-1"
COMMAND_TIMEOUT = 120.0
LANGUAGES = {"python", "console", "sh", "text", "yaml", "json", "toml"}
FILE_COMMENT = re.compile(r"^(?:#|//)\s*([\w.-]+\.(?:py|ya?ml|json|toml|txt|cfg|ini))\s*$")
NOT_RUN = re.compile(r"^#\s*not run\b", re.IGNORECASE)
SERVER_COMMAND = re.compile(r"^(?:ssm-mw\b.*\sserve\b|python3? -m ssm_mw\.testing\b)")
# Values that differ from run to run, replaced before output is compared.
VOLATILE = (
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<port>"),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<task-id>"),
    (re.compile(r"\bmw-[0-9a-f]{17}\b"), "<window-id>"),
)


@attrs.frozen
class Block:
    """One fenced block of a page."""

    page: Path
    line: int  # the line of the first content line (1-based)
    language: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def file_name(self) -> str | None:
        first = self.text.split("\n", 1)[0]
        match = FILE_COMMENT.match(first)
        return match.group(1) if match else None


def parse_blocks(page: Path) -> list[Block]:
    """The fenced blocks of a Markdown page (indented fences in lists included)."""
    blocks: list[Block] = []
    lines = page.read_text(encoding="utf-8").split("\n")
    opening = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
    index = 0
    while index < len(lines):
        match = opening.match(lines[index])
        if not match:
            index += 1
            continue
        indent, fence = len(match["indent"]), match["fence"]
        language = (match["info"].split() or [""])[0].lstrip(".{").rstrip("}")
        body: list[str] = []
        start = index + 1
        index += 1
        closing = re.compile(rf"^ {{0,{indent + 3}}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        while index < len(lines) and not closing.match(lines[index]):
            body.append(lines[index])
            index += 1
        if index == len(lines):
            raise AssertionError(f"{page.relative_to(ROOT)}:{start}: unclosed code fence")
        index += 1
        text = textwrap.dedent("\n".join(line[indent:] if line.strip() else "" for line in body))
        blocks.append(Block(page, start + 1, language, text))
    return blocks


def _page_id(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


# --- the environment ----------------------------------------------------------


@pytest.fixture(scope="module")
def page_server() -> Iterator[EmbeddedSSMServer]:
    """The pages' own server: its account (``MOTO_ACCOUNT_ID`` of the pages) belongs to no
    organization that another test's shared server made, so a page may make one."""
    with EmbeddedSSMServer() as server:
        yield server


@pytest.fixture
def page_env(
    page_server: EmbeddedSSMServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """A fresh backend with the sample windows, the AWS variables pointing at it, a temp cwd."""
    from moto.ssm.models import ssm_backends

    ssm_server = page_server
    ssm_server.reset()

    for region in SAMPLE_REGIONS:
        backend = ssm_backends[ssm_server.account_id][region]
        for window_id in SAMPLE_WINDOWS:
            generated = backend.create_maintenance_window(
                name=f"sample-{window_id[-4:]}", description=None, duration=2, cutoff=1,
                schedule="cron(0 2 ? * SUN *)", schedule_timezone=None, schedule_offset=None,
                start_date=None, end_date=None, tags=None,
            )  # fmt: skip
            window = backend.windows.pop(generated)
            window.id = window_id
            backend.windows[window_id] = window
    for name in list(os.environ):
        if name.startswith(("AWS_", "SSM_MW_")):
            monkeypatch.delenv(name)
    monkeypatch.delenv("NO_COLOR", raising=False)
    env = {
        "AWS_ENDPOINT_URL_SSM": ssm_server.endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": DEFAULT_REGION,
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "MOTO_ACCOUNT_ID": ssm_server.account_id,
        "COLUMNS": "120",
        "TERM": "dumb",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    work = tmp_path / "page"
    work.mkdir()
    monkeypatch.chdir(work)
    return dict(os.environ)


# --- python -----------------------------------------------------------------------


class PythonRunner:
    """Runs a page's python blocks in one namespace and one event loop."""

    def __init__(self, page: Path) -> None:
        self.module = types.ModuleType("ssm_mw_docs_example")
        self.module.__file__ = str(page)
        self.loop = asyncio.new_event_loop()
        sys.modules[self.module.__name__] = self.module

    def run(self, block: Block) -> None:
        source = "\n" * (block.line - 1) + block.text
        code = compile(source, str(block.page), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        try:
            if code.co_flags & inspect.CO_COROUTINE:
                self.loop.run_until_complete(eval(code, self.module.__dict__))
            else:
                exec(code, self.module.__dict__)
        except BaseException as exc:
            raise AssertionError(f"{block.where}: the python example failed: {exc!r}") from exc

    def close(self) -> None:
        # Cleanup only: clients and servers a page left open (closing twice is harmless).
        for value in list(vars(self.module).values()):
            if isinstance(value, MaintenanceWindowClient):
                self.loop.run_until_complete(value.aclose())
            elif isinstance(value, EmbeddedSSMServer):
                value.stop()
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()
        del sys.modules[self.module.__name__]


# --- console ----------------------------------------------------------------------


def normalize(text: str) -> str:
    """``text`` with the volatile values replaced and trailing blanks removed."""
    for pattern, placeholder in VOLATILE:
        text = pattern.sub(placeholder, text)
    return "\n".join(line.rstrip() for line in text.rstrip().split("\n")).strip("\n")


def output_matches(expected: str, actual: str) -> bool:
    """Whether ``actual`` is ``expected``, a ``...`` line standing for any lines."""
    expected, actual = normalize(expected), normalize(actual)
    if not expected:
        return not actual
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line.strip() == "..." else re.escape(line) + r"\n"
        for line in expected.split("\n")
    )
    return re.fullmatch(pattern, actual + "\n") is not None


@attrs.frozen
class Command:
    line: int
    command: str
    expected: str


def parse_session(block: Block) -> list[Command]:
    """The ``$ `` commands of a console block, each with the output shown after it."""
    commands: list[Command] = []
    lines = block.text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith("$ "):
            raise AssertionError(
                f"{block.page.relative_to(ROOT)}:{block.line + index}: a console block holds "
                f"`$ ` commands and their output; this line comes before any command: {line!r} "
                "(a synopsis goes in a text block, an install line in an sh block)"
            )
        start, command = index, line[2:]
        while command.endswith("\\") and index + 1 < len(lines):
            index += 1
            command = command[:-1] + " " + lines[index].lstrip("> ")
        index += 1
        output: list[str] = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index])
            index += 1
        commands.append(Command(block.line + start, command, "\n".join(output)))
    return commands


def _read_until(fd: int, done: Any, timeout: float, what: str) -> bytes:
    """Read ``fd`` until ``done(buffer)`` is true; fail after ``timeout`` seconds."""
    buffer = b""
    deadline = time.monotonic() + timeout
    while not done(buffer):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"{what}: no complete output after {timeout:.0f} s: {buffer!r}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buffer += chunk
    return buffer


class ConsoleRunner:
    """One bash per page; servers in processes of their own until the page ends."""

    MARKER = "__ssm_mw_docs_status__"

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.shell: subprocess.Popen[bytes] | None = None
        self.servers: list[tuple[Command, subprocess.Popen[bytes]]] = []

    def _bash(self) -> subprocess.Popen[bytes]:
        if self.shell is None:
            self.shell = subprocess.Popen(
                ["bash", "--noprofile", "--norc"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                env=self.env, cwd=os.getcwd(),
            )  # fmt: skip
        return self.shell

    def run(self, block: Block, command: Command) -> None:
        where = f"{block.page.relative_to(ROOT)}:{command.line}"
        if SERVER_COMMAND.match(command.command):
            self._serve(where, command)
            return
        shell = self._bash()
        assert shell.stdin is not None
        assert shell.stdout is not None
        script = f"{{ {command.command}\n}} </dev/null 2>&1\nprintf '\\n{self.MARKER} %s\\n' $?\n"
        shell.stdin.write(script.encode())
        shell.stdin.flush()
        tail = re.compile(rb"\n" + self.MARKER.encode() + rb" (\d+)\n$")
        raw = _read_until(
            shell.stdout.fileno(), tail.search, COMMAND_TIMEOUT, f"{where}: $ {command.command}"
        )
        found = tail.search(raw)
        if found is None:
            raise AssertionError(f"{where}: the shell ended: {raw!r}")
        status = int(found.group(1))
        output = raw[: found.start()].decode("utf-8", "replace")
        self._check(where, command, status, output)

    def _check(self, where: str, command: Command, status: int, output: str) -> None:
        may_fail = any(line.startswith("error:") for line in command.expected.split("\n"))
        if status != 0 and not may_fail:
            raise AssertionError(f"{where}: `{command.command}` exited {status}:\n{output}")
        if not output_matches(command.expected, output):
            raise AssertionError(
                f"{where}: `{command.command}` printed something else.\n"
                f"--- shown in the docs ---\n{normalize(command.expected)}\n"
                f"--- printed (paste it, the ids may stay) ---\n{output.rstrip()}"
            )

    def _serve(self, where: str, command: Command) -> None:
        process = subprocess.Popen(
            ["bash", "--noprofile", "--norc", "-c", f"exec {command.command}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=self.env, cwd=os.getcwd(),
        )  # fmt: skip
        self.servers.append((command, process))
        assert process.stdout is not None
        wanted = len(normalize(command.expected).split("\n"))
        raw = _read_until(
            process.stdout.fileno(),
            lambda buffer: buffer.count(b"\n") >= wanted,
            COMMAND_TIMEOUT,
            f"{where}: $ {command.command}",
        )
        self._check(where, command, 0, raw.decode("utf-8", "replace"))

    def close(self, block_where: str) -> None:
        if self.shell is not None:
            assert self.shell.stdin is not None
            self.shell.stdin.close()
            self.shell.wait(timeout=30)
            if self.shell.stdout is not None:
                self.shell.stdout.close()
        failures = []
        for command, process in self.servers:
            process.send_signal(signal.SIGINT)
            try:
                status = process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                status = None
            if process.stdout is not None:
                process.stdout.close()
            if status not in (0, 130):  # 130: the documented status of an interrupted command
                failures.append(f"`{command.command}` ended with {status} on SIGINT")
        if failures:
            raise AssertionError(f"{block_where}: " + "; ".join(failures))


# --- files and pytest -------------------------------------------------------------


def write_file(block: Block, name: str) -> None:
    path = Path(name)
    text = block.text.split("\n", 1)[1] if "\n" in block.text else ""
    with path.open("a", encoding="utf-8") as file:
        file.write(text.rstrip("\n") + "\n")
    check_data(block, text)


def check_data(block: Block, text: str) -> None:
    try:
        if block.language == "yaml":
            yaml.safe_load(text)
        elif block.language == "json":
            json.loads(text)
        elif block.language == "toml":
            tomllib.loads(text)
    except Exception as exc:
        raise AssertionError(
            f"{block.where}: the {block.language} block does not parse: {exc}"
        ) from exc


def run_user_tests(page: Path, env: dict[str, str]) -> None:
    """Run the ``test_*.py`` files the page wrote, as a user of the pytest plugin would."""
    files = sorted(Path().glob("test_*.py"))
    if not files:
        return
    expected = sum(
        len(re.findall(r"^(?:async )?def test_", f.read_text(), re.MULTILINE)) for f in files
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{_page_id(page)}: the page's tests failed:\n{output}"
    passed = re.search(r"(\d+) passed", output)
    assert passed is not None, output
    assert int(passed.group(1)) == expected, f"{_page_id(page)}: not every test ran:\n{output}"


# --- the tests --------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_page_examples(page: Path, page_env: dict[str, str]) -> None:
    """Every block of the page runs, in order, against the embedded backend."""
    with _servers_lock(page):
        _run_page(page, page_env)


@contextlib.contextmanager
def _servers_lock(page: Path) -> Iterator[None]:
    """Serialize pages that start servers (they may name a fixed port) across test runs."""
    if not any(
        SERVER_COMMAND.match(line[2:])
        for block in parse_blocks(page)
        if block.language == "console"
        for line in block.text.split("\n")
        if line.startswith("$ ")
    ):
        yield
        return
    with (Path(tempfile.gettempdir()) / "ssm-mw-docs-servers.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run_page(page: Path, page_env: dict[str, str]) -> None:
    python = PythonRunner(page)
    console = ConsoleRunner(page_env)
    try:
        for block in parse_blocks(page):
            name = block.file_name
            if block.language == "python" and NOT_RUN.match(block.text):
                compile(block.text, block.where, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
            elif name is not None and block.language in {"python", "yaml", "json", "toml"}:
                write_file(block, name)
            elif block.language == "python":
                python.run(block)
            elif block.language == "console":
                for command in parse_session(block):
                    console.run(block, command)
            elif block.language in {"yaml", "json", "toml"}:
                check_data(block, block.text)
    finally:
        try:
            console.close(_page_id(page))
        finally:
            python.close()
    run_user_tests(page, page_env)


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_page_fences_name_known_languages(page: Path) -> None:
    """Every fence names one of LANGUAGES, so no example escapes the runner unnoticed."""
    unknown = [
        f"{b.where}: fence language {b.language or '(none)'!r}, not one of {sorted(LANGUAGES)}"
        for b in parse_blocks(page)
        if b.language not in LANGUAGES
    ]
    assert not unknown, "\n".join(unknown)


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_sh_blocks_hold_no_examples(page: Path) -> None:
    """``sh`` blocks (not run) hold no ``ssm-mw`` or ``python -m ssm_mw...`` command."""
    misplaced = []
    for block in parse_blocks(page):
        if block.language != "sh":
            continue
        for offset, line in enumerate(block.text.split("\n")):
            words = shlex.split(line, comments=True) if line.strip() else []
            while words and "=" in words[0]:
                words.pop(0)  # VAR=value prefixes
            if _is_example(words):
                misplaced.append(f"{_page_id(page)}:{block.line + offset}: {line.strip()}")
    assert not misplaced, "run these as console examples:\n" + "\n".join(misplaced)


def _is_example(words: list[str]) -> bool:
    """Whether a command runs ssm-mw's command line or one of its modules."""
    if words[:1] == ["ssm-mw"]:
        return True
    return (
        len(words) > 2
        and re.fullmatch(r"python3?(\.\d+)?", words[0]) is not None
        and words[1] == "-m"
        and re.match(r"ssm_mw\b", words[2]) is not None
    )


def test_runner_finds_the_pages() -> None:
    """The pages the site is built from are all here."""
    names = {_page_id(p) for p in PAGES}
    assert {"README.md", "docs/usage.md", "docs/testing.md", "docs/cli.md"} <= names


def test_output_matching_rules() -> None:
    """Volatile values match each other, ``...`` stands for lines, anything else must agree."""
    assert output_matches(
        "endpoint: http://127.0.0.1:45731\nwindow: mw-3b1c2a9f0e8d7c6b5",
        "endpoint: http://127.0.0.1:41234  \nwindow: mw-0123456789abcdef0\n",
    )
    assert output_matches("first\n...\nlast", "first\na\nb\nlast")
    assert output_matches("first\n...\nlast", "first\nlast")
    assert not output_matches("first\nlast", "first\nmiddle\nlast")
    assert not output_matches("", "something")
    assert not output_matches("CANCEL_TASK", "CONTINUE_TASK")


def test_readme_links_are_absolute() -> None:
    """README.md is the PyPI page: a relative link there leads nowhere."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    relative = [
        target
        for target in re.findall(r"\]\(([^)\s]+)\)", text)
        if not re.match(r"^(https?://|mailto:|#)", target)
    ]
    assert not relative, f"README.md: use absolute URLs (the docs site), not {relative}"
