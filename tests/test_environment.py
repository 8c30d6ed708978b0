"""Tests of `jaxguide.environment`, and of what `import jaxguide` brings with it."""

from __future__ import annotations

import platform
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from importlib import metadata

import jax
import numpy as np
import pytest

import jaxguide
from jaxguide import Environment, ExecutedWith, environment, executed_with
from jaxguide.environment import _version

WHEN = datetime(2026, 11, 28, 13, 45, tzinfo=UTC)


def sample() -> Environment:
    return Environment(
        python="3.11.7",
        jax="0.10.2",
        jaxlib="0.10.2",
        numpy="2.4.6",
        sphinx_book_theme="not installed",
        backend="cpu",
        device_kinds=("cpu",),
        device_count=8,
        x64=False,
        machine="x86_64",
        cores=(1, 2),
        executed_at=WHEN,
    )


def test_environment_collects_versions_and_devices() -> None:
    env = environment(now=WHEN)
    assert env.jax == jax.__version__
    assert env.jaxlib == metadata.version("jaxlib")
    assert env.numpy == np.__version__
    assert env.sphinx_book_theme == _version("sphinx-book-theme")
    assert env.python == ".".join(map(str, sys.version_info[:3]))
    assert env.backend == jax.default_backend()
    assert env.device_count == jax.device_count()
    assert env.device_kinds == ("cpu",)
    assert env.x64 is False
    assert env.machine == platform.machine()
    used, total = env.cores
    assert 1 <= used <= total
    assert env.executed_at == WHEN


def test_environment_reports_x64() -> None:
    jax.config.update("jax_enable_x64", True)
    try:
        assert environment(now=WHEN).x64 is True
    finally:
        jax.config.update("jax_enable_x64", False)


def test_environment_time_is_utc_to_the_minute() -> None:
    tokyo = datetime(2026, 11, 28, 22, 45, 31, 999, tzinfo=timezone(timedelta(hours=9)))
    assert environment(now=tokyo).executed_at == WHEN
    assert environment(now=datetime(2026, 11, 28, 13, 45, 59)).executed_at == WHEN
    now = environment().executed_at
    assert (now.tzinfo, now.second, now.microsecond) == (UTC, 0, 0)


def test_missing_distributions_are_reported_not_raised() -> None:
    assert _version("jaxguide-no-such-distribution") == "not installed"


def test_short_line() -> None:
    env = sample()
    assert env.short_line() == (
        "Executed with jax 0.10.2 · jaxlib 0.10.2 · Python 3.11.7 · cpu ×8 · x64 off · "
        "x86_64, 1 of 2 CPU cores · "
        "2026-11-28 13:45 UTC"
    )
    assert "· x64 on ·" in replace(env, x64=True).short_line()
    assert env.short_line("zh") == (
        "运行环境：jax 0.10.2 · jaxlib 0.10.2 · Python 3.11.7 · cpu ×8 · x64 关闭 · "
        "x86_64，用了 2 个 CPU 核心中的 1 个 · 2026-11-28 13:45 UTC"
    )
    assert "· x64 开启 ·" in replace(env, x64=True).short_line("zh")


def test_str_aligns_every_field() -> None:
    lines = str(replace(sample(), device_kinds=("TPU v5", "TPU v6"))).splitlines()
    assert len(lines) == 11
    assert len({line.index(":") for line in lines}) == 1
    assert "device_kinds     : TPU v5, TPU v6" in lines
    assert lines[-1] == "executed_at      : 2026-11-28T13:45+00:00"


def test_html_table_escapes_values() -> None:
    env = replace(sample(), machine="<arm64>")
    assert env.as_dict()["x64"] == "off"
    html = env._repr_html_()
    assert html.startswith('<table class="jaxguide-environment">')
    assert (
        '<tr><th>machine</th><td><span class="jaxguide-l10n" lang="en">&lt;arm64&gt;, 1 of' in html
    )
    assert "<tr><th>jax</th><td>0.10.2</td></tr>" in html  # the same in both languages
    assert html.count("<tr>") == 11


def test_executed_with_shows_the_short_line_in_both_languages() -> None:
    shown = executed_with(now=WHEN)
    env = environment(now=WHEN)
    assert str(shown) == repr(shown) == env.short_line()
    page = shown._repr_html_()
    assert page.startswith(
        '<p class="jaxguide-executed-with"><span class="jaxguide-l10n" lang="en">'
    )
    assert f'lang="zh-CN" hidden>{env.short_line("zh")}</span></p>' in page
    assert "a &lt; b" in ExecutedWith("a < b", "甲 < 乙")._repr_html_()


def test_public_api_is_exported() -> None:
    assert jaxguide.__version__ == "0.1.0"
    for name in jaxguide.__all__:
        assert hasattr(jaxguide, name), name
    assert sorted(jaxguide.__all__) == sorted(set(jaxguide.__all__))


@pytest.mark.parametrize("forbidden", ["sphinx", "matplotlib.pyplot"])
def test_importing_jaxguide_stays_light(forbidden: str) -> None:
    code = (
        "import sys, jaxguide; "
        f"print([m for m in sys.modules if m == {forbidden!r} or m.startswith({forbidden!r} + '.')])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert proc.stdout.strip() == "[]"
