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

from audit.report.charts._base import beside, inline_svg, no_data_svg
from audit.report.charts.bars import gap_bars_svg, pareto_svg
from audit.report.charts.complaints import p_chart_svg, resolution_svg
from audit.report.charts.heatmap import segment_heatmap_svg
from audit.report.charts.survey import ipa_svg, nps_composition_svg, radar_svg
from audit.report.charts.trend import csat_trend_svg, kpi_trend_svg

__all__ = [
    "beside",
    "csat_trend_svg",
    "gap_bars_svg",
    "inline_svg",
    "ipa_svg",
    "kpi_trend_svg",
    "no_data_svg",
    "nps_composition_svg",
    "p_chart_svg",
    "pareto_svg",
    "radar_svg",
    "resolution_svg",
    "segment_heatmap_svg",
]
