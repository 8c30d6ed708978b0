"""A build that survives faults: each one on a throwaway copy, never the real tree."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import psutil
import pytest
from jaxguide_build import editions
from sitebuild import GOOD, RepoCopy, Result
from test_build import executed_pages

pytestmark = pytest.mark.build

SLOW = """\
(slow)=
# Slow page

```{code-cell} ipython3
import time
time.sleep(6)
print("slow page ran")
```
"""


def kernels_of(copy: RepoCopy) -> list[psutil.Process]:
    """Kernel processes started for this copy (they inherit its PYTHONPATH)."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if "ipykernel_launcher" not in " ".join(proc.info["cmdline"] or []):
                continue
            if proc.environ().get("PYTHONPATH") == str(copy.path / "src"):
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def start(copy: RepoCopy, *targets: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(copy.path / "src")}
    env.pop("JAXGUIDE_CACHE_ROOT", None)
    # The source edition only, as RepoCopy.make builds: a copy's pages have no catalogs.
    if not any(t.startswith("LANGUAGES=") for t in targets):
        targets = (*targets, f"LANGUAGES={editions.SOURCE.code}")
    return subprocess.Popen(
        ["make", "--no-print-directory", "-o", ".venv/.installed", *targets],
        cwd=copy.path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def read_until(proc: subprocess.Popen[str], text: str, seen: list[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        seen.append(line)
        if text in line:
            return
    pytest.fail(f"the build ended before printing {text!r}:\n{''.join(seen)}")


def test_hanging_cell_leaves_no_kernel(repo_copy: RepoCopy) -> None:
    repo_copy.page(
        "hangs.md", "(hangs)=\n# Hangs\n\n```{code-cell} ipython3\nwhile True:\n    pass\n```\n"
    )
    result = repo_copy.make("site", JAXGUIDE_CELL_TIMEOUT="4", timeout=120)
    assert result.returncode != 0
    assert "hangs.md:" in result.output
    assert "the cell timed out" in result.output
    time.sleep(1)
    assert kernels_of(repo_copy) == []


def test_dead_kernel_is_reported(repo_copy: RepoCopy) -> None:
    dies = repo_copy.page(
        "dies.md", "(dies)=\n# Dies\n\n```{code-cell} ipython3\nimport os\nos._exit(1)\n```\n"
    )
    result = repo_copy.make("site")
    assert result.returncode != 0
    line = dies.read_text(encoding="utf-8").splitlines().index("import os") + 1
    assert f"dies.md:{line}: the kernel died" in result.output
    assert kernels_of(repo_copy) == []


def test_deprecation_warning_fails_the_build(repo_copy: RepoCopy) -> None:
    repo_copy.page(
        "old.md",
        "(old)=\n# Old\n\n```{code-cell} ipython3\nimport warnings\n"
        'warnings.warn("this API is on its way out", DeprecationWarning)\n```\n',
    )
    result = repo_copy.make("site")
    assert result.returncode != 0
    assert "old.md" in result.output
    assert "DeprecationWarning: this API is on its way out" in result.output


def test_interrupted_build_keeps_finished_pages(repo_copy: RepoCopy) -> None:
    repo_copy.page("good.md", GOOD)
    repo_copy.page("slow.md", SLOW)
    seen: list[str] = []
    proc = start(repo_copy, "site")
    read_until(proc, "preexecute: executed good.md", seen)
    os.killpg(proc.pid, signal.SIGTERM)
    proc.communicate(timeout=60)  # also closes its pipe
    assert proc.returncode != 0
    time.sleep(1)
    assert kernels_of(repo_copy) == []

    again = repo_copy.make("site")
    assert again.returncode == 0, again.output
    assert "good.md" not in executed_pages(again)  # reused what finished
    assert "slow.md" in executed_pages(again)
    assert "slow page ran" in repo_copy.html("slow.html")


@pytest.mark.parametrize("damage", ["database", "notebook", "deleted"])
def test_damaged_cache_is_rebuilt(repo_copy: RepoCopy, damage: str) -> None:
    repo_copy.page("good.md", GOOD)
    assert repo_copy.make("site").returncode == 0
    (cache,) = [p for p in (repo_copy.path / "_build" / ".jupyter_cache").iterdir() if p.is_dir()]
    if damage == "database":
        (cache / "global.db").write_bytes(b"this is not a database")
    elif damage == "notebook":
        notebook = next((cache / "executed").rglob("base.ipynb"))
        notebook.write_text('{"cells": [', encoding="utf-8")
    else:
        subprocess.run(["rm", "-rf", str(cache)], check=True)

    # REBUILD=1: the pages and their inputs are unchanged, so a plain build would leave
    # the (intact) site alone; here the build must run and meet the damage.
    result = repo_copy.make("site", "REBUILD=1")
    assert result.returncode == 0, result.output
    if damage != "deleted":
        assert "is damaged" in result.output
    assert "good.md" in executed_pages(result)
    assert "good page ran" in repo_copy.html("good.html")


def test_two_builds_at_once_take_turns(repo_copy: RepoCopy) -> None:
    repo_copy.page("slow.md", SLOW)
    seen: list[str] = []
    first = start(repo_copy, "site")
    read_until(first, "to execute on", seen)
    second: Result = repo_copy.make("site", timeout=300)
    rest, _ = first.communicate(timeout=300)
    assert first.returncode == 0, "".join(seen) + rest
    assert second.returncode == 0, second.output
    assert "another build is running in this tree; waiting for it" in second.output
    assert executed_pages(second) == []  # it found the first build's results
    assert "slow page ran" in repo_copy.html("slow.html")
