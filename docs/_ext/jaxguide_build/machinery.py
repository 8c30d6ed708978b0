"""A change in the build machinery makes the next build re-read every page.

Sphinx notices a changed page, template or ``conf.py`` setting, but not a changed
extension: after an edit to a module of this package, an incremental build would keep
every page as the old code made it. So the package's own source is a configuration
value, ``jaxguide_machinery`` (a digest of its files, set once per build when the
configuration is read), whose change makes Sphinx re-read every page, as any setting
that affects the pages does.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

PACKAGE = Path(__file__).resolve().parent


def digest(package: Path = PACKAGE) -> str:
    """A digest of the package's Python files (names and contents)."""
    sha = hashlib.sha256()
    for module in sorted(package.glob("*.py")):
        sha.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return sha.hexdigest()


def record_machinery(app: Sphinx, config: Config) -> None:  # noqa: ARG001  (Sphinx's signature)
    config.jaxguide_machinery = digest()


def setup(app: Sphinx) -> None:
    app.add_config_value("jaxguide_machinery", "", "env", types=frozenset({str}))
    app.connect("config-inited", record_machinery)
