"""Tests of `jaxguide.timing` with fake clocks: nothing here depends on wall time."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxguide import Comparison, Timing, block, compare, format_seconds, time_fn


def fake_clock(durations: Iterable[float]) -> tuple[Callable[[], float], Callable[[], bool]]:
    """A clock whose consecutive (start, stop) reads are `durations` apart.

    Returns the clock and a function telling whether every read was used.
    """
    reads: list[float] = []
    now = 100.0
    for d in durations:
        reads += [now, now + d]
        now += d + 1.0
    it = iter(reads)
    return it.__next__, lambda: next(it, None) is None


class Leaf:
    """A pytree leaf that records how often it was waited for."""

    def __init__(self) -> None:
        self.blocked = 0

    def block_until_ready(self) -> Leaf:
        self.blocked += 1
        return self


def make_timing(times: tuple[float, ...], first: float = 1.0, label: str = "f") -> Timing:
    return Timing(label, first, times, warmup=1, backend="cpu", device="cpu:0")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1.234, "1.23 s"),
        (0.0456, "45.6 ms"),
        (7.891e-6, "7.89 µs"),
        (1.2e-7, "120 ns"),
        (0.9996, "1.00 s"),
        (0.0009996, "1.00 ms"),
        (12.0, "12.0 s"),
        (1234.5, "1230 s"),
        (0.0, "0 ns"),
        (1e-10, "0.100 ns"),
    ],
)
def test_format_seconds(seconds: float, text: str) -> None:
    assert format_seconds(seconds) == text


@pytest.mark.parametrize("bad", [-1e-9, math.nan, math.inf])
def test_format_seconds_rejects_negative_nan_and_inf(bad: float) -> None:
    with pytest.raises(ValueError, match="finite duration >= 0"):
        format_seconds(bad)


def test_block_waits_for_every_leaf_and_returns_the_tree() -> None:
    leaves = [Leaf(), Leaf()]
    tree = {"a": leaves[0], "b": (leaves[1], 3, "text"), "c": jnp.ones(2)}
    assert block(tree) is tree
    assert [leaf.blocked for leaf in leaves] == [1, 1]


def test_timing_statistics_are_exact() -> None:
    t = make_timing((0.005, 0.001, 0.004, 0.002, 0.003), first=0.5)
    assert t.median_s == pytest.approx(0.003)
    assert (t.min_s, t.max_s, t.repeat) == (0.001, 0.005, 5)
    assert t.iqr_s == pytest.approx(0.002)
    assert t.compile_overhead_s == pytest.approx(0.497)


def test_compile_overhead_is_never_negative() -> None:
    assert make_timing((0.2, 0.2), first=0.1).compile_overhead_s == 0.0


@pytest.mark.parametrize("times", [(), (0.1, -0.1)])
def test_timing_rejects_empty_or_negative_times(times: tuple[float, ...]) -> None:
    with pytest.raises(ValueError, match="at least one non-negative time"):
        make_timing(times)


def test_timing_repr_row_and_html() -> None:
    t = make_timing((4e-5, 5e-5, 6e-5), first=0.0123, label="a<b")
    assert repr(t) == (
        "Timing('a<b', first=12.3 ms, median=50.0 µs "
        "[min 40.0 µs, max 60.0 µs, IQR 10.0 µs], n=3, cpu:0)"
    )
    assert t.as_row() == {
        "function": "a<b",
        "first call": "12.3 ms",
        "median": "50.0 µs",
        "min": "40.0 µs",
        "max": "60.0 µs",
        "IQR": "10.0 µs",
        "n": "3",
    }
    page = t._repr_html_()
    assert page.startswith('<table class="jaxguide-timing" tabindex="0">')
    assert '<th><span class="jaxguide-l10n" lang="en">function</span>' in page
    for header in ("first call", "median", "min", "max", "IQR"):
        assert f'<th class="num"><span class="jaxguide-l10n" lang="en">{header}</span>' in page
    assert '<th class="num">n</th>' in page
    assert 'lang="zh-CN" hidden>中位数</span></th>' in page
    assert "<td>a&lt;b</td>" in page
    assert '<td class="num">50.0 µs</td>' in page
    assert "<caption>cpu:0</caption>" in page


def test_time_fn_times_the_first_call_apart_and_blocks_every_call() -> None:
    leaf = Leaf()
    clock, used_up = fake_clock([0.5, 0.03, 0.01, 0.02, 0.04])
    t = time_fn(lambda x: (leaf, x), 1, label="f", repeat=3, warmup=1, clock=clock, remeasure=0)
    assert used_up()
    assert t.first_call_s == pytest.approx(0.5)
    assert t.times_s == pytest.approx((0.01, 0.02, 0.04))
    assert t.warmup == 1
    assert leaf.blocked == 1 + 1 + 3
    assert (t.backend, t.device) == ("cpu", "cpu:0")


def test_time_fn_passes_arguments_and_keywords() -> None:
    seen = []
    clock, _ = fake_clock([1.0] * 10)
    time_fn(lambda a, *, b: seen.append((a, b)), 1, b=2, repeat=2, clock=clock)
    assert seen == [(1, 2)] * 4


@pytest.mark.parametrize(
    ("warmup_total", "warmup", "min_time_s", "max_repeat", "expected"),
    [
        (0.02, 2, 0.2, 200, 20),  # 0.01 s a call fills 0.2 s in 20 calls
        (0.03, 1, 0.2, 200, 7),  # ceil(0.2 / 0.03)
        (1.0, 1, 0.2, 200, 5),  # slow calls: at least 5
        (1e-6, 1, 0.2, 50, 50),  # fast calls: at most max_repeat
        (0.0, 1, 0.2, 30, 30),  # a call too fast for the clock
        (0.1, 1, 0.2, 3, 3),  # max_repeat below 5 wins
    ],
)
def test_time_fn_chooses_repeat_from_the_warm_up(
    warmup_total: float, warmup: int, min_time_s: float, max_repeat: int, expected: int
) -> None:
    # Warm-up reads start at 0.0 so that their difference is exactly `warmup_total`.
    reads = [100.0, 100.5, 0.0, warmup_total, *([200.0, 200.001] * expected)]
    clock = iter(reads).__next__
    t = time_fn(
        lambda: None, warmup=warmup, min_time_s=min_time_s, max_repeat=max_repeat, clock=clock
    )
    assert t.repeat == expected
    with pytest.raises(StopIteration):
        clock()


def test_time_fn_without_warm_up_estimates_from_the_first_call() -> None:
    clock, used_up = fake_clock([0.05] + [0.01] * 4 + [0.0])
    calls = []
    t = time_fn(lambda: calls.append(1), warmup=0, min_time_s=0.2, clock=clock)
    assert t.repeat == 4 + 1  # ceil(0.2 / 0.05) = 4, raised to the minimum of 5
    assert used_up()
    assert len(calls) == 1 + 5


def test_time_fn_labels() -> None:
    def named() -> int:
        return 1

    clock, _ = fake_clock([1.0] * 20)
    assert time_fn(named, repeat=1, clock=clock).label == "named"
    partial = functools.partial(named)
    assert time_fn(partial, repeat=1, clock=clock).label == repr(partial)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"repeat": 0}, ValueError, r"repeat must be an int >= 1 \(or None"),
        ({"warmup": -1}, ValueError, "warmup must be an int >= 0, got -1"),
        ({"min_time_s": 0.0}, ValueError, "min_time_s must be > 0 seconds"),
    ],
)
def test_time_fn_validates_options(kwargs: dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        time_fn(lambda: None, **kwargs)


def test_time_fn_rejects_a_non_callable() -> None:
    with pytest.raises(TypeError, match=r"^time_fn expected a callable, got int: 3$"):
        time_fn(3)  # type: ignore[arg-type]


def test_time_fn_really_runs_jax() -> None:
    t = time_fn(jax.jit(jnp.cos), jnp.ones(10), repeat=3)
    assert t.repeat == 3
    assert t.first_call_s > 0
    assert t.device == str(jax.devices()[0])


def test_time_fn_reports_sharded_outputs() -> None:
    n = jax.device_count()
    if n < 2:
        pytest.skip("needs several devices; the root conftest asks for 8 CPU devices")
    mesh = jax.make_mesh((n,), ("i",))
    sharding = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec("i"))
    x = jax.device_put(jnp.arange(2.0 * n), sharding)
    assert time_fn(jnp.sin, x, repeat=1).device == f"{n} × cpu"


def test_comparison_ratio_fastest_repr_and_html() -> None:
    slow = make_timing((0.004, 0.004, 0.004), label="numpy")
    fast = make_timing((0.001, 0.001, 0.001), label="jit")
    c = Comparison((slow, fast), baseline="numpy")
    assert c.ratio("jit") == 4.0
    assert c.ratio("numpy") == 1.0
    assert c.fastest is fast
    assert repr(c) == "Comparison(baseline='numpy', numpy: 4.00 ms (1.00×), jit: 1.00 ms (4.00×))"
    page = c._repr_html_()
    assert page.startswith('<table class="jaxguide-timing jaxguide-comparison" tabindex="0">')
    assert '<th><span class="jaxguide-l10n" lang="en">function</span>' in page
    for header in ("first call", "median", "IQR", "speed-up over numpy"):
        assert f'<th class="num"><span class="jaxguide-l10n" lang="en">{header}</span>' in page
    assert 'lang="zh-CN" hidden>相对 numpy 的加速比</span></th>' in page
    assert '<td class="num">4.00×</td>' in page
    assert "noisy" not in page
    assert ">min<" not in page


def test_comparison_ratio_formats() -> None:
    base = make_timing((1.0,), label="base")
    c = Comparison(
        (base, make_timing((0.0,), label="zero"), make_timing((0.004,), label="quick")),
        baseline="base",
    )
    assert c.ratio("zero") == math.inf
    assert c.ratio("quick") == pytest.approx(250)
    assert "zero: 0 ns (∞×)" in repr(c)
    assert "quick: 4.00 ms (250×)" in repr(c)


def test_comparison_rejects_unknown_labels() -> None:
    t = make_timing((1.0,), label="a")
    with pytest.raises(ValueError, match=r"baseline 'b' is not one of the timed labels \['a'\]"):
        Comparison((t,), baseline="b")
    with pytest.raises(KeyError, match="no timing labelled 'z'"):
        Comparison((t,), baseline="a").ratio("z")


def test_compare_times_each_function_on_the_same_arguments() -> None:
    # Per function: a first call, then 3 timed calls (no warm-up).
    clock, used_up = fake_clock([0.5, 0.4, 0.4, 0.4, 0.9, 0.1, 0.1, 0.1])
    seen = []

    def slow(x: int) -> int:
        seen.append(("slow", x))
        return x

    def quick(x: int) -> int:
        seen.append(("quick", x))
        return x

    c = compare({"slow": slow, "quick": quick}, 7, repeat=3, warmup=0, clock=clock)
    assert used_up()
    assert c.baseline == "slow"
    assert [t.label for t in c.timings] == ["slow", "quick"]
    assert c.ratio("quick") == pytest.approx(4.0)
    assert c.timings[1].first_call_s == pytest.approx(0.9)
    assert set(seen) == {("slow", 7), ("quick", 7)}
    assert len(seen) == 8


def test_compare_with_an_explicit_baseline_and_real_jax() -> None:
    def f(x: jax.Array) -> jax.Array:
        return jnp.tanh(x) * 2

    c = compare({"eager": f, "jit": jax.jit(f)}, jnp.ones(100), baseline="jit", repeat=2)
    assert c.baseline == "jit"
    assert c.ratio("jit") == 1.0


def test_compare_rejects_empty_and_unknown_baseline() -> None:
    with pytest.raises(ValueError, match="at least one function"):
        compare({}, 1)
    with pytest.raises(ValueError, match=r"baseline 'c' is not one of the functions \['a'\]"):
        compare({"a": abs}, 1, baseline="c")


@pytest.mark.parametrize(
    "other",
    [
        lambda x: x + 1.0,  # different values
        lambda x: (x, x),  # different structure
        lambda _: np.ones(4),  # different shape
    ],
)
def test_compare_checks_that_outputs_agree(other: Callable[[Any], Any]) -> None:
    x = np.ones(3)
    with pytest.raises(ValueError, match="'other' does not compute the same result as 'ref'"):
        compare({"ref": lambda x: x * 1.0, "other": other}, x, repeat=1)
    c = compare({"ref": lambda x: x, "other": other}, x, repeat=1, check_equal=False)
    assert len(c.timings) == 2


def test_compare_tolerates_float32_rounding() -> None:
    x = np.linspace(0, 1, 1000, dtype=np.float32)
    c = compare({"numpy": np.sum, "jax": jnp.sum}, x, repeat=1)
    assert c.baseline == "numpy"


def test_noisy_timing_is_flagged_in_tables() -> None:
    steady = make_timing((1.0, 1.0, 1.0, 1.0), label="steady")
    noisy = make_timing((1.0, 1.0, 3.0, 3.0), label="noisy")  # IQR 2.0 > half the median
    assert not steady.noisy
    assert noisy.noisy
    assert "IQR" in noisy._repr_html_()
    assert "† noisy" in noisy._repr_html_()
    page = Comparison((steady, noisy), baseline="steady")._repr_html_()
    assert '<td class="num">2.00 s †</td>' in page
    assert "noisy: the spread (IQR) stayed above half the median" in page
    assert "噪声大：重新测量后，四分位距（IQR）仍超过中位数的一半" in page


def test_noisy_round_is_measured_again_and_the_steadiest_kept() -> None:
    # first call, one warm-up, then three rounds of four timed calls.
    noisy_round = [1.0, 1.0, 3.0, 3.0]
    steady_round = [2.0, 2.0, 2.0, 2.0]
    clock, used_up = fake_clock([5.0, 1.0, *noisy_round, *steady_round])
    t = time_fn(lambda: None, repeat=4, clock=clock, remeasure=2)
    assert used_up()  # the steady second round ended the re-measuring
    assert t.times_s == tuple(steady_round)
    assert not t.noisy


def test_a_round_that_stays_noisy_keeps_its_flag() -> None:
    rounds = [[1.0, 1.0, 3.0, 3.0], [1.0, 1.0, 4.0, 4.0], [1.0, 1.0, 2.5, 2.5]]
    clock, used_up = fake_clock([5.0, 1.0, *(d for r in rounds for d in r)])
    t = time_fn(lambda: None, repeat=4, clock=clock, remeasure=2)
    assert used_up()
    assert t.times_s == tuple(rounds[2])  # the smallest relative spread of the three
    assert t.noisy


def test_remeasure_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="remeasure must be an int >= 0"):
        time_fn(lambda: None, remeasure=-1)


def test_table_shows_headers_in_both_languages_and_checks_its_rows() -> None:
    from jaxguide import Bilingual, table

    shown = table([Bilingual("size", "大小"), "n"], [("small", 3)], caption=Bilingual("c", "说明"))
    page = shown._repr_html_()
    assert page.startswith('<table class="jaxguide-table" tabindex="0">')
    assert 'lang="zh-CN" hidden>大小</span></th><th class="num">n</th>' in page
    assert '<td class="num">3</td>' in page
    assert 'lang="zh-CN" hidden>说明</span></caption>' in page
    with pytest.raises(ValueError, match="needs 2 cells"):
        table(["a", "b"], [(1,)])
