"""The theme's own words in each edition's language.

Two gaps in the theme, filled here:

- sphinx-book-theme's Simplified Chinese catalog uses Taiwanese wording (列印 for
  "print"). Our catalog ``docs/locales/<language>/LC_MESSAGES/booktheme.po`` is
  compiled and read before the theme's own; the theme's still fills any gap.
- A few labels in the themes' templates are English literals with no message id
  (``title="Toggle primary sidebar"``, ``aria-label="Main"``). Our templates wrap the
  theme's markup with the ``relabel`` filter, which swaps the literal for a
  translated one and stops the build, naming the theme's template, if that template
  no longer contains it (after a theme upgrade, say): a label never silently stays
  English.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import sphinx_book_theme
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx.application import Sphinx

from jaxguide_build import sphinx_private

THEME_LOCALES = Path(sphinx_book_theme.__file__).parent / "theme/sphinx_book_theme/static/locales"


class ThemeMarkupChanged(ValueError):
    """A theme template no longer contains the literal that one of ours relabels."""


def relabel_markup(markup: str, old: str, new: str, theme_source: str, theme_template: str) -> str:
    """Swap the literal ``old`` for ``new`` in ``markup``, rendered from ``theme_template``.

    The literal must be in the theme template's source (``theme_source``), even on a
    page where the theme leaves it out (a contents button on a page without sections).

    Examples
    --------
    >>> source = '{% if toc %}<nav aria-label="Page">{{ toc }}</nav>{% endif %}'
    >>> relabel_markup('<nav aria-label="Page">…</nav>', 'aria-label="Page"',
    ...                'aria-label="本页"', source, "layout.html")
    '<nav aria-label="本页">…</nav>'
    >>> relabel_markup("", 'aria-label="Page"', 'aria-label="本页"', source, "layout.html")
    ''
    >>> relabel_markup("", 'aria-label="Main"', 'aria-label="主导航"', source, "layout.html")
    Traceback (most recent call last):
    ...
    jaxguide_build.i18n.ThemeMarkupChanged: the theme's layout.html no longer contains 'aria-label="Main"', which docs/_templates relabels; update the template that wraps it (grep relabel docs/_templates)
    """
    if old not in theme_source:
        msg = (
            f"the theme's {theme_template} no longer contains {old!r}, which docs/_templates "
            "relabels; update the template that wraps it (grep relabel docs/_templates)"
        )
        raise ThemeMarkupChanged(msg)
    return markup.replace(old, new)


@jinja2.pass_environment
def relabel(
    environment: jinja2.Environment, markup: str, old: str, new: str, theme_template: str
) -> str:
    """The ``relabel`` filter of our templates: :func:`relabel_markup` on a theme template."""
    assert environment.loader is not None
    source, _, _ = environment.loader.get_source(environment, f"!{theme_template}")
    return relabel_markup(markup, old, new, source, theme_template)


def add_relabel_filter(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        environment.filters["relabel"] = relabel


def prefer_our_theme_catalog(app: Sphinx) -> None:
    """Read our ``booktheme`` catalog before sphinx-book-theme's own.

    The theme loads its catalog when it is set up, so ours (if this edition has one)
    is compiled here and put first.
    """
    language = app.config.language
    po = Path(app.srcdir) / "locales" / language / "LC_MESSAGES" / "booktheme.po"
    if not po.exists():
        return
    with po.open("rb") as handle:
        catalog = read_po(handle)
    compiled = Path(app.doctreedir) / "jaxguide-locale"
    mo = compiled / language / "LC_MESSAGES" / "booktheme.mo"
    mo.parent.mkdir(parents=True, exist_ok=True)
    with mo.open("wb") as handle:
        write_mo(handle, catalog)
    sphinx_private.reload_catalog([str(compiled), str(THEME_LOCALES)], language, "booktheme")


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", prefer_our_theme_catalog)
    app.connect("builder-inited", add_relabel_filter)
