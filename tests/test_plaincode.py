"""Highlighted code with its plain token spans joined (jaxguide_build/plaincode.py).

The browser side, that the joined spans draw exactly like the ones they replace, is
``test_code_spans_joined_into_one_draw_alike`` in test_browser.py.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from jaxguide_build import plaincode
from pydata_sphinx_theme.pygments import get_pygments_stylesheet  # type: ignore[import-untyped]

STYLES = ("a11y-high-contrast-light", "a11y-high-contrast-dark")  # the theme's defaults


def fake_app(outdir: Path) -> SimpleNamespace:
    """What plaincode reads of a Sphinx application building HTML with the theme."""
    theme = SimpleNamespace(
        get_options=lambda: {"pygments_light_style": STYLES[0], "pygments_dark_style": STYLES[1]}
    )
    builder = SimpleNamespace(name="html", theme=theme, theme_options={})
    config = SimpleNamespace(copybutton_exclude=".linenos, .gp, .go")
    return SimpleNamespace(builder=builder, config=config, outdir=str(outdir))


def test_names_brackets_and_spaces_are_plain_keywords_and_prompts_are_not() -> None:
    classes = plaincode.plain_classes(get_pygments_stylesheet(*STYLES), keep={"gp", "go"})
    assert {"n", "p", "w"} <= classes
    # Coloured tokens; a prompt, which the copy button must still find; a class with no
    # rule of its own (it takes the theme's `pre` colour, not Pygments' text colour).
    assert not classes & {"k", "o", "s2", "mi", "nf", "c1", "gp", "go", "esc"}


def test_runs_join_outside_links_and_the_text_stays(tmp_path: Path) -> None:
    block = (
        '<div class="highlight"><pre><span></span><span class="n">params</span> '
        '<span class="o">=</span> <a href="x.html" class="sphinx-codeautolink-a">'
        '<span class="n">jax</span><span class="o">.</span><span class="n">tree</span></a>'
        '<span class="p">(</span><span class="n">f</span><span class="p">,</span> '
        '<span class="n">g</span><span class="p">)</span>\n<span class="gp">&gt;&gt;&gt; </span>'
        "</pre></div>"
    )
    classes = plaincode.page_classes(fake_app(tmp_path))  # type: ignore[arg-type]
    joined = plaincode.join(block, classes)
    assert joined == (
        '<div class="highlight"><pre><span></span><span class="n">params</span> '
        '<span class="o">=</span> <a href="x.html" class="sphinx-codeautolink-a">'
        '<span class="n">jax</span><span class="o">.</span><span class="n">tree</span></a>'
        '<span class="p">(f, g)</span>\n<span class="gp">&gt;&gt;&gt; </span>'
        "</pre></div>"
    )
    assert plaincode.join(joined, classes) == joined


def test_a_stylesheet_other_than_the_one_assumed_stops_the_build(tmp_path: Path) -> None:
    app = fake_app(tmp_path)
    static = tmp_path / "_static"
    static.mkdir()
    written = get_pygments_stylesheet(*STYLES)
    (static / "pygments.css").write_text(written, encoding="utf-8")
    plaincode.check_written_stylesheet(app, None)  # type: ignore[arg-type]
    # The theme wrote bold names in dark mode: joining names with brackets would show.
    bold = written.replace(
        'html[data-theme="dark"] .highlight .n { color: #F8F8F2 }',
        'html[data-theme="dark"] .highlight .n { color: #F8F8F2; font-weight: bold }',
    )
    assert bold != written
    (static / "pygments.css").write_text(bold, encoding="utf-8")
    with pytest.raises(plaincode.PlainCodeError, match=r"pygments\.css"):
        plaincode.check_written_stylesheet(app, None)  # type: ignore[arg-type]
