"""Tests of `jaxguide.plotting`: the style, the CJK fallback and real PNG output."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest

import jaxguide.plotting
from jaxguide import PALETTE, cjk_font, new_figure, use_style


@pytest.fixture(autouse=True)
def _restore_rcparams() -> Iterator[None]:
    with mpl.rc_context():
        yield
    plt.close("all")


def _installed_cjk() -> str | None:
    try:
        return cjk_font()
    except RuntimeError:
        return None


def contrast(colour: str, background: str) -> float:
    """WCAG contrast ratio of two hex colours."""

    def luminance(hex_colour: str) -> float:
        channels = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
        linear = np.where(
            channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4
        )
        return float(linear @ [0.2126, 0.7152, 0.0722])

    high, low = sorted([luminance(colour), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("background", ["#ffffff", "#121212"])
def test_palette_and_grey_read_on_light_and_dark_pages(background: str) -> None:
    assert len(PALETTE) == len(set(PALETTE)) == 6
    assert all(contrast(c, background) >= 3 for c in PALETTE[:4])
    assert all(contrast(c, background) >= 2 for c in PALETTE)
    assert contrast(jaxguide.plotting.GREY, background) >= 3.5


def test_use_style_sets_the_shared_look() -> None:
    use_style()
    rc = mpl.rcParams
    assert rc["axes.prop_cycle"].by_key()["color"] == list(PALETTE)
    assert rc["figure.facecolor"] == rc["axes.facecolor"] == "none"
    assert rc["axes.edgecolor"] == rc["xtick.color"] == rc["axes.labelcolor"] == "#808080"
    assert tuple(rc["figure.figsize"]) == (6.4, 3.6)
    assert rc["figure.dpi"] * rc["figure.figsize"][0] <= 720
    assert (rc["savefig.bbox"], rc["savefig.format"], rc["savefig.transparent"]) == (
        "tight",
        "png",
        True,
    )
    assert rc["font.sans-serif"][0] == "DejaVu Sans"


def test_use_style_adds_the_cjk_font_after_the_latin_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jaxguide.plotting, "_installed_families", lambda: {"Noto Sans CJK SC"})
    use_style()
    assert mpl.rcParams["font.sans-serif"] == ["DejaVu Sans", "Noto Sans CJK SC"]
    assert mpl.rcParams["font.family"] == ["sans-serif", "Noto Sans CJK SC"]
    use_style(cjk=False)
    assert mpl.rcParams["font.sans-serif"] == ["DejaVu Sans"]
    assert mpl.rcParams["font.family"] == ["sans-serif"]


def test_cjk_font_prefers_simplified_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts = {"AR PL UMing CN", "WenQuanYi Zen Hei", "Noto Sans CJK JP", "DejaVu Sans"}
    monkeypatch.setattr(jaxguide.plotting, "_installed_families", lambda: fonts)
    assert cjk_font() == "Noto Sans CJK JP"
    fonts.add("Noto Sans CJK SC")
    assert cjk_font() == "Noto Sans CJK SC"
    fonts.difference_update({"Noto Sans CJK SC", "Noto Sans CJK JP"})
    assert cjk_font() == "WenQuanYi Zen Hei"


def test_without_a_cjk_font_only_cjk_font_complains(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jaxguide.plotting, "_installed_families", lambda: {"DejaVu Sans"})
    with pytest.raises(RuntimeError, match=r"apt-get install fonts-noto-cjk"):
        cjk_font()
    use_style()
    assert mpl.rcParams["font.sans-serif"] == ["DejaVu Sans"]
    fig, ax = new_figure()
    ax.set_title("Latin labels still work")
    fig.canvas.draw()


def test_installed_families_come_from_matplotlib() -> None:
    assert "DejaVu Sans" in jaxguide.plotting._installed_families()


def test_new_figure_sizes_and_axes() -> None:
    fig, ax = new_figure()
    assert isinstance(ax, mpl.axes.Axes)
    assert tuple(fig.get_size_inches()) == pytest.approx((6.4, 3.6))
    fig, axes = new_figure(3, height=2.5)
    assert len(axes) == 3
    assert tuple(fig.get_size_inches()) == pytest.approx((6.4, 2.5))


@pytest.mark.parametrize("bad", [0, 1.5])
def test_new_figure_rejects_bad_ncols(bad: float) -> None:
    with pytest.raises(ValueError, match="ncols to be an int >= 1"):
        new_figure(bad)  # type: ignore[arg-type]


def test_saved_png_is_transparent(tmp_path: Path) -> None:
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    target = tmp_path / "plot.png"
    fig.savefig(target)
    pixels = plt.imread(target)
    assert pixels.shape[2] == 4
    assert pixels[0, 0, 3] == 0.0  # the corner is transparent
    assert pixels.shape[1] <= 720


@pytest.mark.skipif(
    _installed_cjk() is None, reason="no CJK font; CI installs fonts-noto-cjk for this test"
)
def test_chinese_labels_render_without_missing_glyphs(tmp_path: Path) -> None:
    fig, ax = new_figure()
    ax.plot([1, 2, 3], label="编译后")
    ax.set_xlabel("调用次数 (n)")
    ax.set_title("即时编译的耗时")
    ax.legend()
    target = tmp_path / "zh.png"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a UserWarning
        fig.savefig(target)
    assert target.stat().st_size > 0
