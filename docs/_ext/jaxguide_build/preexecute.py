"""Execute the pages that the cache lacks, in parallel, before Sphinx reads them.

Sphinx's ``-j`` with jupyter-cache races (one SQLite database, kernel ports picked
then bound later). This runs first instead: each page whose code has no match in
the cache is executed by a worker process with its own kernel
(:func:`jaxguide_build.execution.execute`), pinned to its own CPU core so two pages
don't disturb each other's timings. Only this process writes to the cache, one page
at a time. Sphinx then finds every page in the cache and executes nothing.

Run as ``python -m jaxguide_build.preexecute docs`` (``make html`` does, through
:mod:`jaxguide_build.site`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from jaxguide_build import execution
from jaxguide_build.pages import notebook_pages, read_page


def missing_pages(cache_dir: Path, pages: list[Path]) -> list[Path]:
    """The pages whose code cells have no executed match in the cache."""
    cache = get_cache(str(cache_dir))
    missing = []
    for page in pages:
        try:
            cache.match_cache_notebook(read_page(page))
        except KeyError:
            missing.append(page)
    return missing


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
    """Execute what the cache lacks; 0 if every page ran cleanly, 1 otherwise."""
    root = srcdir.resolve().parent
    cache_dir = execution.prepare_cache(root)
    pages = notebook_pages(srcdir)
    missing = missing_pages(cache_dir, pages)
    print(
        f"preexecute: {len(pages)} pages, {len(pages) - len(missing)} cached, "
        f"{len(missing)} to execute on {jobs} worker(s)",
        flush=True,
    )
    if not missing:
        return 0
    cache = get_cache(str(cache_dir))
    # Kept beside the cache folders, so a new cache still knows how long pages took.
    timings_file = execution.cache_root(root) / "page-seconds.json"
    missing = longest_first(missing, timings_file)
    seconds: dict[str, float] = {}
    failures = []
    cores = sorted(os.sched_getaffinity(0))
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(missing)))) as pool:
        futures = [
            pool.submit(
                execution.execute,
                page,
                timeout=timeout,
                core=cores[i % len(cores)] if jobs > 1 else None,
            )
            for i, page in enumerate(missing)
        ]
        for future in as_completed(futures):
            outcome = future.result()
            name = outcome.page.relative_to(srcdir)
            if outcome.error is not None or outcome.notebook is None:
                failures.append(name)
                print(
                    f"preexecute: FAILED {name} after {outcome.seconds:.1f} s\n{outcome.error}",
                    file=sys.stderr,
                    flush=True,
                )
                continue
            cache.cache_notebook_bundle(
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
            seconds[outcome.page.name] = round(outcome.seconds, 1)
            print(f"preexecute: executed {name} in {outcome.seconds:.1f} s", flush=True)
    _remember(timings_file, seconds)
    if failures:
        print(
            f"preexecute: {len(failures)} page(s) failed: {', '.join(map(str, failures))}",
            file=sys.stderr,
        )
        return 1
    return 0


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
