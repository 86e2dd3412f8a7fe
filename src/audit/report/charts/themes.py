"""What customers say: the themes of their complaints and comments, as horizontal bars."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from audit.i18n import _
from audit.report.charts._base import (
    ACCENT,
    INK,
    LIGHT,
    _drawing,
    _figure,
    _finite,
    _legend_beside_title,
    _short,
    _to_svg,
    no_data_svg,
)

__all__ = ["ThemeBar", "themes_svg"]


class ThemeBar(NamedTuple):
    """One theme on the chart: its label, its share now and in the previous quarter, whether it grew significantly."""

    label: str
    share_pct: float | None
    previous_share_pct: float | None
    growing: bool


def themes_svg(bars: Sequence[ThemeBar], title: str, now: str, before: str) -> str:
    """Themes as horizontal bars, largest first: the share of the texts now (dark) and in the previous quarter (light).

    A theme whose share rose significantly is marked ▲ after its share.

    Args:
        bars: the themes in the order to show them (top first); themes without a share are left out.
        title: the chart title.
        now, before: the legend labels of the two quarters.

    Returns:
        SVG text; a "no data" placeholder when no theme has a share.
    """
    items = [b for b in bars if _finite(b.share_pct)]
    if not items:
        return no_data_svg(f"No themes for {title.lower()}")
    with _drawing():
        fig = _figure(max(1.6, 0.3 * len(items) + 0.9))
        ax = fig.add_subplot()
        ys = list(range(len(items)))[::-1]
        height = 0.4
        previous = [b.previous_share_pct if _finite(b.previous_share_pct) else 0.0 for b in items]
        ax.barh(
            [y + height / 2 for y in ys],
            [float(b.share_pct or 0.0) for b in items],
            height=height,
            color=ACCENT,
            edgecolor=INK,
            linewidth=0.5,
            label=now,
        )
        if any(_finite(b.previous_share_pct) for b in items):
            ax.barh(
                [y - height / 2 for y in ys],
                [float(p or 0.0) for p in previous],
                height=height,
                color=LIGHT,
                edgecolor=INK,
                linewidth=0.5,
                hatch="///",
                label=before,
            )
        reach = max([float(b.share_pct or 0.0) for b in items] + [float(p or 0.0) for p in previous]) or 1.0
        for y, b in zip(ys, items, strict=True):
            ax.annotate(
                f"{float(b.share_pct or 0.0):.0f}%" + (" ▲" if b.growing else ""),
                (float(b.share_pct or 0.0), y + height / 2),
                textcoords="offset points",
                xytext=(4, 0),
                ha="left",
                va="center",
                fontsize=7.5,
                color=INK,
            )
        ax.set_yticks(ys, [_short(b.label, 30) for b in items])
        ax.set_xlim(0, reach * 1.25)
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(_("Share of the texts (%)"))
        _legend_beside_title(ax, ax.get_legend_handles_labels()[0])
        ax.set_title(_short(title, 80))
        return _to_svg(fig)
