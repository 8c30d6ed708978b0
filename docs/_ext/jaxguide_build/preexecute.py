"""Execute the pages that the cache lacks, in parallel, before Sphinx reads them.

Sphinx's ``-j`` with jupyter-cache races (one SQLite database, kernel ports picked
then bound later). This runs first instead: each page whose code has no match in
the cache is executed by a worker process with its own kernel
(:func:`jaxguide_build.execution.execute`), pinned to its own CPU core so two pages
don't disturb each other's timings. Only this process writes to the cache, one page
at a time. Sphinx then finds every page in the cache and executes nothing.

Each run leaves its :class:`RunRecord` beside the cache it filled: which pages it
found there (hits), which it executed (misses), which failed, and when it finished;
the execution report (:mod:`jaxguide_build.report`) reads it.

Run as ``python -m jaxguide_build.preexecute docs`` (``make html`` does, through
:mod:`jaxguide_build.site`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from jaxguide_build import execution
from jaxguide_build.pages import notebook_pages, read_page

#: The file, in the cache's folder, that records the last run.
RUN_RECORD = "jaxguide-run.json"


def docname_of(page: Path, srcdir: Path) -> str:
    """A page's name as Sphinx knows it: its path below ``srcdir``, without suffix."""
    return page.relative_to(srcdir).with_suffix("").as_posix()


def digest(page: Path) -> str:
    """The SHA-256 of a page's file."""
    return hashlib.sha256(page.read_bytes()).hexdigest()


@dataclass(frozen=True)
class RunRecord:
    """What one run did with each page (by docname), and when it finished (UTC, ISO 8601).

    ``hits`` and ``misses`` map a page to the hash key of the cache record it was found
    in or written to, so a reader can tell whether the record still is the page's.
    ``sources`` holds each page's :func:`digest` as the run read it: a reader may take the
    page's record from the run, without matching the page again, while it is unchanged.
    """

    finished: str
    seconds: float
    workers: int
    hits: dict[str, str] = field(default_factory=dict)
    misses: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def record_of(self, docname: str, page: Path) -> str | None:
        """The hash key of the cache record this run found or wrote for ``page``, or None
        if the run did not see the page as it is now."""
        if self.sources.get(docname) != digest(page):
            return None
        return self.hits.get(docname) or self.misses.get(docname)

    def verdict(self, docname: str, hashkey: str) -> str:
        """``"hit"`` or ``"miss"`` if this run found or wrote the record ``hashkey`` for the
        page, else ``""`` (the run did not see this version of the page)."""
        if self.hits.get(docname) == hashkey:
            return "hit"
        if self.misses.get(docname) == hashkey:
            return "miss"
        return ""

    def write(self, cache_dir: Path) -> None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(self), indent=1, sort_keys=True)
        (cache_dir / RUN_RECORD).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def read(cls, cache_dir: Path) -> RunRecord | None:
        """The record of the last run into ``cache_dir``, or None if there is none."""
        try:
            raw = json.loads((cache_dir / RUN_RECORD).read_text(encoding="utf-8"))
            return cls(**raw)
        except (OSError, ValueError, TypeError):
            return None

    @staticmethod
    def forget(cache_dir: Path) -> None:
        """Remove the record: this build executes without the pre-executor."""
        (cache_dir / RUN_RECORD).unlink(missing_ok=True)


def match_pages(cache_dir: Path, pages: list[Path]) -> tuple[dict[Path, str], list[Path]]:
    """The pages the cache holds, with their record's hash key, and the pages it lacks."""
    cache = get_cache(str(cache_dir))
    found = {}
    missing = []
    for page in pages:
        try:
            found[page] = cache.match_cache_notebook(read_page(page)).hashkey
        except KeyError:
            missing.append(page)
    return found, missing


def longest_first(pages: list[Path], timings_file: Path) -> list[Path]:
    """Pages in order of their last execution time, longest first (unknown ones by size).

    On few cores, starting the long pages first keeps every core busy to the end.
    """
    try:
        known = json.loads(timings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}

    def expected(page: Path) -> float:
        seconds = known.get(page.name)
        return float(seconds) if isinstance(seconds, int | float) else page.stat().st_size / 1e3

    return sorted(pages, key=expected, reverse=True)


def run(srcdir: Path, jobs: int, timeout: int | None = None) -> int:
    """Execute what the cache lacks and record the run; 0 if every page ran cleanly, 1 otherwise."""
    started = time.perf_counter()
    root = srcdir.resolve().parent
    cache_dir = execution.prepare_cache(root)
    pages = notebook_pages(srcdir)
    sources = {docname_of(page, srcdir): digest(page) for page in pages}
    found, missing = match_pages(cache_dir, pages)
    workers = max(1, min(jobs, len(missing)))
    print(
        f"preexecute: {len(pages)} pages, {len(found)} cached, "
        f"{len(missing)} to execute on {jobs} worker(s)",
        flush=True,
    )
    executed: dict[Path, str] = {}
    failures: list[Path] = []
    if missing:
        executed, failures = _execute(srcdir, cache_dir, missing, workers, jobs > 1, timeout)
    RunRecord(
        finished=datetime.now(UTC).isoformat(timespec="seconds"),
        seconds=round(time.perf_counter() - started, 3),
        workers=workers if missing else 0,
        hits={docname_of(page, srcdir): key for page, key in found.items()},
        misses={docname_of(page, srcdir): key for page, key in executed.items()},
        failures=sorted(docname_of(page, srcdir) for page in failures),
        sources=sources,
    ).write(cache_dir)
    if failures:
        print(
            f"preexecute: {len(failures)} page(s) failed: "
            f"{', '.join(str(page.relative_to(srcdir)) for page in failures)}",
            file=sys.stderr,
        )
        return 1
    return 0


def _execute(
    srcdir: Path, cache_dir: Path, missing: list[Path], workers: int, pin: bool, timeout: int | None
) -> tuple[dict[Path, str], list[Path]]:
    """Execute ``missing`` side by side and cache each page that ran cleanly.

    Returns the cached pages, each with its new record's hash key, and the failed pages.
    """
    cache = get_cache(str(cache_dir))
    # Kept beside the cache folders, so a new cache still knows how long pages took.
    timings_file = cache_dir.parent / "page-seconds.json"
    missing = longest_first(missing, timings_file)
    seconds: dict[str, float] = {}
    executed: dict[Path, str] = {}
    failures = []
    cores = sorted(os.sched_getaffinity(0))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(
                execution.execute,
                page,
                timeout=timeout,
                core=cores[i % len(cores)] if pin else None,
            )
            for i, page in enumerate(missing)
        ]
        for future in as_completed(futures):
            outcome = future.result()
            name = outcome.page.relative_to(srcdir)
            if outcome.error is not None or outcome.notebook is None:
                failures.append(outcome.page)
                print(
                    f"preexecute: FAILED {name} after {outcome.seconds:.1f} s\n{outcome.error}",
                    file=sys.stderr,
                    flush=True,
                )
                continue
            record = cache.cache_notebook_bundle(
                CacheBundleIn(
                    outcome.notebook,
                    str(outcome.page),
                    data={
                        "execution_seconds": outcome.seconds,
                        "cell_seconds": outcome.cell_seconds,
                    },
                ),
                check_validity=False,
                overwrite=True,
            )
            executed[outcome.page] = record.hashkey
            seconds[outcome.page.name] = round(outcome.seconds, 1)
            print(f"preexecute: executed {name} in {outcome.seconds:.1f} s", flush=True)
    _remember(timings_file, seconds)
    return executed, failures


def _remember(timings_file: Path, seconds: dict[str, float]) -> None:
    try:
        known = json.loads(timings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    timings_file.parent.mkdir(parents=True, exist_ok=True)
    timings_file.write_text(json.dumps({**known, **seconds}, indent=1, sort_keys=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("srcdir", type=Path)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--timeout", type=int, default=execution.cell_timeout())
    args = parser.parse_args(argv)
    return run(args.srcdir, args.jobs, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
