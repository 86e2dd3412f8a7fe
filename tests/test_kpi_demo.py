"""On the demo organisation, the planted problems show as significant declines and the p-chart flags the spike."""

from __future__ import annotations

import pytest

from audit.data.dataset import load_audit
from audit.demo import PLANTED, write_demo
from audit.kpi import compute_kpis
from audit.model import KpiTable

# large enough for the planted effects to be detectable, small enough to stay quick
SIZE = {
    "orders_per_quarter": 5_000,
    "responses_per_quarter": 800,
    "complaints_per_quarter": 300,
    "returns_per_quarter": 100,
}


@pytest.fixture(scope="module")
def kpis(tmp_path_factory: pytest.TempPathFactory) -> KpiTable:
    return compute_kpis(load_audit(write_demo(tmp_path_factory.mktemp("demo"), **SIZE)))


def test_planted_declines_are_significant(kpis: KpiTable) -> None:
    dimension = PLANTED["declining_dimension"]
    declining = (
        f"dimension_{dimension}_mean",
        f"gap_{dimension}",
        "complaints_per_1000_orders",
        *PLANTED["slipping_kpis"],
    )
    for kpi_id in declining:
        kpi = kpis[kpi_id]
        assert kpi.verdict == "significant decline", (kpi_id, kpi.value, kpi.previous, kpi.p_value)
        assert kpi.comparison("same_quarter_last_year") is not None
        assert kpi.comparison("same_quarter_last_year").verdict == "significant decline", kpi_id  # type: ignore[union-attr]


def test_other_dimensions_hold(kpis: KpiTable) -> None:
    for kpi in kpis:
        if kpi.id.startswith("dimension_") and PLANTED["declining_dimension"] not in kpi.id:
            assert kpi.verdict == "no significant change", kpi.id


def test_p_chart_flags_the_spike_month(kpis: KpiTable) -> None:
    chart = kpis.analyses.complaint_chart
    assert chart is not None and len(chart.points) == 24
    assert chart.basis.endswith("before the audited period")
    assert [(p.period, p.signal) for p in chart.signals] == [(PLANTED["spike_month"], "above")]
    # the spike category leads the quarter's Pareto
    assert kpis.analyses.complaint_pareto[0].label in {PLANTED["spike_category"], "Late delivery", "Product defect"}
    top = {i.label for i in kpis.analyses.complaint_pareto if i.vital}
    assert PLANTED["spike_category"] in top


def test_lost_key_account(kpis: KpiTable) -> None:
    assert kpis["key_accounts_lost"].value >= 1
    lost = dict(kpis.breakdowns["key_accounts_lost"])
    assert PLANTED["lost_customer_id"] in lost
    assert kpis["revenue_at_risk"].value >= lost[PLANTED["lost_customer_id"]]
