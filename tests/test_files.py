"""Tests of `jaxguide.files`: files a cell offers for download."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from jaxguide import OfferedFile, offer_file
from jaxguide.files import MAX_BYTES


def test_offer_file_reads_the_file_and_keeps_its_name(tmp_path: Path) -> None:
    path = tmp_path / "trace.json.gz"
    path.write_bytes(b"\x1f\x8b" + b"x" * 2000)
    offered = offer_file(path, "a trace")
    assert offered.filename == "trace.json.gz"
    assert offered.media_type == "application/gzip"
    assert repr(offered) == "OfferedFile('trace.json.gz', 2.0 KB: a trace)"
    html = offered._repr_html_()
    encoded = html.split("base64,", 1)[1].split('"', 1)[0]
    assert base64.b64decode(encoded) == path.read_bytes()
    assert offer_file(path, filename="other.gz").filename == "other.gz"


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("a.json", "application/json"),
        ("a.prof", "application/octet-stream"),
        ("a.txt", "text/plain"),
    ],
)
def test_media_types(name: str, media_type: str) -> None:
    assert OfferedFile(name, b"").media_type == media_type


def test_sizes_in_readable_units() -> None:
    assert "(999 B)" in OfferedFile("a", b"x" * 999)._repr_html_()
    assert repr(OfferedFile("a", b"x" * 1_500_000)) == "OfferedFile('a', 1.5 MB)"


def test_refuses_paths_and_files_too_large_for_a_page() -> None:
    with pytest.raises(ValueError, match="a plain file name, not a path"):
        OfferedFile("../escape.txt", b"")
    with pytest.raises(ValueError, match=r"more than the 4\.2 MB a page may offer"):
        OfferedFile("big.bin", b"x" * (MAX_BYTES + 1))
