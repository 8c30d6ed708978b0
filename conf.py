"""Sphinx configuration for jaxguide: one source, executed once, two editions.

Build with ``make html`` (it runs ``sphinx-build -c . docs _build/html/<lang>``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import jaxguide_sphinx
from make_inventories import BASE_URLS as INVENTORY_BASE_URLS

import jaxguide

# -- Project -----------------------------------------------------------------
project = "jaxguide"
author = "the jaxguide authors"
copyright = f"2026, {author}"
release = version = jaxguide.__version__
repository_url = "https://github.com/jaxguide/jaxguide"

# -- Editions ---------------------------------------------------------------
# Site code (the URL folder, Read the Docs' language) -> (Sphinx language, hreflang, name).
EDITIONS = {
    "en": ("en", "en", "English"),
    "zh-cn": ("zh_CN", "zh-CN", "简体中文"),
}
SITE_URL = "https://jaxguide.readthedocs.io/"
_edition = os.environ.get("JAXGUIDE_LANGUAGE") or os.environ.get("READTHEDOCS_LANGUAGE") or "en"
if _edition not in EDITIONS:
    _msg = (
        f"unknown jaxguide language {_edition!r}; supported: {', '.join(EDITIONS)} "
        "(set JAXGUIDE_LANGUAGE, or run `make html LANGUAGES='en zh-cn'`)"
    )
    raise ValueError(_msg)
language = EDITIONS[_edition][0]
if _edition == "zh-cn":
    author = "jaxguide 作者"
    copyright = f"2026, {author}"
jaxguide_edition = _edition
jaxguide_editions = {code: (hreflang, name) for code, (_, hreflang, name) in EDITIONS.items()}
# Locally the editions are sibling folders; on Read the Docs each is a project
# served at /<language>/<version>/.
_rtd_version = os.environ.get("READTHEDOCS_VERSION")
jaxguide_edition_relurl = f"../../{{code}}/{_rtd_version}/" if _rtd_version else "../{code}/"
# From the server's root: for the 404 page, which is served at any depth.
jaxguide_edition_rooturl = f"/{{code}}/{_rtd_version}/" if _rtd_version else "/{code}/"
jaxguide_edition_absurl = SITE_URL + "{code}/" + (_rtd_version or "latest") + "/"
html_baseurl = jaxguide_edition_absurl.format(code=_edition)

locale_dirs = ["locales/"]  # relative to docs/, unlike the paths above
gettext_compact = False  # one catalog per page
gettext_location = False  # no file:line comments, so catalogs diff cleanly
gettext_uuid = False
# Chinese search needs jieba (in the lock) to split words; without it nothing is indexed.
html_search_language = "zh" if language == "zh_CN" else "en"
# The glossary's terms, so jieba keeps words such as 向量化 whole.
html_search_options = {"dict": str(ROOT / "docs" / "_ext" / "jieba-userdict.txt")}
html_search_scorer = "docs/_static/jaxguide-scorer.js"  # glossary entries below the pages

# -- Sources -----------------------------------------------------------------
root_doc = "index"
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
# Sources live in docs/, but keep the rest of the repository out in case
# someone points Sphinx at the root.
exclude_patterns = [
    "_build",
    "_ext",  # build machinery, not pages
    "locales",  # translation catalogs
    ".venv",
    "src",
    "tests",
    "benchmarks",
    "README.md",
    "**/.ipynb_checkpoints",
]
# Paths below are relative to this file (the root), not to docs/.
templates_path = ["docs/_templates"]

# -- Extensions --------------------------------------------------------------
extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "sphinx_copybutton",
    "sphinx_design",
    "sphinxext.opengraph",
    "notfound.extension",
    "sphinx_reredirects",
    "jaxguide_sphinx",
]

# -- Strictness --------------------------------------------------------------
nitpicky = True
# Targets that no shipped inventory documents; each with the reason.
nitpick_ignore = [
    ("py:class", "optional"),  # numpydoc's "x : int, optional" wording
    ("py:class", "jaxguide.timing.T"),  # a TypeVar: autodoc renders it, nothing documents it
]
nitpick_ignore_regex = [
    (r"py:class", r"numpy\.typing\..*"),  # aliases that render by their expansion
]

# -- Maths -------------------------------------------------------------------
# Equations become MathML when the page is built (docs/_ext/jaxguide_sphinx.py):
# browsers render it natively, so no MathJax script is fetched from a CDN.
html_math_renderer = "mathml"

# -- MyST --------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "attrs_inline"]
myst_heading_anchors = 3

# -- Execution ---------------------------------------------------------------
# "cache" re-runs a page only when its code changed; the cache folder itself is
# keyed on src/jaxguide and the lock, so a helper or dependency change starts over.
nb_execution_mode = "cache"
nb_execution_cache_path = str(jaxguide_sphinx.execution_cache_path())
nb_execution_timeout = jaxguide_sphinx.cell_timeout()
nb_execution_raise_on_error = True
nb_execution_show_tb = True
# Anything a cell writes to stderr (a warning, a deprecation) becomes a build warning,
# and -W turns it into a failure that names the page.
nb_output_stderr = "warn"
nb_merge_streams = True
# The gettext builder renders outputs like the HTML one, so figures (and their
# captions, which are translated) exist when the catalogs are extracted.
nb_mime_priority_overrides = [
    ("gettext", mime, rank)
    for rank, mime in enumerate(
        ["text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/plain"]
    )
]
# Pygments' IPython traceback lexer chokes on the backticks in JAX's error messages.
nb_render_error_lexer = "myst-ansi"

# -- API reference -----------------------------------------------------------
autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_numpy_docstring = True
napoleon_google_docstring = False

# -- Links -------------------------------------------------------------------
# Inventories ship in the repo so the build never touches the network;
# refresh them with `python docs/_ext/make_inventories.py`.
_INV = ROOT / "docs" / "_ext" / "inventories"
intersphinx_mapping = {
    name: (base_url, str(_INV / f"{name}.inv")) for name, base_url in INVENTORY_BASE_URLS.items()
}
intersphinx_timeout = 1

# Moved or renamed pages: old page -> new URL. Labels and page names are a public
# API (tests/anchors.txt); renaming one needs an entry here.
redirects: dict[str, str] = {}

# -- Previews, search engines, 404 -----------------------------------------
ogp_site_url = html_baseurl
ogp_site_name = "jaxguide"
ogp_image = "_static/jaxguide-preview.png"
ogp_image_alt = "jaxguide: an executed guide to JAX"
ogp_enable_meta_description = True
ogp_social_cards = {"enable": False}  # one shared preview image; cards would need network fonts
ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary_large_image">']
html_favicon = "docs/_static/favicon.svg"
notfound_urls_prefix = jaxguide_edition_rooturl.format(code=_edition)
_home = f"{notfound_urls_prefix}index.html"  # absolute: the 404 page is served at any depth
notfound_context = {
    "en": {
        "title": "Page not found",
        "body": "<h1>Page not found</h1><p>This page does not exist (any more). "
        f'Start again from the <a href="{_home}">guide\'s home page</a>.</p>',
    },
    "zh-cn": {
        "title": "页面不存在",
        "body": "<h1>页面不存在</h1><p>你要找的页面不存在（或已移走）。"
        f'请从<a href="{_home}">本指南的首页</a>重新开始。</p>',
    },
}[_edition]

# -- Copy button ---------------------------------------------------------------
copybutton_exclude = ".linenos, .gp, .go"
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# -- Theme -------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "jaxguide"
html_static_path = ["docs/_static"]
# Page speed and accessibility (issue 8; `make bench-pages` measures them):
# docs/_templates/layout.html links one stylesheet, _static/jaxguide-site.css (the
# theme's and these, joined and purged of rules no page can match: docs/_ext/cssbundle.py),
# drops fontawesome.js, defers every script and loads the search index on the search
# page only; jaxguide-theme.css draws the theme's icons and fixes the colours that fail
# WCAG AA contrast.
html_css_files = ["jaxguide.css", "jaxguide-theme.css"]
html_last_updated_fmt = "%Y-%m-%d"
html_theme_options = {
    "repository_url": repository_url,
    "repository_branch": "main",
    "path_to_docs": "docs",
    "use_repository_button": True,
    "use_edit_page_button": True,
    "use_source_button": True,
    "use_download_button": True,
    "show_toc_level": 2,
    "article_header_end": ["language-switcher.html", "article-header-buttons.html"],
}
