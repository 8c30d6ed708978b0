"""The execution report: one table of every executed page, made from the cache's own records.

The ``{execution-report}`` directive marks where the table goes. The table is made when
the page is written, after every page has been read (and, in a build that leaves
execution to myst-nb, executed), one row per notebook page
(:func:`jaxguide_build.pages.notebook_pages`), in the order of the site's toctree:

- code cells, and the page's ``execution_seconds``: its jupyter-cache record (the one
  this build's run found or wrote, while the page is unchanged, else matched afresh);
- cache hit or miss in this build: the pre-executor's record of its run
  (:class:`jaxguide_build.preexecute.RunRecord`), trusted only for the cache record it
  names, so a page changed since then reads as unknown, never as a stale verdict;
- status: a cache record means the page ran cleanly (nothing else is cached); a page
  the run names as failed, or one the cache lacks, says so;
- versions, machine and time: the "Executed with" line (:func:`jaxguide.executed_with`)
  in the cached notebook's outputs, so they are what the page really ran with.

The words are the edition's (:data:`WORDS`, like the outputs of :mod:`jaxguide.l10n`).
The report's page is read again on every build, since the cache and the run change
without its source changing. Every executed page's "Executed with" line links to its
row (:func:`link_executed_with`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from docutils import nodes
from jupyter_cache import get_cache
from jupyter_cache.cache.db import NbCacheRecord
from jupyter_cache.cache.main import JupyterCacheBase
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from jaxguide.l10n import LANGUAGES, Bilingual
from jaxguide_build import editions, execution, readerlang
from jaxguide_build.outputs import rewrite_html_outputs
from jaxguide_build.pages import notebook_pages, read_page
from jaxguide_build.preexecute import RunRecord, docname_of

#: The class of the paragraph that :func:`jaxguide.executed_with` shows.
EXECUTED_WITH = "jaxguide-executed-with"
_LINE = re.compile(rf'(<p class="{EXECUTED_WITH}">)(.*?)(</p>)', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_VERSION = re.compile(r"(?:jax|jaxlib|Python) \S+")
_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
#: What a cell shows where nothing is known.
UNKNOWN = "—"

#: Every word the table shows, in each language (the English first).
WORDS = {
    "page": Bilingual("Page", "页面"),
    "cells": Bilingual("Code cells", "代码单元格"),
    "seconds": Bilingual("Execution time (s)", "执行耗时（秒）"),
    "cache": Bilingual("Cache", "缓存"),
    "status": Bilingual("Status", "状态"),
    "versions": Bilingual("Versions", "版本"),
    "machine": Bilingual("Machine", "机器"),
    "at": Bilingual("Executed at", "执行时间"),
    "hit": Bilingual("hit", "命中"),
    "miss": Bilingual("miss", "未命中"),
    "executed": Bilingual("executed", "已执行"),
    "failed": Bilingual("failed", "失败"),
    "not-executed": Bilingual("not executed", "未执行"),
}
COLUMNS = ("page", "cells", "seconds", "cache", "status", "versions", "machine", "at")
NUMBERS = {"cells", "seconds"}


def in_language(text: Bilingual, hreflang: str) -> str:
    """``text`` in the language of ``hreflang`` (an edition's tag).

    Examples
    --------
    >>> in_language(WORDS["hit"], "zh-CN"), in_language(WORDS["hit"], "en")
    ('命中', 'hit')
    """
    return text.zh if hreflang == LANGUAGES[1] else text.en


# -- What ran each page ---------------------------------------------------------------


@dataclass(frozen=True)
class Ran:
    """What a page ran with, from its "Executed with" line, in one language."""

    versions: str
    machine: str
    at: str


def split_line(line: str) -> Ran:
    """Versions, machine and time (UTC) of an "Executed with" line.

    Examples
    --------
    >>> ran = split_line("Executed with jax 0.10.2 · jaxlib 0.10.2 · Python 3.11.7 · cpu ×8 "
    ...                  "· x64 off · x86_64, 1 of 2 CPU cores · 2026-11-28 13:45 UTC")
    >>> ran.versions, ran.machine, ran.at
    ('jax 0.10.2 · jaxlib 0.10.2 · Python 3.11.7', 'cpu ×8 · x64 off · x86_64, 1 of 2 CPU cores', '2026-11-28 13:45 UTC')
    >>> split_line("运行环境：jax 0.10.2 · jaxlib 0.10.2 · Python 3.11.7 · cpu ×1 · x64 关闭 "
    ...            "· x86_64，用了 2 个 CPU 核心中的 1 个 · 2026-11-28 13:45 UTC").versions
    'jax 0.10.2 · jaxlib 0.10.2 · Python 3.11.7'
    """
    parts = line.strip().split(" \u00b7 ")
    # The first part carries the line's opening words ("Executed with ", "运行环境：").
    first = re.search(r"jax \S+$", parts[0])
    parts[0] = first.group(0) if first else parts[0]
    versions = [part for part in parts if _VERSION.fullmatch(part)]
    at = parts[-1] if _TIME.fullmatch(parts[-1]) else ""
    machine = [part for part in parts if part not in versions and part != at]
    return Ran(" \u00b7 ".join(versions), " \u00b7 ".join(machine), at)


def executed_with(notebook: Any) -> dict[str, Ran]:
    """What ran an executed notebook, by language tag, from its "Executed with" output."""
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            markup = output.get("data", {}).get("text/html", "")
            markup = "".join(markup) if isinstance(markup, list) else markup
            found = _LINE.search(markup)
            if found:
                return {
                    lang: split_line(
                        html.unescape(_TAG.sub("", readerlang.keep_language(found[2], lang)))
                    )
                    for lang in LANGUAGES
                }
    return {}


# -- The rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One executed page, as the cache and this build's run record it."""

    docname: str
    cells: int | None  # code cells of the cached notebook
    seconds: float | None  # the cache record's execution_seconds
    cache: str  # "hit", "miss", or "" where this build's run does not say
    status: str  # "executed", "failed" or "not-executed"
    ran: dict[str, Ran]  # by language tag; empty if the page shows no "Executed with" line


def rows(srcdir: Path, cache_dir: Path, run: RunRecord | None) -> list[Row]:
    """A row for every notebook page under ``srcdir``, from the cache at ``cache_dir`` and
    the record of this build's run into it."""
    # get_cache would create a missing database; the report only reads.
    cache = get_cache(str(cache_dir)) if (cache_dir / "global.db").is_file() else None
    found = []
    for page in notebook_pages(srcdir):
        docname = docname_of(page, srcdir)
        record = None if cache is None else _record(cache, page, docname, run)
        if record is None:
            failed = run is not None and docname in run.failures
            status = "failed" if failed else "not-executed"
            found.append(Row(docname, None, None, "", status, {}))
            continue
        path = execution.cached_notebook(cache_dir, record.hashkey)
        notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
        seconds = (record.data or {}).get("execution_seconds")
        found.append(
            Row(
                docname,
                sum(1 for cell in notebook.cells if cell.cell_type == "code"),
                float(seconds) if seconds is not None else None,
                run.verdict(docname, record.hashkey) if run is not None else "",
                "executed",
                executed_with(notebook),
            )
        )
    return found


def _record(
    cache: JupyterCacheBase, page: Path, docname: str, run: RunRecord | None
) -> NbCacheRecord | None:
    """The cache record of ``page``'s current code, or None if the cache lacks it."""
    # Matching a page means parsing it to a notebook (seconds for the whole site): the
    # run's own match is used instead while the page is the one the run read.
    key = run.record_of(docname, page) if run is not None else None
    if key is not None:
        with suppress(KeyError):
            return NbCacheRecord.record_from_hashkey(key, cache.db)
    try:
        return cache.match_cache_notebook(read_page(page))
    except KeyError:
        return None


def toctree_order(env: BuildEnvironment, docnames: Iterable[str]) -> list[str]:
    """``docnames`` in the order a reader meets them in the toctree; the others last."""

    def walk(docname: str, seen: set[str]) -> Iterator[str]:
        if docname in seen:
            return
        seen.add(docname)
        yield docname
        for child in env.toctree_includes.get(docname, ()):
            yield from walk(child, seen)

    order = {name: i for i, name in enumerate(walk(env.config.root_doc, set()))}
    return sorted(docnames, key=lambda name: (order.get(name, len(order)), name))


def row_id(docname: str) -> str:
    """The id of a page's row in the report.

    Examples
    --------
    >>> row_id("jit-compilation"), row_id("guide/intro")
    ('executed-jit-compilation', 'executed-guide-intro')
    """
    return str(nodes.make_id(f"executed-{docname}"))


# -- The table --------------------------------------------------------------------------


# docutils has no type hints; its node classes are named in lower case.
class execution_report(nodes.General, nodes.Element):  # type: ignore[misc]
    """Where the report's table goes; replaced when the page is written."""


class ExecutionReport(SphinxDirective):
    """``{execution-report}``: the table of every executed page."""

    def run(self) -> list[nodes.Node]:
        reports(self.env).add(self.env.docname)
        return [execution_report()]


def reports(env: BuildEnvironment) -> set[str]:
    """The pages that hold the report (normally one), kept in the environment."""
    if not hasattr(env, "jaxguide_reports"):
        env.jaxguide_reports = set()  # type: ignore[attr-defined]
    found: set[str] = env.jaxguide_reports  # type: ignore[attr-defined]
    return found


def _entry(text: str | nodes.Node, *, number: bool = False) -> nodes.entry:
    content = nodes.Text(text) if isinstance(text, str) else text
    return nodes.entry("", nodes.paragraph("", "", content), classes=["num"] if number else [])


def _cells(app: Sphinx, docname: str, row: Row, hreflang: str) -> list[nodes.entry]:
    title = app.env.titles.get(row.docname)
    link = nodes.reference(
        "",
        title.astext() if title else row.docname,
        refuri=app.builder.get_relative_uri(docname, row.docname),
        internal=True,
    )
    ran = row.ran.get(hreflang)
    values = {
        "page": link,
        "cells": str(row.cells) if row.cells is not None else UNKNOWN,
        "seconds": f"{row.seconds:.1f}" if row.seconds is not None else UNKNOWN,
        "cache": in_language(WORDS[row.cache], hreflang) if row.cache else UNKNOWN,
        "status": in_language(WORDS[row.status], hreflang),
        "versions": ran.versions if ran else UNKNOWN,
        "machine": ran.machine if ran else UNKNOWN,
        "at": ran.at if ran else UNKNOWN,
    }
    return [_entry(values[c], number=c in NUMBERS) for c in COLUMNS]


def summary(run: RunRecord | None, pages: int) -> Bilingual:
    """The table's caption: what this build's pre-execution did.

    Examples
    --------
    >>> run = RunRecord("2026-11-28T13:45:12+00:00", 61.25, 2, {"a": "k1"}, {"b": "k2"}, [])
    >>> print(summary(run, 2))
    This build's pre-execution finished at 2026-11-28 13:45 UTC after 61.2 s: it executed 1 of 2 pages and took 1 from the cache.
    >>> summary(run, 2).zh
    '本次构建的预执行于 2026-11-28 13:45 UTC 完成，用时 61.2 秒：2 个页面中执行了 1 个，1 个取自缓存。'
    """
    if run is None:
        return Bilingual(
            "No pre-execution is recorded for this build, so the cache column is empty.",
            "本次构建没有预执行记录，因此“缓存”一列为空。",
        )
    at = run.finished[:16].replace("T", " ")
    en = (
        f"This build's pre-execution finished at {at} UTC after {run.seconds:.1f} s: it executed "
        f"{len(run.misses)} of {pages} pages and took {len(run.hits)} from the cache."
    )
    zh = (
        f"本次构建的预执行于 {at} UTC 完成，用时 {run.seconds:.1f} 秒：{pages} 个页面中执行了 "
        f"{len(run.misses)} 个，{len(run.hits)} 个取自缓存。"
    )
    if run.failures:
        en += f" {len(run.failures)} failed."
        zh += f"{len(run.failures)} 个失败。"
    return Bilingual(en, zh)


def table(app: Sphinx, docname: str, found: list[Row], run: RunRecord | None) -> nodes.table:
    """The report's table, as the page ``docname`` of this edition shows it."""
    hreflang = editions.find(app.config.jaxguide_edition).hreflang
    caption = nodes.title("", in_language(summary(run, len(found)), hreflang))
    group = nodes.tgroup(cols=len(COLUMNS))
    for column in COLUMNS:
        group += nodes.colspec(colwidth=1, stub=1 if column == "page" else 0)
    head = nodes.row("", *(_entry(in_language(WORDS[c], hreflang)) for c in COLUMNS))
    group += nodes.thead("", head)
    by_name = {row.docname: row for row in found}
    body = nodes.tbody()
    for name in toctree_order(app.env, by_name):
        body += nodes.row("", *_cells(app, docname, by_name[name], hreflang), ids=[row_id(name)])
    group += body
    # A table with a caption needs an id (Sphinx numbers captioned tables).
    return nodes.table(
        "", caption, group, classes=["jaxguide-report"], ids=["executed-pages-table"]
    )


def write_report(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(execution_report))
    if not placeholders:
        return
    cache_dir = execution.cache_path(Path(app.confdir))
    run = RunRecord.read(cache_dir)
    found = rows(Path(app.srcdir), cache_dir, run)
    for placeholder in placeholders:
        placeholder.replace_self(table(app, docname, found, run))


# -- The links to it --------------------------------------------------------------------


def link_line(markup: str, href: str) -> str:
    """``markup`` with the text of its "Executed with" paragraph made a link to ``href``.

    Examples
    --------
    >>> link_line('<p class="jaxguide-executed-with">Executed with jax 0.10.2</p>',
    ...           "execution-report.html#executed-index")
    '<p class="jaxguide-executed-with"><a href="execution-report.html#executed-index">Executed with jax 0.10.2</a></p>'
    """
    link = f'<a href="{html.escape(href)}">'
    return _LINE.sub(lambda m: f"{m[1]}{link}{m[2]}</a>{m[3]}", markup, count=1)


def link_executed_with(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Make the page's "Executed with" line a link to its row of the report."""
    holders = sorted(reports(app.env))
    if not holders:
        return
    href = f"{app.builder.get_relative_uri(docname, holders[0])}#{row_id(docname)}"
    rewrite_html_outputs(doctree, EXECUTED_WITH, lambda text: link_line(text, href))


# -- The environment --------------------------------------------------------------------


def read_every_build(
    app: Sphinx,  # noqa: ARG001  (Sphinx's event signature)
    env: BuildEnvironment,
    added: set[str],  # noqa: ARG001
    changed: set[str],  # noqa: ARG001
    removed: set[str],
) -> list[str]:
    """The report's page, on every build: the cache and the run change, its source doesn't."""
    return sorted(name for name in reports(env) if name not in removed and name in env.found_docs)


def forget_page(app: Sphinx, env: BuildEnvironment, docname: str) -> None:  # noqa: ARG001
    reports(env).discard(docname)


def merge_reports(
    app: Sphinx,  # noqa: ARG001  (Sphinx's event signature)
    env: BuildEnvironment,
    docnames: set[str],
    other: BuildEnvironment,
) -> None:
    reports(env).update(reports(other) & docnames)


def setup(app: Sphinx) -> None:
    app.add_node(execution_report)
    app.add_directive("execution-report", ExecutionReport)
    app.connect("env-get-outdated", read_every_build)
    app.connect("env-purge-doc", forget_page)
    app.connect("env-merge-info", merge_reports)
    app.connect("doctree-resolved", write_report)
    app.connect("doctree-resolved", link_executed_with)
