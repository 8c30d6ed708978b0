"""Executing pages: the cache they are kept in, the cell timeout, and the one runner.

myst-nb's cache (jupyter-cache) keys a page on its code cells alone. The outputs
also depend on the helper package and on the pinned versions, so the cache lives in
a folder named after a hash of :data:`CACHE_INPUTS`: a change to either starts a
fresh cache instead of showing stale outputs. The pre-executor
(:mod:`jaxguide_build.preexecute`) prunes the folders of older hashes and sets aside
a damaged one; Sphinx only reads the current one (:func:`use_current_cache`).

:func:`execute` runs one page in a fresh kernel and stops at the first problem: a
cell that raises (unless it is tagged ``raises-exception``), times out, kills its
kernel or writes to stderr. The pre-executor and ``runpage`` both use it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import textwrap
import time
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from sphinx.application import Sphinx
from sphinx.config import Config

from jaxguide_build.pages import read_page

REPO_ROOT = Path(__file__).resolve().parents[3]
#: What the executed outputs depend on besides a page's own code cells.
CACHE_INPUTS = ("src/jaxguide", "requirements.lock")
#: Seconds a cell may run before the build fails; ``$JAXGUIDE_CELL_TIMEOUT`` overrides it.
CELL_TIMEOUT_S = 180


def cell_timeout(environ: Mapping[str, str] = os.environ) -> int:
    """Seconds a cell may run: ``$JAXGUIDE_CELL_TIMEOUT``, or :data:`CELL_TIMEOUT_S`."""
    return int(environ.get("JAXGUIDE_CELL_TIMEOUT", CELL_TIMEOUT_S))


# -- The cache --------------------------------------------------------------------


def inputs_digest(root: Path = REPO_ROOT, inputs: tuple[str, ...] = CACHE_INPUTS) -> str:
    """Hash the files the executed outputs depend on, in a stable order."""
    digest = hashlib.sha256()
    for name in inputs:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts:
                continue
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]


def cache_root(root: Path = REPO_ROOT) -> Path:
    """Where execution caches live: ``$JAXGUIDE_CACHE_ROOT`` or ``_build/.jupyter_cache``."""
    override = os.environ.get("JAXGUIDE_CACHE_ROOT")
    return Path(override) if override else root / "_build" / ".jupyter_cache"


def cache_path(root: Path = REPO_ROOT) -> Path:
    """The cache folder for the current helper package and lock (nothing is changed)."""
    return cache_root(root) / inputs_digest(root)


def cached_notebook(path: Path, hashkey: str) -> Path:
    """The executed notebook of the record ``hashkey`` in the cache at ``path``.

    jupyter-cache's own reader (``get_cache_bundle``) writes to the database (it marks
    the record accessed); the cache's readers here only read.
    """
    return path / "executed" / hashkey / "base.ipynb"


def cache_problem(path: Path) -> str | None:
    """Why the execution cache at ``path`` can't be trusted, or None if it can."""
    db = path / "global.db"
    if not db.exists():
        return None if not (path / "executed").exists() else "its database is missing"
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            keys = [row[0] for row in conn.execute("SELECT hashkey FROM nbcache")]
    except sqlite3.Error as exc:
        return f"its database can't be read ({exc})"
    for key in keys:
        notebook = cached_notebook(path, key)
        try:
            json.loads(notebook.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return f"the cached notebook {notebook.name} of record {key} is damaged ({exc})"
    return None


def prepare_cache(root: Path = REPO_ROOT, report: Callable[[str], None] = print) -> Path:
    """The current cache folder, after setting aside a damaged one and pruning older ones."""
    base = cache_root(root)
    current = base / inputs_digest(root)
    problem = cache_problem(current) if current.exists() else None
    if problem:
        report(f"jaxguide: execution cache {current} is damaged: {problem}; executing again")
        shutil.rmtree(current, ignore_errors=True)
    if base.is_dir():
        for stale in base.iterdir():
            if stale.is_dir() and stale != current:
                report(f"jaxguide: pruning stale execution cache {stale.name}")
                shutil.rmtree(stale, ignore_errors=True)
    return current


def use_current_cache(app: Sphinx, config: Config) -> None:
    """Point myst-nb at the cache of the current inputs (it reads it in ``builder-inited``)."""
    if config.nb_execution_mode in {"cache", "inline"}:
        config.nb_execution_cache_path = str(cache_path(Path(app.confdir)))


# -- The runner ---------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")
FAILURE_KINDS = {
    "CellTimeoutError": "the cell timed out",
    "DeadKernelError": "the kernel died",
    "WroteToStderr": "the cell wrote to stderr",
}


class WroteToStderr(Exception):
    """A cell wrote to stderr: a warning, which the site must not show silently."""


@dataclass
class Outcome:
    """How one page's execution went."""

    page: Path
    seconds: float
    notebook: nbformat.NotebookNode | None
    error: str | None
    cell_seconds: list[float] = field(default_factory=list)

    @property
    def code_cells(self) -> int:
        return len(self.cell_seconds)


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
    kind = FAILURE_KINDS.get(type(exc).__name__, "the cell raised an error")
    source = textwrap.indent(nb.cells[index].source, "    ")
    return f"{page}:{line}: {kind} ({name})\n{source}\n{detail}"


def pin_to_core(core: int) -> None:
    """Pin every thread of this process to one core; the kernel it starts inherits that.

    Affinity belongs to threads on Linux, and the kernel may be started from a helper
    thread of the event loop, so pinning only the calling thread is not enough.
    """
    tasks = Path("/proc/self/task")
    threads = [int(t.name) for t in tasks.iterdir()] if tasks.is_dir() else [0]
    for thread in threads:
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            os.sched_setaffinity(thread, {core})


def execute(
    page: Path,
    *,
    timeout: int | None = None,
    core: int | None = None,
    on_cell: Callable[[int, nbformat.NotebookNode, float], None] | None = None,
) -> Outcome:
    """Run ``page`` top to bottom in a fresh kernel; stop at the first problem.

    ``core`` pins the kernel to one CPU core (two pages running side by side then
    don't disturb each other's timings); ``on_cell`` is called after each code cell
    with its index, the cell (outputs included) and the seconds it took.
    """
    if core is not None:
        pin_to_core(core)
    nb = read_page(page)
    seconds: list[float] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jaxguide-kernel-") as sockets:
        # IPC sockets rather than TCP ports: no port is picked, so none can be taken
        # by another kernel in between. nbclient needs an async manager, or its
        # per-cell timeout never fires.
        km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "k"))
        client = NotebookClient(
            nb,
            km=km,
            timeout=cell_timeout() if timeout is None else timeout,
            # Timestamps in cell metadata would change the cache key (it hashes metadata).
            record_timing=False,
            resources={"metadata": {"path": str(page.parent)}},
        )
        try:
            with client.setup_kernel():
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    began = time.perf_counter()
                    try:
                        client.execute_cell(cell, index)
                        stderr = stderr_of(cell)
                        if stderr:
                            # A warning (a deprecation, say) is never cached as if all were well.
                            raise WroteToStderr(stderr)
                    except Exception as exc:  # noqa: BLE001  (reported with its page)
                        message = describe_failure(page, nb, index, exc)
                        return Outcome(page, time.perf_counter() - start, None, message, seconds)
                    seconds.append(time.perf_counter() - began)
                    if on_cell is not None:
                        on_cell(index, cell, seconds[-1])
        finally:
            # We own the kernel manager, so nbclient leaves the kernel to us.
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
    return Outcome(page, time.perf_counter() - start, nb, None, seconds)


def setup(app: Sphinx) -> None:
    # Before myst-nb reads its configuration (builder-inited).
    app.connect("config-inited", use_current_cache)
