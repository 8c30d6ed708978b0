"""Files that cells offer for download (:func:`jaxguide.offer_file`) become files of the site.

The executed output carries the file as a ``data:`` URI, so the notebook works on its
own and the execution cache keeps the file. When a page is written, each such file is
written to ``_downloads/jaxguide/<hash>/<name>`` and the link points there: the page
itself stays light, and a file that did not change keeps its URL. An EPUB or a PDF
(:mod:`jaxguide_build.offline`) cannot hand a reader a file: there the link points at
the same path on the published edition, which holds the same bytes (the path is their hash).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from jaxguide.files import CSS_CLASS
from jaxguide_build import offline
from jaxguide_build.outputs import rewrite_html_outputs

DATA_LINK = re.compile(
    rf'<p class="{CSS_CLASS}"><a download="(?P<name>[^"/]+)" '
    r'href="data:[^;"]*;base64,(?P<data>[A-Za-z0-9+/=]*)">'
)
FOLDER = "_downloads/jaxguide"


def write_offered_files(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    # From the page to its edition's root: on the site, or in the book, the site itself.
    up = app.config.html_baseurl if offline.is_offline(app) else "../" * docname.count("/")

    def link_to_file(match: re.Match[str]) -> str:
        data = base64.b64decode(match["data"])
        where = f"{FOLDER}/{hashlib.sha256(data).hexdigest()[:16]}/{match['name']}"
        target = Path(app.outdir) / where
        if not offline.is_offline(app) and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return f'<p class="{CSS_CLASS}"><a download="{match["name"]}" href="{up}{where}">'

    rewrite_html_outputs(doctree, CSS_CLASS, lambda text: DATA_LINK.sub(link_to_file, text))


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", write_offered_files)
