"""Sentences about measurements that the build checks.

A page that says "jit is faster here" makes a claim about the numbers printed
above it. :func:`claim` states that sentence next to the measured value and the
bound that makes it true. If the value falls outside the bound when the page is
executed, :class:`ClaimError` stops the build with the sentence and the numbers,
instead of publishing prose that the page's own output contradicts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field


class ClaimError(AssertionError):
    """A sentence of the page does not hold for the numbers measured on this machine."""


def _number(value: float) -> str:
    return f"{value:.3g}"


@dataclass(frozen=True)
class Claim:
    """A sentence, the number it rests on, and the range in which it is true.

    Introduced on the page :doc:`/index`.

    Examples
    --------
    >>> from jaxguide.claims import Claim
    >>> c = Claim("jit is at least twice as fast", 3.14, at_least=2.0)
    >>> c.holds
    True
    >>> c
    Claim('jit is at least twice as fast': 3.14 in [2, ∞))
    """

    statement: str
    value: float
    at_least: float | None = None
    at_most: float | None = None
    numbers: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.statement.strip():
            msg = "a claim needs the sentence it guards, got an empty statement"
            raise ValueError(msg)
        if self.at_least is None and self.at_most is None:
            msg = f"claim {self.statement!r} needs at_least, at_most or both"
            raise ValueError(msg)
        if self.at_least is not None and self.at_most is not None and self.at_least > self.at_most:
            msg = (
                f"claim {self.statement!r}: at_least={self.at_least} is above "
                f"at_most={self.at_most}; no value could satisfy it"
            )
            raise ValueError(msg)

    @property
    def holds(self) -> bool:
        """True when the value lies in the closed range (NaN never does)."""
        if math.isnan(self.value):
            return False
        low_ok = self.at_least is None or self.value >= self.at_least
        high_ok = self.at_most is None or self.value <= self.at_most
        return low_ok and high_ok

    def range_text(self) -> str:
        """The accepted range, e.g. ``[2, ∞)``."""
        low = "-∞" if self.at_least is None else _number(self.at_least)
        high = "∞" if self.at_most is None else _number(self.at_most)
        return f"{'(' if self.at_least is None else '['}{low}, {high}{')' if self.at_most is None else ']'}"

    def failure(self) -> str:
        """The message of the :class:`ClaimError` raised when the claim does not hold."""
        context = ", ".join(
            f"{name} = {_number(v) if isinstance(v, float) else v}"
            for name, v in self.numbers.items()
        )
        return (
            f"the page claims {self.statement!r}, but on this machine the measured value is "
            f"{_number(self.value)}, outside {self.range_text()}"
            + (f" ({context})" if context else "")
            + ". Reword the sentence, or fix what it describes."
        )

    def __repr__(self) -> str:
        return f"Claim({self.statement!r}: {_number(self.value)} in {self.range_text()})"


def claim(
    statement: str,
    value: float,
    *,
    at_least: float | None = None,
    at_most: float | None = None,
    numbers: Mapping[str, object] | None = None,
) -> Claim:
    """Check a sentence of the page against the value it rests on.

    ``statement`` is the sentence as the reader sees it (or its gist), ``value`` the
    measured number, and ``at_least`` / ``at_most`` the closed range in which the
    sentence is true; choose the bounds with the tolerance that a noisy machine
    needs. ``numbers`` are shown in the error next to the value, so a failing
    build says what was measured. Returns the :class:`Claim` when it holds;
    raises :class:`ClaimError` when it does not.
    Introduced on the page :doc:`/index`.

    Examples
    --------
    >>> from jaxguide import claim
    >>> claim("donation makes the loop at least twice as fast", 5.0, at_least=2.0)
    Claim('donation makes the loop at least twice as fast': 5 in [2, ∞))
    >>> claim("psum costs about what the local op costs", 3.2, at_least=0.5, at_most=2.0,
    ...       numbers={"local": "1.00 ms", "psum": "3.20 ms"})
    Traceback (most recent call last):
    ...
    jaxguide.claims.ClaimError: the page claims 'psum costs about what the local op costs', but on this machine the measured value is 3.2, outside [0.5, 2] (local = 1.00 ms, psum = 3.20 ms). Reword the sentence, or fix what it describes.
    """
    checked = Claim(statement, float(value), at_least, at_most, dict(numbers or {}))
    if not checked.holds:
        raise ClaimError(checked.failure())
    return checked
