"""Execute the pages that the cache lacks, in parallel, before Sphinx reads them.

Sphinx's ``-j`` with jupyter-cache races (one SQLite database, kernel ports picked
then bound later). This runs first instead: each page whose code has no match in
the cache is executed by a worker process with its own kernel, talking over IPC
sockets rather than TCP ports, and pinned to its own CPU core so two pages don't
disturb each other's timings. Only the parent process writes to the cache, one
page at a time. Sphinx then finds every page in the cache and executes nothing.

Run it as ``python docs/_ext/preexecute.py docs`` (``make html`` does).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import jaxguide_sphinx
import nbformat
from jaxguide_sphinx import read_page
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from myst_nb.core.read import is_myst_markdown_notebook
from nbclient import NotebookClient

EXCLUDED_DIRS = {"_ext", "_static", "_templates", "locales", ".ipynb_checkpoints"}


@dataclass
class Outcome:
    page: Path
    seconds: float
    notebook: nbformat.NotebookNode | None
    error: str | None


def find_pages(srcdir: Path) -> list[Path]:
    """Every MyST notebook page under ``srcdir``, in a stable order."""
    pages = []
    for path in sorted(srcdir.rglob("*.md")):
        if EXCLUDED_DIRS.intersection(path.relative_to(srcdir).parts):
            continue
        if is_myst_markdown_notebook(path.read_text(encoding="utf-8")):
            pages.append(path)
    return pages


ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


class WroteToStderr(Exception):
    """A cell wrote to stderr: a warning, which the site must not show silently."""


def stderr_of(cell: nbformat.NotebookNode) -> str:
    return "".join(
        out.get("text", "")
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    )


def first_code_line(page: Path, nb: nbformat.NotebookNode, index: int) -> int:
    """The line of the page (1-based) where cell ``index``'s code starts, or 0 if unknown.

    The notebook's source map points at the cell's opening fence; options such as
    ``:tags:`` come between the fence and the code.
    """
    starts: list[int] = list(nb.metadata.get("source_map") or [])
    if index >= len(starts):
        return 0
    fence = int(starts[index])
    lines = page.read_text(encoding="utf-8").splitlines()
    code = str(nb.cells[index].source).splitlines()
    first = code[0] if code else ""
    for number in range(fence, min(len(lines), fence + 50)):
        if lines[number] == first:
            return number + 1
    return fence + 1


def describe_failure(page: Path, nb: nbformat.NotebookNode, index: int, exc: Exception) -> str:
    """Name the page, the failing line in the page and what went wrong."""
    line = first_code_line(page, nb, index)
    detail = ANSI.sub("", str(exc))
    found = CELL_LINE.findall(detail)
    if found and line:
        line += int(found[-1]) - 1
    # nbclient wraps the cell's own exception; name the one the cell raised.
    name = getattr(exc, "ename", None) or type(exc).__name__
    kind = {
        "CellTimeoutError": "the cell timed out",
        "DeadKernelError": "the kernel died",
        "WroteToStderr": "the cell wrote to stderr",
    }.get(type(exc).__name__, "the cell raised an error")
    source = textwrap.indent(nb.cells[index].source, "    ")
    return f"{page}:{line}: {kind} ({name})\n{source}\n{detail}"


def execute(page: Path, timeout: int, core: int | None) -> Outcome:
    """Run one page in a fresh kernel (in a worker process)."""
    if core is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})  # the kernel inherits it
    nb = read_page(page)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jaxguide-kernel-") as sockets:
        # nbclient needs an async manager, or its per-cell timeout never fires.
        km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "k"))
        client = NotebookClient(
            nb,
            km=km,
            timeout=timeout,
            # Timestamps in cell metadata would change the cache key (it hashes metadata).
            record_timing=False,
            resources={"metadata": {"path": str(page.parent)}},
        )
        try:
            with client.setup_kernel():
                for index, cell in enumerate(nb.cells):
                    try:
                        client.execute_cell(cell, index)
                    except Exception as exc:  # noqa: BLE001  (reported with its page)
                        message = describe_failure(page, nb, index, exc)
                        return Outcome(page, time.perf_counter() - start, None, message)
                    stderr = stderr_of(cell)
                    if stderr:
                        # A warning (a deprecation, say) is never cached as if all were well.
                        message = describe_failure(page, nb, index, WroteToStderr(stderr))
                        return Outcome(page, time.perf_counter() - start, None, message)
        finally:
            # We own the kernel manager, so nbclient leaves the kernel to us.
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
    return Outcome(page, time.perf_counter() - start, nb, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("srcdir", type=Path)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--timeout", type=int, default=jaxguide_sphinx.cell_timeout())
    args = parser.parse_args(argv)

    cache = get_cache(str(jaxguide_sphinx.execution_cache_path()))
    missing = []
    for page in find_pages(args.srcdir):
        try:
            cache.match_cache_notebook(read_page(page))
        except KeyError:
            missing.append(page)
    pages = find_pages(args.srcdir)
    print(
        f"preexecute: {len(pages)} pages, {len(pages) - len(missing)} cached, "
        f"{len(missing)} to execute on {args.jobs} worker(s)",
        flush=True,
    )

    failures = []
    cores = sorted(os.sched_getaffinity(0))
    with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, len(missing) or 1))) as pool:
        futures = [
            pool.submit(
                execute, page, args.timeout, cores[i % len(cores)] if args.jobs > 1 else None
            )
            for i, page in enumerate(missing)
        ]
        for future in as_completed(futures):
            outcome = future.result()
            name = outcome.page.relative_to(args.srcdir)
            if outcome.error is not None:
                failures.append(outcome)
                print(
                    f"preexecute: FAILED {name} after {outcome.seconds:.1f} s\n{outcome.error}",
                    file=sys.stderr,
                    flush=True,
                )
                continue
            assert outcome.notebook is not None
            cache.cache_notebook_bundle(
                CacheBundleIn(
                    outcome.notebook, str(outcome.page), data={"execution_seconds": outcome.seconds}
                ),
                check_validity=False,
                overwrite=True,
            )
            print(f"preexecute: executed {name} in {outcome.seconds:.1f} s", flush=True)
    if failures:
        names = ", ".join(str(f.page.relative_to(args.srcdir)) for f in failures)
        print(f"preexecute: {len(failures)} page(s) failed: {names}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
