"""Equations as MathML, written when the page is built.

Browsers render MathML natively, so no MathJax script is fetched from a CDN and
nothing runs in the reader's browser. Selected in conf.py with
``html_math_renderer = "mathml"``.

The converter writes some characters as HTML's named entities (``&ApplyFunction;``),
which XML does not know: an EPUB's pages are XHTML, and a reader's strict parser stops
at the first one. So every entity but XML's own five is written as its character.
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from docutils.utils.math.latex2mathml import tex2mathml
from sphinx.application import Sphinx

#: A named entity other than the five that XML defines.
NAMED_ENTITY = re.compile(r"&(?!(?:lt|gt|amp|quot|apos);)[A-Za-z][A-Za-z0-9]*;")


def mathml(tex: str, *, block: bool = False) -> str:
    """MathML for ``tex``, valid in HTML and in XHTML alike.

    >>> "&ApplyFunction;" in tex2mathml(r"\\sin x")
    True
    >>> "&" in mathml(r"\\sin x")
    False
    >>> "&lt;" in mathml("a < b")
    True
    """
    return NAMED_ENTITY.sub(lambda m: html.unescape(m.group()), tex2mathml(tex, as_block=block))


def visit_math_inline(self: Any, node: nodes.math) -> None:
    """Render inline LaTeX as MathML."""
    self.body.append(mathml(node.astext()))
    raise nodes.SkipNode


def visit_math_block(self: Any, node: nodes.math_block) -> None:
    """Render a display equation as block MathML, with its number if it has one."""
    self.body.append(self.starttag(node, "div", CLASS="math-display"))
    if node.get("number"):
        self.body.append(f'<span class="eqno">({node["number"]})</span>')
    self.body.append(mathml(node.astext(), block=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_html_math_renderer(
        "mathml",
        inline_renderers=(visit_math_inline, None),
        block_renderers=(visit_math_block, None),
    )
