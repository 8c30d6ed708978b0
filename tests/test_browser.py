"""The built site in a real browser: search, copy button, dark mode, navigation, errors, axe.

Debian's Chromium, driven by Playwright, loads every page of both editions from a
server on loopback (`jaxguide_build.serve`, the one the Lighthouse benchmark uses).
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

# benchmarks/search.py: the benchmark's queries, typed into the search page the same way.
import search as search_bench
from axe_playwright_python.sync_playwright import Axe
from jaxguide_build import cssbundle, editions, plaincode
from jaxguide_build.printpdf import CHROMIUM_ARGS, DEBIAN_CHROMIUM
from jaxguide_build.serve import serve
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    ViewportSize,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError
from sitebuild import ROOT

pytestmark = pytest.mark.build

CHROMIUM = str(DEBIAN_CHROMIUM)
EDITIONS = tuple(edition.code for edition in editions.EDITIONS)
SERIOUS = ("serious", "critical")
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
# Browsers that share the every-page checks: axe-core keeps one core busy per page.
WORKERS = 2


def site_pages(site: Path) -> list[str]:
    """Every page of both editions, as paths below the server root."""
    return sorted(
        path.relative_to(site).as_posix()
        for edition in EDITIONS
        for path in (site / edition).rglob("*.html")
        if "_static" not in path.relative_to(site).parts
    )


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


def _launch(playwright: Playwright) -> Browser:
    try:
        return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except PlaywrightError as exc:
        msg = (
            f"Chromium did not start from {CHROMIUM}: install it with "
            f"`apt-get install chromium` (Playwright's own download is not used).\n{exc}"
        )
        pytest.fail(msg)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = _launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    """One context for the whole module; reduced motion so anchors jump instead of gliding."""
    ctx = browser.new_context(viewport=VIEWPORT, reduced_motion="reduce", color_scheme="light")
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def page(context: BrowserContext) -> Page:
    return context.new_page()


@dataclass
class Visit:
    """What one page did while it loaded, and what axe-core said about it."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


# A highlighted token's colours and role follow from its class and its ancestors'
# (Pygments' rules are class selectors; a token is a bare <span>), so axe checks one
# token per class and ancestry on each page, in both modes, not all of the 2,000 or so a
# code-heavy page has: contrast on those tokens dominated each visit (jit-compilation:
# contrast 4.9 s -> 3.0 s; a light-mode visit, every rule, 6.9 s -> 5.6 s).
_MARK_REPEATED_TOKENS = """() => {
  const seen = new Set();
  for (const token of document.querySelectorAll("pre span")) {
    const chain = [];
    for (let e = token; e && e !== document.body; e = e.parentElement) {
      chain.push(e.tagName + "." + e.className);
    }
    const key = chain.join("<");
    if (seen.has(key)) token.setAttribute("data-repeated-token", "");
    else seen.add(key);
  }
}"""


def _visit(page: Page, url: str, axe_options: dict[str, Any]) -> Visit:
    """Load `url`, recording errors and requests, then run axe-core on it."""
    visit = Visit()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            visit.errors.append(f"console error: {message.text}")

    def on_failed(request: Request) -> None:
        visit.errors.append(f"request failed: {request.url} ({request.failure})")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            visit.errors.append(f"HTTP {response.status}: {response.url}")

    handlers: list[tuple[str, Any]] = [
        ("console", on_console),
        ("pageerror", lambda exc: visit.errors.append(f"uncaught: {exc}")),
        ("requestfailed", on_failed),
        ("response", on_response),
        ("request", lambda request: visit.requests.append(request.url)),
    ]
    for event, handler in handlers:
        page.on(event, handler)
    try:
        page.goto(url, wait_until="load")
    finally:
        for event, handler in handlers:
            page.remove_listener(event, handler)
    # No preload: axe would fetch @import-ed stylesheets itself, from the wrong folder.
    options = {**axe_options, "resultTypes": ["violations"], "preload": False}
    page.evaluate(_MARK_REPEATED_TOKENS)
    context = {"exclude": [["[data-repeated-token]"]]}
    result = Axe().run(page, context=context, options=options)
    visit.violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in result.response["violations"]
        if v["impact"] in SERIOUS
    ]
    return visit


def _visit_all(pages: list[str], base_url: str, out: dict[tuple[str, str], Visit]) -> None:
    """Each page in light mode (every axe rule), then in dark mode (contrast only)."""
    with sync_playwright() as playwright:
        chromium = _launch(playwright)
        try:
            for scheme, axe_options in (("light", {}), ("dark", {"runOnly": ["color-contrast"]})):
                tab = chromium.new_page(viewport=VIEWPORT, color_scheme=scheme)
                for path in pages:
                    visit = _visit(tab, f"{base_url}/{path}", axe_options)
                    shown = tab.evaluate("document.documentElement.dataset.theme")
                    if shown != scheme:
                        visit.errors.append(f"shown in {shown} mode, not {scheme}")
                    out[scheme, path] = visit
                tab.context.close()
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def visits(site: Path, base_url: str) -> dict[tuple[str, str], Visit]:
    """Every page of both editions in both colour modes, keyed by (mode, page).

    axe-core's contrast check dominates the time, so two browsers share the pages.
    """
    pages = site_pages(site)
    out: dict[tuple[str, str], Visit] = {}
    failures: list[BaseException] = []

    def work(share: list[str]) -> None:
        try:
            _visit_all(share, base_url, out)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread below
            failures.append(exc)

    threads = [
        threading.Thread(target=work, args=(pages[i::WORKERS],), name=f"browser-{i}")
        for i in range(WORKERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return out


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{page}:\n" + "\n".join(f"    {p}" for p in found) for page, found in problems.items()
    )


# -- Every page ----------------------------------------------------------------


def test_every_page_loads_without_errors(
    visits: dict[tuple[str, str], Visit], base_url: str
) -> None:
    problems = {f"{mode} {page}": v.errors for (mode, page), v in visits.items() if v.errors}
    assert not problems, "pages with errors on load:\n" + _report(problems)
    host = urlsplit(base_url).netloc
    foreign = {
        f"{mode} {page}": sorted(
            {
                url
                for url in visit.requests
                if urlsplit(url).scheme not in {"data", "blob"} and urlsplit(url).netloc != host
            }
        )
        for (mode, page), visit in visits.items()
    }
    foreign = {page: urls for page, urls in foreign.items() if urls}
    assert not foreign, "pages that reach other hosts:\n" + _report(foreign)


def test_pages_load_only_what_they_use(visits: dict[tuple[str, str], Visit]) -> None:
    """Guards for page speed (`make bench-pages`): no icon font or icon script, and the
    search index only where it is searched."""
    problems: dict[str, list[str]] = {}
    for (mode, page), visit in visits.items():
        paths = [urlsplit(url).path for url in visit.requests]
        found = [p for p in paths if "fontawesome" in p]
        if not page.endswith("/search.html"):
            found += [p for p in paths if p.endswith(("/searchindex.js", "/searchtools.js"))]
        if found:
            problems[f"{mode} {page}"] = found
    assert not problems, "pages loading what they do not need:\n" + _report(problems)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_page_passes_axe(visits: dict[tuple[str, str], Visit], mode: str) -> None:
    """Every axe-core rule in light mode; in dark mode, the colours (contrast) only."""
    problems = {page: v.violations for (m, page), v in visits.items() if m == mode and v.violations}
    assert not problems, f"serious or critical axe-core violations in {mode} mode:\n" + _report(
        problems
    )


# -- Search --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edition", "query"), [("en", "grad"), ("zh-cn", "自动微分")], ids=["en-grad", "zh-cn-自动微分"]
)
def test_search_finds_autodiff_first(page: Page, base_url: str, edition: str, query: str) -> None:
    """Typed into the search box on the home page, the query lands on the results page."""
    page.goto(f"{base_url}/{edition}/index.html")
    page.locator("button.search-button-field").filter(visible=True).first.click()
    box = page.locator("#pst-search-dialog input[name=q]")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\.html\?q="))
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for()
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs[0].split("#")[0] == "automatic-differentiation.html", (
        f"searching {edition} for {query!r} lists first: {hrefs[:5]}"
    )


# Every SAMPLE-th query of the benchmark's set (`make bench-search` runs them all).
SAMPLE = 4


def _sampled_queries() -> list[tuple[str, str, str]]:
    return [
        (edition, query, expected)
        for edition, items in search_bench.load_queries().items()
        for query, expected in items[::SAMPLE]
    ]


def test_search_ranks_the_answering_page_in_the_top_three(page: Page, base_url: str) -> None:
    """A sample of the search benchmark's reader queries, in both editions: the page that
    answers each is among the first three results (the goal holds for all of them)."""
    misses = []
    for edition, query, expected in _sampled_queries():
        found = search_bench.search(page, base_url, edition, query)
        if expected not in found[:3]:
            misses.append(f"{edition}: {query!r} should find {expected}; got {found[:3]}")
    assert not misses, "\n".join(misses)


@pytest.mark.parametrize(
    ("edition", "query", "teacher", "denser"),
    [
        ("zh-cn", "设备网格", "parallelism-devices", "explicit-sharding"),
        ("zh-cn", "Mesh", "parallelism-devices", "explicit-sharding"),
        ("en", "gradient", "automatic-differentiation", "advanced-autodiff"),
    ],
)
def test_a_glossary_term_finds_the_page_that_teaches_it_first(
    page: Page, base_url: str, edition: str, query: str, teacher: str, denser: str
) -> None:
    """The glossary names the page that teaches each term (searchweights.TAUGHT): it
    comes first, above a page that uses the word more often."""
    found = search_bench.search(page, base_url, edition, query)
    assert found[:1] == (teacher,), f"{edition}: {query!r} lists {found[:3]}"
    assert denser in found, f"{edition}: {query!r} should still list {denser}: {found}"


# -- Copy button -----------------------------------------------------------------


def test_copy_button_copies_code_without_prompts_or_output(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/en/jit-compilation.html")
    answer = page.locator("details.sd-dropdown").filter(has=page.locator("pre .gp")).first
    answer.locator("summary").click()
    block = answer.locator("div.highlight").filter(has=page.locator(".gp")).first
    shown = block.locator("pre").inner_text()
    expected = "\n".join(
        line[4:] for line in shown.splitlines() if line.startswith((">>> ", "... "))
    )
    assert expected, "the answer's code block has no >>> prompts"
    block.hover()
    block.locator("button.copybtn").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.rstrip("\n") == expected, f"copied:\n{copied}"
    assert not re.search(r"^(>>>|\.\.\.) ", copied, re.MULTILINE)


# -- Dark mode --------------------------------------------------------------------


def _png_is_transparent_at_corners(data: bytes) -> bool:
    """Whether all four corner pixels of a PNG are fully transparent."""
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(data), format="png")
    if pixels.ndim != 3 or pixels.shape[2] != 4:
        return False
    corners = [pixels[0, 0], pixels[0, -1], pixels[-1, 0], pixels[-1, -1]]
    return all(float(corner[3]) == 0.0 for corner in corners)


def test_dark_mode_switches_persists_and_keeps_plots_legible(
    browser: Browser, base_url: str
) -> None:
    ctx = browser.new_context(viewport=VIEWPORT, color_scheme="light")
    try:
        tab = ctx.new_page()
        tab.goto(f"{base_url}/en/jit-compilation.html")
        html = tab.locator("html")
        assert html.get_attribute("data-theme") == "light"
        tab.locator("button.theme-switch-button").filter(visible=True).first.click()
        tab.locator("button.theme-change-button[data-mode=dark]").filter(visible=True).click()
        assert html.get_attribute("data-theme") == "dark"
        tab.reload()
        assert html.get_attribute("data-theme") == "dark", (
            "the dark choice did not survive a reload"
        )

        plots = tab.locator("div.cell_output img")
        assert plots.count() > 0, "expected a plot on the jit page"
        for index in range(plots.count()):
            plot = plots.nth(index)
            src = plot.get_attribute("src") or ""
            response = tab.request.get(f"{base_url}/en/{quote(src)}")
            assert _png_is_transparent_at_corners(response.body()), f"{src}: opaque background"
            background = plot.evaluate("img => getComputedStyle(img).backgroundColor")
            assert background in {"transparent", "rgba(0, 0, 0, 0)"}, (
                f"{src}: drawn on {background} in dark mode"
            )
    finally:
        ctx.close()


# -- Navigation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["en/index.html", "en/jit-compilation.html", "zh-cn/jit-compilation.html", "en/glossary.html"],
)
def test_language_switcher_keeps_the_page(page: Page, base_url: str, path: str) -> None:
    edition, name = path.split("/", 1)
    other = next(e for e in EDITIONS if e != edition)
    page.goto(f"{base_url}/{path}")
    page.locator("nav.jaxguide-language a").filter(visible=True).first.click()
    page.wait_for_url(f"{base_url}/{other}/{name}")


def _reading_order(page: Page, base_url: str, edition: str) -> list[str]:
    page.goto(f"{base_url}/{edition}/index.html")
    hrefs = page.locator("nav.bd-docs-nav a.reference.internal").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return ["index.html", *dict.fromkeys(h.split("#")[0] for h in hrefs)]


@pytest.mark.parametrize("edition", EDITIONS)
def test_next_and_previous_follow_the_toctree(page: Page, base_url: str, edition: str) -> None:
    """Forward by "next" from the first page to the last, then back by "previous": each
    link is followed once, and each click lands where the toctree says."""
    order = _reading_order(page, base_url, edition)
    page.goto(f"{base_url}/{edition}/{order[0]}")
    for link, walk in (("a.right-next", order[1:]), ("a.left-prev", order[-2::-1])):
        for there in walk:
            page.locator(link).click()
            page.wait_for_url(f"{base_url}/{edition}/{there}")


def _anchors() -> dict[str, list[str]]:
    """tests/anchors.txt as page -> its fragments."""
    anchors: dict[str, list[str]] = {}
    for line in (ROOT / "tests" / "anchors.txt").read_text(encoding="utf-8").splitlines():
        page, _, fragment = line.strip().partition("#")
        if page:
            anchors.setdefault(page, [])
            if fragment:
                anchors[page].append(fragment)
    return anchors


# Jump to each fragment, then check that its heading (or the labelled element itself)
# is on screen and is what the reader sees there, not the sticky header.
_IN_VIEW = """async (fragments) => {
  const hidden = [];
  for (const fragment of fragments) {
    location.hash = fragment;
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const target = document.getElementById(fragment);
    if (!target) { hidden.push(fragment + " (missing)"); continue; }
    const heading = target.matches("section")
      ? target.querySelector(":scope > h1, :scope > h2, :scope > h3, :scope > h4") : target;
    const box = (heading || target).getBoundingClientRect();
    const x = Math.min(Math.max(box.left + 4, 0), innerWidth - 1);
    const y = Math.min(Math.max(box.top + Math.min(box.height, 24) / 2, 0), innerHeight - 1);
    const seen = document.elementFromPoint(x, y);
    if (box.top < 0 || box.top >= innerHeight || !(heading || target).contains(seen)) {
      hidden.push(`${fragment} (top ${Math.round(box.top)}, covered by ${seen && seen.className})`);
    }
  }
  return hidden;
}"""


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_contract_anchor_scrolls_into_view(page: Page, base_url: str, edition: str) -> None:
    problems: dict[str, list[str]] = {}
    for name, fragments in _anchors().items():
        page.goto(f"{base_url}/{edition}/{name}")
        hidden = page.evaluate(_IN_VIEW, fragments)
        if hidden:
            problems[name] = hidden
    assert not problems, f"anchors not scrolled into view ({edition}):\n" + _report(problems)


# -- One stylesheet (docs/_ext/cssbundle.py) ------------------------------------------
# Each edition's pages link one purged bundle instead of ten stylesheets. The reference
# is the original cascade: the bundle's request answered with an @import of each source
# file in order, which is what the pages linked before.

SITE_CSS = "_static/jaxguide-site.css"


def _original_cascade(site: Path, edition: str) -> str:
    bundle = (site / edition / SITE_CSS).read_text(encoding="utf-8")
    return "".join(
        f'@import url("{source.removeprefix("_static/")}");\n'
        for source in cssbundle.sources_of(bundle)
    )


def _serve_original_cascade(tab: Page, css: str) -> None:
    tab.route(f"**/{SITE_CSS}*", lambda route: route.fulfill(body=css, content_type="text/css"))


# Every selector of every style rule the page has (imported sheets and @media/@supports
# blocks included, whatever the viewport), split at top-level commas; with `live`, only
# those that match an element in light or dark mode once user-action pseudo-classes (a
# hover, a focus, a checked box) and pseudo-elements are set aside. A selector the
# browser cannot query counts as live.
def _site_css(site: Path, edition: str) -> str:
    return (site / edition / SITE_CSS).read_text(encoding="utf-8")


def _original_css(site: Path, edition: str) -> str:
    """The text of the stylesheets the bundle was made from."""
    sources = cssbundle.sources_of(_site_css(site, edition))
    return "".join((site / edition / source).read_text(encoding="utf-8") for source in sources)


def _declared_variables(css: str) -> set[str]:
    """The custom properties a stylesheet declares."""
    return set(re.findall(r"(--[A-Za-z_][\w-]*)\s*:", css))


_SELECTORS = r"""([live, unread]) => {
  unread = new Set(unread);
  const split = (text) => {
    const parts = []; let depth = 0, quote = null, start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quote) { if (c === "\\") i++; else if (c === quote) quote = null; continue; }
      if (c === '"' || c === "'") quote = c;
      else if (c === "(" || c === "[") depth++;
      else if (c === ")" || c === "]") depth--;
      else if (c === "," && depth === 0) { parts.push(text.slice(start, i).trim()); start = i + 1; }
    }
    parts.push(text.slice(start).trim());
    return parts;
  };
  const state = /:(hover|focus|focus-visible|focus-within|active|visited|link|any-link|target|checked|indeterminate|placeholder-shown|autofill|disabled|enabled|required|optional|invalid|valid|read-only|read-write|user-invalid|user-valid|popover-open|open|modal|fullscreen)(?![\w-])/g;
  const pseudoElement = /::?(before|after|marker|placeholder|selection|first-line|first-letter|backdrop|file-selector-button|-webkit-[\w-]+)(\([^)]*\))?/g;
  const found = new Set();
  const visit = (rules) => {
    for (const rule of rules) {
      if (rule instanceof CSSImportRule) { if (rule.styleSheet) visit(rule.styleSheet.cssRules); continue; }
      if (rule instanceof CSSStyleRule) {
        // A rule that declares only custom properties nothing reads does nothing: the
        // bundle drops it (cssbundle.drop_unread_variables).
        const declared = [...rule.style];
        if (live && declared.length && declared.every((p) => unread.has(p))) continue;
        for (const selector of split(rule.selectorText)) {
          if (!live) { found.add(selector); continue; }
          let query = selector.replace(pseudoElement, "").replace(state, "");
          query = query.replace(/(^|[\s>+~(,])(?=$|[\s>+~),])/g, "$1*");
          try { if (document.querySelector(query)) found.add(selector); }
          catch (error) { found.add(selector); }
        }
      }
      if (rule.cssRules && !(rule instanceof CSSStyleRule)) visit(rule.cssRules);
    }
  };
  const root = document.documentElement, shown = root.dataset.theme;
  for (const theme of live ? ["light", "dark"] : [shown]) {
    root.dataset.theme = theme;
    for (const sheet of document.styleSheets) visit(sheet.cssRules);
  }
  root.dataset.theme = shown;
  return [...found];
}"""

# A hash of every computed property (custom properties included) of every element, and
# of its ::before/::after where they are drawn; of the highlighted tokens, one per class
# and ancestry (_MARK_REPEATED_TOKENS), as in the axe pass.
_COMPUTED_STYLES = """(kept) => {
  kept = new Set(kept);
  const hash = (text) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193); }
    return (h >>> 0).toString(16);
  };
  const out = [];
  for (const element of document.querySelectorAll("*")) {
    if (element.hasAttribute("data-repeated-token")) continue;
    const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + [...element.classList].map((c) => "." + c).join("");
    for (const pseudo of [null, "::before", "::after"]) {
      const style = getComputedStyle(element, pseudo);
      if (pseudo && style.content === "none") continue;
      // Sorted: custom properties come in the order the stylesheets declared them. Those
      // the bundle dropped as unread (cssbundle.drop_unread_variables) are not compared.
      const text = Array.from(style).filter((p) => !p.startsWith("--") || kept.has(p)).sort()
        .map((p) => p + ":" + style.getPropertyValue(p)).join(";");
      out.push([name + (pseudo || ""), hash(text)]);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("edition", EDITIONS)
def test_site_stylesheet_keeps_every_rule_a_page_can_use(
    browser: Browser, site: Path, base_url: str, edition: str
) -> None:
    """No page of the edition has an element that a purged-away selector would match,
    in any viewport, hover or focus state (a rule with nothing but custom properties no
    one reads aside)."""
    unread = sorted(
        _declared_variables(_original_css(site, edition))
        - _declared_variables(_site_css(site, edition))
    )
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        tab = ctx.new_page()
        tab.goto(f"{base_url}/{edition}/index.html")
        kept = set(tab.evaluate(_SELECTORS, [False, []]))
        assert len(kept) > 500, f"the bundle has only {len(kept)} selectors"
        _serve_original_cascade(tab, _original_cascade(site, edition))
        missing: dict[str, list[str]] = {}
        live_total: set[str] = set()
        for path in site_pages(site):
            if not path.startswith(f"{edition}/"):
                continue
            tab.goto(f"{base_url}/{path}", wait_until="load")
            live = set(tab.evaluate(_SELECTORS, [True, unread]))
            live_total |= live
            if live - kept:
                missing[path] = sorted(live - kept)[:10]
    finally:
        ctx.close()
    assert len(live_total) > 300, f"only {len(live_total)} live selectors: was the cascade served?"
    assert not missing, "selectors that match an element but left the bundle:\n" + _report(missing)


@pytest.mark.parametrize(
    ("path", "mode"),
    [
        ("en/jit-compilation.html", "light"),
        ("en/jit-compilation.html", "dark"),
        ("zh-cn/index.html", "light"),
    ],
)
def test_site_stylesheet_draws_pages_like_the_original_cascade(
    browser: Browser, site: Path, base_url: str, path: str, mode: str
) -> None:
    """Every element's computed style (and its drawn pseudo-elements') is the same with
    the bundle as with the ten stylesheets it was made from: every property, and every
    custom property the bundle still declares (it drops those nothing reads)."""
    edition = path.split("/", 1)[0]
    kept = sorted(_declared_variables(_site_css(site, edition)))
    styles = []
    for original in (False, True):
        ctx = browser.new_context(viewport=VIEWPORT, color_scheme=mode, reduced_motion="reduce")
        try:
            tab = ctx.new_page()
            if original:
                _serve_original_cascade(tab, _original_cascade(site, edition))
            tab.goto(f"{base_url}/{path}", wait_until="load")
            tab.evaluate("document.fonts.ready")
            tab.evaluate(_MARK_REPEATED_TOKENS)
            styles.append(tab.evaluate(_COMPUTED_STYLES, kept))
        finally:
            ctx.close()
    bundled, original_styles = styles
    assert len(bundled) == len(original_styles) > 300
    differ = [
        name
        for (name, one), (_, other) in zip(bundled, original_styles, strict=True)
        if one != other
    ]
    assert not differ, f"{len(differ)} elements styled differently, e.g. {differ[:10]}"


# -- Timing tables ------------------------------------------------------------------


_TIMING_TABLES = """() => [...document.querySelectorAll("table.jaxguide-timing")].map((table) => {
  const number = getComputedStyle(table.querySelector("tbody td.num"));
  const label = getComputedStyle(table.querySelector("tbody td:not(.num)"));
  return {
    padding: Math.min(parseFloat(number.paddingLeft), parseFloat(number.paddingRight)),
    numbers: number.textAlign,
    labels: label.textAlign,
    digits: number.fontVariantNumeric,
  };
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_timing_tables_read_as_columns(
    browser: Browser, base_url: str, scheme: str, width: int
) -> None:
    """Numbers right-aligned in padded cells with even digits, and on a phone the table
    scrolls in its box instead of widening the page."""
    ctx = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    try:
        tab = ctx.new_page()
        tab.goto(f"{base_url}/en/jit-compilation.html")
        tables = tab.evaluate(_TIMING_TABLES)
        overflow = tab.evaluate("document.documentElement.scrollWidth - innerWidth")
    finally:
        ctx.close()
    assert tables, "no timing table on the jit page"
    for table in tables:
        assert table["padding"] >= 8, table
        assert table["numbers"] == "right", table
        assert table["labels"] in {"left", "start"}, table
        assert "tabular-nums" in table["digits"], table
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px wide"


# -- Glossary tips --------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
def test_glossary_tip_shows_on_focus_in_the_pages_language_and_esc_closes_it(
    page: Page, base_url: str, edition: str
) -> None:
    page.goto(f"{base_url}/{edition}/jit-compilation.html")
    link = page.locator("a.jaxguide-term-link").first
    link.focus()
    tip_id = link.get_attribute("aria-describedby")
    assert tip_id, "a term link without aria-describedby"
    tip = page.locator(f"#{tip_id}")
    assert tip.is_visible(), "the tip did not show on keyboard focus"
    assert tip.get_attribute("role") == "tooltip"
    text = tip.inner_text()
    assert len(text) > 20, text
    if edition.startswith("zh"):
        assert re.search(r"[\u4e00-\u9fff]", text), f"an English tip in {edition}: {text}"
    page.keyboard.press("Escape")
    assert not tip.is_visible(), "Esc did not close the tip"
    assert (link.get_attribute("href") or "").startswith("glossary.html#term-")


# -- Plain code (jaxguide_build/plaincode.py) -----------------------------------------

_PLAIN_SPANS_DRAW_ALIKE = """(classes) => {
  const props = ["color", "backgroundColor", "fontFamily", "fontSize", "fontWeight",
                 "fontStyle", "textDecorationLine", "textShadow", "letterSpacing"];
  const differ = [];
  const used = new Set(
    [...document.querySelectorAll("div.highlight > pre span[class]")].map((s) => s.className));
  classes = classes.filter((cls) => used.has(cls));
  for (const pre of document.querySelectorAll("div.highlight > pre")) {
    const spans = classes.map((cls) => {
      const span = document.createElement("span");
      span.className = cls;
      span.textContent = "x";
      pre.append(span);
      return span;
    });
    const like = getComputedStyle(spans[0]);
    for (const span of spans.slice(1)) {
      const drawn = getComputedStyle(span);
      for (const prop of props) {
        if (drawn[prop] !== like[prop]) {
          differ.push(`.${span.className} ${prop}: ${drawn[prop]}, .${classes[0]}: ${like[prop]}`);
        }
      }
    }
    spans.forEach((span) => span.remove());
  }
  return [...new Set(differ)];
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_code_spans_joined_into_one_draw_alike(
    browser: Browser, base_url: str, site: Path, scheme: str
) -> None:
    """The pages join each run of plain token spans (names, brackets, spaces) into one
    span with the first token's class. That is invisible only if every such class is
    drawn exactly like every other: checked for the classes a page still has, in each
    of its code blocks and outputs, with the site stylesheet, in both colour modes."""
    pygments_css = (site / "en" / "_static" / "pygments.css").read_text(encoding="utf-8")
    classes = sorted(plaincode.plain_classes(pygments_css))
    assert {"n", "p", "w"} <= set(classes), classes
    ctx = browser.new_context(color_scheme=scheme)
    try:
        tab = ctx.new_page()
        differ, blocks = [], 0
        for path in ("en/pytrees.html", "zh-cn/jit-compilation.html"):
            tab.goto(f"{base_url}/{path}")
            assert tab.evaluate("document.documentElement.dataset.theme") == scheme
            blocks += tab.locator("div.highlight > pre").count()
            differ += [f"{path}: {d}" for d in tab.evaluate(_PLAIN_SPANS_DRAW_ALIKE, classes)]
    finally:
        ctx.close()
    assert blocks > 20, f"{blocks} code blocks"
    assert not differ, differ
