"""How the editions link to each other and announce themselves: the language switcher,
``hreflang`` alternates, ``og:locale``, the sitemap and robots.txt.

Locally the editions are sibling folders (``_build/html/en``, ``_build/html/zh-cn``);
on Read the Docs each is a project served at ``/<code>/<version>/``. The table of
editions is :mod:`jaxguide_build.editions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from jaxguide_build import editions, offline


@dataclass(frozen=True)
class Site:
    """Where the published site lives: its root URL and, on Read the Docs, the version."""

    url: str  # e.g. https://jaxguide.readthedocs.io/
    version: str | None  # READTHEDOCS_VERSION, or None for a local build

    def base_url(self, code: str) -> str:
        """The absolute URL of an edition's root, for search engines and previews."""
        return f"{self.url}{code}/{self.version or 'latest'}/"

    def relative_root(self, code: str) -> str:
        """An edition's root, relative to this edition's root."""
        return f"../../{code}/{self.version}/" if self.version else f"../{code}/"

    def server_root(self, code: str) -> str:
        """An edition's root, from the server's root (for the 404 page, served at any depth)."""
        return f"/{code}/{self.version}/" if self.version else f"/{code}/"


def site_of(app: Sphinx) -> Site:
    return Site(app.config.jaxguide_site_url, app.config.jaxguide_version or None)


def edition_links(app: Sphinx, pagename: str) -> list[dict[str, Any]]:
    """The same page in every edition, for the language switcher and hreflang links."""
    site = site_of(app)
    current = app.config.jaxguide_edition
    from_root = pagename == app.config.notfound_pagename
    links = []
    for edition in editions.EDITIONS:
        if from_root:
            url = f"{site.server_root(edition.code)}{pagename}.html"
        else:
            up = "../" * pagename.count("/")  # from this page to its edition's root
            url = f"{up}{site.relative_root(edition.code)}{pagename}.html"
        links.append(
            {
                "code": edition.code,
                "hreflang": edition.hreflang,
                "name": edition.name,
                "current": edition.code == current,
                "url": url,
                "absolute": f"{site.base_url(edition.code)}{pagename}.html",
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
    if offline.is_offline(app):
        return
    links = edition_links(app, pagename)
    context["jaxguide_editions"] = links
    locale = editions.find(app.config.jaxguide_edition).locale
    tags = [f'<meta property="og:locale" content="{locale}">']
    tags += [
        f'<meta property="og:locale:alternate" content="{e.locale}">'
        for e in editions.EDITIONS
        if e.code != app.config.jaxguide_edition
    ]
    tags += [
        f'<link rel="alternate" hreflang="{link["hreflang"]}" href="{link["absolute"]}">'
        for link in links
    ]
    context["metatags"] = context.get("metatags", "") + "".join(f"{tag}\n" for tag in tags)


def write_sitemap_and_robots(app: Sphinx, exception: Exception | None) -> None:
    """A sitemap of every page, with its other editions, and a robots.txt pointing to it.

    Written from the whole environment at the end of each build, so an incremental
    build (which writes only the pages that changed) still lists every page.
    """
    if exception is not None or app.builder.format != "html" or offline.is_offline(app):
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
    outdir = Path(app.outdir)
    _write_if_changed(outdir / "sitemap.xml", sitemap)
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {app.config.html_baseurl}sitemap.xml\n"
    _write_if_changed(outdir / "robots.txt", robots)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.add_config_value("jaxguide_edition", editions.SOURCE.code, "html", types=[str])
    app.add_config_value("jaxguide_site_url", "", "html", types=[str])
    # Read the Docs' version slug ("latest", "stable", a branch), or "" locally.
    app.add_config_value("jaxguide_version", "", "html", types=[str])
    app.connect("html-page-context", add_edition_context)
    app.connect("build-finished", write_sitemap_and_robots)
