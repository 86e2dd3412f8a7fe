"""On the demo organisation, each planted problem produces its finding, on the right clause."""

from __future__ import annotations

import dataclasses

import pytest

from audit.assessment import assess
from audit.assessment.clauses import lead_sentence
from audit.assessment.onsite import sample_seed, sample_size, verification_samples
from audit.catalogue import dimension_name
from audit.data.dataset import AuditData, load_audit
from audit.demo import PLANTED, write_demo
from audit.kpi import compute_kpis
from audit.model import Assessment, Finding

# the sizes of tests/test_kpi_demo.py: the planted effects are detectable, the run stays quick
SIZE = {
    "orders_per_quarter": 5_000,
    "responses_per_quarter": 800,
    "complaints_per_quarter": 300,
    "returns_per_quarter": 100,
}


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> AuditData:
    return load_audit(write_demo(tmp_path_factory.mktemp("demo"), **SIZE))


@pytest.fixture(scope="module")
def result(demo_data: AuditData) -> Assessment:
    return assess(demo_data, compute_kpis(demo_data))


def _find(result: Assessment, check: str, **match: object) -> Finding:
    found = [f for f in result.findings if check in f.checks and all(getattr(f, k) == v for k, v in match.items())]
    assert len(found) == 1, [(f.check, f.grade, f.title) for f in result.findings]
    return found[0]


def _about(result: Assessment, subject: str) -> Finding:
    found = [f for f in result.findings if f.subject == subject]
    assert len(found) == 1, [(f.subject, f.grade, f.title) for f in result.findings]
    return found[0]


def test_slipping_complaint_handling_is_one_minor(result: Assessment) -> None:
    timeliness = _about(result, "complaint_timeliness")
    assert (timeliness.check, timeliness.grade, timeliness.clauses) == (
        "complaint_timeliness",
        "minor",
        "ISO 9001:2015 8.2.1 c (ISO 9001:2008 7.2.3 c)",
    )
    # one finding carries every figure: the overdue list, the share within the SLA, the median and P90
    figures = timeliness.figures
    assert figures["open_overdue"] > 0 and figures["short_by_points"] > 20
    assert {"complaint_resolution_days_median", "complaint_resolution_days_p90"} <= set(figures)
    assert set(PLANTED["slipping_kpis"]) & {"complaint_resolution_days_median", "complaints_resolved_within_sla_pct"}
    # the slipping KPIs are not raised again by objective_met or trend_decline
    assert not [f for f in result.findings if f.kpi_id in PLANTED["slipping_kpis"] and f is not timeliness]


def test_declining_dimension_is_one_finding(result: Assessment) -> None:
    dimension = PLANTED["declining_dimension"]
    decline = _about(result, f"dimension:{dimension}")
    assert (decline.grade, decline.clause_2015, decline.clause_2008) == ("observation", "9.1.2", "8.2.1")
    # the CSI decline, the gap and the weakest-dimension ofi are on the same subject, not findings of their own
    assert "trend_decline" in decline.checks and "weakest_dimension" in decline.checks
    assert not [f for f in result.findings if f.kpi_id in {"csi", f"gap_{dimension}"} and f is not decline]
    # the auditee is asked about the dimension by its name, as the report names it, not by its id
    asked = [q for q in result.questions if q.finding_id == decline.id]
    assert any(q.question == f"What is being done to improve {dimension_name(dimension)}?" for q in asked), asked


def test_lost_key_account(result: Assessment) -> None:
    lost = _about(result, "lost_business")
    assert (lost.check, lost.grade, lost.clause_2015) == ("lost_key_accounts", "observation", "9.1.2")
    assert PLANTED["lost_customer_id"] in lost.evidence_ids
    assert "not evidenced in the records supplied" in lost.gap
    assert any(PLANTED["lost_customer_id"] in q.question for q in result.questions if q.finding_id == lost.id)


def test_complaint_spike(result: Assessment) -> None:
    spike = _about(result, "complaint_rate")
    assert (spike.check, spike.grade, spike.clause_2015, spike.clause_2008) == (
        "complaint_rate",
        "observation",
        "9.1.3",
        "8.4",
    )
    assert spike.figures["months"] == [PLANTED["spike_month"]]
    assert spike.figures["category"] == PLANTED["spike_category"]
    action = next(a for a in result.actions if a.finding_id == spike.id)
    assert PLANTED["spike_category"] in action.description and PLANTED["spike_month"] in action.description


def test_one_finding_per_subject_and_one_action_each(result: Assessment) -> None:
    subjects = [f.subject for f in result.findings]
    assert len(subjects) == len(set(subjects))
    descriptions = [a.description for a in result.actions]
    assert len(descriptions) == len(set(descriptions))
    resources = [a.resources for a in result.actions]
    assert len(set(resources)) > len(resources) // 2  # written from the finding, not one sentence for all
    assert [a.finding_id for a in result.actions] == [f.id for f in result.findings if f.needs_action]


def test_verification_names_the_kpi_it_recomputes(result: Assessment) -> None:
    nps = next(a for a in result.actions if "Net Promoter Score" in a.success_measure)
    assert nps.verification == "At the next audit: recompute Net Promoter Score and compare it with the target"
    from audit.catalogue import CATALOGUE

    assert not [a.verification for a in result.actions for kpi in CATALOGUE if f"recompute {kpi} " in a.verification]


def test_clause_verdicts_and_the_lead_sentence(result: Assessment) -> None:
    verdicts = {c.clause: c for c in result.clauses}
    assert list(verdicts) == ["9.1.2", "9.1.3", "8.2.1 c", "10.2"]
    assert verdicts["8.2.1 c"].verdict == "partly_met"
    assert verdicts["9.1.2"].verdict in {"met", "met_with_observations"}
    lead = lead_sentence(result.clauses, "ISO 9001:2015")
    assert lead.startswith("The requirement to monitor customer satisfaction, ISO 9001:2015 9.1.2")
    assert "is met" in lead


def test_the_verification_sample_is_reproducible(demo_data: AuditData, result: Assessment) -> None:
    timeliness = _about(result, "complaint_timeliness")
    sample = next(s for s in result.samples if s.finding_id == timeliness.id)
    # discovery sampling, 95% / 20%: 14 of a large population, fewer of a small one
    assert sample.kind == "complaints" and sample.size == sample_size(sample.population, 0.95, 0.20) <= 14
    assert set(sample.ids) <= set(timeliness.evidence_ids) and len(set(sample.ids)) == sample.size
    assert sample.seed == sample_seed(demo_data.config.audit.id, "complaint_timeliness")
    # drawn again (another run of the same audit), and with the findings renumbered: the same records
    assert verification_samples(demo_data, result.findings, demo_data.config.sampling) == result.samples
    renumbered = [dataclasses.replace(f, id=f"X-{i}") for i, f in enumerate(reversed(result.findings))]
    again = {s.subject: s.ids for s in verification_samples(demo_data, renumbered, demo_data.config.sampling)}
    assert again == {s.subject: s.ids for s in result.samples}


def test_invalid_rows(result: Assessment) -> None:
    # duplicate RMA numbers are planted; every kind stays well under 2% set aside
    integrity = _find(result, "data_integrity")
    assert (integrity.grade, integrity.clause_2015) == ("ofi", "9.1.3")
    assert integrity.figures["duplicates"] >= 1 and all(i.startswith("RMA-") for i in integrity.evidence_ids)


def test_what_is_in_order_is_recorded_as_conforming(result: Assessment) -> None:
    conforming = {f.check for f in result.findings if f.grade == "conforming"}
    assert {
        "monitoring_exists",
        "methods_determined",
        "sample_adequacy",
        "complaint_records",
        "returns_analysed",
    } <= conforming
    assert result.conclusion == "partially_effective"
    assert not [a for a in result.actions if a.finding_id in {f.id for f in result.findings if f.grade == "conforming"}]
