"""Checks on the built site, as a reader meets it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from jaxguide_build import editions
from sitebuild import ROOT, parsed

pytestmark = pytest.mark.build

# The note's sections, in order: (page, label prefix).
CONTENT_PAGES = [
    ("numpy-replacement", "numpy"),
    ("automatic-differentiation", "autodiff"),
    ("jit-compilation", "jit"),
    ("vectorization-vmap", "vmap"),
    ("parallelism-devices", "parallel"),
    ("random-numbers", "random"),
    ("ecosystem", "ecosystem"),
    ("sharp-bits", "sharp-bits"),
    ("putting-it-together", "together"),
]
# The second part, beyond the note: (page, label prefix).
GOING_FURTHER = [
    ("pytrees", "pytree"),
    ("control-flow", "control"),
    ("advanced-autodiff", "advanced-autodiff"),
    ("explicit-sharding", "sharding"),
    ("debugging-profiling", "debug"),
    ("compile-and-export", "export"),
]
EXECUTED_PAGES = ["index"] + [page for page, _ in CONTENT_PAGES + GOING_FURTHER]


def soup(site: Path, page: str, lang: str = "en") -> BeautifulSoup:
    return parsed(site / lang / f"{page}.html")


def test_root_sends_reader_to_english(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'url=en/index.html"' in html


def test_toctree_follows_the_note_then_goes_further(site: Path) -> None:
    nav = soup(site, "index").select("nav.bd-docs-nav a.reference.internal")
    order = [a["href"].removesuffix(".html") for a in nav]
    pages = dict(CONTENT_PAGES + GOING_FURTHER)
    content = [page for page in order if page in pages]
    assert content == [page for page, _ in CONTENT_PAGES + GOING_FURTHER]
    captions = [c.get_text() for c in soup(site, "index").select("nav.bd-docs-nav p.caption")]
    assert captions[:2] == ["The guide", "Going further"], captions


@pytest.mark.parametrize("page", EXECUTED_PAGES)
def test_executed_page_says_what_ran_it(site: Path, page: str) -> None:
    line = soup(site, page).select_one(".jaxguide-executed-with")
    assert line is not None, f"{page}: no 'executed with' line"
    assert re.search(r"Executed with jax \d+\.\d+\.\d+ · jaxlib", line.get_text())
    # The pre-executor pins each page's kernel to one core, so pages don't disturb
    # each other's timings, and the line says so.
    cores = len(os.sched_getaffinity(0))
    if cores > 1:
        assert f"1 of {os.cpu_count()} CPU cores" in line.get_text(), line.get_text()


@pytest.mark.parametrize("page", EXECUTED_PAGES)
def test_errors_only_in_tagged_cells(site: Path, page: str) -> None:
    for cell in soup(site, page).select("div.cell"):
        if cell.select("div.output.traceback, div.output.error"):
            assert "tag_raises-exception" in cell["class"], (
                f"{page}: an untagged cell shows an error:\n{cell.get_text()[:500]}"
            )
        assert not cell.select("div.output.stderr"), f"{page}: a cell wrote to stderr"


@pytest.mark.parametrize(("page", "prefix"), CONTENT_PAGES + GOING_FURTHER)
def test_content_page_structure(site: Path, page: str, prefix: str) -> None:
    html = soup(site, page)
    ids = {tag["id"] for tag in html.select("section[id], span[id]")}
    assert page in ids, f"{page}: no label on the title"
    follows_the_note = (page, prefix) in CONTENT_PAGES
    parts = ["what-you-learn", "summary", "exercises", "next-steps"]
    for part in parts + (["from-the-note"] if follows_the_note else []):
        assert f"{prefix}-{part}" in ids, f"{page}: missing the section label {prefix}-{part}"
    # Every section has a label of the page's own prefix.
    for section in html.select("article section section"):
        assert section["id"].startswith(f"{prefix}-"), f"{page}: unlabelled section {section['id']}"
    if follows_the_note:
        assert html.select(".note-snippet"), f"{page}: the note's snippet is not shown"
    assert html.select("details.sd-dropdown"), f"{page}: exercises have no folded answers"
    assert html.select("a.reference.external[href^='https://docs.jax.dev/']"), (
        f"{page}: no link to JAX's API docs"
    )


def test_pages_link_api_offline(site: Path) -> None:
    """API links come from the shipped inventories, never from the network."""
    jit = soup(site, "jit-compilation")
    hrefs = {a["href"] for a in jit.select("a.reference.external")}
    assert "https://docs.jax.dev/en/latest/_autosummary/jax.jit.html#jax.jit" in hrefs


def test_api_reference_documents_the_helpers(site: Path) -> None:
    api = soup(site, "api")
    ids = {tag["id"] for tag in api.select("dt[id]")}
    for name in ("time_fn", "compare", "use_cpu_devices", "environment", "new_figure"):
        assert f"jaxguide.{name}" in ids


def test_no_source_files_leak_into_site(site: Path) -> None:
    leaked = [p.name for p in (site / "en").iterdir() if p.name in {"README.html", "src", "tests"}]
    assert leaked == []
    assert (ROOT / "_build" / "html" / "en" / "objects.inv").exists()


@pytest.mark.parametrize("lang", [edition.code for edition in editions.EDITIONS])
def test_plots_have_their_size_and_caption_as_alt_text(site: Path, lang: str) -> None:
    """Every image in an article carries its pixel size (the browser keeps its space
    before it loads) and, for alt text, its figure's caption in the edition's language."""
    from sphinx.util.images import get_image_size

    images = 0
    for page in sorted((site / lang).glob("*.html")):
        html = parsed(page)
        for img in html.select("article.bd-article img"):
            images += 1
            where = f"{lang}/{page.name}: {img['src']}"
            size = get_image_size(page.parent / img["src"])
            assert size is not None, where
            assert (img.get("width"), img.get("height")) == (str(size[0]), str(size[1])), where
            caption = img.find_parent("figure").select_one("figcaption .caption-text")
            # The caption's text; maths in it stays as its TeX source (x_2^2 = 1.5).
            assert img["alt"][:30] == caption.get_text().strip()[:30], where
            assert not img["alt"].endswith(".png"), where
    assert images >= 5, f"expected the plots of the executed pages, found {images} images"


def _protobuf_fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """The top-level fields of a protocol buffer message: (field number, value)."""

    def varint(pos: int) -> tuple[int, int]:
        value = shift = 0
        while True:
            byte = data[pos]
            value |= (byte & 0x7F) << shift
            pos, shift = pos + 1, shift + 7
            if byte < 0x80:
                return value, pos

    fields: list[tuple[int, int | bytes]] = []
    pos = 0
    while pos < len(data):
        key, pos = varint(pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(pos)
            fields.append((number, value))
        elif wire == 2:
            length, pos = varint(pos)
            fields.append((number, data[pos : pos + length]))
            pos += length
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            fields.append((number, data[pos : pos + size]))
            pos += size
        else:
            msg = f"unexpected wire type {wire} at byte {pos}"
            raise AssertionError(msg)
    return fields


@pytest.mark.parametrize("lang", [edition.code for edition in editions.EDITIONS])
def test_offered_trace_and_memory_profile_open(site: Path, lang: str) -> None:
    """The files the profiling page offers are real: a Perfetto trace of the five
    training steps and a pprof memory profile, each served from the page's link."""
    import gzip
    import json

    page = soup(site, "debugging-profiling", lang)
    links = {a["download"]: a["href"] for a in page.select("p.jaxguide-file a[download]")}
    assert set(links) == {"perfetto_trace.json.gz", "memory.prof"}, links
    for href in links.values():
        assert not href.startswith("data:"), "the page should link to the file, not carry it"

    trace = json.loads(
        gzip.decompress((site / lang / links["perfetto_trace.json.gz"]).read_bytes())
    )
    events = trace["traceEvents"]
    steps = {
        e["args"].get("step_num") for e in events if e.get("ph") == "X" and e.get("name") == "train"
    }
    assert {str(step) for step in steps} == {"0", "1", "2", "3", "4"}, steps
    ops = [e for e in events if e.get("ph") == "X" and "hlo_op" in e.get("args", {})]
    assert len(ops) >= 5
    assert all(e["dur"] >= 0 for e in ops)

    # pprof's Profile message: sample_type = 1, sample = 2, string_table = 6.
    profile = _protobuf_fields(gzip.decompress((site / lang / links["memory.prof"]).read_bytes()))
    strings = [v.decode() for n, v in profile if n == 6 and isinstance(v, bytes)]
    assert {"allocations", "space", "kind", "buffer"} <= set(strings), strings[:40]
    samples = [v for n, v in profile if n == 2]
    assert samples, "the memory profile holds no samples"
