"""Write the anchor contract: every public page URL and section anchor of the site.

``python -m jaxguide_build.anchors _build/html/en > tests/anchors.txt`` (``make anchors``)
lists, from the built site's ``objects.inv``, each page as ``page.html`` and each
labelled section as ``page.html#label``. The list is checked in; tests fail when a
listed anchor disappears without a redirect, or when a new label is not listed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sphinx.util.inventory import InventoryFile

from jaxguide_build import editions


def public_anchors(site: Path) -> list[str]:
    """Page URLs and ``page.html#label`` anchors from a built edition's inventory."""
    inventory = InventoryFile.loads((site / "objects.inv").read_bytes(), uri="")
    anchors = set()
    for name, item in inventory.data.get("std:doc", {}).items():
        anchors.add(item.uri if item.uri else f"{name}.html")
    for item in inventory.data.get("std:label", {}).values():
        anchors.add(item.uri)
    # genindex, modindex and search are Sphinx's own pages, not part of the contract.
    return sorted(a for a in anchors if not a.startswith(("genindex", "py-modindex", "search")))


def main(argv: list[str]) -> int:
    site = Path(argv[1]) if len(argv) > 1 else Path("_build/html") / editions.SOURCE.code
    sys.stdout.write("".join(f"{anchor}\n" for anchor in public_anchors(site)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
