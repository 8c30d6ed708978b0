"""What a link preview and a search result say about a page: its description.

sphinxext-opengraph describes a page by its first 200 characters of text, which on
our pages is the "What you'll learn" list run together with commas, equations as
raw LaTeX (``\\sin 2x``) and, in Chinese, half-width commas after full-width
punctuation. Here the description is the list's items joined with the edition's own
separator, equations as plain text, cut at the end of an item. It replaces both
``og:description`` and ``<meta name="description">``.
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from jaxguide_build import editions

LIMIT = 200
_COMMAND = re.compile(r"\\(?:mathrm|text|operatorname)\{([^{}]*)\}")
_FRAC = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
_DESCRIPTIONS = re.compile(
    r'(<meta (?:property="og:description"|name="description") content=")[^"]*(")'
)


def plain_math(tex: str) -> str:
    r"""LaTeX as readable plain text, for a description.

    Examples
    --------
    >>> plain_math(r"\sin 2x"), plain_math(r"\frac{d}{dx}\sin^2 x"), plain_math("x_1^2 + x_2^2 = 1.5")
    ('sin 2x', 'd/dx sin^2 x', 'x_1^2 + x_2^2 = 1.5')
    """
    text = _FRAC.sub(r"\1/\2", _COMMAND.sub(r"\1", tex))
    text = re.sub(r"\\([A-Za-z]+)\s*", r" \1 ", text).replace("\\,", " ").replace("\\ ", " ")
    text = re.sub(r"\s+\^", "^", text)
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()


def text_of(node: nodes.Node) -> str:
    parts = []
    for child in node.findall(lambda n: isinstance(n, (nodes.Text, nodes.math))):
        if isinstance(child, nodes.math):
            parts.append(f" {plain_math(child.astext())} ")
        elif not any(isinstance(a, nodes.math) for a in _ancestors(child)):
            parts.append(child.astext())
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    parent = node.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found


def describe(doctree: nodes.document, separator: str) -> str | None:
    """The items of the page's "what you'll learn" list, or its first paragraph."""
    for section in doctree.findall(nodes.section):
        if any(str(i).endswith("-what-you-learn") for i in section["ids"]):
            items = [
                text_of(item).rstrip(".;。；").rstrip() for item in section.findall(nodes.list_item)
            ]
            kept: list[str] = []
            for item in items:
                if kept and len(separator.join([*kept, item])) > LIMIT:
                    break
                kept.append(item)
            return separator.join(kept)
    paragraph = next(doctree.findall(nodes.paragraph), None)
    return shorten(text_of(paragraph)) if paragraph is not None else None


def shorten(text: str) -> str:
    """``text`` in at most :data:`LIMIT` characters, cut after a word and marked "…".

    Examples
    --------
    >>> shorten("short"), shorten("word " * 60)[-5:], len(shorten("字" * 300))
    ('short', 'word…', 200)
    """
    if len(text) <= LIMIT:
        return text
    cut = text[: LIMIT - 1]
    space = cut.rfind(" ")
    if space > LIMIT // 2:  # Chinese has no spaces: there the cut falls between characters
        cut = cut[:space]
    return cut.rstrip(" ,;:，；：") + "…"


def separator(app: Sphinx) -> str:
    """What joins a description's items in this edition: "; ", or "；" in Chinese."""
    return "；" if editions.find(app.config.jaxguide_edition).search == "zh" else "; "


def set_description(
    app: Sphinx,
    pagename: str,  # noqa: ARG001  (Sphinx's event signature)
    templatename: str,  # noqa: ARG001
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if doctree is None or "metatags" not in context:
        return
    description = describe(doctree, separator(app))
    if description:
        value = html.escape(description, quote=True)
        context["metatags"] = _DESCRIPTIONS.sub(
            lambda m: f"{m.group(1)}{value}{m.group(2)}", context["metatags"]
        )


def setup(app: Sphinx) -> None:
    # After sphinxext-opengraph (priority 500) has written its tags.
    app.connect("html-page-context", set_description, priority=600)
