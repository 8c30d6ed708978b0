"""The build's own machinery: execution-cache keys and build-time checks.

This module is Sphinx-side only. It may import :mod:`jaxguide`; the helper
package never imports it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]

# What the executed outputs depend on besides a page's own code cells. jupyter-cache
# keys a page on its code alone, so a change to any of these must start a fresh cache.
CACHE_INPUTS = ("src/jaxguide", "requirements.lock")


def inputs_digest(root: Path = REPO_ROOT, inputs: tuple[str, ...] = CACHE_INPUTS) -> str:
    """Hash the files the executed outputs depend on, in a stable order."""
    digest = hashlib.sha256()
    for name in inputs:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts:
                continue
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]


def cache_root(root: Path = REPO_ROOT) -> Path:
    """Where execution caches live: ``$JAXGUIDE_CACHE_ROOT`` or ``_build/.jupyter_cache``."""
    override = os.environ.get("JAXGUIDE_CACHE_ROOT")
    return Path(override) if override else root / "_build" / ".jupyter_cache"


def execution_cache_path(root: Path = REPO_ROOT) -> Path:
    """The cache folder for the current helper package and lock; older ones are pruned."""
    base = cache_root(root)
    current = base / inputs_digest(root)
    if base.is_dir():
        for stale in base.iterdir():
            if stale.is_dir() and stale != current:
                logger.info("jaxguide: pruning stale execution cache %s", stale.name)
                shutil.rmtree(stale, ignore_errors=True)
    return current


def cell_timeout() -> int:
    """Seconds a cell may run: ``$JAXGUIDE_CELL_TIMEOUT`` or 180."""
    return int(os.environ.get("JAXGUIDE_CELL_TIMEOUT", "180"))


def edition_links(app: Sphinx, pagename: str) -> list[dict[str, Any]]:
    """The same page in every edition, for the language switcher and hreflang links."""
    current = app.config.jaxguide_edition
    up = "../" * pagename.count("/")  # from this page to its edition's root
    links = []
    for code, (hreflang, name) in app.config.jaxguide_editions.items():
        relative = app.config.jaxguide_edition_relurl.format(code=code)
        absolute = app.config.jaxguide_edition_absurl.format(code=code)
        links.append(
            {
                "code": code,
                "hreflang": hreflang,
                "name": name,
                "current": code == current,
                "url": f"{up}{relative}{pagename}.html",
                "absolute": f"{absolute}{pagename}.html",
            }
        )
    return links


def add_edition_context(
    app: Sphinx,
    pagename: str,
    templatename: str,  # noqa: ARG001  (Sphinx's event signature)
    context: dict[str, Any],
    doctree: Any,  # noqa: ARG001
) -> None:
    """Give templates the other editions of this page, and tell search engines about them."""
    links = edition_links(app, pagename)
    context["jaxguide_editions"] = links
    alternates = "".join(
        f'<link rel="alternate" hreflang="{link["hreflang"]}" href="{link["absolute"]}">\n'
        for link in links
    )
    context["metatags"] = context.get("metatags", "") + alternates


def freeze_outputs(app: Sphinx, doctree: nodes.document, docname: str) -> None:  # noqa: ARG001
    """Keep executed outputs out of the translation catalogs.

    Outputs are shared by both editions and change with every execution (timings),
    so they are language-neutral by design; their text must not become messages.
    """
    for container in doctree.findall(nodes.container):
        if "cell_output" in container.get("classes", []):
            for node in container.findall(nodes.TextElement):
                node["translatable"] = False


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("jaxguide_edition", "en", "html", types=[str])
    # code -> (hreflang, name shown in the switcher)
    app.add_config_value("jaxguide_editions", {}, "html", types=[dict])
    # Where an edition's root is, from this edition's root ("{code}" is replaced),
    # and its absolute URL for search engines.
    app.add_config_value("jaxguide_edition_relurl", "../{code}/", "html", types=[str])
    app.add_config_value("jaxguide_edition_absurl", "", "html", types=[str])
    app.connect("html-page-context", add_edition_context)
    app.connect("doctree-resolved", freeze_outputs)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
