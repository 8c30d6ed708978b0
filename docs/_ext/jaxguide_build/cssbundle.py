"""One stylesheet per edition: every stylesheet a page links, joined in cascade order,
less the rules whose selectors name a class or id that nothing on the site can produce.

A page of the stock theme asks for ten stylesheets before it can paint, and 90 % of
the largest one (pydata-sphinx-theme.css, Bootstrap included) matches nothing we
render. `bundle` joins the files (inlining ``@import``, re-rooting relative ``url()``)
and `purge` drops the rules no page can match.

What counts as "can produce": every class and id in the site's HTML, every word in its
JavaScript (scripts add classes by name: ``classList.add("show")``), and any class
starting with a prefix the scripts build names from (``bs-${name}-auto``). A selector
is dropped only if a class or id it requires outside any ``:not()``/``:is()``/``:has()``
argument is in none of those; element, attribute and pseudo selectors never drop one.
``tests/test_browser.py`` checks the result: on every page, in both colour modes and
with the theme's menus open, every element's computed style is the same with the
purged and the full stylesheet.

`drop_unread_variables` then drops each custom property declaration (``--name: …``)
that nothing reads: no ``var()`` left in the bundle, no page and no script that pages
run (``running``) names it, and no such script builds its name at run time (a
``"--bs-" + x`` keeps every ``--bs-*``). The theme and Bootstrap declare about a
thousand of them, and a browser computes and carries each one declared on an element;
about half are read by nothing on this site.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

# At-rules whose block holds rules (purged inside); any other block is kept verbatim.
NESTING_AT_RULES = frozenset(
    {"media", "supports", "layer", "container", "document", "-moz-document", "scope"}
)
HEADER = "/* jaxguide-site.css: {sources} | {kept} of {total} rules kept */\n"
HEADER_RE = re.compile(r"/\* jaxguide-site\.css: (?P<sources>[^|]*) \|")

_ESCAPED = r"\\(?:[0-9a-fA-F]{1,6}\s?|.)"
_IDENT = re.compile(
    rf"-?(?:[_a-zA-Z\u00a0-\U0010ffff]|{_ESCAPED})(?:[-\w\u00a0-\U0010ffff]|{_ESCAPED})*"
)
_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})\s?|(.))", re.DOTALL)
_STRING = re.compile(r"""("|')(?:\\.|\\\n|(?!\1)[^\\\n])*\1""")
_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)""")
_CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ID_ATTR = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_JS_WORD = re.compile(r"[A-Za-z_][\w-]*")
# A name a script builds at run time: `bs-${name}-auto`, "tag_" + name, "bs-".concat(x)
_JS_PREFIX = re.compile(r"""([A-Za-z_][\w-]*[-_])(?:\$\{|["']\s*(?:\+|\.concat\())""")
_CUSTOM_NAME = re.compile(r"--[A-Za-z_][\w-]*")
_VAR_READ = re.compile(r"var\(\s*(--[A-Za-z_][\w-]*)")
# A custom property's name built at run time: "--bs-" + x, `--${x}`, "--".concat(x)
_BUILT_CUSTOM_NAME = re.compile(r"""["'`](--[\w-]*)(?:\$\{|["'`]\s*(?:\+|\.concat\())""")


class CSSError(ValueError):
    """The stylesheet could not be read; says which file and where."""


@dataclass
class Rule:
    """A style rule: ``prelude { body }``."""

    prelude: str
    body: str


@dataclass
class AtRule:
    """``@name prelude;`` (``block is None``), ``{ raw text }`` or ``{ nested rules }``."""

    name: str
    prelude: str
    block: list[Rule | AtRule] | str | None = None


Node = Rule | AtRule


# -- Reading -------------------------------------------------------------------------------


class _Reader:
    """A small CSS reader: comments, strings, blocks. Enough for real stylesheets."""

    def __init__(self, text: str, source: str) -> None:
        self.text, self.source, self.pos = text, source, 0

    def fail(self, message: str) -> NoReturn:
        line = self.text.count("\n", 0, self.pos) + 1
        msg = f"{self.source}:{line}: {message}"
        raise CSSError(msg)

    def skip_space(self) -> None:
        while self.pos < len(self.text):
            if self.text[self.pos].isspace():
                self.pos += 1
            elif self.text.startswith("/*", self.pos):
                end = self.text.find("*/", self.pos + 2)
                if end < 0:
                    self.fail("unclosed comment")
                self.pos = end + 2
            elif self.text.startswith(("<!--", "-->"), self.pos):
                self.pos += 4 if self.text[self.pos] == "<" else 3
            else:
                return

    def read_until(self, stops: str) -> str:
        """Text up to the first top-level character of `stops` (not consumed), with
        comments removed and whitespace made minimal outside strings; strings,
        brackets and parentheses are kept whole."""
        segments: list[tuple[bool, str]] = []  # (is a string, text)
        plain: list[str] = []
        depth = 0
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if depth == 0 and char in stops:
                break
            if char in "\"'":
                segments.append((False, "".join(plain)))
                plain = []
                segments.append((True, self._string()))
                continue
            if text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    self.fail("unclosed comment")
                self.pos = end + 2
                plain.append(" ")
                continue
            if char == "\\" and self.pos + 1 < len(text):
                plain.append(text[self.pos : self.pos + 2])
                self.pos += 2
                continue
            if char in "([":
                depth += 1
            elif char in ")]":
                depth = max(0, depth - 1)
            elif char == "}" and "}" not in stops:
                self.fail("unexpected '}'")
            plain.append(" " if char.isspace() else char)
            self.pos += 1
        segments.append((False, "".join(plain)))
        return "".join(part if quoted else _tidy(part) for quoted, part in segments).strip()

    def _string(self) -> str:
        match = _STRING.match(self.text, self.pos)
        if match is None:
            self.fail("unclosed string")
        self.pos = match.end()
        return match.group()

    def read_block_raw(self) -> str:
        """The text of a `{ ... }` block (braces balanced), the opening brace consumed."""
        parts: list[str] = []
        depth = 1
        while True:
            parts.append(self.read_until("{};"))
            if self.pos >= len(self.text):
                self.fail("unclosed block")
            char = self.text[self.pos]
            self.pos += 1
            if char == "}":
                depth -= 1
                if depth == 0:
                    return "".join(parts).rstrip(";")
            parts.append(char)
            if char == "{":
                depth += 1

    def read_nodes(self, *, nested: bool) -> list[Node]:
        nodes: list[Node] = []
        while True:
            self.skip_space()
            if self.pos >= len(self.text):
                if nested:
                    self.fail("unclosed block")
                return nodes
            if self.text[self.pos] == "}":
                if not nested:
                    self.fail("unexpected '}'")
                self.pos += 1
                return nodes
            if self.text[self.pos] == "@":
                nodes.append(self._at_rule())
                continue
            prelude = self.read_until("{;")
            if self.pos >= len(self.text) or self.text[self.pos] == ";":
                self.fail(f"expected '{{' after {prelude[:60]!r}")
            self.pos += 1
            nodes.append(Rule(prelude, self.read_block_raw()))

    def _at_rule(self) -> AtRule:
        match = _IDENT.match(self.text, self.pos + 1)
        if match is None:
            self.fail("an '@' without a name")
        name = match.group().lower()
        self.pos = match.end()
        prelude = self.read_until("{;")
        if self.pos >= len(self.text) or self.text[self.pos] == ";":
            self.pos += 1
            return AtRule(name, prelude)
        self.pos += 1
        if name in NESTING_AT_RULES:
            return AtRule(name, prelude, self.read_nodes(nested=True))
        return AtRule(name, prelude, self.read_block_raw())


def _tidy(text: str) -> str:
    """Whitespace, outside strings: runs become one space, none around ``{};,``."""
    return re.sub(r" ?([{};,]) ?", r"\1", re.sub(r"\s+", " ", text))


def parse(text: str, source: str = "<css>") -> list[Node]:
    """Read a stylesheet into rules; raises CSSError naming `source` and the line."""
    return _Reader(text, source).read_nodes(nested=False)


def serialize(nodes: Iterable[Node]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Rule):
            out.append(f"{node.prelude}{{{node.body}}}")
        elif node.block is None:
            out.append(f"@{node.name} {node.prelude};".replace(" ;", ";"))
        else:
            head = f"@{node.name} {node.prelude}".strip()
            inner = node.block if isinstance(node.block, str) else serialize(node.block)
            out.append(f"{head}{{{inner}}}")
    return "\n".join(out)


def count_rules(nodes: Iterable[Node]) -> int:
    return sum(
        count_rules(node.block) if isinstance(node, AtRule) and isinstance(node.block, list) else 1
        for node in nodes
    )


# -- Joining -------------------------------------------------------------------------------


def _rebase_urls(text: str, source_dir: str, bundle_dir: str) -> str:
    """Make the relative ``url()``s of a file in `source_dir` relative to `bundle_dir`
    (both relative to the root)."""

    def rebase(match: re.Match[str]) -> str:
        url = next(group for group in match.groups() if group is not None)
        if not url or re.match(r"^(?:[a-z][\w+.-]*:|/|#)", url, re.IGNORECASE):
            return match.group()
        target = posixpath.normpath(posixpath.join(source_dir, url))
        return f'url("{posixpath.relpath(target, bundle_dir or ".")}")'

    return _URL.sub(rebase, text)


def _rebased(node: Node, source_dir: str, bundle_dir: str) -> Node:
    if isinstance(node, Rule):
        return Rule(node.prelude, _rebase_urls(node.body, source_dir, bundle_dir))
    if isinstance(node.block, list):
        inner = [_rebased(n, source_dir, bundle_dir) for n in node.block]
        return AtRule(node.name, node.prelude, inner)
    block = None if node.block is None else _rebase_urls(node.block, source_dir, bundle_dir)
    return AtRule(node.name, node.prelude, block)


def read_file(
    root: Path, path: str, seen: tuple[str, ...] = (), bundle_dir: str = ""
) -> list[Node]:
    """Parse `root/path` with its ``@import``s inlined and its ``url()``s made relative
    to `bundle_dir`, the folder below `root` where the bundle is written."""
    if path in seen:
        msg = f"{path}: @import cycle through {' -> '.join(seen)}"
        raise CSSError(msg)
    file = root / path
    if not file.is_file():
        msg = f"{path}: no such stylesheet in {root}"
        raise CSSError(msg)
    folder = posixpath.dirname(path)
    out: list[Node] = []
    for node in parse(file.read_text(encoding="utf-8"), path):
        if isinstance(node, AtRule) and node.name == "charset":
            continue
        if isinstance(node, AtRule) and node.name == "import":
            match = re.fullmatch(r"""(?:url\()?\s*["']?([^"')\s]+)["']?\s*\)?""", node.prelude)
            if match is None:
                msg = f"{path}: cannot inline '@import {node.prelude}' (media or layer list)"
                raise CSSError(msg)
            target = posixpath.normpath(posixpath.join(folder, match.group(1)))
            out.extend(read_file(root, target, (*seen, path), bundle_dir))
            continue
        out.append(_rebased(node, folder, bundle_dir))
    return out


def bundle(root: Path, paths: Iterable[str], bundle_dir: str = "") -> list[Node]:
    """The stylesheets at `paths` (relative to `root`), in order, as one rule list
    to be written in `bundle_dir` (relative to `root`)."""
    return [node for path in paths for node in read_file(root, path, bundle_dir=bundle_dir)]


# -- Purging -------------------------------------------------------------------------------


@dataclass
class UsedNames:
    """What the site's pages and scripts can put on an element."""

    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # every word of every script
    prefixes: set[str] = field(default_factory=set)  # names scripts build at run time
    # Custom properties named by pages and by the scripts pages run, and the prefixes of
    # those such a script builds at run time.
    variables: set[str] = field(default_factory=set)
    variable_prefixes: set[str] = field(default_factory=set)

    def add_html(self, html: str) -> None:
        for match in _CLASS_ATTR.finditer(html):
            self.classes.update((match.group(1) or match.group(2) or "").split())
        for match in _ID_ATTR.finditer(html):
            self.ids.add((match.group(1) or match.group(2) or "").strip())
        self.add_running_script(html)  # style attributes and inline scripts

    def add_running_script(self, script: str) -> None:
        """A script pages run: the custom properties it names or builds names for."""
        self.variables.update(_CUSTOM_NAME.findall(script))
        for match in _BUILT_CUSTOM_NAME.finditer(script):
            # A string that goes on from another (`group + "--" + id`) starts no name.
            if not script[: match.start()].rstrip().endswith("+"):
                self.variable_prefixes.add(match.group(1))

    def add_script(self, script: str) -> None:
        self.words.update(_JS_WORD.findall(script))
        self.prefixes.update(_JS_PREFIX.findall(script))

    def has_class(self, name: str) -> bool:
        return name in self.classes or name in self.words or name.startswith(tuple(self.prefixes))

    def has_id(self, name: str) -> bool:
        return name in self.ids or name in self.words

    def names_variable(self, name: str) -> bool:
        return name in self.variables or name.startswith(tuple(self.variable_prefixes))


def used_names(
    pages: Iterable[str], scripts: Iterable[str], running: Iterable[str] = ()
) -> UsedNames:
    """Classes and ids in the HTML `pages`, and the words of the `scripts` (texts); the
    custom properties the pages and the `running` scripts (those pages run) name."""
    used = UsedNames()
    for page in pages:
        used.add_html(page)
    for script in scripts:
        used.add_script(script)
    for script in running:
        used.add_running_script(script)
    return used


def _unescape(name: str) -> str:
    def one(match: re.Match[str]) -> str:
        return chr(int(match.group(1), 16)) if match.group(1) else match.group(2)

    return _ESCAPE.sub(one, name)


def _top_level(text: str) -> Iterator[int]:
    """Positions in a selector outside strings, escapes, brackets and parentheses."""
    depth, pos = 0, 0
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char in "\"'":
            end = text.find(char, pos + 1)
            pos = len(text) if end < 0 else end + 1
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0:
            yield pos
        pos += 1


def split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, start = [], 0
    for pos in _top_level(prelude):
        if prelude[pos] == ",":
            parts.append(prelude[start:pos].strip())
            start = pos + 1
    parts.append(prelude[start:].strip())
    return [part for part in parts if part]


def required_names(selector: str) -> list[tuple[str, str]]:
    """The ("class" | "id", name) pairs an element must have for `selector` to match;
    names inside brackets, strings or a pseudo-class's parentheses are not required."""
    required: list[tuple[str, str]] = []
    resume = 0  # the end of the last name read
    for pos in _top_level(selector):
        if pos < resume or selector[pos] not in ".#":
            continue
        match = _IDENT.match(selector, pos + 1)
        if match:
            kind = "class" if selector[pos] == "." else "id"
            required.append((kind, _unescape(match.group())))
            resume = match.end()
    return required


def selector_can_match(selector: str, used: UsedNames) -> bool:
    return all(
        used.has_class(name) if kind == "class" else used.has_id(name)
        for kind, name in required_names(selector)
    )


def map_rules(nodes: Iterable[Node], rewrite: Callable[[Rule], Rule | None]) -> list[Node]:
    """`nodes` with each style rule, at any depth, replaced by ``rewrite(rule)``, or
    dropped where that is None. At-rule blocks that end up empty go too."""
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Rule):
            rewritten = rewrite(node)
            if rewritten is not None:
                out.append(rewritten)
        elif isinstance(node.block, list):
            inner = map_rules(node.block, rewrite)
            if inner:
                out.append(AtRule(node.name, node.prelude, inner))
        else:
            out.append(node)
    return out


def purge(nodes: Iterable[Node], used: UsedNames) -> list[Node]:
    """The rules whose selectors can match something; selector lists lose the
    selectors that cannot. At-rule blocks that end up empty go too."""

    def matching(rule: Rule) -> Rule | None:
        selectors = [s for s in split_selectors(rule.prelude) if selector_can_match(s, used)]
        return Rule(",".join(selectors), rule.body) if selectors else None

    return map_rules(nodes, matching)


def declarations(body: str) -> list[str]:
    """A rule's body split at its top-level semicolons.

    >>> declarations("a:url(x;y);--b:1")
    ['a:url(x;y)', '--b:1']
    """
    parts, start = [], 0
    for pos in _top_level(body):
        if body[pos] == ";":
            parts.append(body[start:pos])
            start = pos + 1
    parts.append(body[start:])
    return [part for part in parts if part.strip()]


def _custom_property(declaration: str) -> str | None:
    name = declaration.split(":", 1)[0].strip()
    return name if name.startswith("--") else None


def _read_variables(nodes: Iterable[Node]) -> set[str]:
    """Custom properties the stylesheet itself reads: in ``var()``, and any named in an
    at-rule's prelude or raw block (``@container style(--x: 1)``, ``@property --x``)."""
    read: set[str] = set()
    for node in nodes:
        if isinstance(node, Rule):
            read.update(_VAR_READ.findall(node.body))
        else:
            read.update(_CUSTOM_NAME.findall(node.prelude))
            if isinstance(node.block, str):
                read.update(_CUSTOM_NAME.findall(node.block))
            elif node.block is not None:
                read |= _read_variables(node.block)
    return read


def _without_variables(nodes: Iterable[Node], keep: Callable[[str], bool]) -> list[Node]:
    def kept(rule: Rule) -> Rule | None:
        if "{" in rule.body:  # nested rules: left as they are
            return rule
        every = declarations(rule.body)
        body = [d for d in every if keep(_custom_property(d) or "")]
        # A rule that was empty stays as it was; one emptied here goes.
        return Rule(rule.prelude, ";".join(body)) if body or not every else None

    return map_rules(nodes, kept)


def drop_unread_variables(nodes: list[Node], used: UsedNames) -> list[Node]:
    """`nodes` without the custom property declarations nothing reads (see the module's
    docstring); a rule left with no declaration goes too. Repeated until nothing more
    goes: ``--a: var(--b)`` read by nothing also leaves ``--b`` unread."""
    while True:
        read = _read_variables(nodes)

        def keep(name: str, read: set[str] = read) -> bool:
            return not name or name in read or used.names_variable(name)

        kept = _without_variables(nodes, keep)
        if kept == nodes:
            return kept
        nodes = kept


def build(
    root: Path, paths: list[str], used: UsedNames | None, bundle_dir: str = ""
) -> tuple[str, str]:
    """The bundle's text (purged unless `used` is None) and an 8-digit digest of it;
    its ``url()``s are relative to `bundle_dir`, where it is to be written."""
    nodes = bundle(root, paths, bundle_dir)
    kept = nodes if used is None else drop_unread_variables(purge(nodes, used), used)
    header = HEADER.format(
        sources=", ".join(paths), kept=count_rules(kept), total=count_rules(nodes)
    )
    text = header + serialize(kept) + "\n"
    return text, hashlib.sha256(text.encode()).hexdigest()[:8]


def sources_of(bundle_text: str) -> list[str]:
    """The stylesheets a bundle was made from, read back from its header."""
    match = HEADER_RE.match(bundle_text)
    if match is None:
        msg = "not a jaxguide-site.css bundle (no header)"
        raise CSSError(msg)
    return [part.strip() for part in match.group("sources").split(",")]
