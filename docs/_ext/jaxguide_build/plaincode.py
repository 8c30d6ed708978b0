"""Highlighted code with fewer elements: each run of tokens that draw alike is one span.

Pygments wraps every token of a code block in a ``<span>`` named after the token's
type, and ``pygments.css`` colours each type. In the styles the theme uses, names,
brackets and spaces are all drawn alike, in the colour Pygments gives a block's plain
text, in light and in dark mode: on a long executed page their spans were over a third
of all its elements, and a browser styles and lays out every element on first render.

:func:`plain_classes` reads from the stylesheet which token classes draw exactly like
that plain text in both modes, less the classes sphinx-copybutton keeps out of copied
text (``copybutton_exclude``: prompts and doctest output). :func:`join` makes each run
of their spans in a highlighted ``<pre>`` one span, with the first token's class, and
leaves links alone (sphinx-codeautolink's link text stays as it is): the page draws the
same. Taking the spans out altogether would not: the theme gives ``pre`` its own text
colour, a shade apart from Pygments' one.

Pages are edited as they are written, after sphinx-codeautolink has added its links.
The classes come from the stylesheet pydata-sphinx-theme is going to write; when the
build ends, the ``pygments.css`` it did write is read again, and a difference stops the
build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydata_sphinx_theme.pygments import get_pygments_stylesheet  # type: ignore[import-untyped]
from pydata_sphinx_theme.utils import get_theme_options_dict  # type: ignore[import-untyped]
from pygments.token import STANDARD_TYPES  # type: ignore[import-untyped]
from sphinx.application import Sphinx

from jaxguide_build import cssbundle

_RULE = re.compile(
    r'^html\[data-theme="(?P<mode>light|dark)"\] \.highlight(?: \.(?P<cls>[\w-]+))? '
    r"\{ (?P<body>[^}]*) \}",
    re.MULTILINE,
)
_BLOCK = re.compile(r'<div class="highlight"><pre\b[^>]*>.*?</pre>', re.DOTALL)
_LINK = re.compile(r"(<a\b[^>]*>.*?</a>)", re.DOTALL)
_CLASS = re.compile(r"\.([\w-]+)")
_TOKEN = re.compile(r'<span class="(?P<cls>[\w-]+)">(?P<text>[^<]*)</span>|(?P<bare>[^<]+)|<[^>]*>')


class PlainCodeError(RuntimeError):
    """The stylesheet the theme wrote draws other token classes plainly than the pages assumed."""


def plain_classes(stylesheet: str, keep: Iterable[str] = ()) -> frozenset[str]:
    """The token classes that ``stylesheet`` draws exactly like a block's plain text (its
    ``.highlight`` rule) in every colour mode it has, less ``keep``.

    >>> css = '''html[data-theme="light"] .highlight { background: #fff; color: #111 }
    ... html[data-theme="light"] .highlight .n { color: #111 }
    ... html[data-theme="light"] .highlight .k { color: #a00 }
    ... html[data-theme="dark"] .highlight { background: #000; color: #eee }
    ... html[data-theme="dark"] .highlight .n { color: #eee }
    ... html[data-theme="dark"] .highlight .p { color: #eee; font-weight: bold }'''
    >>> sorted(plain_classes(css))
    ['n']
    """
    rules: dict[tuple[str, str], list[str]] = {}
    for match in _RULE.finditer(stylesheet):
        rules[match["mode"], match["cls"] or ""] = [
            d.strip() for d in cssbundle.declarations(match["body"])
        ]
    modes = {mode for mode, cls in rules if cls == ""}
    if not modes:
        msg = "no `.highlight { ... }` rule for any colour mode in the stylesheet"
        raise PlainCodeError(msg)
    text = {mode: [d for d in rules[mode, ""] if not d.startswith("background")] for mode in modes}
    classes = set(STANDARD_TYPES.values()) - {""} - set(keep)
    # A class with no rule of its own takes the colour of `pre`, which the theme sets
    # apart from Pygments' text colour: only classes with a rule equal to it draw alike.
    return frozenset(
        cls for cls in classes if all(rules.get((mode, cls)) == text[mode] for mode in modes)
    )


def join(body: str, classes: frozenset[str]) -> str:
    r"""``body`` with each run of spans of ``classes`` in a highlighted block made one span,
    outside links. Spaces between the spans join the run; the span keeps the first
    token's class (they all draw alike).

    >>> html = ('<p><span class="n">x</span></p><div class="highlight"><pre><span></span>'
    ...         '<span class="n">f</span><span class="p">(</span><a href="#"><span class="n">'
    ...         'g</span></a><span class="p">,</span> <span class="n">h</span>\n'
    ...         '<span class="k">if</span></pre></div>')
    >>> print(join(html, frozenset({"n", "p"})))
    <p><span class="n">x</span></p><div class="highlight"><pre><span></span><span class="n">f(</span><a href="#"><span class="n">g</span></a><span class="p">, h</span>
    <span class="k">if</span></pre></div>
    """
    if not classes:
        return body

    def run_of(part: str) -> str:
        out: list[str] = []
        run: list[str] = []
        spaces: list[str] = []  # after the run so far: they join it only if it goes on
        first = ""

        def flush() -> None:
            nonlocal first
            if first:
                out.append(f'<span class="{first}">{"".join(run)}</span>')
            out.extend(spaces)
            run.clear()
            spaces.clear()
            first = ""

        for token in _TOKEN.finditer(part):
            cls, text, bare = token["cls"], token["text"], token["bare"]
            if cls in classes:
                first = first or cls
                run.extend([*spaces, text])
                spaces.clear()
            elif bare is not None and not bare.strip() and first:
                spaces.append(bare)
            else:
                flush()
                out.append(token.group())
        flush()
        return "".join(out)

    def block(match: re.Match[str]) -> str:
        parts = _LINK.split(match.group())
        # Odd parts are links, left whole.
        return "".join(part if i % 2 else run_of(part) for i, part in enumerate(parts))

    return _BLOCK.sub(block, body)


def copy_excluded(app: Sphinx) -> set[str]:
    """The classes sphinx-copybutton leaves out of copied text (``copybutton_exclude``)."""
    return set(_CLASS.findall(getattr(app.config, "copybutton_exclude", "") or ""))


def theme_styles(app: Sphinx) -> tuple[str, str]:
    """The light and dark Pygments styles pydata-sphinx-theme writes ``pygments.css`` from."""
    options = get_theme_options_dict(app)
    defaults = app.builder.theme.get_options()  # type: ignore[attr-defined]
    light, dark = (
        options.get(f"pygments_{mode}_style") or defaults[f"pygments_{mode}_style"]
        for mode in ("light", "dark")
    )
    return light, dark


_PLAIN: dict[tuple[str, str, frozenset[str]], frozenset[str]] = {}


def page_classes(app: Sphinx) -> frozenset[str]:
    """The classes pages are written without (cached per styles and copybutton setting)."""
    key = (*theme_styles(app), frozenset(copy_excluded(app)))
    if key not in _PLAIN:
        _PLAIN[key] = plain_classes(get_pygments_stylesheet(key[0], key[1]), key[2])
    return _PLAIN[key]


def _applies(app: Sphinx) -> bool:
    return app.builder.name == "html" and hasattr(app.builder, "theme")


def join_page(
    app: Sphinx,
    pagename: str,  # noqa: ARG001  (Sphinx's event signature)
    templatename: str,  # noqa: ARG001
    context: dict[str, Any],
    doctree: Any,  # noqa: ARG001
) -> None:
    if _applies(app) and "body" in context:
        context["body"] = join(context["body"], page_classes(app))


def check_written_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    """The ``pygments.css`` the theme wrote draws the same classes plainly as pages assumed."""
    if exception is not None or not _applies(app):
        return
    written = Path(app.outdir) / "_static" / "pygments.css"
    if not written.exists():
        return
    found = plain_classes(written.read_text(encoding="utf-8"), copy_excluded(app))
    if found != page_classes(app):
        msg = (
            f"{written}: the token classes drawn like plain text are {sorted(found)}, but "
            f"pages were written without the spans of {sorted(page_classes(app))}. "
            "jaxguide_build.plaincode must read the stylesheet the theme writes."
        )
        raise PlainCodeError(msg)


def setup(app: Sphinx) -> None:
    # After sphinx-codeautolink (priority 500), which finds names by their spans.
    app.connect("html-page-context", join_page, priority=800)
    # After pydata-sphinx-theme rewrites pygments.css (priority 500), before the bundle (900).
    app.connect("build-finished", check_written_stylesheet, priority=800)
