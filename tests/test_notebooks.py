"""Open in Colab: the committed notebooks, the button that opens them, and a real run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest
from jaxguide_build import colab, editions, notebooks, pages
from nbclient import NotebookClient
from sitebuild import ROOT, parsed

DOCS = ROOT / "docs"
COMMITTED = DOCS / colab.FOLDER


def test_the_committed_notebooks_are_what_make_notebooks_writes(tmp_path: Path) -> None:
    """A page, a translation or the lock edited without `make notebooks` fails here."""
    written = notebooks.write(ROOT, tmp_path)
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in written.files}
    committed = {p.relative_to(COMMITTED): p.read_bytes() for p in COMMITTED.rglob("*.ipynb")}
    assert len(fresh) == 2 * len(pages.notebook_pages(DOCS)), sorted(fresh)
    out_of_date = sorted(
        [f"stale: {p}" for p in fresh.keys() & committed.keys() if fresh[p] != committed[p]]
        + [f"missing: {p}" for p in fresh.keys() - committed.keys()]
        + [f"no longer written: {p}" for p in committed.keys() - fresh.keys()]
    )
    assert not out_of_date, "run `make notebooks` and commit docs/_notebooks:\n" + "\n".join(
        out_of_date
    )


def test_a_notebook_holds_the_pages_code_cells_in_order() -> None:
    page = DOCS / "jit-compilation.md"
    source = [c.source for c in pages.read_page(page).cells if c.cell_type == "code"]
    for edition in editions.EDITIONS:
        path = DOCS / colab.notebook_path(page.stem, edition)
        notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
        code = [c.source for c in notebook.cells if c.cell_type == "code"]
        assert "google.colab" in code[0]  # the set-up cell comes first
        assert code[1:] == source, edition.code


@pytest.mark.build
@pytest.mark.parametrize("edition", editions.EDITIONS, ids=lambda e: e.code)
def test_every_executed_page_opens_its_committed_notebook_in_colab(
    site: Path, edition: editions.Edition
) -> None:
    tracked = set(
        subprocess.run(
            ["git", "ls-files", "--", f"docs/{colab.FOLDER}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    executed = {p.stem for p in pages.notebook_pages(DOCS)}
    problems = []
    for html in sorted((site / edition.code).glob("*.html")):
        buttons = parsed(html).select("a.jaxguide-colab")
        if html.stem not in executed:
            if buttons:
                problems.append(f"{html.name}: a Colab button on a page that runs no code")
            continue
        if len(buttons) != 1:
            problems.append(f"{html.name}: {len(buttons)} Colab buttons")
            continue
        href = str(buttons[0]["href"])
        prefix = "https://colab.research.google.com/github/jaxguide/jaxguide/blob/main/"
        if not href.startswith(prefix):
            problems.append(f"{html.name}: {href}")
            continue
        wanted = f"docs/{colab.notebook_path(html.stem, edition)}"
        if href.removeprefix(prefix) != wanted or wanted not in tracked:
            problems.append(f"{html.name}: {href} (committed: {wanted in tracked})")
    assert not problems, "\n".join(problems)


@pytest.mark.build
@pytest.mark.parametrize(
    ("page", "code"), [("sharp-bits", "en"), ("random-numbers", "zh-cn")], ids=str
)
def test_a_notebook_runs_top_to_bottom_in_a_fresh_kernel(
    page: str, code: str, tmp_path: Path
) -> None:
    """Outside Colab the set-up cell does nothing; only the cells tagged raises-exception
    raise (nbclient lets those through, as Colab's "Run after" would)."""
    path = DOCS / colab.notebook_path(page, editions.find(code))
    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()
    errors = [
        cell.source.splitlines()[0]
        for cell in notebook.cells
        if cell.cell_type == "code"
        and any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        and "raises-exception" not in cell.metadata.get("tags", [])
    ]
    assert not errors, errors
    assert any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
