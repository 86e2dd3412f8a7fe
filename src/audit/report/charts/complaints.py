"""Complaint charts: the p-chart of the complaint rate and resolution time against the SLA."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from audit.i18n import _
from audit.report.charts._base import (
    ACCENT,
    INK,
    LIGHT,
    TARGET,
    _drawing,
    _figure,
    _finite,
    _legend_beside_title,
    _short,
    _to_svg,
    no_data_svg,
)

__all__ = ["p_chart_svg", "resolution_svg"]

#: one p-chart subgroup: (label, rate, lower limit, upper limit, signal ``above``/``below``/"")
ControlRow = tuple[str, float, float, float, str]


def p_chart_svg(points: Sequence[ControlRow], centre: float, unit: str, audited_from: str | None = None) -> str:
    """A p-chart: the rate per subgroup, the centre line and 3-sigma limits that vary with n.

    The limits are drawn as steps (one level per subgroup, since each has its own n);
    a point beyond a limit is circled with a larger open diamond and labelled with its
    value. The subgroups of the audited period are shaded.

    Args:
        points: per subgroup (month), oldest first: (label, rate, LCL, UCL, signal).
        centre: the centre line, in the unit of the rates.
        unit: the rates' unit, such as ``per 1000``; shown on the axis as "per 1,000 orders".
        audited_from: the label of the audited period's first subgroup; later ones are shaded.

    Returns:
        SVG text; a placeholder when there is no subgroup with a rate.
    """
    items = [
        (str(p), float(v), float(lo), float(hi), str(s))
        for p, v, lo, hi, s in points
        if _finite(v) and _finite(lo) and _finite(hi)
    ]
    rates = [v for _, v, _, _, _ in items]
    lows = [lo for _, _, lo, _, _ in items]
    highs = [hi for _, _, _, hi, _ in items]
    if not items or not _finite(centre):
        return no_data_svg(_("No months with both complaints and orders"))
    with _drawing():
        fig = _figure(2.6)
        ax = fig.add_subplot()
        xs = list(range(len(items)))
        if audited_from is not None:
            first = next((i for i, (p, *_) in enumerate(items) if p >= audited_from), None)
            if first is not None:
                ax.axvspan(first - 0.5, len(items) - 0.5, color="#eef1f5", linewidth=0, zorder=0)
                ax.text(
                    first - 0.4,
                    0.02,
                    _("audited period"),
                    transform=ax.get_xaxis_transform(),
                    ha="left",
                    va="bottom",
                    fontsize=7,
                    color=TARGET,
                )
        ax.step(xs, highs, where="mid", color=TARGET, linestyle="--", linewidth=1.0, label=_("Control limits (3σ)"))
        ax.step(xs, lows, where="mid", color=TARGET, linestyle="--", linewidth=1.0)
        ax.axhline(
            centre, color=TARGET, linestyle="-", linewidth=1.0, label=_("Centre {centre}", centre=f"{centre:.1f}")
        )
        ax.plot(xs, rates, color=INK, linewidth=1.5, marker="o", markersize=4, label=_("Complaint rate"))
        flagged = [(x, v) for x, (_, v, _, _, s) in zip(xs, items) if s]
        if flagged:
            ax.plot(
                [x for x, _ in flagged],
                [v for _, v in flagged],
                linestyle="none",
                marker="D",
                markersize=9,
                markerfacecolor="none",
                markeredgecolor=INK,
                markeredgewidth=1.3,
                label=_("Beyond a limit"),
            )
            for x, v in flagged:
                ax.annotate(
                    f"{v:.1f}",
                    (x, v),
                    textcoords="offset points",
                    xytext=(0, 8),
                    ha="center",
                    fontsize=7.5,
                    color=INK,
                    fontweight="bold",
                )
        many = len(items) > 12
        ax.set_xticks(
            xs,
            [_short(p, 10) for p, *_ in items],
            rotation=45 if many else 0,
            ha="right" if many else "center",
            rotation_mode="anchor",
        )
        ax.set_xlim(-0.6, len(items) - 0.4)
        top = max(highs + rates)
        ax.set_ylim(0, top * 1.18 if top > 0 else 1.0)
        ax.set_ylabel(
            _("Complaints per 1,000 orders") if unit == "per 1000" else _("Complaints {unit} orders", unit=unit)
        )
        ax.set_title(_("Complaint rate per month (p-chart)"))
        _legend_beside_title(ax, ax.get_legend_handles_labels()[0], below=True)
        return _to_svg(fig)


def _bin_width(largest: float) -> int:
    """Whole days per bar: one day up to 30 days, wider beyond so there are at most ~30 bars."""
    return max(1, math.ceil(largest / 30))


def resolution_svg(days: Sequence[float], sla_days: float) -> str:
    """Days to resolve each complaint as a histogram, with the SLA and the median as lines.

    Bars of complaints resolved within the SLA are light, those beyond it dark and
    hatched; the SLA is a dashed line and the median a dotted one, so the chart reads
    in greyscale. Days are whole days; bars are split at the SLA.

    Args:
        days: days from receipt to resolution, one per resolved complaint; non-finite
            values (still open) are left out.
        sla_days: the resolution SLA in days.

    Returns:
        SVG text; a placeholder when no complaint was resolved.
    """
    values = sorted(max(float(d), 0.0) for d in days if _finite(d))
    if not values:
        return no_data_svg(_("No complaint was resolved in the period"))
    sla = float(sla_days)
    width = _bin_width(max(values[-1], sla))
    edge = sla + 0.5  # whole days: the split falls between the SLA's day and the next
    start = edge - width * math.ceil((edge + 0.5) / width)
    stop = edge + width * max(1, math.ceil((values[-1] - edge + 0.5) / width))
    edges = [start + width * i for i in range(round((stop - start) / width) + 1)]
    counts = [sum(lo <= v < hi for v in values) for lo, hi in itertools.pairwise(edges)]
    n = len(values)
    median = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
    with _drawing():
        fig = _figure(2.3)
        ax = fig.add_subplot()
        within = [(lo, c) for lo, hi, c in zip(edges, edges[1:], counts) if hi <= edge + 1e-9]
        beyond = [(lo, c) for lo, hi, c in zip(edges, edges[1:], counts) if hi > edge + 1e-9]
        handles = []
        if within:
            handles.append(
                ax.bar(
                    [lo for lo, _ in within],
                    [c for _, c in within],
                    width=width,
                    align="edge",
                    color=LIGHT,
                    edgecolor=INK,
                    linewidth=0.5,
                    label=_("Within SLA"),
                )
            )
        if beyond:
            handles.append(
                ax.bar(
                    [lo for lo, _ in beyond],
                    [c for _, c in beyond],
                    width=width,
                    align="edge",
                    color=ACCENT,
                    edgecolor=INK,
                    linewidth=0.5,
                    hatch="///",
                    label=_("Beyond SLA"),
                )
            )
        handles.append(
            ax.axvline(edge, color=INK, linestyle="--", linewidth=1.3, label=_("SLA {days} days", days=f"{sla:g}"))
        )
        handles.append(
            ax.axvline(
                median, color=TARGET, linestyle=":", linewidth=1.5, label=_("Median {days} days", days=f"{median:.1f}")
            )
        )
        ax.set_xlim(max(edges[0], -0.5), edges[-1])
        ax.set_ylim(0, max(counts) * 1.15 + 0.5)
        from matplotlib.ticker import MaxNLocator

        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True))
        ax.set_xlabel(_("Days from receipt to resolution"))
        ax.set_ylabel(_("Complaints"))
        ax.set_title(_("Resolution time against the SLA"))
        _legend_beside_title(ax, handles, below=True)
        return _to_svg(fig)
