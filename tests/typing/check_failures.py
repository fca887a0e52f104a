"""Check that mypy and pyright reject every line marked ``# E`` in tests/typing/fail_*.py,
and accept the docs' examples marked ``<!-- strict -->``.

Each marked line must produce at least one error, and no other line may. A
```python`` block of docs/*.md right after a ``<!-- strict -->`` line is checked
as the body of ``async def example(mw, window_id, task_id)`` (a
``MaintenanceWindowClient`` and two ``str``): it must pass ``mypy --strict`` and
pyright strict with the stubs docs/usage.md names ("Types").
Run from the repository root: ``python tests/typing/check_failures.py``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
MARK = re.compile(r"#\s*E\b")
DOCS = HERE.parent.parent / "docs"
STRICT = re.compile(r"^<!-- strict -->\n```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXAMPLE_HEAD = """\
from ssm_mw import MaintenanceWindowClient


async def example(mw: MaintenanceWindowClient, window_id: str, task_id: str) -> None:
"""


def expected_lines(path: Path) -> set[int]:
    """Line numbers marked ``# E``."""
    return {i for i, line in enumerate(path.read_text().splitlines(), 1) if MARK.search(line)}


def mypy_lines(path: Path) -> set[int]:
    """Line numbers where mypy --strict reports an error."""
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(path)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    pattern = re.compile(rf"^(?:.*/)?{re.escape(path.name)}:(\d+): error:", re.MULTILINE)
    return {int(m.group(1)) for m in pattern.finditer(out)}


def pyright_lines(path: Path) -> set[int]:
    """Line numbers where pyright (strict) reports an error."""
    bin_dir = Path(sys.executable).parent
    root = HERE.parent.parent.resolve()
    # The project config excludes the fail_ snippets: check a copy with a config of its own.
    config = {
        "include": [path.name],
        "typeCheckingMode": "strict",
        "pythonVersion": "3.10",
        "venvPath": str(root),
        "venv": ".venv",
        "reportMissingTypeStubs": False,
    }
    with tempfile.TemporaryDirectory() as tmp:
        config_path = Path(tmp) / "pyrightconfig.json"
        config_path.write_text(json.dumps(config))
        (Path(tmp) / path.name).write_text(path.read_text())
        out = subprocess.run(
            [str(bin_dir / "pyright"), "--outputjson", "-p", str(config_path)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    report = json.loads(out)
    return {
        d["range"]["start"]["line"] + 1
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    }


def statement_lines(path: Path, lines: set[int]) -> set[int]:
    """Map each error line to the marked line of the statement it belongs to.

    A checker may report a multi-line call on its first line: count an error
    on any line up to the next marked line as belonging to that marked line.
    """
    marked = sorted(expected_lines(path))
    result = set()
    for line in lines:
        following = [m for m in marked if m >= line]
        result.add(following[0] if following and following[0] - line <= 3 else line)
    return result


def strict_examples() -> list[tuple[str, str]]:
    """Each ``<!-- strict -->`` example of docs/*.md: its place and its module text."""
    out = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for match in STRICT.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            body = "".join(
                f"    {row}" if row.strip() else row for row in match.group(1).splitlines(True)
            )
            out.append((f"docs/{page.name}:{line}", EXAMPLE_HEAD + body))
    return out


def check_examples() -> int:
    """Type-check each strict example with both checkers; the number that fail."""
    failures = 0
    examples = strict_examples()
    if not examples:
        print("no <!-- strict --> examples found in docs/")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        for n, (where, module) in enumerate(examples):
            path = Path(tmp) / f"strict_example_{n}.py"
            path.write_text(module, encoding="utf-8")
            for name, check in (("mypy", mypy_lines), ("pyright", pyright_lines)):
                errors = check(path)
                if errors:
                    failures += 1
                    head = EXAMPLE_HEAD.count("\n")
                    rows = sorted(line - head for line in errors)
                    print(f"{where} [{name}]: errors on lines {rows} of the example")
                else:
                    print(f"{where} [{name}]: the strict example type-checks")
    return failures


def main() -> int:
    """Check every fail_*.py file and strict docs example with both checkers; exit 1 on any
    mismatch."""
    failures = check_examples()
    files = sorted(HERE.glob("fail_*.py"))
    if not files:
        print("no fail_*.py snippets found")
        return 1
    for path in files:
        want = expected_lines(path)
        for name, check in (("mypy", mypy_lines), ("pyright", pyright_lines)):
            got = statement_lines(path, check(path))
            if got != want:
                failures += 1
                print(
                    f"{path.name} [{name}]: missing errors on lines {sorted(want - got)}, "
                    f"unexpected errors on lines {sorted(got - want)}"
                )
            else:
                print(f"{path.name} [{name}]: {len(want)} expected errors, all reported")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
