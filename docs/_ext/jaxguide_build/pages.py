"""Which files under ``docs/`` are pages, and which pages are notebooks: one home.

conf.py's ``exclude_patterns`` is :data:`EXCLUDE_PATTERNS`, and the pre-executor
finds the notebooks to run with :func:`notebook_pages`, through Sphinx's own
pattern matcher, so the two can never disagree.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook
from myst_parser.config.main import MdParserConfig
from sphinx.util.matching import get_matching_files

#: Paths under docs/ that are not pages, each with the reason (Sphinx glob syntax).
EXCLUDE_PATTERNS: list[str] = [
    "_build",  # output, in case Sphinx is pointed at the root
    "_ext",  # the build machinery
    "_static",  # assets
    "_templates",  # templates
    "locales",  # translation catalogs
    "_notebooks",  # the pages as notebooks for Colab, written by `make notebooks`
    "**/.ipynb_checkpoints",  # Jupyter's autosaves
    # The rest of the repository, should someone point Sphinx at the root.
    ".venv",
    "src",
    "tests",
    "benchmarks",
    "README.md",
]
PAGE_SUFFIX = ".md"


def source_pages(srcdir: Path) -> list[Path]:
    """Every page Sphinx builds under ``srcdir``, in a stable order."""
    matched = get_matching_files(srcdir, [f"**{PAGE_SUFFIX}"], EXCLUDE_PATTERNS)
    return [srcdir / name for name in sorted(matched)]


def notebook_pages(srcdir: Path) -> list[Path]:
    """The pages that are MyST notebooks: the ones whose code cells run at build time."""
    return [
        page
        for page in source_pages(srcdir)
        if is_myst_markdown_notebook(page.read_text(encoding="utf-8"))
    ]


def read_page(path: Path) -> nbformat.NotebookNode:
    """Read a page as a notebook exactly as myst-nb does, so that cache keys match."""
    text = path.read_text(encoding="utf-8")
    notebook: nbformat.NotebookNode = read_myst_markdown_notebook(
        text, config=MdParserConfig(), add_source_map=True, path=str(path)
    )
    return notebook
