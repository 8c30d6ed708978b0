"""docutils' default settings built once per parser, not once per Markdown fragment.

myst-parser 5.2 makes a new docutils document each time it renders Markdown, and makes
it with fresh default settings, which docutils builds by assembling a whole
command-line option parser (about 3 ms each). It does so even when the caller passes
the document to render into, so the new one is thrown away. A translated edition
renders every translated message on its own (Sphinx parses each message again), a
few thousand per edition: profiled, that was about a tenth of the Chinese edition's
Sphinx pass, spent on documents nobody reads.

:func:`make_document` gives the same document, with its own deep copy of default
settings built once per parser class; it takes the place of myst-parser's own, only on
the version in :data:`CHECKED_ON`. The built site is byte for byte the same;
``tests/test_replaced_functions.py`` checks that the settings equal a fresh default.
"""

from __future__ import annotations

import copy
from importlib.metadata import version
from typing import Any

import myst_parser.mdit_to_docutils.base as myst_base
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RSTParser
from docutils.utils import new_document
from sphinx.application import Sphinx

#: myst-parser versions whose ``make_document`` this module was read against.
CHECKED_ON = ("5.2.0",)


class UncheckedMyst(RuntimeError):
    """The installed myst-parser is not one this module was read against."""


_DEFAULTS: dict[type[Any], Any] = {}


def _default_settings(parser_cls: type[Any]) -> Any:
    if parser_cls not in _DEFAULTS:
        _DEFAULTS[parser_cls] = get_default_settings(parser_cls)
    return _DEFAULTS[parser_cls]


def make_document(source_path: str = "notset", parser_cls: type[Any] = RSTParser) -> nodes.document:
    """A new document with ``parser_cls``'s default settings, as myst-parser makes it.

    >>> first, second = make_document(), make_document()
    >>> first.settings.tab_width = 2
    >>> second.settings.tab_width, first.settings is second.settings
    (8, False)
    """
    return new_document(source_path, settings=copy.deepcopy(_default_settings(parser_cls)))


def setup(app: Sphinx) -> None:  # noqa: ARG001  (nothing to connect: it replaces a function)
    found = version("myst-parser")
    if found not in CHECKED_ON:
        msg = (
            f"jaxguide_build.mystdocument replaces myst-parser's make_document, read against "
            f"myst-parser {', '.join(CHECKED_ON)}, but {found} is installed. Check that "
            "myst_parser.mdit_to_docutils.base.make_document still only builds a document "
            "with default settings, run tests/test_replaced_functions.py, then add the "
            "version to CHECKED_ON."
        )
        raise UncheckedMyst(msg)
    myst_base.make_document = make_document
