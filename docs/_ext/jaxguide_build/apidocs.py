"""The API page follows every module of the helper package.

autodoc records only the module it imported (``jaxguide/__init__.py``), not the
submodules whose docstrings it re-exports, so an edited docstring would not reach
the API page in an incremental build. A page that documents ``jaxguide`` therefore
depends on every file of the package.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx


def track_helper_sources(app: Sphinx, doctree: nodes.document) -> None:
    documents_helpers = any(
        str(sig.get("module", "")).startswith("jaxguide")
        for sig in doctree.findall(addnodes.desc_signature)
    )
    if documents_helpers:
        package = Path(app.confdir) / "src" / "jaxguide"
        for source in sorted(package.rglob("*.py")):
            app.env.note_dependency(str(source))


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", track_helper_sources)
