"""KPIs of the tiny audit (tests/fixtures/tiny), each worked out by hand in a comment."""

import math
from pathlib import Path

import numpy as np
import pytest

from audit.data.dataset import load_audit
from audit.kpi import compute_kpis
from audit.kpi.stats import change_p_value, mean, nps, proportion
from audit.results import KpiTable
from conftest import TINY


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
