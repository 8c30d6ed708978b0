"""Throwaway copies of the repository's build machinery, for tests that break a build."""

from __future__ import annotations

import os
import subprocess
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup
from jaxguide_build import editions

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"


def parsed(page: Path) -> BeautifulSoup:
    """A page of the built site, parsed once per test process (Python's parser takes about
    half a second per page, and several test files read every page). Read it; a test that
    changes the tree parses its own copy."""
    return _parse(page.resolve())


@cache
def _parse(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


# What a throwaway copy needs to build exactly like the real tree.
COPIED = (
    "conf.py",
    "Makefile",
    "pyproject.toml",
    "README.md",
    "requirements.lock",
    "src/jaxguide",
    "docs/_ext",
    "docs/_static",
    "docs/_templates",
)

PAGE_HEADER = """\
---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
  language: python
---
"""


# Pages of `built_copy` (conftest.py), each with the test that reads it in test_build.py.
GOOD = """\
(good)=
# Good page

```{code-cell} ipython3
print("good page ran")
```
"""
TEACHING = """\
(teaching)=
# A deliberate error

```{code-cell} ipython3
:tags: [raises-exception]
raise ValueError("shown on purpose")
```
"""
OFFERS = """\
(offers)=
# Offers a file

```{code-cell} ipython3
import tempfile
from pathlib import Path
from jaxguide import offer_file

made = Path(tempfile.mkdtemp()) / "made-by-a-cell.txt"
made.write_text("made by a cell\\n")
offer_file(made, "a small file")
```
"""
LINKED = """\
(linked)=
# Linked

```{code-cell} ipython3
import jax.numpy as jnp

jnp.sin(0.5)
```
"""
MATHS = "(maths)=\n# Maths\n\n$\\sin x$\n"
CLAIMED = """\
(claimed)=
# A guarded claim

```{code-cell} ipython3
import time

from jaxguide import claim, compare


def quick():
    time.sleep(0.001)


def slow():
    time.sleep(0.02)


timings = compare({"slow": slow, "quick": quick}, check_equal=False, repeat=5)
timings
```

`quick` is many times faster than `slow`.

```{code-cell} ipython3
:tags: [remove-cell]
claim("quick is many times faster than slow", timings.ratio("quick"), at_least=4.0,
      numbers={"slow": timings.timings[0].median_s, "quick": timings.timings[1].median_s})
```
"""
#: Page file -> (text, whether it is a notebook).
BUILT = {
    "good.md": (GOOD, True),
    "teaching.md": (TEACHING, True),
    "offers.md": (OFFERS, True),
    "linked.md": (LINKED, True),
    "claimed.md": (CLAIMED, True),
    "maths.md": (MATHS, False),
}


@dataclass
class Result:
    returncode: int
    output: str


@dataclass
class RepoCopy:
    """A copy of the build machinery with its own small docs tree and `_build`."""

    path: Path

    @property
    def docs(self) -> Path:
        return self.path / "docs"

    def page(self, name: str, body: str, *, notebook: bool = True) -> Path:
        text = (PAGE_HEADER if notebook else "") + textwrap.dedent(body)
        target = self.docs / name
        target.write_text(text, encoding="utf-8")
        return target

    def translate(
        self,
        locale: str,
        rule: Callable[[str], str | None],
        *,
        page: str = "*",
        width: int = 76,
    ) -> None:
        """Fill the copy's catalogs for ``locale`` (after ``make gettext``): each message
        becomes ``rule(message)``; where the rule gives None, it stays as it was."""
        for po in (self.docs / "locales" / locale / "LC_MESSAGES").glob(f"{page}.po"):
            with po.open("rb") as handle:
                catalog = read_po(handle)
            for message in catalog:
                done = rule(str(message.id)) if message.id else None
                if done is not None:
                    message.string = done
            with po.open("wb") as handle:
                write_po(handle, catalog, width=width)

    def make(
        self, *targets: str, timeout: float = 300, assume_installed: bool = True, **env: str
    ) -> Result:
        full_env = {**os.environ, "PYTHONPATH": str(self.path / "src"), **env}
        full_env.pop("JAXGUIDE_CACHE_ROOT", None)
        # -o: never reinstall the shared .venv from a copy (that would point the
        # real environment's editable install at this throwaway tree).
        keep = ["-o", ".venv/.installed"] if assume_installed else []
        # The source edition only, unless a test asks for others: a copy's pages have no
        # catalogs, and a translated edition fails on untranslated messages.
        if not any(t.startswith("LANGUAGES=") for t in targets):
            targets = (*targets, f"LANGUAGES={editions.SOURCE.code}")
        proc = subprocess.run(
            ["make", "--no-print-directory", *keep, *targets],
            cwd=self.path,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return Result(proc.returncode, proc.stdout + proc.stderr)

    def html(self, page: str, lang: str = "en") -> str:
        return (self.path / "_build" / "html" / lang / page).read_text(encoding="utf-8")
