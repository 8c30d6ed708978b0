"""Executed outputs stay out of the translation catalogs.

Outputs are shared by every edition and change with each execution (timings), so
their text must never become a message to translate. Figure captions come from the
page's source, not from execution: they stay translatable.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx


def freeze_outputs(app: Sphinx, doctree: nodes.document, docname: str) -> None:  # noqa: ARG001
    """Mark the text of every cell output, captions aside, as not translatable."""
    for container in doctree.findall(nodes.container):
        if "cell_output" in container.get("classes", []):
            captions = {id(n) for cap in container.findall(nodes.caption) for n in cap.findall()}
            for node in container.findall(nodes.TextElement):
                if id(node) not in captions:
                    node["translatable"] = False


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", freeze_outputs)
