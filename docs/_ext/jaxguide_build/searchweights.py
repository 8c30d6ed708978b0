"""Search results in order of relevance: how much each page is about each word.

Sphinx's search lists the pages that hold every word of the query, and scores a word in
a page's text the same whether the page mentions it once in passing or is about it.
Ties then fall back to the alphabetical order of titles, so "gradient" could list the
glossary or the ecosystem page above the page on automatic differentiation.

At the end of each build this module counts, in every page, the words Sphinx's own
index holds (split by the same splitter, so jieba for Chinese, and stemmed the same
way) and writes a weight for each word and page to ``searchweights.js`` in the
edition's root: how dense the word is on the page, against the page where it is
densest (:func:`weigh`). Dotted names (``jnp.array``, ``jax.random.split``) count as
words of their own, so that a query for one finds the page that uses it most, not any
page with both halves. A word found on one page only gets no weight (it has no tie to
break), unless it is in one of that page's headings. Two more rules:

- a word of a page's own title adds :data:`TITLE_BONUS`: the page named after the
  query is the one that answers it;
- the hub pages (:data:`HUBS`: the home page, the glossary, the list of anchors) name
  every topic in a line or two, so they get no weights, and never outrank the page
  that teaches one.

The user dictionary that jieba splits Chinese with (``html_search_options["dict"]``)
is a file: Sphinx would not notice an edit to it and would keep the old index for the
pages it does not rewrite. Its digest joins the search options, so an edit re-indexes
every page.

A query that is a glossary term, by any of its names (``设备网格``, ``mesh``,
``gradient``), adds :data:`TAUGHT` to the pages the glossary entry points to: the
glossary says, for each term, which page teaches it, and that page is the answer even
where another page uses the word more often (explicit sharding says 设备网格 more
often than the page that introduces meshes).

Only the :data:`KEEP` best pages per word are written: a reader looks at the first
few results. The search page loads the file, and ``jaxguide-scorer.js`` adds the
weights of the query's words to each result's score (``jaxguide-search.js``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from . import glossarytips, sphinx_private

FILENAME = "searchweights.js"
#: A word in a title counts as this many words of text.
TITLE_WEIGHT = 3
#: The weight of the page where a rare word is densest. Sphinx scores a word in a
#: page's text 5 and in a section title 15, so the page about a word can overtake a
#: page that has it in a section title.
TOP = 30
#: Added to a word's weight on a page whose title holds it.
TITLE_BONUS = 10
#: Pages that list every topic briefly (the home page, the glossary, the list of
#: anchors); they keep Sphinx's own scores only.
HUBS = frozenset({"index", "glossary", "link-to-this-guide"})
#: The best pages written per word.
KEEP = 5
#: Added to the pages that teach a glossary term when the query is that term: more
#: than a word's weight on its densest page with the title bonus (TOP + TITLE_BONUS).
TAUGHT = 45
#: A dotted name, as code writes it: the same pattern as ``DOTTED`` in jaxguide-search.js.
DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


def count_terms(
    words: list[str],
    title_words: list[str],
    stem: Callable[[str], str],
    keep: Callable[[str], bool],
    text: str = "",
) -> Counter[str]:
    """How often each index term occurs in a page, keyed as the index keys it, and each
    dotted name in ``text``, lower-cased."""
    counts: Counter[str] = Counter(name.lower() for name in DOTTED.findall(text))
    for group, weight in ((words, 1), (title_words, TITLE_WEIGHT)):
        for word in group:
            term = stem(word).lower()
            if not keep(term) and keep(word):
                term = word
            if keep(term):
                counts[term] += weight
    return counts


def weigh(
    counts: Mapping[str, Counter[str]],
    titles: Mapping[str, set[str]] | None = None,
    headings: Mapping[str, set[str]] | None = None,
) -> dict[str, dict[str, int]]:
    """term -> {page: weight} for the terms found on two pages or more, and for the
    terms of a page's headings (``headings``) even where only that page has them: a
    query of two words may find that page and others through the other word.

    A page's weight for a term grows with the term's density on the page (its count
    over the page's length), relative to the densest page, which gets :data:`TOP`;
    it is scaled by how rare the term is across pages (idf / (idf + 1), with
    idf = ln(1 + pages / pages with the term)), so that in a query of several words the
    rare one weighs more. A page whose title (``titles``: the
    terms of each page's title) holds the term gains :data:`TITLE_BONUS`. Only the
    :data:`KEEP` best pages of each term are kept.
    """
    titles = titles or {}
    headings = headings or {}
    pages = len(counts)
    lengths = {page: sum(c.values()) or 1 for page, c in counts.items()}
    found_on: Counter[str] = Counter()
    for c in counts.values():
        found_on.update(c.keys())
    densest: dict[str, float] = {}
    for page, c in counts.items():
        if page not in HUBS:
            for term, tf in c.items():
                densest[term] = max(densest.get(term, 0.0), tf / lengths[page])
    table: dict[str, dict[str, int]] = {}
    for page, c in sorted(counts.items()):
        if page in HUBS:
            continue
        for term, tf in c.items():
            df = found_on[term]
            if df < 2 and term not in headings.get(page, set()):
                continue
            idf = math.log(1 + pages / df)  # never 0: a word on every page still ranks them
            share = (tf / lengths[page]) / densest[term]
            weight = round(TOP * share * idf / (idf + 1))
            weight += TITLE_BONUS if term in titles.get(page, set()) else 0
            if weight > 0:
                table.setdefault(term, {})[page] = weight
    return {
        term: dict(sorted(by_page.items(), key=lambda item: (-item[1], item[0]))[:KEEP])
        for term, by_page in table.items()
    }


def phrase(query: str) -> str:
    """A query or a term's name as the search page compares them (``phrase`` in
    jaxguide-search.js): lower case, spaces collapsed.

    >>> phrase("  Device   Mesh ")
    'device mesh'
    """
    return " ".join(query.lower().split())


def taught_pages(terms: list[glossarytips.Term]) -> dict[str, list[str]]:
    """Each name of each glossary term -> the pages that teach it."""
    taught: dict[str, list[str]] = {}
    for term in terms:
        for name in term.names:
            pages = taught.setdefault(phrase(name), [])
            pages.extend(page for page in term.taught if page not in pages)
    return {name: pages for name, pages in sorted(taught.items()) if pages}


def script(
    table: Mapping[str, Mapping[str, int]], taught: Mapping[str, list[str]] | None = None
) -> str:
    """The weights as a script: pages listed once, each term's pages by number."""
    taught = taught or {}
    pages = sorted(
        {page for by_page in table.values() for page in by_page}
        | {page for listed in taught.values() for page in listed}
    )
    number = {page: i for i, page in enumerate(pages)}
    terms = {
        term: [[number[page], weight] for page, weight in sorted(by_page.items())]
        for term, by_page in sorted(table.items())
    }
    data = json.dumps(
        {
            "pages": pages,
            "terms": terms,
            "taught": {name: [number[p] for p in listed] for name, listed in taught.items()},
            "taughtWeight": TAUGHT,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return f"var JAXGUIDE_SEARCH_WEIGHTS = {data};\n"


def write_weights(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None:
        return
    lang = indexer.lang
    # The same few thousand words recur across pages; the stemmer is pure Python.
    stem = functools.cache(lang.stem)
    counts = {}
    titles = {}
    headings = {}
    for docname in sorted(app.env.found_docs):
        doctree = app.env.get_doctree(docname)
        words, title_words = sphinx_private.page_words(indexer, doctree)
        counts[docname] = count_terms(words, title_words, stem, lang.word_filter, doctree.astext())
        headings[docname] = set(count_terms([], title_words, stem, lang.word_filter))
        title = app.env.titles[docname].astext()
        titles[docname] = set(count_terms(lang.split(title), [], stem, lang.word_filter))
    taught = taught_pages(glossarytips.glossary_terms(app))
    (Path(app.outdir) / FILENAME).write_text(
        script(weigh(counts, titles, headings), taught), encoding="utf-8"
    )


def digest_user_dictionary(_app: Sphinx, config: Config) -> None:
    options = config.html_search_options
    path = Path(options.get("dict", "")) if isinstance(options, dict) else None
    if path and path.is_file():
        options["dict_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()


def setup(app: Sphinx) -> None:
    app.connect("config-inited", digest_user_dictionary)
    app.connect("build-finished", write_weights)
