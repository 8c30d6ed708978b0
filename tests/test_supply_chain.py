"""One lock, with hashes, used everywhere: pyproject, the lock and Read the Docs agree."""

from __future__ import annotations

import re
import shlex
import tomllib

import pytest
import yaml
from jaxguide_build import lockfile
from packaging.requirements import Requirement
from sitebuild import ROOT, RepoCopy

LOCK = ROOT / "requirements.lock"


def pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def lock_command(text: str) -> list[str]:
    """The options of the `uv pip compile` command that wrote the lock, from its header."""
    header = next(line for line in text.splitlines() if "uv pip compile" in line)
    return shlex.split(header.split("uv pip compile", 1)[1])


def test_every_locked_package_has_hashes() -> None:
    pins = lockfile.entries(LOCK.read_text(encoding="utf-8"))
    assert len(pins) > 100
    unhashed = [name for name, (_, hashes, _) in pins.items() if not hashes]
    assert not unhashed, f"locked without --hash (run `make lock`): {unhashed}"
    assert all(h.startswith("sha256:") for _, hashes, _ in pins.values() for h in hashes)


def test_lock_satisfies_every_requirement_of_pyproject() -> None:
    """The lock is up to date with pyproject.toml: every dependency and extra is pinned,
    at a version its specifier allows."""
    project = pyproject()["project"]
    assert isinstance(project, dict)
    wanted = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted += extra
    pins = lockfile.entries(LOCK.read_text(encoding="utf-8"))
    problems = []
    for line in wanted:
        requirement = Requirement(line)
        pinned = pins.get(lockfile.canonical(requirement.name))
        if pinned is None:
            problems.append(f"{requirement.name} is not in the lock")
        elif not requirement.specifier.contains(pinned[0], prereleases=True):
            problems.append(f"{requirement} but the lock pins {pinned[0]}")
    assert not problems, "requirements.lock is out of date (run `make lock`):\n" + "\n".join(
        problems
    )


def test_one_python_version_everywhere() -> None:
    config = pyproject()
    minimum = re.fullmatch(r">=(\d+\.\d+)", str(config["project"]["requires-python"]))  # type: ignore[index]
    assert minimum, "requires-python should be a lower bound"
    version = minimum.group(1)
    options = lock_command(LOCK.read_text(encoding="utf-8"))
    assert options[options.index("--python-version") + 1] == version
    rtd = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert str(rtd["build"]["tools"]["python"]) == version
    assert config["tool"]["mypy"]["python_version"] == version  # type: ignore[index]
    assert config["tool"]["ruff"]["target-version"] == "py" + version.replace(".", "")  # type: ignore[index]


def test_lock_was_written_by_the_makefile_recipe() -> None:
    """The header's `uv pip compile` options are the Makefile's, so `make lock` reproduces it."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"uv pip compile (.*?) -o requirements\.lock", makefile, re.DOTALL)
    assert recipe, "no `uv pip compile` recipe in the Makefile"
    ours = shlex.split(recipe.group(1).replace("\\\n", " "))
    theirs = lock_command(LOCK.read_text(encoding="utf-8"))
    theirs = theirs[: theirs.index("-o")] if "-o" in theirs else theirs
    # --upgrade re-resolves; a lock written without it kept the pins it had.
    assert [o for o in ours if o != "--upgrade"] == [o for o in theirs if o != "--upgrade"]


def test_every_install_goes_through_the_lock_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in makefile.splitlines() if " install " in line and "-r " in line]
    assert installs, "the Makefile installs nothing from a requirements file"
    assert all("--require-hashes --no-deps -r " in line for line in installs), installs
    assert any(line.endswith("-r requirements.lock") for line in installs), installs
    rtd = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert rtd["build"]["jobs"]["install"] == ['make install VENV="$READTHEDOCS_VIRTUALENV_PATH"']
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
    assert "pip install" not in ci


def _install_with(repo_copy: RepoCopy, lock: str) -> str:
    (repo_copy.path / "requirements.lock").write_text(lock, encoding="utf-8")
    (repo_copy.path / ".venv").unlink()
    result = repo_copy.make(
        ".venv/.installed", timeout=600, assume_installed=False, PYTHON="python3"
    )
    assert result.returncode != 0, result.output
    assert not (repo_copy.path / ".venv" / ".installed").exists()
    return result.output


# The build backend, which `pip install -e .` needs; kept with its real hashes.
# uv, which installs everything else, likewise.
BACKEND = ("hatchling", "pathspec", "pluggy", "trove-classifiers", "packaging", "uv")


@pytest.mark.build
def test_missing_dependency_fails_at_install(repo_copy: RepoCopy) -> None:
    """A lock that lacks a dependency stops `make` at install time with pip's message."""
    pins = lockfile.entries(LOCK.read_text(encoding="utf-8"))
    kept = [pins[name][2] for name in BACKEND]
    # sphinx-copybutton without its dependency, sphinx.
    kept.append(pins["sphinx-copybutton"][2])
    output = _install_with(repo_copy, "\n".join(kept) + "\n")
    assert "sphinx-copybutton 0.5.2 requires sphinx" in output.lower()


@pytest.mark.build
def test_tampered_package_fails_at_install(repo_copy: RepoCopy) -> None:
    """A file whose hash is not the locked one (substituted or tampered) is refused."""
    pins = lockfile.entries(LOCK.read_text(encoding="utf-8"))
    version, hashes, text = pins["pure-eval"]
    tampered = text.replace(hashes[0], "sha256:" + "0" * 64)
    for other in hashes[1:]:
        tampered = tampered.replace(f" \\\n    --hash={other}", "")
    output = _install_with(repo_copy, "\n".join([pins[n][2] for n in BACKEND] + [tampered]))
    assert "Hash mismatch" in output
    assert f"pure-eval=={version}" in output


def test_lock_entries_reads_multi_line_entries() -> None:
    text = "# header\nsix==1.17.0 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via x\n"
    assert lockfile.entries(text) == {
        "six": (
            "1.17.0",
            ["sha256:aa", "sha256:bb"],
            text.split("\n    # via", maxsplit=1)[0].split("\n", 1)[1],
        )
    }
