"""Keep the translation catalogs tidy and complete.

``python docs/_ext/catalogs.py normalize`` fixes the header fields that change on
every ``make gettext`` (dates, the template's placeholders), so a catalog's diff
shows only real changes. ``python docs/_ext/catalogs.py check [POT_DIR]`` lists
every untranslated or fuzzy message by page, and, given the freshly extracted
templates, every English message that has no catalog entry yet.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGS = Path(__file__).resolve().parents[1] / "locales" / "zh_CN" / "LC_MESSAGES"

HEADER_FIXES = (
    (re.compile(r'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE), None),
    (re.compile(r'^"PO-Revision-Date: .*\\n"\n', re.MULTILINE), None),
    (
        re.compile(r'^"Last-Translator: .*\\n"$', re.MULTILINE),
        '"Last-Translator: jaxguide translators\\\\n"',
    ),
    (re.compile(r'^"Language-Team: .*\\n"$', re.MULTILINE), '"Language-Team: zh_CN\\\\n"'),
    (re.compile(r"^# SOME DESCRIPTIVE TITLE\.$", re.MULTILINE), "# jaxguide, 简体中文 edition."),
    (re.compile(r"^# FIRST AUTHOR <EMAIL@ADDRESS>, \d+\.\n", re.MULTILINE), ""),
    # The header entry is not a translation; babel marks it fuzzy by default.
    (re.compile(r'^#, fuzzy\nmsgid ""\n', re.MULTILINE), 'msgid ""\n'),
)


@dataclass(frozen=True)
class Problem:
    page: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.page}: {self.kind}: {self.message[:120]!r}"


def normalize(path: Path) -> bool:
    """Rewrite the volatile header fields of one catalog; True if it changed."""
    text = path.read_text(encoding="utf-8")
    new = text
    for pattern, replacement in HEADER_FIXES:
        new = pattern.sub(replacement or "", new)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def load(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def check(catalogs: Path = CATALOGS, pot_dir: Path | None = None) -> list[Problem]:
    """Every untranslated, fuzzy or missing message, named by page."""
    problems = []
    for po_path in sorted(catalogs.glob("*.po")):
        page = po_path.stem
        for message in load(po_path):
            if not message.id:
                continue
            if message.fuzzy:
                problems.append(Problem(page, "fuzzy", str(message.id)))
            elif not message.string:
                problems.append(Problem(page, "untranslated", str(message.id)))
    if pot_dir is not None:
        for pot_path in sorted(pot_dir.glob("*.pot")):
            po_path = catalogs / f"{pot_path.stem}.po"
            known = {m.id for m in load(po_path)} if po_path.exists() else set()
            for message in load(pot_path):
                if message.id and message.id not in known:
                    hint = "no catalog entry; run `make gettext` and translate it"
                    problems.append(Problem(pot_path.stem, hint, str(message.id)))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("normalize")
    checker = sub.add_parser("check")
    checker.add_argument("pot_dir", nargs="?", type=Path)
    args = parser.parse_args(argv)
    if args.command == "normalize":
        changed = [p.name for p in sorted(CATALOGS.glob("*.po")) if normalize(p)]
        print(f"catalogs: normalized {len(changed)} file(s)")
        return 0
    problems = check(CATALOGS, args.pot_dir)
    for problem in problems:
        print(problem)
    print(f"catalogs: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
