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
