"""One matplotlib style for every figure of the guide, in both languages and themes.

Figures have transparent backgrounds and mid-grey axes, so they read on the
light and the dark theme alike, and a CJK font is a fallback after the Latin
one, so the Chinese edition's labels render with the same code.
"""

from __future__ import annotations

import contextlib
from typing import Any

import matplotlib as mpl
from cycler import cycler
from matplotlib import font_manager
from matplotlib.figure import Figure

# Okabe-Ito without black and yellow, which vanish on a dark or a light page. The
# first four have a contrast of at least 3:1 on white and on near-black; orange and
# sky blue, about 2.2:1 on white, come last, for figures with five or six lines.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermilion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
)

#: Mid-grey reads on white and on near-black backgrounds.
GREY = "#808080"

_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "AR PL UMing CN",
)
_LATIN_FAMILY = "DejaVu Sans"


def _installed_families() -> set[str]:
    return {entry.name for entry in font_manager.fontManager.ttflist}


def cjk_font() -> str:
    """Name an installed font family that has Chinese glyphs.

    Families are tried in this order: Noto Sans CJK SC, Noto Sans CJK JP,
    Source Han Sans SC, WenQuanYi Zen Hei, AR PL UMing CN.
    Introduced on the page :doc:`/jit-compilation`.

    Raises
    ------
    RuntimeError
        If none of them is installed.

    Examples
    --------
    >>> from jaxguide import cjk_font
    >>> cjk_font().startswith(("Noto", "Source", "WenQuanYi", "AR PL"))
    True
    """
    installed = _installed_families()
    for family in _CJK_FAMILIES:
        if family in installed:
            return family
    msg = (
        f"no CJK font found (looked for {', '.join(_CJK_FAMILIES)}); install Debian's "
        "fonts-noto-cjk (apt-get install fonts-noto-cjk), then delete matplotlib's font "
        "cache so that it looks again"
    )
    raise RuntimeError(msg)


def use_style(cjk: bool = True) -> None:
    """Apply the guide's matplotlib style to ``matplotlib.rcParams``.

    Transparent backgrounds, grey axes, the colour-blind-safe ``PALETTE``,
    a size that fits the page's content column and tight PNG output. With
    ``cjk`` an installed CJK font follows the Latin one, so Chinese labels
    render; without one, Latin figures still work.
    Introduced on the page :doc:`/jit-compilation`.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> from jaxguide import PALETTE, use_style
    >>> use_style()
    >>> mpl.rcParams["axes.prop_cycle"].by_key()["color"] == list(PALETTE)
    True
    >>> mpl.rcParams["savefig.format"], mpl.rcParams["savefig.transparent"]
    ('png', True)
    """
    families = [_LATIN_FAMILY]
    if cjk:
        # Latin labels do not need it; `cjk_font()` explains what is missing when asked.
        with contextlib.suppress(RuntimeError):
            families.append(cjk_font())
    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 3.6),
            "figure.dpi": 110,
            "figure.facecolor": "none",
            "axes.facecolor": "none",
            "axes.edgecolor": GREY,
            "axes.labelcolor": GREY,
            "axes.titlecolor": GREY,
            "axes.prop_cycle": cycler(color=list(PALETTE)),
            "axes.grid": True,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "grid.color": GREY,
            "grid.alpha": 0.3,
            "xtick.color": GREY,
            "ytick.color": GREY,
            "text.color": GREY,
            "legend.frameon": False,
            # Matplotlib falls back glyph by glyph only across `font.family` entries;
            # the generic "sans-serif" alone would resolve to its first font.
            "font.family": ["sans-serif", *families[1:]],
            "font.sans-serif": families,
            "savefig.format": "png",
            "savefig.bbox": "tight",
            "savefig.dpi": "figure",
            "savefig.transparent": True,
        }
    )


def new_figure(ncols: int = 1, *, height: float | None = None) -> tuple[Figure, Any]:
    """Apply :func:`use_style` and make a figure with ``ncols`` axes side by side.

    Returns the figure and its axes (one ``Axes``, or an array of them when
    ``ncols > 1``). ``height`` is in inches; the width always fits the page.
    Introduced on the page :doc:`/jit-compilation`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from jaxguide import new_figure
    >>> fig, (left, right) = new_figure(2, height=3)
    >>> [float(x) for x in fig.get_size_inches()]
    [6.4, 3.0]
    >>> plt.close(fig)
    """
    if not isinstance(ncols, int) or ncols < 1:
        msg = f"new_figure expected ncols to be an int >= 1, got {ncols!r}"
        raise ValueError(msg)
    use_style()
    # pyplot, not `Figure()`, so notebooks show the figure without an explicit display;
    # imported here because it slows down `import jaxguide` in scripts that never plot.
    import matplotlib.pyplot as plt  # noqa: PLC0415

    width, default_height = mpl.rcParams["figure.figsize"]
    figsize = (width, default_height if height is None else height)
    fig, axes = plt.subplots(1, ncols, figsize=figsize, layout="constrained")
    return fig, axes
