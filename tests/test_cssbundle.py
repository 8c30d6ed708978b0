"""The site stylesheet: reading, joining and purging CSS (docs/_ext/jaxguide_build/cssbundle.py), and
how the Sphinx extension uses it. The browser tests check the result on real pages."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from jaxguide_build import assets, cssbundle
from jaxguide_build.cssbundle import AtRule, Rule, UsedNames
from sphinx.builders.html._assets import _CascadingStyleSheet


def used(classes: str = "", ids: str = "", script: str = "") -> UsedNames:
    names = UsedNames(classes=set(classes.split()), ids=set(ids.split()))
    names.add_script(script)
    return names


def purged(css: str, names: UsedNames) -> str:
    return cssbundle.serialize(cssbundle.purge(cssbundle.parse(css), names))


# -- Reading and writing ------------------------------------------------------------------


def test_parse_reads_rules_at_rules_and_nesting() -> None:
    css = """
    @charset "utf-8";
    /* a comment { with braces } */
    a.x, .y > b { color: red; }
    @media (min-width: 10px) { .z { margin: 0 auto } @supports (display: grid) { .w { display: grid } } }
    @font-face { font-family: F; src: url(f.woff2) }
    @keyframes spin { from { transform: none } to { transform: rotate(1turn) } }
    """
    nodes = cssbundle.parse(css)
    assert nodes[0] == AtRule("charset", '"utf-8"')
    assert nodes[1] == Rule("a.x,.y > b", "color: red")
    media = nodes[2]
    assert isinstance(media, AtRule)
    assert media.name == "media"
    assert isinstance(media.block, list)
    assert media.block[0] == Rule(".z", "margin: 0 auto")
    assert isinstance(media.block[1], AtRule)
    assert media.block[1].block == [Rule(".w", "display: grid")]
    assert nodes[3] == AtRule("font-face", "", "font-family: F;src: url(f.woff2)")
    assert nodes[4] == AtRule(
        "keyframes", "spin", "from{transform: none}to{transform: rotate(1turn)}"
    )
    assert cssbundle.count_rules(nodes) == 6


def test_strings_keep_their_braces_spaces_and_comment_marks() -> None:
    css = ".a::before { content: \"} ; , /* not a comment */  x\" } .b { content: '{' }"
    nodes = cssbundle.parse(css)
    assert nodes == [
        Rule(".a::before", 'content: "} ; , /* not a comment */  x"'),
        Rule(".b", "content: '{'"),
    ]
    assert cssbundle.parse(cssbundle.serialize(nodes)) == nodes


def test_serialize_round_trips() -> None:
    css = "@import url(x.css);.a{color: red}@media print{.b{display: none}}@page{margin: 1cm}"
    nodes = cssbundle.parse(css)
    assert cssbundle.parse(cssbundle.serialize(nodes)) == nodes
    assert cssbundle.serialize(nodes).startswith("@import url(x.css);\n.a{color: red}")


@pytest.mark.parametrize(
    ("css", "message"),
    [
        ("a { color: red", "x.css:1: unclosed block"),
        ("a { color: red }\n}", "x.css:2: unexpected '}'"),
        ("\n\n/* open", "x.css:3: unclosed comment"),
        ('a { content: "open\n }', "x.css:1: unclosed string"),
        ("a ;", "x.css:1: expected '{' after 'a'"),
        ("@ {}", "x.css:1: an '@' without a name"),
        ("@media print { a { x: y }", "x.css:1: unclosed block"),
    ],
)
def test_bad_css_names_file_and_line(css: str, message: str) -> None:
    with pytest.raises(cssbundle.CSSError, match=message.replace("(", r"\(")):
        cssbundle.parse(css, "x.css")


# -- Purging ------------------------------------------------------------------------------


def test_required_names_ignore_brackets_strings_and_pseudo_arguments() -> None:
    assert cssbundle.required_names("div.a.b > #c:hover::before") == [
        ("class", "a"),
        ("class", "b"),
        ("id", "c"),
    ]
    assert cssbundle.required_names('a:not(.x)[href$=".y"] .z:is(.p, .q)') == [("class", "z")]
    assert cssbundle.required_names(r".sm\:block .\31 0") == [
        ("class", "sm:block"),
        ("class", "10"),
    ]


def test_split_selectors_at_top_level_commas_only() -> None:
    assert cssbundle.split_selectors('a, :is(b, c), [x="1,2"] ,d') == [
        "a",
        ":is(b, c)",
        '[x="1,2"]',
        "d",
    ]


def test_purge_drops_what_cannot_match_and_keeps_everything_else() -> None:
    css = (
        ".used{a:1}.unused{a:2}.used,.unused{a:3}div{a:4}[class*=col-]{a:5}"
        ".used:not(.unused){a:6}#here{a:7}#gone{a:8}"
        "@media print{.unused{a:9}}@media screen{.used{a:10}.unused{a:11}}"
        "@font-face{font-family: F}"
    )
    assert purged(css, used("used", "here")) == (
        ".used{a:1}\n.used{a:3}\ndiv{a:4}\n[class*=col-]{a:5}\n.used:not(.unused){a:6}\n"
        "#here{a:7}\n@media screen{.used{a:10}}\n@font-face{font-family: F}"
    )


def test_purge_keeps_names_scripts_use_or_build() -> None:
    script = 'el.classList.add("show");tip.classList.add(`bs-${name}-auto`);x="tag_"+t;'
    css = ".show{a:1}.bs-tooltip-auto{a:2}.tag_hide{a:3}.hide{a:4}#show{a:5}"
    assert purged(css, used(script=script)) == (
        ".show{a:1}\n.bs-tooltip-auto{a:2}\n.tag_hide{a:3}\n#show{a:5}"
    )


def test_used_names_reads_html_attributes_and_scripts() -> None:
    page = "<div class=\"a  b\" id='main'><span class='c'>class=d</span></div>"
    names = cssbundle.used_names([page], ['q.className = "e";'])
    assert names.classes == {"a", "b", "c"}
    assert names.ids == {"main"}
    assert names.has_class("e")
    assert not names.has_class("d")
    assert names.has_id("main")
    assert not names.has_id("other")


# -- Joining ------------------------------------------------------------------------------


def write(root: Path, path: str, text: str) -> None:
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")


def test_bundle_inlines_imports_and_rebases_urls(tmp_path: Path) -> None:
    write(tmp_path, "_static/base.css", ".base{background: url(img/b.png)}")
    write(
        tmp_path,
        "_static/styles/theme.css",
        '@charset "utf-8";@import "../base.css";'
        ".t{background: url('../vendor/f.woff2')}"
        '.u{background: url("data:image/svg+xml;utf8,<svg/>")}'
        ".v{background: url(/abs.png)}.w{background: url(https://x.test/y.png)}"
        "@font-face{src: url(fonts/a.woff2)}",
    )
    nodes = cssbundle.bundle(tmp_path, ["_static/styles/theme.css"])
    assert cssbundle.serialize(nodes) == (
        '.base{background: url("_static/img/b.png")}\n'
        '.t{background: url("_static/vendor/f.woff2")}\n'
        '.u{background: url("data:image/svg+xml;utf8,<svg/>")}\n'
        ".v{background: url(/abs.png)}\n"
        ".w{background: url(https://x.test/y.png)}\n"
        '@font-face{src: url("_static/styles/fonts/a.woff2")}'
    )


def test_bundle_urls_resolve_from_the_folder_it_is_written_in(tmp_path: Path) -> None:
    """The site's bundle lives in _static/: a url() must lead to the same file from there."""
    write(tmp_path, "_static/styles/theme.css", ".t{background: url('../icons.svg')}")
    write(tmp_path, "_static/own.css", ".o{background: url(icons.svg)}")
    nodes = cssbundle.bundle(tmp_path, ["_static/styles/theme.css", "_static/own.css"], "_static")
    assert cssbundle.serialize(nodes) == (
        '.t{background: url("icons.svg")}\n.o{background: url("icons.svg")}'
    )


def test_bundle_refuses_what_it_cannot_join(tmp_path: Path) -> None:
    with pytest.raises(cssbundle.CSSError, match=r"missing\.css: no such stylesheet"):
        cssbundle.bundle(tmp_path, ["missing.css"])
    write(tmp_path, "a.css", '@import "b.css";')
    write(tmp_path, "b.css", '@import "a.css";')
    with pytest.raises(cssbundle.CSSError, match=r"a.css: @import cycle through a.css -> b.css"):
        cssbundle.bundle(tmp_path, ["a.css"])
    write(tmp_path, "c.css", '@import "b.css" print;')
    with pytest.raises(cssbundle.CSSError, match="cannot inline"):
        cssbundle.bundle(tmp_path, ["c.css"])


def test_build_header_names_sources_and_counts(tmp_path: Path) -> None:
    write(tmp_path, "a.css", ".a{x:1}.b{x:2}")
    write(tmp_path, "b.css", "p{x:3}")
    text, digest = cssbundle.build(tmp_path, ["a.css", "b.css"], used("a"))
    assert text.startswith("/* jaxguide-site.css: a.css, b.css | 2 of 3 rules kept */\n")
    assert cssbundle.sources_of(text) == ["a.css", "b.css"]
    assert len(digest) == 8
    full, full_digest = cssbundle.build(tmp_path, ["a.css", "b.css"], None)
    assert "| 3 of 3 rules kept" in full
    assert full_digest != digest
    with pytest.raises(cssbundle.CSSError, match="no header"):
        cssbundle.sources_of(".a{}")


# -- The Sphinx side ----------------------------------------------------------------------


def fake_app(css: list[_CascadingStyleSheet]) -> SimpleNamespace:
    return SimpleNamespace(builder=SimpleNamespace(name="html", _orig_css_files=css))


def test_site_stylesheets_follow_the_cascade_order() -> None:
    app = fake_app(
        [
            _CascadingStyleSheet("_static/late.css", priority=800),
            _CascadingStyleSheet("_static/pygments.css", priority=200),
        ]
    )
    assert assets.site_stylesheets(app) == [  # type: ignore[arg-type]
        *assets.THEME_STYLESHEETS,
        "_static/pygments.css",
        "_static/late.css",
    ]


@pytest.mark.parametrize(
    "css",
    [
        _CascadingStyleSheet("https://cdn.test/x.css"),
        _CascadingStyleSheet("_static/print.css", media="print"),
    ],
)
def test_site_stylesheets_refuse_what_a_bundle_would_change(css: _CascadingStyleSheet) -> None:
    with pytest.raises(cssbundle.CSSError, match="cannot join"):
        assets.site_stylesheets(fake_app([css]))  # type: ignore[arg-type]


def test_a_page_with_its_own_stylesheet_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    shared = _CascadingStyleSheet("_static/shared.css")
    app = fake_app([shared])
    context: dict[str, object] = {"css_files": [shared]}
    assets.link_site_stylesheet(app, "fine", "page.html", context, None)  # type: ignore[arg-type]
    assert context["jaxguide_site_css"] == "_static/jaxguide-site.css?v=0"
    assert not caplog.records
    context = {"css_files": [shared, _CascadingStyleSheet("_static/own.css")]}
    with caplog.at_level("WARNING"):
        assets.link_site_stylesheet(app, "odd", "page.html", context, None)  # type: ignore[arg-type]
    assert any(
        "odd adds stylesheets only for itself (_static/own.css)" in r.getMessage()
        for r in caplog.records
    )


# -- Custom properties nothing reads -------------------------------------------------------


def test_unread_custom_properties_go_and_read_ones_stay() -> None:
    css = (
        ":root{--a:1px;--b:var(--c);--c:red;--d:2px;--e:3px;--f:4px;--bs-g:5px}"
        ".x{margin:var(--a);--only:1}"
        "@media (min-width:1px){.y{--h:1;padding:var(--i,var(--h))}}"
        "@container style(--f:4px){.z{color:blue}}"
    )
    names = cssbundle.used_names(
        ['<p style="width:var(--e)">x</p>'],
        [],
        running=['el.style.getPropertyValue("--d");el.style.setProperty("--bs-" + k, v);'],
    )
    kept = cssbundle.serialize(cssbundle.drop_unread_variables(cssbundle.parse(css), names))
    # --a and --h read by var(); --d named by a script, --e by a page; --f by an at-rule;
    # --bs-g built by a script; --b read by nothing (so --c goes too); .x keeps its margin.
    assert kept == (
        ":root{--a:1px;--d:2px;--e:3px;--f:4px;--bs-g:5px}\n.x{margin:var(--a)}\n"
        "@media (min-width:1px){.y{--h:1;padding:var(--i,var(--h))}}\n"
        "@container style(--f:4px){.z{color:blue}}"
    )


def test_a_rule_left_empty_goes_and_a_string_that_goes_on_builds_no_name() -> None:
    names = cssbundle.used_names([], [], running=['key = group + "--" + id;'])
    assert not names.variable_prefixes
    css = ".a{--unread:1}.b{color:red}.c{}"
    kept = cssbundle.drop_unread_variables(cssbundle.parse(css), names)
    assert cssbundle.serialize(kept) == ".b{color:red}\n.c{}"


def test_running_scripts_are_those_pages_load_and_those_they_name() -> None:
    scripts = {
        "_static/loaded.js": 'load("named.js")',
        "named.js": "named",
        "_static/unused.js": '"--".concat(x)',
    }
    page = '<script defer src="_static/loaded.js?v=1"></script>'
    assert sorted(assets.running_scripts(scripts, [page])) == ['load("named.js")', "named"]
