"""Generate the offline intersphinx inventories shipped in ``docs/_ext/inventories/``.

What it does
    Imports the installed packages (the Python standard library, NumPy, JAX,
    Flax NNX, Optax, Haiku and Matplotlib), walks their public names (``__all__``
    where a module defines it, otherwise every name not starting with ``_``),
    and writes one Sphinx inventory (format version 2, zlib-compressed) per
    project.  Each entry maps a dotted Python name to the page (and anchor) at
    which that project's *official* documentation describes it, using the URL
    scheme of that site.  Only ``py`` domain objects are written.  A name whose
    page cannot be derived by a rule is left out instead of guessed.

Why
    The site is built offline, so intersphinx cannot download ``objects.inv``
    from the projects' web sites; yet every mention of a JAX, NumPy, Python,
    Flax, Optax, Haiku or Matplotlib API should still link to its official
    docs.  ``conf.py`` points ``intersphinx_mapping`` at these files, each with
    the base URL that the relative URIs below assume:

    ========== ======================================== ===================
    inventory  base URL                                 example URI
    ========== ======================================== ===================
    python     https://docs.python.org/3/               library/functools.html#functools.partial
    numpy      https://numpy.org/doc/stable/            reference/generated/numpy.sin.html
    jax        https://docs.jax.dev/en/latest/          _autosummary/jax.jit.html
    flax       https://flax.readthedocs.io/en/latest/   api_reference/flax.nnx/nn/linear.html#flax.nnx.Linear
    optax      https://optax.readthedocs.io/en/latest/  api/optimizers.html#optax.adam
    haiku      https://dm-haiku.readthedocs.io/en/latest/ api.html#haiku.Linear
    matplotlib https://matplotlib.org/stable/           api/_as_gen/matplotlib.pyplot.plot.html
    ========== ======================================== ===================

    The output is deterministic (sorted entries, the header's ``Version`` is
    the installed package version), so re-running the script on the same
    environment gives byte-identical files; ``tests/test_inventories.py``
    checks exactly that, which catches inventories left stale by a lock update.

How to refresh
    After a lock update (``requirements.lock``), run::

        python docs/_ext/make_inventories.py

    and commit the changed ``docs/_ext/inventories/*.inv`` files.  Pass
    ``--out DIR`` to write somewhere else (the test does this).
"""

# The project packages are imported inside the functions on purpose: pytest collects
# this file (doctest-modules), and importing it must stay cheap and side-effect free.
# ruff: noqa: PLC0415

from __future__ import annotations

import argparse
import builtins
import functools
import importlib
import importlib.metadata
import inspect
import os
import platform
import sys
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

DEFAULT_OUT = Path(__file__).resolve().parent / "inventories"

#: Base URL each inventory's relative URIs assume (paste into ``intersphinx_mapping``).
BASE_URLS: dict[str, str] = {
    "python": "https://docs.python.org/3/",
    "numpy": "https://numpy.org/doc/stable/",
    "jax": "https://docs.jax.dev/en/latest/",
    "flax": "https://flax.readthedocs.io/en/latest/",
    "optax": "https://optax.readthedocs.io/en/latest/",
    "haiku": "https://dm-haiku.readthedocs.io/en/latest/",
    "matplotlib": "https://matplotlib.org/stable/",
}


@dataclass(frozen=True, order=True)
class Entry:
    """One inventory line: ``name domain:role priority uri dispname``."""

    name: str
    role: str
    uri: str
    priority: int = 1

    def line(self) -> str:
        uri = self.uri
        if uri.endswith(self.name):
            uri = uri[: -len(self.name)] + "$"
        return f"{self.name} py:{self.role} {self.priority} {uri} -\n"


# ---------------------------------------------------------------------------
# Introspection helpers
# ---------------------------------------------------------------------------


def _import(name: str) -> ModuleType | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return importlib.import_module(name)
        except ImportError:
            return None


def _get(obj: Any, name: str) -> tuple[bool, Any]:
    """``getattr`` that treats deprecated (warning) or failing names as absent."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return True, getattr(obj, name)
        except Exception:  # noqa: BLE001 - deprecated or lazily failing names are skipped
            return False, None


def public_names(module: ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = dir(module)
    return sorted({n for n in names if not n.startswith("_")})


def public_members(module: ModuleType) -> Iterator[tuple[str, Any]]:
    """Public, non-module attributes of ``module`` (deprecated names skipped)."""
    for name in public_names(module):
        ok, obj = _get(module, name)
        if ok and not inspect.ismodule(obj):
            yield name, obj


def obj_module(obj: Any) -> str:
    mod = getattr(obj, "__module__", None)
    return mod if isinstance(mod, str) else ""


def role_of(obj: Any) -> str:
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "exception" if issubclass(obj, BaseException) else "class"
    if callable(obj):
        return "function"
    return "data"


def class_members(cls: type) -> Iterator[tuple[str, str]]:
    """Public members defined on ``cls`` itself that carry a docstring.

    This mirrors what ``autodoc``'s ``:members:`` documents (own, documented
    members); yields ``(name, role)``.
    """
    for name, raw in sorted(vars(cls).items()):
        if name.startswith("_"):
            continue
        if isinstance(raw, (property, functools.cached_property)):
            role = "property"
        elif isinstance(raw, (staticmethod, classmethod)) or inspect.isroutine(raw):
            role = "method"
        elif inspect.isdatadescriptor(raw) or inspect.ismemberdescriptor(raw):
            role = "attribute"
        else:
            continue
        ok, value = _get(cls, name)
        doc = raw.__doc__ if role in {"property", "attribute"} else getattr(value, "__doc__", None)
        if ok and doc and doc.strip():
            yield name, role


def _version(dist: str) -> str:
    return importlib.metadata.version(dist)


# ---------------------------------------------------------------------------
# Python standard library  (https://docs.python.org/3/)
# ---------------------------------------------------------------------------

PY_MODULES = [
    "functools", "itertools", "time", "timeit", "os", "sys", "math", "random",
    "dataclasses", "typing", "collections.abc", "contextlib", "logging",
    "subprocess", "pathlib", "statistics", "warnings", "operator", "platform",
    "importlib.metadata", "datetime", "socket", "signal", "tempfile", "shutil",
    "concurrent.futures", "threading", "collections",
]  # fmt: skip

# Built-in types documented in library/stdtypes.html (the others are in functions.html).
_STDTYPES = {"bytearray", "bytes", "dict", "frozenset", "list", "memoryview", "range",
             "set", "str", "tuple"}  # fmt: skip
# Built-in classes the docs document as functions.
_BUILTIN_AS_FUNCTION = {"enumerate", "filter", "map", "reversed", "zip"}
_BUILTIN_CONSTANTS = {"True", "False", "None", "NotImplemented", "Ellipsis"}
# Types whose documented methods have anchors in library/stdtypes.html.
_STDTYPE_METHODS = {"str": None, "dict": None, "int": None, "float": None, "list": {"sort"}}
# site-added names (copyright, exit, help, ...) and internals documented elsewhere or not at all.
_BUILTIN_SKIP = {"copyright", "credits", "exit", "help", "license", "quit"}


def python_entries() -> list[Entry]:
    out: list[Entry] = []
    functions = "library/functions.html#"
    for name, obj in public_members(builtins):
        if name in _BUILTIN_SKIP:
            continue
        if name in _BUILTIN_CONSTANTS:
            out.append(Entry(name, "data", f"library/constants.html#{name}"))
        elif inspect.isclass(obj) and issubclass(obj, BaseException):
            out.append(Entry(name, "exception", f"library/exceptions.html#{name}"))
        elif name in _STDTYPES:
            out.append(Entry(name, "class", f"library/stdtypes.html#{name}"))
        elif name in _BUILTIN_AS_FUNCTION or inspect.isbuiltin(obj):
            out.append(Entry(name, "function", functions + name))
        elif inspect.isclass(obj):
            out.append(Entry(name, "class", functions + name))
    for tname, only in _STDTYPE_METHODS.items():
        cls = getattr(builtins, tname)
        for mname, role in class_members(cls):
            if only is None or mname in only:
                full = f"{tname}.{mname}"
                out.append(Entry(full, role, f"library/stdtypes.html#{full}"))

    for modname in PY_MODULES:
        module = _import(modname)
        if module is None:
            continue
        page = f"library/{modname}.html"
        out.append(Entry(modname, "module", f"{page}#module-{modname}", 0))
        has_all = hasattr(module, "__all__")
        impl = {modname, "_" + modname, "posix", "nt", "_collections_abc", "_operator"}
        for name, obj in public_members(module):
            if not has_all:
                mod = obj_module(obj)
                if (callable(obj) or inspect.isclass(obj)) and mod not in impl:
                    continue  # imported from elsewhere, documented there
            full = f"{modname}.{name}"
            out.append(Entry(full, role_of(obj), f"{page}#{full}"))
            if inspect.isclass(obj) and obj_module(obj) in impl:
                for mname, role in class_members(obj):
                    member = f"{full}.{mname}"
                    out.append(Entry(member, role, f"{page}#{member}"))
    return out


# ---------------------------------------------------------------------------
# NumPy  (https://numpy.org/doc/stable/)
# ---------------------------------------------------------------------------


def numpy_entries() -> list[Entry]:
    import numpy as np

    gen = "reference/generated/"
    out: list[Entry] = [Entry("numpy", "module", "reference/index.html#module-numpy", 0)]
    for name, obj in public_members(np):
        full = f"numpy.{name}"
        if inspect.isclass(obj):
            if issubclass(obj, np.generic):
                out.append(Entry(full, "class", f"reference/arrays.scalars.html#{full}"))
            elif obj in (np.ndarray, np.dtype):
                out.append(Entry(full, "class", f"{gen}{full}.html"))
            elif issubclass(obj, BaseException) and obj_module(obj).startswith("numpy"):
                out.append(Entry(full, "exception", f"{gen}{full}.html"))
        elif callable(obj):
            out.append(Entry(full, "function", f"{gen}{full}.html"))
        elif isinstance(obj, float) and name in {"e", "euler_gamma", "inf", "nan", "pi"}:
            out.append(Entry(full, "data", f"reference/constants.html#{full}"))
    for mname, role in class_members(np.ndarray):
        member = f"numpy.ndarray.{mname}"
        out.append(Entry(member, role, f"{gen}{member}.html"))
    for sub in ("linalg", "fft", "testing"):
        module = importlib.import_module(f"numpy.{sub}")
        out.append(
            Entry(f"numpy.{sub}", "module", f"reference/routines.{sub}.html#module-numpy.{sub}", 0)
        )
        for name, obj in public_members(module):
            if callable(obj) and not inspect.isclass(obj):
                full = f"numpy.{sub}.{name}"
                out.append(Entry(full, "function", f"{gen}{full}.html"))
    # numpy.random: the Generator API plus the legacy module-level functions.
    rgen = "reference/random/generated/"
    out.append(
        Entry("numpy.random", "module", "reference/random/index.html#module-numpy.random", 0)
    )
    out.append(Entry("numpy.random.default_rng", "function",
                     "reference/random/generator.html#numpy.random.default_rng"))  # fmt: skip
    out.append(Entry("numpy.random.Generator", "class",
                     "reference/random/generator.html#numpy.random.Generator"))  # fmt: skip
    for mname, role in class_members(np.random.Generator):
        member = f"numpy.random.Generator.{mname}"
        out.append(Entry(member, role, f"{rgen}{member}.html"))
    random_state = np.random.RandomState
    for name, obj in public_members(np.random):
        if inspect.isroutine(obj) and hasattr(random_state, name):
            full = f"numpy.random.{name}"
            out.append(Entry(full, "function", f"{rgen}{full}.html"))
    return out


# ---------------------------------------------------------------------------
# JAX  (https://docs.jax.dev/en/latest/)
# ---------------------------------------------------------------------------

# Modules whose API pages are generated by ``autosummary :toctree: _autosummary``:
# every public name N gets the page ``_autosummary/N.html``.
JAX_AUTOSUMMARY = [
    "jax", "jax.numpy", "jax.numpy.linalg", "jax.numpy.fft", "jax.lax", "jax.random",
    "jax.nn", "jax.nn.initializers", "jax.scipy.special", "jax.scipy.linalg",
    "jax.scipy.signal", "jax.scipy.stats.norm", "jax.scipy.stats.multivariate_normal",
    "jax.scipy.stats.uniform", "jax.scipy.stats.bernoulli", "jax.scipy.stats.beta",
    "jax.scipy.stats.gamma", "jax.scipy.stats.poisson", "jax.scipy.optimize",
    "jax.scipy.integrate", "jax.scipy.fft", "jax.scipy.ndimage", "jax.scipy.spatial.transform",
    "jax.tree", "jax.tree_util", "jax.debug", "jax.distributed", "jax.dtypes",
    "jax.profiler", "jax.test_util", "jax.image", "jax.ops", "jax.flatten_util",
    "jax.checkpoint_policies", "jax.custom_batching",
]  # fmt: skip
# Modules documented on one page with ``autoclass``/``autofunction``: ``M.html#M.N``.
JAX_SINGLE_PAGE = ["jax.sharding", "jax.stages"]
# Module pages that exist (``M.html`` has ``.. automodule:: M``).
JAX_MODULE_PAGES = [
    "jax", "jax.numpy", "jax.scipy", "jax.lax", "jax.random", "jax.sharding", "jax.debug",
    "jax.dlpack", "jax.distributed", "jax.dtypes", "jax.flatten_util", "jax.image",
    "jax.nn", "jax.nn.initializers", "jax.ops", "jax.profiler", "jax.stages",
    "jax.test_util", "jax.tree", "jax.tree_util",
]  # fmt: skip
# Classes whose documented members get their own autosummary pages.
JAX_MEMBER_PAGES = ["jax.Array", "jax.custom_jvp", "jax.custom_vjp"]


def _is_jax_object(obj: Any) -> bool:
    mod = obj_module(obj)
    return mod.startswith(("jax", "jaxlib")) or mod in {"", "numpy"} or not mod


def jax_entries() -> list[Entry]:
    import jax
    import numpy as np

    out: list[Entry] = []
    for modname in JAX_MODULE_PAGES:
        if _import(modname) is not None:
            out.append(Entry(modname, "module", f"{modname}.html#module-{modname}", 0))
    for modname in JAX_AUTOSUMMARY:
        module = _import(modname)
        if module is None:
            continue
        for name, obj in public_members(module):
            if not _is_jax_object(obj) and not isinstance(obj, type(jax.numpy.sin)):
                continue
            if not callable(obj) and not (isinstance(obj, np.dtype) and modname != "jax"):
                # Module-level data (``jax.lax.*_p`` primitives, ``jnp.pi``, ...) has
                # no page; dtype objects such as ``jax.dtypes.float0`` do.
                continue
            full = f"{modname}.{name}"
            out.append(Entry(full, role_of(obj), f"_autosummary/{full}.html"))
    for modname in JAX_SINGLE_PAGE:
        module = _import(modname)
        if module is None:
            continue
        for name, obj in public_members(module):
            full = f"{modname}.{name}"
            out.append(Entry(full, role_of(obj), f"{modname}.html#{full}"))
            if inspect.isclass(obj) and obj_module(obj).startswith(("jax", "jaxlib")):
                for mname, role in class_members(obj):
                    member = f"{full}.{mname}"
                    out.append(Entry(member, role, f"{modname}.html#{member}"))
    for clsname in JAX_MEMBER_PAGES:
        cls = getattr(jax, clsname.rpartition(".")[2])
        for mname, role in class_members(cls):
            member = f"{clsname}.{mname}"
            out.append(Entry(member, role, f"_autosummary/{member}.html"))
    # ``jax.numpy.ndarray`` is ``jax.Array``; its ``at`` helper has its own page.
    out.append(Entry("jax.numpy.ndarray.at", "property", "_autosummary/jax.numpy.ndarray.at.html"))
    return out


# ---------------------------------------------------------------------------
# Flax NNX  (https://flax.readthedocs.io/en/latest/)
# ---------------------------------------------------------------------------

_NNX = "api_reference/flax.nnx/"
# Page of the NNX API reference by the module that defines an object.
FLAX_PAGES: dict[str, str] = {
    "flax.nnx.graphlib": "graph.html",
    "flax.nnx.module": "module.html",
    "flax.nnx.rnglib": "rnglib.html",
    "flax.nnx.spmd": "spmd.html",
    "flax.nnx.statelib": "state.html",
    "flax.nnx.variablelib": "variables.html",
    "flax.nnx.helpers": "helpers.html",
    "flax.nnx.visualization": "visualization.html",
    "flax.nnx.filterlib": "filterlib.html",
    "flax.nnx.summary": "summary.html",
    "flax.nnx.pytreelib": "pytreelib.html",
    "flax.nnx.transforms.autodiff": "transforms.html",
    "flax.nnx.transforms.compilation": "transforms.html",
    "flax.nnx.transforms.iteration": "transforms.html",
    "flax.nnx.transforms.transforms": "transforms.html",
    "flax.nnx.nn.activations": "nn/activations.html",
    "jax._src.nn.functions": "nn/activations.html",
    "jax._src.ops.special": "nn/activations.html",
    "flax.nnx.nn.attention": "nn/attention.html",
    "flax.nnx.nn.linear": "nn/linear.html",
    "flax.nnx.nn.lora": "nn/lora.html",
    "flax.nnx.nn.normalization": "nn/normalization.html",
    "flax.nnx.nn.recurrent": "nn/recurrent.html",
    "flax.nnx.nn.stochastic": "nn/stochastic.html",
    "flax.linen.pooling": "nn/pooling.html",
    "flax.nnx.training.metrics": "training/metrics.html",
    "flax.nnx.training.optimizer": "training/optimizer.html",
    "flax.nnx.training.ema": "training/ema.html",
}


def flax_entries() -> list[Entry]:
    from flax import nnx

    out = [Entry("flax.nnx", "module", f"{_NNX}index.html#module-flax.nnx", 0)]
    for name, obj in public_members(nnx):
        page = FLAX_PAGES.get(obj_module(obj))
        if page is None:
            continue
        full = f"flax.nnx.{name}"
        out.append(Entry(full, role_of(obj), f"{_NNX}{page}#{full}"))
        if inspect.isclass(obj) and obj_module(obj).startswith("flax"):
            for mname, role in class_members(obj):
                member = f"{full}.{mname}"
                out.append(Entry(member, role, f"{_NNX}{page}#{member}"))
    return out


# ---------------------------------------------------------------------------
# Optax  (https://optax.readthedocs.io/en/latest/)
# ---------------------------------------------------------------------------

# API page by defining module, for names documented under ``optax.``.
OPTAX_PAGES: dict[str, str] = {
    "optax._src.alias": "api/optimizers.html",
    "optax._src.update": "api/apply_updates.html",
    "optax._src.transform": "api/transformations.html",
    "optax._src.base": "api/transformations.html",
    "optax.transforms._clipping": "api/transformations.html",
    "optax.transforms._adding": "api/transformations.html",
    "optax.transforms._constraining": "api/transformations.html",
}
# Sub-packages documented under their own name: ``optax.<sub>.N`` on one page.
OPTAX_SUBPACKAGES = {
    "optax.schedules": "api/optimizer_schedules.html",
    "optax.losses": "api/losses.html",
}


def optax_entries() -> list[Entry]:
    import optax

    out = [Entry("optax", "module", "api/optimizers.html", 0)]
    documented: dict[int, str] = {}  # id(obj) -> canonical documented name
    for subname, page in OPTAX_SUBPACKAGES.items():
        module = importlib.import_module(subname)
        for name, obj in public_members(module):
            if obj_module(obj).startswith(subname) and (callable(obj) or inspect.isclass(obj)):
                full = f"{subname}.{name}"
                out.append(Entry(full, role_of(obj), f"{page}#{full}"))
                documented[id(obj)] = f"{page}#{full}"
    for name, obj in public_members(optax):
        full = f"optax.{name}"
        page = OPTAX_PAGES.get(obj_module(obj))
        if page is not None:
            out.append(Entry(full, role_of(obj), f"{page}#{full}"))
        elif id(obj) in documented:
            # Top-level alias of a documented ``optax.schedules``/``optax.losses`` object.
            out.append(Entry(full, role_of(obj), documented[id(obj)]))
    return out


# ---------------------------------------------------------------------------
# Haiku  (https://dm-haiku.readthedocs.io/en/latest/)
# ---------------------------------------------------------------------------

HAIKU_MODULES = ["haiku", "haiku.initializers", "haiku.data_structures", "haiku.nets",
                 "haiku.mixed_precision", "haiku.experimental"]  # fmt: skip


def haiku_entries() -> list[Entry]:
    out = [Entry("haiku", "module", "api.html", 0)]
    for modname in HAIKU_MODULES:
        module = _import(modname)
        if module is None:
            continue
        for name, obj in public_members(module):
            if not obj_module(obj).startswith("haiku") or not (
                callable(obj) or inspect.isclass(obj)
            ):
                continue
            full = f"{modname}.{name}"
            out.append(Entry(full, role_of(obj), f"api.html#{full}"))
            if inspect.isclass(obj):
                for mname, role in class_members(obj):
                    member = f"{full}.{mname}"
                    out.append(Entry(member, role, f"api.html#{member}"))
    return out


# ---------------------------------------------------------------------------
# Matplotlib  (https://matplotlib.org/stable/)
# ---------------------------------------------------------------------------


def matplotlib_entries() -> list[Entry]:
    import matplotlib as mpl

    mpl.use("Agg")
    from matplotlib import axes, figure
    from matplotlib import pyplot as plt

    gen = "api/_as_gen/"
    out = [
        Entry("matplotlib.pyplot", "module", "api/pyplot_summary.html#module-matplotlib.pyplot", 0),
        Entry("matplotlib.figure", "module", "api/figure_api.html#module-matplotlib.figure", 0),
        Entry("matplotlib.axes", "module", "api/axes_api.html#module-matplotlib.axes", 0),
        Entry("matplotlib.figure.Figure", "class", f"{gen}matplotlib.figure.Figure.html"),
        Entry("matplotlib.axes.Axes", "class", "api/axes_api.html#matplotlib.axes.Axes"),
    ]
    for name, obj in public_members(plt):
        if inspect.isfunction(obj) and obj_module(obj) == "matplotlib.pyplot":
            full = f"matplotlib.pyplot.{name}"
            out.append(Entry(full, "function", f"{gen}{full}.html"))
    # Figure and Axes methods: one generated page each, named after the public class.
    for public, classes in (
        ("matplotlib.figure.Figure", [figure.Figure, figure.FigureBase]),
        (
            "matplotlib.axes.Axes",
            [axes.Axes, *(c for c in axes.Axes.__mro__ if c.__name__ == "_AxesBase")],
        ),
    ):
        seen: set[str] = set()
        for cls in classes:
            for mname, role in class_members(cls):
                if mname in seen:
                    continue
                seen.add(mname)
                member = f"{public}.{mname}"
                out.append(Entry(member, role, f"{gen}{member}.html"))
    return out


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------

INVENTORIES: dict[str, tuple[str, Callable[[], str], Callable[[], list[Entry]]]] = {
    "python": ("Python", platform.python_version, python_entries),
    "numpy": ("NumPy", lambda: _version("numpy"), numpy_entries),
    "jax": ("JAX", lambda: _version("jax"), jax_entries),
    "flax": ("Flax", lambda: _version("flax"), flax_entries),
    "optax": ("Optax", lambda: _version("optax"), optax_entries),
    "haiku": ("Haiku", lambda: _version("dm-haiku"), haiku_entries),
    "matplotlib": ("Matplotlib", lambda: _version("matplotlib"), matplotlib_entries),
}


def render(project: str, version: str, entries: Iterable[Entry]) -> bytes:
    """Serialise entries as a Sphinx inventory v2 (one entry per name)."""
    unique: dict[str, Entry] = {}
    for entry in sorted(set(entries)):
        unique.setdefault(entry.name, entry)
    body = "".join(e.line() for e in sorted(unique.values())).encode()
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    ).encode()
    return header + zlib.compress(body, 9)


def build(out_dir: Path, names: Iterable[str] | None = None) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for key in names or INVENTORIES:
        project, version, entries = INVENTORIES[key]
        path = out_dir / f"{key}.inv"
        path.write_bytes(render(project, version(), entries()))
        written[key] = path
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("names", nargs="*", help=f"inventories to build ({', '.join(INVENTORIES)})")
    args = parser.parse_args(argv)
    # Quiet imports of JAX: no accelerator probing (the names do not depend on it).
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    unknown = sorted(set(args.names) - set(INVENTORIES))
    if unknown:
        parser.error(f"unknown inventories: {', '.join(unknown)}")
    for key, path in build(args.out, args.names or None).items():
        sys.stdout.write(f"{key}: {path} ({path.stat().st_size} bytes)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
