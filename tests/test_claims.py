"""Tests of `jaxguide.claims`: sentences about measurements that the build checks."""

from __future__ import annotations

import math

import pytest

from jaxguide import Claim, ClaimError, claim


def test_claim_returns_the_checked_claim() -> None:
    c = claim("jit is faster", 3.0, at_least=1.5)
    assert c == Claim("jit is faster", 3.0, at_least=1.5)
    assert c.holds


@pytest.mark.parametrize(
    ("value", "low", "high", "holds"),
    [
        (1.0, 1.0, None, True),  # bounds are inclusive
        (0.999, 1.0, None, False),
        (2.0, None, 2.0, True),
        (2.01, None, 2.0, False),
        (1.0, 0.5, 2.0, True),
        (math.nan, 0.0, None, False),  # a NaN measurement never supports a sentence
        (math.inf, 1.0, None, True),
    ],
)
def test_bounds(value: float, low: float | None, high: float | None, holds: bool) -> None:
    assert Claim("s", value, at_least=low, at_most=high).holds is holds


def test_failure_names_the_sentence_the_value_the_range_and_the_numbers() -> None:
    with pytest.raises(ClaimError) as caught:
        claim(
            "donation removes the copy",
            0.8,
            at_least=2.0,
            numbers={"copying": 1.5e-3, "donating": "1.2 ms"},
        )
    message = str(caught.value)
    assert "'donation removes the copy'" in message
    assert "measured value is 0.8, outside [2, ∞)" in message
    assert "copying = 0.0015, donating = 1.2 ms" in message
    assert isinstance(caught.value, AssertionError)


def test_claim_needs_a_sentence_and_a_bound() -> None:
    with pytest.raises(ValueError, match="needs the sentence"):
        claim("  ", 1.0, at_least=0.0)
    with pytest.raises(ValueError, match="needs at_least, at_most or both"):
        claim("unbounded", 1.0)
    with pytest.raises(ValueError, match="no value could satisfy it"):
        claim("impossible", 1.0, at_least=2.0, at_most=1.0)


def test_range_text() -> None:
    assert Claim("s", 1, at_most=2).range_text() == "(-∞, 2]"
    assert Claim("s", 1, at_least=0.5, at_most=2).range_text() == "[0.5, 2]"
