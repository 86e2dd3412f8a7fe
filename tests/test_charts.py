"""Tests for audit.charts: every chart is valid SVG, scales, and copes with odd input."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from audit.report import charts

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
        "import sys; from audit.report import charts; "
        "charts.csat_trend_svg((('2026-Q3', 4.0),), 4.0); "
        "print('matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_naming_groups_are_unwrapped_and_others_kept() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg">\n <g id="figure_1">\n  <g clip-path="url(#p1)">\n'
        '   <g id="line">\n    <path d="M 0 0"/>\n   </g>\n  </g>\n  <g>\n   <text>x</text>\n  </g>\n'
        " </g>\n</svg>\n"
    )
    lean = charts._base._unwrap_named_groups(svg)
    root = parse(lean)
    assert [child.tag for child in root] == [f"{SVG}g", f"{SVG}text"]
    assert root[0].get("clip-path") == "url(#p1)" and root[0][0].tag == f"{SVG}path"
    chart = charts.pareto_svg((("A", 3.0), ("B", 1.0)), "Pareto")
    assert chart.count("<g") == chart.count("</g>") <= 2


# --------------------------------------------------------------------------- issue 6 charts

from pathlib import Path  # noqa: E402

from audit import compute_kpis, load_audit  # noqa: E402
from audit.assessment.snapshot import snapshot  # noqa: E402
from audit.data.dataset import AuditData  # noqa: E402
from audit.model import (  # noqa: E402
    Analyses,
    Assessment,
    AuditSnapshot,
    Comparison,
    Kpi,
    KpiTable,
    NpsSplit,
    Quadrant,
    SegmentCell,
)
from audit.report.sections import blocks  # noqa: E402
from conftest import TINY, replace_in  # noqa: E402

RADAR = (("2026-Q3", (3.9, 3.52, 4.1, 4.2)), ("2026-Q2", (3.95, 3.92, 4.05, None)), ("Target", (4.0, 4.0, 4.0, 4.0)))
CONTROL = (("2026-06", 30.0, 24.0, 36.0, ""), ("2026-07", 31.0, 24.5, 35.5, ""), ("2026-08", 54.7, 23.0, 37.0, "above"))
HEAT = (((4.1, "4.10", False), (26.0, "+26", False)), ((3.5, "3.50", True), None))

NEW_CHARTS = {
    "radar": lambda: charts.radar_svg(("reliability", "responsiveness", "assurance", "empathy"), RADAR, (1, 5)),
    "ipa": lambda: charts.ipa_svg((("reliability", 0.6, 75.8), ("responsiveness", 0.56, 63.1)), "Importance"),
    "nps": lambda: charts.nps_composition_svg(
        (("2026-Q2", 50.0, 36.0, 14.0, 3000), ("2026-Q3", 45.0, 37.0, 18.0, 2984))
    ),
    "p-chart": lambda: charts.p_chart_svg(CONTROL, 30.0, "per 1000", audited_from="2026-07"),
    "resolution": lambda: charts.resolution_svg((1.0, 4.0, 7.0, 15.0, float("nan")), 10),
    "heatmap": lambda: charts.segment_heatmap_svg(
        ("Tier: A", "Tier: " + "Q" * 60), (("CSAT mean", True), ("NPS", True)), HEAT, 30
    ),
}


@pytest.mark.parametrize("name", list(NEW_CHARTS))
def test_new_charts_are_valid_and_deterministic(name: str) -> None:
    svg = NEW_CHARTS[name]()
    assert texts(svg) and not any("No data" in t for t in texts(svg))
    assert svg == NEW_CHARTS[name]()
    assert parse(charts.inline_svg(svg)).get("width") == "100%"


def test_new_charts_show_their_marks() -> None:
    radar = texts(NEW_CHARTS["radar"]())
    assert {"Reliability", "Responsiveness", "2026-Q3", "2026-Q2", "Target"} <= set(radar)
    ipa = texts(NEW_CHARTS["ipa"]())
    assert {"Concentrate here", "Keep up the good work", "Low priority", "Possible overkill", "Reliability"} <= set(ipa)
    nps = texts(NEW_CHARTS["nps"]())
    assert "NPS +27" in nps and "18%" in nps and "Detractors (0–6)" in nps
    control = texts(NEW_CHARTS["p-chart"]())
    assert "54.7" in control and "Beyond a limit" in control and "audited period" in control
    resolution = texts(NEW_CHARTS["resolution"]())
    assert "SLA 10 days" in resolution and "Median 5.5 days" in resolution  # (4 + 7) / 2, the NaN left out
    heat = texts(NEW_CHARTS["heatmap"]())
    assert "3.50 *" in heat and "–" in heat  # the small cell marked, not hidden; the empty one a dash
    assert any(t.startswith("Tier: QQQ") and t.endswith("…") for t in heat)


def test_csat_trend_draws_its_confidence_band() -> None:
    band = ((4.1, 4.3), (None, None), (4.0, 4.2), (3.9, 4.06))
    drawn = texts(charts.csat_trend_svg(HISTORY, 4.0, band))
    assert "95% CI" in drawn and "Target 4.00" in drawn
    assert "95% CI" not in texts(charts.csat_trend_svg(HISTORY, 4.0))


@pytest.mark.parametrize(
    "svg, reason",
    [
        (lambda: charts.radar_svg(("a", "b"), (("Q3", (3.0, 4.0)),), (1, 5)), "at least three"),
        (lambda: charts.radar_svg(("a", "b", "c"), (("Q3", (None, None, 4.0)),), (1, 5)), "Fewer than three"),
        (lambda: charts.ipa_svg((("a", float("nan"), 50.0),), "Importance"), "No dimension"),
        (lambda: charts.nps_composition_svg((("2026-Q3", 0.0, 0.0, 0.0, 0),)), "No likelihood"),
        (lambda: charts.p_chart_svg((), 30.0, "per 1000"), "No months"),
        (lambda: charts.resolution_svg((float("nan"),), 10), "No complaint was resolved"),
        (lambda: charts.segment_heatmap_svg(("A",), (("CSAT", True),), ((None,),), 30), "No segment"),
    ],
    ids=["radar-2-dims", "radar-no-values", "ipa", "nps", "p-chart", "resolution", "heatmap"],
)
def test_new_charts_without_data_say_why(svg: object, reason: str) -> None:
    drawn = texts(svg())  # type: ignore[operator]
    assert len(drawn) == 1 and reason in drawn[0]


# --------------------------------------------------------------------------- readings


def _snapshot(data: AuditData, kpis: KpiTable) -> AuditSnapshot:
    return snapshot(data, kpis, Assessment((), (), "effective", ""))


@pytest.fixture(scope="module")
def tiny_audit() -> AuditSnapshot:
    data = load_audit(TINY)
    return _snapshot(data, compute_kpis(data))


def test_readings_on_the_tiny_audit(tiny_audit: AuditSnapshot) -> None:
    s = tiny_audit
    # recommend Q3: 10 9 8 7 10 3 6 9 0 8 -> 4 promoters, 3 passives, 3 detractors; Q2: 9 10
    assert s.kpis.analyses.nps_split[-2:] == (
        NpsSplit("2026-Q2", 100.0, 0.0, 0.0, 2),
        NpsSplit("2026-Q3", 40.0, 30.0, 30.0, 10),
    )
    svg, reading = blocks.nps_composition_block(s)
    assert svg is not None and reading == (
        "In 2026-Q3, 40% of the 10 answers were promoters and 30% detractors (NPS +10); "
        "since 2026-Q2, promoters down 60 points and detractors up 30 points."
    )
    # resolved C1 4, C2 15, C3 7, C4 1 days; at 30 Sep C5 has been open 29 days (past the 10-day SLA: a miss),
    # C6 5 days (not yet judged): 3 within of 5 judged, 60% as the KPI says
    assert s.kpis["complaints_resolved_within_sla_pct"].value == pytest.approx(60.0)
    built = blocks.resolution_block(s)
    assert built is not None and built[0] is not None
    assert built[1] == (
        "3 of the 5 complaints whose outcome is known at the period's end (60.0%) were resolved within 10 days; "
        "1 is still open past the limit (median 5.5 days, longest 15 days); "
        "1 more was open but not yet past the limit."
    )
    # 2 complaints a month over 7, 8 and 5 orders: centre 6 / 20 = 300 per 1,000, no month beyond 3 sigma
    built = blocks.p_chart_block(s)
    assert built is not None and built[1] == (
        "All 3 months of 2026-Q3 were within the control limits around the centre line of "
        "300.0 complaints per 1,000 orders."
    )
    # two dimensions: no radar, and a sentence saying why
    built = blocks.radar_block(s)
    assert built is not None and built[0] is None and "too few for a radar" in built[1]
    assert blocks.ipa_block(s) is not None
    built = blocks.segments_block(s)
    assert built is not None and built[0] is not None and "10 of 10 cells rest on fewer than 30" in built[1]


def _dimension(name: str, value: float, before: float, p: float, verdict: str) -> Kpi:
    change = Comparison("previous_quarter", "2026-Q2", before, value - before, p, verdict)
    return Kpi(f"dimension_{name}_mean", name, value, "score", 300, comparisons=(change,), source="surveys")


def test_radar_ipa_and_segment_readings_on_crafted_numbers(tiny: Path) -> None:
    replace_in(
        tiny / "audit.yaml", "responsiveness: Responsiveness}", "responsiveness: Responsiveness, empathy: Reliability}"
    )
    data = load_audit(tiny)
    dims = (
        _dimension("reliability", 4.03, 4.05, 0.54, "no significant change"),
        _dimension("responsiveness", 3.52, 3.95, 0.0004, "significant decline"),
        _dimension("empathy", 3.96, 3.90, 0.3, "no significant change"),
    )
    ipa = (
        Quadrant("reliability", 0.61, 75.8, "keep up the good work"),
        Quadrant("responsiveness", 0.56, 63.1, "concentrate here"),
        Quadrant("empathy", 0.55, 74.0, "low priority"),
    )
    cells = (
        SegmentCell("region", "North", "csat_mean", 4.11, 400),
        SegmentCell("region", "Export", "csat_mean", 3.62, 120),
        SegmentCell("region", "East", "csat_mean", 2.5, 12, small_n=True),
        SegmentCell("region", "North", "nps", 32.0, 380),
    )
    s = _snapshot(data, KpiTable(dims, analyses=Analyses(ipa=ipa, importance_basis="stated", segments=cells)))
    svg, reading = blocks.radar_block(s) or (None, "")
    assert svg is not None
    assert reading == "Responsiveness fell 0.43 points (p < 0.001) since 2026-Q2, the only significant decline."
    svg, reading = blocks.ipa_block(s) or (None, "")
    assert svg is not None and reading == (
        "Responsiveness falls in “concentrate here” (above-average importance, below-average performance); "
        "importance is the mean score respondents gave."
    )
    svg, reading = blocks.segments_block(s) or (None, "")
    assert svg is not None and reading == (  # the small East cell (2.50) is not the lowest: too few answers
        "CSAT mean ranges from 3.62 (region Export, n = 120) to 4.11 (region North, n = 400) among segments "
        "with 30 or more observations; 1 of 4 cells rests on fewer than 30 observations and is hatched."
    )


def test_segment_heatmap_says_when_segments_are_left_out(tiny: Path) -> None:
    data = load_audit(tiny)
    cells = tuple(SegmentCell("product", f"P{i:02d}", "csat_mean", 4.0 + i / 100, 100) for i in range(33))
    s = _snapshot(data, KpiTable((), analyses=Analyses(segments=cells)))
    svg, reading = blocks.segments_block(s) or (None, "")
    assert svg is not None and svg.count("P32") == 0 and svg.count("P29") >= 1
    assert reading.endswith(
        "The chart shows the first 30 of 33 segments; every segment is in results.json (analyses.segments)."
    )


# --- charts drawn together (audit.report.charts.together) -------------------------------------------
from audit.report.charts import together  # noqa: E402


def _page() -> str:
    """Text with charts in it as the report's sections make it: inlined, raw, beside, user text."""
    with charts.beside():
        left = charts.inline_svg(charts.csat_trend_svg(HISTORY, 4.0))
    pareto = charts.inline_svg(charts.pareto_svg([("Late", 30), ("Damaged", 12), (EVIL, 3)], "Pareto"), "chart wide")
    return f"<p>before</p>{left}<p>&lt;!--chart 0--&gt;</p>{pareto}{charts.no_data_svg()}<p>after</p>"


def test_charts_drawn_together_give_the_text_of_charts_drawn_one_by_one() -> None:
    one_by_one = _page()
    assert "<!--chart" not in one_by_one and one_by_one.count("<svg") == 3
    assert together.drawn_together(_page, workers=1) == one_by_one
    assert together.drawn_together(_page, workers=2) == one_by_one  # every other chart drawn by a forked worker


def test_a_worker_that_dies_leaves_its_charts_to_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def dies(figures: list[object]) -> list[str]:
        os._exit(3)  # sends nothing

    monkeypatch.setattr(together, "_svgs", dies)
    assert together.drawn_together(_page, workers=2) == _page()


def test_an_error_while_drawing_stops_the_worker_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    parent, drawn = os.getpid(), together.svg_of

    def fails_here(figure: object) -> str:
        if os.getpid() == parent:
            raise RuntimeError("cannot draw")
        return drawn(figure)

    monkeypatch.setattr(together, "svg_of", fails_here)
    import psutil

    before = {child.pid for child in psutil.Process().children()}
    with pytest.raises(RuntimeError, match="cannot draw"):
        together.drawn_together(_page, workers=2)
    assert {child.pid for child in psutil.Process().children()} <= before  # the worker was stopped and reaped
