"""The upstream projects' intersphinx inventories, shipped in ``docs/_ext/inventories/``.

Each ``<name>.inv`` is the ``objects.inv`` that the project's own Sphinx build
writes: the list of every page and anchor its documentation really has. The build
never touches the network, so intersphinx reads these files, and a link to an API
that the upstream docs do not build fails the build (nitpicky mode) instead of
leading readers nowhere. Where the project publishes versioned docs, the base URL
names the version the lock pins; where it publishes only its latest docs, the
inventory is the one of the pinned version's docs, and :data:`PROJECTS` says so.

On a machine with network, ``python -m jaxguide_build.inventories download``
replaces the files with the ones the sites publish now. ``check SITE`` lists every
link of a built edition into these projects that no inventory entry names.
"""

from __future__ import annotations

import argparse
import sys
import urllib.request
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup
from sphinx.util.inventory import InventoryFile

DIRECTORY = Path(__file__).resolve().parents[1] / "inventories"


@dataclass(frozen=True)
class Project:
    """An upstream project whose API pages the guide links to, and where its inventory is from."""

    name: str  # the project name its inventory's header gives
    base_url: str  # what the inventory's relative URIs are relative to
    versioned: bool  # whether base_url names the pinned version (else: the latest docs)
    source: str  # how the shipped inventory was made


PROJECTS: dict[str, Project] = {
    "python": Project(
        "Python",
        "https://docs.python.org/3.11/",
        versioned=True,
        source="Debian's python3.11-doc package (CPython's Doc/ for 3.11, built by Sphinx)",
    ),
    "numpy": Project(
        "NumPy",
        "https://numpy.org/doc/2.4/",
        versioned=True,
        source="NumPy's doc/source/ at v2.4.6, built with its own conf.py (C API pages left out)",
    ),
    "jax": Project(
        "JAX",
        "https://docs.jax.dev/en/latest/",
        versioned=False,
        source="JAX's docs/ at tag jax-v0.10.2, built with its own conf.py, notebooks not executed",
    ),
    "flax": Project(
        "Flax",
        "https://flax.readthedocs.io/en/latest/",
        versioned=False,
        source="Flax's docs_nnx/ at v0.12.8, built with its own conf.py, notebooks not executed",
    ),
    "optax": Project(
        "Optax",
        "https://optax.readthedocs.io/en/latest/",
        versioned=False,
        source="Optax's docs/ at v0.2.8, built with its own conf.py, examples not run",
    ),
    "haiku": Project(
        "Haiku",
        "https://dm-haiku.readthedocs.io/en/latest/",
        versioned=False,
        source="Haiku's docs/ at v0.0.17, built with its own conf.py, notebooks not executed",
    ),
    "matplotlib": Project(
        "Matplotlib",
        "https://matplotlib.org/stable/",
        versioned=False,
        source="Matplotlib's doc/ at v3.11.2, built with its own conf.py, gallery not run",
    ),
}
#: Base URL of each inventory, for conf.py's ``intersphinx_mapping``.
BASE_URLS: dict[str, str] = {name: project.base_url for name, project in PROJECTS.items()}


def path_of(name: str, directory: Path = DIRECTORY) -> Path:
    return directory / f"{name}.inv"


@cache
def targets(name: str, directory: Path = DIRECTORY) -> frozenset[str]:
    """Every absolute URL (page, or page#anchor) the project's inventory names."""
    base = PROJECTS[name].base_url
    inventory = InventoryFile.loads(path_of(name, directory).read_bytes(), uri=base)
    urls = set()
    for items in inventory.data.values():
        for item in items.values():
            urls.add(item.uri)
            urls.add(item.uri.split("#", 1)[0])  # the page itself exists too
    return frozenset(urls)


def project_of(url: str) -> str | None:
    """The project whose docs ``url`` points into, or None."""
    return next((name for name, p in PROJECTS.items() if url.startswith(p.base_url)), None)


def unknown_links(site: Path, directory: Path = DIRECTORY) -> dict[str, list[str]]:
    """Links of a built edition into the projects that no inventory names, by page."""
    found: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        if "_static" in page.parts:
            continue
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in html.select("a[href]"):
            url = str(link["href"])
            name = project_of(url)
            if name is not None and url not in targets(name, directory):
                found.setdefault(page.relative_to(site).as_posix(), []).append(url)
    return found


def download(directory: Path = DIRECTORY, timeout: float = 60) -> None:
    """Fetch each project's published ``objects.inv`` (needs network)."""
    for name, project in PROJECTS.items():
        url = f"{project.base_url}objects.inv"
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read()
        InventoryFile.loads(data, uri=project.base_url)  # refuse anything that isn't one
        path_of(name, directory).write_bytes(data)
        print(f"inventories: {name}: {len(data):,} bytes from {url}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("download", help="replace the shipped inventories with the published ones")
    checker = sub.add_parser("check", help="links of a built edition that no inventory names")
    checker.add_argument("site", type=Path)
    args = parser.parse_args(argv)
    if args.command == "download":
        download()
        return 0
    unknown = unknown_links(args.site)
    for page, urls in unknown.items():
        for url in urls:
            print(f"{page}: {url}")
    print(f"inventories: {sum(map(len, unknown.values()))} link(s) to no known target")
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
