"""Run it yourself: a notebook of every executed page, for Colab.

Colab opens a notebook from a GitHub repository, never a MyST page, so the repository
carries one per executed page and edition, written by ``make notebooks``
(``python -m jaxguide_build.notebooks``): ``docs/_notebooks/<page>.ipynb`` for the
source edition, ``docs/_notebooks/<code>/<page>.ipynb`` for a translation. Sphinx does
not read them (``pages.EXCLUDE_PATTERNS``); tests/test_notebooks.py writes them again
into a temporary folder and fails when a committed one differs.

A notebook holds, without outputs (Colab runs them):

1. the set-up cell of :mod:`jaxguide_build.colabsetup`, which installs what the page
   needs in Colab and does nothing anywhere else;
2. a line that names the page on the site, where every output is shown;
3. the page's cells in order: its code cells character for character, hidden ones
   included (the build executed exactly these, top to bottom, in a fresh kernel), its
   markdown as Colab renders it (:mod:`jaxguide_build.colabmarkdown`);
4. notes that only a notebook needs: before every cell tagged ``raises-exception``
   (Colab's *Run all* stops at an error), and before a section that needs the
   reader's own machine (:data:`LOCAL_ONLY`).

A translated edition's notebook has the page's markdown in its language, message by
message from the page's catalog. A page whose catalog lacks a translation for one of
its messages gets no translated notebook: that edition's button opens the source
edition's notebook and says so, rather than a notebook in two languages.

The button that opens them, and where they live, is :mod:`jaxguide_build.colab`.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import nbformat
import sphinx
from sphinx.config import eval_config_file
from sphinx.util.tags import Tags

from jaxguide_build import catalogs, colabsetup, editions, links, pages
from jaxguide_build.colab import FOLDER, Repository, notebook_path
from jaxguide_build.colabmarkdown import Catalog, Converter, Section, sections_of

ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Words:
    """What a notebook says beyond its page, in one language."""

    intro: str  # {title}, {url}
    raises: str
    local_only: Mapping[str, str]  # label -> note; {readme}


WORDS = {
    "en": Words(
        intro=(
            "*This notebook is the page [{title}]({url}) of jaxguide, which shows every output "
            "as the site's build produced it. In Colab, run the first cell before the others; "
            "anywhere else it does nothing.*"
        ),
        raises=(
            "*The next cell raises an error on purpose, as on the page. Colab's **Run all** "
            "stops there: select the cell, then continue with **Runtime > Run after** "
            "(Ctrl+F10).*"
        ),
        local_only={
            "parallel-multi-process": (
                "**Run this section on your own machine.** It rehearses a program that spans "
                "several hosts: `jaxguide.run_processes` starts two Python processes that join "
                "over a socket on 127.0.0.1. It is written for a local machine (install jaxguide "
                "as its [README]({readme}) says, then open this notebook in Jupyter); in Colab it "
                "is untested and may fail or time out. Nothing after it on the page depends on it."
            ),
        },
    ),
    "zh-CN": Words(
        intro=(
            "*本笔记本对应 jaxguide 的页面[{title}]({url})，那里展示了构建本站时运行出的全部输出。"
            "在 Colab 中请先运行第一个单元格；在其他环境中它什么也不做。*"
        ),
        raises=(
            "*下一个单元格会故意抛出错误，和页面上一样。Colab 的“全部运行”（**Run all**）"
            "会停在那里：选中该单元格，再用“代码执行程序 > 运行后面的单元格”"
            "（**Runtime > Run after**，Ctrl+F10）继续。*"
        ),
        local_only={
            "parallel-multi-process": (
                "**请在自己的机器上运行这一节。** 它演练跨多台主机的程序："
                "`jaxguide.run_processes` 启动两个 Python 进程，它们通过 127.0.0.1 上的套接字"
                "连接在一起。这一节是为本地机器写的（按 [README]({readme}) 安装 jaxguide，"
                "再用 Jupyter 打开本笔记本）；在 Colab 中没有测试过，可能失败或超时。"
                "本页后面的内容都不依赖它。"
            ),
        },
    ),
}
#: Sections that need the reader's own machine, each preceded by a note (see WORDS).
LOCAL_ONLY = frozenset(WORDS["en"].local_only)


def words_for(edition: editions.Edition) -> Words:
    return WORDS.get(edition.hreflang, WORDS["en"])


@dataclass(frozen=True)
class Guide:
    """What every notebook reads from the repository, read once."""

    docs: Path
    repository: Repository
    docs_path: str  # docs/ relative to the repository's root (the theme's path_to_docs)
    site: links.Site
    project: colabsetup.Project
    sections: Mapping[str, Section]
    own_api: Callable[[str], bool]

    @classmethod
    def read(cls, root: Path) -> Guide:
        conf = eval_config_file(root / "conf.py", Tags())
        options = conf["html_theme_options"]
        import jaxguide  # noqa: PLC0415  (imports jax: only when notebooks are written)

        public = frozenset(jaxguide.__all__)
        docs = root / "docs"
        sections: dict[str, Section] = {}
        for source in pages.source_pages(docs):
            sections |= sections_of(source.stem, source.read_text(encoding="utf-8"))
        return cls(
            docs=docs,
            repository=Repository.from_theme(options),
            docs_path=str(options.get("path_to_docs", "docs")).strip("/"),
            site=links.Site(conf["jaxguide_site_url"], None),
            project=colabsetup.Project.read(root),
            sections=sections,
            own_api=lambda name: name.startswith("jaxguide.") and name.split(".")[1] in public,
        )


@cache
def read_catalog(path: Path) -> Catalog:
    return Catalog.read(path)


def sphinx_labels(edition: editions.Edition, docs: Path) -> Callable[[str], str]:
    """Sphinx's own words (admonition titles) in an edition's language, as on the site:
    our ``sphinx.po`` first, then Sphinx's."""
    if edition == editions.SOURCE:
        return lambda text: text
    ours = read_catalog(catalogs.catalog_dir(edition, docs) / "sphinx.po")
    theirs = read_catalog(
        Path(sphinx.__file__).parent / "locale" / edition.sphinx / "LC_MESSAGES" / "sphinx.po"
    )
    return lambda text: ours.translated.get(text) or theirs.translated.get(text) or text


@dataclass
class Built:
    notebook: nbformat.NotebookNode
    untranslated: list[str]
    messages: list[str]


def split_at_labels(source: str, labels: frozenset[str]) -> list[str]:
    """A markdown cell's source, split before each ``(label)=`` line of ``labels``."""
    parts: list[str] = []
    current: list[str] = []
    for line in source.split("\n"):
        if line.strip().removesuffix("=").strip("()") in labels and line.strip().endswith(")="):
            parts.append("\n".join(current))
            current = []
        current.append(line)
    parts.append("\n".join(current))
    return [part for part in parts if part.strip()]


def cell_id(kind: str, source: str, taken: set[str]) -> str:
    """A cell id from its content, so that regenerating a notebook changes only what changed."""
    digest = hashlib.sha1(f"{kind}\n{source}".encode(), usedforsecurity=False).hexdigest()
    ident, n = digest[:8], 1
    while ident in taken:
        n += 1
        ident = f"{digest[:8]}-{n}"
    taken.add(ident)
    return ident


def build(guide: Guide, page: Path, edition: editions.Edition) -> Built:
    """One page's notebook in one edition."""
    name = page.stem
    source = pages.read_page(page)
    words = words_for(edition)
    translated = edition != editions.SOURCE
    converter = Converter(
        page=name,
        edition_tag=f"edition_{edition.code.replace('-', '_')}",
        site=guide.site.base_url(edition.code),
        sections=guide.sections,
        catalogs=(
            (lambda p: read_catalog(catalogs.catalog_dir(edition, guide.docs) / f"{p}.po"))
            if translated
            else None
        ),
        labels=sphinx_labels(edition, guide.docs),
        own_api=guide.own_api,
    )
    code = [cell.source for cell in source.cells if cell.cell_type == "code"]
    setup = colabsetup.setup_cell(
        colabsetup.WORDS.get(edition.hreflang, colabsetup.WORDS["en"]),
        guide.project,
        guide.repository.pip(),
        colabsetup.page_packages(name, code, guide.project),
        cpu=colabsetup.simulates_devices(code),
    )
    title = next(s.title for s in guide.sections.values() if s.page == name)
    intro = words.intro.format(
        title=converter.inline(converter.translate(title, name)),
        url=f"{guide.site.base_url(edition.code)}{name}.html",
    )
    cells: list[tuple[str, str, dict[str, Any]]] = [("code", setup, {}), ("markdown", intro, {})]
    notes = {
        k: v.format(readme=f"{guide.repository.url}#readme") for k, v in words.local_only.items()
    }
    for cell in source.cells:
        if cell.cell_type == "code":
            if "raises-exception" in cell.metadata.get("tags", []):
                cells.append(("markdown", words.raises, {}))
            cells.append(("code", cell.source, dict(cell.metadata)))
            continue
        for part in split_at_labels(cell.source, LOCAL_ONLY):
            label = part.lstrip().split("\n", 1)[0].strip().removesuffix("=").strip("()")
            if label in notes:
                cells.append(("markdown", notes[label], {}))
            converted = converter.convert(part).strip("\n")
            if converted.strip():
                cells.append(("markdown", converted, {}))
    taken: set[str] = set()
    notebook = nbformat.v4.new_notebook(  # type: ignore[no-untyped-call]
        metadata={
            "kernelspec": dict(source.metadata["kernelspec"]),
            "language_info": {"name": "python"},
            "jaxguide": {
                "page": f"{guide.docs_path}/{page.name}",
                "edition": edition.code,
                "written_by": "make notebooks",
            },
        }
    )
    for kind, text, metadata in cells:
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        cell = make(source=text, metadata=metadata)  # type: ignore[no-untyped-call]
        cell["id"] = cell_id(kind, text, taken)
        notebook.cells.append(cell)
    return Built(notebook, converter.untranslated, converter.messages)


@dataclass
class Written:
    """What :func:`write` wrote, and which translated notebooks it left out."""

    files: list[Path]
    english_instead: dict[str, list[str]]  # edition code -> pages


def write(root: Path, out: Path) -> Written:
    """Write every executed page's notebooks into ``out`` (replacing the ones there)."""
    guide = Guide.read(root)
    for old in sorted(out.rglob("*.ipynb")) if out.exists() else []:
        old.unlink()
    written = Written([], {})
    for page in pages.notebook_pages(guide.docs):
        for edition in editions.EDITIONS:
            built = build(guide, page, edition)
            if built.untranslated:
                written.english_instead.setdefault(edition.code, []).append(page.stem)
                continue
            target = out / notebook_path(page.stem, edition).relative_to(FOLDER)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(nbformat.writes(built.notebook) + "\n", encoding="utf-8")  # type: ignore[no-untyped-call]
            written.files.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / FOLDER, help="default: docs/_notebooks"
    )
    args = parser.parse_args(argv)
    written = write(ROOT, args.out)
    print(f"notebooks: wrote {len(written.files)} into {args.out}")
    for code, missing in written.english_instead.items():
        print(
            f"notebooks: {code}: {len(missing)} page(s) not fully translated, whose button opens "
            f"the English notebook: {', '.join(missing)} (make gettext, translate, run again)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
