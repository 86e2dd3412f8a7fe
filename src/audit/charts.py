"""Charts for the audit report, as SVG text.

Every function here is pure: it takes numbers (and the labels that go with them) and
returns an ``<svg>`` document as a string, ready to be inlined in the report's HTML.
They use matplotlib's object API (:class:`matplotlib.figure.Figure`, no pyplot state)
under one shared style that stays legible in greyscale: series differ by line style,
marker and hatch, not only by colour.

Text is written as SVG text (``svg.fonttype: none``), so the PDF renderer draws it with
the report's fonts (including a CJK font when one is installed) and the charts stay small.
Each chart is sized for the A4 text width; :func:`inline_svg` makes it scale to its box.

Example:
    >>> svg = csat_trend_svg((("2026-Q2", 4.12), ("2026-Q3", 3.98)), target=4.0)
    >>> svg.startswith("<svg")
    True
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, cast

__all__ = [
    "csat_trend_svg",
    "kpi_trend_svg",
    "pareto_svg",
    "gap_bars_svg",
    "no_data_svg",
    "inline_svg",
]

History = Sequence[tuple[str, float | None]]
Pairs = Sequence[tuple[str, float]]

#: chart width in inches: the A4 text width (210 mm − 2 × 20 mm margins)
WIDTH_IN = 6.7
HEIGHT_IN = 2.4
INK = "#1f2a37"  # near-black: main series
ACCENT = "#2f5d8a"  # dark blue: bars (mid-dark grey in greyscale)
LIGHT = "#b7c4d3"  # light blue-grey: secondary bars
TARGET = "#6b7280"  # grey: target and reference lines

#: fonts tried in order; only installed ones are used (see :func:`_font_families`)
_PREFERRED_FONTS = (
    "DejaVu Sans",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)

_LABEL_CHARS = 18  # longest category label drawn under a bar



@lru_cache(maxsize=1)
def _font_families() -> tuple[str, ...]:
    """The preferred fonts that are installed, so matplotlib never logs 'not found'."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    found = tuple(name for name in _PREFERRED_FONTS if name in installed)
    return found or ("sans-serif",)


def _style() -> dict[str, Any]:
    """The rcParams every chart is drawn with."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": list(_font_families()),
        "font.size": 8.5,
        "axes.titlesize": 9.5,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": 8.5,
        "axes.edgecolor": "#4b5563",
        "axes.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "axes.axisbelow": True,
        "grid.color": "#d1d5db",
        "grid.linewidth": 0.5,
        "xtick.major.size": 0,  # gridlines carry the scale; fewer elements to render
        "ytick.major.size": 0,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "xtick.color": "#374151",
        "ytick.color": "#374151",
        "legend.fontsize": 7.5,
        "legend.frameon": False,
        "hatch.linewidth": 0.6,
        "text.parse_math": False,  # a '$' in a category is text, not mathtext
        "svg.fonttype": "none",
        "svg.hashsalt": "csat-audit",  # stable element ids between runs
    }


@contextmanager
def _drawing() -> Iterator[None]:
    """Apply the shared style and silence only matplotlib's missing-glyph warnings.

    A missing glyph is harmless here: text is stored as SVG text and drawn by the PDF
    renderer, which falls back to any installed font; the report says once when no
    Chinese font is installed (see ``audit.report.fonts``).
    """
    import matplotlib

    with matplotlib.rc_context(cast(Any, _style())), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        yield


def _figure(height: float = HEIGHT_IN) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_IN, height), layout="constrained")


def _to_svg(fig: Any) -> str:
    """The figure as a lean SVG document: no XML prolog, no metadata, no naming groups.

    matplotlib wraps every artist in a ``<g id=…>`` that only names it; WeasyPrint
    spends about half of a chart's rendering time on those, so they are unwrapped
    (the drawing is unchanged).
    """
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    start, end = text.find("<metadata>"), text.find("</metadata>")
    if start != -1 and end != -1:  # RDF boilerplate: nothing a reader or renderer needs
        text = text[:start] + text[end + len("</metadata>") :]
    return _unwrap_named_groups(text)


_NAMING_GROUP = re.compile(r'<g(?: id="[^"]*")?>')
_EMPTY_GROUP = re.compile(r'<g(?: id="[^"]*")?\s*/>')


def _unwrap_named_groups(svg: str) -> str:
    """Drop each ``<g>``/``<g id=…>`` start tag and its end tag, keeping the content.

    Empty ``<g id=…/>`` elements are dropped too.

    Relies on matplotlib's SVG writer putting every group tag on a line of its own;
    groups with other attributes (clip paths, transforms, styles) are kept.
    """
    kept: list[str] = []
    unwrap: list[bool] = []
    for line in svg.splitlines():
        tag = line.strip()
        if _EMPTY_GROUP.fullmatch(tag):
            continue
        if tag.startswith("<g") and not tag.endswith("/>"):
            unwrap.append(bool(_NAMING_GROUP.fullmatch(tag)))
            if unwrap[-1]:
                continue
        elif tag == "</g>" and unwrap and unwrap.pop():
            continue
        kept.append(line)
    return "\n".join(kept) + "\n"


def _finite(value: float | None) -> bool:
    return value is not None and isinstance(value, (int, float)) and math.isfinite(value)


def _short(label: str, limit: int = _LABEL_CHARS) -> str:
    """A label cut to ``limit`` characters with an ellipsis, on one line."""
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def no_data_svg(message: str = "No data for this chart") -> str:
    """A small placeholder chart that says there is nothing to draw.

    Args:
        message: the text shown.

    Returns:
        SVG text.
    """
    with _drawing():
        fig = _figure(0.8)
        fig.text(0.5, 0.5, _short(message, 80), ha="center", va="center", color=TARGET)
        return _to_svg(fig)


def _label(value: float, unit: str) -> str:
    """A point label in the KPI's unit: ``93.4%``, ``+22``, ``4.12``, ``1,204``."""
    if unit == "%":
        text = f"{value:.1f}%"
    elif unit == "points":
        text = f"{value:+.0f}"
    elif unit in {"count", "ppm"}:
        text = f"{value:,.0f}"
    elif unit == "days":
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return text.replace("-", "−")


def _legend_beside_title(ax: Any, handles: list[Any]) -> None:
    """The legend above the plot's top right corner, on the line of the left-hand title."""
    ax.legend(handles, [str(h.get_label()) for h in handles], loc="lower right",
              bbox_to_anchor=(1.0, 1.0), ncols=len(handles), borderaxespad=0.2,
              handlelength=2.2, columnspacing=1.2)


def _trend(history: History, target: float | None, title: str, ylabel: str, unit: str) -> str:
    points = [(str(period), value) for period, value in history]
    if not any(v is not None and _finite(v) for _, v in points):
        return no_data_svg(f"No data for {title.lower()}")
    from matplotlib.ticker import MaxNLocator

    goal = float(target) if target is not None and _finite(target) else None
    with _drawing():
        fig = _figure()
        ax = fig.add_subplot()
        xs = list(range(len(points)))
        ys = [float(v) if v is not None and _finite(v) else math.nan for _, v in points]  # NaN: a gap
        # markers show even a point whose neighbours are missing
        ax.plot(xs, ys, color=INK, linewidth=1.6, marker="o", markersize=4.5, label=ylabel)
        for i, y in enumerate(ys):
            if math.isfinite(y):
                below = goal is not None and y < goal
                ax.annotate(_label(y, unit), (i, y), textcoords="offset points",
                            xytext=(0, -11 if below else 6), ha="center", fontsize=7.5, color=INK)
        if goal is not None:
            ax.axhline(goal, color=TARGET, linestyle="--", linewidth=1.1, label=f"Target {_label(goal, unit)}")
        ax.set_xticks(xs, [_short(p, 12) for p, _ in points])
        if len(points) == 1:
            ax.set_xlim(-0.5, 0.5)
        else:
            ax.set_xlim(-0.3, len(points) - 0.7)
        values = [y for y in ys if math.isfinite(y)] + ([goal] if goal is not None else [])
        low, high = min(values), max(values)
        pad = max((high - low) * 0.25, abs(high) * 0.02, 0.05)
        ax.set_ylim(low - pad, high + pad * 1.6)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        _legend_beside_title(ax, ax.get_legend_handles_labels()[0])
        return _to_svg(fig)


def csat_trend_svg(history: History, target: float | None) -> str:
    """Mean customer satisfaction per period, with the target as a dashed line.

    Args:
        history: (period label, CSAT mean or None) per period, oldest first; a None
            leaves a gap in the line.
        target: the CSAT target, or None.

    Returns:
        SVG text; a "no data" placeholder when no period has a value.
    """
    return _trend(history, target, "Customer satisfaction (CSAT mean) per period", "CSAT mean", "score")


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
    axis = f"{_short(label, 30)} ({unit})" if unit and unit != "%" else _short(label, 30)
    if unit == "%":
        axis = f"{_short(label, 30)} (%)"
    return _trend(history, target, f"{_short(label, 60)} per period", axis, unit)


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
        return no_data_svg(f"No data for {title.lower()}")
    total = sum(count for _, count in items)
    cumulative: list[float] = []
    running = 0.0
    for _, count in items:
        running += count
        cumulative.append(100.0 * running / total)
    from matplotlib.ticker import MaxNLocator

    with _drawing():
        fig = _figure(3.0)
        ax = fig.add_subplot()
        xs = list(range(len(items)))
        ax.bar(xs, [c for _, c in items], color=ACCENT, edgecolor=INK, linewidth=0.5,
               width=0.65, label="Count")
        ax.set_xticks(xs, [_short(label) for label, _ in items],
                      rotation=30 if len(items) > 4 else 0, ha="right" if len(items) > 4 else "center",
                      rotation_mode="anchor")
        ax.set_ylabel("Count")
        ax.set_xlim(-0.6, len(items) - 0.4)
        ax.set_ylim(0, max(c for _, c in items) * 1.12)
        share = ax.twinx()
        share.plot(xs, cumulative, color=INK, linewidth=1.4, marker="s", markersize=3.5,
                   linestyle="-", label="Cumulative %")
        share.axhline(80, color=TARGET, linestyle=":", linewidth=1.2, label="80%")
        share.set_ylim(0, 105)
        share.set_yticks([0, 25, 50, 75, 100])
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        share.set_ylabel("Cumulative %")
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
        return no_data_svg("No expectation scores, so no SERVQUAL gap")
    with _drawing():
        fig = _figure(max(1.6, 0.42 * len(items) + 1.0))
        ax = fig.add_subplot()
        ys = list(range(len(items)))[::-1]
        for y, (_, gap) in zip(ys, items):
            short = gap < 0
            ax.barh(y, gap, height=0.6, color=ACCENT if short else LIGHT, edgecolor=INK,
                    linewidth=0.5, hatch="///" if short else None)
            ax.annotate(f"{gap:+.2f}".replace("-", "−"), (gap, y), textcoords="offset points",
                        xytext=(-4 if short else 4, 0), ha="right" if short else "left",
                        va="center", fontsize=7.5, color=INK)
        ax.set_yticks(ys, [_short(label.replace("_", " ").capitalize(), 24) for label, _ in items])
        ax.axvline(0, color=INK, linewidth=0.8)
        reach = max(abs(g) for _, g in items) or 1.0
        ax.set_xlim(-reach * 1.35, reach * 1.35)
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Gap = perception − expectation (negative = shortfall)")
        ax.set_title("SERVQUAL gap per dimension")
        return _to_svg(fig)


_SIZE_ATTR = re.compile(r'\s(?:width|height)="[^"]*"')


def inline_svg(svg: str, css_class: str = "chart") -> str:
    """An SVG document made ready to inline in HTML and scale to its container's width.

    The fixed ``width``/``height`` attributes of the root element are replaced by
    ``width="100%"``, so the ``viewBox`` keeps the aspect ratio; the XML prolog and
    doctype are dropped.

    Args:
        svg: SVG text from one of this module's functions.
        css_class: class set on the ``<svg>`` element.

    Returns:
        The ``<svg>`` element as text.
    """
    text = svg[svg.index("<svg") :]
    end = text.index(">")
    root = _SIZE_ATTR.sub("", text[:end])
    return f'<svg class="{css_class}" width="100%"' + root[len("<svg") :] + text[end:]
