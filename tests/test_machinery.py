"""The build machinery's own rules: one home per fact, no work when conf.py is read,
private Sphinx internals behind one checked shim, theme labels that cannot go stale."""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
import sphinx
from jaxguide_build import editions, execution, i18n, links, pages, sphinx_private
from sitebuild import ROOT, RepoCopy
from sphinx.util.tags import Tags


def test_editions_accept_every_spelling_of_their_code() -> None:
    for code in ("zh-cn", "zh_CN", "ZH-CN", "zh-CN", "zh-hans"):
        assert editions.find(code).code == "zh-cn"
    assert editions.current({"READTHEDOCS_LANGUAGE": "zh_CN"}).sphinx == "zh_CN"
    assert (
        editions.current({"JAXGUIDE_LANGUAGE": "en", "READTHEDOCS_LANGUAGE": "zh-cn"}).code == "en"
    )
    with pytest.raises(editions.UnknownEdition, match="supported: en, zh-cn"):
        editions.find("fr")


def test_editions_command_line_feeds_the_makefile() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "jaxguide_build.editions", "codes"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "docs" / "_ext")},
    )
    assert run.stdout.split() == [e.code for e in editions.EDITIONS]


def test_site_urls_locally_and_on_read_the_docs() -> None:
    local = links.Site("https://x.test/", None)
    assert local.relative_root("zh-cn") == "../zh-cn/"
    assert local.server_root("en") == "/en/"
    assert local.base_url("en") == "https://x.test/en/latest/"
    rtd = links.Site("https://x.test/", "stable")
    assert rtd.relative_root("zh-cn") == "../../zh-cn/stable/"
    assert rtd.server_root("en") == "/en/stable/"


def test_conf_reads_the_one_home_of_each_fact() -> None:
    conf = runpy.run_path(str(ROOT / "conf.py"), init_globals={"tags": Tags()})
    assert conf["exclude_patterns"] is pages.EXCLUDE_PATTERNS
    assert conf["language"] == editions.SOURCE.sphinx
    assert conf["nb_execution_timeout"] == execution.CELL_TIMEOUT_S


def test_pages_are_found_by_sphinx_rules() -> None:
    found = {p.name for p in pages.source_pages(ROOT / "docs")}
    assert "index.md" in found
    assert not [p for p in found if "_ext" in p or "locales" in p]
    notebooks = {p.name for p in pages.notebook_pages(ROOT / "docs")}
    assert "jit-compilation.md" in notebooks
    assert "glossary.md" not in notebooks  # a page without code cells to run


def test_reading_conf_does_no_work() -> None:
    """conf.py only sets values: no hashing, no pruning, nothing written or deleted."""
    stale = ROOT / "_build" / ".jupyter_cache" / "stale-for-this-test"
    stale.mkdir(parents=True, exist_ok=True)
    try:
        before = sorted(p.name for p in stale.parent.iterdir())
        runpy.run_path(str(ROOT / "conf.py"), init_globals={"tags": Tags()})
        assert sorted(p.name for p in stale.parent.iterdir()) == before
    finally:
        stale.rmdir()


def test_sphinx_internals_are_checked_on_this_version() -> None:
    sphinx_private.check_version()  # the installed Sphinx is one of CHECKED_ON
    assert sphinx.version_info[:2] in sphinx_private.CHECKED_ON


def test_an_unchecked_sphinx_is_refused_with_what_to_do() -> None:
    with pytest.raises(sphinx_private.UncheckedSphinx, match=r"Sphinx 9\.1\.0 is installed") as e:
        sphinx_private.check_version((9, 1, 0, "final", 0))
    assert "sphinx_private.py" in str(e.value)
    assert "CHECKED_ON" in str(e.value)


# relabel('<old literal>', <new>, "<the theme's template>") }}
RELABEL = re.compile(r"""relabel\('([^']*)',.*"([^"]+)"\)\s*}}""")


@pytest.mark.parametrize("template", sorted((ROOT / "docs" / "_templates").glob("*.html")), ids=str)
def test_relabeled_theme_markup_still_exists(template: Path) -> None:
    """Every literal a template relabels is still in the theme template it comes from."""
    import jinja2
    import pydata_sphinx_theme

    text = template.read_text(encoding="utf-8")
    theme_dirs = [
        i18n.THEME_LOCALES.parents[1],  # sphinx-book-theme, then the theme it extends
        Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme",
    ]
    loader = jinja2.FileSystemLoader([str(d) for d in theme_dirs])
    for old, theme_template in RELABEL.findall(text):
        source, _, _ = loader.get_source(jinja2.Environment(), theme_template)
        assert old in source, (
            f"docs/_templates/{template.name}: the theme's {theme_template} no longer "
            f"contains {old!r}; update the template to the theme's new markup"
        )


@pytest.mark.build
def test_a_third_language_is_one_row_plus_its_catalogs(repo_copy: RepoCopy) -> None:
    """Adding an edition is a row in the table, then `make gettext` and translating."""
    table = repo_copy.path / "docs" / "_ext" / "jaxguide_build" / "editions.py"
    text = table.read_text(encoding="utf-8")
    row = (
        '    Edition(code="de", sphinx="de", hreflang="de", locale="de_DE", name="Deutsch",'
        ' search="de", author="die jaxguide-Autoren", copyright="2026, die jaxguide-Autoren"),\n'
    )
    table.write_text(text.replace("\n)\nSOURCE = ", f"\n{row})\nSOURCE = ", 1), encoding="utf-8")
    repo_copy.page("plain.md", "(plain)=\n# Plain\n\nWords.\n", notebook=False)
    gettext = repo_copy.make("gettext")
    assert gettext.returncode == 0, gettext.output
    for language in ("de", "zh_CN"):
        repo_copy.translate(language, lambda message, lang=language: f"[{lang}] {message}")
    # The new edition beside one existing edition (each edition builds alike).
    result = repo_copy.make("site", "LANGUAGES=zh-cn de")
    assert result.returncode == 0, result.output
    german = repo_copy.html("plain.html", "de")
    assert '<html lang="de"' in german
    assert "[de] Words." in german
    chinese = repo_copy.html("plain.html", "zh-cn")
    assert 'hreflang="de"' in chinese
    assert "Deutsch" in chinese
    root = (repo_copy.path / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="de/index.html"' in root


@pytest.mark.build
def test_an_untranslated_message_fails_the_build_naming_the_page(repo_copy: RepoCopy) -> None:
    repo_copy.page("story.md", "(story)=\n# A story\n\nOne.\n\nTwo.\n", notebook=False)
    assert repo_copy.make("gettext").returncode == 0
    repo_copy.translate("zh_CN", lambda message: None if message == "Two." else f"译：{message}")
    result = repo_copy.make("site", "LANGUAGES=zh-cn")
    assert result.returncode != 0
    assert "story.md:6: WARNING: untranslated message in the zh-cn edition" in result.output
    assert "docs/locales/zh_CN/LC_MESSAGES/story.po): 'Two.'" in result.output


def test_the_relabel_pattern_sees_every_relabel() -> None:
    texts = [t.read_text(encoding="utf-8") for t in (ROOT / "docs" / "_templates").glob("*.html")]
    assert sum(len(RELABEL.findall(t)) for t in texts) == sum(t.count("relabel(") for t in texts)
    assert sum(t.count("relabel(") for t in texts) >= 4
