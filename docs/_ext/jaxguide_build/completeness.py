"""Every message of a translated edition is translated, or the build fails on that page.

Sphinx shows a message it finds no translation for in the source language, silently.
After Sphinx has translated a page, any translatable text it left untranslated (no
catalog entry, an empty one, or a fuzzy one, which Sphinx does not use) becomes a
warning at the message's line, so ``-W`` fails the build naming the page. Executed
outputs are not messages (:mod:`jaxguide_build.outputs`) and are skipped.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.nodes import extract_messages

from jaxguide_build import editions
from jaxguide_build.outputs import in_output

logger = logging.getLogger(__name__)


@cache
def catalog_texts(po: Path, mtime_ns: int) -> frozenset[str]:  # noqa: ARG001  (the cache key)
    """The messages a catalog translates (not fuzzy), and their translations."""
    with po.open("rb") as handle:
        done = [m for m in read_po(handle) if m.id and m.string and not m.fuzzy]
    return frozenset(str(m.id) for m in done) | frozenset(str(m.string) for m in done)


def report_untranslated(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.name == "gettext" or app.config.language == editions.SOURCE.sphinx:
        return
    folder = Path(app.srcdir) / "locales" / app.config.language / "LC_MESSAGES"
    # The single page that the PDF is printed from (jaxguide_build/offline.py) is every
    # page's doctree in one, resolved once under the root page's name.
    catalogs = sorted(folder.glob("*.po")) if app.builder.name == "singlehtml" else []
    # Sphinx writes some labels in the edition's language itself ("Examples" becomes
    # 示例 in a Chinese build): such text matches a translation, not a source message.
    # Sphinx marks translated paragraphs, but not toctree captions: their message is
    # looked up in the catalog.
    known = frozenset[str]().union(
        *(
            catalog_texts(po, po.stat().st_mtime_ns)
            for po in catalogs or [folder / f"{docname}.po"]
            if po.exists()
        )
    )
    missing = [
        (node, message)
        for node, message in extract_messages(doctree)
        if not node.get("translated") and not in_output(node) and message not in known
    ]
    for node, message in missing:
        logger.warning(
            "untranslated message in the %s edition (run `make gettext` and translate it in "
            "docs/locales/%s/LC_MESSAGES/%s.po): %r",
            app.config.jaxguide_edition,
            app.config.language,
            docname,
            message[:100],
            location=node,
            type="jaxguide",
            subtype="untranslated",
        )


def setup(app: Sphinx) -> None:
    # Before outputs.freeze_outputs marks outputs untranslatable (priority 500).
    app.connect("doctree-resolved", report_untranslated, priority=400)
