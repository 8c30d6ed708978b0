"""Measure how the build's cost follows what changed (``make bench-build``).

Each case runs ``make site`` (both editions) in a fresh clone of the repository's
committed HEAD, sharing the installed ``.venv``. It records wall time, the peak
memory of the largest process, and how many notebooks were executed. The same
cases run a second time the naive way JAX's own docs build, with
``nb_execution_mode = "force"`` and no pre-execution: every page Sphinx re-reads
is executed again, and Sphinx runs even when nothing changed (``REBUILD=1``): JAX's
docs have no up-to-date check of their own. A third table repeats cold parallel builds
to look for flakes. ``--quick`` measures the two cases the goals are about (cold and no
change) and skips the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORCE = {
    "PREEXECUTE": "0",
    "REBUILD": "1",
    "SPHINXOPTS": "-W --keep-going -n -D nb_execution_mode=force",
}
#: Our no-change build once more with Sphinx made to run, to show what the skip saves.
SPHINX_ANYWAY = "no change, Sphinx run anyway (REBUILD=1)"
# Runs `make` in a child and reports its time and the peak RSS of its descendants.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
took = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": proc.returncode, "s": took, "peak_mib": peak_kib / 1024,
                  "out": proc.stdout + proc.stderr}))
"""
EXECUTED = re.compile(r"^preexecute: executed (\S+) in ([\d.]+) s$", re.MULTILINE)


@dataclass
class Run:
    seconds: float
    peak_mib: float
    executed: int
    page_seconds: float  # the pages' own execution time, summed


def clone(target: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


def build(repo: Path, extra: dict[str, str] | None = None) -> Run:
    args = [f"{k}={v}" for k, v in (extra or {}).items()]
    cmd = [
        sys.executable,
        "-c",
        MEASURE,
        "make",
        "--no-print-directory",
        "-o",
        ".venv/.installed",
        "site",
        *args,
    ]
    env = {k: v for k, v in os.environ.items() if k != "JAXGUIDE_CACHE_ROOT"}
    result = json.loads(
        subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, check=True).stdout
    )
    if result["rc"] != 0:
        msg = f"build failed in {repo}:\n{result['out'][-5000:]}"
        raise SystemExit(msg)
    out = result["out"]
    pre = EXECUTED.findall(out)
    sphinx = out.count("Executing notebook")
    return Run(result["s"], result["peak_mib"], len(pre) + sphinx, sum(float(s) for _, s in pre))


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "no change": lambda _repo: None,
    "one page edited": lambda repo: append(
        repo / "docs" / "random-numbers.md",
        "\n```{code-cell} ipython3\n:tags: [remove-cell]\n1 + 1\n```\n",
    ),
    "src/jaxguide changed": lambda repo: append(
        repo / "src" / "jaxguide" / "timing.py", "\n# benchmark: a helper changed\n"
    ),
    "whole environment invalidated (conf.py)": lambda repo: append(
        repo / "conf.py", '\nrst_prolog = ".. |bench| replace:: bench\\n"\n'
    ),
}


QUICK = ("no change",)


def series(
    workdir: Path, name: str, extra: dict[str, str] | None, *, quick: bool = False
) -> dict[str, Run]:
    repo = clone(workdir / name)
    runs = {"cold": build(repo, extra)}
    saved_cache = workdir / f"{name}-cache"
    cache = repo / "_build" / ".jupyter_cache"
    if cache.is_dir():  # force mode executes in Sphinx and keeps no cache
        shutil.copytree(cache, saved_cache)
    for case, edit in EDITS.items():
        if quick and case not in QUICK:
            continue
        edit(repo)
        runs[case] = build(repo, extra)
        if case == "no change" and not (extra or {}).get("REBUILD"):
            runs[SPHINX_ANYWAY] = build(repo, {**(extra or {}), "REBUILD": "1"})
    if quick:
        return runs
    ci = clone(workdir / f"{name}-ci")
    (ci / "_build").mkdir()
    if saved_cache.is_dir():
        shutil.copytree(saved_cache, ci / "_build" / ".jupyter_cache")
    runs["CI: fresh clone + restored cache"] = build(ci, extra)
    return runs


def table(ours: dict[str, Run], force: dict[str, Run]) -> str:
    lines = [
        "| build | jaxguide | executed | peak MiB | force mode | executed | peak MiB | speed-up |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case, run in ours.items():
        other = force[case] if case in force else force["no change"]  # SPHINX_ANYWAY
        lines.append(
            f"| {case} | {run.seconds:.1f} s | {run.executed} | {run.peak_mib:.0f} "
            f"| {other.seconds:.1f} s | {other.executed} | {other.peak_mib:.0f} "
            f"| {other.seconds / run.seconds:.1f}× |"
        )
    return "\n".join(lines)


# The goals of issue 18: our machinery adds next to nothing when nothing changed, and a
# cold build stays close to the pages' own execution time spread over the cores.
NO_CHANGE_GOAL = 1.1
COLD_GOAL = 1.5


def summary(ours: dict[str, Run], force: dict[str, Run], cores: int) -> str:
    """The two ratios the build is held to, each with its goal."""
    cold = ours["cold"]
    floor = cold.page_seconds / cores
    no_change = ours["no change"].seconds / force["no change"].seconds
    cold_ratio = cold.seconds / floor
    return "\n".join(
        [
            "",
            (
                f"no-change rebuild: {ours['no change'].seconds:.1f} s, force mode's "
                f"{force['no change'].seconds:.1f} s: {no_change:.2f}× (goal ≤ {NO_CHANGE_GOAL}×: "
                f"{'met' if no_change <= NO_CHANGE_GOAL else 'MISSED'})"
            ),
            (
                f"no-change rebuild with Sphinx run anyway: {ours[SPHINX_ANYWAY].seconds:.1f} s: "
                f"{ours[SPHINX_ANYWAY].seconds / force['no change'].seconds:.2f}× force mode's"
            ),
            (
                f"cold build: pages executed for {cold.page_seconds:.1f} s in all; on {cores} cores "
                f"the floor is {floor:.1f} s; the build took {cold.seconds:.1f} s: "
                f"{cold_ratio:.2f}× the floor (goal ≤ {COLD_GOAL}×: "
                f"{'met' if cold_ratio <= COLD_GOAL else 'MISSED'})"
            ),
        ]
    )


def flake_check(workdir: Path, runs: int) -> str:
    repo = clone(workdir / "flakes")
    failures, times = 0, []
    for _ in range(runs):
        shutil.rmtree(repo / "_build", ignore_errors=True)
        try:
            times.append(build(repo).seconds)
        except SystemExit as exc:
            failures += 1
            print(exc, file=sys.stderr)
    times.sort()
    median = times[len(times) // 2] if times else float("nan")
    return f"{runs} cold parallel builds: {failures} failed; median {median:.1f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flake-runs", type=int, default=0, help="repeated cold builds")
    parser.add_argument("--flakes-only", action="store_true", help="skip the timing table")
    parser.add_argument("--keep", action="store_true", help="keep the clones")
    parser.add_argument("--quick", action="store_true", help="cold and no-change builds only")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="jaxguide-bench-"))
    try:
        if args.flakes_only:
            print(flake_check(workdir, args.flake_runs or 20))
            return 0
        ours = series(workdir, "cache", None, quick=args.quick)
        print({case: run.seconds for case, run in ours.items()}, flush=True)
        force = series(workdir, "force", FORCE, quick=args.quick)
        print(table(ours, force))
        print(summary(ours, force, len(os.sched_getaffinity(0))))
        if args.flake_runs:
            print(flake_check(workdir, args.flake_runs))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
