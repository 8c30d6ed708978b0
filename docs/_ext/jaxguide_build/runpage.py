"""Execute one page top to bottom, as the build would, and print its outputs.

For writers: ``make run PAGE=docs/jit-compilation.md`` (or
``python -m jaxguide_build.runpage docs/jit-compilation.md``). It runs the page in a
fresh kernel with the build's own runner (:func:`jaxguide_build.execution.execute`),
without Sphinx or the cache, prints each code cell with its outputs and the time it
took, and exits non-zero, naming the page and line, where the build would fail.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from jaxguide_build import execution


def output_text(output: nbformat.NotebookNode) -> str:
    """One output as text: a stream, an error, or the plainest form of a display."""
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


def show_cell(index: int, cell: nbformat.NotebookNode, seconds: float) -> None:
    tags = cell.metadata.get("tags", [])
    print(f"--- cell {index} ({seconds:.2f} s) tags={tags}\n{cell.source}")
    for output in cell.get("outputs", []):
        print(output_text(output).rstrip()[:3000])
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("--timeout", type=int, default=execution.cell_timeout())
    args = parser.parse_args(argv)
    outcome = execution.execute(args.page, timeout=args.timeout, on_cell=show_cell)
    if outcome.error is not None:
        print(f"FAILED {outcome.error}", file=sys.stderr)
        return 1
    print(f"--- {args.page}: {outcome.code_cells} code cells in {outcome.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
