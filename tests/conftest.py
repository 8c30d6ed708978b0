"""Shared fixtures: throwaway copies of the repository, and the built site."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sitebuild import BUILT, COPIED, PAGE_HEADER, ROOT, SITE, RepoCopy


@pytest.fixture
def repo_copy(tmp_path: Path) -> RepoCopy:
    """A throwaway copy of the repository's build machinery, sharing the real .venv."""
    return make_repo_copy(tmp_path)


def make_repo_copy(tmp_path: Path) -> RepoCopy:
    """:func:`repo_copy`'s copy, for fixtures of a wider scope."""
    copy = tmp_path / "repo"
    for name in COPIED:
        src = ROOT / name
        dst = copy / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dst)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    (copy / "docs" / "index.md").write_text(
        PAGE_HEADER + "(home)=\n# Home\n\n```{toctree}\n:glob:\n\n*\n```\n", encoding="utf-8"
    )
    return RepoCopy(copy)


@pytest.fixture(scope="session")
def _built_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy with the pages of ``sitebuild.BUILT``, built once per test process; returns
    where it lives and where its pristine state is kept."""
    copy = make_repo_copy(tmp_path_factory.mktemp("built"))
    for name, (text, notebook) in BUILT.items():
        copy.page(name, text, notebook=notebook)
    result = copy.make("site")
    if result.returncode != 0:
        pytest.fail(f"the good build of sitebuild.BUILT failed:\n{result.output[-20000:]}")
    pristine = copy.path.with_name("pristine")
    shutil.copytree(copy.path, pristine, symlinks=True)
    return copy.path, pristine


@pytest.fixture
def built_copy(_built_once: tuple[Path, Path]) -> RepoCopy:
    """:func:`repo_copy` after a good build of ``sitebuild.BUILT``'s pages, as that build
    left it. It is restored at the same path (the cache and Sphinx's environment record
    absolute paths), so a test may change it and build again."""
    path, pristine = _built_once
    shutil.rmtree(path)
    shutil.copytree(pristine, path, symlinks=True)
    return RepoCopy(path)


@pytest.fixture(scope="session")
def site() -> Path:
    """The real site, built once per test session by the same recipe as `make html`."""
    proc = subprocess.run(
        ["make", "--no-print-directory", "site"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"the site build failed:\n{proc.stdout[-20000:]}\n{proc.stderr[-20000:]}")
    return SITE
