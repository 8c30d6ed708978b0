"""One stylesheet per edition: the glue between Sphinx and :mod:`jaxguide_build.cssbundle`.

Pages link ``_static/jaxguide-site.css?v=<digest>`` (docs/_templates/layout.html)
instead of the ten stylesheets the theme and extensions load. At the end of a build
the bundle is made from those stylesheets, purged of the rules that nothing on the
site can match, and every page's link gets the bundle's digest, so a browser never
mixes a cached old bundle with new pages. When neither the stylesheets nor the
names the pages use changed (a rebuild without changes), the bundle is kept as it is.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from jaxguide_build import cssbundle, offline, sphinx_private

logger = logging.getLogger(__name__)

SITE_CSS = "_static/jaxguide-site.css"
# pydata-sphinx-theme links these two itself (webpack-macros.html), before Sphinx's list.
THEME_STYLESHEETS = ("_static/styles/theme.css", "_static/styles/pydata-sphinx-theme.css")
_SITE_CSS_LINK = re.compile(r"(jaxguide-site\.css\?v=)[0-9a-f]+")
_SCRIPT_SRC = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"']+)""")


def site_stylesheets(app: Sphinx) -> list[str]:
    """Every stylesheet a page links, in cascade order: what the site bundle is made of."""
    files = sorted(sphinx_private.page_stylesheets(app) or [], key=lambda css: css.priority)
    paths = list(THEME_STYLESHEETS)
    for css in files:
        extra = {
            k: v
            for k, v in css.attributes.items()
            if (k, v) not in {("rel", "stylesheet"), ("type", "text/css")}
        }
        if "://" in str(css.filename) or extra:
            msg = f"stylesheet {css.filename} ({extra or 'remote'}) cannot join {SITE_CSS}"
            raise cssbundle.CSSError(msg)
        paths.append(str(css.filename))
    return paths


def link_site_stylesheet(
    app: Sphinx,
    pagename: str,
    templatename: str,  # noqa: ARG001  (Sphinx's event signature)
    context: dict[str, Any],
    doctree: Any,  # noqa: ARG001
) -> None:
    """Pages link the bundle instead of their stylesheets. A stylesheet added for one
    page only would be left out of the bundle: a warning (an error under -W) names it."""
    shared = sphinx_private.page_stylesheets(app)
    if shared is None or offline.is_offline(app):
        return
    extra = set(context.get("css_files", ())) - set(shared)
    if extra:
        names = ", ".join(sorted(str(getattr(css, "filename", css)) for css in extra))
        logger.warning(
            "%s adds stylesheets only for itself (%s); %s holds the stylesheets every page "
            "shares, so add them to html_css_files instead",
            pagename,
            names,
            SITE_CSS,
            location=pagename,
        )
    # The real digest is known once every page is written; write_site_stylesheet sets it.
    context["jaxguide_site_css"] = f"{SITE_CSS}?v=0"


def _bundle_key(outdir: Path, sources: list[str], used: cssbundle.UsedNames) -> str:
    """What the bundle is made from: the stylesheets, the names the site can produce and
    the code that makes it (a change to it must not leave an old bundle standing)."""
    digest = hashlib.sha256(Path(cssbundle.__file__).read_bytes())
    for source in sources:
        digest.update(source.encode() + b"\0" + (outdir / source).read_bytes() + b"\0")
    names = [
        sorted(used.classes),
        sorted(used.ids),
        sorted(used.words),
        sorted(used.prefixes),
        sorted(used.variables),
        sorted(used.variable_prefixes),
    ]
    digest.update(json.dumps(names).encode())
    return digest.hexdigest()


def running_scripts(scripts: dict[str, str], pages: Iterable[str]) -> list[str]:
    """Of the site's `scripts` (path from the edition's root: text), those pages run:
    the ones a page loads (``<script src>``), and any that such a script names
    (``searchindex.js``)."""
    sources = {src.split("?")[0] for html in pages for src in _SCRIPT_SRC.findall(html)}
    running = {name for name in scripts if any(src.endswith(name) for src in sources)}
    while True:
        named = {
            name
            for name in scripts.keys() - running
            if any(posixpath.basename(name) in scripts[other] for other in running)
        }
        if not named:
            return [scripts[name] for name in sorted(running)]
        running |= named


def write_site_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    """Join and purge this edition's stylesheets into SITE_CSS, then point every page
    (those this build did not rewrite too) at its digest."""
    if (
        exception is not None
        or sphinx_private.page_stylesheets(app) is None
        or offline.is_offline(app)
    ):
        return
    outdir = Path(app.outdir)
    pages = {page: page.read_text(encoding="utf-8") for page in outdir.rglob("*.html")}
    scripts = {
        script.relative_to(outdir).as_posix(): script.read_text(encoding="utf-8", errors="replace")
        for script in outdir.rglob("*.js")
    }
    used = cssbundle.used_names(
        pages.values(),
        (text for name, text in scripts.items() if name.startswith("_static/")),
        running_scripts(scripts, pages.values()),
    )
    sources = site_stylesheets(app)
    key = _bundle_key(outdir, sources, used)
    stamp = Path(app.doctreedir) / "jaxguide-site-css.json"
    try:
        previous = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    if previous.get("key") == key and (outdir / SITE_CSS).exists():
        digest = str(previous["digest"])  # same inputs: the bundle on disk stands
    else:
        text, digest = cssbundle.build(outdir, sources, used, posixpath.dirname(SITE_CSS))
        (outdir / SITE_CSS).write_text(text, encoding="utf-8")
        stamp.write_text(json.dumps({"key": key, "digest": digest}), encoding="utf-8")
    for page, html in pages.items():
        fixed = _SITE_CSS_LINK.sub(rf"\g<1>{digest}", html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", link_site_stylesheet, priority=900)
    # After every other build-finished handler: pydata-sphinx-theme rewrites pygments.css there.
    app.connect("build-finished", write_site_stylesheet, priority=900)
