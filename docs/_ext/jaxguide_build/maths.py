"""Equations as MathML, written when the page is built.

Browsers render MathML natively, so no MathJax script is fetched from a CDN and
nothing runs in the reader's browser. Selected in conf.py with
``html_math_renderer = "mathml"``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.utils.math.latex2mathml import tex2mathml
from sphinx.application import Sphinx


def visit_math_inline(self: Any, node: nodes.math) -> None:
    """Render inline LaTeX as MathML."""
    self.body.append(tex2mathml(node.astext()))
    raise nodes.SkipNode


def visit_math_block(self: Any, node: nodes.math_block) -> None:
    """Render a display equation as block MathML, with its number if it has one."""
    self.body.append(self.starttag(node, "div", CLASS="math-display"))
    if node.get("number"):
        self.body.append(f'<span class="eqno">({node["number"]})</span>')
    self.body.append(tex2mathml(node.astext(), as_block=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_html_math_renderer(
        "mathml",
        inline_renderers=(visit_math_inline, None),
        block_renderers=(visit_math_block, None),
    )
