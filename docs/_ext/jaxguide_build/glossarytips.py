"""Glossary tips: the first mention of a glossary term on a page explains itself.

On every page but the glossary, the first time a term of the glossary appears in the
running text (in the edition's language: "leaf" in English, 叶子 in Chinese), it
becomes a link to its glossary entry that shows the term's short definition when the
pointer rests on it or the keyboard focuses it. Everything is written when the page is
built: the tips work offline, from the htmlzip too, and need no script but a small
one that lets Esc close a tip. The link names the tip with ``aria-describedby``, so a
screen reader reads the definition too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from jaxguide_build import offline

logger = logging.getLogger(__name__)

GLOSSARY = "glossary"
# Text inside these is code, a link, a title or an output: never a tip.
_SKIP = (
    nodes.literal,
    nodes.literal_block,
    nodes.reference,
    nodes.title,
    nodes.caption,
    nodes.math,
    nodes.raw,
    nodes.term,
    addnodes.pending_xref,
    addnodes.desc,
)
# The end of a definition that names the term's rendering and the page that teaches it.
_TAIL = re.compile(r"\s*(?:中文：|参见|See ).*$", re.DOTALL)


@dataclass(frozen=True)
class Term:
    """A glossary entry as this edition shows it."""

    words: str  # what to look for in running text
    anchor: str  # the entry's id on the glossary page
    definition: str  # the short definition shown in the tip
    names: tuple[str, ...] = ()  # every name it goes by: 叶子（leaf） → 叶子, leaf
    taught: tuple[str, ...] = ()  # the pages its "See …" points to: where it is taught


def words_of(term_text: str) -> str:
    """The words a reader meets in running text: 叶子（leaf） → 叶子, leaf → leaf.

    Examples
    --------
    >>> words_of("叶子（leaf）"), words_of("pytree（树状结构）"), words_of("batch axis")
    ('叶子', 'pytree', 'batch axis')
    """
    return re.split(r"[（(]", term_text, maxsplit=1)[0].strip()


def names_of(term_text: str) -> tuple[str, ...]:
    """Every name a term goes by: the words before a parenthesis, then those inside it.

    Examples
    --------
    >>> names_of("叶子（leaf）"), names_of("batch axis"), names_of("追踪器（tracer）")
    (('叶子', 'leaf'), ('batch axis',), ('追踪器', 'tracer'))
    """
    inside = re.search(r"[（(]([^）)]+)[）)]", term_text)
    names = [words_of(term_text)] + ([inside.group(1).strip()] if inside else [])
    return tuple(name for name in names if name)


def _taught_on(app: Sphinx, definition: nodes.Node) -> tuple[str, ...]:
    """The pages a definition's cross-references point to, in order."""
    labels = app.env.get_domain("std").labels  # type: ignore[attr-defined]
    pages: list[str] = []
    for xref in definition.findall(addnodes.pending_xref):
        target = str(xref.get("reftarget", ""))
        if xref.get("reftype") == "ref" and target in labels:
            page = labels[target][0]
        elif xref.get("reftype") == "doc":
            page = target
        else:
            continue
        if page not in pages and page != GLOSSARY:
            pages.append(page)
    return tuple(pages)


def glossary_terms(app: Sphinx) -> list[Term]:
    """The terms of this edition's glossary, longest first (so "batch axis" wins over "batch")."""
    if GLOSSARY not in app.env.found_docs:
        return []
    doctree = app.env.get_doctree(GLOSSARY)
    terms = []
    for item in doctree.findall(nodes.definition_list_item):
        term = next(item.findall(nodes.term), None)
        definition = next(item.findall(nodes.definition), None)
        if term is None or definition is None or not term["ids"]:
            continue
        text = _TAIL.sub("", definition.astext().replace("\n", " ")).strip()
        terms.append(
            Term(
                words_of(term.astext()),
                term["ids"][0],
                text,
                names_of(term.astext()),
                _taught_on(app, definition),
            )
        )
    return sorted(terms, key=lambda t: len(t.words), reverse=True)


def _pattern(term: Term, chinese: bool) -> re.Pattern[str]:
    if chinese and re.search(r"[\u4e00-\u9fff]", term.words):
        return re.compile(re.escape(term.words))
    return re.compile(rf"(?<![\w-]){re.escape(term.words)}(?![\w-])", re.IGNORECASE)


def _in_skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _SKIP) or (
            isinstance(parent, nodes.container) and "cell_output" in parent.get("classes", [])
        ):
            return True
        parent = parent.parent
    return False


def tip_markup(term: Term, shown: str, href: str, number: int) -> str:
    tip_id = f"jaxguide-tip-{number}"
    return (
        '<span class="jaxguide-term">'
        f'<a class="reference internal jaxguide-term-link" href="{html.escape(href)}" '
        f'aria-describedby="{tip_id}">{html.escape(shown)}</a>'
        f'<span class="jaxguide-tip" role="tooltip" id="{tip_id}">'
        f"{html.escape(term.definition)}</span></span>"
    )


def add_tips(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    # An EPUB or a PDF has no pointer to rest on a tip; the glossary is in the book.
    if docname == GLOSSARY or app.builder.format != "html" or offline.is_offline(app):
        return
    terms = glossary_terms(app)
    if not terms:
        return
    chinese = str(app.config.language).startswith("zh")
    href_base = app.builder.get_relative_uri(docname, GLOSSARY)
    found = 0
    for term in terms:
        pattern = _pattern(term, chinese)
        for text in list(doctree.findall(nodes.Text)):
            if not isinstance(
                text.parent, nodes.paragraph | nodes.inline | nodes.strong | nodes.emphasis
            ):
                continue
            match = pattern.search(text.astext())
            if match is None or _in_skipped(text):
                continue
            found += 1
            whole = text.astext()
            markup = tip_markup(term, match.group(0), f"{href_base}#{term.anchor}", found)
            replacement: list[nodes.Node] = []
            if match.start():
                replacement.append(nodes.Text(whole[: match.start()]))
            replacement.append(nodes.raw("", markup, format="html"))
            if match.end() < len(whole):
                replacement.append(nodes.Text(whole[match.end() :]))
            text.parent.replace(text, replacement)
            break


def depend_on_glossary(app: Sphinx, doctree: nodes.document) -> None:  # noqa: ARG001
    """A page shows the glossary's definitions: when the glossary changes, so does the page."""
    docname = app.env.current_document.docname
    if docname != GLOSSARY and GLOSSARY in app.env.found_docs:
        app.env.note_dependency(app.env.doc2path(GLOSSARY))


def setup(app: Sphinx) -> None:
    app.add_js_file("jaxguide-tips.js")
    app.connect("doctree-read", depend_on_glossary)
    app.connect("doctree-resolved", add_tips)
