"""The pages of the offline formats: which builders make them, and what they leave out.

``make epub`` and ``make pdf`` (:mod:`jaxguide_build.formats`) build each edition with
Sphinx's ``epub`` builder, and with ``singlehtml`` for the one page that Chromium prints
to PDF. Their pages are read away from the site, so the concerns that serve the site
ask :func:`is_offline` and step aside: no language switcher, hreflang links, sitemap or
robots.txt (:mod:`.links`), no glossary tips, which need a pointer to hover
(:mod:`.glossarytips`), no notebook download (:mod:`.downloads`), no stylesheet bundle
(:mod:`.assets`; the page links the theme's stylesheets and ours as they are). A file
that a cell offers links to its copy on the site (:mod:`.offered`).

This module drops the link to a stylesheet whose extension sits these builders out
but links it anyway: sphinx-codeautolink works in ``html`` and ``dirhtml`` only and
never copies its stylesheet elsewhere, so the link would point at nothing.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

#: Each offline format and the Sphinx builder whose output it is made from.
BUILDERS = {"epub": "epub", "pdf": "singlehtml"}
#: Stylesheets that extensions link but do not write in these builders.
IDLE_STYLESHEETS = frozenset({"_static/sphinx-codeautolink.css"})
#: The page that the PDF is printed from wraps long lines instead of scrolling.
PRINT_STYLESHEET = "jaxguide-print.css"


def is_offline(app: Sphinx) -> bool:
    """Whether this build makes pages of an offline format rather than of the site."""
    return app.builder.name in BUILDERS.values()


def drop_idle_stylesheets(
    app: Sphinx,
    pagename: str,  # noqa: ARG001  (Sphinx's event signature)
    templatename: str,  # noqa: ARG001
    context: dict[str, Any],
    doctree: Any,  # noqa: ARG001
) -> None:
    if is_offline(app):
        context["css_files"] = [
            css
            for css in context.get("css_files", ())
            if str(getattr(css, "filename", css)) not in IDLE_STYLESHEETS
        ]


def add_print_stylesheet(app: Sphinx) -> None:
    if app.builder.name == BUILDERS["pdf"]:
        app.add_css_file(PRINT_STYLESHEET, media="print")


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", add_print_stylesheet)
    app.connect("html-page-context", drop_idle_stylesheets)
