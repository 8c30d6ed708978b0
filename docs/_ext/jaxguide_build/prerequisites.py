"""The system packages ``make test`` needs beyond Python: checked first, installed if it can.

The browser tests drive Debian's Chromium, plots with Chinese labels need a CJK font,
and the build lock uses ``flock``. ``make test`` runs this before anything else:
with ``--install``, what is missing is installed with apt when this user may (root,
or sudo without a password); otherwise it stops at once with the one command to run.
Standard library only: it runs before the virtual environment exists.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Prerequisite:
    """A Debian package, and how to tell that what it provides is there."""

    package: str
    why: str
    present: Callable[[], bool]


def _has_cjk_font() -> bool:
    if shutil.which("fc-list"):
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
        )
        if listed.stdout.strip():
            return True
    fonts = Path("/usr/share/fonts")
    return fonts.is_dir() and any(fonts.rglob("*CJK*"))


PREREQUISITES = (
    Prerequisite(
        "chromium",
        "the browser tests",
        lambda: bool(shutil.which("chromium") or shutil.which("chromium-browser")),
    ),
    Prerequisite("fonts-noto-cjk", "Chinese labels in plots", _has_cjk_font),
    Prerequisite("fontconfig", "finding the CJK font", lambda: bool(shutil.which("fc-list"))),
    Prerequisite("util-linux", "the build lock (flock)", lambda: bool(shutil.which("flock"))),
    Prerequisite("git", "pages' last-updated dates", lambda: bool(shutil.which("git"))),
)


def missing() -> list[Prerequisite]:
    return [p for p in PREREQUISITES if not p.present()]


def installer() -> list[str] | None:
    """The apt-get this user may run without a password, or None."""
    if not shutil.which("apt-get"):
        return None
    if os.geteuid() == 0:
        return ["apt-get"]
    can_sudo = shutil.which("sudo") and (
        subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False).returncode == 0
    )
    return ["sudo", "-n", "apt-get"] if can_sudo else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--install", action="store_true", help="install what is missing")
    args = parser.parse_args(argv)
    needed = missing()
    if not needed:
        return 0
    packages = [p.package for p in needed]
    reasons = "; ".join(f"{p.package} ({p.why})" for p in needed)
    apt = installer() if args.install else None
    if apt is None:
        print(
            f"make test needs Debian packages it cannot install as this user: {reasons}. "
            f"Run: sudo apt-get install -y --no-install-recommends {' '.join(packages)}",
            file=sys.stderr,
        )
        return 1
    print(f"prerequisites: installing {' '.join(packages)} ({reasons})", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*apt, "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*apt, "install", "-y", "-qq", "--no-install-recommends", *packages], check=True, env=env
    )
    still = [p.package for p in missing()]
    if still:
        print(f"prerequisites: still missing after apt-get: {' '.join(still)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
