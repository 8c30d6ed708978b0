"""Files that a page's code makes and offers to the reader: a trace, a profile, an export.

A cell returns :func:`offer_file`'s result as its output. In a notebook (Jupyter,
Colab) that is a download link that carries the file itself, as a ``data:`` URI. When
the site is built, the build writes the file next to the page and links to it
instead, so the page stays light; the file travels with the executed outputs, so a
page served from the execution cache still offers it.
"""

from __future__ import annotations

import base64
import html
import mimetypes
from dataclasses import dataclass
from pathlib import Path

#: Larger files would make the executed notebook (and its cache) heavy; write less.
MAX_BYTES = 4 * 1024 * 1024
CSS_CLASS = "jaxguide-file"


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} B"
    return f"{n / 1e3:.1f} KB" if n < 1_000_000 else f"{n / 1e6:.1f} MB"


@dataclass(frozen=True)
class OfferedFile:
    """A file a cell offers for download: its name, its bytes and what it is.

    Introduced on the page :doc:`/debugging-profiling`.

    Examples
    --------
    >>> from jaxguide.files import OfferedFile
    >>> f = OfferedFile("notes.txt", b"hello", "a greeting")
    >>> f
    OfferedFile('notes.txt', 5 B: a greeting)
    >>> f._repr_html_()
    '<p class="jaxguide-file"><a download="notes.txt" href="data:text/plain;base64,aGVsbG8=">notes.txt</a> (5 B): a greeting</p>'
    """

    filename: str
    data: bytes
    description: str = ""

    def __post_init__(self) -> None:
        if not self.filename or Path(self.filename).name != self.filename:
            msg = f"offer a plain file name, not a path: {self.filename!r}"
            raise ValueError(msg)
        if len(self.data) > MAX_BYTES:
            msg = (
                f"{self.filename} has {_size(len(self.data))}, more than the {_size(MAX_BYTES)} a "
                "page may offer; write a smaller file (fewer steps, a shorter trace)"
            )
            raise ValueError(msg)

    @property
    def media_type(self) -> str:
        guessed, encoding = mimetypes.guess_type(self.filename)
        if encoding == "gzip":
            return "application/gzip"
        return guessed or "application/octet-stream"

    def __repr__(self) -> str:
        about = f": {self.description}" if self.description else ""
        return f"OfferedFile({self.filename!r}, {_size(len(self.data))}{about})"

    def _repr_html_(self) -> str:
        encoded = base64.b64encode(self.data).decode("ascii")
        about = f": {html.escape(self.description)}" if self.description else ""
        name = html.escape(self.filename)
        return (
            f'<p class="{CSS_CLASS}"><a download="{name}" '
            f'href="data:{self.media_type};base64,{encoded}">{name}</a> '
            f"({_size(len(self.data))}){about}</p>"
        )


def offer_file(path: str | Path, description: str = "", filename: str | None = None) -> OfferedFile:
    """Offer the file at ``path`` for download, under ``filename`` (default: its own name).

    Introduced on the page :doc:`/debugging-profiling`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from jaxguide import offer_file
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "result.csv").write_text("n,seconds\\n1,0.5\\n")
    16
    >>> offer_file(folder / "result.csv", "one timing")
    OfferedFile('result.csv', 16 B: one timing)
    """
    source = Path(path)
    return OfferedFile(filename or source.name, source.read_bytes(), description)
