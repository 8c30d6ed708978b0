"""Executed outputs in the reader's language.

A page runs once; text its code shows the reader carries every language, as
``<span class="jaxguide-l10n" lang=…>`` elements (:mod:`jaxguide.l10n`). Each edition
keeps the spans of its own language, without the wrapper, and drops the others, in
the pages and in the notebook offered for download.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from jaxguide.l10n import CSS_CLASS
from jaxguide_build import editions
from jaxguide_build.outputs import rewrite_html_outputs

SPAN = re.compile(
    rf'<span class="{CSS_CLASS}" lang="(?P<lang>[^"]+)"(?: hidden)?>(?P<text>.*?)</span>', re.DOTALL
)


def keep_language(markup: str, hreflang: str) -> str:
    """``markup`` with only the spans of ``hreflang``, unwrapped.

    Examples
    --------
    >>> both = ('<p><span class="jaxguide-l10n" lang="en">median</span>'
    ...         '<span class="jaxguide-l10n" lang="zh-CN" hidden>中位数</span></p>')
    >>> keep_language(both, "zh-CN"), keep_language(both, "en")
    ('<p>中位数</p>', '<p>median</p>')
    """
    return SPAN.sub(lambda m: m["text"] if m["lang"] == hreflang else "", markup)


def in_notebook(notebook: Any, hreflang: str) -> None:
    """Keep one language in the HTML outputs of a notebook (nbformat), in place."""
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                text = data["text/html"]
                joined = "".join(text) if isinstance(text, list) else text
                data["text/html"] = keep_language(joined, hreflang)


def keep_edition_language(app: Sphinx, doctree: nodes.document, docname: str) -> None:  # noqa: ARG001
    hreflang = editions.find(app.config.jaxguide_edition).hreflang
    rewrite_html_outputs(doctree, CSS_CLASS, lambda text: keep_language(text, hreflang))


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", keep_edition_language)
