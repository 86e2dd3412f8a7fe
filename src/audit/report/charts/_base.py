"""The charts' shared style, figure size and SVG plumbing (see :mod:`audit.charts`)."""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, cast

__all__ = ["beside", "inline_svg", "no_data_svg"]

History = Sequence[tuple[str, float | None]]
Pairs = Sequence[tuple[str, float]]

#: chart width in inches: the A4 text width (210 mm − 2 × 20 mm margins)
WIDTH_IN = 6.7
HEIGHT_IN = 2.1
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


#: the width of a chart drawn for half the text width (two side by side) as a share of WIDTH_IN: a
#: little more than half, so that its text prints at the size of a full-width chart's
BESIDE = 0.6
_beside: ContextVar[bool] = ContextVar("beside", default=False)


@contextmanager
def beside() -> Iterator[None]:
    """Charts drawn inside are made for half the text width, to stand two side by side."""
    token = _beside.set(True)
    try:
        yield
    finally:
        _beside.reset(token)


def _is_beside() -> bool:
    return _beside.get()


def _figure(height: float = HEIGHT_IN) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH_IN * (BESIDE if _is_beside() else 1.0), height), layout="constrained")


#: while a report is rendered (:func:`audit.report.charts.together.drawn_together`), the figures
#: whose drawing is put off: each chart function then returns a placeholder, :data:`PLACEHOLDER`
_put_off: ContextVar[list[Any] | None] = ContextVar("put_off", default=None)
#: ``<!--chart N-->``: the Nth figure put off; ``<!--chart N CLASS-->`` once through :func:`inline_svg`
PLACEHOLDER = re.compile(r"<!--chart (\d+)(?: ([\w -]+))?-->")


def _to_svg(fig: Any) -> str:
    """The figure as a lean SVG document, or a placeholder when its drawing is put off."""
    put_off = _put_off.get()
    if put_off is None:
        return svg_of(fig)
    put_off.append(fig)
    return f"<!--chart {len(put_off) - 1}-->"


def svg_of(fig: Any) -> str:
    """The figure drawn as a lean SVG document: no XML prolog, no metadata, no naming groups.

    matplotlib wraps every artist in a ``<g id=…>`` that only names it; WeasyPrint
    spends about half of a chart's rendering time on those, so they are unwrapped
    (the drawing is unchanged). Drawn under the charts' style (the rcParams of savefig).
    """
    with _drawing():
        return _drawn(fig)


def _drawn(fig: Any) -> str:
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


def _legend_beside_title(ax: Any, handles: list[Any], below: bool = False) -> None:
    """The legend above the plot's top right corner, on the line of the left-hand title.

    With ``below``, the legend takes a line of its own between the title and the plot
    (for legends too wide to share the title's line); call it after ``set_title``.
    """
    labels = [str(h.get_label()) for h in handles]
    if below:
        ax.set_title(ax.get_title(loc="left"), loc="left", pad=20)
        ax.legend(
            handles,
            labels,
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncols=len(handles),
            borderaxespad=0.2,
            handlelength=2.2,
            columnspacing=1.2,
        )
        return
    ax.legend(
        handles,
        labels,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=len(handles),
        borderaxespad=0.2,
        handlelength=2.2,
        columnspacing=1.2,
    )


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
    put_off = PLACEHOLDER.fullmatch(svg)
    if put_off is not None:  # drawn later: the class goes with the placeholder
        return f"<!--chart {put_off[1]} {css_class}-->"
    text = svg[svg.index("<svg") :]
    end = text.index(">")
    root = _SIZE_ATTR.sub("", text[:end])
    return f'<svg class="{css_class}" width="100%"' + root[len("<svg") :] + text[end:]
