"""The 简体中文 edition: complete catalogs, Chinese pages, Chinese search, safe updates."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Tag
from jaxguide_build import editions
from jaxguide_build.catalogs import catalog_dir, check, extract, normalize
from sitebuild import ROOT, RepoCopy

pytestmark = pytest.mark.build

CJK = re.compile(r"[\u4e00-\u9fff]")


TRANSLATED = editions.translations()


# Every message being translated is checked by the build itself
# (jaxguide_build/completeness.py): the site fixture would fail otherwise.


@pytest.mark.parametrize("edition", TRANSLATED, ids=[e.code for e in TRANSLATED])
def test_every_page_has_a_catalog(edition: editions.Edition) -> None:
    pages = {p.stem for p in (ROOT / "docs").glob("*.md")}
    catalogs = {p.stem for p in catalog_dir(edition).glob("*.po")}
    assert pages <= catalogs, f"pages without a catalog (run `make gettext`): {pages - catalogs}"


def test_chinese_edition_is_in_chinese(site: Path) -> None:
    for page in sorted((site / "zh-cn").glob("*.html")):
        if page.stem in {"genindex", "search", "py-modindex", "404"}:
            continue
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert html.html["lang"] == "zh-CN"
        title = html.select_one("article h1")
        assert title is not None, page.name
        assert CJK.search(title.get_text()), f"{page.name}: untranslated title {title.get_text()!r}"
        headings = [h.get_text() for h in html.select("article h2")]
        assert not {"What you\u2019ll learn", "Summary", "Exercises", "Next steps"} & {
            h.rstrip("#").strip() for h in headings
        }, f"{page.name}: English headings {headings}"


# What the theme shows around the article that may stay as it is in the Chinese
# edition: names and file types, the other edition's name, a key cap.
NOT_WORDS = {"English", "jaxguide", "JAX", "Ctrl", ".ipynb", ".md", ".pdf"}


def test_chinese_edition_has_no_english_theme_labels(site: Path) -> None:
    """Tooltips, aria-labels and texts of the theme around the article are Chinese too."""
    problems: dict[str, set[str]] = {}
    for page in sorted((site / "zh-cn").rglob("*.html")):
        if "_static" in page.parts:
            continue
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in html.select("head, article.bd-article, script, style, pre, code, math"):
            element.decompose()
        found = {
            f"{attr}={element[attr]!r}"
            for element in html.find_all(True)
            for attr in ("aria-label", "title", "alt", "placeholder")
            if element.get(attr)
            and re.search(r"[A-Za-z]{3,}", element[attr])
            and not CJK.search(element[attr])
            and element[attr] not in NOT_WORDS
        }
        found |= {
            repr(text.strip())
            for text in html.find_all(string=True)
            if type(text).__name__ == "NavigableString"
            and re.search(r"[A-Za-z]{3,}", text)
            and not CJK.search(text)
            and text.strip() not in NOT_WORDS
        }
        if found:
            problems[page.relative_to(site).as_posix()] = found
    assert not problems, "English in the Chinese edition's theme:\n" + "\n".join(
        f"{page}: {sorted(found)}" for page, found in problems.items()
    )


def test_language_switcher_links_both_ways(site: Path) -> None:
    for code, other in (("en", "zh-cn"), ("zh-cn", "en")):
        html = BeautifulSoup((site / code / "jit-compilation.html").read_text(), "html.parser")
        link = html.select_one("nav.jaxguide-language a")
        assert link is not None
        assert link["href"] == f"../{other}/jit-compilation.html"


@pytest.mark.parametrize(
    ("word", "page"),
    [
        ("梯度", "automatic-differentiation"),
        ("编译", "jit-compilation"),
        ("向量化", "vectorization-vmap"),
        ("随机", "random-numbers"),
    ],
)
def test_chinese_search_finds_pages(site: Path, word: str, page: str) -> None:
    """jieba splits Chinese text; without it these words would not be indexed at all."""
    text = (site / "zh-cn" / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    docs = index["docnames"]

    def pages(table: str) -> set[str]:
        hits = index[table].get(word, [])
        return {docs[i] for i in ([hits] if isinstance(hits, int) else hits)}

    assert page in pages("titleterms") | pages("terms"), f"{word} does not lead to {page}"


def test_unknown_language_fails_clearly(repo_copy: RepoCopy) -> None:
    result = repo_copy.make("site", "LANGUAGES=fr")
    assert result.returncode != 0
    assert "unknown jaxguide language 'fr'; supported: en, zh-cn" in result.output


SENTENCE = "The first sentence stays as it is."
EDITED = "The second sentence is edited."


def test_catalog_update_keeps_translations(repo_copy: RepoCopy) -> None:
    """An English edit turns one entry fuzzy, keeps its old translation, touches nothing else."""
    page = repo_copy.page(
        "story.md",
        f"(story)=\n# A story\n\n{SENTENCE}\n\nThe second sentence.\n\nA third one, removed later.\n",
        notebook=False,
    )
    assert repo_copy.make("gettext").returncode == 0
    po_path = repo_copy.docs / "locales" / "zh_CN" / "LC_MESSAGES" / "story.po"
    repo_copy.translate("zh_CN", lambda message: f"译文：{message}", page="story", width=0)
    normalize(po_path)
    before = po_path.read_text(encoding="utf-8")

    page.write_text(f"(story)=\n# A story\n\n{SENTENCE}\n\n{EDITED}\n", encoding="utf-8")
    result = repo_copy.make("gettext")
    assert result.returncode == 0, result.output
    # The check the update runs names what needs translating.
    assert "zh-cn/story: fuzzy: 'The second sentence is edited.'" in result.output
    after = po_path.read_text(encoding="utf-8")

    with po_path.open("rb") as handle:
        updated = read_po(handle)
    edited = updated[EDITED]
    assert edited.fuzzy
    assert edited.string == "译文：The second sentence."  # the old translation, to revise
    assert "The second sentence." not in updated  # the old English is gone
    assert updated[SENTENCE].string == f"译文：{SENTENCE}"
    assert not updated[SENTENCE].fuzzy
    assert "A third one, removed later." in updated.obsolete  # kept, not lost
    # Nothing else moved: the unchanged entries are byte-for-byte where they were.
    for line in before.splitlines():
        if SENTENCE in line or line.startswith(("#", '"')):
            assert line in after.splitlines()


def test_page_without_catalog_names_the_make_target(repo_copy: RepoCopy) -> None:
    repo_copy.page("fresh.md", "(fresh)=\n# Fresh page\n\nNew words.\n", notebook=False)
    out = repo_copy.path / "_build" / "gettext"
    extract(repo_copy.path, out)
    chinese = editions.find("zh-cn")
    problems = [str(p) for p in check(catalog_dir(chinese, repo_copy.docs), out, chinese.code)]
    assert (
        "zh-cn/fresh: no catalog entry; run `make gettext` and translate it: 'New words.'"
        in problems
    )


# Three or more English words in a row: a phrase written for the reader, not code.
ENGLISH_PHRASE = re.compile(r"\b[A-Za-z][a-z']+(?:[ ,]+[A-Za-z][a-z']+){2,}\b")
# A printed line with these is a value or code (a repr, an array, an IR), not prose.
CODE_MARKS = re.compile(r"[()\[\]{}=<>%]")


def _output_texts(output: Tag) -> list[str]:
    """The pieces of an output a reader reads as text: each table cell on its own (a
    row of names is not a sentence), each printed line that is not a value or code,
    and the rest of the output's text. Highlighted code, maths and images are left out."""
    for code in output.select(
        ".output.traceback, .output.error, .highlight-python, .text_markdown .highlight, math, img"
    ):
        code.decompose()
    texts = []
    for cell in output.select("th, td, caption"):
        texts.append(cell.get_text(" "))
        cell.decompose()
    for printed in output.select(".output.stream, .output.text_plain"):
        texts += [line for line in printed.get_text().splitlines() if not CODE_MARKS.search(line)]
        printed.decompose()
    texts.append(output.get_text(" "))
    return texts


def test_chinese_outputs_have_no_english_prose(site: Path) -> None:
    """What the code shows the reader (sentences, table headers, the executed-with line)
    is in Chinese; code, names, units and JAX's own error messages may stay as they are."""
    problems: dict[str, list[str]] = {}
    for page in sorted((site / "zh-cn").glob("*.html")):
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for cell in html.select("div.cell"):
            if "tag_quotes-library" in cell.get("class", []):
                continue  # the output quotes a library's own message, on purpose
            for output in cell.select("div.cell_output"):
                for text in _output_texts(output):
                    found = ENGLISH_PHRASE.findall(text)
                    if found:
                        problems.setdefault(page.name, []).extend(found)
    assert not problems, "English prose in the Chinese edition's outputs:\n" + "\n".join(
        f"{page}: {sorted(set(found))[:12]}" for page, found in problems.items()
    )


def test_output_text_check_sees_prose_not_code() -> None:
    """The check above flags a sentence, in a paragraph, a table or a printed line, and
    lets code, values and names through."""
    html = BeautifulSoup(
        '<div class="cell_output">'
        '<div class="output stream"><pre>(False, True, False)\nthe loss went down</pre></div>'
        '<div class="output text_html"><table><tr><th>jacfwd</th><th>jacrev</th><th>ratio</th></tr>'
        "<tr><td>cond</td><td>ok</td><td>two branches ran</td></tr></table>"
        '<div class="highlight-python"><pre>from pathlib import Path</pre></div>'
        "<p>计算了 3 次 in this run</p></div></div>",
        "html.parser",
    )
    found = [phrase for text in _output_texts(html) for phrase in ENGLISH_PHRASE.findall(text)]
    assert sorted(found) == ["in this run", "the loss went down", "two branches ran"]


VOCABULARY = ROOT / "docs" / "locales" / "zh_CN" / "vocabulary.toml"


def _messages() -> list[tuple[str, str, str]]:
    """(catalog, English, Chinese) for every translated message of the Chinese edition."""
    found = []
    for po in sorted(catalog_dir(editions.find("zh-cn")).glob("*.po")):
        with po.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string:
                    found.append((po.stem, str(message.id), str(message.string)))
    return found


def test_one_word_per_concept() -> None:
    """Each concept has one rendering (docs/glossary.md); a known variant fails, named."""
    terms = tomllib.loads(VOCABULARY.read_text(encoding="utf-8"))["term"]
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    problems = [
        f"glossary.md does not fix {t['en']!r} as 中文：{t['use']}"
        for t in terms
        if f"中文：{t['use']}" not in glossary and t["use"] != "bug"
    ]
    for catalog, english, chinese in _messages():
        if catalog == "glossary":
            continue  # it defines the terms, variants included
        for term in terms:
            if "unless_en" in term and re.search(term["unless_en"], english):
                continue
            if "only_en" in term and not re.search(term["only_en"], english):
                continue
            for variant in term["avoid"]:
                if re.search(variant, chinese):
                    problems.append(
                        f"{catalog}: {english[:70]!r}: {variant!r} for {term['en']!r}; "
                        f"use {term['use']}"
                    )
    assert not problems, "\n".join(problems)


GLOSS = re.compile(r"（([A-Za-z][A-Za-z \-']*)）")
LINK = re.compile(r"\{(?:ref|doc)\}`[^`]+`")
CJK_OR_FULL_WIDTH = (
    "[\u4e00-\u9fff\uff0c\u3002\uff1a\uff1b\u3001\uff01\uff1f\uff08\uff09\u201c\u201d\u300a\u300b]"
)


def test_english_glosses_only_for_glossary_terms_once_per_page() -> None:
    glossary_terms = {
        line.strip().lower()
        for line in (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith((" ", "`", "#", "(", "This", "in Chinese", "teaches"))
    }
    problems = []
    seen: dict[str, set[str]] = {}
    for catalog, english, chinese in _messages():
        for gloss in GLOSS.findall(chinese):
            if f"（{gloss}）" in english:
                continue  # the English quotes the note's Chinese, gloss and all
            term = gloss.strip().lower()
            if catalog == "glossary":
                continue
            if term not in glossary_terms:
                problems.append(f"{catalog}: （{gloss}） is not a glossary term: {english[:60]!r}")
            elif term in seen.setdefault(catalog, set()):
                problems.append(f"{catalog}: （{gloss}） glossed again: {english[:60]!r}")
            seen.setdefault(catalog, set()).add(term)
    assert not problems, "\n".join(problems)


def test_links_sit_in_chinese_text_without_spaces_or_quotes() -> None:
    problems = []
    for catalog, _english, chinese in _messages():
        for match in LINK.finditer(chinese):
            before = chinese[: match.start()][-1:]
            after = chinese[match.end() :][:1]
            if (
                before == " " and re.match(CJK_OR_FULL_WIDTH, chinese[: match.start()][-2:-1] or "")
            ) or (
                after == " "
                and re.match(CJK_OR_FULL_WIDTH, chinese[match.end() + 1 : match.end() + 2])
            ):
                problems.append(f"{catalog}: a space beside {match.group(0)}: {chinese[:80]!r}")
            if (before and before in "“《") or (after and after in "”》"):
                problems.append(f"{catalog}: quotes around {match.group(0)}: {chinese[:80]!r}")
    assert not problems, f"{len(problems)} links:\n" + "\n".join(problems[:40])
