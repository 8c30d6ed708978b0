"""jaxguide's build machinery: one Sphinx extension made of one module per concern.

Sphinx side (loaded together by :func:`setup`):

============== ===========================================================================
module         owns
============== ===========================================================================
editions       the table of editions (languages), read by everything else
links          language switcher, hreflang, og:locale, sitemap and robots.txt
previews       a page's description for link previews and search engines
execution      the execution cache (keys, pruning, damage), the cell timeout, the runner
outputs        executed outputs kept out of the translation catalogs
readerlang     executed outputs in the reader's language
completeness   a translated edition with an untranslated message fails, naming the page
maths          equations as MathML at build time
images         image sizes and alt text
downloads      the executed notebook offered for download
colab          the "Open in Colab" button (its notebooks: ``make notebooks``)
offered        files that cells offer for download, written next to the page
dates          a page's "last updated" date from git
assets         one purged stylesheet per edition (with ``cssbundle``)
glossarytips   a glossary term's first mention on a page shows its definition
i18n           the theme's labels in each edition's language
apidocs        the API page follows every module of the helper package
failed         a failed build makes the next one re-read every page
sphinx_private every private Sphinx internal we use, checked against known versions
============== ===========================================================================

Command line (``python -m jaxguide_build.<module>``): ``site`` (build both editions),
``preexecute``, ``runpage``, ``catalogs``, ``anchors``, ``inventories``,
``prerequisites``, ``serve``, ``notebooks`` (write the Colab notebooks, with
``colabsetup`` and ``colabmarkdown``). ``pages`` says which files are pages.

This package may import :mod:`jaxguide`; the helper package never imports it.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from jaxguide_build import (
    apidocs,
    assets,
    colab,
    completeness,
    dates,
    downloads,
    execution,
    failed,
    glossarytips,
    i18n,
    images,
    links,
    maths,
    offered,
    outputs,
    previews,
    readerlang,
    sphinx_private,
)

CONCERNS = (
    apidocs,
    assets,
    colab,
    completeness,
    dates,
    downloads,
    execution,
    failed,
    glossarytips,
    i18n,
    images,
    links,
    maths,
    offered,
    outputs,
    previews,
    readerlang,
)


def setup(app: Sphinx) -> dict[str, Any]:
    sphinx_private.check_version()
    for concern in CONCERNS:
        concern.setup(app)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
