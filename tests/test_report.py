"""The execution report: every executed page, its numbers from the cache, hit or miss, and
the "Executed with" line of every page leading to its row."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup, Tag
from jaxguide_build import editions, execution, report
from jaxguide_build.pages import notebook_pages, read_page
from jaxguide_build.preexecute import RunRecord, digest, docname_of
from jupyter_cache import get_cache
from sitebuild import ROOT, RepoCopy

from jaxguide import Environment, ExecutedWith

ENVIRONMENT = Environment(
    python="3.11.7",
    jax="0.10.2",
    jaxlib="0.10.2",
    numpy="2.4.6",
    sphinx_book_theme="1.4.0",
    backend="cpu",
    device_kinds=("cpu",),
    device_count=1,
    x64=False,
    machine="x86_64",
    cores=(1, 2),
    executed_at=datetime(2026, 11, 28, 13, 45, tzinfo=UTC),
)


# -- Without a build ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_executed_with_line_splits_into_versions_machine_and_time(language: str) -> None:
    """The line's format is jaxguide.environment's; the report splits what it prints."""
    ran = report.split_line(ENVIRONMENT.short_line(language))
    assert ran.versions == "jax 0.10.2 · jaxlib 0.10.2 · Python 3.11.7"
    machine = (
        "x86_64, 1 of 2 CPU cores" if language == "en" else "x86_64，用了 2 个 CPU 核心中的 1 个"
    )
    off = "off" if language == "en" else "关闭"
    assert ran.machine == f"cpu ×1 · x64 {off} · {machine}"
    assert ran.at == "2026-11-28 13:45 UTC"


def test_what_ran_a_page_is_read_from_its_cached_output_in_both_languages() -> None:
    line = ExecutedWith(ENVIRONMENT.short_line(), ENVIRONMENT.short_line("zh"))
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "executed_with()",
                outputs=[
                    nbformat.v4.new_output(
                        "execute_result",
                        {"text/plain": repr(line), "text/html": line._repr_html_()},
                        execution_count=1,
                    )
                ],
            )
        ]
    )
    ran = report.executed_with(notebook)
    assert set(ran) == {e.hreflang for e in editions.EDITIONS}
    assert ran["en"].machine.endswith("x86_64, 1 of 2 CPU cores")
    assert ran["zh-CN"].machine.endswith("用了 2 个 CPU 核心中的 1 个")
    assert ran["zh-CN"].at == ran["en"].at == "2026-11-28 13:45 UTC"


def test_the_run_record_trusts_only_the_records_it_names(tmp_path: Path) -> None:
    run = RunRecord("2026-11-28T13:45:00+00:00", 3.5, 2, {"a": "k1"}, {"b": "k2"}, ["c"])
    run.write(tmp_path)
    again = RunRecord.read(tmp_path)
    assert again == run
    assert (again.verdict("a", "k1"), again.verdict("b", "k2")) == ("hit", "miss")
    # A page changed since the run has another record: the run says nothing about it.
    assert again.verdict("a", "k9") == ""
    RunRecord.forget(tmp_path)
    assert RunRecord.read(tmp_path) is None
    (tmp_path / "jaxguide-run.json").write_text("{not json", encoding="utf-8")
    assert RunRecord.read(tmp_path) is None


def test_the_run_names_a_pages_record_only_while_the_page_is_unchanged(tmp_path: Path) -> None:
    page = tmp_path / "a.md"
    page.write_text("# A\n", encoding="utf-8")
    run = RunRecord("2026-11-28T13:45:00+00:00", 3.5, 2, {"a": "k1"}, {}, [], {"a": digest(page)})
    assert run.record_of("a", page) == "k1"
    page.write_text("# A, edited\n", encoding="utf-8")
    assert run.record_of("a", page) is None


def test_the_line_becomes_a_link_around_its_text() -> None:
    markup = ExecutedWith("Executed with jax 0.10.2", "运行环境：jax 0.10.2")._repr_html_()
    linked = report.link_line(markup, "../execution-report.html#executed-guide-intro")
    assert linked.startswith(
        '<p class="jaxguide-executed-with"><a href="../execution-report.html#executed-guide-intro">'
        '<span class="jaxguide-l10n" lang="en">'
    )
    assert linked.endswith("</span></a></p>")


# -- A build, then a rebuild after one page changed ---------------------------------------

PAGE = """\
({name})=
# Page {name}

```{{code-cell}} ipython3
:tags: [remove-input]
from jaxguide import executed_with

executed_with()
```

```{{code-cell}} ipython3
print({value})
```
"""


def rows_of(html: str) -> dict[str, Tag]:
    table = BeautifulSoup(html, "html.parser").select_one("table.jaxguide-report")
    assert table is not None, "no execution report table"
    return {str(row["id"]): row for row in table.select("tbody tr")}


def columns(row: Tag) -> list[str]:
    return [cell.get_text(" ", strip=True) for cell in row.select("th, td")]


@pytest.mark.build
def test_report_counts_a_changed_page_as_a_miss_and_the_other_as_a_hit(
    repo_copy: RepoCopy,
) -> None:
    shutil.copy(ROOT / "docs" / "execution-report.md", repo_copy.docs)
    repo_copy.page("first.md", PAGE.format(name="first", value=1))
    second = repo_copy.page("second.md", PAGE.format(name="second", value=2))
    built = repo_copy.make("site")
    assert built.returncode == 0, built.output
    rows = rows_of(repo_copy.html("execution-report.html"))
    assert {columns(rows[f"executed-{n}"])[3] for n in ("first", "second")} == {"miss"}

    repo_copy.page("second.md", PAGE.format(name="second", value=3))
    rebuilt = repo_copy.make("site")
    assert rebuilt.returncode == 0, rebuilt.output
    html = repo_copy.html("execution-report.html")
    rows = rows_of(html)
    # Every notebook page has a row, and nothing else does.
    pages = notebook_pages(repo_copy.docs)
    assert set(rows) == {report.row_id(docname_of(page, repo_copy.docs)) for page in pages}
    assert columns(rows["executed-first"])[3] == "hit"
    assert columns(rows["executed-second"])[3] == "miss"
    assert "it executed 1 of 3 pages and took 2 from the cache" in html

    cache_dir = execution.cache_path(repo_copy.path)
    cache = get_cache(str(cache_dir))
    for name, page in (("first", repo_copy.docs / "first.md"), ("second", second)):
        record = cache.match_cache_notebook(read_page(page))
        page_name, cells, seconds, _, status, versions, machine, at = columns(
            rows[f"executed-{name}"]
        )
        assert page_name == f"Page {name}"
        assert int(cells) == len(record.data["cell_seconds"]) == 2
        assert seconds == f"{record.data['execution_seconds']:.1f}"
        assert status == "executed"
        assert versions.startswith("jax ")
        assert "CPU cores" in machine
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", at)
        # The page's line says the same, and leads to this row.
        line = BeautifulSoup(repo_copy.html(f"{name}.html"), "html.parser").select_one(
            ".jaxguide-executed-with a"
        )
        assert line is not None, f"{name}: the executed-with line is not a link"
        assert line["href"] == f"execution-report.html#executed-{name}"
        assert versions in line.get_text()
        assert at in line.get_text()


# -- The real site ------------------------------------------------------------------------


def built_editions(site: Path) -> list[editions.Edition]:
    return [e for e in editions.EDITIONS if (site / e.code / "execution-report.html").is_file()]


@pytest.mark.build
def test_report_lists_every_executed_page_with_the_cache_numbers(site: Path) -> None:
    docs = ROOT / "docs"
    cache_dir = execution.cache_path(ROOT)
    cache = get_cache(str(cache_dir))
    run = RunRecord.read(cache_dir)
    assert run is not None, "the pre-executor left no record of its run"
    for edition in built_editions(site):
        rows = rows_of((site / edition.code / "execution-report.html").read_text(encoding="utf-8"))
        pages = notebook_pages(docs)
        assert list(rows) == [
            report.row_id(name)
            for name in report_order(site / edition.code, [docname_of(p, docs) for p in pages])
        ]
        for page in pages:
            docname = docname_of(page, docs)
            record = cache.match_cache_notebook(read_page(page))
            cells = columns(rows[report.row_id(docname)])
            assert cells[1] == str(len(record.data["cell_seconds"])), docname
            assert cells[2] == f"{record.data['execution_seconds']:.1f}", docname
            verdict = run.verdict(docname, record.hashkey)
            assert verdict, f"{docname}: this build's run did not see its cache record"
            assert cells[3] == report.in_language(report.WORDS[verdict], edition.hreflang)


def report_order(edition: Path, docnames: list[str]) -> list[str]:
    """``docnames`` in the order of the edition's navigation (the toctree)."""
    nav = BeautifulSoup((edition / "index.html").read_text(encoding="utf-8"), "html.parser")
    order = ["index"] + [
        str(a["href"]).removesuffix(".html") for a in nav.select("nav.bd-docs-nav a.reference")
    ]
    return sorted(
        docnames, key=lambda name: (order.index(name) if name in order else len(order), name)
    )


@pytest.mark.build
def test_every_executed_with_line_links_to_its_row(site: Path) -> None:
    docs = ROOT / "docs"
    for edition in built_editions(site):
        ids = {
            str(tag["id"])
            for tag in BeautifulSoup(
                (site / edition.code / "execution-report.html").read_text(encoding="utf-8"),
                "html.parser",
            ).select("table.jaxguide-report tr[id]")
        }
        for page in notebook_pages(docs):
            docname = docname_of(page, docs)
            html = BeautifulSoup(
                (site / edition.code / f"{docname}.html").read_text(encoding="utf-8"),
                "html.parser",
            )
            link = html.select_one(".jaxguide-executed-with a")
            assert link is not None, f"{edition.code}/{docname}: the line is not a link"
            target, _, fragment = str(link["href"]).partition("#")
            assert target == "execution-report.html", target
            assert fragment == report.row_id(docname)
            assert fragment in ids
