"""Links that never break, previews, offline reading and notebooks to take away."""

from __future__ import annotations

import re
import subprocess
import textwrap
from functools import cache
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import jaxguide_build.editions
import nbformat
import pytest
from bs4 import BeautifulSoup
from jaxguide_build.anchors import public_anchors
from jaxguide_build.pages import read_page
from nbclient import NotebookClient
from sitebuild import ROOT, parsed
from sphinx.util.inventory import InventoryFile

pytestmark = pytest.mark.build

ANCHORS = ROOT / "tests" / "anchors.txt"
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def editions(site: Path) -> list[Path]:
    return [site / e.code for e in jaxguide_build.editions.EDITIONS if (site / e.code).is_dir()]


@cache
def ids_in(path: Path) -> frozenset[str]:
    html = parsed(path)
    return frozenset(str(tag["id"]) for tag in html.select("[id]"))


def html_pages(edition: Path) -> list[Path]:
    return sorted(p for p in edition.rglob("*.html") if "_static" not in p.parts)


def redirects() -> dict[str, str]:
    namespace: dict[str, object] = {}
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    match = re.search(r"^redirects: dict\[str, str\] = (\{.*?\})$", conf, re.MULTILINE | re.DOTALL)
    assert match, "conf.py must define `redirects`"
    exec(f"value = {match.group(1)}", namespace)  # noqa: S102  (a literal from our own conf.py)
    return namespace["value"]  # type: ignore[return-value]


def test_anchor_contract_holds(site: Path) -> None:
    """Every listed page and section still exists in both editions, or redirects."""
    moved = redirects()
    missing = []
    for edition in editions(site):
        for anchor in ANCHORS.read_text(encoding="utf-8").split():
            page, _, fragment = anchor.partition("#")
            path = edition / page
            if page.removesuffix(".html") in moved:
                continue
            if not path.exists() or (fragment and fragment not in ids_in(path)):
                missing.append(f"{edition.name}/{anchor}")
    assert not missing, (
        f"anchors disappeared without a redirect (add one to `redirects` in conf.py): {missing}"
    )


def test_every_label_is_in_the_contract(site: Path) -> None:
    listed = set(ANCHORS.read_text(encoding="utf-8").split())
    new = [a for a in public_anchors(site / "en") if a not in listed]
    assert not new, f"new labels missing from tests/anchors.txt; run `make anchors`: {new}"


def test_inventory_exposes_enough_labels(site: Path) -> None:
    inventory = InventoryFile.loads((site / "en" / "objects.inv").read_bytes(), uri="")
    assert len(inventory.data["std:label"]) >= 40


def test_internal_links_resolve(site: Path) -> None:
    """Follow every internal link and anchor of both editions."""
    broken = []
    for edition in editions(site):
        for page in html_pages(edition):
            html = parsed(page)
            for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
                for element in html.select(f"{tag}[{attr}]"):
                    url = str(element[attr])
                    if EXTERNAL.match(url) or (url.startswith("#") and not url[1:]):
                        continue
                    target, fragment = urldefrag(url)
                    path = urlparse(target).path
                    if path.startswith("/"):
                        resolved = site / path.lstrip("/")
                    else:
                        resolved = (page.parent / path).resolve() if path else page
                    if resolved.is_dir():
                        resolved /= "index.html"
                    if not resolved.exists():
                        broken.append(f"{page.relative_to(site)}: {url}")
                    elif (
                        fragment and resolved.suffix == ".html" and fragment not in ids_in(resolved)
                    ):
                        broken.append(f"{page.relative_to(site)}: {url} (no such anchor)")
    assert not broken, "\n".join(broken)


LOADING = re.compile(
    r"""(?:url\(\s*['"]?|@import\s+['"]|\bsrc\s*=\s*['"])(https?:)?//""", re.IGNORECASE
)


def test_site_loads_nothing_from_other_hosts(site: Path) -> None:
    """No CDN fonts, scripts, styles or images: the site works offline."""
    found = []
    for edition in editions(site):
        for page in html_pages(edition):
            html = parsed(page)
            for tag, attr in (("script", "src"), ("img", "src"), ("iframe", "src")):
                found += [
                    f"{page.name}: {e[attr]}"
                    for e in html.select(f"{tag}[{attr}]")
                    if EXTERNAL.match(str(e[attr]))
                ]
            for link in html.select("link[href]"):
                rel = set(link.get("rel", []))
                loads = rel & {"stylesheet", "icon", "preload", "modulepreload"}
                if loads and EXTERNAL.match(str(link["href"])):
                    found.append(f"{page.name}: {link['href']}")
        for asset in (edition / "_static").rglob("*"):
            if asset.suffix in {".css", ".js"}:
                text = asset.read_text(encoding="utf-8", errors="replace")
                found += [f"{asset.name}: {m.group(0)}" for m in LOADING.finditer(text)]
    assert not found, found


@pytest.mark.parametrize("page", ["index", "jit-compilation", "link-to-this-guide", "api"])
def test_previews_and_discovery_tags(site: Path, page: str) -> None:
    for edition in editions(site):
        html = parsed(edition / f"{page}.html")
        meta = {m.get("property") or m.get("name"): m.get("content") for m in html.select("meta")}
        for key in ("og:title", "og:description", "og:image", "og:url", "description"):
            assert meta.get(key), f"{edition.name}/{page}: no {key}"
        assert meta.get("twitter:card") == "summary_large_image"
        canonical = html.select_one("link[rel=canonical]")
        assert canonical is not None
        assert canonical["href"].endswith(f"/{edition.name}/latest/{page}.html")
        assert html.select_one("link[rel=icon]")
        alternates = {a["hreflang"] for a in html.select("link[rel=alternate][hreflang]")}
        assert alternates == {e.hreflang for e in jaxguide_build.editions.EDITIONS}
        edition_row = jaxguide_build.editions.find(edition.name)
        assert meta.get("og:locale") == edition_row.locale


def test_descriptions_read_cleanly(site: Path) -> None:
    """Previews carry plain text: no LaTeX, no doubled or mixed punctuation."""
    for edition in editions(site):
        for page in sorted(edition.glob("*.html")):
            html = parsed(page)
            for tag in html.select('meta[property="og:description"], meta[name="description"]'):
                text = tag["content"]
                where = f"{edition.name}/{page.name}: {text[:80]!r}"
                assert "\\" not in text, where
                assert not re.search(r"[，。；：、],|,,|,\s*,", text), where


def test_descriptions_are_page_specific(site: Path) -> None:
    descriptions = set()
    special = {"genindex", "search", "py-modindex", "404"}
    pages = [p for p in (site / "en").glob("*.html") if p.stem not in special]
    for page in pages:
        html = parsed(page)
        tag = html.select_one('meta[name="description"]')
        if tag is not None:
            descriptions.add(tag["content"])
    assert len(descriptions) == len(pages)


def test_sitemap_robots_and_404(site: Path) -> None:
    for edition in editions(site):
        sitemap = (edition / "sitemap.xml").read_text(encoding="utf-8")
        # Every page, even after an incremental build that rewrote none of them.
        for page in ("index", "jit-compilation", "glossary", "link-to-this-guide", "api"):
            assert f"/{edition.name}/latest/{page}.html</loc>" in sitemap
        assert 'hreflang="zh-CN" href="https://jaxguide.readthedocs.io/zh-cn/latest/' in sitemap
        robots = (edition / "robots.txt").read_text(encoding="utf-8")
        assert (
            f"Sitemap: https://jaxguide.readthedocs.io/{edition.name}/latest/sitemap.xml" in robots
        )
        notfound = parsed(edition / "404.html")
        # Served for a missing URL at any depth, so its links must be absolute.
        for link in notfound.select("a[href], link[rel=stylesheet][href], script[src]"):
            url = str(link.get("href") or link.get("src"))
            if not EXTERNAL.match(url) and not url.startswith("#"):
                assert url.startswith("/"), f"404 page: relative link {url}"


def test_intersphinx_client_links_into_the_guide(site: Path, tmp_path: Path) -> None:
    """A separate Sphinx project links to a section of the guide, with -W."""
    project = tmp_path / "client"
    project.mkdir()
    (project / "conf.py").write_text(
        textwrap.dedent(f"""
        extensions = ["myst_parser", "sphinx.ext.intersphinx"]
        intersphinx_mapping = {{
            "jaxguide": ("https://jaxguide.readthedocs.io/en/latest/", {str(site / "en" / "objects.inv")!r}),
        }}
        """),
        encoding="utf-8",
    )
    (project / "index.md").write_text(
        "# Client\n\nSee {external+jaxguide:ref}`jit-static-arguments`.\n", encoding="utf-8"
    )
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "sphinx-build"),
            "-W",
            "-n",
            "-q",
            "-b",
            "html",
            str(project),
            str(project / "_build"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    html = (project / "_build" / "index.html").read_text(encoding="utf-8")
    assert (
        'href="https://jaxguide.readthedocs.io/en/latest/jit-compilation.html#jit-static-arguments"'
        in html
    )


NOTEBOOK_PAGES = [
    p.stem
    for p in sorted((ROOT / "docs").glob("*.md"))
    if p.read_text(encoding="utf-8").startswith("---\nfile_format: mystnb")
]


def code_of(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_downloaded_notebook_is_the_executed_page(site: Path, page: str) -> None:
    """The .ipynb offered for download is the page's code, cell for cell, with the
    outputs the pre-executor recorded running exactly that code, top to bottom, in a
    fresh kernel (jaxguide_build/execution.py)."""
    html = (site / "en" / f"{page}.html").read_text(encoding="utf-8")
    assert f"_sources/{page}.ipynb" in html, "the page offers no notebook download"
    notebook = nbformat.read(site / "en" / "_sources" / f"{page}.ipynb", as_version=4)
    assert code_of(notebook) == code_of(read_page(ROOT / "docs" / f"{page}.md"))
    assert any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


def test_a_downloaded_notebook_runs_outside_the_build(site: Path, tmp_path: Path) -> None:
    """One downloaded notebook, run again by a reader's kernel in a folder of their own."""
    notebook = nbformat.read(site / "en" / "_sources" / "numpy-replacement.ipynb", as_version=4)
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    assert all(
        output.get("output_type") != "error" or "raises-exception" in cell.metadata.get("tags", [])
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )


def test_pages_show_when_they_last_changed(site: Path) -> None:
    """The date under each page is its source's last commit, not the build date."""
    source = ROOT / "docs" / "jit-compilation.md"
    committed = subprocess.run(
        ["git", "log", "-1", "--format=%cs", "--", str(source)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    html = (site / "en" / "jit-compilation.html").read_text(encoding="utf-8")
    assert f"Last updated on {committed}." in html
    edit = BeautifulSoup(html, "html.parser").select_one(
        "a[href*='/edit/main/docs/jit-compilation.md']"
    )
    assert edit is not None, "no 'suggest edit' link to the page's source in the repository"


JAX_NAME = re.compile(r"\b(?:jax|jnp)(?:\.[A-Za-z_]\w*)+")


def test_api_names_in_code_cells_link_out(site: Path) -> None:
    """Most jax.* and jnp.* names in the code cells are links to their API pages (the links'
    targets are checked against the real inventories by test_inventories)."""
    named = linked = 0
    for page in (site / "en").glob("*.html"):
        html = parsed(page)
        for block in html.select("div.cell_input pre"):
            named += len(JAX_NAME.findall(block.get_text()))
            linked += sum(
                1 for a in block.select("a.sphinx-codeautolink-a") if JAX_NAME.match(a.get_text())
            )
    assert named > 300, f"only {named} jax.* names in code cells: were the pages built?"
    assert linked / named >= 0.8, f"{linked} of {named} jax.* names in code cells are links"


# Link texts that say nothing of where a link goes: Lighthouse 12's SEO audit
# (core/audits/seo/link-text.js) fails a page for the English ones; the Chinese ones
# are ours. A name in a code cell counts too: sphinx-codeautolink once linked a
# dataclass field called `start` to `float`.
VAGUE_LINK_TEXTS = frozenset(
    {
        *("click here", "click this", "go", "here", "information", "learn more", "more"),
        *("more info", "more information", "right here", "read more", "see more", "start"),
        *("this", "这里", "点击这里", "点此", "此处", "更多", "链接"),
    }
)


def test_links_say_where_they_go(site: Path) -> None:
    vague = [
        f"{page.relative_to(site)}: {a.get_text()!r} -> {a['href']}"
        for edition in editions(site)
        for page in html_pages(edition)
        for a in parsed(page).select("a[href]")
        if a.get_text(strip=True).lower() in VAGUE_LINK_TEXTS
    ]
    assert not vague, "links whose text says nothing of their target:\n" + "\n".join(vague)
