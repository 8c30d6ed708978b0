"""The first cell of every Colab notebook: what it installs, and what it leaves alone.

In Colab (``google.colab`` imported) the cell installs, with pip:

- jaxguide itself, from the guide's repository and branch (conf.py's
  ``repository_url`` and ``repository_branch``);
- every package the page imports that neither Colab's kernel nor jaxguide's own
  dependencies provide (flax, optax, dm-haiku, orbax-checkpoint…), plus what a JAX
  feature the page uses needs (:data:`FEATURES`: ``jax.export`` needs flatbuffers),
  each at its version in ``requirements.lock``;
- jax and jaxlib at the lock's version, for the runtime's accelerator, only when
  Colab's jax is older than jaxguide accepts (``pyproject.toml``). A jax that jaxguide
  accepts is kept, even a newer one than the pages were executed with: downgrading
  the runtime's jax (and its CUDA or TPU plugin) takes minutes and a restart, for
  pages that use no API specific to that version. The cell says which jax runs.

Pages that simulate CPU devices (``jaxguide.use_cpu_devices``) also get
``JAX_PLATFORMS=cpu``: on a GPU or TPU runtime JAX would otherwise start on the
accelerator, show one device (or the TPU's), and the page's eight-device mesh would
not fit. Everywhere else the cell does nothing at all.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from IPython.core.inputtransformer2 import TransformerManager
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

#: Distributions the page may import without the cell installing them: the kernel's own.
KERNEL = frozenset({"ipython", "ipykernel"})
#: JAX features that need a package the page never imports by name.
FEATURES: dict[str, re.Pattern[str]] = {
    "flatbuffers": re.compile(r"\bjax\.export\b|\bfrom jax import\b.*\bexport\b"),
}
SIMULATES_DEVICES = re.compile(r"\bjaxguide\.use_cpu_devices\(|^\s*use_cpu_devices\(", re.MULTILINE)
LOCKED = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)", re.MULTILINE)
#: How pip names jax for the accelerator whose plugin Colab installed.
ACCELERATORS = (
    ("jax-cuda12-plugin", "[cuda12]"),
    ("jax-cuda13-plugin", "[cuda13]"),
    ("libtpu", "[tpu]"),
)


class Unlocked(ValueError):
    """A page imports a package that requirements.lock does not pin."""


@dataclass(frozen=True)
class Project:
    """What the cell needs from the repository: the lock, jaxguide's own requirements."""

    locked: Mapping[str, str]  # canonical name -> version
    dependencies: frozenset[str]  # canonical names of jaxguide's own dependencies
    jax_specifier: str  # e.g. ">=0.10.2"

    @classmethod
    def read(cls, root: Path) -> Project:
        lock = (root / "requirements.lock").read_text(encoding="utf-8")
        locked = {str(canonicalize_name(m["name"])): m["version"] for m in LOCKED.finditer(lock)}
        with (root / "pyproject.toml").open("rb") as handle:
            requirements = [Requirement(r) for r in tomllib.load(handle)["project"]["dependencies"]]
        jax = next(r for r in requirements if r.name == "jax")
        return cls(
            locked, frozenset(canonicalize_name(r.name) for r in requirements), str(jax.specifier)
        )

    def pin(self, name: str) -> str:
        return f"{name}=={self.locked[canonicalize_name(name)]}"


@cache
def module_owners() -> Mapping[str, list[str]]:
    return importlib.metadata.packages_distributions()


def imported_modules(sources: Iterable[str]) -> set[str]:
    """The top-level modules that code cells (IPython syntax) import."""
    transform = TransformerManager().transform_cell  # type: ignore[no-untyped-call]
    found: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(transform(source))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


def page_packages(page: str, sources: list[str], project: Project) -> list[str]:
    """The pinned packages a page's code cells need beyond the runtime and jaxguide."""
    leave = KERNEL | project.dependencies | {"jaxguide"}
    names: set[str] = set()
    for module in imported_modules(sources):
        if module in sys.stdlib_module_names or module == "jaxguide":
            continue
        owners = module_owners().get(module)
        if not owners:
            msg = f"{page} imports {module!r}, which no installed distribution provides"
            raise Unlocked(msg)
        names |= {canonicalize_name(owner) for owner in owners}
    code = "\n".join(sources)
    names |= {name for name, used in FEATURES.items() if used.search(code)}
    missing = sorted(n for n in names - leave if n not in project.locked)
    if missing:
        msg = f"{page} needs {', '.join(missing)}, which requirements.lock does not pin"
        raise Unlocked(msg)
    return [project.pin(name) for name in sorted(names - leave)]


def simulates_devices(sources: Iterable[str]) -> bool:
    return any(SIMULATES_DEVICES.search(source) for source in sources)


@dataclass(frozen=True)
class Words:
    """The cell's comments and messages in one language."""

    intro: str
    keep_jax: str
    cpu: str
    old_jax: str
    restart: str
    done: str


WORDS = {
    "en": Words(
        intro=(
            "Set-up for Google Colab, written by `make notebooks`; anywhere else this cell does\n"
            "nothing (install jaxguide as its README says). In Colab it installs jaxguide from the\n"
            "guide's repository and the packages this page imports, at the versions the site was\n"
            "built with."
        ),
        keep_jax=(
            "Colab's own jax stays if jaxguide accepts it (jax{spec}). The pages were executed\n"
            "with jax {built}: a newer jax may print other numbers, or warnings."
        ),
        cpu=(
            "This page simulates eight devices on the CPU: on a GPU or TPU runtime, JAX would\n"
            "start on the accelerator instead, so make it use the CPU."
        ),
        old_jax="Older than jaxguide accepts: the version the pages ran with, for this runtime.",
        restart=(
            "jax changed after it was imported: restart the session "
            "(Runtime > Restart session), then run the notebook from the top."
        ),
        done="jaxguide is installed; jax {{installed('jax')}} (the pages were executed with {built})",
    ),
    "zh-CN": Words(
        intro=(
            "Google Colab 的准备工作，由 `make notebooks` 生成；在其他环境中这个单元格什么也不做\n"
            "（请按 README 安装 jaxguide）。在 Colab 中，它从本指南的仓库安装 jaxguide，\n"
            "并按构建本站时的版本安装本页导入的软件包。"
        ),
        keep_jax=(
            "只要 jaxguide 接受（jax{spec}），就保留 Colab 自带的 jax。各页面是用 jax {built}\n"
            "运行的：更新的 jax 可能打印出不同的数字或警告。"
        ),
        cpu=(
            "本页在 CPU 上模拟八个设备：在 GPU 或 TPU 运行时中，JAX 会改用加速器启动，\n"
            "所以这里让它使用 CPU。"
        ),
        old_jax="比 jaxguide 接受的版本旧：安装各页面运行时所用的版本，并匹配当前运行时的加速器。",
        restart=(
            "jax 在导入之后被更换了：请重启会话（代码执行程序 > 重启会话），然后从头运行本笔记本。"
        ),
        done="jaxguide 已安装；jax {{installed('jax')}}（各页面运行时所用的版本是 {built}）",
    ),
}


def literal(text: str) -> str:
    """A Python string literal, in double quotes, non-ASCII kept readable."""
    return json.dumps(text, ensure_ascii=False)


def comment(text: str, indent: str = "") -> list[str]:
    return [f"{indent}# {line}" for line in text.split("\n")]


def setup_cell(
    words: Words, project: Project, install_jaxguide: str, packages: list[str], *, cpu: bool
) -> str:
    """The source of the first code cell."""
    built = project.locked["jax"]
    wanted = [install_jaxguide, *packages]
    accelerators = ", ".join(f"({literal(p)}, {literal(e)})" for p, e in ACCELERATORS)
    lines = [
        *comment(words.intro),
        *comment(words.keep_jax.format(spec=project.jax_specifier, built=built)),
        "import sys",
        "",
        'if "google.colab" in sys.modules:',
        "    import importlib.metadata",
        *(["    import os"] if cpu else []),
        "    import subprocess",
        "",
        "    from packaging.specifiers import SpecifierSet",
        "",
        "    def installed(name):",
        "        try:",
        "            return importlib.metadata.version(name)",
        "        except importlib.metadata.PackageNotFoundError:",
        "            return None",
        "",
        "    packages = [",
        *(f"        {literal(package)}," for package in wanted),
        "    ]",
        '    colab_jax = installed("jax")',
        f"    if colab_jax is None or colab_jax not in SpecifierSet({literal(project.jax_specifier)}):",
        *comment(words.old_jax, "        "),
        f"        plugins = [{accelerators}]",
        '        extra = next((e for plugin, e in plugins if installed(plugin)), "")',
        f'        packages += [f"jax{{extra}}=={built}", "jaxlib=={built}"]',
        '    subprocess.run([sys.executable, "-m", "pip", "install", "-q", *packages], check=True)',
        '    if "jax" in sys.modules and installed("jax") != colab_jax:',
        f"        print({literal(words.restart)})",
    ]
    if cpu:
        lines += [*comment(words.cpu, "    "), '    os.environ["JAX_PLATFORMS"] = "cpu"']
    lines.append(f'    print(f"{words.done.format(built=built)}")')
    return "\n".join(lines)
