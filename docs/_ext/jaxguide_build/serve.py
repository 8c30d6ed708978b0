"""Serve the built site on loopback the way a CDN would: gzip, cache headers, a 404 page.

Used by `benchmarks/lighthouse.py` and by `tests/test_browser.py`; ``make serve-site`` runs
it by hand (``python -m jaxguide_build.serve [ROOT] [--port N]``) to look at `_build/html`.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache, partial
from pathlib import Path

from jaxguide_build import editions

ROOT = Path(__file__).resolve().parents[3]

# What a CDN compresses; images and fonts are compressed already.
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
)
# Pages must revalidate so a deploy shows at once; assets may be cached for a day.
HTML_CACHE = "public, max-age=0, must-revalidate"
ASSET_CACHE = "public, max-age=86400"


@lru_cache(maxsize=512)
def _gzipped(path: Path, mtime_ns: int) -> bytes:  # noqa: ARG001 - the key when the file changes
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip and Cache-Control; a missing page gets its edition's 404 page."""

    # Keep-alive, as a CDN serves: Lighthouse would otherwise pay a connection per file.
    protocol_version = "HTTP/1.1"
    extensions_map = {  # noqa: RUF012 - the base class's own class attribute
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "application/javascript",
        ".mjs": "application/javascript",
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
        ".ipynb": "application/json",
        ".md": "text/markdown",
        ".inv": "application/octet-stream",
    }

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: Lighthouse and the browser tests make hundreds of requests."""

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, *, send_body: bool) -> None:
        path = Path(self.translate_path(self.path))
        status = 200
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                self.send_response(301)
                self.send_header("Location", self.path.split("?", 1)[0] + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
        if not path.is_file():
            not_found = self._not_found_page()
            if not_found is None:
                self.send_error(404)
                return
            status, path = 404, not_found
        ctype = self.guess_type(str(path))
        if ctype.startswith("text/") or ctype == "application/javascript":
            ctype += "; charset=utf-8"
        use_gzip = ctype.startswith(COMPRESSIBLE) and "gzip" in self.headers.get(
            "Accept-Encoding", ""
        )
        body = _gzipped(path, path.stat().st_mtime_ns) if use_gzip else path.read_bytes()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header(
            "Cache-Control", HTML_CACHE if ctype.startswith("text/html") else ASSET_CACHE
        )
        self.send_header("Vary", "Accept-Encoding")
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _not_found_page(self) -> Path | None:
        """The 404 page of the edition the URL is in (the first folder), or of the default one."""
        root = Path(self.directory)
        first = self.path.lstrip("/").split("/", 1)[0]
        candidates = [root / first / "404.html"] if first else []
        candidates += [root / editions.SOURCE.code / "404.html", root / "404.html"]
        return next((page for page in candidates if page.is_file()), None)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Lighthouse and Chromium open many connections at once.
    request_queue_size = 64


@contextmanager
def serve(root: Path, port: int = 0) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 in a background thread; yields the base URL (no trailing /).

    Port 0 picks a free port.
    """
    server = _Server(("127.0.0.1", port), partial(SiteHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    with serve(args.root, args.port) as url:
        print(f"serving {args.root} on {url}/index.html (Ctrl-C stops)")
        with suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
