"""Trend charts: a KPI per period with its target."""

from __future__ import annotations

import math
from collections.abc import Sequence

from audit.i18n import N_, _
from audit.report.charts._base import (
    INK,
    LIGHT,
    TARGET,
    History,
    _drawing,
    _figure,
    _finite,
    _is_beside,
    _label,
    _legend_beside_title,
    _short,
    _to_svg,
    no_data_svg,
)

__all__ = ["csat_trend_svg", "kpi_trend_svg"]


#: units written as words on an axis, in the current language
UNIT_WORDS = {"points": N_("points"), "days": N_("days"), "score": N_("score")}

#: a 95% confidence interval per period: (low, high), None where unknown
Band = Sequence[tuple[float | None, float | None]]


def _trend(history: History, target: float | None, title: str, ylabel: str, unit: str, band: Band | None = None) -> str:
    points = [(str(period), value) for period, value in history]
    if not any(v is not None and _finite(v) for _, v in points):
        return no_data_svg(_("No data for {title}", title=title.lower()))
    from matplotlib.ticker import MaxNLocator

    goal = float(target) if target is not None and _finite(target) else None
    with _drawing():
        fig = _figure()
        ax = fig.add_subplot()
        xs = list(range(len(points)))
        ys = [float(v) if v is not None and _finite(v) else math.nan for _, v in points]  # NaN: a gap
        lows, highs = _band(band, ys)
        if any(math.isfinite(lo) for lo in lows):
            # a light band joins the intervals; whiskers show each one, even a lone point's
            ax.fill_between(xs, lows, highs, color=LIGHT, alpha=0.45, linewidth=0, label=_("95% CI"))
            ax.errorbar(
                xs,
                ys,
                yerr=[[y - lo for y, lo in zip(ys, lows)], [hi - y for y, hi in zip(ys, highs)]],
                fmt="none",
                ecolor=TARGET,
                elinewidth=0.8,
                capsize=3,
                capthick=0.8,
            )
        # markers show even a point whose neighbours are missing
        ax.plot(xs, ys, color=INK, linewidth=1.6, marker="o", markersize=4.5, label=ylabel)
        for i, y in enumerate(ys):
            if math.isfinite(y):
                below = goal is not None and y < goal
                ax.annotate(
                    _label(y, unit),
                    (i, y),
                    textcoords="offset points",
                    xytext=(0, -11 if below else 6),
                    ha="center",
                    fontsize=7.5,
                    color=INK,
                )
        if goal is not None:
            ax.axhline(
                goal, color=TARGET, linestyle="--", linewidth=1.1, label=_("Target {target}", target=_label(goal, unit))
            )
        ticks = [_short(p, 12) for p, _v in points]
        if _is_beside():  # "2026-Q3" on two lines: eight quarters fit half the width
            ticks = [t.replace("-", "\n", 1) for t in ticks]
        ax.set_xticks(xs, ticks)
        if len(points) == 1:
            ax.set_xlim(-0.5, 0.5)
        else:
            ax.set_xlim(-0.3, len(points) - 0.7)
        values = [y for y in ys + lows + highs if math.isfinite(y)] + ([goal] if goal is not None else [])
        low, high = min(values), max(values)
        pad = max((high - low) * 0.25, abs(high) * 0.02, 0.05)
        ax.set_ylim(low - pad, high + pad * 1.6)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        _legend_beside_title(ax, ax.get_legend_handles_labels()[0], below=_is_beside())
        return _to_svg(fig)


def _band(band: Band | None, ys: list[float]) -> tuple[list[float], list[float]]:
    """The band's limits per point as floats, NaN where the point or its interval is unknown."""
    lows, highs = [math.nan] * len(ys), [math.nan] * len(ys)
    for i, (low, high) in enumerate(list(band or ())[: len(ys)]):
        if low is None or high is None or not math.isfinite(ys[i]):
            continue
        lo, hi = float(low), float(high)
        if math.isfinite(lo) and math.isfinite(hi) and lo <= ys[i] <= hi:
            lows[i], highs[i] = lo, hi
    return lows, highs


def csat_trend_svg(history: History, target: float | None, band: Band | None = None) -> str:
    """Mean customer satisfaction per period, with its 95% CI band and the target as a dashed line.

    Args:
        history: (period label, CSAT mean or None) per period, oldest first; a None
            leaves a gap in the line.
        target: the CSAT target, or None.
        band: (CI low, CI high) per period, in the order of ``history``; drawn as a light
            band with whiskers where known (an interval not around its mean is ignored).

    Returns:
        SVG text; a "no data" placeholder when no period has a value.
    """
    return _trend(history, target, _("CSAT mean per period"), _("CSAT mean"), "score", band)


def kpi_trend_svg(history: History, target: float | None, label: str, unit: str) -> str:
    """Any KPI per period, with its target as a dashed line (used for OTIF %).

    Args:
        history: (period label, value or None) per period, oldest first.
        target: the KPI's target, or None.
        label: the KPI's name, used in the title and on the axis.
        unit: the KPI's unit; ``%`` formats the point labels as percentages.

    Returns:
        SVG text; a "no data" placeholder when no period has a value.
    """
    words = _(UNIT_WORDS[unit]) if unit in UNIT_WORDS else unit
    axis = f"{_short(label, 30)} ({words})" if unit and unit != "%" else _short(label, 30)
    if unit == "%":
        axis = f"{_short(label, 30)} (%)"
    return _trend(history, target, _("{name} per period", name=_short(label, 60)), axis, unit)
