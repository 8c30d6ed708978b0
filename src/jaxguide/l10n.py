"""Outputs in the reader's language: one execution, every edition.

A page runs once, and its outputs serve the English and the Chinese edition alike.
Text that a cell shows to the reader (a sentence printed from a measurement, a
table's headers, the "executed with" line) therefore carries both languages:
:class:`Bilingual` renders as two ``<span lang=…>`` elements, and the site's build
keeps the one of the edition it writes. In a notebook (Jupyter, Colab) the English
one shows and the other is ``hidden``; plain text (``print``, ``repr``) is English.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

#: The class the site's build looks for; it keeps the span of the edition's language.
CSS_CLASS = "jaxguide-l10n"
#: Language tags of the editions (their ``hreflang``), in the order of :class:`Bilingual`.
LANGUAGES = ("en", "zh-CN")


@dataclass(frozen=True)
class Bilingual:
    """A short text in English and in Simplified Chinese.

    Introduced on the page :doc:`/index`.

    Examples
    --------
    >>> from jaxguide import Bilingual
    >>> median = Bilingual("median", "中位数")
    >>> str(median)
    'median'
    >>> median.html()
    '<span class="jaxguide-l10n" lang="en">median</span><span class="jaxguide-l10n" lang="zh-CN" hidden>中位数</span>'
    """

    en: str
    zh: str

    def __str__(self) -> str:
        return self.en

    def html(self) -> str:
        """Both languages as HTML spans, the English one shown, each text escaped."""
        first, second = LANGUAGES
        return (
            f'<span class="{CSS_CLASS}" lang="{first}">{html.escape(self.en)}</span>'
            f'<span class="{CSS_CLASS}" lang="{second}" hidden>{html.escape(self.zh)}</span>'
        )


@dataclass(frozen=True)
class Said:
    """A paragraph for the reader, in both languages: what :func:`say` shows.

    Introduced on the page :doc:`/index`.
    """

    text: Bilingual

    def __repr__(self) -> str:
        return self.text.en

    def _repr_html_(self) -> str:
        return f'<p class="jaxguide-said">{self.text.html()}</p>'


def say(en: str, zh: str) -> Said:
    """A sentence about the page's results, in English and Chinese, to show as a cell's output.

    Use it for every sentence the code writes for the reader (a result put into
    words); ``print`` stays for values and code-like output.
    Introduced on the page :doc:`/index`.

    Examples
    --------
    >>> from jaxguide import say
    >>> ratio = 3.14159
    >>> say(f"jit was {ratio:.1f}× faster.", f"jit 的加速比为 {ratio:.1f}×。")
    jit was 3.1× faster.
    """
    for text in (en, zh):
        if not text.strip():
            msg = "say() needs the sentence in both languages, got an empty one"
            raise ValueError(msg)
    return Said(Bilingual(en, zh))


def _header(text: Bilingual | str) -> str:
    if isinstance(text, Bilingual) and text.en != text.zh:
        return text.html()
    return html.escape(str(text))


def html_table(
    css: str, headers: Sequence[Bilingual | str], rows: Sequence[Sequence[object]], caption: str
) -> str:
    """A table whose first column is a label and whose other columns are numbers.

    Headers in both languages; number cells carry ``class="num"`` (right-aligned,
    padded, tabular digits in jaxguide.css), so neighbouring values never read as one
    number. The table can take the keyboard's focus, so that it can be scrolled where
    it is wider than the screen. ``caption`` is HTML.
    """

    def cell(tag: str, index: int, markup: str) -> str:
        css_class = ' class="num"' if index else ""
        return f"<{tag}{css_class}>{markup}</{tag}>"

    head = "".join(cell("th", i, _header(h)) for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(cell("td", i, html.escape(str(c))) for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return (
        f'<table class="{css}" tabindex="0"><caption>{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


@dataclass(frozen=True)
class Table:
    """A small table of results for the reader, its headers in both languages: what
    :func:`table` shows.

    Introduced on the page :doc:`/index`.
    """

    headers: tuple[Bilingual | str, ...]
    rows: tuple[tuple[object, ...], ...]
    caption: Bilingual | str = ""

    def __repr__(self) -> str:
        lines = [[str(h) for h in self.headers], *([str(c) for c in row] for row in self.rows)]
        widths = [max(len(line[i]) for line in lines) for i in range(len(self.headers))]
        return "\n".join(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            )
            for line in lines
        )

    def _repr_html_(self) -> str:
        return html_table("jaxguide-table", self.headers, self.rows, _header(self.caption))


def table(
    headers: Sequence[Bilingual | str],
    rows: Sequence[Sequence[object]],
    caption: Bilingual | str = "",
) -> Table:
    """A table for the reader: a label column, then number columns, headers in both languages.

    A header is a :class:`Bilingual`, or a plain string where the words are the same in
    every language (a symbol, a unit, a name of code). Introduced on the page :doc:`/index`.

    Examples
    --------
    >>> from jaxguide import Bilingual, table
    >>> table([Bilingual("size", "大小"), "n", "ms"], [("small", 10, 1.5), ("large", 1000, 12.25)])
    size      n     ms
    small    10    1.5
    large  1000  12.25
    """
    if any(len(row) != len(headers) for row in rows):
        msg = f"every row of the table needs {len(headers)} cells, one per header"
        raise ValueError(msg)
    return Table(tuple(headers), tuple(tuple(row) for row in rows), caption)
