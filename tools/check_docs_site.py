"""Check a built docs site: the API reference holds every public name of ssm-mw.

Usage: python tools/check_docs_site.py SITE_DIR (after ``mkdocs build``).
"""

from __future__ import annotations

import importlib
import sys
import zlib
from pathlib import Path

MODULES = ("ssm_mw", "ssm_mw.testing", "ssm_mw.testing.pytest_plugin")


def inventory(site: Path) -> set[str]:
    """The object names in the site's ``objects.inv`` (Sphinx inventory v2)."""
    header_lines = 4
    raw = (site / "objects.inv").read_bytes().split(b"\n", header_lines)
    body = zlib.decompress(raw[header_lines]).decode("utf-8")
    return {line.split(" ", 1)[0] for line in body.splitlines() if line}


def main(argv: list[str]) -> int:
    """Print each public name missing from the reference; exit 1 if any is."""
    site = Path(argv[1]) if len(argv) > 1 else Path("build/site")
    names = inventory(site)
    missing = [
        f"{module}.{name}"
        for module in MODULES
        for name in importlib.import_module(module).__all__
        if f"{module}.{name}" not in names
    ]
    for name in missing:
        print(f"error: {site}/objects.inv: {name} is not in the API reference", file=sys.stderr)
    if not missing:
        print(f"{site}: the API reference documents every public name of {', '.join(MODULES)}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
