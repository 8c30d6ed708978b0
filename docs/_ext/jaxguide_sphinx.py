"""The build's own machinery: execution-cache keys and build-time checks.

This module is Sphinx-side only. It may import :mod:`jaxguide`; the helper
package never imports it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Any

import cssbundle
import nbformat
import sphinx.locale
import sphinx_book_theme
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from docutils import nodes
from docutils.utils.math.latex2mathml import tex2mathml
from jupyter_cache import get_cache
from myst_nb.core.read import read_myst_markdown_notebook
from myst_parser.config.main import MdParserConfig
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.images import get_image_size

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]

# What the executed outputs depend on besides a page's own code cells. jupyter-cache
# keys a page on its code alone, so a change to any of these must start a fresh cache.
CACHE_INPUTS = ("src/jaxguide", "requirements.lock")


def inputs_digest(root: Path = REPO_ROOT, inputs: tuple[str, ...] = CACHE_INPUTS) -> str:
    """Hash the files the executed outputs depend on, in a stable order."""
    digest = hashlib.sha256()
    for name in inputs:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts:
                continue
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]


def cache_root(root: Path = REPO_ROOT) -> Path:
    """Where execution caches live: ``$JAXGUIDE_CACHE_ROOT`` or ``_build/.jupyter_cache``."""
    override = os.environ.get("JAXGUIDE_CACHE_ROOT")
    return Path(override) if override else root / "_build" / ".jupyter_cache"


def cache_problem(path: Path) -> str | None:
    """Why the execution cache at ``path`` can't be trusted, or None if it can."""
    db = path / "global.db"
    if not db.exists():
        return None if not (path / "executed").exists() else "its database is missing"
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            keys = [row[0] for row in conn.execute("SELECT hashkey FROM nbcache")]
    except sqlite3.Error as exc:
        return f"its database can't be read ({exc})"
    for key in keys:
        notebook = path / "executed" / key / "base.ipynb"
        try:
            json.loads(notebook.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return f"the cached notebook {notebook.name} of record {key} is damaged ({exc})"
    return None


def execution_cache_path(root: Path = REPO_ROOT) -> Path:
    """The cache folder for the current helper package and lock.

    Older folders are pruned, and a damaged one is set aside with a warning: the
    pages are then executed again instead of the build crashing.
    """
    base = cache_root(root)
    current = base / inputs_digest(root)
    problem = cache_problem(current) if current.exists() else None
    if problem:
        logger.warning(
            "jaxguide: execution cache %s is damaged: %s; executing again", current, problem
        )
        shutil.rmtree(current, ignore_errors=True)
    if base.is_dir():
        for stale in base.iterdir():
            if stale.is_dir() and stale != current:
                logger.info("jaxguide: pruning stale execution cache %s", stale.name)
                shutil.rmtree(stale, ignore_errors=True)
    return current


def read_page(path: Path) -> nbformat.NotebookNode:
    """Read a page exactly as myst-nb does, so the cache keys match."""
    text = path.read_text(encoding="utf-8")
    return read_myst_markdown_notebook(
        text, config=MdParserConfig(), add_source_map=True, path=str(path)
    )


def cell_timeout() -> int:
    """Seconds a cell may run: ``$JAXGUIDE_CELL_TIMEOUT`` or 180."""
    return int(os.environ.get("JAXGUIDE_CELL_TIMEOUT", "180"))


def edition_links(app: Sphinx, pagename: str) -> list[dict[str, Any]]:
    """The same page in every edition, for the language switcher and hreflang links."""
    current = app.config.jaxguide_edition
    up = "../" * pagename.count("/")  # from this page to its edition's root
    # The 404 page is served for any missing URL, at any depth: link from the root.
    from_root = pagename == app.config.notfound_pagename
    links = []
    for code, (hreflang, name) in app.config.jaxguide_editions.items():
        if from_root:
            up, relative = "", app.config.jaxguide_edition_rooturl.format(code=code)
        else:
            relative = app.config.jaxguide_edition_relurl.format(code=code)
        absolute = app.config.jaxguide_edition_absurl.format(code=code)
        links.append(
            {
                "code": code,
                "hreflang": hreflang,
                "name": name,
                "current": code == current,
                "url": f"{up}{relative}{pagename}.html",
                "absolute": f"{absolute}{pagename}.html",
            }
        )
    return links


def add_edition_context(
    app: Sphinx,
    pagename: str,
    templatename: str,  # noqa: ARG001  (Sphinx's event signature)
    context: dict[str, Any],
    doctree: Any,  # noqa: ARG001
) -> None:
    """Give templates the other editions of this page, and tell search engines about them."""
    links = edition_links(app, pagename)
    context["jaxguide_editions"] = links
    alternates = "".join(
        f'<link rel="alternate" hreflang="{link["hreflang"]}" href="{link["absolute"]}">\n'
        for link in links
    )
    context["metatags"] = context.get("metatags", "") + alternates


def freeze_outputs(app: Sphinx, doctree: nodes.document, docname: str) -> None:  # noqa: ARG001
    """Keep executed outputs out of the translation catalogs.

    Outputs are shared by both editions and change with every execution (timings),
    so they are language-neutral by design; their text must not become messages.
    Figure captions come from the page's source, not from execution: they stay.
    """
    for container in doctree.findall(nodes.container):
        if "cell_output" in container.get("classes", []):
            captions = {id(n) for cap in container.findall(nodes.caption) for n in cap.findall()}
            for node in container.findall(nodes.TextElement):
                if id(node) not in captions:
                    node["translatable"] = False


def visit_math_inline(self: Any, node: nodes.math) -> None:
    """Render inline LaTeX as MathML at build time: no MathJax, no CDN, no script."""
    self.body.append(tex2mathml(node.astext()))
    raise nodes.SkipNode


def visit_math_block(self: Any, node: nodes.math_block) -> None:
    """Render a display equation as block MathML, with its number if it has one."""
    self.body.append(self.starttag(node, "div", CLASS="math-display"))
    if node.get("number"):
        number = f"({node['number']})"
        self.body.append(f'<span class="eqno">{number}</span>')
    self.body.append(tex2mathml(node.astext(), as_block=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def visit_image(self: Any, node: nodes.image) -> None:
    """The writer's own image, with the file's pixel size as ``width``/``height``, so
    the browser keeps the space before the image arrives (no layout shift while a
    reader scrolls); ``height: auto`` in jaxguide.css lets narrow screens scale it."""
    source = Path(self.builder.srcdir, node["uri"])
    # An output image has no alt text of its own (docutils would use its file name):
    # use its figure's caption, translated in the Chinese edition like the caption.
    if not node.get("alt") and isinstance(node.parent, nodes.figure):
        caption = next(node.parent.findall(nodes.caption), None)
        if caption:
            node["alt"] = caption.astext()
    type(self).visit_image(self, node)
    tag = self.body[-1] if self.body else ""
    if not tag.startswith("<img ") or re.search(r"\s(width|height|style)=", tag):
        return
    size = get_image_size(source) if source.is_file() else None
    if size:
        self.body[-1] = tag.replace("<img ", f'<img width="{size[0]}" height="{size[1]}" ', 1)


def depart_image(self: Any, node: nodes.image) -> None:
    type(self).depart_image(self, node)


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


def is_notebook_page(app: Sphinx, pagename: str) -> bool:
    return "kernelspec" in app.env.metadata.get(pagename, {})


def write_notebook(app: Sphinx, pagename: str) -> str:
    """Write the page's executed notebook next to its source, for download."""
    source = Path(app.env.doc2path(pagename))
    nb = read_page(source)
    nb.metadata.pop("source_map", None)
    try:
        _, nb = get_cache(app.config.nb_execution_cache_path).merge_match_into_notebook(nb)
    except KeyError:
        # Only when Sphinx executes pages itself (force mode, for comparisons): the
        # download is then the page's code without outputs, which still runs.
        logger.info("jaxguide: no cached outputs for %s; its notebook has none", pagename)
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.writes(nb), encoding="utf-8")
    return f"{pagename}.ipynb"


def add_page_context(
    app: Sphinx,
    pagename: str,
    templatename: str,  # noqa: ARG001  (Sphinx's event signature)
    context: dict[str, Any],
    doctree: Any,
) -> None:
    """Per page: the executed notebook to download, and when the page last changed."""
    if doctree is None:
        return
    if is_notebook_page(app, pagename):
        context["ipynb_source"] = write_notebook(app, pagename)
    changed = git_last_changed(Path(app.env.doc2path(pagename)))
    if changed:
        context["last_updated"] = changed


# -- One stylesheet per edition (docs/_ext/cssbundle.py) ----------------------------------

SITE_CSS = "_static/jaxguide-site.css"
# pydata-sphinx-theme links these two itself (webpack-macros.html), before Sphinx's list.
THEME_STYLESHEETS = ("_static/styles/theme.css", "_static/styles/pydata-sphinx-theme.css")
_SITE_CSS_LINK = re.compile(r"(jaxguide-site\.css\?v=)[0-9a-f]+")


def site_stylesheets(app: Sphinx) -> list[str]:
    """Every stylesheet a page links, in cascade order: what the site bundle is made of."""
    # Sphinx keeps the list it puts in each page's context on the builder (private in
    # name, stable since Sphinx 7; the lock pins Sphinx).
    files = sorted(app.builder._orig_css_files, key=lambda css: css.priority)  # type: ignore[attr-defined]
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
    if not hasattr(app.builder, "_orig_css_files"):
        return
    extra = set(context.get("css_files", ())) - set(app.builder._orig_css_files)
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


def write_site_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    """Join and purge this edition's stylesheets into SITE_CSS, then point every page
    (those this build did not rewrite too) at its digest."""
    if exception is not None or not hasattr(app.builder, "_orig_css_files"):
        return
    outdir = Path(app.outdir)
    pages = {page: page.read_text(encoding="utf-8") for page in outdir.rglob("*.html")}
    scripts = (
        script.read_text(encoding="utf-8", errors="replace")
        for script in (outdir / "_static").rglob("*.js")
    )
    used = cssbundle.used_names(pages.values(), scripts)
    text, digest = cssbundle.build(outdir, site_stylesheets(app), used)
    (outdir / SITE_CSS).write_text(text, encoding="utf-8")
    for page, html in pages.items():
        fixed = _SITE_CSS_LINK.sub(rf"\g<1>{digest}", html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")


def write_sitemap_and_robots(app: Sphinx, exception: Exception | None) -> None:
    """A sitemap of every page, with its other editions, and a robots.txt pointing to it.

    Written from the whole environment at the end of each build, so an incremental
    build (which writes only the pages that changed) still lists every page.
    """
    if exception is not None or app.builder.format != "html":
        return
    urls = []
    for docname in sorted(app.env.found_docs):
        links = edition_links(app, docname)
        current = next(link for link in links if link["current"])
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{link["hreflang"]}" href="{link["absolute"]}"/>'
            for link in links
        )
        urls.append(f"<url><loc>{current['absolute']}</loc>{alternates}</url>")
    sitemap = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(urls) + "\n</urlset>\n"
    )
    (Path(app.outdir) / "sitemap.xml").write_text(sitemap, encoding="utf-8")
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {app.config.html_baseurl}sitemap.xml\n"
    (Path(app.outdir) / "robots.txt").write_text(robots, encoding="utf-8")


def track_helper_sources(app: Sphinx, doctree: nodes.document) -> None:
    """Re-read a page that documents ``jaxguide`` whenever any of its modules changes.

    autodoc records only the module it imported (``jaxguide/__init__.py``), not the
    submodules whose docstrings it re-exports, so an edited docstring would not
    reach the API page in an incremental build.
    """
    documents_helpers = any(
        str(sig.get("module", "")).startswith("jaxguide")
        for sig in doctree.findall(addnodes.desc_signature)
    )
    if documents_helpers:
        for source in sorted((REPO_ROOT / "src" / "jaxguide").rglob("*.py")):
            app.env.note_dependency(str(source))


def forget_failed_build(app: Sphinx, exception: Exception | None) -> None:
    """After a build that failed on warnings, make the next one re-read every page.

    Sphinx pickles the environment before it writes, so a page whose warning failed
    the build would not be read again, and a rebuild without changes would pass.
    """
    # Sphinx has no public way to ask whether warnings will fail this build.
    failing = app._fail_on_warnings and app._warncount > 0
    if exception is not None or failing:
        (Path(app.doctreedir) / "environment.pickle").unlink(missing_ok=True)


def prefer_our_theme_catalog(app: Sphinx) -> None:
    """Read our ``booktheme`` catalog before sphinx-book-theme's own.

    The theme loads its catalog when it is set up, so ours (if this edition has one)
    is compiled here and put first; the theme's catalog still fills any gap.
    """
    language = app.config.language
    po = Path(app.srcdir) / "locales" / language / "LC_MESSAGES" / "booktheme.po"
    if not po.exists():
        return
    with po.open("rb") as handle:
        catalog = read_po(handle)
    compiled = Path(app.doctreedir) / "jaxguide-locale"
    mo = compiled / language / "LC_MESSAGES" / "booktheme.mo"
    mo.parent.mkdir(parents=True, exist_ok=True)
    with mo.open("wb") as handle:
        write_mo(handle, catalog)
    theme_dir = Path(sphinx_book_theme.__file__).parent / "theme/sphinx_book_theme/static/locales"
    # sphinx.locale keeps one translator per catalog; rebuild it with ours first.
    sphinx.locale.translators.pop(("general", "booktheme"), None)
    sphinx.locale.init([str(compiled), str(theme_dir)], language, "booktheme")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("jaxguide_edition", "en", "html", types=[str])
    # code -> (hreflang, name shown in the switcher)
    app.add_config_value("jaxguide_editions", {}, "html", types=[dict])
    # Where an edition's root is, from this edition's root ("{code}" is replaced),
    # and its absolute URL for search engines.
    app.add_config_value("jaxguide_edition_relurl", "../{code}/", "html", types=[str])
    app.add_config_value("jaxguide_edition_absurl", "", "html", types=[str])
    app.add_config_value("jaxguide_edition_rooturl", "/{code}/", "html", types=[str])
    app.connect("html-page-context", add_edition_context)
    app.connect("doctree-resolved", freeze_outputs)
    app.connect("builder-inited", prefer_our_theme_catalog)
    app.connect("doctree-read", track_helper_sources)
    # Before the theme's header buttons (priority 501) read "ipynb_source".
    app.connect("html-page-context", add_page_context, priority=400)
    app.connect("html-page-context", link_site_stylesheet, priority=900)
    # After every other build-finished handler: pydata-sphinx-theme rewrites pygments.css there.
    app.connect("build-finished", write_site_stylesheet, priority=900)
    app.connect("build-finished", write_sitemap_and_robots)
    app.connect("build-finished", forget_failed_build)
    app.add_node(nodes.image, override=True, html=(visit_image, depart_image))
    app.add_html_math_renderer(
        "mathml",
        inline_renderers=(visit_math_inline, None),
        block_renderers=(visit_math_block, None),
    )
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
