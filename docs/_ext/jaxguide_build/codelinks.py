"""Links in code cells survive an incremental build (a fix for sphinx-codeautolink 0.20).

sphinx-codeautolink finds the names in each page's code when Sphinx reads the page, and
keeps what it found in ``codeautolink-cache.json`` for the pages a later build does not
read again. When it loads that file it keeps only pages whose source is ``<page>.rst``;
ours are ``.md``, so every page that a build rewrites without re-reading (a template or
an HTML option changed, a translation, …) lost the links in its code cells.

This module loads the pages the extension dropped, for any source suffix, into the
same table the extension uses (``env.sphinx_codeautolink_transforms``), after the
extension has read the file; a page the file does not cover is read again, so the
links come back by themselves after a build that lost them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx_codeautolink.extension.block import (  # type: ignore[import-untyped]
    CodeExample,
    Name,
    SourceTransform,
)
from sphinx_codeautolink.extension.cache import DataCache  # type: ignore[import-untyped]

#: After sphinx-codeautolink's own ``builder-inited`` handler (priority 500).
AFTER_CODEAUTOLINK = 600


def _table(env: BuildEnvironment) -> dict[str, list[Any]] | None:
    table: dict[str, list[Any]] | None = getattr(env, "sphinx_codeautolink_transforms", None)
    return table


def restore_cached_pages(app: Sphinx) -> None:
    table = _table(app.env)
    cache = Path(app.doctreedir) / DataCache.cache_filename
    if table is None or not cache.exists():
        return
    for page, transforms in json.loads(cache.read_text("utf-8")).items():
        if page in table or page not in app.env.all_docs:
            continue
        table[page] = [
            SourceTransform(
                **{
                    **t,
                    "example": CodeExample(**t["example"]),
                    "names": [Name(**n) for n in t["names"]],
                }
            )
            for t in transforms
        ]


def read_pages_without_links(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Pages read before whose code was never analysed (or whose analysis was lost)."""
    table = _table(env)
    if table is None or app.builder.name not in ("html", "dirhtml"):
        return []
    return sorted(set(env.all_docs) - set(table) - added - changed - removed)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", restore_cached_pages, priority=AFTER_CODEAUTOLINK)
    app.connect("env-get-outdated", read_pages_without_links)
