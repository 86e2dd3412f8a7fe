"""Bar charts: Pareto of categories and SERVQUAL gaps per dimension."""

from __future__ import annotations

from audit.catalogue import dimension_name
from audit.i18n import _
from audit.report.charts._base import (
    ACCENT,
    INK,
    LIGHT,
    TARGET,
    Pairs,
    _drawing,
    _figure,
    _finite,
    _legend_beside_title,
    _short,
    _to_svg,
    no_data_svg,
)

__all__ = ["gap_bars_svg", "pareto_svg"]


def pareto_svg(pairs: Pairs, title: str) -> str:
    """A Pareto chart: counts as bars, largest first, with the cumulative % and an 80% line.

    Args:
        pairs: (category, count) pairs, in any order; non-finite or non-positive counts
            are left out. Labels longer than 18 characters are shortened on the chart.
        title: the chart title.

    Returns:
        SVG text; a "no data" placeholder when there is nothing to count.
    """
    items = sorted(
        ((str(label), float(count)) for label, count in pairs if _finite(count) and count > 0),
        key=lambda item: -item[1],
    )
    if not items:
        return no_data_svg(_("No data for {title}", title=title.lower()))
    total = sum(count for _, count in items)
    cumulative: list[float] = []
    running = 0.0
    for _category, count in items:
        running += count
        cumulative.append(100.0 * running / total)
    from matplotlib.ticker import MaxNLocator

    with _drawing():
        fig = _figure(2.6)
        ax = fig.add_subplot()
        xs = list(range(len(items)))
        ax.bar(xs, [c for _, c in items], color=ACCENT, edgecolor=INK, linewidth=0.5, width=0.65, label=_("Count"))
        ax.set_xticks(
            xs,
            [_short(label) for label, _ in items],
            rotation=30 if len(items) > 4 else 0,
            ha="right" if len(items) > 4 else "center",
            rotation_mode="anchor",
        )
        ax.set_ylabel(_("Count"))
        ax.set_xlim(-0.6, len(items) - 0.4)
        ax.set_ylim(0, max(c for _, c in items) * 1.12)
        share = ax.twinx()
        share.plot(
            xs, cumulative, color=INK, linewidth=1.4, marker="s", markersize=3.5, linestyle="-", label=_("Cumulative %")
        )
        share.axhline(80, color=TARGET, linestyle=":", linewidth=1.2, label="80%")
        share.set_ylim(0, 105)
        share.set_yticks([0, 25, 50, 75, 100])
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        share.set_ylabel(_("Cumulative %"))
        share.grid(False)
        share.spines["right"].set_visible(True)
        handles = ax.get_legend_handles_labels()[0] + share.get_legend_handles_labels()[0]
        _legend_beside_title(share, handles)
        ax.set_title(_short(title, 80))
        return _to_svg(fig)


def gap_bars_svg(pairs: Pairs) -> str:
    """SERVQUAL gap (perception − expectation) per dimension as horizontal bars.

    Shortfalls (negative gaps) are dark and hatched, surpluses light, so the chart
    reads in greyscale. The axis says "Gap = perception − expectation (negative =
    shortfall)".

    Args:
        pairs: (dimension, mean gap) pairs, in report order; non-finite gaps are left out.

    Returns:
        SVG text; a "no data" placeholder when no dimension has a gap.
    """
    items = [(str(label), float(gap)) for label, gap in pairs if _finite(gap)]
    if not items:
        return no_data_svg(_("No expectation scores, so no SERVQUAL gap"))
    with _drawing():
        fig = _figure(max(1.5, 0.3 * len(items) + 0.9))
        ax = fig.add_subplot()
        ys = list(range(len(items)))[::-1]
        for y, (_dimension, gap) in zip(ys, items):
            short = gap < 0
            ax.barh(
                y,
                gap,
                height=0.6,
                color=ACCENT if short else LIGHT,
                edgecolor=INK,
                linewidth=0.5,
                hatch="///" if short else None,
            )
            ax.annotate(
                f"{gap:+.2f}".replace("-", "−"),
                (gap, y),
                textcoords="offset points",
                xytext=(-4 if short else 4, 0),
                ha="right" if short else "left",
                va="center",
                fontsize=7.5,
                color=INK,
            )
        ax.set_yticks(ys, [_short(dimension_name(label), 24) for label, _gap in items])
        ax.axvline(0, color=INK, linewidth=0.8)
        reach = max(abs(g) for _, g in items) or 1.0
        ax.set_xlim(-reach * 1.35, reach * 1.35)
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(_("Gap = perception − expectation (negative = shortfall)"))
        ax.set_title(_("SERVQUAL gap per dimension"))
        return _to_svg(fig)
