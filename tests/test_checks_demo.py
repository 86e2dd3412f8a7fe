"""On the demo organisation, each planted problem produces its finding, on the right clause."""

from __future__ import annotations

import pytest

from audit.assessment import assess
from audit.data.dataset import load_audit
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
def result(tmp_path_factory: pytest.TempPathFactory) -> Assessment:
    data = load_audit(write_demo(tmp_path_factory.mktemp("demo"), **SIZE))
    return assess(data, compute_kpis(data))


def _find(result: Assessment, check: str, **match: object) -> Finding:
    found = [f for f in result.findings if f.check == check and all(getattr(f, k) == v for k, v in match.items())]
    assert len(found) == 1, [(f.check, f.grade, f.title) for f in result.findings]
    return found[0]


def test_slipping_complaint_handling(result: Assessment) -> None:
    overdue = _find(result, "complaints_overdue")
    assert (overdue.grade, overdue.clauses) == ("minor", "ISO 9001:2015 8.2.1 c (ISO 9001:2008 7.2.3 c)")
    assert len(overdue.evidence_ids) == overdue.figures["open_overdue"] > 0
    # the slipping KPIs with a target in the demo's audit.yaml miss it
    for kpi_id in ("complaint_resolution_days_median", "complaints_resolved_within_sla_pct"):
        assert kpi_id in PLANTED["slipping_kpis"]
        missed = _find(result, "objective_met", kpi_id=kpi_id)
        assert (missed.grade, missed.clause_2015) == ("observation", "9.1.2")


def test_declining_dimension(result: Assessment) -> None:
    dimension = PLANTED["declining_dimension"]
    decline = _find(result, "trend_decline", kpi_id=f"dimension_{dimension}_mean")
    assert (decline.grade, decline.clause_2015, decline.clause_2008) == ("observation", "9.1.2", "8.2.1")
    weakest = _find(result, "weakest_dimension")
    assert (weakest.grade, weakest.clause_2015, weakest.figures["focus"]) == ("ofi", "9.1.3", dimension)
    # the gap moved with the dimension: raised once
    assert not [f for f in result.findings if f.kpi_id == f"gap_{dimension}" and f.check == "trend_decline"]


def test_lost_key_account(result: Assessment) -> None:
    lost = _find(result, "lost_key_accounts")
    assert (lost.grade, lost.clause_2015) == ("observation", "9.1.2")
    assert PLANTED["lost_customer_id"] in lost.evidence_ids


def test_complaint_spike(result: Assessment) -> None:
    spike = _find(result, "complaint_spike")
    assert (spike.grade, spike.clause_2015, spike.clause_2008) == ("observation", "9.1.3", "8.4")
    assert spike.figures["months"] == [PLANTED["spike_month"]]
    assert spike.figures["category"] == PLANTED["spike_category"]
    action = next(a for a in result.actions if a.finding_id == spike.id)
    assert PLANTED["spike_category"] in action.description and PLANTED["spike_month"] in action.description


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


def test_one_finding_per_problem(result: Assessment) -> None:
    # repeat complaints above their limit are one finding, even when they also worsened significantly
    repeat = [f for f in result.findings if f.kpi_id == "repeat_complaint_pct" and f.grade != "conforming"]
    assert [f.check for f in repeat] == ["repeat_complaints"]
