"""How well the site's search finds the right page, in every edition (``make bench-search``).

Each query of ``benchmarks/search_queries.json`` names the page that should answer it.
The built site is served on loopback and every query is typed into the search page of
its edition in Chromium, as a reader would. Printed per edition: the share of queries
whose page comes first, the share with it in the top 3, and the mean reciprocal rank.
Exits 1 if an edition misses the goal: first for at least 90 %, top 3 for all, MRR at
least 0.9. ``tests/test_browser.py`` runs a sample of the same queries.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from jaxguide_build import editions
from jaxguide_build.printpdf import CHROMIUM_ARGS, DEBIAN_CHROMIUM
from jaxguide_build.serve import ROOT, serve
from playwright.sync_api import Page, sync_playwright

QUERIES = Path(__file__).resolve().parent / "search_queries.json"
CHROMIUM = str(DEBIAN_CHROMIUM)
GOAL_FIRST, GOAL_TOP3, GOAL_MRR = 0.9, 1.0, 0.9


@dataclass(frozen=True)
class Outcome:
    """One query: the page that should answer it, and the pages the search listed."""

    query: str
    expected: str
    found: tuple[str, ...]

    @property
    def rank(self) -> int | None:
        """1 for the first result, None if the page is not listed."""
        return self.found.index(self.expected) + 1 if self.expected in self.found else None


@dataclass(frozen=True)
class Summary:
    first: float
    top3: float
    mrr: float
    queries: int

    @property
    def meets_goal(self) -> bool:
        return self.first >= GOAL_FIRST and self.top3 >= GOAL_TOP3 and self.mrr >= GOAL_MRR


def load_queries(path: Path = QUERIES) -> dict[str, list[tuple[str, str]]]:
    """Edition code -> [(query, expected page), …]."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {code: [(q["query"], q["page"]) for q in items] for code, items in data.items()}


def search(tab: Page, base_url: str, edition: str, query: str) -> tuple[str, ...]:
    """The pages the search page of ``edition`` lists for ``query``, in order, once each."""
    tab.goto(f"{base_url}/{edition}/search.html?q={quote(query)}")
    # The summary is written when the last result is shown (results appear one by one).
    tab.wait_for_function(
        "() => document.querySelector('#search-results p.search-summary')?.textContent.trim()",
        timeout=30_000,
    )
    hrefs = tab.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    pages = [urlsplit(href).path.removesuffix(".html") for href in hrefs]
    return tuple(dict.fromkeys(pages))


def summarize(outcomes: list[Outcome]) -> Summary:
    ranks = [o.rank for o in outcomes]
    count = len(outcomes)
    return Summary(
        first=sum(r == 1 for r in ranks) / count,
        top3=sum(r is not None and r <= 3 for r in ranks) / count,
        mrr=sum(1 / r for r in ranks if r) / count,
        queries=count,
    )


def run(site: Path, queries: dict[str, list[tuple[str, str]]]) -> dict[str, list[Outcome]]:
    results: dict[str, list[Outcome]] = {}
    with serve(site) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            for edition, items in queries.items():
                results[edition] = [
                    Outcome(query, page, search(tab, base_url, edition, query))
                    for query, page in items
                ]
        finally:
            browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--misses", action="store_true", help="list every query not ranked first")
    args = parser.parse_args(argv)
    queries = load_queries()
    missing = [code for code in queries if code not in {e.code for e in editions.EDITIONS}]
    if missing:
        print(f"search_queries.json names editions that do not exist: {missing}")
        return 2
    results = run(args.site, queries)
    print("| edition | queries | first | top 3 | MRR | goal |")
    print("|---|---:|---:|---:|---:|---|")
    ok = True
    for edition, outcomes in results.items():
        s = summarize(outcomes)
        ok = ok and s.meets_goal
        print(
            f"| {edition} | {s.queries} | {s.first:.0%} | {s.top3:.0%} | {s.mrr:.3f} "
            f"| {'met' if s.meets_goal else 'MISSED'} |"
        )
    for edition, outcomes in results.items():
        for o in outcomes:
            if args.misses and o.rank != 1:
                print(f"{edition}: {o.query!r} -> {o.expected} ranked {o.rank}; got {o.found[:3]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
