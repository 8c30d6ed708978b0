"""llms.txt, llms-full.txt and the Markdown copies of the pages, for AI assistants."""

from __future__ import annotations

import re
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from docutils.core import publish_doctree
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from jaxguide_build import editions, htmltext, llms, markdown
from sitebuild import parsed

BASE = "https://jaxguide.readthedocs.io/{code}/latest/"
LINE = re.compile(r"^- \[(?P<title>[^\]]+)\]\((?P<url>[^)\s]+)\)(?::\s(?P<description>.+))?$")
# A fenced block, in a list item or a block quote too (``prefix``, on each of its lines).
FENCE = re.compile(
    r"^(?P<prefix>[ >]*)(?P<ticks>`{3,})(?P<language>\S*)\n(?P<body>.*?)\n(?P=prefix)(?P=ticks)$",
    re.DOTALL | re.MULTILINE,
)
LINK = re.compile(r"!?\[[^\]]*\]\((?P<url>[^)\s]+)\)")
ANCHOR = re.compile(r'\{#(?P<heading>[^}\s]+)\}$|<a id="(?P<a>[^"]+)"></a>', re.MULTILINE)
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Highlighting classes of the HTML code blocks that the Markdown shows as ```python.
PYTHON_BLOCKS = ", ".join(
    f"article div.{kind}"
    for kind in ("highlight-python", "highlight-ipython3", "highlight-python3", "doctest")
)


def links_for_test() -> markdown.Links:
    return markdown.Links(
        internal=lambda url: url.replace(".html", ".html.md"),
        image=lambda uri: f"_images/{Path(uri).name}",
        admonition={"note": "Note"},
    )


def rst_doctree(source: str) -> nodes.document:
    """reStructuredText as a doctree, its targets moved onto their sections as Sphinx does."""
    overrides = {"doctitle_xform": False, "report_level": 4}
    return publish_doctree(source, settings_overrides=overrides)


# -- The writer, on small doctrees ----------------------------------------------------


def test_sections_keep_their_label_paragraphs_their_inline_markup() -> None:
    doctree = rst_doctree(
        ".. _jit-page:\n\nCompile\n=======\n\n"
        "Use ``jax.jit``, *often*, **wisely**: `docs <https://docs.jax.dev/>`_ "
        "and `the next page <other.html#x>`_.\n\n"
        ".. _jit-static:\n\nStatic arguments\n----------------\n\n"
        "- one\n- two, with\n\n  a second paragraph\n\n"
        "3. three\n4. four\n\n"
        ".. note::\n\n   Mind the cache.\n\n"
        ".. math::\n\n   \\sin 2x\n"
    )
    # docutils leaves a link written in the text external; the builder marks internal ones.
    for reference in doctree.findall(nodes.reference):
        reference["internal"] = reference["refuri"].startswith("other")
    text = markdown.page_markdown(doctree, links_for_test())
    assert text.startswith("# Compile {#jit-page}\n")
    assert "## Static arguments {#jit-static}" in text
    assert (
        "Use `jax.jit`, *often*, **wisely**: [docs](https://docs.jax.dev/) "
        "and [the next page](other.html.md#x)."
    ) in text
    assert "- one\n\n- two, with\n\n  a second paragraph" in text
    assert "3. three\n4. four" in text
    assert "> **Note**\n>\n> Mind the cache." in text
    assert "$$\n\\sin 2x\n$$" in text


def test_a_code_cell_keeps_its_code_its_text_output_and_its_image() -> None:
    document = new_document("page", get_default_settings(Parser))
    cell = nodes.container(classes=["cell"])
    source = nodes.container(classes=["cell_input"])
    source += nodes.literal_block("print(f(x))", "print(f(x))", language="ipython3")
    output = nodes.container(classes=["cell_output"])
    printed = "[ 0.9092974 -0.7568025]"
    output += nodes.literal_block(printed, printed, language="myst-ansi", classes=["output"])
    figure = nodes.figure()
    figure += nodes.image(uri="../jupyter_execute/abc.png")
    figure += nodes.caption("", "The loss falls")
    output += figure
    table = '<table class="jaxguide-timing"><thead><tr><th>f</th></tr></thead></table>'
    output += nodes.raw("", table, format="html")
    cell += [source, output]
    document += cell
    text = markdown.page_markdown(document, links_for_test())
    assert text == (
        "```python\nprint(f(x))\n```\n\n"
        f"```text\n{printed}\n```\n\n"
        "![The loss falls](_images/abc.png)\n\n"
        "| f |\n| --- |"
        "\n"
    )


def test_html_outputs_become_markdown() -> None:
    said = '<p class="jaxguide-said">jit is <strong>141×</strong> faster.</p>'
    assert htmltext.blocks(said, str) == "jit is **141×** faster."
    environment = "<table><tbody><tr><th>jax</th><td>0.10.2</td></tr></tbody></table>"
    assert htmltext.blocks(environment, str) == "|  |  |\n| --- | --- |\n| jax | 0.10.2 |"
    rich = '<pre style="x">┌──┐\n│ <span style="color: red">0</span> │\n└──┘</pre>'
    assert htmltext.blocks(rich, str) == "```text\n┌──┐\n│ 0 │\n└──┘\n```"


def test_reading_order_follows_the_toctrees() -> None:
    env = SimpleNamespace(
        found_docs={"index", "a", "b", "c", "orphan"},
        toctree_includes={"index": ["a", "c"], "a": ["b"]},
    )
    assert llms.reading_order(env, "index") == ["index", "a", "b", "c", "orphan"]  # type: ignore[arg-type]


# -- The built site ---------------------------------------------------------------------


def built(site: Path) -> list[editions.Edition]:
    return [e for e in editions.EDITIONS if (site / e.code / "llms.txt").exists()]


def listed(site: Path, edition: editions.Edition) -> list[re.Match[str]]:
    text = (site / edition.code / "llms.txt").read_text(encoding="utf-8")
    return [m for m in map(LINE.match, text.splitlines()) if m]


def local(site: Path, edition: editions.Edition, url: str) -> Path:
    base = BASE.format(code=edition.code)
    assert url.startswith(base), url
    return site / edition.code / urllib.parse.unquote(url.removeprefix(base))


def sitemap_pages(site: Path, edition: editions.Edition) -> list[str]:
    tree = ET.parse(site / edition.code / "sitemap.xml")
    space = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [loc.text or "" for loc in tree.getroot().findall("s:url/s:loc", space)]


def markdown_copy(site: Path, edition: editions.Edition, page: str) -> str:
    return (site / edition.code / f"{page}.html.md").read_text(encoding="utf-8")


def html_soup(site: Path, edition: editions.Edition, page: str) -> BeautifulSoup:
    return parsed(site / edition.code / f"{page}.html")


def fence_body(match: re.Match[str]) -> str:
    prefix = match["prefix"].rstrip()
    lines = [
        line.removeprefix(match["prefix"]).removeprefix(prefix)
        for line in match["body"].splitlines()
    ]
    return "\n".join(lines).strip()


def prose(text: str) -> str:
    """The Markdown without its code blocks, inline code, math, links' URLs and anchors."""
    text = FENCE.sub("", text)
    text = re.sub(r"`[^`]*`|\$\$.*?\$\$|\$[^$]*\$", "", text, flags=re.DOTALL)
    return ANCHOR.sub("", re.sub(r"\]\([^)]*\)", "]", text))


@pytest.mark.build
def test_llms_txt_lists_every_page_with_its_markdown_copy(site: Path) -> None:
    assert built(site), "no edition has an llms.txt"
    for edition in built(site):
        text = (site / edition.code / "llms.txt").read_text(encoding="utf-8")
        assert re.match(r"# \S.*\n\n> \S.*\n\n## Pages\n\n- \[", text), text[:500]
        lines = listed(site, edition)
        urls = [m["url"] for m in lines]
        assert urls == [f"{page}.md" for page in urls_in_order(urls, sitemap_pages(site, edition))]
        for line in lines:
            assert local(site, edition, line["url"]).is_file(), line.group(0)
            assert line["description"], f"{edition.code}: no description: {line.group(0)}"


def urls_in_order(listed_urls: list[str], sitemap: list[str]) -> list[str]:
    """The sitemap's pages, in the order llms.txt lists them (a page it lacks goes last)."""
    position = {url.removesuffix(".md"): i for i, url in enumerate(listed_urls)}
    return sorted(sitemap, key=lambda url: position.get(url, len(position)))


@pytest.mark.build
def test_llms_full_is_every_page_in_reading_order(site: Path) -> None:
    for edition in built(site):
        full = (site / edition.code / "llms-full.txt").read_text(encoding="utf-8")
        copies = [
            local(site, edition, m["url"]).read_text(encoding="utf-8")
            for m in listed(site, edition)
        ]
        assert full == "\n".join(copies)
        index = listed(site, edition)[0]
        assert index["url"].endswith("/index.html.md")


@pytest.mark.build
def test_the_notes_final_example_keeps_its_code_and_printed_output(site: Path) -> None:
    for edition in built(site):
        soup = html_soup(site, edition, "putting-it-together")
        cell = next(
            c
            for c in soup.select("div.cell")
            if c.select_one("div.cell_input")
            and "@jax.grad" in c.get_text()
            and "print(f(jnp.array([1.0, 2.0])))" in c.get_text()
        )
        code = cell.select_one("div.cell_input pre").get_text().strip()
        printed = cell.select_one("div.cell_output pre").get_text().strip()
        assert re.fullmatch(r"\[ ?-?\d\.\d+ +-\d\.\d+ ?\]", printed), printed
        text = markdown_copy(site, edition, "putting-it-together")
        assert f"```python\n{code}\n```\n\n```text\n{printed}\n```" in text


@pytest.mark.build
def test_every_code_block_survives(site: Path) -> None:
    for edition in built(site):
        for url in sitemap_pages(site, edition):
            page = url.rsplit("/", 1)[1].removesuffix(".html")
            soup = html_soup(site, edition, page)
            text = markdown_copy(site, edition, page)
            fences = list(FENCE.finditer(text))
            python = [fence_body(m) for m in fences if m["language"] == "python"]
            shown = soup.select(PYTHON_BLOCKS)
            assert len(python) == len(shown), (
                f"{edition.code}/{page}: {len(python)} != {len(shown)}"
            )
            for cell in soup.select("div.cell div.cell_input pre"):
                assert cell.get_text().strip() in python, (
                    f"{edition.code}/{page}: a cell is missing"
                )
            outputs = soup.select("div.cell_output div.output pre")
            texts = [m["body"] for m in fences if m["language"] == "text"]
            assert len(texts) >= len(outputs), f"{edition.code}/{page}: an output is missing"
            leftover = re.findall(r"<(?!a id=)/?[a-z]+[ >]", prose(text))
            assert not leftover, f"{edition.code}/{page}: HTML left in the Markdown: {leftover}"


@pytest.mark.build
def test_links_and_images_in_the_markdown_resolve(site: Path) -> None:
    for edition in built(site):
        root = site / edition.code
        anchors: dict[Path, set[str]] = {}
        for copy in sorted(root.glob("*.html.md")):
            text = copy.read_text(encoding="utf-8")
            for match in LINK.finditer(text):
                url = match["url"]
                if "://" in url or url.startswith("mailto:"):
                    continue
                path, _, fragment = url.partition("#")
                target = (copy.parent / urllib.parse.unquote(path)).resolve() if path else copy
                assert target.is_file(), f"{edition.code}/{copy.name}: {url}"
                if fragment and target.name.endswith(".html.md"):
                    if target not in anchors:
                        found = ANCHOR.finditer(target.read_text(encoding="utf-8"))
                        anchors[target] = {m["heading"] or m["a"] for m in found}
                    assert fragment in anchors[target], f"{edition.code}/{copy.name}: {url}"


@pytest.mark.build
def test_translated_copies_are_in_their_language(site: Path) -> None:
    translated = [e for e in built(site) if e.search == "zh"]
    if not translated:
        pytest.skip("no Chinese edition built")
    for edition in translated:
        for line in listed(site, edition):
            text = prose(local(site, edition, line["url"]).read_text(encoding="utf-8"))
            chinese, english = len(CJK.findall(text)), len(LATIN_WORD.findall(text))
            assert chinese > 2 * english, f"{line['url']}: {chinese} CJK, {english} Latin words"
            assert CJK.search(line["title"]), line.group(0)
    english = prose(markdown_copy(site, editions.SOURCE, "putting-it-together"))
    assert not CJK.findall(english.replace("笔记原文", ""))


@pytest.mark.build
def test_outputs_are_in_the_editions_language(site: Path) -> None:
    """Bilingual outputs (jaxguide.l10n) keep the edition's language in the Markdown too."""
    for edition in built(site):
        for line in listed(site, edition):
            text = prose(local(site, edition, line["url"]).read_text(encoding="utf-8"))
            # (The API page's examples show the spans in code, which prose() leaves out.)
            assert "jaxguide-l10n" not in text, f"{edition.code}: {line['url']}: a bilingual span"
        soup = html_soup(site, edition, "advanced-autodiff")
        said = [p.get_text(" ", strip=True) for p in soup.select("p.jaxguide-said")]
        assert said, f"{edition.code}: advanced-autodiff prints no sentence"
        # Outside the code, which writes the sentence in both languages.
        text = re.sub(
            r"\*\*|\*", "", FENCE.sub("", markdown_copy(site, edition, "advanced-autodiff"))
        )
        words = re.sub(r"\s+", " ", text)
        for sentence in said:
            assert re.sub(r"\s+", " ", sentence) in words, f"{edition.code}: {sentence!r}"
        activation = "一个激活（h，" if edition.search == "zh" else "One activation (h, "
        other = "One activation (h, " if edition.search == "zh" else "一个激活（h，"
        assert activation in text, f"{edition.code}: the activation sentence is missing"
        assert other not in text, f"{edition.code}: the other language's sentence is there"


def external_urls(text: str) -> set[str]:
    """The off-site links of some Markdown, not counting URLs shown as code."""
    text = re.sub(r"`[^`\n]*`", "", FENCE.sub("", text))
    return {m["url"] for m in LINK.finditer(text) if "://" in m["url"]}


@pytest.mark.build
def test_nothing_links_off_site_that_the_html_does_not(site: Path) -> None:
    """A copy's off-site links are its HTML page's; llms.txt links only to the edition."""
    for edition in built(site):
        base = BASE.format(code=edition.code)
        for url in external_urls((site / edition.code / "llms.txt").read_text(encoding="utf-8")):
            assert url.startswith(base), f"{edition.code}/llms.txt: {url}"
        for url in sitemap_pages(site, edition):
            page = url.rsplit("/", 1)[1].removesuffix(".html")
            soup = html_soup(site, edition, page)
            article = soup.select_one("article") or soup
            in_html = {str(a["href"]) for a in article.select("a[href]")}
            for link in external_urls(markdown_copy(site, edition, page)):
                assert link in in_html, f"{edition.code}/{page}.html.md links off-site: {link}"
            data = [m["url"] for m in LINK.finditer(markdown_copy(site, edition, page))]
            assert not [u for u in data if u.startswith(("data:", "javascript:"))], page
