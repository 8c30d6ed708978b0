"""jaxguide's build machinery: one Sphinx extension made of one module per concern.

Sphinx side (loaded together by :func:`setup`):

============== ===========================================================================
module         owns
============== ===========================================================================
editions       the table of editions (languages), read by everything else
links          language switcher, hreflang, og:locale, sitemap and robots.txt
previews       a page's description for link previews and search engines
llms           llms.txt, llms-full.txt and a Markdown copy of every page (with ``markdown``
               and ``htmltext``)
execution      the execution cache (keys, pruning, damage), the cell timeout, the runner
outputs        executed outputs kept out of the translation catalogs
readerlang     executed outputs in the reader's language
report         the execution report, and every "Executed with" line's link to it
completeness   a translated edition with an untranslated message fails, naming the page
maths          equations as MathML at build time
images         image sizes and alt text
downloads      the executed notebook offered for download
colab          the "Open in Colab" button (its notebooks: ``make notebooks``)
offered        files that cells offer for download, written next to the page
dates          a page's "last updated" date from git
assets         one purged stylesheet per edition (with ``cssbundle``)
glossarytips   a glossary term's first mention on a page shows its definition
codelinks      links in code cells survive incremental builds (sphinx-codeautolink fix)
codelinkhtml   sphinx-codeautolink's links written into the page's HTML without re-parsing it
plaincode      highlighted code with each run of tokens that draw alike in one span
mystdocument   docutils' default settings built once per parser, not per Markdown fragment
searchweights  search results ordered by how much each page is about the query's words
i18n           the theme's labels in each edition's language
apidocs        the API page follows every module of the helper package
failed         a failed build makes the next one re-read every page
machinery      a change in this package makes the next build re-read every page
reattach       a translated page's nodes belong to its own document (doctree size)
offline        the pages of the EPUB and the PDF: what they leave out of the site's
sphinx_private every private Sphinx internal we use, checked against known versions
============== ===========================================================================

Command line (``python -m jaxguide_build.<module>``): ``site`` (build both editions),
``formats`` (the EPUB and the PDF; ``printpdf`` prints with Chromium), ``notebooks``
(the Colab notebooks, with ``colabsetup`` and ``colabmarkdown``), ``preexecute``,
``runpage``, ``catalogs``, ``anchors``, ``inventories``, ``prerequisites``, ``serve``.
``pages`` says which files are pages; ``uptodate`` whether an edition must be built again.

This package may import :mod:`jaxguide`; the helper package never imports it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# The concerns are imported when Sphinx loads the extension, not with the package: the
# command-line modules (editions, site, catalogs, …) then start without Sphinx's weight.
CONCERNS = (
    "apidocs",
    "assets",
    "codelinkhtml",
    "codelinks",
    "colab",
    "completeness",
    "dates",
    "downloads",
    "execution",
    "failed",
    "glossarytips",
    "i18n",
    "images",
    "links",
    "llms",
    "machinery",
    "maths",
    "mystdocument",
    "offered",
    "offline",
    "outputs",
    "plaincode",
    "previews",
    "readerlang",
    "reattach",
    "report",
    "searchweights",
)


def setup(app: Sphinx) -> dict[str, Any]:
    importlib.import_module("jaxguide_build.sphinx_private").check_version()
    for name in CONCERNS:
        importlib.import_module(f"jaxguide_build.{name}").setup(app)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
