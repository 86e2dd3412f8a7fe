"""Survey charts: dimension radar, importance–performance quadrants, NPS composition."""

from __future__ import annotations

import math
from collections.abc import Sequence

from audit.i18n import N_, _
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

__all__ = ["ipa_svg", "nps_composition_svg", "radar_svg"]

#: one (label, value per dimension) series of a radar
RadarSeries = tuple[str, Sequence[float | None]]

#: radar series styles by position: audited period, earlier period, target
_RADAR_STYLES = (
    {"color": INK, "linestyle": "-", "linewidth": 1.6, "marker": "o", "markersize": 4.5},
    {"color": ACCENT, "linestyle": "--", "linewidth": 1.3, "marker": "s", "markersize": 3.8},
    {"color": TARGET, "linestyle": ":", "linewidth": 1.4, "marker": None, "markersize": 0},
)


def _dimension_label(name: str, limit: int = 20) -> str:
    return _short(str(name).replace("_", " ").strip().capitalize(), limit)


def radar_svg(dimensions: Sequence[str], series: Sequence[RadarSeries], scale: tuple[float, float]) -> str:
    """Mean score per survey dimension on a radar, one closed line per series.

    The first series (the audited period) is solid with dots and a light fill, the second
    (the earlier period) dashed with squares, the third (the target) dotted: they differ
    in greyscale. The radius starts a little below the lowest value (never below the scale's
    minimum) so that differences of tenths show; the ring labels give the scale.

    Args:
        dimensions: dimension names, in report order (``_`` shown as a space).
        series: up to three (label, values) pairs, values in the order of ``dimensions``;
            None leaves a gap. A series with no value is left out.
        scale: the dimensions' score scale (min, max).

    Returns:
        SVG text; a placeholder saying why when there are fewer than three dimensions or
        the first series has fewer than three values.
    """
    names = [str(d) for d in dimensions]
    drawn = [
        (str(label), [float(v) if v is not None and _finite(v) else math.nan for v in values])
        for label, values in series[:3]
        if any(_finite(v) for v in values)
    ]
    if len(names) < 3:
        return no_data_svg(_("A radar needs at least three dimensions"))
    if not drawn or sum(math.isfinite(v) for v in drawn[0][1]) < 3:
        return no_data_svg(_("Fewer than three dimensions have a mean score"))
    low, high = float(scale[0]), float(scale[1])
    values = [v for _, vs in drawn for v in vs if math.isfinite(v)]
    inner = max(low, math.floor(min(values) * 2) / 2 - 0.5)
    angles = [2 * math.pi * i / len(names) for i in range(len(names))]
    with _drawing():
        fig = _figure(3.2)
        ax = fig.add_subplot(projection="polar")
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        for (label, vs), style in zip(drawn, _RADAR_STYLES):
            closed_x = angles + angles[:1]
            closed_y = vs + vs[:1]
            ax.plot(closed_x, closed_y, label=_short(label, 30), **style)
            if style is _RADAR_STYLES[0]:
                ax.fill(
                    closed_x, [v if math.isfinite(v) else inner for v in closed_y], color=LIGHT, alpha=0.35, linewidth=0
                )
        ax.set_xticks(angles, [_dimension_label(n) for n in names])
        ax.tick_params(axis="x", pad=6)
        ax.set_ylim(inner, high)
        step = 0.5 if high - inner <= 3 else 1.0
        rings = [inner + step * i for i in range(int((high - inner) / step) + 1)]
        ax.set_yticks(rings, [f"{r:g}" for r in rings], fontsize=7, color=TARGET)
        ax.set_rlabel_position(180 / len(names))
        ax.grid(True, color="#d1d5db", linewidth=0.5)
        ax.spines["polar"].set_color("#9ca3af")
        ax.legend(loc="center left", bbox_to_anchor=(1.25, 0.5), handlelength=2.6)
        fig.suptitle(_("Mean score per dimension"), x=0.02, ha="left", fontsize=9.5, fontweight="bold")
        return _to_svg(fig)


#: IPA quadrant names by (importance high, performance high) and their corner on the chart
_QUADRANT_CORNERS = (
    (N_("Concentrate here"), 0.01, 0.99, "left", "top"),
    (N_("Keep up the good work"), 0.99, 0.99, "right", "top"),
    (N_("Low priority"), 0.01, 0.01, "left", "bottom"),
    (N_("Possible overkill"), 0.99, 0.01, "right", "bottom"),
)


def ipa_svg(points: Sequence[tuple[str, float, float]], importance_label: str) -> str:
    """Importance–performance scatter with the quadrant lines at the means (Martilla & James 1977).

    Each dimension is a labelled point; the dashed lines cross at the mean importance and
    the mean performance over the dimensions (a point on a line counts as high), and the
    four quadrants are named in their corners. Points in "concentrate here" are filled,
    the others open, so the chart reads in greyscale.

    Args:
        points: (dimension, importance, performance on 0–100) per dimension; non-finite
            points are left out.
        importance_label: the importance axis title, saying how importance was obtained.

    Returns:
        SVG text; a placeholder when no dimension has both values.
    """
    items = [(str(d), float(i), float(p)) for d, i, p in points if _finite(i) and _finite(p)]
    if not items:
        return no_data_svg(_("No dimension has both an importance and a performance score"))
    imp_cut = sum(i for _, i, _ in items) / len(items)
    perf_cut = sum(p for _, _, p in items) / len(items)
    with _drawing():
        fig = _figure(2.8)
        ax = fig.add_subplot()
        xs, ys = [p for _, _, p in items], [i for _, i, _ in items]
        x_pad = max((max(xs) - min(xs)) * 0.35, 4.0)
        y_span = max(ys) - min(ys)
        y_pad = max(y_span * 0.35, abs(imp_cut) * 0.05, 0.05)
        ax.set_xlim(min(xs) - x_pad, max(xs) + x_pad)
        ax.set_ylim(min(ys) - y_pad, max(ys) + y_pad)
        ax.axvline(perf_cut, color=TARGET, linestyle="--", linewidth=1.0)
        ax.axhline(imp_cut, color=TARGET, linestyle="--", linewidth=1.0)
        for k, (name, imp, perf) in enumerate(sorted(items, key=lambda t: (t[2], t[1]))):
            focus = imp >= imp_cut - 1e-12 and perf < perf_cut - 1e-12
            ax.plot(
                perf,
                imp,
                marker="o",
                markersize=6.5,
                linestyle="none",
                color=INK,
                markerfacecolor=INK if focus else "white",
                markeredgewidth=1.2,
            )
            ax.annotate(
                _dimension_label(name, 22),
                (perf, imp),
                textcoords="offset points",
                xytext=(7, 7 if k % 2 == 0 else -9),
                ha="left",
                va="center",
                fontsize=7.5,
                color=INK,
            )
        for text, x, y, ha, va in _QUADRANT_CORNERS:
            ax.text(x, y, _(text), transform=ax.transAxes, ha=ha, va=va, fontsize=7.5, color=TARGET, fontstyle="italic")
        ax.grid(False)
        ax.set_xlabel(_("Performance (mean score, 0–100 of the scale)"))
        ax.set_ylabel(_short(importance_label, 40))
        ax.set_title(_("Importance–performance analysis"))
        return _to_svg(fig)


#: NPS composition bands, bottom to top: (label, face, hatch, text colour)
_NPS_BANDS = (
    (N_("Detractors (0–6)"), ACCENT, "///", "white"),
    (N_("Passives (7–8)"), "white", None, INK),
    (N_("Promoters (9–10)"), LIGHT, None, INK),
)


def nps_composition_svg(rows: Sequence[tuple[str, float, float, float, int]]) -> str:
    """Promoters, passives and detractors as % of the answers, one stacked bar per period.

    Detractors are dark and hatched at the bottom, passives white, promoters light and
    plain on top; the NPS (% promoters − % detractors) is written above each bar and
    the number of answers under its period.

    Args:
        rows: (period, promoters %, passives %, detractors %, answers) per period, oldest
            first; a period with no answers is shown empty with ``n = 0``.

    Returns:
        SVG text; a placeholder when no period has answers.
    """
    items = [(str(p), float(pro), float(pas), float(det), int(n)) for p, pro, pas, det, n in rows]
    if not any(n > 0 for *_, n in items):
        return no_data_svg(_("No likelihood-to-recommend answers in any period"))
    with _drawing():
        fig = _figure(2.6)
        ax = fig.add_subplot()
        xs = list(range(len(items)))
        bottoms = [0.0] * len(items)
        handles = []
        for band, (label, face, hatch, ink) in enumerate(_NPS_BANDS):
            heights = [(det, pas, pro)[band] if n else 0.0 for _, pro, pas, det, n in items]
            bars = ax.bar(
                xs,
                heights,
                bottom=bottoms,
                width=0.62,
                color=face,
                edgecolor=INK,
                linewidth=0.5,
                hatch=hatch,
                label=_(label),
            )
            handles.append(bars)
            for x, h, b in zip(xs, heights, bottoms):
                if h >= 7:
                    ax.text(
                        x,
                        b + h / 2,
                        f"{h:.0f}%",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color=ink,
                        bbox={"facecolor": face, "edgecolor": "none", "pad": 0.6} if hatch else None,
                    )
            bottoms = [b + h for b, h in zip(bottoms, heights)]
        for x, (_period, pro, _passives, det, n) in zip(xs, items):
            if n:
                ax.text(
                    x,
                    102,
                    f"NPS {pro - det:+.0f}".replace("-", "−"),
                    ha="center",
                    va="bottom",
                    fontsize=7.5,
                    color=INK,
                    fontweight="bold",
                )
        ax.set_xticks(xs, [f"{_short(p, 12)}\nn = {n:,}" for p, *_, n in items])
        ax.set_xlim(-0.6, len(items) - 0.4)
        ax.set_ylim(0, 112)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.set_ylabel(_("% of answers"))
        ax.set_title(_("NPS composition per period"))
        _legend_beside_title(ax, handles)
        return _to_svg(fig)
