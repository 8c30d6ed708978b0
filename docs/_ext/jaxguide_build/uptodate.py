"""Whether an edition's built site is up to date: one digest of everything it is built from.

``make html`` with nothing changed should cost nothing. Sphinx's own incremental build
still loads the environment, re-reads what it cannot prove unchanged and rewrites the
search index, which takes 15 to 40 s per edition here. So :mod:`jaxguide_build.site`
writes, after an edition builds without error, a digest of all its inputs; the next
build skips the edition (and the pre-executor) while the digest still matches.

The inputs are every file under ``docs/`` (pages, catalogs, templates, static files,
the machinery itself), ``conf.py``, the helper package, ``pyproject.toml`` and the lock;
the date of each page's last commit (the pages show it); the Sphinx options;
and the ``JAXGUIDE_*`` and ``READTHEDOCS*`` environment variables, which conf.py reads.
Anything else that changes the output is a bug in this list: ``make html REBUILD=1``
runs Sphinx regardless.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from jaxguide_build import editions

#: Files and folders (relative to the repository root) the built site depends on.
INPUTS = ("docs", "conf.py", "src/jaxguide", "pyproject.toml", "requirements.lock")
#: Environment variables that conf.py or the machinery read, by prefix.
ENV_PREFIXES = ("JAXGUIDE_", "READTHEDOCS")
#: Outside git: folders and suffixes that never affect the output (bytecode, autosaves,
#: the compiled catalogs the build itself writes from the ``.po`` files).
SKIPPED_DIRS = frozenset({"__pycache__", ".ipynb_checkpoints", ".mypy_cache", ".ruff_cache"})
SKIPPED_SUFFIXES = frozenset({".mo", ".pyc"})


def stamp_path(root: Path, edition: editions.Edition) -> Path:
    """Where an edition's digest is kept: beside its doctrees, out of the published site."""
    return root / "_build" / "doctrees" / edition.code / "jaxguide-inputs.sha256"


def git(root: Path, *args: str) -> str | None:
    """A git command's output in ``root``, or None outside a git checkout."""
    try:
        return subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def last_changed(root: Path) -> dict[str, str]:
    """The date of the last commit that touched each file under docs/ (what a page shows
    as "last updated", :mod:`jaxguide_build.dates`), from one walk of the history."""
    out = git(root, "log", "--format=%x00%cs", "--name-only", "--", "docs") or ""
    dates: dict[str, str] = {}
    for commit in out.split("\0")[1:]:
        date, *names = commit.strip().splitlines()
        for name in names:
            if name:
                dates.setdefault(name, date)
    return dates


def input_files(root: Path) -> list[Path]:
    """The files of :data:`INPUTS`: in git, the tracked and untracked ones it does not
    ignore (so the ``.mo`` files the build writes are left out); elsewhere, a walk."""
    listed = git(
        root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *INPUTS
    )
    if listed is not None:
        names = sorted({n for n in listed.split("\0") if n})
        return [root / n for n in names if (root / n).is_file()]
    found = []
    for name in INPUTS:
        path = root / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            parts = file.relative_to(root).parts
            skipped = SKIPPED_DIRS.intersection(parts) or file.suffix in SKIPPED_SUFFIXES
            if file.is_file() and not skipped:
                found.append(file)
    return found


def sources_digest(root: Path, environ: Mapping[str, str] = os.environ) -> str:
    """A digest of what every edition is built from: the files, the pages' dates and
    the environment variables."""
    sha = hashlib.sha256()
    shared = {
        "last changed": last_changed(root),
        "environment": {k: v for k, v in sorted(environ.items()) if k.startswith(ENV_PREFIXES)},
    }
    sha.update(json.dumps(shared, sort_keys=True).encode())
    for file in input_files(root):
        sha.update(b"\0" + file.relative_to(root).as_posix().encode() + b"\0")
        sha.update(file.read_bytes())
    return sha.hexdigest()


def digest(inputs: str, edition: editions.Edition, options: list[str]) -> str:
    """A digest of everything ``edition``'s built site is made from: the shared
    :func:`sources_digest`, the edition and the Sphinx options."""
    settings = {"inputs": inputs, "edition": edition.code, "options": options}
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()


def is_up_to_date(root: Path, edition: editions.Edition, expected: str) -> bool:
    """True if the edition was last built, without error, from exactly these inputs."""
    stamp = stamp_path(root, edition)
    built = root / "_build" / "html" / edition.code / "index.html"
    try:
        return built.is_file() and stamp.read_text(encoding="utf-8").strip() == expected
    except OSError:
        return False


def forget(root: Path, edition: editions.Edition) -> None:
    """Before a build: until it succeeds, the edition is not up to date."""
    stamp_path(root, edition).unlink(missing_ok=True)


def record(root: Path, edition: editions.Edition, value: str) -> None:
    """After a successful build: the edition is up to date with these inputs."""
    stamp = stamp_path(root, edition)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(value + "\n", encoding="utf-8")
