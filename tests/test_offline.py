"""The offline formats: an EPUB and a PDF per edition, and the htmlzip read from disk.

The books are made on a throwaway copy with a small page (a printed output, maths, a
long line of code and a table), in both editions, its Chinese catalog filled in by
the test; the htmlzip is the real site's English edition, opened from ``file://``.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path
from xml.dom import minidom

import pytest
from jaxguide_build import editions
from jaxguide_build import site as site_build
from playwright.sync_api import ConsoleMessage, sync_playwright
from pypdf import PdfReader
from sitebuild import RepoCopy
from test_browser import CHROMIUM, CHROMIUM_ARGS

from conftest import make_repo_copy

pytestmark = pytest.mark.build

BOOK_PAGE = """\
(book)=
# A page for the book

Words to translate, with maths: $\\sin x$.

```{code-cell} ipython3
print("the book's output " + "x" * 20, "and a long line of code that must wrap", list(range(40)))
```

| name | what |
|---|---|
| `jax.numpy.where` | a table cell |
"""

CHINESE = "中文译文"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> RepoCopy:
    """A copy with one page, its EPUB and PDF made in both editions."""
    copy = make_repo_copy(tmp_path_factory.mktemp("books"))
    copy.page("book.md", BOOK_PAGE)
    gettext = copy.make("gettext")
    assert gettext.returncode == 0, gettext.output
    copy.translate("zh_CN", lambda message: f"{CHINESE}：{message}")
    for fmt in ("epub", "pdf"):
        result = copy.make(fmt, "LANGUAGES=en zh-cn", timeout=600)
        assert result.returncode == 0, result.output
        for code in ("en", "zh-cn"):
            assert f"{fmt}: _build/{fmt}/{code}/jaxguide.{fmt}" in result.output, result.output
    return copy


@pytest.mark.parametrize("code", ["en", "zh-cn"])
def test_the_epub_holds_the_executed_page_as_well_formed_xhtml(books: RepoCopy, code: str) -> None:
    epub = books.path / "_build" / "epub" / code / "jaxguide.epub"
    with zipfile.ZipFile(epub) as book:
        names = book.namelist()
        # The EPUB container's rule: "mimetype" first, stored, saying what the file is.
        assert names[0] == "mimetype"
        assert book.read("mimetype") == b"application/epub+zip"
        pages = {n: book.read(n).decode("utf-8") for n in names if n.endswith(".xhtml")}
    assert "book.xhtml" in pages, sorted(pages)
    for name, text in pages.items():
        try:
            minidom.parseString(text.encode("utf-8"))
        except Exception as exc:  # noqa: BLE001 - any parse error is the finding
            pytest.fail(f"{code} {name} is not well-formed XHTML: {exc}")
    page = pages["book.xhtml"]
    assert "the book's output" in page  # the executed output, from the cache
    assert "<math" in page  # the equation, as MathML
    assert not re.search(r"<script[^>]+src=\"https?:", page), "a script from the network"
    if code == "zh-cn":
        assert CHINESE in page


@pytest.mark.parametrize("code", ["en", "zh-cn"])
def test_the_pdf_has_a_text_layer_in_the_editions_language(books: RepoCopy, code: str) -> None:
    pdf = books.path / "_build" / "pdf" / code / "jaxguide.pdf"
    reader = PdfReader(pdf)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "the book's output" in text
    assert "a long line of code that must wrap" in re.sub(r"\s+", " ", text)
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in reader.pages
        for font in page.get("/Resources", {}).get("/Font", {}).values()
    }
    assert fonts, "no embedded font"
    if code == "zh-cn":
        # The glyphs are in the PDF as text, not boxes. Chromium's text layer names some
        # characters by the Kangxi radical that shares their glyph in Noto CJK (文 as
        # U+2F42), which NFKC folds back; a viewer that does not fold finds 文 only there.
        folded = unicodedata.normalize("NFKC", text)
        assert CHINESE in folded, folded[:500]


def test_a_page_too_wide_to_print_fails_the_pdf_naming_it(repo_copy: RepoCopy) -> None:
    repo_copy.page(
        "wide.md",
        '(wide)=\n# Wide\n\n<div style="width: 3000px">too wide to print</div>\n',
        notebook=False,
    )
    result = repo_copy.make("pdf", timeout=600)
    assert result.returncode != 0
    assert "would not print whole" in result.output
    assert "too wide to print" in result.output
    assert not (repo_copy.path / "_build" / "pdf" / "en" / "jaxguide.pdf").exists()


def test_the_htmlzip_searches_from_disk(site: Path, tmp_path: Path) -> None:
    """Read the Docs' htmlzip (``make rtd-htmlzip``), unpacked and opened from file://."""
    archive = tmp_path / "jaxguide.zip"
    site_build.export(site, editions.SOURCE, None, archive)
    with zipfile.ZipFile(archive) as unpacked:
        unpacked.extractall(tmp_path)
    search = tmp_path / "jaxguide" / "search.html"
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.on("pageerror", lambda exc: errors.append(str(exc)))
            tab.on("console", on_console)
            tab.goto(search.as_uri() + "?q=vmap")
            results = tab.locator("#search-results ul.search li a")
            results.first.wait_for(timeout=30_000)
            hrefs = results.evaluate_all("(links) => links.map((a) => a.href)")
        finally:
            browser.close()
    assert not errors, errors
    assert any("vectorization-vmap.html" in href for href in hrefs), hrefs
    assert all(href.startswith("file://") for href in hrefs), hrefs
