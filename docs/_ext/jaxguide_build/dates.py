"""A page's "last updated" date: the last commit that changed its source.

Sphinx's own date (``html_last_updated_fmt``) is the day of the build, which changes
with every build and tells a reader nothing about the page.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx


def git_last_changed(path: Path) -> str | None:
    """The date of the last commit that touched ``path``, or None outside git."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", str(path)],
            cwd=path.parent,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out or None


def add_last_changed(
    app: Sphinx,
    pagename: str,
    templatename: str,  # noqa: ARG001  (Sphinx's event signature)
    context: dict[str, Any],
    doctree: Any,
) -> None:
    if doctree is None:
        return
    changed = git_last_changed(Path(app.env.doc2path(pagename)))
    if changed:
        context["last_updated"] = changed


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_last_changed, priority=400)
