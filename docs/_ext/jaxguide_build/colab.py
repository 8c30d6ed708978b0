"""The "Open in Colab" button of every executed page, and where the notebooks it opens live.

The button, ``docs/_templates/colab-button.html`` in the article header, links
``https://colab.research.google.com/github/<owner>/<repo>/blob/<branch>/docs/_notebooks/…``:
the repository and branch are conf.py's ``repository_url`` and ``repository_branch``,
the ones the theme's repository and edit buttons use. The notebooks are written by
``make notebooks`` (:mod:`jaxguide_build.notebooks`): ``docs/_notebooks/<page>.ipynb``
for the source edition, ``docs/_notebooks/<code>/<page>.ipynb`` for a translation. A
translated edition without its own notebook of a page links the source edition's one,
and the button says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from sphinx.application import Sphinx

from jaxguide_build import downloads, editions

#: The notebooks' folder under docs/.
FOLDER = "_notebooks"
GITHUB = re.compile(r"^https://github\.com/(?P<owner>[\w.-]+)/(?P<name>[\w.-]+?)(?:\.git)?/?$")


@dataclass(frozen=True)
class Repository:
    """The GitHub repository and branch that Colab and pip read the guide from."""

    owner: str
    name: str
    branch: str

    @classmethod
    def from_theme(cls, options: Mapping[str, Any]) -> Repository:
        """From the theme's options, which conf.py fills from ``repository_url`` and
        ``repository_branch``.

        Examples
        --------
        >>> Repository.from_theme({"repository_url": "https://github.com/me/guide",
        ...                        "repository_branch": "main"}).colab("docs/_notebooks/a.ipynb")
        'https://colab.research.google.com/github/me/guide/blob/main/docs/_notebooks/a.ipynb'
        >>> Repository.from_theme({"repository_url": "https://gitlab.com/me/guide"})
        Traceback (most recent call last):
        ...
        ValueError: repository_url in conf.py must be https://github.com/<owner>/<repo> for Colab to open the notebooks, not 'https://gitlab.com/me/guide'
        """
        url = str(options.get("repository_url", ""))
        match = GITHUB.match(url)
        if match is None:
            msg = (
                "repository_url in conf.py must be https://github.com/<owner>/<repo> "
                f"for Colab to open the notebooks, not {url!r}"
            )
            raise ValueError(msg)
        return cls(match["owner"], match["name"], str(options.get("repository_branch", "main")))

    @property
    def url(self) -> str:
        return f"https://github.com/{self.owner}/{self.name}"

    def colab(self, path: str) -> str:
        return f"https://colab.research.google.com/github/{self.owner}/{self.name}/blob/{self.branch}/{path}"

    def pip(self) -> str:
        """A pip requirement for jaxguide from this repository and branch."""
        return f"jaxguide @ git+{self.url}@{self.branch}"


def notebook_path(page: str, edition: editions.Edition) -> PurePosixPath:
    """A page's notebook in an edition, relative to docs/.

    Examples
    --------
    >>> str(notebook_path("jit-compilation", editions.find("en")))
    '_notebooks/jit-compilation.ipynb'
    >>> str(notebook_path("jit-compilation", editions.find("zh-cn")))
    '_notebooks/zh-cn/jit-compilation.ipynb'
    """
    folder = PurePosixPath(FOLDER)
    if edition != editions.SOURCE:
        folder /= edition.code
    return folder / f"{page}.ipynb"


def add_colab_link(
    app: Sphinx,
    pagename: str,
    templatename: str,  # noqa: ARG001  (Sphinx's event signature)
    context: dict[str, Any],
    doctree: Any,
) -> None:
    """Give the header's Colab button its URL, on executed pages only."""
    if doctree is None or not downloads.is_notebook_page(app, pagename):
        return
    options = app.config.html_theme_options
    repository = Repository.from_theme(options)
    edition = editions.find(app.config.jaxguide_edition)
    path = notebook_path(pagename, edition)
    in_language = edition == editions.SOURCE or (Path(app.srcdir) / path).is_file()
    if not in_language:
        path = notebook_path(pagename, editions.SOURCE)
    docs_path = str(options.get("path_to_docs", "docs")).strip("/")
    context["jaxguide_colab"] = {
        "url": repository.colab(f"{docs_path}/{path}"),
        "in_language": in_language,
    }


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_colab_link)
