"""Build the site: execute what the cache lacks, then every edition's Sphinx pass at once.

``make html`` runs ``python -m jaxguide_build.site``. The pages are executed once
(:mod:`jaxguide_build.preexecute`); then each edition is built by its own
``sphinx-build`` process, with its own doctrees and output folder, all at the same
time: they only read the execution cache. Finally the site's root page sends readers
to the first edition. ``--language`` builds one edition (Read the Docs builds one per
project) and accepts every spelling of its code (``zh-cn``, ``zh_CN``).

An edition built without error from the same inputs is skipped
(:mod:`jaxguide_build.uptodate`); ``--rebuild`` runs Sphinx regardless.
"""

from __future__ import annotations

import argparse
import html
import os
import shlex
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from jaxguide_build import editions, uptodate

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Pass:
    """One edition's Sphinx process and what it printed."""

    edition: editions.Edition
    process: subprocess.Popen[str]
    started: float


def folders(root: Path, edition: editions.Edition, builder: str = "html") -> tuple[Path, Path]:
    """Where one edition's Sphinx pass keeps its doctrees and writes its output. A builder
    other than the site's (the offline formats, :mod:`jaxguide_build.offline`) has folders
    of its own: it never touches the site's, nor its doctrees."""
    build = root / "_build"
    if builder == "html":
        return build / "doctrees" / edition.code, build / "html" / edition.code
    return (
        build / "doctrees" / f"{builder}-{edition.code}",
        build / "offline" / builder / edition.code,
    )


def sphinx_command(
    root: Path, edition: editions.Edition, options: list[str], builder: str = "html"
) -> list[str]:
    doctrees, outdir = folders(root, edition, builder)
    return [
        str(Path(sys.executable).with_name("sphinx-build")),
        "-b",
        builder,
        *options,
        "-c",
        str(root),
        "-d",
        str(doctrees),
        str(root / "docs"),
        str(outdir),
    ]


def build_editions(
    root: Path, chosen: list[editions.Edition], options: list[str], builder: str = "html"
) -> list[editions.Edition]:
    """Run every chosen edition's Sphinx pass side by side; return those that succeeded."""
    passes = []
    for edition in chosen:
        env = {**os.environ, "JAXGUIDE_LANGUAGE": edition.code}
        env.pop("READTHEDOCS_LANGUAGE", None)  # the edition is chosen here, not by RTD's code
        process = subprocess.Popen(
            sphinx_command(root, edition, options, builder),
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        passes.append(Pass(edition, process, time.perf_counter()))
    built = []
    for one in passes:  # each pass's log in one piece, in the table's order
        out, _ = one.process.communicate()
        took = time.perf_counter() - one.started
        status = "built" if one.process.returncode == 0 else "FAILED"
        print(f"== the {one.edition.code!r} edition\n{out}== {status} in {took:.1f} s", flush=True)
        if one.process.returncode == 0:
            built.append(one.edition)
    return built


def write_root_page(site: Path, chosen: list[editions.Edition]) -> None:
    """The site's root: a redirect to the first edition, with a link to each."""
    first = chosen[0]
    links = " · ".join(
        f'<a href="{e.code}/index.html" hreflang="{e.hreflang}" lang="{e.hreflang}">'
        f"jaxguide ({html.escape(e.name)})</a>"
        for e in chosen
    )
    page = (
        f'<!DOCTYPE html>\n<html lang="{first.hreflang}"><head><meta charset="utf-8">\n'
        "<title>jaxguide</title>"
        f'<meta http-equiv="refresh" content="0; url={first.code}/index.html">\n'
        '<meta name="description" content="jaxguide: an executed guide to JAX, in '
        f'{html.escape(" and ".join(e.name for e in chosen))}.">\n'
        f'<link rel="canonical" href="{first.code}/index.html"></head>\n'
        f"<body><p>{links}</p></body></html>\n"
    )
    site.mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text(page, encoding="utf-8")


def export(
    site: Path, edition: editions.Edition, html_dir: Path | None, zip_path: Path | None
) -> None:
    """Copy one built edition to ``html_dir`` and/or zip it (Read the Docs' formats)."""
    source = site / edition.code
    if not (source / "index.html").exists():
        msg = f"no built {edition.code!r} edition in {source}; build it first"
        raise SystemExit(msg)
    if html_dir is not None:
        shutil.copytree(source, html_dir, dirs_exist_ok=True)
    if zip_path is not None:
        zip_path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(source.rglob("*")):
                if file.is_file():
                    archive.write(file, Path("jaxguide") / file.relative_to(source))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--language", action="append", help="an edition to build (default: every edition)"
    )
    parser.add_argument("--no-preexecute", action="store_true", help="leave execution to Sphinx")
    parser.add_argument("--sphinxopts", default="-W --keep-going -n")
    parser.add_argument(
        "--rebuild", action="store_true", help="run Sphinx even where nothing has changed"
    )
    parser.add_argument("--copy-to", type=Path, help="instead of building: copy the edition here")
    parser.add_argument("--zip-to", type=Path, help="instead of building: zip the edition here")
    args = parser.parse_args(argv)
    try:
        chosen = [editions.find(code) for code in args.language or []]
    except editions.UnknownEdition as exc:
        print(f"jaxguide: {exc}", file=sys.stderr)
        return 2
    chosen = chosen or list(editions.EDITIONS)
    site = ROOT / "_build" / "html"
    if args.copy_to or args.zip_to:
        if len(chosen) != 1:
            print("jaxguide: --copy-to and --zip-to take one --language", file=sys.stderr)
            return 2
        export(site, chosen[0], args.copy_to, args.zip_to)
        return 0
    options = shlex.split(args.sphinxopts)
    inputs = uptodate.sources_digest(ROOT)  # read once, shared by the editions
    digests = {e.code: uptodate.digest(inputs, e, options) for e in chosen}
    todo = [
        e for e in chosen if args.rebuild or not uptodate.is_up_to_date(ROOT, e, digests[e.code])
    ]
    for edition in chosen:
        if edition not in todo:
            print(
                f"== the {edition.code!r} edition is up to date: nothing it is built from changed"
            )
    if not todo:
        write_root_page(site, chosen)
        return 0
    for edition in todo:
        uptodate.forget(ROOT, edition)
    from jaxguide_build import execution, preexecute  # noqa: PLC0415  (jupyter's imports are slow)

    if args.no_preexecute:
        # The execution report must not show an earlier run's hits and misses as this build's.
        preexecute.RunRecord.forget(execution.cache_path(ROOT))
    elif preexecute.run(ROOT / "docs", len(os.sched_getaffinity(0))) != 0:
        return 1
    built = build_editions(ROOT, todo, options)
    for edition in built:
        uptodate.record(ROOT, edition, digests[edition.code])
    if len(built) < len(todo):
        return 1
    write_root_page(site, chosen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
