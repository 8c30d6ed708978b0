"""The upstream inventories shipped in ``docs/_ext/inventories``: what the upstream
projects' own docs builds wrote, and every link of the site lands on one of their targets."""

from __future__ import annotations

from pathlib import Path

import pytest
from jaxguide_build import editions, inventories
from sphinx.util.inventory import InventoryFile


def test_inventory_set_is_complete() -> None:
    shipped = sorted(p.stem for p in inventories.DIRECTORY.glob("*.inv"))
    assert shipped == sorted(inventories.PROJECTS)


def test_inventories_are_small() -> None:
    assert sum(p.stat().st_size for p in inventories.DIRECTORY.glob("*.inv")) < 1_500_000


@pytest.mark.parametrize("name", sorted(inventories.PROJECTS))
def test_inventory_is_the_projects_own(name: str) -> None:
    path = inventories.path_of(name)
    header = path.read_bytes().split(b"\n", 3)
    assert header[1].decode() == f"# Project: {inventories.PROJECTS[name].name}"
    data = InventoryFile.loads(path.read_bytes(), uri="").data
    assert sum(len(items) for items in data.values()) > 50


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("jax", "_autosummary/jax.jit.html#jax.jit"),
        ("jax", "jax.lax.html#jax.lax.GatherScatterMode"),
        ("python", "library/functools.html#functools.partial"),
    ],
)
def test_known_targets(name: str, target: str) -> None:
    assert inventories.PROJECTS[name].base_url + target in inventories.targets(name)


def test_guessed_targets_that_upstream_never_built_are_gone() -> None:
    """The two dead links of issue 13: pages JAX's docs never build."""
    jax = inventories.targets("jax")
    base = inventories.PROJECTS["jax"].base_url
    assert f"{base}_autosummary/jax.lax.GatherScatterMode.html" not in jax
    assert not any("AxisType" in url for url in jax)


@pytest.mark.build
@pytest.mark.parametrize("edition", [e.code for e in editions.EDITIONS])
def test_every_api_link_lands_on_a_real_target(site: Path, edition: str) -> None:
    """Every link of the built edition into an upstream project names a page and anchor
    that the project's inventory lists."""
    unknown = inventories.unknown_links(site / edition)
    assert not unknown, "links to targets the upstream docs do not build:\n" + "\n".join(
        f"{page}: {', '.join(urls)}" for page, urls in unknown.items()
    )
