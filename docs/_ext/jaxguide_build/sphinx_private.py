"""Every use of a private Sphinx internal, in one place, checked against known versions.

Sphinx offers no public way to do these four things:

- read the stylesheets a page links before templates add theirs
  (``StandaloneHTMLBuilder._orig_css_files``), to bundle them (:mod:`.assets`);
- ask whether warnings will fail this build (``Sphinx._fail_on_warnings`` and
  ``Sphinx._warncount``), to make the next build re-read every page (:mod:`.failed`);
- replace a message catalog that an extension loaded when it was set up
  (``sphinx.locale.translators``), to read our translation of the theme's labels
  before the theme's own (:mod:`.i18n`);
- split a page into words exactly as the search index does
  (``IndexBuilder._word_collector``), to weigh each word per page (:mod:`.searchweights`).

They were checked on the Sphinx versions in :data:`CHECKED_ON`. On any other version,
:func:`check_version` stops the build with a message saying what to re-check, rather
than letting one of them break in a way nobody notices.
"""

from __future__ import annotations

from typing import Any

import sphinx
import sphinx.locale
from sphinx.application import Sphinx

#: Sphinx versions (major, minor) on which every internal below was read and tested.
CHECKED_ON: tuple[tuple[int, int], ...] = ((9, 0),)


class UncheckedSphinx(RuntimeError):
    """The installed Sphinx is not one this module's internals were checked on."""


def check_version(version: tuple[int | str, ...] = sphinx.version_info) -> None:
    """Refuse a Sphinx whose internals this module has not been checked against."""
    if tuple(version[:2]) not in CHECKED_ON:
        found = ".".join(map(str, version[:3]))
        checked = ", ".join(f"{major}.{minor}" for major, minor in CHECKED_ON)
        msg = (
            f"jaxguide_build uses private Sphinx internals checked on Sphinx {checked}, "
            f"but Sphinx {found} is installed. Re-check each use in "
            "docs/_ext/jaxguide_build/sphinx_private.py, then add the version to CHECKED_ON."
        )
        raise UncheckedSphinx(msg)


def page_stylesheets(app: Sphinx) -> list[Any] | None:
    """The stylesheets (``_CascadingStyleSheet`` objects) every page links, or None if
    this builder has none (not an HTML builder)."""
    files = getattr(app.builder, "_orig_css_files", None)
    return list(files) if files is not None else None


def warnings_will_fail(app: Sphinx) -> bool:
    """Whether this build has logged a warning that ``-W`` turns into a failure."""
    return bool(getattr(app, "_fail_on_warnings", False) and getattr(app, "_warncount", 0) > 0)


def reload_catalog(locale_dirs: list[str], language: str, catalog: str) -> None:
    """Load ``catalog`` again from ``locale_dirs`` (first wins), replacing the one loaded."""
    sphinx.locale.translators.pop(("general", catalog), None)
    sphinx.locale.init(locale_dirs, language, catalog)


def page_words(indexer: Any, doctree: Any) -> tuple[list[str], list[str]]:
    """The words of a page and of its titles, split exactly as the search index splits
    them (``IndexBuilder._word_collector``), before stemming."""
    store = indexer._word_collector(doctree)
    return list(store.words), list(store.title_words)
