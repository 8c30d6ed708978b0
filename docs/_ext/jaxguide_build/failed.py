"""A build that failed on warnings is never followed by one that passes unchanged.

Sphinx pickles the environment before it writes, so a page whose warning failed the
build would not be read again, and a rebuild without changes would pass. After a
failed build, the pickle is removed and the next build re-reads every page.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from jaxguide_build import sphinx_private


def forget_failed_build(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or sphinx_private.warnings_will_fail(app):
        (Path(app.doctreedir) / "environment.pickle").unlink(missing_ok=True)


def setup(app: Sphinx) -> None:
    app.connect("build-finished", forget_failed_build)
