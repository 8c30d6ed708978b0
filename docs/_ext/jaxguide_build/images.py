"""Images that keep their space while they load, and say what they show.

The HTML writer's ``<img>`` gains the file's pixel size as ``width``/``height``, so
the browser reserves the space before the image arrives (no layout shift while a
reader scrolls; ``height: auto`` in jaxguide.css lets narrow screens scale it). An
output image has no alt text of its own (docutils would use its file name), so it
takes its figure's caption, which is translated with the page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.images import get_image_size

_SIZED = re.compile(r"\s(width|height|style)=")


def visit_image(self: Any, node: nodes.image) -> None:
    if not node.get("alt") and isinstance(node.parent, nodes.figure):
        caption = next(node.parent.findall(nodes.caption), None)
        if caption:
            node["alt"] = caption.astext()
    # The writer rewrites node["uri"] to the copy in _images/; read the source first.
    source = Path(self.builder.srcdir, node["uri"])
    type(self).visit_image(self, node)
    tag = self.body[-1] if self.body else ""
    if not tag.startswith("<img ") or _SIZED.search(tag):
        return
    size = get_image_size(source) if source.is_file() else None
    if size:
        self.body[-1] = tag.replace("<img ", f'<img width="{size[0]}" height="{size[1]}" ', 1)


def depart_image(self: Any, node: nodes.image) -> None:
    type(self).depart_image(self, node)


def setup(app: Sphinx) -> None:
    app.add_node(nodes.image, override=True, html=(visit_image, depart_image))
