"""KPIs of the tiny audit (tests/fixtures/tiny), each worked out by hand in a comment."""

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from audit.data.dataset import load_audit
from audit.kpi import compute_kpis
from audit.kpi.stats import change_p_value, mean, nps, proportion
from audit.model import KpiTable, ParetoItem
from conftest import TINY, replace_in


@pytest.fixture(scope="module")
def kpis() -> KpiTable:
    return compute_kpis(load_audit(TINY))


def test_csat(kpis: KpiTable) -> None:
    # overall in 2026-Q3: 5 4 4 3 5 2 4 5 1 4 → sum 37, n 10 → mean 3.70
    csat = kpis["csat_mean"]
    assert (csat.value, csat.n, csat.target, csat.status) == (pytest.approx(3.7), 10, 4.0, "not_met")
    # sd = sqrt(sum((x-3.7)^2)/9) = sqrt(16.1/9) = 1.3375; t(0.975, 9) = 2.2622 → ±0.9568
    assert csat.ci_low == pytest.approx(3.7 - 2.2622 * math.sqrt(16.1 / 9) / math.sqrt(10), abs=1e-3)
    # top-2-box on 1–5 = scores 4 and 5: 4,4,5,5,4,5,4 → 7 of 10 = 70%, target 60 → met
    assert kpis["csat_top2_pct"].value == pytest.approx(70.0)
    assert kpis["csat_top2_pct"].status == "met"
    # bottom-2-box = scores 1 and 2: 2, 1 → 20%
    assert kpis["dissatisfied_pct"].value == pytest.approx(20.0)
    # previous quarter (2026-Q2): 4 and 5 → 4.50
    assert csat.previous == pytest.approx(4.5)
    assert csat.history[-2:] == (("2026-Q2", 4.5), ("2026-Q3", pytest.approx(3.7)))


def test_nps(kpis: KpiTable) -> None:
    # recommend: 10 9 8 7 10 3 6 9 0 8 → promoters (9–10) 10,9,10,9 = 4; detractors (0–6) 3,6,0 = 3
    # NPS = 40% − 30% = +10; SE = 100·sqrt((0.4 + 0.3 − 0.1²)/10) = 100·sqrt(0.069) = 26.27
    score = kpis["nps"]
    assert score.value == pytest.approx(10.0)
    assert score.ci_high - score.value == pytest.approx(1.96 * 100 * math.sqrt(0.069), abs=0.01)
    assert score.status == "not_met"


def test_response_rate_and_dimensions(kpis: KpiTable) -> None:
    # 10 responses of 40 questionnaires sent → 25%
    assert kpis["response_rate_pct"].value == pytest.approx(25.0)
    # responsiveness P: 4 4 3 3 5 2 4 4 1 3 = 33 → 3.30; E: 5 5 4 4 5 5 4 4 5 4 = 45 → gap −1.20
    assert kpis["dimension_responsiveness_mean"].value == pytest.approx(3.3)
    assert kpis["gap_responsiveness"].value == pytest.approx(-1.2)


def test_complaint_handling(kpis: KpiTable) -> None:
    # resolved: C1 4 d, C2 15 d, C3 7 d, C4 1 d → median of 1,4,7,15 = 5.5 (target 10 → met)
    assert kpis["complaint_resolution_days_median"].value == pytest.approx(5.5)
    assert kpis["complaint_resolution_days_median"].status == "met"
    # within the 10-day SLA: C1, C3, C4 = 3; judged: 4 resolved + C5 (open 29 days) = 5;
    # C6 (open 5 days at 30 Sep) is not yet due → 3/5 = 60%
    sla = kpis["complaints_resolved_within_sla_pct"]
    assert (sla.value, sla.n, sla.status) == (pytest.approx(60.0), 5, "not_met")
    assert kpis["complaints_open_overdue"].value == 1
    assert kpis.breakdowns["overdue_complaints"] == (("C5", 29.0),)
    # 6 complaints per 20 orders → 300 per 1,000 orders
    assert kpis["complaints_per_1000_orders"].value == pytest.approx(300.0)
    # acknowledgement days: 1 1 0 1 3 1 → median 1
    assert kpis["complaint_ack_days_median"].value == pytest.approx(1.0)
    # root cause recorded for closed complaints: C1, C2, C4 of C1–C4 → 75%
    assert kpis["root_cause_recorded_pct"].value == pytest.approx(75.0)


def test_returns_and_delivery(kpis: KpiTable) -> None:
    # 3 returns over 20 orders → 15%; units 2+1+1 = 4 over 198 delivered (20 × 10 − 2) → 20,202 ppm
    assert kpis["return_rate_pct"].value == pytest.approx(15.0)
    assert kpis["returns_ppm"].value == pytest.approx(4 / 198 * 1e6)
    assert kpis["warranty_claims"].value == 1
    # O03 and O07 late, O12 short (8 of 10): on time 18/20, in full 19/20, OTIF 17/20
    assert kpis["on_time_pct"].value == pytest.approx(90.0)
    assert kpis["in_full_pct"].value == pytest.approx(95.0)
    assert kpis["otif_pct"].value == pytest.approx(85.0)


def test_file_not_covering_a_quarter_gives_no_history(kpis: KpiTable) -> None:
    # the returns file starts in 2026-Q3, so 2026-Q2 is unknown, not 0%
    assert kpis["return_rate_pct"].previous is None


def test_wilson_interval_by_hand() -> None:
    # k=7, n=10, z=1.96: centre = (0.7 + 1.9208/10)/(1.38415) = 0.6445; half = 1.96·sqrt(0.021 + 0.0009604)/1.38415 = 0.2099
    est = proportion(7, 10)
    assert est.ci_low == pytest.approx(39.68, abs=0.01)
    assert est.ci_high == pytest.approx(89.22, abs=0.01)


def test_edge_cases() -> None:
    assert proportion(0, 0).value is None
    assert mean(np.array([])).value is None
    single = mean(np.array([4.0]))
    assert (single.value, single.ci_low) == (4.0, None)
    everyone = nps(np.array([10.0, 9.0, 10.0]))
    assert (everyone.value, everyone.se) == (100.0, 0.0)


def test_change_tests() -> None:
    # 50/100 vs 30/100: pooled p = 0.4, se = sqrt(0.4·0.6·0.02) = 0.06928, z = 2.887 → p = 0.0039
    assert change_p_value(proportion(50, 100), proportion(30, 100)) == pytest.approx(0.0039, abs=1e-4)
    assert change_p_value(proportion(5, 10), proportion(0, 0)) is None


def test_acknowledgement(kpis: KpiTable) -> None:
    # ack days C1–C6: 1 1 0 1 3 1 → sorted 0 1 1 1 1 3; median 1
    # p90 (linear): position (6 − 1)·0.9 = 4.5 → 1 + 0.5·(3 − 1) = 2.0
    assert kpis["complaint_ack_days_p90"].value == pytest.approx(2.0)
    # median CI by ranks 6·0.5 ∓ 1.96·√1.5 = 3 ∓ 2.40 → ranks 1 and ceil(5.4)+1 = 6 → 0 to 3 days
    ack = kpis["complaint_ack_days_median"]
    assert (ack.ci_low, ack.ci_high) == (0.0, 3.0)
    # within the 2-day acknowledgement SLA: all but C5 (3 days) → 5 of 6 = 83.3%
    within = kpis["complaints_acknowledged_within_sla_pct"]
    assert (within.value, within.n) == (pytest.approx(500 / 6), 6)


def test_resolution_p90_and_rate_interval(kpis: KpiTable) -> None:
    # resolved days 1 4 7 15: position 3·0.9 = 2.7 → 7 + 0.7·(15 − 7) = 12.6
    assert kpis["complaint_resolution_days_p90"].value == pytest.approx(12.6)
    # 6 complaints over 20 orders; exact Poisson 95% limits of 6 are 2.2019 and 13.0595
    # (chi-square table: χ²(12; 0.025)/2, χ²(14; 0.975)/2) → ×1000/20 = 110.1 to 653.0
    rate = kpis["complaints_per_1000_orders"]
    assert rate.ci_low == pytest.approx(2.2019 * 50, abs=0.01)
    assert rate.ci_high == pytest.approx(13.0595 * 50, abs=0.01)


def test_repeats_and_silent_dissatisfied(kpis: KpiTable) -> None:
    # the six complaints come from six different customers (K1 K2 K3 K6 K9 K4): no repeat → 0 of 6
    repeat = kpis["repeat_complaint_pct"]
    assert (repeat.value, repeat.n) == (0.0, 6)
    # 6 complainers ÷ 4% who complain = 150 dissatisfied, of whom 150 − 6 = 144 did not complain; but only
    # 10 customers ordered (K1…K10), so at most 10 − 6 = 4 can be dissatisfied without complaining: capped
    silent = kpis["silent_dissatisfied_est"]
    assert silent.value == pytest.approx(4.0)
    assert "estimate" in silent.note and "4%" in silent.note
    assert "capped at 4" in silent.note and "144" in silent.note


def test_returns_value_lateness_and_customers(kpis: KpiTable) -> None:
    # credit values 200 + 100 + 50
    assert kpis["returns_value"].value == pytest.approx(350.0)
    # late: O03 promised 20 Jul, delivered 23 Jul (3 days); O07 5 Aug → 8 Aug (3 days) → mean 3.0
    late = kpis["late_days_mean"]
    assert (late.value, late.n) == (pytest.approx(3.0), 2)
    # Q3: K1…K10 each order twice → 10 active, all 10 ordering more than once → 100%
    assert kpis["active_customers"].value == 10
    assert kpis["repeat_purchase_pct"].value == pytest.approx(100.0)
    # Q2: K1 once (Q01) → 1 active, 0 of 1 more than once
    assert kpis["repeat_purchase_pct"].previous == pytest.approx(0.0)
    # lost business is counted among repeat buyers only: in Q2 (the only earlier quarter the orders cover)
    # K1 ordered once, so nobody bought repeatedly before Q3 and lost business cannot be told
    lost = kpis["lost_customers"]
    assert lost.value is None and "one-off purchases" in lost.note
    assert kpis["revenue_at_risk"].value is None and kpis["key_accounts_lost"].value is None


def test_margin_of_error(kpis: KpiTable) -> None:
    # worst case 100·1.96·√(0.25/10) = 30.99 points; ±5 points needs 1.96²·0.25/0.05² = 384.1 → 385
    moe = kpis["margin_of_error_pct"]
    assert moe.value == pytest.approx(100 * 1.959964 * math.sqrt(0.025), abs=1e-3)
    assert "385 responses needed" in moe.note


def test_csi_and_ipa_from_derived_importance(kpis: KpiTable) -> None:
    # importance derived as Pearson's r with overall (x = overall, mean 3.7):
    #   reliability equals overall answer for answer → r = 1
    #   responsiveness (mean 3.3): Σdxdy = 12.9, Σdx² = 16.1, Σdy² = 12.1 → r = 12.9/√(16.1·12.1) = 0.9242
    # scores on 0–1: reliability (3.7 − 1)/4 = 0.675, responsiveness (3.3 − 1)/4 = 0.575; everyone answered both
    # CSI = 100·(1·0.675 + 0.9242·0.575)/(1 + 0.9242) = 62.70
    r = 12.9 / math.sqrt(16.1 * 12.1)
    csi = kpis["csi"]
    assert csi.value == pytest.approx(100 * (0.675 + r * 0.575) / (1 + r))
    assert "derived" in csi.note
    # IPA split at the means: importance (1 + 0.9242)/2 = 0.962, performance (67.5 + 57.5)/2 = 62.5
    quadrants = {q.dimension: q.quadrant for q in kpis.analyses.ipa}
    assert quadrants == {"reliability": "keep up the good work", "responsiveness": "low priority"}
    assert kpis.analyses.importance_basis == "derived"


def test_comparisons_and_verdicts(kpis: KpiTable) -> None:
    # CSAT 3.70 (n 10, s² = 16.1/9) vs 4.50 (4 and 5: n 2, s² = 0.5): Welch
    #   se² = 1.7889/10 + 0.5/2 = 0.42889; t = −0.8/0.65490 = −1.2216
    #   df = 0.42889²/(0.17889²/9 + 0.25²/1) = 2.785 → two-sided p = 0.315
    from scipy.stats import t as student

    csat = kpis["csat_mean"]
    assert csat.p_value == pytest.approx(2 * student.sf(1.2216, 2.785), abs=2e-3)
    assert csat.verdict == "no significant change"
    # no surveys in 2025-Q3, so no comparison with the same quarter last year
    assert [c.basis for c in csat.comparisons] == ["previous_quarter"]
    # responses 10 vs 2: given 12, 10 or more in one quarter under p = ½: 2·(66 + 12 + 1)/4096 = 0.0386
    responses = kpis["responses"]
    assert responses.p_value == pytest.approx(158 / 4096)
    assert responses.verdict == "significant improvement"
    # NPS of 2026-Q2 is +100 with SE 0 (both promoters): the change is not tested
    assert kpis["nps"].verdict == "not tested"


def test_pareto_and_u_chart(kpis: KpiTable) -> None:
    # categories: Late delivery 2, Product defect 2, Invoice error 1, Packaging damage 1 (ties by name)
    # cumulative 33.3, 66.7, 83.3, 100 → the first three reach 80%: the vital few
    pareto = kpis.analyses.complaint_pareto
    assert [(i.label, i.vital) for i in pareto] == [
        ("Late delivery", True), ("Product defect", True), ("Invoice error", True), ("Packaging damage", False),
    ]  # fmt: skip
    assert pareto[2].cumulative_pct == pytest.approx(500 / 6)
    # complaints per month 2, 2, 2 over orders 7 (O01–O07), 8 (O08–O15), 5 (O16–O20); the complaint
    # log starts in July, so earlier months are not charted; no earlier month → centre from all: 6/20
    chart = kpis.analyses.complaint_chart
    assert chart is not None and chart.kind == "u"
    assert [(p.period, p.events, p.n) for p in chart.points] == [
        ("2026-07", 2, 7),
        ("2026-08", 2, 8),
        ("2026-09", 2, 5),
    ]
    assert chart.centre == pytest.approx(300.0)
    # complaints per order are counts per unit (a u-chart): UCL July = 0.3 + 3·√(0.3/7) = 0.9211, wider
    # than a p-chart's 0.3 + 3·√(0.3·0.7/7) = 0.8196; LCL below 0 → 0
    assert chart.points[0].ucl == pytest.approx(1000 * (0.3 + 3 * math.sqrt(0.3 / 7)))
    assert chart.points[0].lcl == 0.0 and chart.signals == ()


def test_tiers_and_segments(kpis: KpiTable) -> None:
    # revenue Q2–Q3: K1 100+1100+500 = 1700, K2 1400, K3 1600, K4 1800, K5 2000, K6 2200, K7 2400,
    # K8 2600, K9 2800, K10 3000; total 21,500. Ranked, the revenue before K1 is 16,800 (78.1%) → A;
    # before K3 18,500 (86.0%) → B; before K2 20,100 (93.5%) → B
    tiers = {t.tier: (t.customers, t.revenue) for t in kpis.analyses.tiers}
    assert tiers == {"A": (8, 18500.0), "B": (2, 3000.0), "C": (0, 0.0)}
    # respondents K2 and K3 (tier B) both answered 4 → mean 4.00 from 2 responses, marked small
    cells = {(c.by, c.segment, c.kpi_id): c for c in kpis.analyses.segments}
    b = cells[("tier", "B", "csat_mean")]
    assert (b.value, b.n, b.small_n) == (4.0, 2, True)
    assert cells[("tier", "A", "responses")].value == 8
    # complaints by tier: K1 K2 K3 K6 K9 K4 → A: K1 K6 K9 K4 = 4, B: K2 K3 = 2
    assert cells[("tier", "A", "complaints")].value == 4 and cells[("tier", "B", "complaints")].value == 2


def test_results_carry_every_design_kpi(kpis: KpiTable) -> None:
    design = [
        "responses",
        "response_rate_pct",
        "csat_mean",
        "csat_top2_pct",
        "dissatisfied_pct",
        "nps",
        "csi",
        "complaints",
        "complaints_per_1000_orders",
        "complaint_ack_days_median",
        "complaint_resolution_days_median",
        "complaint_resolution_days_p90",
        "complaints_resolved_within_sla_pct",
        "complaints_open_overdue",
        "repeat_complaint_pct",
        "root_cause_recorded_pct",
        "returns",
        "return_rate_pct",
        "returns_ppm",
        "warranty_claims",
        "orders",
        "on_time_pct",
        "in_full_pct",
        "otif_pct",
        "active_customers",
        "lost_customers",
        "key_accounts_lost",
        "repeat_purchase_pct",
        "dimension_reliability_mean",
        "dimension_responsiveness_mean",
        "gap_reliability",
        "gap_responsiveness",
    ]
    results = kpis.to_dict()
    fields = {"value", "unit", "n", "ci_low", "ci_high", "target", "previous", "change", "p_value", "status", "verdict"}
    for kpi_id in design:
        assert fields <= set(results[kpi_id]), kpi_id
    json.dumps(results, allow_nan=False)
    json.dumps(kpis.analyses.to_dict(), allow_nan=False)


def test_a_kind_not_supplied_leaves_its_kpis_absent_with_the_reason(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "  returns:\n    path: returns.csv\n", "")
    table = compute_kpis(load_audit(tiny))
    for kpi_id in ("returns", "return_rate_pct", "returns_ppm", "warranty_claims"):
        kpi = table[kpi_id]
        assert (kpi.value, kpi.status) == (None, "not_available")
        assert "no returns data" in kpi.note
    assert table.analyses.return_reasons == ()
    assert table["otif_pct"].value == pytest.approx(85.0)


def test_benchmark_gap(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "sla:", "benchmarks: {nps: 25, otif_pct: 90}\nsla:")
    table = compute_kpis(load_audit(tiny))
    # NPS +10 against an industry +25 → −15; OTIF 85% against 90% → −5 points
    assert table["nps"].benchmark_gap == pytest.approx(-15.0)
    assert table["otif_pct"].to_dict()["benchmark_gap"] == pytest.approx(-5.0)
    assert "Benchmark" in table._repr_html_()


def test_analyses_show_in_the_notebook_escaped(kpis: KpiTable) -> None:
    html = kpis.analyses._repr_html_()
    assert "2026-07" in html and "vital few" in html and "low priority" in html and "small n" in html
    hostile = replace(kpis.analyses, complaint_pareto=(ParetoItem("<b>x</b>", 1.0, 100.0, 100.0, True),))
    assert "&lt;b&gt;x&lt;/b&gt;" in hostile._repr_html_() and "<b>x" not in hostile._repr_html_()


def _drop_column(path: Path, header: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    where = lines[0].split(",").index(header)
    path.write_text(
        "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != where) for line in lines) + "\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("file", "column", "absent"),
    [
        ("complaints.csv", "acknowledged_on", ["complaint_ack_days_median", "complaints_acknowledged_within_sla_pct"]),
        (
            "complaints.csv",
            "resolved_on",
            ["complaint_resolution_days_median", "complaints_resolved_within_sla_pct", "complaints_open_overdue"],
        ),
        ("complaints.csv", "root_cause", ["root_cause_recorded_pct"]),
        ("complaints.csv", "customer_id", ["repeat_complaint_pct"]),
        (
            "orders.csv",
            "customer_id",
            ["active_customers", "lost_customers", "key_accounts_lost", "repeat_purchase_pct"],
        ),
        ("orders.csv", "promised_on", ["on_time_pct", "in_full_pct", "otif_pct", "late_days_mean"]),
        ("orders.csv", "quantity_delivered", ["in_full_pct"]),
        ("returns.csv", "warranty", ["warranty_claims"]),
        ("returns.csv", "quantity", ["returns_ppm"]),
        ("returns.csv", "value", ["returns_value"]),
    ],
)
def test_a_missing_optional_column_leaves_its_kpis_absent_with_a_reason(
    tiny: Path, file: str, column: str, absent: list[str]
) -> None:
    _drop_column(tiny / file, column)
    table = compute_kpis(load_audit(tiny))
    for kpi_id in absent:
        kpi = table[kpi_id]
        assert kpi.value is None and kpi.status == "not_available", kpi_id
        assert kpi.note and kpi.note != "no data in the period", kpi_id
    # the rest still computes: the KPIs with a value are those of the full tiny audit less the absent ones
    assert table["complaints"].value == 6 and table["orders"].value == 20


def test_no_recommend_column(tiny: Path) -> None:
    _drop_column(tiny / "surveys.csv", "Recommend")
    replace_in(tiny / "audit.yaml", ", recommend: Recommend", "")
    table = compute_kpis(load_audit(tiny))
    assert table["nps"].value is None and "recommend" in table["nps"].note
    assert not [c for c in table.analyses.segments if c.kpi_id == "nps"]


def test_why_importance_ranks_nothing_is_said_in_the_audits_language() -> None:
    from audit.i18n import language
    from audit.kpi.satisfaction import importance_problem

    flat = {"reliability": 0.0, "empathy": 0.0}
    assert importance_problem(flat, "stated").startswith("the stated importance is the same for every dimension")
    with language("zh-CN"):
        assert importance_problem({"reliability": 1.0}, "stated") == "重要度需要两个或以上的调查维度"
        assert importance_problem(flat, "derived").startswith("没有哪个维度的感知与总体满意度的相关性高于其他维度")
        assert importance_problem({"reliability": 0.2, "empathy": 0.5}, "derived") == ""
