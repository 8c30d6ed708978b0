"""pydata-sphinx-theme's script without its load-time pass over every code block.

When a page has loaded, the theme's script measures every code block and output
(``scrollWidth > clientWidth``) to give the ones that scroll a keyboard tab stop. Reading
a size makes the browser lay out the whole page at once: on a long executed page, with
its sections below the screen left unlaid-out (``content-visibility`` in
``jaxguide-theme.css``), that one pass was a 400-500 ms task in Lighthouse (4x CPU
throttling), most of the page's total blocking time.

:func:`patch` removes that one call from the copy of the script in the built site;
``_static/jaxguide-tabstops.js`` gives the same tab stops, measuring a block when it
nears the screen, and every block on the reader's first Tab. The rest of the theme's
script is untouched. The call is found by its shape (a function run on ``load`` that
reads ``scrollWidth`` and sets ``tabIndex``), only on the versions in
:data:`CHECKED_ON`; any other version stops the build. The file keeps its URL, so a
browser holding the theme's original in its cache runs the original: slower, with the
same tab stops.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

from sphinx.application import Sphinx

#: pydata-sphinx-theme versions whose bundled script this module was read against.
CHECKED_ON = ("0.20.0",)
SCRIPT = "_static/scripts/pydata-sphinx-theme.js"
MARK = "/*jaxguide: tab stops in jaxguide-tabstops.js*/"
_ON_LOAD = re.compile(
    r'"complete"===document\.readyState\?(?P<name>[\w$]+)\(\)'
    r':window\.addEventListener\("load",(?P=name)\)'
)


class UncheckedTheme(RuntimeError):
    """The installed theme, or its script, is not what this module was read against."""


def patch(script: str) -> str:
    """`script` without the load-time tab-stop pass; unchanged if already patched.

    >>> tab_stops = 'function I(){e.tabIndex=e.scrollWidth>e.clientWidth?0:-1}'
    >>> hook = '"complete"===document.readyState?I():window.addEventListener("load",I)'
    >>> patch(tab_stops + ";" + hook).endswith("void 0" + MARK)
    True
    """
    if MARK in script:
        return script
    calls = list(_ON_LOAD.finditer(script))
    if len(calls) != 1:
        msg = f"{SCRIPT}: expected one function run on load, found {len(calls)}"
        raise UncheckedTheme(msg)
    name = re.escape(calls[0]["name"])
    body = re.search(rf"function {name}\(\)\{{(.*?)(?:function |$)", script, re.DOTALL)
    if body is None or "scrollWidth>" not in body[1] or ".tabIndex=" not in body[1]:
        msg = f"{SCRIPT}: the function run on load does not set tab stops from scrollWidth"
        raise UncheckedTheme(msg)
    return script[: calls[0].start()] + "void 0" + MARK + script[calls[0].end() :]


def patch_built_script(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / SCRIPT
    if not path.exists():  # a builder without the theme's scripts
        return
    text = path.read_text(encoding="utf-8")
    patched = patch(text)
    if patched != text:
        path.write_text(patched, encoding="utf-8")


def setup(app: Sphinx) -> None:
    found = version("pydata-sphinx-theme")
    if found not in CHECKED_ON:
        msg = (
            f"jaxguide_build.themescript edits pydata-sphinx-theme's script, read against "
            f"{', '.join(CHECKED_ON)}, but {found} is installed. Check that the theme's "
            "load-time tab-stop pass (addTabStopsToScrollableElements) is unchanged and that "
            "_static/jaxguide-tabstops.js still does what it did, run tests/test_themescript.py "
            "and the browser tests, then add the version to CHECKED_ON."
        )
        raise UncheckedTheme(msg)
    app.add_js_file("jaxguide-tabstops.js")
    app.connect("build-finished", patch_built_script)
