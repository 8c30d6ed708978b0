"""For AI assistants: each edition's ``llms.txt``, ``llms-full.txt`` and Markdown pages.

Following the llms.txt proposal (https://llmstxt.org/), every edition's root has:

- ``<page>.html.md`` next to each ``<page>.html``: the page in Markdown, code cells and
  their outputs included (:mod:`jaxguide_build.markdown`). The proposal's convention,
  the page's URL with ``.md`` appended, lets a tool that has a page's URL find its
  Markdown without a lookup, and keeps the copies apart from ``_sources/<page>.md``,
  the page's source without outputs. Each HTML page links its copy with
  ``<link rel="alternate" type="text/markdown">``.
- ``llms.txt``: the root page's title, the home page's summary paragraph (the one
  labelled ``home-summary``), and under ``## Pages`` one line per page, in reading
  order: ``- [Title](URL of its Markdown copy): description`` (the description of
  :mod:`jaxguide_build.previews`).
- ``llms-full.txt``: every page's Markdown, in reading order (the toctree's).

All of it is in the edition's language, from the edition's own doctrees. A page's
Markdown is written when its HTML is; ``llms.txt`` and ``llms-full.txt`` are written
from every page's copy when the build finishes, so an incremental build keeps them
whole.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.locale import admonitionlabels
from sphinx.util.osutil import relative_uri

from jaxguide_build import markdown, previews

#: Appended to a page's HTML file name to name its Markdown copy.
SUFFIX = ".md"
#: The label of the home page's paragraph that summarises the guide in ``llms.txt``.
SUMMARY_LABEL = "home-summary"


def copy_name(app: Sphinx, docname: str) -> str:
    """The Markdown copy's path from the edition's root: ``jit-compilation.html.md``."""
    return f"{app.builder.get_target_uri(docname)}{SUFFIX}"


def links_for(app: Sphinx, docname: str) -> markdown.Links:
    env = app.env
    here = posixpath.dirname(docname)
    html_suffix = app.config.html_file_suffix or ".html"

    def internal(url: str) -> str:
        path, hash_, fragment = url.partition("#")
        target = posixpath.normpath(posixpath.join(here, path.removesuffix(html_suffix)))
        if path.endswith(html_suffix) and target in env.found_docs:
            path += SUFFIX  # another page: its Markdown copy
        return f"{path}{hash_}{fragment}"

    def image(uri: str) -> str:
        if uri not in env.images:  # a remote or data: image, which the HTML keeps as it is
            return uri
        # The HTML builder copies each image to _images/ under the name env.images gives it.
        built = f"{app.builder.imagedir}/{env.images[uri][1]}"
        return relative_uri(app.builder.get_target_uri(docname), built)

    labels = {name: str(label) for name, label in admonitionlabels.items()}
    return markdown.Links(internal=internal, image=image, admonition=labels)


def write_copy(app: Sphinx, docname: str, doctree: nodes.document) -> Path:
    target = Path(app.outdir) / copy_name(app, docname)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(markdown.page_markdown(doctree, links_for(app, docname)), encoding="utf-8")
    return target


def on_page(
    app: Sphinx,
    pagename: str,
    templatename: str,  # noqa: ARG001  (Sphinx's event signature)
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Write the page's Markdown copy from the doctree its HTML was written from."""
    if doctree is None or app.builder.name != "html":
        return
    write_copy(app, pagename, doctree)
    name = posixpath.basename(copy_name(app, pagename))
    link = f'<link rel="alternate" type="text/markdown" href="{name}">\n'
    context["metatags"] = context.get("metatags", "") + link


def reading_order(env: BuildEnvironment, root: str) -> list[str]:
    """Every page, depth first through the toctrees from ``root``; pages in none, last."""
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname in order or docname not in env.found_docs:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(root)
    return order + sorted(env.found_docs - set(order))


def summary(doctree: nodes.document, separator: str) -> str:
    """The paragraph labelled :data:`SUMMARY_LABEL`, else the page's description."""
    for paragraph in doctree.findall(nodes.paragraph):
        if SUMMARY_LABEL in paragraph["ids"]:
            return previews.text_of(paragraph)
    return previews.describe(doctree, separator) or ""


def llms_txt(app: Sphinx, order: list[str]) -> str:
    env = app.env
    separator = previews.separator(app)
    root = app.config.root_doc
    lines = [f"# {env.titles[root].astext()}", ""]
    about = summary(env.get_doctree(root), separator)
    if about:
        lines += [f"> {about}", ""]
    lines += ["## Pages", ""]
    for docname in order:
        url = f"{app.config.html_baseurl}{copy_name(app, docname)}"
        description = previews.describe(env.get_doctree(docname), separator)
        lines.append(
            f"- [{env.titles[docname].astext()}]({url})"
            + (f": {description}" if description else "")
        )
    return "\n".join(lines) + "\n"


def write_llms_files(app: Sphinx, exception: Exception | None) -> None:
    """``llms.txt`` and ``llms-full.txt``, from every page's Markdown copy."""
    if exception is not None or app.builder.name != "html":
        return
    outdir = Path(app.outdir)
    order = reading_order(app.env, app.config.root_doc)
    pages = []
    for docname in order:
        copy = outdir / copy_name(app, docname)
        if not copy.exists():  # a page this build did not write, in an output folder without it
            write_copy(app, docname, app.env.get_and_resolve_doctree(docname, app.builder))
        pages.append(copy.read_text(encoding="utf-8"))
    (outdir / "llms.txt").write_text(llms_txt(app, order), encoding="utf-8")
    (outdir / "llms-full.txt").write_text("\n".join(pages), encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", on_page)
    app.connect("build-finished", write_llms_files)
