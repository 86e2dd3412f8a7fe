"""Tests for audit.report: sections, notebook tables, HTML export and PDF rendering."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from audit.config import AuditConfig
from audit.data.dataset import AuditData
from audit.model import Action, Assessment, Finding, Grade, Kpi, KpiTable, Problem, SourceInfo
from conftest import local_listener

EVIL = '<img src="http://127.0.0.1:9/x.png"> <b>bold</b>'
LONG_WORD = "Q" * 60  # a 60-character category with no space to break at


def make_config(folder: Path, **audit: object) -> AuditConfig:
    """A small, valid audit configuration rooted at ``folder``."""
    info = {
        "id": "ACME-P1-2026-Q3",
        "organisation": "ACME Pumps Ltd",
        "site": "Plant 1",
        "period": "2026-Q3",
        "date": "2026-10-15",
        "client": "Quality Director",
        "lead_auditor": "Li Na",
        "team": ["Wang Wei"],
        "auditee": "Customer Service Dept.",
        "distribution": ["General Manager", "Sales Director"],
        **audit,
    }
    return AuditConfig.model_validate(
        {
            "audit": info,
            "previous": "../2026-Q2",
            "data": {
                "surveys": {"path": "data/surveys.csv", "sent": 400},
                "complaints": {"path": "data/complaints.csv"},
                "orders": {"path": "data/orders.csv"},
            },
            "targets": {"csat_mean": 4.0, "nps": 30, "otif_pct": 95},
            "folder": folder,
        }
    )


def make_data(folder: Path, n_problems: int = 30, **audit: object) -> AuditData:
    """Audit data with every kind of user text the report must escape."""
    config = make_config(folder, **audit)
    frames = {
        "surveys": pd.DataFrame({"response_id": ["S1", "S2"], "overall": [4, 5]}),
        "complaints": pd.DataFrame({"complaint_id": ["C1"], "category": [EVIL]}),
        "orders": pd.DataFrame({"order_id": ["O1", "O2", "O3"]}),
    }
    problems = tuple(
        Problem(
            kind="surveys",
            file=f"{EVIL}.csv" if i == 0 else "surveys.csv",
            sheet="",
            row=i + 2,
            column="overall",
            value=EVIL if i == 0 else str(9 + i),
            rule="out_of_scale",
            message="Score outside the 1–5 scale; correct it in the survey export. " + ("x" * 300 if i == 1 else ""),
        )
        for i in range(n_problems)
    )
    sources = (
        SourceInfo("surveys", f"data/{EVIL}.csv", "", "ab" * 32, 432, 402, 30, 380),
        SourceInfo("complaints", "data/complaints.csv", "", "cd" * 32, 90, 90, 0, 87),
        SourceInfo("orders", "data/orders.xlsx", "2026Q3", "ef" * 32, 5000, 5000, 0, 4100),
    )
    return AuditData(config=config, frames=frames, history=frames, problems=problems, sources=sources)


def make_kpis() -> KpiTable:
    """KPIs with history, targets, None values and user-text breakdowns."""
    history = (("2025-Q4", 4.21), ("2026-Q1", None), ("2026-Q2", 4.12))
    kpis = (
        Kpi("responses", "Survey responses", 380, "count", 380, source="surveys"),
        Kpi(
            "csat_mean",
            "CSAT mean",
            3.98,
            "score",
            380,
            ci_low=3.9,
            ci_high=4.06,
            target=4.0,
            previous=4.12,
            p_value=0.03,
            history=history,
            source="surveys",
        ),
        Kpi(
            "nps",
            "Net Promoter Score",
            22.0,
            "points",
            350,
            ci_low=14.0,
            ci_high=30.0,
            target=30,
            previous=25.0,
            p_value=0.4,
            history=(("2026-Q2", 25.0),),
            source="surveys",
        ),
        Kpi("csat_top2_pct", f"Top-2-box {EVIL}", 71.2, "%", 380, note=EVIL, source="surveys"),
        Kpi("complaints", "Complaints", 87, "count", 87, source="complaints"),
        Kpi(
            "complaint_resolution_days_median",
            "Resolution days (median)",
            6.5,
            "days",
            80,
            higher_is_better=False,
            source="complaints",
        ),
        Kpi(
            "otif_pct",
            "On time in full",
            93.4,
            "%",
            4100,
            ci_low=92.6,
            ci_high=94.1,
            target=95,
            previous=94.0,
            history=(("2026-Q1", 95.2), ("2026-Q2", 94.0)),
            source="orders",
        ),
        Kpi("return_rate_pct", "Return rate", None, "%", 0, note="No returns file was supplied.", source="returns"),
    )
    breakdowns = {
        "complaints_by_category": (
            (EVIL, 30.0),
            (LONG_WORD, 25.0),
            ("Wrong item", 15.0),
            ("Late delivery", 10.0),
            ("Price $5 $6", 5.0),
            ("Other", 2.0),
        ),
        "dimension_means": (("reliability", 3.8), ("responsiveness", 4.1), ("empathy", 4.3)),
        "dimension_gaps": (("reliability", -0.62), ("responsiveness", -0.1), ("empathy", 0.15)),
    }
    return KpiTable(kpis=kpis, breakdowns=breakdowns, period_labels=("2025-Q4", "2026-Q1", "2026-Q2"))


def make_assessment() -> Assessment:
    """Findings of several grades and their actions, with long and hostile text."""
    findings = (
        Finding(
            "F-01",
            "csat_target",
            "9.1.2",
            "8.2.1",
            "major",
            f"CSAT below target {EVIL}",
            "The organisation shall monitor customers' perceptions.",
            "Evidence " + "long " * 400,
            "The gap.",
            kpi_id="csat_mean",
            evidence_ids=tuple(f"C{i}" for i in range(30)),
        ),
        Finding(
            "F-02",
            "complaint_sla",
            "9.1.2",
            "8.2.1",
            "minor",
            "Complaints resolved late",
            "Resolve within SLA.",
            "62% within 10 days.",
            "28 points short.",
        ),
        Finding(
            "F-03",
            "survey_method",
            "9.1.2",
            "8.2.1",
            "ofi",
            "Survey response rate is low",
            "ISO 10004 guidance.",
            "Response rate 9.5%.",
            "Below guidance.",
        ),
        Finding(
            "F-04",
            "root_cause",
            "10.2",
            "8.5.2",
            "good_practice",
            "Root causes recorded",
            "Determine causes.",
            "98% have a root cause.",
            "None.",
        ),
        Finding(
            "F-05",
            "analysis",
            "9.1.3",
            "8.4",
            "conforming",
            "Results analysed",
            "Analyse and evaluate.",
            "Monthly review minutes.",
            "None.",
        ),
    )
    actions = (
        Action(
            "A-01",
            "F-01",
            f"Re-train the team. {EVIL} " + "word " * 300,
            "corrective",
            "customer_service",
            "Zhang Min",
            dt.date(2026, 11, 14),
            "2 days",
            "CSAT mean ≥ 4.0",
            "Quarterly review",
            "Next audit",
        ),
        Action(
            "A-02",
            "F-02",
            "Add an SLA alert.",
            "correction",
            "quality",
            "Liu Yang",
            dt.date(2026, 12, 14),
            "",
            "Within SLA ≥ 90%",
            "",
            "Next audit",
        ),
        Action(
            "A-03",
            "F-03",
            "Send the survey by SMS.",
            "improvement",
            "customer_service",
            "Zhang Min",
            dt.date(2027, 1, 13),
            "",
            "Response rate ≥ 20%",
            "",
            "Next audit",
        ),
    )
    return Assessment(findings, actions, "partially_effective", f"One major nonconformity on CSAT {EVIL}.")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def data(tmp_path: Path) -> AuditData:
    return make_data(tmp_path)


@pytest.fixture
def kpis() -> KpiTable:
    return make_kpis()


@pytest.fixture
def assessment() -> Assessment:
    return make_assessment()


ESCAPED = "&lt;img src=&#34;http://127.0.0.1:9/x.png&#34;&gt; &lt;b&gt;bold&lt;/b&gt;"


def assert_no_raw_markup(html: str) -> None:
    """No markup from the data survived as markup."""
    assert "<img" not in html
    assert "<b>" not in html


# --------------------------------------------------------------------------- sections

from audit.assessment.snapshot import snapshot  # noqa: E402
from audit.cycle.revisions import Revision  # noqa: E402
from audit.report import SECTIONS, ReportInput, render_section, render_sections  # noqa: E402
from audit.report.tables import (  # noqa: E402
    assessment_html,
    format_change,
    format_kpi,
    kpi_table_html,
    trend_arrow,
)


def report(data: AuditData, kpis: KpiTable, assessment: Assessment, revision: Revision | None = None) -> ReportInput:
    """What a report is rendered from, for data, KPIs and an assessment made in the test."""
    return ReportInput(snapshot(data, kpis, assessment), revision or Revision(1))


@pytest.mark.parametrize("name", list(SECTIONS))
def test_each_section_renders_with_a_named_heading(
    name: str, data: AuditData, kpis: KpiTable, assessment: Assessment
) -> None:
    html = render_section(name, report(data, kpis, assessment))
    assert html.lstrip().startswith("<section")
    assert 'data-section="' in html
    assert 'data-doc="ACME Pumps Ltd · ACME-P1-2026-Q3"' in html
    assert_no_raw_markup(html)
    assert "{{" not in html and "{%" not in html


@pytest.mark.parametrize(
    "name", ["summary", "details", "appendix_kpis", "findings", "actions", "appendix_data_quality"]
)
def test_user_text_is_shown_as_text(name: str, data: AuditData, kpis: KpiTable, assessment: Assessment) -> None:
    html = render_section(name, report(data, kpis, assessment)).replace("\u200b", "")  # wrap hints in file names
    assert ESCAPED in html or ESCAPED.replace("&#34;", "&quot;") in html


def test_cover_escapes_the_configuration(tmp_path: Path, kpis: KpiTable, assessment: Assessment) -> None:
    data = make_data(tmp_path, organisation="ACME <b>Pumps</b>", lead_auditor="<script>x</script>")
    html = render_section("cover", report(data, kpis, assessment))
    assert "ACME &lt;b&gt;Pumps&lt;/b&gt;" in html
    assert "<script>" not in html
    for fact in (
        "Plant 1",
        "2026-Q3",
        "ACME-P1-2026-Q3",
        "Revision",
        "15 October 2026",
        "General Manager, Sales Director",
        "Confidential",
        "ISO 9001:2015 clause 9.1.2",
        "ISO 9001:2008 clause 8.2.1",
    ):
        assert fact in html


def test_unknown_section_names_the_valid_ones(data: AuditData, kpis: KpiTable, assessment: Assessment) -> None:
    with pytest.raises(ValueError, match="appendix_methodology"):
        render_section("appendix", report(data, kpis, assessment))


def test_summary_has_conclusion_scorecard_findings_and_actions(
    data: AuditData, kpis: KpiTable, assessment: Assessment
) -> None:
    html = render_section("summary", report(data, kpis, assessment))
    assert "Partially effective" in html
    for text in ("Overall satisfaction (mean)", "3.98", "4.00", "4.12", "▼ −0.14", "Not met", "+22", "93.4%"):
        assert text in html
    assert "Return rate" in html and "Not available" in html
    assert "F-01" in html and "Major nonconformity" in html
    assert "F-05" not in html  # conforming findings are not "top findings"
    assert "3 improvement actions were raised" in html


def test_details_lists_sources_sampling_and_limitations(
    data: AuditData, kpis: KpiTable, assessment: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    import audit.report.sections as sections

    monkeypatch.setattr(sections.front, "cjk_font_available", lambda: True)
    html = render_section("details", report(data, kpis, assessment))
    assert "abababababab" in html and "ababababababa" not in html  # 12 hex characters
    assert "5,000" in html and "4,100" in html and "sheet 2026Q3" in html
    assert "nonconformities may exist that were not found" in html
    assert "ISO 9001:2015 clause 9.1.2" in html and "8.2.1" in html
    assert "Quality Director" in html and "Li Na" in html and "Wang Wei" in html
    assert "Customer Service Dept." in html
    assert "No data was supplied for: Returns" in html
    assert "fonts-noto-cjk" not in html

    monkeypatch.setattr(sections.front, "cjk_font_available", lambda: False)
    html = render_section("details", report(data, kpis, assessment))
    assert html.count("fonts-noto-cjk") == 1


def test_results_draw_charts_with_readings(data: AuditData, kpis: KpiTable, assessment: Assessment) -> None:
    html = render_section("results", report(data, kpis, assessment))
    assert html.count('<svg class="chart"') == 5  # CSAT, NPS, gaps, complaints Pareto, OTIF
    # the headline trends stand side by side, numbered on from each other
    pair = html[html.index('<table class="result-pair">') : html.index("</table>")]
    assert "3.1 Customer satisfaction" in pair and "3.2 Net Promoter Score" in pair
    assert pair.count('<svg class="chart"') == 2
    assert "CSAT fell from 4.12 to 3.98, below the 4.00 target" in html
    assert "OTIF fell from 94.0% to 93.4%, below the 95.0% target." in html
    assert "2 of 3 dimensions fall short of expectation; the largest shortfall is in Reliability (−0.62)." in html
    assert "3 of 6 categories" in html and "account for 80% of the 87 complaints" in html
    assert "Gap = perception − expectation (negative = shortfall)" in html
    appendix = render_section("appendix_kpis", report(data, kpis, assessment))
    assert "All KPIs" in appendix and "92.6%–94.1%" in appendix


def test_results_of_the_tiny_audit_have_every_chart_with_its_reading() -> None:
    from audit import assess, compute_kpis, load_audit
    from conftest import TINY

    data = load_audit(TINY)
    kpis = compute_kpis(data)
    html = render_section("results", report(data, kpis, assess(data, kpis)))
    headings = [
        "Customer satisfaction",
        "Net Promoter Score",
        "NPS composition",
        "Satisfaction and service quality gaps by dimension",  # the means in its table: no radar
        "Importance and performance (IPA)",
        "Satisfaction and complaints by segment",
        "Complaints by category",
        "Complaint rate (control chart)",
        "Complaint resolution time",
        "Returns by reason",
        "Delivery performance (OTIF)",
    ]
    assert [h for h in headings if f"{h}</h2>" not in html] == []
    # every block draws a chart and reads it
    assert html.count('<svg class="chart"') == len(headings)
    assert "95% CI" in html  # the CSAT trend's band
    assert html.count('<p class="reading">') == len(headings)


def test_results_say_when_data_is_absent(tmp_path: Path, assessment: Assessment) -> None:
    data = make_data(tmp_path)
    empty = KpiTable(kpis=(Kpi("csat_mean", "CSAT mean", None, "score", 0, note="No survey responses."),))
    html = render_section("results", report(data, empty, assessment))
    assert "<svg" not in html
    assert "No CSAT figures are available for 2026-Q3 (No survey responses.)" in html
    assert "No OTIF figures are available" in html
    assert "No complaints are recorded for 2026-Q3." in html


def test_findings_show_both_editions_and_evidence(data: AuditData, kpis: KpiTable, assessment: Assessment) -> None:
    html = render_section("findings", report(data, kpis, assessment))
    assert "ISO 9001:2015 9.1.2 (ISO 9001:2008 8.2.1)" in html
    assert "Clause 10.2" in html  # findings grouped by clause
    for label in ("Evidence", "Gap"):
        assert f"<dt>{label}</dt>" in html
    assert "Requirement" in html
    assert "C5 … and 24 more" in html  # MAX_EVIDENCE_IDS
    assert html.index("F-01") < html.index("F-05")


def test_each_requirement_is_printed_once_per_clause(data: AuditData, kpis: KpiTable) -> None:
    shall = "The organization shall monitor the perceptions of customers."
    guided = shall + " Guidance: ISO 10004:2018."
    other = "Communication with customers shall include obtaining customer feedback."

    def finding(n: int, requirement: str, grade: Grade = "observation") -> Finding:
        return Finding(f"F-0{n}", f"s{n}", "9.1.2", "8.2.1", grade, f"Title {n}", requirement, "Evidence.", "Gap.")

    findings = (
        finding(1, shall),
        finding(2, guided),
        finding(3, shall),
        finding(4, other),
        finding(5, guided, "conforming"),
    )
    html = render_section("findings", report(data, kpis, Assessment(findings, (), "effective", "")))
    # the clause quotes the text that contains the others' (the requirement and its guidance), once;
    # only the finding that quotes another requirement shows its own
    assert html.count("Guidance: ISO 10004:2018.") == 1
    assert html.count(shall) == 1
    assert html.count(other) == 1 and html.count("<dt>Requirement</dt>") == 1
    assert html.index(guided) < html.index("F-01")


def test_actions_table(data: AuditData, kpis: KpiTable, assessment: Assessment) -> None:
    html = render_section("actions", report(data, kpis, assessment))
    for text in ("A-01", "F-01", "Corrective", "Zhang Min", "2026-11-14", "CSAT mean ≥ 4.0", "Success measure"):
        assert text in html
    none = Assessment((), (), "effective", "All good.")
    assert "No improvement actions were raised." in render_section("actions", report(data, kpis, none))


def test_conclusions_have_fulfilment_opinions_and_sign_off(
    data: AuditData, kpis: KpiTable, assessment: Assessment
) -> None:
    html = render_section("conclusions", report(data, kpis, assessment))
    assert "Partially effective" in html and "1 major nonconformity: a requirement of the clause is not met." in html
    assert "3 of the 5 findings (60%) record the requirement as met" in html
    assert "nonconformities: 2." in html
    assert "No diverging opinions were recorded" in html
    for text in ("Lead auditor", "Auditee representative", "Signature", "Date", "Li Na"):
        assert text in html


def test_data_quality_shows_at_most_25_problems(data: AuditData, kpis: KpiTable, assessment: Assessment) -> None:
    html = render_section("appendix_data_quality", report(data, kpis, assessment))
    assert html.count("Score outside the 1–5 scale") == 25
    assert (
        "… and 5 more. Every problem, and every quarantined row as found in its file, is in data_quality.xlsx" in html
    )


def test_data_quality_without_problems(tmp_path: Path, kpis: KpiTable, assessment: Assessment) -> None:
    html = render_section("appendix_data_quality", report(make_data(tmp_path, n_problems=0), kpis, assessment))
    assert "No data-quality problems were found" in html


def test_methodology_states_the_formulas(data: AuditData, kpis: KpiTable, assessment: Assessment) -> None:
    html = render_section("appendix_methodology", report(data, kpis, assessment))
    for text in (
        "CSAT mean",
        "Wilson",
        "promoters (recommend score 9–10)",
        "detractors (0–6)",
        "+1",
        "−1",
        "OTIF",
        "Return rate",
        "median",
        "within 14 calendar days",
        "4 or 5",
    ):
        assert text in html


# --------------------------------------------------------------------------- notebook tables


def test_kpi_table_html_escapes(kpis: KpiTable) -> None:
    html = kpi_table_html(kpis)
    assert_no_raw_markup(html)
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "3.90–4.06" in html and "0.030" in html and "Not met" in html
    assert kpis._repr_html_() == html


def test_assessment_html_escapes(assessment: Assessment) -> None:
    html = assessment_html(assessment)
    assert_no_raw_markup(html)
    assert "Partially effective" in html and "A-01" in html and "Zhang Min (customer_service)" in html
    assert assessment._repr_html_() == html


def test_kpi_formatting_follows_the_kpi() -> None:
    nps = Kpi("nps", "NPS", 22.4, "points", 100, target=30.0, previous=25.0)
    gap = Kpi("gap_reliability", "Reliability gap", -0.5, "points", 100, previous=-0.3)
    flat = Kpi("return_rate_pct", "Return rate", 2.0, "%", 100, previous=2.01, higher_is_better=False)
    days = Kpi("complaint_resolution_days_median", "Days", 15.0, "days", 60, previous=8.0, higher_is_better=False)
    assert format_kpi(nps) == "+22" and format_kpi(nps, "target") == "+30"
    assert format_kpi(gap) == "−0.50" and format_change(gap) == "−0.20 pts"
    assert format_change(flat) == "±0.0 pts" and trend_arrow(flat) == ("▶", "same")
    assert trend_arrow(days) == ("▲", "worse") and trend_arrow(nps) == ("▼", "worse")
    assert trend_arrow(Kpi("x", "X", 1.0, "count", 1)) == ("", "none")


# --------------------------------------------------------------------------- HTML export


def test_report_html_is_self_contained(data: AuditData, kpis: KpiTable, assessment: Assessment) -> None:
    from audit.report.html import render_html

    html = render_html(report(data, kpis, assessment))
    assert html.startswith("<!DOCTYPE html>") and "1 Management summary" in html
    assert html.index('id="cover"') < html.index("1 Management summary") < html.index("Appendix D Evidence")
    assert "@page" in html and "counter(pages)" in html  # CSS inlined
    assert "<link" not in html and "<script" not in html  # self-contained, no theme, no JS
    for leaked in ("Traceback", "section(", "In&nbsp;[", "Out["):
        assert leaked not in html
    assert_no_raw_markup(html)


def test_draft_watermark_until_finalised(data: AuditData, kpis: KpiTable, assessment: Assessment) -> None:
    from audit.report.html import render_html

    body = render_html(report(data, kpis, assessment)).split("</style>")[1]
    # one mark, drawn as outlines: no text to mix into the report's text
    assert body.count('class="watermark"') == 1 and "<path" in body.split('class="watermark"')[1][:400]
    assert "DRAFT</" not in body
    assert "watermark" not in render_html(report(data, kpis, assessment), draft=False).split("</style>")[1]


# --------------------------------------------------------------------------- PDF


def test_url_fetcher_serves_only_local_files(tmp_path: Path) -> None:
    from audit.report.pdf import RefusedURL, make_url_fetcher

    inside = tmp_path / "logo.svg"
    inside.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    outside_dir = tmp_path.parent / f"{tmp_path.name}-outside"
    outside_dir.mkdir()
    outside = outside_dir / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    audit_dir = tmp_path
    fetch = make_url_fetcher(audit_dir)

    response = fetch(inside.as_uri())
    assert b"svg" in response.read()
    response.close()
    for url in (
        "http://127.0.0.1:9/x.png",
        "https://example.com/x.css",
        "ftp://127.0.0.1/x",
        "data:image/png;base64,iVBORw0KGgo=",
        outside.as_uri(),
        (audit_dir / ".." / outside_dir.name / "secret.txt").as_uri(),
        "file://remote-host/share/x.png",
    ):
        with pytest.raises(RefusedURL):
            fetch(url)


def test_write_pdf_never_touches_the_network(tmp_path: Path) -> None:
    from audit.report.html import standalone_html
    from audit.report.pdf import write_pdf

    with local_listener() as (port, hits):
        html = standalone_html(
            f'<h1>Hostile</h1><img src="http://127.0.0.1:{port}/x.png">'
            f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
            '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd">'
            f'<p style="background: url(http://127.0.0.1:{port}/bg.png)">text</p>'
        )
        write_pdf(html, tmp_path / "hostile.pdf", base_dir=tmp_path)
    assert hits == []
    assert (tmp_path / "hostile.pdf").read_bytes().startswith(b"%PDF")


def pdf_text(pdf: Path) -> str:
    """The PDF's text, read back with poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not on PATH: install poppler-utils (apt-get install -y poppler-utils)")
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_write_pdf_renders_the_whole_report(
    tmp_path: Path, data: AuditData, kpis: KpiTable, assessment: Assessment
) -> None:
    from audit.report.html import standalone_html
    from audit.report.pdf import write_pdf

    pdf = tmp_path / "report.pdf"
    write_pdf(standalone_html(render_sections(report(data, kpis, assessment))), pdf, base_dir=tmp_path)
    text = pdf_text(pdf)
    pages = text.count("\f")
    assert pages >= 6
    assert "Page 1 of" in text and f"Page {pages} of {pages}" in text
    for heading in SECTIONS.values():
        if heading != "Cover":
            assert heading in text, heading
    assert "Customer satisfaction" in text and "ACME Pumps Ltd · ACME-P1-2026-Q3" in text
    assert '<img src="http://127.0.0.1:9/x.png">' in " ".join(text.split())  # shown as text
    assert "import" not in text and "Traceback" not in text


def test_nothing_runs_past_the_right_margin(
    tmp_path: Path, data: AuditData, kpis: KpiTable, assessment: Assessment
) -> None:
    # The fixtures carry a 60-character word, a 2,000-character evidence text and a
    # 300-word action; every line box must stay inside the page's content area.
    from weasyprint import HTML

    from audit.report.html import standalone_html

    document = HTML(string=standalone_html(render_sections(report(data, kpis, assessment)))).render()
    for number, page in enumerate(document.pages, start=1):
        html_box = page._page_box.children[0]  # private, but the only way to see the layout
        right = html_box.content_box_x() + html_box.width
        for box in html_box.descendants():
            if type(box).__name__ in {"LineBox", "TextBox", "TableCellBox"}:
                assert box.position_x + box.margin_width() <= right + 0.5, (number, getattr(box, "text", ""))


def test_every_section_renders_from_a_bare_audit(tmp_path: Path) -> None:
    config = AuditConfig.model_validate(
        {
            "audit": {"id": "X-1", "organisation": "Bare Ltd", "start": "2026-01-15", "end": "2026-03-31"},
            "data": {"surveys": {"path": "s.csv"}},
            "folder": tmp_path,
        }
    )
    data = AuditData(config=config, frames={}, history={})
    html = render_sections(report(data, KpiTable(kpis=()), Assessment((), (), "effective", "")))
    assert html.count("<section") == len(SECTIONS)
    assert "2026-01-15 to 2026-03-31" in html
    assert "No KPIs could be computed" in html and "No findings were raised." in html
    assert "No data files were read." in html


def test_follow_up_of_previous_actions(data: AuditData, kpis: KpiTable, assessment: Assessment) -> None:
    import dataclasses

    from audit.model import Entry, Register

    first = render_section("follow_up", report(data, kpis, assessment))
    assert "6 Follow-up of previous actions" in first and "first audit of the site" in first
    earlier = {"raised_in": "ACME-2026-Q2", "raised_on": dt.date(2026, 7, 10), "kpi_id": "csat_mean"}
    register = Register(
        Path("actions.xlsx"),
        (
            # closed, and CSAT 3.98 now misses the 4.0 it aimed at → not effective
            Entry("ACME-2026-Q2/A-01", **earlier, target=4.0, status="closed", description=EVIL),
            # closed, and 3.98 meets the 3.9 aimed at → effective
            Entry("ACME-2026-Q2/A-02", **earlier, target=3.9, status="closed"),
            # open past its due date at the audit date (15 Oct 2026) → overdue
            Entry("ACME-2026-Q2/A-03", **earlier, due=dt.date(2026, 9, 30), status="in progress"),
            Entry("ACME-2026-Q2/A-04", **earlier, due=dt.date(2026, 12, 31), status="open"),
        ),
    )
    from audit.assessment.followup import follow_up_table

    followed = dataclasses.replace(assessment, follow_up=follow_up_table(register, kpis, data.config))
    html = render_section("follow_up", report(data, kpis, followed))
    results = re.findall(r"<strong>([^<]+)</strong>", html)
    assert results == ["Not effective", "Effective", "Overdue", "Open"]
    assert "4 actions raised by earlier audits" in html
    assert EVIL not in html and "&lt;" in html  # descriptions are text


def test_the_renderers_load_ahead_in_a_thread_that_never_fails_the_run(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import sys

    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from audit.report.warm import warm_up; warm_up().join();"
            "print('weasyprint' in sys.modules, 'matplotlib.figure' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert (loaded.stdout, loaded.stderr) == ("True True\n", "")  # loaded, silently

    from audit.report import warm

    def broken(text: str) -> str:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(warm, "no_data_svg", broken)
    with caplog.at_level("DEBUG", logger="audit.report.warm"):
        warm.warm_up().join()
    assert "ahead of time failed" in caplog.text  # logged at debug; the real rendering reports it
