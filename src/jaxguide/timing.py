"""Honest timing of JAX functions: the first call apart, then the steady state.

JAX dispatches work asynchronously, so a timer stopped when a function returns
measures the dispatch, not the work. Every call timed here waits for its
outputs with :func:`block`, and the first call (tracing, compiling and running)
is reported separately from the calls that follow it.
"""

from __future__ import annotations

import html
import math
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import jax
import numpy as np

from jaxguide.l10n import Bilingual, html_table

T = TypeVar("T")

_UNITS = ((1.0, "s"), (1e-3, "ms"), (1e-6, "\u00b5s"), (1e-9, "ns"))
_TIMING_HEADERS = ("function", "first call", "median", "min", "max", "IQR", "n")
# A row whose spread (IQR) is more than this fraction of its median is measured again,
# and marked in tables if it stays that noisy.
NOISY_SPREAD = 0.5
_NOISY_MARK = "\u2020"
_NOISY_NOTE = Bilingual(
    f"{_NOISY_MARK} noisy: the spread (IQR) stayed above half the median after re-measuring",
    f"{_NOISY_MARK} 噪声大：重新测量后，四分位距（IQR）仍超过中位数的一半",
)
# Column headers in both languages; the site shows the edition's (jaxguide.l10n).
_HEADERS = {
    "function": Bilingual("function", "函数"),
    "first call": Bilingual("first call", "首次调用"),
    "median": Bilingual("median", "中位数"),
    "min": Bilingual("min", "最小值"),
    "max": Bilingual("max", "最大值"),
    "IQR": Bilingual("IQR", "四分位距"),
    "n": Bilingual("n", "n"),
}


def block(tree: T) -> T:
    """Wait until every array in a pytree has been computed, and return the pytree.

    Leaves that have no ``block_until_ready`` method (Python numbers, strings,
    NumPy arrays) pass through unchanged.
    Introduced on the page :doc:`/jit-compilation`.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxguide import block
    >>> out = block({"x": jnp.arange(3), "note": "done"})
    >>> out["x"].tolist(), out["note"]
    ([0, 1, 2], 'done')
    """
    jax.block_until_ready(tree)  # type: ignore[no-untyped-call]
    return tree


def format_seconds(s: float) -> str:
    """Format a duration with three significant digits and a fitting unit.

    Introduced on the page :doc:`/numpy-replacement`.

    Examples
    --------
    >>> from jaxguide import format_seconds
    >>> [format_seconds(x) for x in (1.234, 0.0456, 7.891e-6, 1.2e-7)]
    ['1.23 s', '45.6 ms', '7.89 µs', '120 ns']
    """
    if math.isnan(s) or s < 0 or math.isinf(s):
        msg = f"format_seconds expected a finite duration >= 0 seconds, got {s!r}"
        raise ValueError(msg)
    scale, unit = _UNITS[-1]
    for scale, unit in _UNITS:  # noqa: B007 - the last pair tried is the one used
        if float(f"{s / scale:.3g}") >= 1:
            break
    value = float(f"{s / scale:.3g}")
    decimals = 0 if value == 0 else max(0, 2 - math.floor(math.log10(value)))
    return f"{value:.{decimals}f} {unit}"


@dataclass(frozen=True)
class Timing:
    """Timings of one function: its first call, and its calls after warm-up.

    Introduced on the page :doc:`/jit-compilation`.

    Examples
    --------
    >>> from jaxguide import Timing, format_seconds
    >>> t = Timing("jit", 0.0123, (2e-4, 3e-4, 4e-4), warmup=1, backend="cpu", device="cpu:0")
    >>> t
    Timing('jit', first=12.3 ms, median=300 µs [min 200 µs, max 400 µs, IQR 100 µs], n=3, cpu:0)
    >>> format_seconds(t.compile_overhead_s)
    '12.0 ms'
    """

    label: str
    first_call_s: float
    times_s: tuple[float, ...]
    warmup: int
    backend: str
    device: str

    def __post_init__(self) -> None:
        if not self.times_s or min(self.times_s) < 0:
            msg = f"Timing needs at least one non-negative time in times_s, got {self.times_s!r}"
            raise ValueError(msg)

    @property
    def median_s(self) -> float:
        """Median of the steady-state times, in seconds."""
        return float(statistics.median(self.times_s))

    @property
    def min_s(self) -> float:
        """Fastest steady-state time, in seconds."""
        return min(self.times_s)

    @property
    def max_s(self) -> float:
        """Slowest steady-state time, in seconds."""
        return max(self.times_s)

    @property
    def iqr_s(self) -> float:
        """Interquartile range (75th minus 25th percentile) of the steady-state times."""
        q25, q75 = np.percentile(self.times_s, [25, 75])
        return float(q75 - q25)

    @property
    def repeat(self) -> int:
        """Number of timed steady-state calls."""
        return len(self.times_s)

    @property
    def noisy(self) -> bool:
        """Whether the spread (IQR) is more than half the median (read such a row with care)."""
        return self.iqr_s > NOISY_SPREAD * self.median_s

    @property
    def compile_overhead_s(self) -> float:
        """How much longer the first call took than a typical call (never negative)."""
        return max(0.0, self.first_call_s - self.median_s)

    def as_row(self) -> dict[str, str]:
        """Formatted cells keyed by the language-neutral column names."""
        cells = (
            self.label,
            format_seconds(self.first_call_s),
            format_seconds(self.median_s),
            format_seconds(self.min_s),
            format_seconds(self.max_s),
            format_seconds(self.iqr_s),
            str(self.repeat),
        )
        return dict(zip(_TIMING_HEADERS, cells, strict=True))

    def __repr__(self) -> str:
        row = self.as_row()
        return (
            f"Timing({self.label!r}, first={row['first call']}, median={row['median']} "
            f"[min {row['min']}, max {row['max']}, IQR {row['IQR']}], n={self.repeat}, "
            f"{self.device})"
        )

    def _repr_html_(self) -> str:
        row = self.as_row()
        if self.noisy:
            row["IQR"] += f" {_NOISY_MARK}"
        headers = [_HEADERS[name] for name in row]
        return html_table("jaxguide-timing", headers, [list(row.values())], self._caption())

    def _caption(self) -> str:
        device = html.escape(self.device)
        return f"{device}; {_NOISY_NOTE.html()}" if self.noisy else device


def _device_of(tree: Any) -> str:
    for leaf in jax.tree_util.tree_leaves(tree):
        devices = getattr(leaf, "devices", None)
        if callable(devices):
            found = sorted(devices(), key=str)
            return str(found[0]) if len(found) == 1 else f"{len(found)} \u00d7 {found[0].platform}"
    return str(jax.devices()[0])


def _check_options(fn: object, repeat: int | None, warmup: int, min_time_s: float) -> None:
    if not callable(fn):
        msg = f"time_fn expected a callable, got {type(fn).__name__}: {fn!r}"
        raise TypeError(msg)
    if repeat is not None and repeat < 1:
        msg = f"repeat must be an int >= 1 (or None to choose it), got {repeat!r}"
        raise ValueError(msg)
    if warmup < 0:
        msg = f"warmup must be an int >= 0, got {warmup!r}"
        raise ValueError(msg)
    if not min_time_s > 0:
        msg = f"min_time_s must be > 0 seconds, got {min_time_s!r}"
        raise ValueError(msg)


def _time_fn(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    label: str | None,
    repeat: int | None,
    warmup: int,
    min_time_s: float,
    max_repeat: int,
    clock: Callable[[], float],
    remeasure: int,
) -> tuple[Timing, Any]:
    _check_options(fn, repeat, warmup, min_time_s)
    if remeasure < 0:
        msg = f"remeasure must be an int >= 0, got {remeasure!r}"
        raise ValueError(msg)
    start = clock()
    out = block(fn(*args, **kwargs))
    first_call_s = clock() - start

    start = clock() if warmup else 0.0
    for _ in range(warmup):
        block(fn(*args, **kwargs))
    # Without warm-up calls the first call is the only (pessimistic) estimate.
    per_call_s = (clock() - start) / warmup if warmup else first_call_s
    if repeat is None:
        wanted = math.ceil(min_time_s / per_call_s) if per_call_s > 0 else max_repeat
        repeat = max(min(5, max_repeat), min(wanted, max_repeat))

    def measure() -> Timing:
        times = []
        for _ in range(repeat):
            start = clock()
            block(fn(*args, **kwargs))
            times.append(clock() - start)
        return Timing(
            label=label if label is not None else getattr(fn, "__name__", repr(fn)),
            first_call_s=first_call_s,
            times_s=tuple(times),
            warmup=warmup,
            backend=jax.default_backend(),
            device=_device_of(out),
        )

    timing = measure()
    # A noisy round (something else ran on the machine) is measured again; of the
    # rounds, the one with the smallest relative spread is kept, and still flagged
    # as noisy if even that one is.
    for _ in range(remeasure):
        if not timing.noisy:
            break
        timing = min(timing, measure(), key=lambda t: t.iqr_s / t.median_s if t.median_s else 0)
    return timing, out


def time_fn(
    fn: Callable[..., Any],
    *args: Any,
    label: str | None = None,
    repeat: int | None = None,
    warmup: int = 1,
    min_time_s: float = 0.2,
    max_repeat: int = 200,
    clock: Callable[[], float] = time.perf_counter,
    remeasure: int = 2,
    **kwargs: Any,
) -> Timing:
    """Time ``fn(*args, **kwargs)``: the first call alone, then steady-state calls.

    The first call (trace, compile and run) is timed on its own. Then ``warmup``
    calls run untimed, and ``repeat`` calls are timed one by one. Each call waits
    for its outputs with :func:`block`. With ``repeat=None`` the number of timed
    calls is chosen so that they take about ``min_time_s`` in total, between 5
    and ``max_repeat``, using the warm-up calls (or, without any, the first
    call) as an estimate of one call. A round of timed calls whose spread (IQR)
    exceeds half its median is measured again, up to ``remeasure`` more times,
    and the steadiest round is kept; :attr:`Timing.noisy` says if it is still noisy.
    Introduced on the page :doc:`/jit-compilation`.

    Examples
    --------
    >>> import jax, jax.numpy as jnp
    >>> from jaxguide import time_fn
    >>> t = time_fn(jax.jit(jnp.sin), jnp.ones(1000), repeat=10)
    >>> t.label, t.repeat, t.backend
    ('sin', 10, 'cpu')
    >>> t.min_s <= t.median_s <= t.max_s
    True
    """
    timing, _ = _time_fn(
        fn,
        args,
        kwargs,
        label=label,
        repeat=repeat,
        warmup=warmup,
        min_time_s=min_time_s,
        max_repeat=max_repeat,
        clock=clock,
        remeasure=remeasure,
    )
    return timing


def _format_ratio(r: float) -> str:
    return "\u221e" if math.isinf(r) else f"{r:.2f}" if r < 100 else f"{r:.0f}"


def _format_speedup(r: float) -> str:
    return f"{_format_ratio(r)}\u00d7"


@dataclass(frozen=True)
class Comparison:
    """Timings of several functions on the same inputs, relative to a baseline.

    Introduced on the page :doc:`/numpy-replacement`.

    Examples
    --------
    >>> from jaxguide import Comparison, Timing
    >>> slow = Timing("numpy", 0.01, (0.004,), warmup=1, backend="cpu", device="cpu:0")
    >>> fast = Timing("jit", 0.05, (0.001,), warmup=1, backend="cpu", device="cpu:0")
    >>> c = Comparison((slow, fast), baseline="numpy")
    >>> c.ratio("jit"), c.fastest.label
    (4.0, 'jit')
    >>> c
    Comparison(baseline='numpy', numpy: 4.00 ms (1.00×), jit: 1.00 ms (4.00×))
    """

    timings: tuple[Timing, ...]
    baseline: str

    def __post_init__(self) -> None:
        labels = [t.label for t in self.timings]
        if self.baseline not in labels:
            msg = f"baseline {self.baseline!r} is not one of the timed labels {labels}"
            raise ValueError(msg)

    def _get(self, label: str) -> Timing:
        for t in self.timings:
            if t.label == label:
                return t
        msg = f"no timing labelled {label!r}; labels are {[t.label for t in self.timings]}"
        raise KeyError(msg)

    def ratio(self, label: str) -> float:
        """Speed-up of ``label`` over the baseline: baseline median / ``label`` median."""
        median = self._get(label).median_s
        return math.inf if median == 0 else self._get(self.baseline).median_s / median

    @property
    def fastest(self) -> Timing:
        """The timing with the smallest median."""
        return min(self.timings, key=lambda t: t.median_s)

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{t.label}: {format_seconds(t.median_s)} ({_format_ratio(self.ratio(t.label))}\u00d7)"
            for t in self.timings
        )
        return f"Comparison(baseline={self.baseline!r}, {parts})"

    def _repr_html_(self) -> str:
        # "speed-up": baseline median / this median, so 2× is twice as fast and 0.5× half.
        names = ["function", "first call", "median", "IQR", "n"]
        speedup = Bilingual(f"speed-up over {self.baseline}", f"相对 {self.baseline} 的加速比")
        rows = []
        for t in self.timings:
            row = t.as_row()
            if t.noisy:
                row["IQR"] += f" {_NOISY_MARK}"
            rows.append([*(row[name] for name in names), _format_speedup(self.ratio(t.label))])
        caption = html.escape(self._get(self.baseline).device)
        if any(t.noisy for t in self.timings):
            caption += f"; {_NOISY_NOTE.html()}"
        headers = [*(_HEADERS[name] for name in names), speedup]
        return html_table("jaxguide-timing jaxguide-comparison", headers, rows, caption)


def _check_close(reference: Any, other: Any, label: str, baseline: str) -> None:
    ref_leaves, ref_def = jax.tree_util.tree_flatten(reference)
    leaves, treedef = jax.tree_util.tree_flatten(other)
    same = cast(Any, ref_def) == treedef and all(
        np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-4, atol=1e-6)
        for a, b in zip(ref_leaves, leaves, strict=True)
    )
    if not same:
        msg = (
            f"{label!r} does not compute the same result as {baseline!r}; compare only "
            "functions that agree (or pass check_equal=False)"
        )
        raise ValueError(msg)


def compare(
    fns: Mapping[str, Callable[..., Any]],
    *args: Any,
    baseline: str | None = None,
    check_equal: bool = True,
    **time_kwargs: Any,
) -> Comparison:
    """Time several functions on the same arguments and compare them to a baseline.

    ``baseline`` defaults to the first key. With ``check_equal`` the outputs of
    every function must be close (relative 1e-4, absolute 1e-6) to the
    baseline's, so that you only compare functions that compute the same thing.
    Other keyword arguments go to :func:`time_fn`.
    Introduced on the page :doc:`/numpy-replacement`.

    Examples
    --------
    >>> import jax, jax.numpy as jnp
    >>> from jaxguide import compare
    >>> def f(x):
    ...     return jnp.tanh(x) * 2
    >>> c = compare({"eager": f, "jit": jax.jit(f)}, jnp.ones(100), repeat=5)
    >>> [t.label for t in c.timings], c.baseline, c.ratio("eager")
    (['eager', 'jit'], 'eager', 1.0)
    """
    if not fns:
        msg = "compare needs at least one function, got an empty mapping"
        raise ValueError(msg)
    baseline = next(iter(fns)) if baseline is None else baseline
    if baseline not in fns:
        msg = f"baseline {baseline!r} is not one of the functions {list(fns)}"
        raise ValueError(msg)
    time_kwargs.setdefault("repeat", None)
    time_kwargs.setdefault("warmup", 1)
    time_kwargs.setdefault("min_time_s", 0.2)
    time_kwargs.setdefault("max_repeat", 200)
    time_kwargs.setdefault("clock", time.perf_counter)
    time_kwargs.setdefault("remeasure", 2)
    timings, outputs = [], {}
    for label, fn in fns.items():
        timing, outputs[label] = _time_fn(fn, args, {}, label=label, **time_kwargs)
        timings.append(timing)
    if check_equal:
        for label, out in outputs.items():
            _check_close(outputs[baseline], out, label, baseline)
    return Comparison(tuple(timings), baseline)
