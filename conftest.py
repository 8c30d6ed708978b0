"""Root pytest configuration, shared by tests/, the package doctests and the pages' doctests."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest

# Like JAX's own test suite: 8 simulated CPU devices, set before the backend starts,
# so the parallelism examples run on any machine.
jax.config.update("jax_num_cpu_devices", 8)


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace.update(jax=jax, jnp=jnp, np=np)
