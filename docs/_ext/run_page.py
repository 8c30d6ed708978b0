"""Execute one MyST page top to bottom, as the build would, and print its outputs.

For writers: ``.venv/bin/python docs/_ext/run_page.py docs/jit-compilation.md``.
It runs the page in a fresh kernel without Sphinx or the cache, prints every
cell's outputs and the time each took, and exits non-zero if a cell that is not
tagged ``raises-exception`` fails or anything is written to stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from myst_nb.core.read import read_myst_markdown_notebook
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def load(path: Path) -> nbformat.NotebookNode:
    """Read a MyST markdown page as a notebook."""
    return read_myst_markdown_notebook(path.read_text(encoding="utf-8"), path=path)


def output_text(output: nbformat.NotebookNode) -> str:
    if output.output_type == "stream":
        return f"[{output.name}] {output.text}"
    if output.output_type == "error":
        return f"[error] {output.ename}: {output.evalue}"
    data = output.get("data", {})
    for mime in ("text/plain", "text/html", "image/png"):
        if mime in data:
            text = data[mime] if mime != "image/png" else "<png image>"
            return f"[{mime}] {text}"
    return f"[{output.output_type}]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("--timeout", type=int, default=180, help="per-cell timeout, seconds")
    args = parser.parse_args(argv)

    nb = load(args.page)
    client = NotebookClient(
        nb, timeout=args.timeout, kernel_name="python3", resources={"metadata": {"path": "."}}
    )
    problems: list[str] = []
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            tags = cell.metadata.get("tags", [])
            start = time.perf_counter()
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as exc:
                if "raises-exception" not in tags:
                    problems.append(f"cell {index}: unexpected error\n{exc}")
            took = time.perf_counter() - start
            print(f"--- cell {index} ({took:.2f} s) tags={tags}\n{cell.source}")
            for output in cell.get("outputs", []):
                print(output_text(output).rstrip()[:3000])
                if output.output_type == "stream" and output.name == "stderr":
                    problems.append(f"cell {index} wrote to stderr: {output.text[:500]}")
    for problem in problems:
        print(f"PROBLEM in {args.page}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
