"""Each executed page offers its notebook, with the outputs the site shows, for download.

The notebook's outputs are in the edition's language, as on the page.

The theme's download button links ``_sources/<page>.ipynb``; this writes that file
from the page and its cached outputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from jupyter_cache import get_cache
from sphinx.application import Sphinx
from sphinx.util import logging

from jaxguide_build import editions, offline, readerlang
from jaxguide_build.pages import read_page

logger = logging.getLogger(__name__)


def is_notebook_page(app: Sphinx, pagename: str) -> bool:
    return "kernelspec" in app.env.metadata.get(pagename, {})


def write_notebook(app: Sphinx, pagename: str) -> str:
    """Write the page's executed notebook under ``_sources/``; return its name there."""
    nb = read_page(Path(app.env.doc2path(pagename)))
    nb.metadata.pop("source_map", None)
    try:
        _, nb = get_cache(app.config.nb_execution_cache_path).merge_match_into_notebook(nb)
    except KeyError:
        # Only when Sphinx executes pages itself (force mode, for comparisons): the
        # download is then the page's code without outputs, which still runs.
        logger.info("jaxguide: no cached outputs for %s; its notebook has none", pagename)
    readerlang.in_notebook(nb, editions.find(app.config.jaxguide_edition).hreflang)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.writes(nb), encoding="utf-8")  # type: ignore[no-untyped-call]
    return f"{pagename}.ipynb"


def add_notebook_download(
    app: Sphinx,
    pagename: str,
    templatename: str,  # noqa: ARG001  (Sphinx's event signature)
    context: dict[str, Any],
    doctree: Any,
) -> None:
    if doctree is not None and not offline.is_offline(app) and is_notebook_page(app, pagename):
        context["ipynb_source"] = write_notebook(app, pagename)


def setup(app: Sphinx) -> None:
    # Before the theme's header buttons (priority 501) read "ipynb_source".
    app.connect("html-page-context", add_notebook_download, priority=400)
