"""Check the docs site: the API reference, the rendered docstrings, and the project's URLs.

Usage: python tools/check_docs_site.py [SITE_DIR] (after ``mkdocs build``; default build/site).

Prints one line per problem, naming the page or file, and exits 1 if there is any:

- every public name of ssm-mw (``__all__`` of each of MODULES) has exactly one
  ``::: module.name`` in the pages of docs/reference/, and the built site's
  ``objects.inv`` has it on exactly one page;
- no page of the site shows Sphinx markup as text: a cross-reference role
  (``:class:`X```) or a literal block's ``::`` (``Example::``), which
  tools/griffe_sphinx_markup.py renders as links and code;
- README.md and pyproject.toml's ``[project.urls]`` (read on PyPI, so absolute)
  agree with mkdocs.yml, the one place that holds the project's URLs: each URL
  is under its ``site_url`` (the default, without SITE_URL) or ``repo_url``,
  the Documentation URL is ``site_url``, and each README link into the site
  leads to a page (and an anchor) of the built site; the docs pages do not
  spell those URLs (they link to each other relatively).
"""

from __future__ import annotations

import importlib
import re
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("ssm_mw", "ssm_mw.testing", "ssm_mw.testing.pytest_plugin")
#: Sites other than the project's own that README.md and [project.urls] may link to.
OTHER_SITES: tuple[str, ...] = ()

_DIRECTIVE = re.compile(r"^:::\s+(\S+)", re.MULTILINE)
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)
_CODE = re.compile(r"<code\b[^>]*>(.*?)</code>", re.DOTALL)
#: Sphinx markup left as text, once code spans are back in backticks: a role outside code,
#: or the ``::`` that ends a paragraph before a literal block.
_RAW_MARKUP = re.compile(
    r"(?<!`):(?:py:)?(?:func|class|meth|attr|data|exc|mod|obj|const):`[^`<]*`?"
    r"|[^\s`:]::(?=\s*</p>)"
    r"|(?<![`\w])Example::"
)
_URL = re.compile(r"https?://[^\s)>\]\"'`]+")


def public_names() -> list[str]:
    """The full name of every public name: ``ssm_mw.TaskDefinition``, ..."""
    return [
        f"{module}.{name}" for module in MODULES for name in importlib.import_module(module).__all__
    ]


def inventory(site: Path) -> dict[str, set[str]]:
    """The object names in the site's ``objects.inv`` (Sphinx inventory v2), with their pages."""
    header_lines = 4
    raw = (site / "objects.inv").read_bytes().split(b"\n", header_lines)
    body = zlib.decompress(raw[header_lines]).decode("utf-8")
    pages: dict[str, set[str]] = {}
    for line in body.splitlines():
        if line:
            name, _domain, _priority, uri, _shown = line.split(" ", 4)
            pages.setdefault(name, set()).add(uri.split("#", 1)[0])
    return pages


def inventory_problems(site: Path, names: list[str]) -> list[str]:
    """Each public name that the built reference lacks or shows on more than one page."""
    if not (site / "objects.inv").is_file():
        return [f"{site}: no objects.inv (build the site first: mkdocs build)"]
    pages = inventory(site)
    problems = []
    for name in names:
        found = sorted(pages.get(name, ()))
        if not found:
            problems.append(f"{site}/objects.inv: {name} is on no page of the API reference")
        elif len(found) > 1:
            problems.append(f"{site}/objects.inv: {name} is on {len(found)} pages: {found}")
    return problems


def directive_problems(docs: Path, names: list[str]) -> list[str]:
    """Each public name without exactly one ``::: name`` in docs/reference/*.md."""
    pages: dict[str, list[str]] = {name: [] for name in names}
    for page in sorted((docs / "reference").glob("*.md")):
        for target in _DIRECTIVE.findall(page.read_text(encoding="utf-8")):
            pages.setdefault(target, []).append(page.relative_to(docs).as_posix())
    problems = []
    for name in names:
        if not pages[name]:
            problems.append(
                f"{docs}/reference: {name} is on no page (add `::: {name}` to the page of its area)"
            )
        elif len(pages[name]) > 1:
            problems.append(f"{docs}/reference: {name} is on more than one page: {pages[name]}")
    return problems


def markup_problems(site: Path) -> list[str]:
    """Each piece of Sphinx markup that a page of the built site shows as text."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        text = _CODE.sub(lambda m: f"`{m[1]}`", _PRE.sub("", page.read_text(encoding="utf-8")))
        for match in _RAW_MARKUP.finditer(text):
            before = text[max(0, match.start() - 60) : match.start()].rsplit(">", 1)[-1]
            shown = " ".join(f"{before}{match[0]}".split()[-4:])  # from the text since a tag
            problems.append(
                f"{page.relative_to(site).as_posix()}: Sphinx markup shown as text: {shown!r}"
            )
    return problems


class _MkdocsLoader(yaml.SafeLoader):
    """mkdocs.yml's YAML: ``!ENV [NAME, default]`` is its default (the environment aside)."""


def _env_default(loader: _MkdocsLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)[-1]
    return None


_MkdocsLoader.add_constructor("!ENV", _env_default)


def project_urls(root: Path) -> dict[str, str]:
    """mkdocs.yml's site_url (default), repo_url and repo_name."""
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkdocsLoader)
    return {key: str(config.get(key) or "") for key in ("site_url", "repo_url", "repo_name")}


def _urls(text: str) -> Iterator[str]:
    for url in _URL.findall(text):
        yield url.rstrip(".,;:")


def url_problems(root: Path, site: Path | None = None) -> list[str]:
    """Each URL of README.md, [project.urls] or docs/ that disagrees with mkdocs.yml.

    With ``site`` (a built site), each README link into the docs site must also
    lead to one of its pages, and to an element of that page if it has an anchor.
    """
    urls = project_urls(root)
    site_url, repo_url = urls["site_url"], urls["repo_url"]
    problems = []
    if not site_url.endswith("/"):
        problems.append(f"mkdocs.yml: site_url {site_url!r} does not end with '/'")
    if not repo_url.endswith(f"/{urls['repo_name']}"):
        problems.append(f"mkdocs.yml: repo_url {repo_url!r} does not end with repo_name")
    ours = (site_url, repo_url.rstrip("/") + "/", *OTHER_SITES)

    def elsewhere(url: str) -> bool:
        return url != repo_url and not url.startswith(ours)

    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for label, url in project.get("urls", {}).items():
        if elsewhere(url):
            problems.append(
                f"pyproject.toml: [project.urls] {label} = {url!r} is under neither mkdocs.yml's "
                f"site_url ({site_url}) nor its repo_url ({repo_url})"
            )
    if project.get("urls", {}).get("Documentation") != site_url:
        problems.append(f"pyproject.toml: [project.urls] Documentation is not {site_url!r}")
    readme = (root / "README.md").read_text(encoding="utf-8")
    if site_url not in readme:
        problems.append(f"README.md: no link to the docs site, {site_url}")
    for url in _urls(readme):
        if elsewhere(url):
            problems.append(
                f"README.md: {url} is under neither mkdocs.yml's site_url ({site_url}) nor its "
                f"repo_url ({repo_url})"
            )
        elif site is not None and url.startswith(site_url):
            problem = _landing_problem(site, url[len(site_url) :])
            if problem:
                problems.append(f"README.md: {url}: {problem}")
    for page in sorted((root / "docs").rglob("*.md")):
        for url in _urls(page.read_text(encoding="utf-8")):
            if url.startswith((site_url, repo_url)):
                problems.append(
                    f"{page.relative_to(root).as_posix()}: {url}: link to the page relatively "
                    "(or name the repository's file) instead"
                )
    return problems


def _landing_problem(site: Path, link: str) -> str | None:
    """Why ``link`` (relative to the site's root) leads to no page or anchor of ``site``."""
    path, _, anchor = link.partition("#")
    page = site / path / "index.html" if path == "" or path.endswith("/") else site / path
    if not page.is_file():
        return f"no page {page.relative_to(site).as_posix()} in the built site"
    if anchor and f'id="{anchor}"' not in page.read_text(encoding="utf-8"):
        return f"no #{anchor} on {page.relative_to(site).as_posix()}"
    return None


def main(argv: list[str]) -> int:
    """Print each problem of the site at ``argv[1]`` and of the sources; exit 1 if any."""
    site = Path(argv[1]) if len(argv) > 1 else Path("build/site")
    names = public_names()
    problems = [
        *directive_problems(ROOT / "docs", names),
        *inventory_problems(site, names),
        *markup_problems(site),
        *url_problems(ROOT, site),
    ]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if not problems:
        print(
            f"{site}: the API reference documents each public name of {', '.join(MODULES)} on "
            f"one page ({len(names)} names), no page shows Sphinx markup, the project's URLs "
            "agree with mkdocs.yml"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
