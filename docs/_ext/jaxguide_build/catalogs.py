"""The translation catalogs: updated from the English pages, tidy, and complete.

``python -m jaxguide_build.catalogs update`` (``make gettext``) extracts the English
messages, merges them into every translated edition's catalogs (a changed message
turns fuzzy with its old translation, a removed one obsolete), normalizes the
headers and lists what needs translating. ``normalize`` alone fixes the header
fields that change on every update (dates, the template's placeholders), so a
catalog's diff shows only real changes. ``check [POT_DIR]`` lists every untranslated
or fuzzy message by edition and page and, given freshly extracted templates, every
English message that has no catalog entry yet.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from jaxguide_build import editions

DOCS = Path(__file__).resolve().parents[2]


def catalog_dir(edition: editions.Edition, docs: Path = DOCS) -> Path:
    """Where an edition's catalogs live: ``docs/locales/<sphinx>/LC_MESSAGES``."""
    return docs / "locales" / edition.sphinx / "LC_MESSAGES"


def header_fixes(edition: editions.Edition) -> tuple[tuple[re.Pattern[str], str], ...]:
    return (
        (re.compile(r'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE), ""),
        (re.compile(r'^"PO-Revision-Date: .*\\n"\n', re.MULTILINE), ""),
        (
            re.compile(r'^"Last-Translator: .*\\n"$', re.MULTILINE),
            '"Last-Translator: jaxguide translators\\\\n"',
        ),
        (
            re.compile(r'^"Language-Team: .*\\n"$', re.MULTILINE),
            f'"Language-Team: {edition.sphinx}\\\\n"',
        ),
        (
            re.compile(r"^# SOME DESCRIPTIVE TITLE\.$", re.MULTILINE),
            f"# jaxguide, {edition.name} edition.",
        ),
        (re.compile(r"^# FIRST AUTHOR <EMAIL@ADDRESS>, \d+\.\n", re.MULTILINE), ""),
        # The header entry is not a translation; babel marks it fuzzy by default.
        (re.compile(r'^#, fuzzy\nmsgid ""\n', re.MULTILINE), 'msgid ""\n'),
    )


@dataclass(frozen=True)
class Problem:
    """A message that keeps an edition from being complete."""

    page: str
    kind: str
    message: str
    edition: str = ""

    def __str__(self) -> str:
        where = f"{self.edition}/{self.page}" if self.edition else self.page
        return f"{where}: {self.kind}: {self.message[:120]!r}"


def normalize(path: Path, edition: editions.Edition | None = None) -> bool:
    """Rewrite the volatile header fields of one catalog; True if it changed."""
    edition = edition or editions.translations()[0]
    text = path.read_text(encoding="utf-8")
    new = text
    for pattern, replacement in header_fixes(edition):
        new = pattern.sub(replacement, new)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def load(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def check(catalogs: Path, pot_dir: Path | None = None, edition: str = "") -> list[Problem]:
    """Every untranslated, fuzzy or missing message of one edition, named by page."""
    problems = []
    for po_path in sorted(catalogs.glob("*.po")):
        page = po_path.stem
        for message in load(po_path):
            if not message.id:
                continue
            if message.fuzzy:
                problems.append(Problem(page, "fuzzy", str(message.id), edition))
            elif not message.string:
                problems.append(Problem(page, "untranslated", str(message.id), edition))
    if pot_dir is not None:
        for pot_path in sorted(pot_dir.glob("*.pot")):
            po_path = catalogs / f"{pot_path.stem}.po"
            known = {m.id for m in load(po_path)} if po_path.exists() else set()
            for message in load(pot_path):
                if message.id and message.id not in known:
                    hint = "no catalog entry; run `make gettext` and translate it"
                    problems.append(Problem(pot_path.stem, hint, str(message.id), edition))
    return problems


def check_all(docs: Path = DOCS, pot_dir: Path | None = None) -> list[Problem]:
    """:func:`check` for every translated edition."""
    return [
        problem
        for edition in editions.translations()
        for problem in check(catalog_dir(edition, docs), pot_dir, edition.code)
    ]


def extract(root: Path, out: Path) -> None:
    """Write the English messages of the pages as templates (``.pot``) into ``out``.

    Raises :class:`subprocess.CalledProcessError` if Sphinx reports a problem (it has
    printed what, naming the page).
    """
    sphinx_build = Path(sys.executable).with_name("sphinx-build")
    env = {**os.environ, "JAXGUIDE_LANGUAGE": editions.SOURCE.code}
    command = [str(sphinx_build), "-b", "gettext", "-W", "--keep-going", "-n", "-q", "-c"]
    command += [str(root), "-d", str(out / ".doctrees"), str(root / "docs"), str(out)]
    subprocess.run(command, check=True, env=env, cwd=root)


def update(root: Path) -> int:
    """Extract, merge into every translated edition's catalogs, normalize, and check."""
    from jaxguide_build import preexecute  # noqa: PLC0415  (jupyter's imports are slow)

    # Executed first: the extraction renders outputs, whose figure captions are messages.
    if preexecute.run(root / "docs", len(os.sched_getaffinity(0))) != 0:
        return 1
    pot_dir = root / "_build" / "gettext"
    try:
        extract(root, pot_dir)
    except subprocess.CalledProcessError:
        print("gettext: the English pages have the problems above; fix them first", file=sys.stderr)
        return 1
    docs = root / "docs"
    for edition in editions.translations():
        subprocess.run(
            [
                str(Path(sys.executable).with_name("sphinx-intl")),
                "update",
                "-p",
                str(pot_dir),
                "-d",
                str(docs / "locales"),
                "-l",
                edition.sphinx,
                "-w",
                "0",
            ],
            check=True,
        )
        for po in sorted(catalog_dir(edition, docs).glob("*.po")):
            normalize(po, edition)
    problems = check_all(docs, pot_dir)
    for problem in problems:
        print(problem)
    if problems:
        print(f"gettext: {len(problems)} message(s) above need translating before `make test`")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update")
    sub.add_parser("normalize")
    checker = sub.add_parser("check")
    checker.add_argument("pot_dir", nargs="?", type=Path)
    args = parser.parse_args(argv)
    root = DOCS.parent
    if args.command == "update":
        return update(root)
    if args.command == "normalize":
        changed = [
            po.name
            for edition in editions.translations()
            for po in sorted(catalog_dir(edition).glob("*.po"))
            if normalize(po, edition)
        ]
        print(f"catalogs: normalized {len(changed)} file(s)")
        return 0
    problems = check_all(DOCS, args.pot_dir)
    for problem in problems:
        print(problem)
    print(f"catalogs: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
