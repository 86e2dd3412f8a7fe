"""The segment heatmap: the main KPIs per customer segment, small samples marked."""

from __future__ import annotations

from collections.abc import Sequence

from audit.i18n import _
from audit.report.charts._base import (
    INK,
    TARGET,
    _drawing,
    _figure,
    _finite,
    _short,
    _to_svg,
    no_data_svg,
)

__all__ = ["segment_heatmap_svg"]

#: one cell: (value, the text shown, small sample)
HeatCell = tuple[float, str, bool]

_WORST_RGB = (0.184, 0.365, 0.541)  # the ACCENT blue: darkest shade, worst in its column
MAX_ROWS = 30


def _shade(badness: float) -> tuple[float, float, float]:
    """White (best) to the accent colour (worst), ``badness`` in 0–1; lightness alone tells them apart."""
    t = 0.85 * min(max(badness, 0.0), 1.0)
    return (1 - t * (1 - _WORST_RGB[0]), 1 - t * (1 - _WORST_RGB[1]), 1 - t * (1 - _WORST_RGB[2]))


def _two_lines(label: str, width: int = 14) -> str:
    """A column label on at most two lines, broken at the space nearest the middle."""
    text = _short(label, 2 * width)
    if len(text) <= width or " " not in text:
        return text
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut] + "\n" + text[cut + 1 :]


def segment_heatmap_svg(
    rows: Sequence[str],
    columns: Sequence[tuple[str, bool]],
    cells: Sequence[Sequence[HeatCell | None]],
    small_n: int,
) -> str:
    """Segments (rows) × KPIs (columns), each cell shaded by how it ranks within its column.

    Shading runs from white (best in the column) to dark (worst), by the KPI's direction,
    so columns in different units share one chart. Every cell shows its value; a cell
    resting on fewer than ``small_n`` observations is hatched and starred, never hidden.
    Empty cells (no observation) show a dash.

    Args:
        rows: segment labels, such as ``Region: North`` (shortened to 28 characters).
        columns: (KPI label, higher is better) per column.
        cells: per row, one cell or None per column.
        small_n: the small-sample threshold, quoted in the note under the chart.

    Returns:
        SVG text; a placeholder when no cell has a value. At most 30 rows are drawn.
    """
    table = [list(r) for r in cells][:MAX_ROWS]
    labels = [str(r) for r in rows][:MAX_ROWS]
    if not table or not any(c is not None and _finite(c[0]) for r in table for c in r):
        return no_data_svg(_("No segment has a KPI value"))
    from matplotlib.patches import Rectangle

    badness: dict[tuple[int, int], float] = {}
    for j, (_name, higher) in enumerate(columns):
        column = [(i, r[j]) for i, r in enumerate(table)]
        found = [(i, float(c[0])) for i, c in column if c is not None and _finite(c[0])]
        if not found:
            continue
        low, high = min(v for _, v in found), max(v for _, v in found)
        for i, v in found:
            rank = (v - low) / (high - low) if high > low else 0.5
            badness[(i, j)] = 1 - rank if higher else rank
    with _drawing():
        fig = _figure(0.19 * len(table) + 1.0)
        ax = fig.add_subplot()
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                bad = badness.get((i, j))
                face = _shade(bad) if bad is not None else (1.0, 1.0, 1.0)
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor=face, edgecolor="white", linewidth=1.2))
                if cell is None or not _finite(cell[0]):
                    ax.text(j + 0.5, i + 0.5, "–", ha="center", va="center", fontsize=7.5, color=TARGET)
                    continue
                _value, text, small = cell
                if small:
                    ax.add_patch(
                        Rectangle(
                            (j + 0.03, i + 0.06), 0.94, 0.88, fill=False, hatch="////", edgecolor="#9ca3af", linewidth=0
                        )
                    )
                dark = bad is not None and bad > 0.6
                ax.text(
                    j + 0.5,
                    i + 0.5,
                    text + (" *" if small else ""),
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color="white" if dark else INK,
                    fontweight="bold" if small else "normal",
                    bbox={"facecolor": face, "edgecolor": "none", "pad": 0.8} if small else None,
                )
        ax.set_xlim(0, len(columns))
        ax.set_ylim(len(table), 0)
        ax.set_xticks([j + 0.5 for j in range(len(columns))], [_two_lines(c) for c, _ in columns])
        ax.xaxis.tick_top()
        ax.set_yticks([i + 0.5 for i in range(len(table))], [_short(r, 28) for r in labels])
        ax.grid(False)
        for side in ("left", "bottom", "top", "right"):
            ax.spines[side].set_visible(False)
        fig.supxlabel(
            _(
                "Darker = worse within the column · * hatched: fewer than {small_n} observations, "
                "read with caution · – no observation",
                small_n=small_n,
            ),
            fontsize=7,
            color=TARGET,
            x=0.5,
        )
        return _to_svg(fig)
