"""The build's replacements for two slow third-party functions give what those gave.

``jaxguide_build.codelinkhtml`` writes sphinx-codeautolink's links on strings; its output,
read by an HTML parser, must be exactly the extension's own, with the same warnings.
``jaxguide_build.mystdocument`` builds myst-parser's throwaway documents from cached
settings; each must still get settings equal to a fresh default, and its own copy.
"""

from __future__ import annotations

import logging

import myst_parser.mdit_to_docutils.base as myst_base
import pytest
from bs4 import BeautifulSoup
from jaxguide_build import codelinkhtml, mystdocument
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from sphinx_codeautolink.extension import block as codeautolink_block
from sphinx_codeautolink.parse import LinkContext, Name

FIRST = """\
import jax.numpy as jnp
from jax import random
x = jnp.ones(3)  # "quotes" & <angles>
key = random.key(0)
"""
SECOND = "y = jnp.zeros(2)\nz = jnp.zeros(2).sum()\n"
UNLINKED = "print('no names here')\n"
INVENTORY = {
    "jax.numpy": "https://docs.jax.dev/en/latest/jax.numpy.html",
    "jax": "https://docs.jax.dev/en/latest/jax.html",
    "jax.numpy.ones": "https://docs.jax.dev/en/latest/_autosummary/jax.numpy.ones.html",
    "jax.random.key": "https://docs.jax.dev/en/latest/_autosummary/jax.random.key.html",
    "jax.numpy.zeros": "api.html#jax.numpy.zeros",  # a local target gets the page's prefix
}


def block(code: str, kind: str = "ipython3", *, linenos: bool = False) -> str:
    formatter = HtmlFormatter(linenos="inline" if linenos else False)
    return (
        f'<div class="highlight-{kind} notranslate">'
        f"{highlight(code, PythonLexer(), formatter)}</div>\n"
    )


def name(code: str, line: int, location: str, context: LinkContext) -> Name:
    return Name(location.split("."), code, line, line, context, location)


def transform(source: str, *names: Name) -> codeautolink_block.SourceTransform:
    return codeautolink_block.SourceTransform(source, list(names), None, 1)


BODY = (
    '<section id="x"><h1>Title &amp; more<a class="headerlink" href="#x">¶</a></h1>\n'
    "<p>Before the code, a <br> line break.</p>\n"
    + block(UNLINKED)
    + block(FIRST)
    + block(SECOND, "python", linenos=True)
    + '<div class="doctest highlight-default notranslate">'
    + highlight(">>> jnp.ones(1)\n", PythonLexer(), HtmlFormatter())
    + "</div>\n</section>\n"
)
TRANSFORMS = [
    transform(
        FIRST,
        name("jax.numpy", 1, "jax.numpy", LinkContext.import_target),
        name("jax", 2, "jax", LinkContext.import_from),
        name("jnp.ones", 3, "jax.numpy.ones", LinkContext.none),
        name("random.key", 4, "jax.random.key", LinkContext.none),
        name("random.nothing", 4, "jax.random.key", LinkContext.none),  # not in the code
    ),
    transform(
        SECOND,
        name("jnp.zeros", 1, "jax.numpy.zeros", LinkContext.none),
        name("jnp.zeros", 2, "jax.numpy.zeros", LinkContext.none),
    ),
    transform("never = 'shown on the page'\n"),  # no block has this code
]


def link(implementation: object, document: str, *, titles: bool = True) -> str:
    return implementation(  # type: ignore[operator]
        document,
        BODY,
        TRANSFORMS,
        INVENTORY,
        {},
        [],
        disable_link_titles=not titles,
    )


@pytest.mark.parametrize("document", ["index", "guide/page"])
@pytest.mark.parametrize("titles", [True, False])
def test_links_are_the_extensions_own(
    document: str, titles: bool, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        theirs = link(codeautolink_block.link_html, document, titles=titles)
        their_warnings = [r.getMessage() for r in caplog.records]
        caplog.clear()
        ours = link(codelinkhtml.link_html, document, titles=titles)
        our_warnings = [r.getMessage() for r in caplog.records]
    assert ours.count("sphinx-codeautolink-a") == 6
    assert str(BeautifulSoup(ours, "html.parser")) == theirs
    assert our_warnings == their_warnings
    assert len(our_warnings) == 2  # the name not in the code, the code on no block
    # Outside the code blocks, the body is left exactly as Sphinx wrote it.
    assert ours.startswith(BODY[: BODY.index("<div")])


def test_an_unchecked_codeautolink_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codelinkhtml, "version", lambda _package: "0.99.0")
    with pytest.raises(codelinkhtml.UncheckedCodeautolink, match=r"0\.99\.0 is installed"):
        codelinkhtml.setup(None)  # type: ignore[arg-type]


def test_myst_documents_get_fresh_default_settings() -> None:
    theirs = vars(myst_base.get_default_settings(myst_base.RSTParser))
    ours = vars(mystdocument.make_document().settings)
    other = vars(mystdocument.make_document().settings)
    # A list of the files a document read: empty, and each document's own.
    key = "record_dependencies"
    assert ours[key].list == theirs[key].list == []
    assert ours[key] is not other[key]
    assert {k: v for k, v in ours.items() if k != key} == {
        k: v for k, v in theirs.items() if k != key
    }


def test_an_unchecked_myst_parser_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mystdocument, "version", lambda _package: "9.0.0")
    with pytest.raises(mystdocument.UncheckedMyst, match=r"9\.0\.0 is installed"):
        mystdocument.setup(None)  # type: ignore[arg-type]
