"""A page's MyST markdown as the Markdown that Colab renders, in any edition's language.

Colab shows CommonMark with a little HTML; it knows nothing of MyST. So the notebooks
of :mod:`jaxguide_build.notebooks` rewrite what it would show as raw text:

- labels such as ``(jit-static-arguments)=`` are dropped;
- ``{ref}`` links to the section on the published site, with the section's title;
  ``{func}``, ``{class}`` and the other API roles become code, linked to the same API
  page as on the site (through the inventories that the build ships), with the
  parentheses that Sphinx adds to functions;
- admonitions (``{note}``, ``{warning}``, ``{admonition}``) become block quotes under
  their bold title, dropdowns ``<details>``, cards and grids their content, and
  ``{only}`` keeps its content only in the edition it names; options are dropped.

Code, maths (``$…$``, which Colab renders) and plain Markdown pass through unchanged,
line for line.

Translation works message by message, like Sphinx's own: every paragraph, heading, list
item, table cell and directive title whose source text is a ``msgid`` of the page's
catalog (``docs/locales/<language>/LC_MESSAGES/<page>.po``) is replaced by its
``msgstr``, then rewritten as above. The message is the paragraph's source with its line
breaks as spaces, exactly what Sphinx extracts from a MyST page, so every message of a
page is found (tests/test_notebooks.py checks it). A message without a translation, or
with a fuzzy one, stays English and is reported in :attr:`Converter.untranslated`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from sphinx.util.inventory import InventoryFile
from sphinx.util.tags import Tags

from jaxguide_build import inventories

#: The MyST extensions of conf.py that change how a page's text is split into blocks.
MYST_EXTENSIONS = frozenset({"colon_fence", "deflist", "dollarmath", "attrs_inline"})
ROLE = re.compile(r"\{(?P<role>[a-z]+(?::[a-z]+)?)\}`(?P<content>[^`]+)`")
TITLED = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
OPTION = re.compile(r"^:[\w-]+:")
TABLE_CELL_SPLIT = re.compile(r"(?<!\\)\|")
#: Python roles, each with the inventory types it may name (Sphinx's python domain).
PY_ROLES: dict[str, tuple[str, ...]] = {
    "func": ("function", "method"),
    "meth": ("method", "classmethod", "staticmethod", "function"),
    "class": ("class", "exception"),
    "exc": ("exception", "class"),
    "attr": ("attribute", "property"),
    "data": ("data", "attribute"),
    "mod": ("module",),
    "obj": ("function", "class", "method", "attribute", "property", "data", "module"),
}
#: Sphinx adds "()" to these roles' link text (``add_function_parentheses``).
CALLABLE_ROLES = frozenset({"func", "meth"})
ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "warning": "Warning",
    "important": "Important",
    "caution": "Caution",
    "hint": "Hint",
    "danger": "Danger",
    "error": "Error",
    "attention": "Attention",
    "seealso": "See also",
}


class UnknownRole(ValueError):
    """A page uses a MyST role that a notebook has no rendering for."""


@cache
def parser() -> MarkdownIt:
    config = MdParserConfig(enable_extensions=set(MYST_EXTENSIONS))
    return create_md_parser(config, RendererHTML)


@dataclass(frozen=True)
class Catalog:
    """One page's translations: ``msgid`` → ``msgstr``, for the translated, non-fuzzy ones."""

    translated: Mapping[str, str]
    known: frozenset[str]  # every msgid, translated or not

    @classmethod
    def read(cls, path: Path) -> Catalog:
        if not path.exists():
            return cls({}, frozenset())
        with path.open("rb") as handle:
            catalog = read_po(handle)
        translated = {
            str(m.id): str(m.string)
            for m in catalog
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
        }
        return cls(translated, frozenset(str(m.id) for m in catalog if m.id))


@dataclass(frozen=True)
class Section:
    """Where a label points on the published site, and the title that names it."""

    page: str
    title: str  # MyST source of the heading


@cache
def api_urls() -> Mapping[tuple[str, str], str]:
    """``(type, name)`` → URL, for every Python object of the shipped inventories."""
    urls: dict[tuple[str, str], str] = {}
    for name, project in inventories.PROJECTS.items():
        data = inventories.path_of(name).read_bytes()
        inventory = InventoryFile.loads(data, uri=project.base_url)
        for objtype, items in inventory.data.items():
            domain, _, kind = objtype.partition(":")
            if domain != "py":
                continue
            for target, item in items.items():
                urls.setdefault((kind, target), item.uri)
    return urls


@dataclass
class Converter:
    """Rewrites one edition's markdown cells of one page; collects what it could not translate.

    ``site`` is the edition's root URL on the published site; ``sections`` maps every
    label of the guide to its page and title; ``catalogs`` gives a page's catalog
    (``None``: the source edition, nothing to translate); ``labels`` translates
    Sphinx's own words (admonition titles); ``own_api`` names the objects documented
    on the guide's API page.
    """

    page: str
    edition_tag: str  # the Sphinx tag of the edition, e.g. "edition_zh_cn"
    site: str
    sections: Mapping[str, Section]
    catalogs: Callable[[str], Catalog] | None
    labels: Callable[[str], str]
    own_api: Callable[[str], bool]
    untranslated: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    # -- messages ------------------------------------------------------------

    def translate(self, text: str, page: str | None = None, *, plain: bool = False) -> str:
        """``text`` (MyST source) in this edition's language, where the catalog has it.

        ``plain``: the message is the text without its code marks (sphinx-design's card
        titles are extracted that way).
        """
        message = text.replace("\n", " ").strip()
        if plain:
            message = message.replace("`", "")
        if self.catalogs is None or not message:
            return text
        catalog = self.catalogs(page or self.page)
        if page is None:
            self.messages.append(message)
        translated = catalog.translated.get(message)
        if translated is None:
            if page is None:
                self.untranslated.append(message)
            return text
        return translated

    # -- inline --------------------------------------------------------------

    def role(self, match: re.Match[str]) -> str:
        role, content = match["role"].removeprefix("py:"), match["content"]
        titled = TITLED.match(content)
        title, target = (titled["title"], titled["target"]) if titled else (None, content)
        if role in ("ref", "doc"):
            return self.reference(role, title, target.strip())
        if role in PY_ROLES:
            return self.api(role, title, target.strip())
        if role == "term":
            return title or target
        msg = (
            f"{self.page}: the role {{{role}}} has no rendering in a notebook; "
            "add one in jaxguide_build/colabmarkdown.py"
        )
        raise UnknownRole(msg)

    def reference(self, role: str, title: str | None, target: str) -> str:
        if role == "doc":
            page = target.strip("/").removesuffix(".md")
            url = f"{self.site}{page}.html"
            label = next((k for k, s in self.sections.items() if s.page == page), None)
            section = self.sections.get(label or "")
        else:
            section = self.sections.get(target)
            if section is None:
                msg = f"{self.page}: {{ref}}`{target}` names no label of the guide"
                raise UnknownRole(msg)
            url = f"{self.site}{section.page}.html#{target}"
        if title is None:
            if section is None:
                msg = f"{self.page}: {{doc}}`{target}` names no page of the guide"
                raise UnknownRole(msg)
            title = self.inline(self.translate(section.title, section.page))
        return f"[{title}]({url})"

    def api(self, role: str, title: str | None, target: str) -> str:
        short = target.startswith("~")
        name = target.lstrip("~.")
        shown = title if title is not None else (name.rsplit(".", 1)[-1] if short else name)
        if title is None and role in CALLABLE_ROLES and not shown.endswith(")"):
            shown += "()"
        url = next(
            (api_urls()[kind, name] for kind in PY_ROLES[role] if (kind, name) in api_urls()),
            None,
        )
        if url is None and self.own_api(name):
            url = f"{self.site}api.html#{name}"
        return f"[`{shown}`]({url})" if url else f"`{shown}`"

    def inline(self, text: str) -> str:
        return ROLE.sub(self.role, text)

    # -- blocks --------------------------------------------------------------

    def convert(self, text: str) -> str:
        """A markdown cell's source (MyST) as Markdown for Colab, in this edition's language."""
        lines = text.split("\n")
        tokens = parser().parse(text)
        out: list[str] = []
        at = 0  # the next source line not yet copied
        index = 0
        while index < len(tokens):
            token = tokens[index]
            block = token.map
            if block is None or block[0] < at:
                index += 1
                continue
            start, end = block
            replaced: list[str] | None = None
            if token.type == "myst_target":
                replaced = []
            elif token.type in ("colon_fence", "fence") and token.info.startswith("{"):
                replaced = self.directive(token)
            elif token.type == "dl_open":
                replaced = self.definitions(tokens, index, lines)
                index = self.skip_block(tokens, index)
            elif token.type == "table_open":
                replaced = [self.table_row(line) for line in lines[start:end]]
                index = self.skip_block(tokens, index)
            elif token.type == "inline":
                replaced = self.paragraph(token, lines[start:end])
            if replaced is None:
                index += 1
                continue
            out += lines[at:start] + replaced
            at = end
            index += 1
        out += lines[at:]
        return "\n".join(out)

    @staticmethod
    def skip_block(tokens: list[Token], index: int) -> int:
        depth = 0
        for position in range(index, len(tokens)):
            depth += tokens[position].nesting
            if depth == 0:
                return position
        return len(tokens) - 1

    def paragraph(self, token: Token, lines: list[str]) -> list[str]:
        """A paragraph's or heading's lines, rewritten; their markers and indents kept."""
        content = token.content
        translated = self.translate(content)
        first = content.split("\n", 1)[0]
        prefix = lines[0][: max(lines[0].find(first), 0)]
        if translated != content:
            return [prefix + self.inline(translated.replace("\n", " "))]
        converted = self.inline(content).split("\n")
        if len(converted) != len(lines):  # a role spanning lines: keep the first prefix only
            return [prefix + " ".join(converted)]
        rewritten = []
        for line, old, new in zip(lines, content.split("\n"), converted, strict=True):
            where = line.find(old) if old else len(line)
            rewritten.append(line if where < 0 else line[:where] + new + line[where + len(old) :])
        return rewritten

    def definitions(self, tokens: list[Token], index: int, lines: list[str]) -> list[str]:
        """A definition list (Colab has none) as a bullet list: the term, then its definition."""
        out: list[str] = []
        for position in range(index + 1, self.skip_block(tokens, index)):
            token = tokens[position]
            if token.type == "dt_open":
                term = tokens[position + 1].content
                out.append(f"- {self.inline(self.translate(term))}")
            elif token.type == "dd_open" and token.map is not None:
                # The definition starts at its ":" line (markdown-it's map may start earlier).
                start, end = token.map
                start = next(i for i in range(start, end) if lines[i].lstrip().startswith(":"))
                body = [lines[start].lstrip()[1:].strip()]
                body += [line.removeprefix("  ") for line in lines[start + 1 : end]]
                converted = self.convert("\n".join(body)).strip("\n").split("\n")
                out += ["", *(f"  {line}".rstrip() for line in converted), ""]
        return out[:-1] if out and not out[-1] else out

    def table_row(self, line: str) -> str:
        cells = TABLE_CELL_SPLIT.split(line)
        if len(cells) < 3 or set(line.strip()) <= set("|-: "):
            return line
        inner = [f" {self.inline(self.translate(cell.strip()))} " for cell in cells[1:-1]]
        return "|".join([cells[0], *inner, cells[-1]])

    def directive(self, token: Token) -> list[str]:
        name, _, argument = token.info[1:].partition("}")
        argument = argument.strip()
        if name == "toctree" or (
            name == "only" and not Tags([self.edition_tag]).eval_condition(argument)
        ):
            return []
        body = self.convert("\n".join(self.without_options(token.content.split("\n"))))
        body_lines = body.strip("\n").split("\n") if body.strip() else []
        titled = name in ("admonition", "dropdown", "grid-item-card") and argument
        plain = name == "grid-item-card"
        title = self.inline(self.translate(argument, plain=plain)) if titled else ""
        if name in ADMONITIONS:
            return self.quoted([f"**{self.labels(ADMONITIONS[name])}**", "", *body_lines])
        if name == "admonition":
            return self.quoted([f"**{title}**", "", *body_lines])
        if name == "dropdown":
            return [f"<details><summary>{title}</summary>", "", *body_lines, "", "</details>"]
        if name == "grid-item-card" and title:
            return [f"**{title}**", "", *body_lines]
        return body_lines  # only, grid, a card without a title: their content

    @staticmethod
    def without_options(lines: list[str]) -> Iterable[str]:
        """A directive's body without its ``:option: value`` lines or YAML block."""
        if lines and lines[0].strip() == "---":
            closing = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
            return lines[closing + 1 :]
        start = 0
        while start < len(lines) and OPTION.match(lines[start]):
            start += 1
        return lines[start:]

    @staticmethod
    def quoted(lines: list[str]) -> list[str]:
        return [f"> {line}".rstrip() for line in lines]


def sections_of(page: str, text: str) -> dict[str, Section]:
    """Every label of a page's source that stands above a heading, with that heading."""
    found = {}
    tokens = parser().parse(text)
    for token, after, inline in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if token.type == "myst_target" and after.type == "heading_open":
            found[token.content] = Section(page, inline.content)
    return found
