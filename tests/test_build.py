"""Bad input fails the build loudly, names the page, and loses nothing.

Each test builds a throwaway copy (see `repo_copy` in conftest.py), never the real tree.
A test that starts from a good build takes `built_copy` instead: a copy of the pages in
``sitebuild.BUILT``, built once per test process and restored before each test.
"""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from jaxguide_build import editions, uptodate
from sitebuild import CLAIMED, GOOD, RepoCopy, Result

pytestmark = pytest.mark.build


def executed_pages(result: Result) -> list[str]:
    """The pages a build executed, from the pre-executor's log."""
    prefix = "preexecute: executed "
    return sorted(
        line.removeprefix(prefix).split(" in ")[0]
        for line in result.output.splitlines()
        if line.startswith(prefix)
    )


def test_failing_cell_names_page_and_line(repo_copy: RepoCopy) -> None:
    repo_copy.page("good.md", GOOD)
    broken = repo_copy.page(
        "broken.md",
        """\
        (broken)=
        # Broken page

        ```{code-cell} ipython3
        x = 1
        y = x / 0  # the failing line
        ```
        """,
    )
    result = repo_copy.make("site")
    assert result.returncode != 0
    # The page and the failing line's number in the page file.
    lines = broken.read_text(encoding="utf-8").splitlines()
    line = lines.index("y = x / 0  # the failing line") + 1
    assert f"broken.md:{line}: the cell raised an error" in result.output
    assert "y = x / 0  # the failing line" in result.output
    assert "ZeroDivisionError" in result.output

    # The fix re-executes only the broken page; the good page comes from the cache.
    repo_copy.page("broken.md", "(broken)=\n# Broken page\n\n```{code-cell} ipython3\n1 + 1\n```\n")
    fixed = repo_copy.make("site")
    assert fixed.returncode == 0, fixed.output
    assert executed_pages(fixed) == ["broken.md"], result.output + fixed.output
    assert "good page ran" in repo_copy.html("good.html")


def test_tagged_error_is_allowed(built_copy: RepoCopy) -> None:
    """A cell tagged ``raises-exception`` shows its error; the build of it succeeded."""
    assert "shown on purpose" in built_copy.html("teaching.html")


def test_hanging_cell_times_out_naming_page(repo_copy: RepoCopy) -> None:
    repo_copy.page(
        "hangs.md",
        """\
        (hangs)=
        # Hangs

        ```{code-cell} ipython3
        import time
        time.sleep(600)
        ```
        """,
    )
    result = repo_copy.make("site", JAXGUIDE_CELL_TIMEOUT="5", timeout=120)
    assert result.returncode != 0
    assert "hangs.md:" in result.output
    assert "the cell timed out" in result.output


def test_broken_reference_fails(repo_copy: RepoCopy) -> None:
    repo_copy.page("refs.md", "(refs)=\n# Refs\n\nSee {ref}`no-such-label`.\n", notebook=False)
    for attempt in ("first build", "rebuild without changes"):
        result = repo_copy.make("site")
        assert result.returncode != 0, f"the {attempt} passed despite the broken reference"
        assert "refs.md" in result.output
        assert "no-such-label" in result.output


def test_page_outside_every_toctree_fails(repo_copy: RepoCopy) -> None:
    (repo_copy.docs / "index.md").write_text("(home)=\n# Home\n", encoding="utf-8")
    repo_copy.page("lost.md", "(lost)=\n# Lost\n", notebook=False)
    result = repo_copy.make("site")
    assert result.returncode != 0
    assert "lost.md" in result.output
    assert "toctree" in result.output


def test_cache_follows_helper_package(repo_copy: RepoCopy) -> None:
    """A change in src/jaxguide must re-execute pages, never show stale outputs."""
    init = repo_copy.path / "src" / "jaxguide" / "__init__.py"
    original = init.read_text(encoding="utf-8")
    init.write_text(original + '\nCACHE_PROBE = "first-version"\n', encoding="utf-8")
    repo_copy.page(
        "probe.md",
        "(probe)=\n# Probe\n\n```{code-cell} ipython3\nimport jaxguide\n"
        "print(jaxguide.CACHE_PROBE)\n```\n",
    )
    assert repo_copy.make("site").returncode == 0
    assert "first-version" in repo_copy.html("probe.html")

    init.write_text(original + '\nCACHE_PROBE = "second-version"\n', encoding="utf-8")
    result = repo_copy.make("site")
    assert result.returncode == 0, result.output
    html = repo_copy.html("probe.html")
    assert "second-version" in html
    assert "first-version" not in html
    # Only the current cache folder is kept.
    caches = [p for p in (repo_copy.path / "_build" / ".jupyter_cache").iterdir() if p.is_dir()]
    assert len(caches) == 1


def test_no_change_rebuild_executes_nothing(built_copy: RepoCopy) -> None:
    again = built_copy.make("site")
    assert again.returncode == 0, again.output
    assert executed_pages(again) == []
    assert "Executing notebook" not in again.output  # nor does Sphinx


def test_an_edition_is_skipped_until_one_of_its_inputs_changes(built_copy: RepoCopy) -> None:
    """jaxguide_build.uptodate: nothing changed, no Sphinx; any input changed, Sphinx runs."""
    skipped = built_copy.make("site")
    assert skipped.returncode == 0, skipped.output
    assert "edition is up to date" in skipped.output
    assert "Running Sphinx" not in skipped.output
    # A template, not a page: the change reaches the output only through Sphinx.
    template = built_copy.docs / "_templates" / "jaxguide-probe.html"
    template.write_text("<!-- probe -->\n", encoding="utf-8")
    changed = built_copy.make("site")
    assert "Running Sphinx" in changed.output, changed.output
    forced = built_copy.make("site", "REBUILD=1")
    assert "Running Sphinx" in forced.output, forced.output
    # A failed build leaves the edition out of date, whatever it was before.
    built_copy.page("bad.md", "# Bad\n\n{ref}`no-such-label`\n", notebook=False)
    assert built_copy.make("site").returncode != 0
    (built_copy.docs / "bad.md").unlink()
    assert not uptodate.stamp_path(built_copy.path, editions.SOURCE).exists()


def test_offered_file_becomes_a_file_of_the_site(built_copy: RepoCopy) -> None:
    """The executed output carries the file; the built page links to it instead."""
    html = built_copy.html("offers.html")
    assert "base64," not in html
    links = re.findall(r'href="(_downloads/jaxguide/[0-9a-f]{16}/made-by-a-cell\.txt)"', html)
    assert len(links) == 1, html
    served = built_copy.path / "_build" / "html" / "en" / links[0]
    assert served.read_text(encoding="utf-8") == "made by a cell\n"


def test_each_edition_shows_outputs_in_its_language(repo_copy: RepoCopy) -> None:
    repo_copy.page(
        "says.md",
        """\
        (says)=
        # Says

        ```{code-cell} ipython3
        from jaxguide import say
        say("Nine is three squared.", "九是三的平方。")
        ```
        """,
    )
    po = repo_copy.docs / "locales" / "zh_CN" / "LC_MESSAGES"
    po.mkdir(parents=True)
    for page, title, translated in (("says", "Says", "说"), ("index", "Home", "首页")):
        catalog = Catalog(locale="zh_CN")
        catalog.add(title, translated)
        with (po / f"{page}.po").open("wb") as handle:
            write_po(handle, catalog)
    result = repo_copy.make("site", "LANGUAGES=en zh-cn")
    assert result.returncode == 0, result.output
    outputs = {
        lang: repo_copy.html("says.html", lang).split('<div class="cell_output', 1)[1]
        for lang in ("en", "zh-cn")
    }
    assert "Nine is three squared." in outputs["en"]
    assert "九是三的平方。" not in outputs["en"]
    assert "九是三的平方。" in outputs["zh-cn"]
    assert "Nine is three squared." not in outputs["zh-cn"]
    notebook = (repo_copy.path / "_build/html/zh-cn/_sources/says.ipynb").read_text(
        encoding="utf-8"
    )
    assert "九是三的平方。" in notebook
    assert 'lang=\\\\"en\\\\">Nine' not in notebook


def test_false_claim_fails_the_build_naming_page_claim_and_numbers(built_copy: RepoCopy) -> None:
    """A sentence guarded by `jaxguide.claim` stops the build once the numbers contradict it
    (the page is in the good build, where the sentence held)."""
    # Swap the two functions' bodies: the sentence on the page is now false.
    swapped = CLAIMED.replace("0.001", "SWAP").replace("0.02", "0.001").replace("SWAP", "0.02")
    page = built_copy.page("claimed.md", swapped)
    result = built_copy.make("site")
    assert result.returncode != 0
    line = next(
        number
        for number, text in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1)
        if text.startswith("claim(")
    )
    assert f"claimed.md:{line}: the cell raised an error (ClaimError)" in result.output
    assert "the page claims 'quick is many times faster than slow'" in result.output
    assert "outside [4, ∞)" in result.output
    assert "slow = 0.001" in result.output  # the measured numbers behind it
    assert "build succeeded" not in result.output  # Sphinx never ran: nothing was published


def test_code_links_survive_a_build_that_rewrites_without_rereading(built_copy: RepoCopy) -> None:
    """sphinx-codeautolink forgets the links of .md pages it does not read again
    (jaxguide_build.codelinks restores them): an HTML-only change keeps them."""
    link = 'jax.numpy.sin.html#jax.numpy.sin"'
    assert link in built_copy.html("linked.html")
    again = built_copy.make("site", "SPHINXOPTS=-W --keep-going -n -D html_title=Rewritten")
    assert again.returncode == 0, again.output
    assert "Rewritten" in built_copy.html("linked.html")  # the page was written again
    assert link in built_copy.html("linked.html")


def test_a_change_in_the_machinery_reaches_every_built_page(built_copy: RepoCopy) -> None:
    """Sphinx does not see an extension's code change; jaxguide_build.machinery makes the
    next build re-read every page, so no page keeps what the old code made of it."""
    assert "<mi>sin</mi>" in built_copy.html("maths.html")
    maths = built_copy.path / "docs" / "_ext" / "jaxguide_build" / "maths.py"
    code = maths.read_text(encoding="utf-8")
    probed = code.replace(
        "return NAMED_ENTITY.sub(", 'return "<!-- machinery probe -->" + NAMED_ENTITY.sub('
    )
    assert probed != code
    maths.write_text(probed, encoding="utf-8")
    again = built_copy.make("site")
    assert again.returncode == 0, again.output
    assert "<!-- machinery probe -->" in built_copy.html("maths.html"), again.output
