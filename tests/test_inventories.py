"""The offline intersphinx inventories in ``docs/_ext/inventories`` parse, hold the
expected official URLs, and are up to date with the installed packages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from make_inventories import BASE_URLS
from sphinx.util.inventory import InventoryFile

ROOT = Path(__file__).resolve().parents[1]
INV_DIR = ROOT / "docs" / "_ext" / "inventories"
SCRIPT = ROOT / "docs" / "_ext" / "make_inventories.py"


EXPECTED = {
    "jax": {
        ("py:function", "jax.jit"): "_autosummary/jax.jit.html",
        ("py:function", "jax.vmap"): "_autosummary/jax.vmap.html",
        ("py:function", "jax.grad"): "_autosummary/jax.grad.html",
        ("py:function", "jax.shard_map"): "_autosummary/jax.shard_map.html",
        ("py:function", "jax.make_mesh"): "_autosummary/jax.make_mesh.html",
        ("py:function", "jax.block_until_ready"): "_autosummary/jax.block_until_ready.html",
        ("py:function", "jax.numpy.sin"): "_autosummary/jax.numpy.sin.html",
        ("py:function", "jax.random.key"): "_autosummary/jax.random.key.html",
        ("py:function", "jax.random.split"): "_autosummary/jax.random.split.html",
        ("py:function", "jax.lax.scan"): "_autosummary/jax.lax.scan.html",
        ("py:function", "jax.debug.print"): "_autosummary/jax.debug.print.html",
        ("py:function", "jax.tree.map"): "_autosummary/jax.tree.map.html",
        ("py:class", "jax.Array"): "_autosummary/jax.Array.html",
        ("py:property", "jax.Array.at"): "_autosummary/jax.Array.at.html",
        ("py:property", "jax.numpy.ndarray.at"): "_autosummary/jax.numpy.ndarray.at.html",
        ("py:class", "jax.sharding.NamedSharding"): "jax.sharding.html#jax.sharding.NamedSharding",
        ("py:class", "jax.sharding.PartitionSpec"): "jax.sharding.html#jax.sharding.PartitionSpec",
        ("py:module", "jax.numpy"): "jax.numpy.html#module-jax.numpy",
    },
    "numpy": {
        ("py:function", "numpy.sin"): "reference/generated/numpy.sin.html",
        ("py:class", "numpy.ndarray"): "reference/generated/numpy.ndarray.html",
        ("py:class", "numpy.float32"): "reference/arrays.scalars.html#numpy.float32",
        ("py:function", "numpy.linalg.norm"): "reference/generated/numpy.linalg.norm.html",
        (
            "py:function",
            "numpy.random.default_rng",
        ): "reference/random/generator.html#numpy.random.default_rng",
    },
    "python": {
        ("py:class", "functools.partial"): "library/functools.html#functools.partial",
        ("py:function", "time.perf_counter"): "library/time.html#time.perf_counter",
        ("py:function", "len"): "library/functions.html#len",
        ("py:class", "int"): "library/functions.html#int",
        ("py:class", "dict"): "library/stdtypes.html#dict",
        ("py:exception", "ValueError"): "library/exceptions.html#ValueError",
        ("py:module", "functools"): "library/functools.html#module-functools",
    },
    "flax": {
        ("py:class", "flax.nnx.Linear"): "api_reference/flax.nnx/nn/linear.html#flax.nnx.Linear",
        ("py:class", "flax.nnx.Module"): "api_reference/flax.nnx/module.html#flax.nnx.Module",
    },
    "optax": {
        ("py:function", "optax.adam"): "api/optimizers.html#optax.adam",
        (
            "py:function",
            "optax.losses.softmax_cross_entropy",
        ): "api/losses.html#optax.losses.softmax_cross_entropy",
    },
    "haiku": {
        ("py:class", "haiku.Linear"): "api.html#haiku.Linear",
        ("py:function", "haiku.transform"): "api.html#haiku.transform",
    },
    "matplotlib": {
        ("py:function", "matplotlib.pyplot.plot"): "api/_as_gen/matplotlib.pyplot.plot.html",
        ("py:method", "matplotlib.axes.Axes.plot"): "api/_as_gen/matplotlib.axes.Axes.plot.html",
        (
            "py:method",
            "matplotlib.figure.Figure.savefig",
        ): "api/_as_gen/matplotlib.figure.Figure.savefig.html",
    },
}

STALE_HINT = (
    "docs/_ext/inventories/{name}.inv is stale (it no longer matches the installed "
    "packages); run `python docs/_ext/make_inventories.py` and commit the result."
)


def _load(path: Path, base: str) -> dict[str, dict[str, str]]:
    inventory = InventoryFile.loads(path.read_bytes(), uri=base)
    return {
        role: {name: item.uri for name, item in items.items()}
        for role, items in inventory.data.items()
    }


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("inventories")
    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, f"make_inventories.py failed:\n{proc.stdout}\n{proc.stderr}"
    return out


def test_inventory_set_is_complete() -> None:
    assert sorted(p.stem for p in INV_DIR.glob("*.inv")) == sorted(BASE_URLS)


def test_inventories_are_small() -> None:
    assert sum(p.stat().st_size for p in INV_DIR.glob("*.inv")) < 1_500_000


@pytest.mark.parametrize("name", sorted(BASE_URLS))
def test_inventory_parses(name: str) -> None:
    path = INV_DIR / f"{name}.inv"
    data = _load(path, BASE_URLS[name])
    assert data, f"{path} is empty"
    assert all(role.startswith("py:") for role in data)
    for items in data.values():
        for uri in items.values():
            assert uri.startswith(BASE_URLS[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_known_names_have_exact_uris(name: str) -> None:
    base = BASE_URLS[name]
    data = _load(INV_DIR / f"{name}.inv", base)
    for (role, obj), rel in EXPECTED[name].items():
        assert obj in data.get(role, {}), f"{obj} ({role}) missing from {name}.inv"
        assert data[role][obj] == base + rel


@pytest.mark.parametrize("name", sorted(BASE_URLS))
def test_inventories_are_up_to_date(name: str, regenerated: Path) -> None:
    fresh = (regenerated / f"{name}.inv").read_bytes()
    committed = (INV_DIR / f"{name}.inv").read_bytes()
    assert fresh == committed, STALE_HINT.format(name=name)
