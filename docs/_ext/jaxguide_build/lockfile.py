"""The lock, ``requirements.lock``, read: each pinned package with its version and hashes.

``make install`` installs uv first, from its own entry of the lock (hashes and all),
then everything else through uv: ``python -m jaxguide_build.lockfile entry uv`` prints
that entry. The supply-chain tests read the lock through :func:`entries` too.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import NamedTuple

# A pin, then its hashes on continuation lines: "name==1.2 \\\n    --hash=sha256:…".
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\n\s+--hash=\S+)*)", re.MULTILINE)


class Entry(NamedTuple):
    version: str
    hashes: list[str]
    text: str  # the entry as written, usable as a requirements file of its own


def canonical(name: str) -> str:
    """A package name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def entries(text: str) -> dict[str, Entry]:
    """Canonical name -> its entry, for every pinned package of a lock."""
    return {
        canonical(m.group(1)): Entry(m.group(2), re.findall(r"--hash=(\S+)", m.group(3)), m[0])
        for m in ENTRY.finditer(text)
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3) or args[0] != "entry":
        print("usage: python -m jaxguide_build.lockfile entry NAME [LOCK]", file=sys.stderr)
        return 2
    lock = Path(args[2]) if len(args) == 3 else Path("requirements.lock")
    found = entries(lock.read_text(encoding="utf-8")).get(canonical(args[1]))
    if found is None:
        print(f"jaxguide: {args[1]!r} is not pinned in {lock}", file=sys.stderr)
        return 1
    print(found.text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
