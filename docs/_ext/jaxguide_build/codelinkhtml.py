"""sphinx-codeautolink's last step, writing its links into a page's HTML, done on strings.

sphinx-codeautolink 0.20 puts its links into each page's body by parsing the whole body
with BeautifulSoup, copying every code block once for each code example it tries to
place, re-parsing each edited block and serialising the body again. Profiled on a cold
build, that was about a quarter of each edition's Sphinx pass. The links only ever go
inside the ``<pre>`` of a highlighted code block, so :func:`link_html` finds those
blocks with a regular expression and edits their text alone; the rest of the body stays
as Sphinx wrote it. What it decides is the extension's: each example goes to the first
unclaimed block with the same text, each name is found by the extension's own pattern
(:func:`construct_name_pattern`, imported), and a block or name it cannot place is the
same warning. ``tests/test_replaced_functions.py`` holds it to the extension's output.

It takes the extension's place where the extension calls it (``apply_links``), only on
the version in :data:`CHECKED_ON`; on any other, the build stops and says what to
re-check.
"""

from __future__ import annotations

import html
import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import sphinx_codeautolink.extension as codeautolink  # type: ignore[import-untyped]
from sphinx.application import Sphinx
from sphinx_codeautolink.extension.block import (  # type: ignore[import-untyped]
    BUILTIN_BLOCKS,
    SourceTransform,
    construct_name_pattern,
)
from sphinx_codeautolink.warn import logger, warn_type  # type: ignore[import-untyped]

#: sphinx-codeautolink versions whose ``link_html`` this module was compared against.
CHECKED_ON = ("0.20.0",)

_DIV = re.compile(r'<div class="([^"]*)"')
_PRE = re.compile(r"<pre\b[^>]*>.*?</pre>", re.DOTALL)
_LINENOS = re.compile(r'<span class="linenos">[^<]*</span>')
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_LINK = '<a href="{href}"{title} class="sphinx-codeautolink-a">{text}</a>'


class UncheckedCodeautolink(RuntimeError):
    """The installed sphinx-codeautolink is not the one this module was compared against."""


def text_of(fragment: str) -> str:
    """The text a reader sees in an HTML fragment of highlighted code."""
    return html.unescape(_TAG.sub("", fragment))


def code_blocks(body: str, classes: set[str]) -> list[tuple[int, int]]:
    """Where each code block's ``<pre>`` element lies in ``body``, in page order: the first
    ``<pre>`` inside each ``<div>`` that has one of ``classes``.

    >>> body = '<div class="highlight-python3 notranslate"><div class="highlight"><pre>x</pre>'
    >>> code_blocks(body + "</div></div>", {"highlight-python3"})
    [(66, 78)]
    """
    spans: list[tuple[int, int]] = []
    for div in _DIV.finditer(body):
        if classes.isdisjoint(div.group(1).split()):
            continue
        pre = _PRE.search(body, div.end())
        if pre is not None and (not spans or pre.start() >= spans[-1][1]):
            spans.append(pre.span())
    return spans


def title(location: str, text: str) -> str:
    """The link's title attribute: the target's full name, unless the code says just that."""
    return "" if _SPACE.sub("", text_of(text)) == location else f' title="{location}"'


def link_block(
    document: str,
    block: str,
    transform: SourceTransform,
    inventory: dict[str, str],
    prefix: str,
    *,
    titles: bool = True,
) -> str:
    """``block`` (a ``<pre>`` element) with a link on each of the example's names."""
    lines = block.split("\n")
    for name in transform.names:
        first, last = name.lineno - 1, name.end_lineno - 1
        selection = "\n".join(lines[first : last + 1])
        found = list(re.finditer(construct_name_pattern(name), selection))
        if not found:
            logger.warning(
                f"Could not match transformation of `{name.code_str}` on source lines "
                f"{name.lineno}-{name.end_lineno}, source:\n{transform.source}",
                type=warn_type,
                subtype="match_name",
                location=document,
            )
            continue
        match = found[-1]  # the rightmost: in `a.b = a.b` the right side is edited first
        start, end = match.start() + len(match.group(1)), match.end()
        href = inventory[name.resolved_location]
        if not href.startswith(("http://", "https://")):
            href = prefix + href
        text = selection[start:end]
        tip = title(name.resolved_location, text) if titles else ""
        link = _LINK.format(href=href, title=tip, text=text)
        lines[first : last + 1] = (selection[:start] + link + selection[end:]).split("\n")
    return "\n".join(lines)


def link_html(
    document: str,
    body: str,
    transforms: list[SourceTransform],
    inventory: dict[str, str],
    custom_blocks: dict[str, Any],
    search_css_classes: list[str],
    builder_name: str = "html",
    *,
    disable_link_titles: bool,
) -> str:
    """``body`` with the links of each of the page's code examples (the extension's
    ``link_html``, with its signature)."""
    page = Path(document)
    if builder_name == "dirhtml" and page.name != "index":
        page = page / "index"
    prefix = "../" * (len(page.parents) - 1)
    classes = {f"highlight-{kind}" for kind in BUILTIN_BLOCKS.keys() | custom_blocks.keys()}
    classes |= {"doctest", *search_css_classes}
    spans = code_blocks(body, classes)
    texts = [text_of(_LINENOS.sub("", body[start:end])).rstrip() for start, end in spans]
    edited: dict[int, str] = {}
    for transform in transforms:
        source = transform.source.rstrip()
        index = next(
            (i for i, text in enumerate(texts) if i not in edited and text == source), None
        )
        if index is None:
            logger.warning(
                f"Could not match a code example to HTML, source:\n{transform.source}",
                type=warn_type,
                subtype="match_block",
                location=document,
            )
            continue
        start, end = spans[index]
        edited[index] = link_block(
            document, body[start:end], transform, inventory, prefix, titles=not disable_link_titles
        )
    pieces, done = [], 0
    for index in sorted(edited):
        start, end = spans[index]
        pieces += [body[done:start], edited[index]]
        done = end
    return "".join([*pieces, body[done:]])


def setup(app: Sphinx) -> None:  # noqa: ARG001  (nothing to connect: it replaces a function)
    found = version("sphinx-codeautolink")
    if found not in CHECKED_ON:
        msg = (
            f"jaxguide_build.codelinkhtml replaces sphinx-codeautolink's link_html, compared "
            f"against sphinx-codeautolink {', '.join(CHECKED_ON)}, but {found} is installed. "
            "Run tests/test_replaced_functions.py against it, then add the version to CHECKED_ON."
        )
        raise UncheckedCodeautolink(msg)
    codeautolink.link_html = link_html
