"""Print a built page to PDF with Chromium, as a reader's browser would print it.

``make pdf`` (:mod:`jaxguide_build.formats`) prints each edition's single-page HTML
with this. Chromium draws what the site draws: the theme's stylesheets and ours with
their print rules (``docs/_static/jaxguide.css``), equations as MathML, Chinese in the
CJK font that fontconfig finds (fonts-noto-cjk), embedded in the PDF with its text
layer. No LaTeX is involved, so none of xelatex's CJK font set-up either.

The page is read from disk and from nothing else, and the print fails, saying why,
on anything a reader of the PDF would miss: a request for something other than a
file, a console error, an image that did not load, or code, a table or an equation
wider than the printed column (Chromium would cut it off). Folded cells and answers
(``<details>``) print open.

Which Chromium: ``$JAXGUIDE_CHROMIUM``, else Debian's ``/usr/bin/chromium`` (``make
prerequisites`` installs it, and the browser tests use it), else Playwright's own
(``python -m playwright install chromium``, as on Read the Docs).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import ConsoleMessage, Playwright, Request, Route, sync_playwright
from playwright.sync_api import Error as PlaywrightError

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
# How jaxguide starts a Chromium of its choosing: here, in the browser tests and in the
# search benchmark. Playwright's own headless shell takes Playwright's defaults.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: What the page may load: itself, the files beside it, and what it makes itself.
LOCAL = ("file:", "data:", "blob:", "about:")
PAPER = "A4"
PAPER_WIDTH_MM = 210
MARGIN_MM = {"top": 16, "bottom": 16, "left": 15, "right": 15}
#: The printed column in CSS pixels (96 to the inch): the page is laid out at this width
#: to find what would not fit.
COLUMN_PX = round((PAPER_WIDTH_MM - MARGIN_MM["left"] - MARGIN_MM["right"]) / 25.4 * 96)
# Chromium draws these in its own small font; inline styles are all they may use.
HEADER = (
    '<div style="width:100%;font-size:7pt;color:#555;text-align:center;">'
    '<span class="title"></span></div>'
)
FOOTER = (
    '<div style="width:100%;font-size:7pt;color:#555;text-align:center;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)

# Opens what is folded, loads every image now rather than when it scrolls into view,
# and names the images that did not load.
PREPARE = """async () => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const images = [...document.images];
  images.forEach((image) => { image.loading = "eager"; });
  await Promise.all(images.map((image) => image.decode().catch(() => null)));
  await document.fonts.ready;
  return images
    .filter((image) => image.complete && image.naturalWidth === 0 && image.getClientRects().length)
    .map((image) => image.getAttribute("src"));
}"""
# What would not fit the printed column: a box wider than the page, or a box that
# scrolls sideways (print shows only what is in view). Only the outermost of each.
CUT_OFF = """(column) => {
  const found = [];
  for (const element of document.querySelectorAll("main *")) {
    if (found.some((outer) => outer.contains(element))) continue;
    const box = element.getBoundingClientRect();
    if (!box.width) continue;
    const scrolls = /auto|scroll|hidden/.test(getComputedStyle(element).overflowX)
      && element.scrollWidth > element.clientWidth + 1;
    if (box.right > column + 1 || scrolls) found.push(element);
  }
  return found.map((element) => {
    const section = element.closest("section[id]");
    const text = element.textContent.trim().replace(/\\s+/g, " ").slice(0, 80);
    return `<${element.localName} class="${element.className}"> in #${section ? section.id : "?"}: ${text}`;
  });
}"""


class PrintFailed(RuntimeError):
    """The page would print with something missing or cut off; the message lists what."""


@dataclass
class Printed:
    """One PDF and what making it took."""

    path: Path
    seconds: float

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def chromium_path(environ: dict[str, str] | None = None) -> str | None:
    """The Chromium to launch, or None for Playwright's own download."""
    chosen = (os.environ if environ is None else environ).get("JAXGUIDE_CHROMIUM")
    if chosen:
        return chosen
    return str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.exists() else None


def _launch(playwright: Playwright) -> Any:
    path = chromium_path()
    try:
        if path is None:
            return playwright.chromium.launch()
        return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    except PlaywrightError as exc:
        where = path or "Playwright's own download"
        msg = (
            f"Chromium did not start ({where}). Install Debian's (`make prerequisites`), "
            f"or Playwright's (`python -m playwright install chromium`).\n{exc}"
        )
        raise PrintFailed(msg) from exc


def print_pdf(page_file: Path, pdf: Path) -> Printed:
    """Print ``page_file`` (a built HTML page) to ``pdf``; raise PrintFailed on a problem."""
    started = time.perf_counter()
    problems: list[str] = []

    def refuse_the_network(route: Route) -> None:
        problems.append(f"a request off the disk: {route.request.url}")
        route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    def on_failed(request: Request) -> None:
        if request.url.startswith(LOCAL):  # the others are refused, and reported there
            problems.append(f"did not load: {request.url} ({request.failure})")

    with sync_playwright() as playwright:
        browser = _launch(playwright)
        try:
            page = browser.new_page(viewport={"width": COLUMN_PX, "height": 1000})
            page.route(lambda url: not url.startswith(LOCAL), refuse_the_network)
            page.on("console", on_console)
            page.on("pageerror", lambda exc: problems.append(f"uncaught: {exc}"))
            page.on("requestfailed", on_failed)
            page.emulate_media(media="print", color_scheme="light")
            page.goto(page_file.resolve().as_uri(), wait_until="load")
            problems += [f"image did not load: {src}" for src in page.evaluate(PREPARE)]
            problems += [f"cut off in print: {what}" for what in page.evaluate(CUT_OFF, COLUMN_PX)]
            if problems:
                listed = "\n  ".join(problems[:30])
                more = f"\n  … and {len(problems) - 30} more" if len(problems) > 30 else ""
                msg = f"{page_file} would not print whole:\n  {listed}{more}"
                raise PrintFailed(msg)
            pdf.parent.mkdir(parents=True, exist_ok=True)
            partial = pdf.with_suffix(".pdf.partial")
            page.pdf(
                path=partial,
                format=PAPER,
                margin={side: f"{mm}mm" for side, mm in MARGIN_MM.items()},
                print_background=True,
                display_header_footer=True,
                header_template=HEADER,
                footer_template=FOOTER,
                outline=True,  # bookmarks from the headings
                tagged=True,  # the structure a screen reader and the outline need
            )
            partial.replace(pdf)  # a failed print never leaves half a PDF behind
        finally:
            browser.close()
    return Printed(pdf, time.perf_counter() - started)
