"""HTML that cells print, and the glossary tips, as Markdown (for :mod:`jaxguide_build.markdown`).

The pages' HTML outputs come from :mod:`jaxguide`: tables (timings, comparisons, the
environment), sentences printed from measurements, offered files and rich text in
``<pre>``. Tables become pipe tables, paragraphs stay paragraphs, ``<pre>`` becomes a
``text`` block and links stay links; a glossary tip (:mod:`jaxguide_build.glossarytips`)
keeps its link and drops the tooltip, which repeats the glossary. Only the standard
library's parser: the build does not depend on an HTML library.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "table", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "col"}
_DROPPED_CLASSES = {"jaxguide-tip"}  # a glossary tip's definition: the glossary has it


@dataclass(eq=False)  # rows are told apart by identity, not by their text
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def find(self, tag: str) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag:
                    found.append(child)
                found.extend(child.find(tag))
        return found

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):  # tolerate unclosed inner tags
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(markup: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def code_span(text: str) -> str:
    """Inline code, with more backticks around it than it contains.

    Examples
    --------
    >>> code_span("jax.jit"), code_span("a`b")
    ('`jax.jit`', '`` a`b ``')
    """
    if "`" not in text:
        return f"`{text}`"
    ticks = "`" * (max(len(run) for run in re.findall(r"`+", text)) + 1)
    return f"{ticks} {text} {ticks}"


def pipe_table(head: list[str] | None, rows: list[list[str]]) -> str:
    """A Markdown pipe table; a table without a header row gets an empty one.

    Examples
    --------
    >>> print(pipe_table(["function", "median"], [["jax.jit(f)", "1.2 µs"], ["a|b", ""]]))
    | function | median |
    | --- | --- |
    | jax.jit(f) | 1.2 µs |
    | a\\|b |  |
    """
    width = max([len(head or [])] + [len(row) for row in rows])
    if not width:
        return ""

    def line(cells: list[str]) -> str:
        cells = [c.strip().replace("|", "\\|") for c in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(cells) + " |"

    return "\n".join([line(head or []), line(["---"] * width), *(line(r) for r in rows)])


class _Writer:
    def __init__(self, internal: Callable[[str], str]) -> None:
        self.internal = internal

    def inline(self, node: Element | str) -> str:
        if isinstance(node, str):
            return node
        if _DROPPED_CLASSES & set(node.attrs.get("class", "").split()) or "hidden" in node.attrs:
            return ""
        text = "".join(self.inline(child) for child in node.children)
        if node.tag == "br":
            return " "
        if node.tag in {"strong", "b"}:
            return f"**{text}**"
        if node.tag in {"em", "i"}:
            return f"*{text}*"
        if node.tag == "code":
            return code_span(text)
        if node.tag == "a" and node.attrs.get("href"):
            href = node.attrs["href"]
            return f"[{text}]({href if '://' in href else self.internal(href)})"
        return text

    def paragraph(self, node: Element) -> str:
        return re.sub(r"\s+", " ", self.inline(node)).strip()

    def blocks(self, node: Element) -> list[str]:
        """Each block-level element of ``node`` as Markdown; loose text as a paragraph."""
        out: list[str] = []
        loose: list[Element | str] = []

        def flush() -> None:
            text = self.paragraph(Element("p", {}, loose.copy()))
            if text:
                out.append(text)
            loose.clear()

        for child in node.children:
            if isinstance(child, Element) and child.tag in _BLOCKS:
                flush()
                out.extend(self.block(child))
            else:
                loose.append(child)
        flush()
        return out

    def block(self, node: Element) -> list[str]:
        if node.tag == "pre":
            return [f"```text\n{node.text().rstrip()}\n```"]
        if node.tag == "table":
            return self.table(node)
        if node.tag in {"ul", "ol"}:
            items = [" ".join(self.blocks(li)) for li in node.find("li")]
            return ["\n".join(f"- {item}" for item in items)]
        if node.tag in {"div", "li"}:
            return self.blocks(node)
        return [self.paragraph(node)]

    def table(self, node: Element) -> list[str]:
        rows = node.find("tr")
        head_rows = [row for thead in node.find("thead") for row in thead.find("tr")]

        def cells(row: Element) -> list[str]:
            return [
                self.paragraph(cell)
                for cell in row.children
                if isinstance(cell, Element) and cell.tag in {"td", "th"}
            ]

        head = cells(head_rows[0]) if head_rows else None
        body = [cells(row) for row in rows if row not in head_rows]
        caption = [self.paragraph(c) for c in node.find("caption")]
        return [text for text in [*caption, pipe_table(head, body)] if text]


def blocks(markup: str, internal: Callable[[str], str]) -> str:
    """An HTML output as Markdown blocks.

    Examples
    --------
    >>> print(blocks('<table><caption>cpu:0</caption><thead><tr><th>function</th>'
    ...              '<th class="num">median</th></tr></thead><tbody><tr><td>f</td>'
    ...              '<td class="num">21.2 ms</td></tr></tbody></table>', str))
    cpu:0
    <BLANKLINE>
    | function | median |
    | --- | --- |
    | f | 21.2 ms |
    """
    return "\n\n".join(_Writer(internal).blocks(parse(markup)))


def inline(markup: str, internal: Callable[[str], str]) -> str:
    """HTML inside a paragraph (a glossary tip) as inline Markdown.

    Examples
    --------
    >>> inline('<span class="jaxguide-term"><a href="glossary.html#term-leaf">leaves</a>'
    ...        '<span class="jaxguide-tip" role="tooltip">A leaf is…</span></span>',
    ...        lambda url: url.replace(".html", ".html.md"))
    '[leaves](glossary.html.md#term-leaf)'
    """
    return _Writer(internal).inline(parse(markup))
