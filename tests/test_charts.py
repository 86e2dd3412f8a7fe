"""Tests for audit.charts: every chart is valid SVG, scales, and copes with odd input."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from audit import charts

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<img src="http://127.0.0.1:9/x.png"> <b>bold</b>'


def parse(svg: str) -> ET.Element:
    """The SVG's root element; fails the test when the text is not well-formed XML."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(svg: str) -> list[str]:
    """Every piece of text drawn in the chart."""
    return ["".join(t.itertext()) for t in parse(svg).iter(f"{SVG}text")]


HISTORY = (("2025-Q4", 4.21), ("2026-Q1", None), ("2026-Q2", 4.12), ("2026-Q3", 3.98))


def test_csat_trend_draws_values_target_and_gap() -> None:
    svg = charts.csat_trend_svg(HISTORY, 4.0)
    drawn = texts(svg)
    assert "3.98" in drawn and "4.21" in drawn
    assert "Target 4.00" in drawn
    assert "2026-Q1" in drawn  # the period with no value keeps its place on the axis


@pytest.mark.parametrize(
    "history",
    [(), (("2026-Q3", None),), (("2026-Q2", None), ("2026-Q3", float("nan")))],
    ids=["empty", "one-none", "all-missing"],
)
def test_trend_without_values_is_a_placeholder(history: tuple[tuple[str, float | None], ...]) -> None:
    svg = charts.csat_trend_svg(history, 4.0)
    assert any("No data" in t for t in texts(svg))
    assert any("No data" in t for t in texts(charts.kpi_trend_svg(history, None, "OTIF", "%")))


def test_trend_with_a_single_point_and_no_target() -> None:
    drawn = texts(charts.csat_trend_svg((("2026-Q3", 3.5),), None))
    assert "3.50" in drawn
    assert not any(t.startswith("Target") for t in drawn)


def test_kpi_trend_formats_in_its_unit() -> None:
    drawn = texts(charts.kpi_trend_svg((("2026-Q2", 94.0), ("2026-Q3", 93.4)), 95.0, "On time in full", "%"))
    assert "93.4%" in drawn and "Target 95.0%" in drawn
    nps = texts(charts.kpi_trend_svg((("2026-Q2", -5.0), ("2026-Q3", 12.0)), 30, "NPS", "points"))
    assert "+12" in nps and "−5" in nps


def test_pareto_sorts_accumulates_and_escapes_labels() -> None:
    pairs = (("Small", 5.0), (EVIL, 30.0), ("Q" * 60, 25.0), ("Price $5 $6", 10.0), ("Zero", 0.0))
    svg = charts.pareto_svg(pairs, "Complaints by category")
    drawn = texts(svg)
    assert "<b>" not in svg.replace("&lt;b&gt;", "")  # no raw markup from the data
    assert any(t.startswith('<img src="http') for t in drawn)  # escaped in XML, text when parsed
    assert any(t.startswith("Q" * 10) and t.endswith("…") and len(t) <= 18 for t in drawn)
    assert "Price $5 $6" in drawn  # '$' is text, not mathtext
    assert "Zero" not in drawn  # zero counts are left out
    assert "Cumulative %" in drawn and "80%" in drawn


@pytest.mark.parametrize("pairs", [(), (("A", 0.0),), (("A", float("nan")),)], ids=["empty", "zero", "nan"])
def test_pareto_without_counts_is_a_placeholder(pairs: tuple[tuple[str, float], ...]) -> None:
    assert any("No data" in t for t in texts(charts.pareto_svg(pairs, "Returns by reason")))


def test_gap_bars_label_the_sign_convention() -> None:
    svg = charts.gap_bars_svg((("reliability", -0.62), ("empathy", 0.15), ("assurance", float("nan"))))
    drawn = texts(svg)
    assert "Gap = perception − expectation (negative = shortfall)" in drawn
    assert "−0.62" in drawn and "+0.15" in drawn
    assert "Reliability" in drawn and "Assurance" not in drawn
    assert any("No expectation" in t for t in texts(charts.gap_bars_svg(())))


def test_chinese_labels_raise_no_glyph_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    # Force a font without Chinese glyphs: matplotlib's missing-glyph warning must stay
    # inside the chart module (pytest turns any escaping warning into an error).
    monkeypatch.setattr(charts._base, "_font_families", lambda: ("DejaVu Sans",))
    svg = charts.pareto_svg((("交付延迟", 12.0), ("产品质量", 8.0)), "投诉类别")
    assert "交付延迟" in texts(svg)


def test_inline_svg_scales_to_its_container() -> None:
    inline = charts.inline_svg(charts.csat_trend_svg(HISTORY, 4.0))
    root = parse(inline)
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert root.get("viewBox", "").startswith("0 0 ")
    assert root.get("class") == "chart"
    assert not inline.startswith("<?xml")


def test_charts_are_deterministic() -> None:
    assert charts.csat_trend_svg(HISTORY, 4.0) == charts.csat_trend_svg(HISTORY, 4.0)


def test_charts_do_not_use_pyplot() -> None:
    code = (
        "import sys; from audit import charts; "
        "charts.csat_trend_svg((('2026-Q3', 4.0),), 4.0); "
        "print('matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_naming_groups_are_unwrapped_and_others_kept() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg">\n <g id="figure_1">\n  <g clip-path="url(#p1)">\n'
        '   <g id="line">\n    <path d="M 0 0"/>\n   </g>\n  </g>\n  <g>\n   <text>x</text>\n  </g>\n'
        ' </g>\n</svg>\n'
    )
    lean = charts._base._unwrap_named_groups(svg)
    root = parse(lean)
    assert [child.tag for child in root] == [f"{SVG}g", f"{SVG}text"]
    assert root[0].get("clip-path") == "url(#p1)" and root[0][0].tag == f"{SVG}path"
    chart = charts.pareto_svg((("A", 3.0), ("B", 1.0)), "Pareto")
    assert chart.count("<g") == chart.count("</g>") <= 2
