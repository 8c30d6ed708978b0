"""Executed outputs stay out of the translation catalogs.

Outputs are shared by every edition and change with each execution (timings), so
their text must never become a message to translate. Figure captions come from the
page's source, not from execution: they stay translatable.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.application import Sphinx


def in_output(node: nodes.Node) -> bool:
    """Whether ``node`` is text of an executed output (a figure caption is not)."""
    parent: nodes.Node | None = node
    while parent is not None:
        if isinstance(parent, nodes.caption):
            return False
        if isinstance(parent, nodes.container) and "cell_output" in parent.get("classes", []):
            return True
        parent = parent.parent
    return False


def freeze_outputs(app: Sphinx, doctree: nodes.document, docname: str) -> None:  # noqa: ARG001
    """Mark the text of every cell output, captions aside, as not translatable."""
    for container in doctree.findall(nodes.container):
        if "cell_output" in container.get("classes", []):
            for node in container.findall(nodes.TextElement):
                if in_output(node):
                    node["translatable"] = False


def rewrite_html_outputs(
    doctree: nodes.document, marker: str, rewrite: Callable[[str], str]
) -> None:
    """Replace each raw node whose text holds ``marker`` (an HTML output made by
    :mod:`jaxguide`) with one holding ``rewrite(text)``, keeping its format and classes."""
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if marker in text:
            new = nodes.raw("", rewrite(text), format=raw.get("format", "html"))
            new["classes"] = raw.get("classes", [])
            raw.replace_self(new)


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", freeze_outputs)
