"""The editions of the guide, one row per language: the one home of that fact.

conf.py, the Makefile (through this module's command line), the catalogs, the
benchmarks and the tests all read :data:`EDITIONS`. To add a language, add a row
here, run ``make gettext`` to create its catalogs in
``docs/locales/<sphinx>/LC_MESSAGES/``, and translate them.

Command line (for the Makefile and scripts)::

    python -m jaxguide_build.editions codes        # en zh-cn
    python -m jaxguide_build.editions translated   # zh_CN  (Sphinx codes of the translations)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    """One language of the site, with each spelling of its code that a tool needs."""

    #: The URL folder (``_build/html/<code>/``) and Read the Docs' language code.
    code: str
    #: Sphinx's ``language`` and the catalog folder under ``docs/locales/``.
    sphinx: str
    #: BCP 47 tag: ``<html lang>``, ``hreflang`` and ``lang`` attributes.
    hreflang: str
    #: Open Graph's ``og:locale`` (language_TERRITORY).
    locale: str
    #: The name shown in the language switcher, in its own language.
    name: str
    #: Sphinx's ``html_search_language`` (the word splitter of the search index).
    search: str
    #: Who wrote the guide, in this language (the footer).
    author: str
    #: The copyright line's holder, with this language's punctuation.
    copyright: str
    #: Other spellings that select this edition (Read the Docs' older projects send ``zh_CN``).
    aliases: tuple[str, ...] = ()

    def matches(self, code: str) -> bool:
        """Whether ``code`` names this edition, in any of its spellings, in any case."""
        wanted = code.strip().lower().replace("_", "-")
        spellings = (self.code, self.sphinx, self.hreflang, *self.aliases)
        return wanted in {s.lower().replace("_", "-") for s in spellings}


#: The source language first; every other edition is a translation of it.
EDITIONS: tuple[Edition, ...] = (
    Edition(
        code="en",
        sphinx="en",
        hreflang="en",
        locale="en_US",
        name="English",
        search="en",
        author="the jaxguide authors",
        copyright="2026, the jaxguide authors",
    ),
    Edition(
        code="zh-cn",
        sphinx="zh_CN",
        hreflang="zh-CN",
        locale="zh_CN",
        name="简体中文",
        search="zh",
        author="jaxguide 团队",
        copyright="2026，jaxguide 团队",
        aliases=("zh_CN", "zh-hans"),
    ),
)
SOURCE = EDITIONS[0]
#: The environment variables that choose the edition to build, in order of precedence.
CHOOSERS = ("JAXGUIDE_LANGUAGE", "READTHEDOCS_LANGUAGE")


class UnknownEdition(ValueError):
    """A language code that names no edition; the message lists the ones there are."""


def find(code: str) -> Edition:
    """The edition a language code names, in any of its spellings.

    Examples
    --------
    >>> find("zh_CN").code, find("ZH-CN").sphinx, find("en").name
    ('zh-cn', 'zh_CN', 'English')
    >>> find("fr")
    Traceback (most recent call last):
    ...
    jaxguide_build.editions.UnknownEdition: unknown jaxguide language 'fr'; supported: en, zh-cn (also zh_CN, zh-hans)
    """
    for edition in EDITIONS:
        if edition.matches(code):
            return edition
    aliases = [alias for edition in EDITIONS for alias in edition.aliases]
    msg = (
        f"unknown jaxguide language {code!r}; supported: "
        f"{', '.join(e.code for e in EDITIONS)}"
        + (f" (also {', '.join(aliases)})" if aliases else "")
    )
    raise UnknownEdition(msg)


def current(environ: Mapping[str, str] = os.environ) -> Edition:
    """The edition this build makes: the first chooser variable that is set, else the source.

    Examples
    --------
    >>> current({"READTHEDOCS_LANGUAGE": "zh_CN"}).code
    'zh-cn'
    >>> current({}).code
    'en'
    """
    for variable in CHOOSERS:
        if environ.get(variable):
            return find(environ[variable])
    return SOURCE


def translations() -> tuple[Edition, ...]:
    """Every edition but the source: the ones that have catalogs."""
    return EDITIONS[1:]


def main(argv: list[str]) -> int:
    """Print the editions' codes for shell scripts; see the module docstring."""
    what = argv[1] if len(argv) > 1 else "codes"
    if what == "codes":
        print(" ".join(e.code for e in EDITIONS))
    elif what == "translated":
        print(" ".join(e.sphinx for e in translations()))
    else:
        print(f"usage: python -m jaxguide_build.editions [codes|translated], not {what!r}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
