"""The docs site's tools: tools/check_docs_site.py and tools/griffe_sphinx_markup.py.

``make docs-build`` builds the site and runs the check; these tests prove that
the check fails on what it must catch (a public name on no page or on two, a
Sphinx role or ``Example::`` left as text, a URL that disagrees with
mkdocs.yml), and run its source-level parts on this tree, so a public name
added without a reference entry fails here too. The extension's tests need
griffe (the ``docs`` dependency group) and are skipped without it.
"""

from __future__ import annotations

import importlib.util
import re
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _tool("check_docs_site")


def _markup() -> ModuleType:
    pytest.importorskip("griffe", reason="griffe is in the docs dependency group")
    return _tool("griffe_sphinx_markup")


# -- the check: the reference's pages --------------------------------------------------


def test_each_public_name_has_one_reference_entry() -> None:
    """Every name of the public namespaces has exactly one ``::: name`` in docs/reference/."""
    names = check.public_names()
    assert "ssm_mw.TaskDefinition" in names
    assert "ssm_mw.testing.pytest_plugin.mw_client" in names
    assert check.directive_problems(ROOT / "docs", names) == []


def test_a_name_on_no_page_or_on_two_fails(tmp_path: Path) -> None:
    """A public name that no page of docs/reference/ holds, or two do, is a problem."""
    pages = tmp_path / "reference"
    pages.mkdir()
    (pages / "a.md").write_text("# A\n\n::: ssm_mw.Target\n\n::: ssm_mw.TaskType\n")
    (pages / "b.md").write_text("# B\n\n::: ssm_mw.TaskType\n    options:\n      a: 1\n")
    problems = check.directive_problems(tmp_path, ["ssm_mw.Target", "ssm_mw.TaskType", "ssm_mw.X"])
    assert problems == [
        f"{tmp_path}/reference: ssm_mw.TaskType is on more than one page: "
        "['reference/a.md', 'reference/b.md']",
        f"{tmp_path}/reference: ssm_mw.X is on no page (add `::: ssm_mw.X` to the page of its "
        "area)",
    ]


def _inventory(site: Path, entries: list[tuple[str, str]]) -> None:
    """Write ``site/objects.inv`` (Sphinx inventory v2) holding ``(name, page)`` entries."""
    body = "".join(f"{name} py:class 1 {page}#$ -\n" for name, page in entries)
    header = "# Sphinx inventory version 2\n# Project: x\n# Version: 0\n# zlib\n"
    site.mkdir(parents=True, exist_ok=True)
    (site / "objects.inv").write_bytes(header.encode() + zlib.compress(body.encode()))


def test_the_built_reference_has_each_name_on_one_page(tmp_path: Path) -> None:
    """objects.inv must list each public name, on one page only."""
    _inventory(
        tmp_path,
        [
            ("ssm_mw.Target", "reference/models/"),
            ("ssm_mw.Plan", "reference/a/"),
            ("ssm_mw.Plan", "reference/b/"),
            ("ssm_mw.Plan.loads", "reference/a/"),
        ],
    )
    problems = check.inventory_problems(tmp_path, ["ssm_mw.Target", "ssm_mw.Plan", "ssm_mw.X"])
    assert problems == [
        f"{tmp_path}/objects.inv: ssm_mw.Plan is on 2 pages: ['reference/a/', 'reference/b/']",
        f"{tmp_path}/objects.inv: ssm_mw.X is on no page of the API reference",
    ]
    assert check.inventory_problems(tmp_path / "unbuilt", ["ssm_mw.Target"]) == [
        f"{tmp_path}/unbuilt: no objects.inv (build the site first: mkdocs build)"
    ]


# -- the check: Sphinx markup shown as text -----------------------------------------------

RAW_PAGE = """<html><body><article>
<p>Raises :class:<code>~ssm_mw.ValidationError</code> when it is not.</p>
<p>Example::</p>
<p>a file such as::</p>
<div class="highlight"><pre><code>x = 1</code></pre></div>
</article></body></html>
"""
CLEAN_PAGE = """<html><body><article>
<p>Raises <a class="autorefs autorefs-internal" href="../errors/#ssm_mw.ValidationError">
<code>ValidationError</code></a> when it is not; <code>OSError</code> if unreadable.</p>
<p>Example:</p>
<div class="highlight"><pre><code>x = 1  # :class:`X`, Example:: in code</code></pre></div>
<p>A role is <code>:class:</code>, a whole one <code>:func:`f`</code>, <code>Example::</code>.</p>
</article></body></html>
"""


def test_the_markup_check_fails_on_a_raw_role_and_passes_on_a_clean_page(tmp_path: Path) -> None:
    """A role or a literal block's ``::`` shown as text is one problem each, naming its page."""
    (tmp_path / "reference" / "errors").mkdir(parents=True)
    (tmp_path / "reference" / "errors" / "index.html").write_text(RAW_PAGE)
    (tmp_path / "index.html").write_text(CLEAN_PAGE)
    assert check.markup_problems(tmp_path) == [
        "reference/errors/index.html: Sphinx markup shown as text: "
        "'Raises :class:`~ssm_mw.ValidationError`'",
        "reference/errors/index.html: Sphinx markup shown as text: 'Example::'",
        "reference/errors/index.html: Sphinx markup shown as text: 'a file such as::'",
    ]
    (tmp_path / "reference" / "errors" / "index.html").write_text(CLEAN_PAGE)
    assert check.markup_problems(tmp_path) == []


def _site_for_main(site: Path) -> None:
    """A site that passes every check of main: an entry per public name, README's pages."""
    _inventory(site, [(name, "reference/x/") for name in check.public_names()])
    site_url = check.project_urls(ROOT)["site_url"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for url in re.findall(rf"{re.escape(site_url)}[^\s)>]*", readme):
        path, _, anchor = url[len(site_url) :].partition("#")
        page = site / path / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        ids = page.read_text() if page.exists() else ""
        page.write_text(f'{ids}<p id="{anchor}">{CLEAN_PAGE}</p>\n')


def test_main_exits_1_with_a_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole check: exit 0 on a clean site; exit 1 and one error line naming the page."""
    _site_for_main(tmp_path)
    assert check.main(["check_docs_site.py", str(tmp_path)]) == 0
    assert "no page shows Sphinx markup" in capsys.readouterr().out
    (tmp_path / "reference" / "x").mkdir(parents=True)
    (tmp_path / "reference" / "x" / "index.html").write_text(
        "<p>See :meth:<code>Plan.loads</code>.</p>"
    )
    assert check.main(["check_docs_site.py", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: reference/x/index.html: Sphinx markup shown as text: 'See :meth:`Plan.loads`'"
    ]


# -- the check: the project's URLs --------------------------------------------------------


def test_the_project_urls_agree_with_mkdocs_yml() -> None:
    """README.md, [project.urls] and docs/ agree with mkdocs.yml's site_url and repo_url."""
    urls = check.project_urls(ROOT)
    assert urls["site_url"].startswith("https://")
    assert urls["repo_url"].startswith("https://")
    assert check.url_problems(ROOT) == []


def _project(root: Path, site_url: str, readme: str, page: str = "# Home\n") -> None:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(page)
    (root / "README.md").write_text(readme)
    (root / "mkdocs.yml").write_text(
        f'site_url: !ENV [SITE_URL, "{site_url}"]\n'
        "repo_url: https://git.example/o/p\nrepo_name: o/p\n"
    )
    (root / "pyproject.toml").write_text(
        '[project]\nname = "p"\n[project.urls]\n'
        'Documentation = "https://docs.example/p/"\nSource = "https://git.example/o/p"\n'
        'Issues = "https://git.example/o/p/issues"\n'
    )


def test_a_url_that_disagrees_with_mkdocs_yml_fails(tmp_path: Path) -> None:
    """A site_url changed in mkdocs.yml alone makes README.md and pyproject.toml disagree."""
    readme = "Docs: <https://docs.example/p/>, [usage](https://docs.example/p/usage/).\n"
    _project(tmp_path / "same", "https://docs.example/p/", readme)
    assert check.url_problems(tmp_path / "same") == []
    _project(
        tmp_path / "moved",
        "https://new.example/",
        readme,
        page="See [usage](https://new.example/usage/) and https://git.example/o/p/blob/main/x.\n",
    )
    site = "site_url (https://new.example/) nor its repo_url (https://git.example/o/p)"
    assert check.url_problems(tmp_path / "moved") == [
        "pyproject.toml: [project.urls] Documentation = 'https://docs.example/p/' is under "
        f"neither mkdocs.yml's {site}",
        "pyproject.toml: [project.urls] Documentation is not 'https://new.example/'",
        "README.md: no link to the docs site, https://new.example/",
        f"README.md: https://docs.example/p/ is under neither mkdocs.yml's {site}",
        f"README.md: https://docs.example/p/usage/ is under neither mkdocs.yml's {site}",
        "docs/index.md: https://new.example/usage/: link to the page relatively (or name the "
        "repository's file) instead",
        "docs/index.md: https://git.example/o/p/blob/main/x: link to the page relatively (or "
        "name the repository's file) instead",
    ]


def test_a_readme_link_must_lead_to_a_page_of_the_built_site(tmp_path: Path) -> None:
    """A README link into the site names a page (and an anchor) that the build made."""
    readme = (
        "<https://docs.example/p/>, [ref](https://docs.example/p/reference/), "
        "[old](https://docs.example/p/reference.html), [a](https://docs.example/p/#nowhere)\n"
    )
    _project(tmp_path, "https://docs.example/p/", readme)
    site = tmp_path / "site"
    (site / "reference").mkdir(parents=True)
    (site / "index.html").write_text('<h2 id="about">About</h2>')
    (site / "reference" / "index.html").write_text("<h1>API reference</h1>")
    assert check.url_problems(tmp_path, site) == [
        "README.md: https://docs.example/p/reference.html: no page reference.html in the built "
        "site",
        "README.md: https://docs.example/p/#nowhere: no #nowhere on index.html",
    ]


# -- the extension: Sphinx markup as Markdown ---------------------------------------------


def _resolve(target: str) -> str | None:
    """A stand-in for the site's lookup: names of ``ssm_mw`` resolve, others do not."""
    known = {"TaskDefinition", "Plan.loads", "ssm_mw.TaskDefinition", "MaintenanceWindowClient"}
    if target not in known:
        return None
    return target if target.startswith("ssm_mw.") else f"ssm_mw.{target}"


def test_roles_become_links_or_inline_code() -> None:
    """``~`` shows the last part, a title replaces the name, an unknown name is inline code."""
    markup = _markup()
    text = (
        "A :class:`~ssm_mw.TaskDefinition`, :meth:`Plan.loads`, :py:class:`TaskDefinition`,\n"
        ":class:`the client <MaintenanceWindowClient>`, :class:`OSError`, :exc:`~a.b.Error`,\n"
        ":func:`!TaskDefinition`; ``:class:`literal``` and ``a wrapped\n"
        "literal :class:`Plan.loads` `` stay."
    )
    assert markup.rewrite_roles(text, _resolve) == (
        "A [`TaskDefinition`][ssm_mw.TaskDefinition], [`Plan.loads`][ssm_mw.Plan.loads], "
        "[`TaskDefinition`][ssm_mw.TaskDefinition],\n"
        "[the client][ssm_mw.MaintenanceWindowClient], `OSError`, `Error`,\n"
        "`TaskDefinition`; ``:class:`literal``` and ``a wrapped\n"
        "literal :class:`Plan.loads` `` stay."
    )


def test_literal_blocks_become_fenced_code() -> None:
    """``Example::`` ends in ``:``, ``text ::`` loses it, the block is fenced with its language."""
    markup = _markup()
    text = (
        "Build one.\n\nExample::\n\n    plan = await plan_tasks(mw, desired)\n"
        "    for task in plan.tasks:\n        print(task)\n\n"
        "A file such as ::\n\n    Key: value\n      Nested: [1\n\nThen :class:`Plan.loads`.\n\n"
        "::\n\n    x = 1\n\nLast::\n    not a block: no blank line before it"
    )
    rewritten = markup.rewrite_literal_blocks(text)
    assert rewritten == (
        "Build one.\n\nExample:\n\n```python\nplan = await plan_tasks(mw, desired)\n"
        "for task in plan.tasks:\n    print(task)\n```\n\n"
        "A file such as\n\n```text\nKey: value\n  Nested: [1\n```\n\nThen :class:`Plan.loads`.\n\n"
        "```python\nx = 1\n```\n\nLast::\n    not a block: no blank line before it"
    )
    indented = markup.rewrite_literal_blocks("* an item, with::\n\n      code()\n\n  more")
    assert indented == "* an item, with:\n\n  ```python\n  code()\n  ```\n\n  more"
    # Roles in fenced code are code.
    assert markup.rewrite("Example::\n\n    :class:`Plan.loads`\n", _resolve) == (
        "Example:\n\n```text\n:class:`Plan.loads`\n```"
    )


@pytest.fixture(scope="module")
def package() -> Any:
    """ssm_mw from this tree, loaded by griffe with the extension as mkdocs.yml configures it."""
    griffe = pytest.importorskip("griffe", reason="griffe is in the docs dependency group")
    markup = _tool("griffe_sphinx_markup")
    extension = markup.SphinxMarkup(namespaces=list(check.MODULES))
    return griffe.load(
        "ssm_mw",
        search_paths=[str(ROOT / "src")],
        extensions=griffe.load_extensions(extension),
    )


def test_the_extension_links_each_role_to_its_entry_on_the_site(package: Any) -> None:
    """Bare, dotted, ``~`` and inherited names resolve to public paths; the rest is code."""
    plan_tasks = package["_plan"]["plan_tasks"].docstring.value
    assert "[`Plan`][ssm_mw.Plan]" in plan_tasks  # a class of the same module
    assert "[`PlanAction.DELETE`][ssm_mw.PlanAction.DELETE]" in plan_tasks  # an enum member
    assert "[`MaintenanceWindowClient`][ssm_mw.MaintenanceWindowClient]" in plan_tasks
    assert "Example:\n\n```python\nplan = await plan_tasks(" in plan_tasks
    paginator = package["_paginator"]["TaskPaginator"].docstring.value
    # A private base's member is documented on the public class.
    assert "[`resume_token`][ssm_mw.TaskPaginator.resume_token]" in paginator
    server = package["testing"]["_server"]["EmbeddedSSMServer"].docstring.value
    assert "][ssm_mw.testing.EmbeddedSSMServer." in server  # its own methods
    assert "`OSError`" in package["_taskfile"]["load_task_definition"].docstring.value
    fleet = package["_fleet"].docstring.value
    assert "`Pacer`" in fleet  # a private class: inline code, not a link
    assert "][ssm_mw._" not in fleet


def test_the_extension_leaves_no_role_in_any_docstring(package: Any) -> None:
    """After the extension, no docstring of the package holds a role outside code."""
    role = re.compile(r":(func|class|meth|attr|data|exc|mod|obj|const):`")

    def docstrings(obj: Any) -> Any:
        if obj.docstring is not None:
            yield obj.path, obj.docstring.value
        for member in obj.members.values():
            if not member.is_alias:
                yield from docstrings(member)

    left = [
        path
        for path, text in docstrings(package)
        if role.search(re.sub(r"```.*?```|``.*?``", "", text, flags=re.DOTALL))
    ]
    assert left == []
