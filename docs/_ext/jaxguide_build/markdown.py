"""A page as Markdown, written from its resolved doctree: the copies AI assistants read.

The doctree is the edition's own: translated, its outputs in the edition's language
(:mod:`jaxguide_build.readerlang`), its glossary tips and offered files in place. Code
cells become fenced ``python`` blocks followed by their outputs: text as ``text``
blocks, images as links to the built image files, HTML outputs (timing tables, sentences
printed from measurements) as Markdown tables and paragraphs. A titled section keeps its
first id, the page's label, as ``{#label}``; glossary terms and API entries keep theirs
as ``<a id>``, so ``page.html.md#label`` links land.

Written here rather than taken from a library: sphinx-markdown-builder (which sphinx-llm
runs) is a second Sphinx build with its own builder, so myst-nb picks outputs for that
builder and its translator passes raw HTML outputs through as escaped text;
sphinx-llms-txt concatenates the English sources, without outputs or translation.
:mod:`jaxguide_build.llms` says where the Markdown goes.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes

from jaxguide_build import htmltext

# A line break inside a paragraph's source: a space, except between two CJK characters.
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef])")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Highlighting languages shown as ``python``: code cells are ``ipython3``.
_PYTHON = {"python", "python3", "ipython", "ipython3", "py", "pycon"}
_PLAIN = {"", "default", "none", "text", "myst-ansi", "ipythontb"}
_SKIPPED = (
    nodes.Invisible,  # targets, comments, substitution definitions, pending nodes
    nodes.system_message,
    addnodes.index,
    addnodes.desc_signature_line,
)


@dataclass(frozen=True)
class Links:
    """How the page's URLs look from its Markdown copy."""

    #: An internal ``refuri`` as the HTML page has it -> the URL in the Markdown copy.
    internal: Callable[[str], str]
    #: An image node's ``uri`` -> the URL of the built image file, from the page.
    image: Callable[[str], str]
    #: An admonition's node name (``note``, ``warning``) -> its title in the edition's language.
    admonition: Mapping[str, str]


def fence(text: str, language: str) -> str:
    """A fenced code block, its fence longer than any run of backticks in ``text``.

    Examples
    --------
    >>> print(fence("print(1)", "python"))
    ```python
    print(1)
    ```
    """
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    ticks = "`" * (longest + 1)
    return f"{ticks}{language}\n{text.rstrip()}\n{ticks}"


def quote(text: str) -> str:
    r"""``text`` as a block quote.

    Examples
    --------
    >>> print(quote("**Note**\n\nbody"))
    > **Note**
    >
    > body
    """
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines())


def join_blocks(parts: Iterable[str]) -> str:
    return "\n\n".join(part for part in parts if part.strip())


class Writer:
    """Turns one resolved doctree into Markdown; see :func:`page_markdown`."""

    def __init__(self, links: Links) -> None:
        self.links = links
        self.level = 0

    # -- Blocks ----------------------------------------------------------------------

    def blocks(self, children: Iterable[nodes.Node]) -> str:
        return join_blocks(self.block(child) for child in children)

    def block(self, node: nodes.Node) -> str:
        if isinstance(node, _SKIPPED):
            return ""
        if isinstance(node, nodes.Admonition) and not isinstance(node, addnodes.desc):
            return self.admonition(node)
        method: Callable[[nodes.Node], str] | None = getattr(self, f"block_{node.tagname}", None)
        if method is not None:
            return method(node)
        if isinstance(node, nodes.TextElement):  # a paragraph, or one that acts like it
            return self.inline_children(node).strip()
        if isinstance(node, nodes.Element):
            return self.blocks(node.children)
        return self.inline(node).strip()

    def block_section(self, node: nodes.section) -> str:
        self.level += 1
        try:
            title = next((c for c in node.children if isinstance(c, nodes.title)), None)
            heading = ""
            if title is not None:
                label = section_label(node, title)
                anchor = f" {{#{label}}}" if label else ""
                heading = f"{'#' * min(self.level, 6)} {self.inline_children(title)}{anchor}"
            return join_blocks([heading, self.blocks(c for c in node.children if c is not title)])
        finally:
            self.level -= 1

    def block_title(self, node: nodes.title) -> str:  # a toctree's caption, a topic's title
        return f"**{self.inline_children(node)}**"

    block_rubric = block_title

    def admonition(self, node: nodes.Element) -> str:
        title = next((c for c in node.children if isinstance(c, nodes.title)), None)
        name = self.inline_children(title) if title else self.links.admonition.get(node.tagname)
        body = self.blocks(c for c in node.children if c is not title)
        return quote(join_blocks([f"**{name}**" if name else "", body]))

    def block_dropdown_main(self, node: nodes.Element) -> str:  # sphinx-design's: an answer
        title = next((c for c in node.children if c.tagname == "dropdown_title"), None)
        name = self.inline_children(title).strip() if title is not None else ""
        body = self.blocks(c for c in node.children if c is not title)
        return quote(join_blocks([f"**{name}**" if name else "", body]))

    def block_compact_paragraph(self, node: nodes.Element) -> str:
        # A resolved toctree is one: its caption, then the list of its pages.
        return self.blocks(node.children) if node.get("toctree") else self.inline_children(node)

    def block_literal_block(self, node: nodes.literal_block) -> str:
        language = str(node.get("language", ""))
        if "output" in node["classes"] or language in _PLAIN:  # printed text, a traceback
            language = "text"
        elif language in _PYTHON:  # a cell, or Python that a cell shows (a page's script)
            language = "python"
        return fence(_ANSI.sub("", node.astext()), language)

    def block_doctest_block(self, node: nodes.doctest_block) -> str:
        return fence(node.astext(), "python")

    def block_math_block(self, node: nodes.math_block) -> str:
        return f"$$\n{node.astext().strip()}\n$$"

    def block_raw(self, node: nodes.raw) -> str:
        if "html" not in node.get("format", "").split():
            return ""
        return htmltext.blocks(node.astext(), self.links.internal)

    def block_image(self, node: nodes.image) -> str:
        return self.inline_image(node)

    def block_caption(self, node: nodes.caption) -> str:
        # A figure's caption is already its image's alt text, unless the image has its own.
        image = next(node.parent.findall(nodes.image), None) if node.parent else None
        if isinstance(node.parent, nodes.figure) and image is not None and not image.get("alt"):
            return ""
        return self.inline_children(node)

    def block_bullet_list(self, node: nodes.bullet_list) -> str:
        return self.items(node, lambda _: "- ")

    def block_enumerated_list(self, node: nodes.enumerated_list) -> str:
        start = int(node.get("start", 1))
        return self.items(node, lambda index: f"{start + index}. ")

    def items(self, node: nodes.Element, marker: Callable[[int], str]) -> str:
        items = []
        for index, item in enumerate(node.children):
            mark = marker(index)
            body = textwrap.indent(self.blocks(item.children), " " * len(mark))
            items.append(mark + body.lstrip())
        # Items of several blocks are set apart by a blank line, as a writer would.
        return ("\n\n" if any("\n\n" in item for item in items) else "\n").join(items)

    def block_definition_list_item(self, node: nodes.definition_list_item) -> str:
        term = next((c for c in node.children if isinstance(c, nodes.term)), None)
        head = self.anchored(term) if term is not None else ""
        definitions = [c for c in node.children if isinstance(c, nodes.definition)]
        body = "\n".join(
            ": " + textwrap.indent(self.blocks(d.children), "  ").lstrip() for d in definitions
        )
        return f"{head}\n{body}".strip()

    def anchored(self, node: nodes.Element) -> str:
        anchor = f'<a id="{node["ids"][0]}"></a>' if node["ids"] else ""
        return f"{anchor}**{self.inline_children(node)}**"

    def block_desc(self, node: addnodes.desc) -> str:
        """An API entry (autodoc): its signature is a heading one level below its parent's."""
        self.level += 1
        try:
            return self.blocks(node.children)
        finally:
            self.level -= 1

    def block_desc_signature(self, node: addnodes.desc_signature) -> str:
        signature = node.deepcopy()
        for link in list(signature.findall(_is_viewcode_link)):  # "[source]": a page in HTML only
            link.parent.remove(link)
        text = signature.astext()
        anchor = f" {{#{node['ids'][0]}}}" if node["ids"] else ""
        return f"{'#' * min(self.level, 6)} {htmltext.code_span(text.strip())}{anchor}"

    def block_field(self, node: nodes.field) -> str:
        name, body = node.children[0], node.children[1]
        one_paragraph = len(body.children) == 1 and isinstance(body[0], nodes.paragraph)
        separator = " " if one_paragraph else "\n\n"
        return f"**{self.inline_children(name)}**:{separator}{self.blocks(body.children)}"

    def block_table(self, node: nodes.table) -> str:
        title = next((c for c in node.children if isinstance(c, nodes.title)), None)
        head = [self.row(r) for r in node.findall(nodes.row) if isinstance(r.parent, nodes.thead)]
        body = [self.row(r) for r in node.findall(nodes.row) if isinstance(r.parent, nodes.tbody)]
        table = htmltext.pipe_table(head[0] if head else None, body)
        return join_blocks([self.inline_children(title) if title else "", table])

    def row(self, row: nodes.row) -> list[str]:
        cells = [self.blocks(entry.children).replace("\n", " ") for entry in row.children]
        if row["ids"] and cells:  # a row that links point at (the execution report's)
            cells[0] = f'<a id="{row["ids"][0]}"></a>{cells[0]}'
        return cells

    def block_block_quote(self, node: nodes.block_quote) -> str:
        return quote(self.blocks(node.children))

    def block_transition(self, node: nodes.transition) -> str:  # noqa: ARG002
        return "---"

    # -- Inline ----------------------------------------------------------------------

    def inline_children(self, node: nodes.Element) -> str:
        return "".join(self.inline(child) for child in node.children)

    def inline(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Text):
            return _CJK_BREAK.sub("", node.astext()).replace("\n", " ")
        if isinstance(node, _SKIPPED):
            return ""
        method: Callable[[nodes.Node], str] | None = getattr(self, f"inline_{node.tagname}", None)
        if method is not None:
            return method(node)
        return self.inline_children(node) if isinstance(node, nodes.Element) else ""

    def inline_emphasis(self, node: nodes.emphasis) -> str:
        return f"*{self.inline_children(node)}*"

    def inline_strong(self, node: nodes.strong) -> str:
        return f"**{self.inline_children(node)}**"

    def inline_literal(self, node: nodes.literal) -> str:
        return htmltext.code_span(node.astext())

    def inline_math(self, node: nodes.math) -> str:
        return f"${node.astext().strip()}$"

    def inline_reference(self, node: nodes.reference) -> str:
        text = self.inline_children(node)
        if node.get("refuri"):
            url = str(node["refuri"])
            url = self.links.internal(url) if node.get("internal") else url
        elif node.get("refid"):
            url = f"#{node['refid']}"
        else:
            return text
        return f"[{text}]({url})"

    def inline_image(self, node: nodes.image) -> str:
        alt = node.get("alt") or _figure_caption(node)
        return f"![{alt}]({self.links.image(node['uri'])})"

    def inline_raw(self, node: nodes.raw) -> str:
        if "html" not in node.get("format", "").split():
            return ""
        return htmltext.inline(node.astext(), self.links.internal)

    def inline_footnote_reference(self, node: nodes.footnote_reference) -> str:
        return f"[^{node.astext()}]"


def section_label(section: nodes.section, title: nodes.title) -> str | None:
    """The section's id that a writer chose (its label), before the ones made from its title."""
    from_title = nodes.make_id(title.astext())
    ids = [str(i) for i in section["ids"]]
    return next((i for i in ids if i != from_title), ids[0] if ids else None)


def _is_viewcode_link(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Element) and "viewcode-link" in node["classes"]


def _figure_caption(node: nodes.Node) -> str:
    """An output image has no alt text: it takes its figure's caption, as in the HTML."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.figure):
        parent = parent.parent
    caption = next(parent.findall(nodes.caption), None) if parent is not None else None
    return caption.astext().replace("\n", " ") if caption is not None else ""


def page_markdown(doctree: nodes.document, links: Links) -> str:
    """The page as Markdown: its title as ``#``, its sections, cells and outputs."""
    return Writer(links).blocks(doctree.children).strip() + "\n"
