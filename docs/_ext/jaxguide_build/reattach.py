"""Nodes of a translated page belong to the page's own document.

Sphinx translates a page by parsing each translated message as a small document of its
own and moving the resulting nodes into the page. Since docutils 0.22 a node remembers
the document it was made in, so every moved node keeps a reference to that small
document, whose settings hold the whole build environment (the intersphinx
inventories included). Each translated page's pickled doctree then carried a copy of
the environment: 7 MB per page instead of 0.1 MB (151 MB for the Chinese edition),
written once and read back several times per build. Autodoc's parsed docstrings do
the same on the API page in every edition.

After a page is read, every node is pointed at the page's document (through
docutils' public ``Node.document`` setter).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx


def reattach(_app: Sphinx, doctree: nodes.document) -> None:
    for node in doctree.findall():
        if node.document is not doctree:
            node.document = doctree


def setup(app: Sphinx) -> None:
    # Late: after every other doctree-read handler has added its nodes.
    app.connect("doctree-read", reattach, priority=900)
