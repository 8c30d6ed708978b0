"""``make epub`` and ``make pdf``: one book per edition, from the executed outputs.

``python -m jaxguide_build.formats epub|pdf [--language CODE]...`` first runs the
pre-executor as ``make html`` does: after a site build it finds every page in the
execution cache and executes nothing, and neither does Sphinx, which then reads every
page's outputs from that cache. Each chosen edition (every one by default) then gets
its own Sphinx pass, side by side as in :mod:`jaxguide_build.site`, in folders of its
own (``_build/offline/<builder>/<code>``, ``_build/doctrees/<builder>-<code>``):

- ``epub``: Sphinx's ``epub`` builder; the book is copied to
  ``_build/epub/<code>/jaxguide.epub``.
- ``pdf``: Sphinx's ``singlehtml`` builder, with the site's theme; Chromium prints that
  page (:mod:`jaxguide_build.printpdf`) to ``_build/pdf/<code>/jaxguide.pdf``. Not
  LaTeX: a Chinese PDF made by LaTeX loses its glyphs unless xelatex and a CJK font are
  set up just so, while Chromium renders the page as the site shows it.

What the books' pages leave out of the site's is :mod:`jaxguide_build.offline`.
``--copy-to FILE`` copies one edition's built book instead (``make rtd-epub`` and
``make rtd-pdf`` for Read the Docs).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import time
from pathlib import Path

from jaxguide_build import editions, offline, printpdf, site

ROOT = site.ROOT
SUFFIX = {"epub": ".epub", "pdf": ".pdf"}


def book(root: Path, fmt: str, edition: editions.Edition) -> Path:
    """Where ``make epub`` or ``make pdf`` writes an edition's book."""
    return root / "_build" / fmt / edition.code / f"jaxguide{SUFFIX[fmt]}"


def make_book(root: Path, fmt: str, edition: editions.Edition) -> Path:
    """Turn an edition's built pages into its one file."""
    _, pages = site.folders(root, edition, offline.BUILDERS[fmt])
    target = book(root, fmt, edition)
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "epub":
        shutil.copyfile(pages / "jaxguide.epub", target)  # conf.py's epub_basename
    else:
        printpdf.print_pdf(pages / "index.html", target)
    return target


def copy_book(root: Path, fmt: str, edition: editions.Edition, target: Path) -> int:
    source = book(root, fmt, edition)
    if not source.exists():
        print(f"jaxguide: no {fmt} of the {edition.code!r} edition in {source}; run make {fmt}")
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("format", choices=sorted(offline.BUILDERS))
    parser.add_argument("--language", action="append", help="an edition (default: every one)")
    parser.add_argument("--sphinxopts", default="-W --keep-going -n")
    parser.add_argument("--copy-to", type=Path, help="instead of building: copy the book here")
    args = parser.parse_args(argv)
    try:
        chosen = [editions.find(code) for code in args.language or []]
    except editions.UnknownEdition as exc:
        print(f"jaxguide: {exc}", file=sys.stderr)
        return 2
    chosen = chosen or list(editions.EDITIONS)
    if args.copy_to:
        if len(chosen) != 1:
            print("jaxguide: --copy-to takes one --language", file=sys.stderr)
            return 2
        return copy_book(ROOT, args.format, chosen[0], args.copy_to)

    from jaxguide_build import preexecute  # noqa: PLC0415  (jupyter's imports are slow)

    if preexecute.run(ROOT / "docs", len(os.sched_getaffinity(0))) != 0:
        return 1
    builder = offline.BUILDERS[args.format]
    built = site.build_editions(ROOT, chosen, shlex.split(args.sphinxopts), builder)
    if len(built) < len(chosen):
        return 1
    for edition in chosen:
        started = time.perf_counter()
        try:
            made = make_book(ROOT, args.format, edition)
        except (printpdf.PrintFailed, OSError) as exc:
            print(f"jaxguide: the {edition.code!r} {args.format} failed: {exc}", file=sys.stderr)
            return 1
        size = made.stat().st_size / 2**20
        took = time.perf_counter() - started
        print(f"{args.format}: {made.relative_to(ROOT)}, {size:.1f} MiB, made in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
