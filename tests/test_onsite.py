"""Clause verdicts, auditee questions, the verification sample and the coverage statement, on crafted data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.assessment.clauses import clause_verdicts, lead_sentence
from audit.assessment.onsite import sample_seed, sample_size
from audit.model import Finding
from audit.report.sections import ReportInput, render_section
from audit.report.sections.onsite import coverage_lines
from conftest import audit_in_process, replace_in
from test_guards import _unfinished_quarter


def _finding(number: int, grade: str, clause: str) -> Finding:
    return Finding(f"F-{number:02d}", "x", clause, "", grade, "t", "r", "e", "g")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the verdict per clause


@pytest.mark.parametrize(
    ("grades", "verdict"),
    [
        ((), "not_assessed"),
        (("conforming", "good_practice"), "met"),
        (("conforming", "ofi"), "met_with_observations"),
        (("observation",), "met_with_observations"),
        (("observation", "minor"), "partly_met"),
        (("minor", "major"), "not_met"),
    ],
)
def test_a_clause_is_judged_on_its_most_severe_finding(grades: tuple[str, ...], verdict: str) -> None:
    findings = tuple(_finding(i, g, "8.2.1 c") for i, g in enumerate(grades, start=1))
    verdicts = {c.clause: c for c in clause_verdicts(findings, "ISO 9001:2015")}
    assert verdicts["8.2.1 c"].verdict == verdict
    assert set(verdicts["8.2.1 c"].findings) == {f.id for f in findings}


def test_a_minor_on_8_2_1_c_does_not_decide_9_1_2() -> None:
    findings = (_finding(1, "minor", "8.2.1 c"), _finding(2, "observation", "9.1.2"), _finding(3, "minor", "10.2.1 b"))
    verdicts = {c.clause: c for c in clause_verdicts(findings, "ISO 9001:2015")}
    assert list(verdicts) == ["9.1.2", "9.1.3", "8.2.1 c", "10.2"]
    assert (verdicts["9.1.2"].verdict, verdicts["8.2.1 c"].verdict) == ("met_with_observations", "partly_met")
    assert verdicts["10.2"].verdict == "partly_met" and verdicts["10.2"].findings == ("F-03",)
    assert verdicts["9.1.3"].verdict == "not_assessed"
    assert verdicts["9.1.2"].sentence.startswith("ISO 9001:2015 9.1.2 (ISO 9001:2008 8.2.1), monitoring")
    assert "(F-02)" in verdicts["9.1.2"].sentence
    lead = lead_sentence(tuple(verdicts.values()), "ISO 9001:2015")
    assert lead.startswith("The requirement to monitor customer satisfaction, ISO 9001:2015 9.1.2")
    assert "is met, with observations" in lead and lead.count(".") >= 1


def test_with_2008_as_the_criteria_the_2008_clause_comes_first() -> None:
    verdicts = clause_verdicts((_finding(1, "major", "9.1.2"),), "ISO 9001:2008")
    assert verdicts[0].sentence.startswith("ISO 9001:2008 8.2.1 (ISO 9001:2015 9.1.2)")
    assert "is not met" in lead_sentence(verdicts, "ISO 9001:2008")


# --------------------------------------------------------------------------- the verification sample


@pytest.mark.parametrize(("population", "size"), [(0, 0), (1, 1), (4, 4), (10, 8), (25, 11), (100_000, 14)])
def test_discovery_sample_size_worked_by_hand(population: int, size: int) -> None:
    # N = 10, D = 2: P(none) = (10 − n)(9 − n)/90 = 0.067 at n = 7, 0.022 at n = 8 ≤ 0.05
    assert sample_size(population, 0.95, 0.20) == size


def test_the_seed_depends_on_the_audit_and_the_subject_only() -> None:
    assert sample_seed("A-1", "complaint_timeliness") == sample_seed("A-1", "complaint_timeliness")
    assert sample_seed("A-1", "complaint_timeliness") != sample_seed("A-2", "complaint_timeliness")
    assert sample_seed("A-1", "complaint_timeliness") != sample_seed("A-1", "complaint_rate")


def test_the_sample_is_the_same_on_every_run_and_in_the_report(tiny: Path) -> None:
    first, second = audit_in_process(tiny), audit_in_process(tiny)
    assert first.assessment.samples == second.assessment.samples and first.assessment.samples
    timeliness = next(s for s in first.assessment.samples if s.subject == "complaint_timeliness")
    assert (timeliness.kind, timeliness.population, timeliness.size) == ("complaints", 2, 2)
    html = render_section("appendix_onsite", ReportInput(first))
    assert "Auditee questions" in html and "Verification sample" in html
    assert all(q.id in html for q in first.assessment.questions)
    assert ", ".join(timeliness.ids) in html
    # results.json carries both
    data = first.to_dict()
    assert [q["id"] for q in data["auditee_questions"]] == [q.id for q in first.assessment.questions]
    assert data["verification_sample"][0]["seed"] == first.assessment.samples[0].seed
    assert [c["clause"] for c in data["clauses"]] == ["9.1.2", "9.1.3", "8.2.1 c", "10.2"]


# --------------------------------------------------------------------------- what the data cannot show


def test_no_follow_up_field_is_asked_not_asserted(tiny: Path) -> None:
    # without a complaint log nothing shows the dissatisfied respondents were followed up, nor that they were not
    text = (tiny / "audit.yaml").read_text(encoding="utf-8")
    (tiny / "audit.yaml").write_text(text.replace("  complaints:\n    path: complaints.csv\n", ""), encoding="utf-8")
    result = audit_in_process(tiny).assessment
    loop = next(f for f in result.findings if f.subject == "survey_follow_up")
    assert "not evidenced in the records supplied" in loop.gap
    assert "not followed up" not in loop.title
    asked = [q for q in result.questions if q.finding_id == loop.id]
    assert asked and asked[0].records
    assert result.questions[-1].subject == "management_review"


# --------------------------------------------------------------------------- the summary and the cover


def test_the_summary_opens_with_the_9_1_2_verdict(tiny: Path) -> None:
    snapshot = audit_in_process(tiny)
    html = render_section("summary", ReportInput(snapshot))
    text = re.sub(r"<[^>]+>", " ", html)
    head = snapshot.assessment.clause("9.1.2")
    assert head is not None and head.reason
    opening = " ".join(text.split("Overall conclusion")[0].split())
    # the assessment's verdict on 9.1.2, and what it rests on, open the summary
    assert f"clause 9.1.2 Customer satisfaction: {head.verdict_label}. {head.reason}" in opening


def test_an_unfinished_quarter_is_stated_on_the_cover_and_in_the_limitations(tiny: Path) -> None:
    replace_in(tiny / "complaints.csv", "C4,K6,2026-08-15,2026-08-16,2026-08-16,", "C4,K6,2026-08-15,2026-08-16,,")
    _unfinished_quarter(tiny)
    snapshot = audit_in_process(tiny)
    lines = coverage_lines(snapshot)
    assert lines[0] == (
        "The audited period runs to 30 September 2026, but the audit is dated 5 September 2026: the period had not "
        "ended, so its figures cover only part of it."
    )
    assert any(line.startswith("Complaints: the export ends on 16 August 2026, 45 days") for line in lines), lines
    cover = render_section("cover", ReportInput(snapshot))
    details = render_section("details", ReportInput(snapshot))
    assert "had not ended" in cover and "had not ended" in details


def test_a_complete_quarter_has_no_coverage_statement(tiny: Path) -> None:
    assert coverage_lines(audit_in_process(tiny)) == []


def test_the_methodology_lists_design_effects_and_the_u_chart(tiny: Path) -> None:
    # every tiny respondent answers once: a design effect of 1.00 per survey KPI, shown through audit.format
    snapshot = audit_in_process(tiny)
    html = render_section("appendix_methodology", ReportInput(snapshot))
    assert snapshot.kpis["csat_mean"].design_effect == 1.0
    assert "Design effect" in html and '<td class="num">1.00</td>' in html
    assert snapshot.kpis.analyses.complaint_chart is not None and "u-chart" in html
