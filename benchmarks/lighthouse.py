"""Lighthouse scores for every page of both editions, next to a stock sphinx-book-theme page.

Run by ``make bench-pages`` after a build. The site is served from loopback with gzip
(`serve.py`); Lighthouse 12.2.3 (pinned in ``package.json``, installed on first use)
runs with its mobile defaults, simulated throttling included, ``--runs`` times per page.
The run with the median performance score stands for the page. A near-empty page built
with sphinx-book-theme's defaults, in a throwaway project, is measured the same way as
the reference. Prints a Markdown table and exits 1 if a page misses the goal.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jaxguide_build import editions
from jaxguide_build.serve import ROOT, serve

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
SITE = ROOT / "_build" / "html"
EDITIONS = tuple(edition.code for edition in editions.EDITIONS)
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The goal of issue 8, for every page of both editions.
GOAL = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
GOAL_KIB = 400
STOCK_NAME = "stock sphinx-book-theme page"
STOCK_PAGE = """\
Stock page
==========

A near-empty page, built with sphinx-book-theme and its default options.
"""


@dataclass(frozen=True)
class Result:
    """One page's scores (0-100), bytes transferred and first contentful paint."""

    page: str
    scores: dict[str, int]
    kib: float
    fcp_s: float
    problems: tuple[str, ...] = ()

    def misses(self) -> list[str]:
        """What falls short of the goal, in words; empty if the page meets it."""
        short = [
            f"{cat} {self.scores[cat]} < {need}"
            for cat, need in GOAL.items()
            if self.scores[cat] < need
        ]
        if self.kib > GOAL_KIB:
            short.append(f"{self.kib:.0f} KiB > {GOAL_KIB} KiB")
        return short


def ensure_lighthouse() -> None:
    """Install the pinned Lighthouse into benchmarks/node_modules if it is missing."""
    if LIGHTHOUSE.exists():
        return
    if shutil.which("npm") is None:
        msg = "benchmarks need Node.js and npm (e.g. `apt-get install nodejs npm`)"
        raise SystemExit(msg)
    command = "ci" if (HERE / "package-lock.json").exists() else "install"
    subprocess.run(["npm", command, "--no-audit", "--no-fund"], cwd=HERE, check=True)


def build_stock_page(workdir: Path) -> Path:
    """Build a one-page Sphinx project with sphinx-book-theme's defaults; return its HTML folder."""
    source = workdir / "stock-src"
    source.mkdir()
    (source / "conf.py").write_text(
        'project = "stock"\nhtml_theme = "sphinx_book_theme"\n', encoding="utf-8"
    )
    (source / "index.rst").write_text(STOCK_PAGE, encoding="utf-8")
    out = workdir / "stock"
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(source), str(out)], check=True
    )
    return out


def site_pages(site: Path, patterns: list[str]) -> list[str]:
    """Every HTML page of both editions (theme fragments under _static aside), as URL paths."""
    pages = sorted(
        path.relative_to(site).as_posix()
        for edition in EDITIONS
        for path in (site / edition).rglob("*.html")
        if "_static" not in path.relative_to(site).parts
    )
    if patterns:
        pages = [p for p in pages if any(fnmatch.fnmatch(p, pat) for pat in patterns)]
    return pages


def run_lighthouse(url: str, out: Path) -> dict[str, Any]:
    """One Lighthouse run; returns its report (the LHR)."""
    proc = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": CHROME},
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0 or not out.exists():
        msg = f"Lighthouse failed on {url} (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
        raise RuntimeError(msg)
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def summarize(page: str, report: dict[str, Any]) -> Result:
    audits = report["audits"]
    scores = {cat: round((report["categories"][cat]["score"] or 0) * 100) for cat in CATEGORIES}
    problems = [f"warning: {warning}" for warning in report.get("runWarnings", [])]
    if report.get("runtimeError"):
        problems.append(report["runtimeError"].get("message", "runtime error"))
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                problems.append(
                    f"{cat}: {ref['id']} ({audit.get('displayValue') or audit['score']})"
                )
    return Result(
        page=page,
        scores=scores,
        kib=audits["total-byte-weight"]["numericValue"] / 1024,
        fcp_s=audits["first-contentful-paint"]["numericValue"] / 1000,
        problems=tuple(problems),
    )


def measure(page: str, url: str, runs: int, workdir: Path) -> Result:
    """The run with the median performance score (then median FCP) stands for the page."""
    results = [summarize(page, run_lighthouse(url, workdir / "lhr.json")) for _ in range(runs)]
    median = statistics.median_low(r.scores["performance"] for r in results)
    chosen = sorted(
        (r for r in results if r.scores["performance"] == median), key=lambda r: r.fcp_s
    )
    return chosen[(len(chosen) - 1) // 2]


def table(results: list[Result]) -> str:
    lines = [
        "| page | perf | a11y | best practices | SEO | KiB transferred | FCP |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.page} | {r.scores['performance']} | {r.scores['accessibility']} "
        f"| {r.scores['best-practices']} | {r.scores['seo']} | {r.kib:.0f} | {r.fcp_s:.1f} s |"
        for r in results
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (3)")
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (_build/html)")
    parser.add_argument(
        "--pages", nargs="*", default=[], metavar="GLOB", help="only pages matching, e.g. 'en/*'"
    )
    parser.add_argument("--no-stock", action="store_true", help="skip the stock reference page")
    args = parser.parse_args(argv)
    if not (args.site / editions.SOURCE.code / "index.html").exists():
        msg = f"no built site in {args.site}: run `make html` first"
        raise SystemExit(msg)
    ensure_lighthouse()
    pages = site_pages(args.site, args.pages)
    # Simulated throttling scales the CPU work Chromium really did: a busy machine
    # lowers every performance score.
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load > cores / 2:
        print(f"warning: load average {load:.1f} on {cores} cores; scores will read low")
    reference: list[Result] = []
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="jaxguide-bench-") as tmp:
        workdir = Path(tmp)
        if not args.no_stock:
            stock = build_stock_page(workdir)
            with serve(stock) as url:
                print(f"measuring the stock sphinx-book-theme page ({args.runs} runs)", flush=True)
                reference.append(measure(STOCK_NAME, f"{url}/index.html", args.runs, workdir))
        with serve(args.site) as url:
            for number, page in enumerate(pages, 1):
                print(f"[{number}/{len(pages)}] {page}", flush=True)
                results.append(measure(page, f"{url}/{page}", args.runs, workdir))
    print()
    print(table(reference + results))
    missing = [(r, r.misses()) for r in results if r.misses()]
    print()
    if not missing:
        print(f"all {len(results)} pages meet the goal (median of {args.runs} runs)")
        return 0
    print(f"{len(missing)} of {len(results)} pages miss the goal:")
    for result, misses in missing:
        print(f"- {result.page}: {'; '.join(misses)}")
        for problem in result.problems:
            print(f"    {problem}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
