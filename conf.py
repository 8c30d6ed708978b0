"""Sphinx configuration for jaxguide: one source, executed once, two editions.

Build with ``make html``: it runs ``python -m jaxguide_build.site``, which executes the
pages once, then runs ``sphinx-build -c . docs _build/html/<edition>`` for each edition.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))  # the build machinery, jaxguide_build

from jaxguide_build import editions, execution, inventories, links, pages

import jaxguide

# -- Project -----------------------------------------------------------------
project = "jaxguide"
release = version = jaxguide.__version__
# The GitHub repository and branch the site links to: the repository and edit buttons, and
# the "Open in Colab" button with its notebooks, which install jaxguide from there
# (jaxguide_build/notebooks.py). A placeholder until the real repository exists; the
# README says what to change.
repository_url = "https://github.com/jaxguide/jaxguide"
repository_branch = "main"

# -- Editions ---------------------------------------------------------------
# The languages are one table, jaxguide_build/editions.py; JAXGUIDE_LANGUAGE (set by
# `make html`) or Read the Docs' READTHEDOCS_LANGUAGE picks the one this build makes.
_edition = editions.current()
language = _edition.sphinx
author = _edition.author
copyright = _edition.copyright
jaxguide_edition = _edition.code
# For text that only one edition needs, such as an English paraphrase of the note's Chinese:
# ```{only} edition_en``` (a tag per edition, its code with "_" for "-").
tags.add(f"edition_{_edition.code.replace('-', '_')}")  # noqa: F821  (Sphinx provides `tags`)
jaxguide_site_url = "https://jaxguide.readthedocs.io/"
# On Read the Docs each edition is a project served at /<code>/<version>/.
jaxguide_version = os.environ.get("READTHEDOCS_VERSION", "")
_site = links.Site(jaxguide_site_url, jaxguide_version or None)
html_baseurl = _site.base_url(_edition.code)

locale_dirs = ["locales/"]  # relative to docs/, unlike the paths above
gettext_compact = False  # one catalog per page
gettext_location = False  # no file:line comments, so catalogs diff cleanly
gettext_uuid = False
# Chinese search needs jieba (in the lock) to split words; without it nothing is indexed.
html_search_language = _edition.search
# The glossary's terms, so jieba keeps words such as 向量化 whole.
html_search_options = {"dict": str(ROOT / "docs" / "_ext" / "jieba-userdict.txt")}
html_search_scorer = "docs/_static/jaxguide-scorer.js"  # glossary entries below the pages

# -- Sources -----------------------------------------------------------------
root_doc = "index"
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = pages.EXCLUDE_PATTERNS  # each with its reason there
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
    "sphinx_codeautolink",
    "sphinx_design",
    "sphinxext.opengraph",
    "notfound.extension",
    "sphinx_reredirects",
    "jaxguide_build",  # one module per concern: docs/_ext/jaxguide_build/__init__.py
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
# Equations become MathML when the page is built (jaxguide_build/maths.py):
# browsers render it natively, so no MathJax script is fetched from a CDN.
html_math_renderer = "mathml"

# -- MyST --------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "attrs_inline"]
myst_heading_anchors = 3

# -- Execution ---------------------------------------------------------------
# "cache" re-runs a page only when its code changed; the cache folder itself is keyed
# on src/jaxguide and the lock (jaxguide_build/execution.py sets nb_execution_cache_path
# when the build starts), so a helper or dependency change starts over. `make html`
# executes the pages before Sphinx runs (jaxguide_build/preexecute.py).
nb_execution_mode = "cache"
nb_execution_timeout = execution.cell_timeout()
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
# myst-nb writes output images to _build/html/jupyter_execute, shared by the editions
# built side by side: each file is named by its content's hash and written only if
# missing, so the two passes never write different bytes to one file.

# -- API reference -----------------------------------------------------------
autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_numpy_docstring = True
napoleon_google_docstring = False

# -- Links -------------------------------------------------------------------
# The upstream projects' own inventories ship in the repo, so the build never touches
# the network and links only to pages those projects really build
# (jaxguide_build/inventories.py says where each comes from and how to refresh it).
intersphinx_mapping = {
    name: (base_url, str(inventories.path_of(name)))
    for name, base_url in inventories.BASE_URLS.items()
}
intersphinx_timeout = 1

# Names in code cells (jax.jit, jnp.where, optax.adam) link to their API pages through
# the same inventories. A page's cells are one program, so a name imported in one cell
# resolves in the cells after it.
codeautolink_concat_default = True

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
notfound_urls_prefix = _site.server_root(_edition.code)  # the 404 page is served at any depth
# docs/_templates/404.html: its words come from the catalogs like every other label.
notfound_template = "404.html"
notfound_context = {"title": "", "body": ""}

# -- Offline formats -----------------------------------------------------------
# `make epub` and `make pdf` (jaxguide_build/formats.py): an EPUB and a PDF per edition,
# from the same execution cache. The PDF is the edition's single-page HTML printed by
# Chromium, so it needs no setting here.
epub_basename = "jaxguide"
epub_identifier = html_baseurl  # the edition's address tells two editions' books apart
epub_scheme = "URL"
epub_publisher = repository_url
epub_css_files = ["jaxguide.css"]  # jaxguide-theme.css styles the book theme's chrome only
# A reader follows a link; writing each URL after it would bury code-heavy pages.
epub_show_urls = "no"

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
# theme's and these, joined and purged of rules no page can match: jaxguide_build/assets.py),
# drops fontawesome.js, defers every script and loads the search index on the search
# page only; jaxguide-theme.css draws the theme's icons and fixes the colours that fail
# WCAG AA contrast.
html_css_files = ["jaxguide.css", "jaxguide-theme.css"]
html_last_updated_fmt = "%Y-%m-%d"
html_theme_options = {
    "repository_url": repository_url,
    "repository_branch": repository_branch,
    "path_to_docs": "docs",
    "use_repository_button": True,
    "use_edit_page_button": True,
    "use_source_button": True,
    "use_download_button": True,
    "show_toc_level": 2,
    "article_header_end": [
        "language-switcher.html",
        "colab-button.html",  # on executed pages: open the page's notebook in Colab
        "article-header-buttons.html",
    ],
}
