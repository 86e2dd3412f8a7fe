"""Plausibility guards and the statistics behind them, on crafted data worked out by hand.

An estimate never exceeds its population; importance-based analyses need importance that
varies; tiers need values, lost business needs repeat buyers; an export that stops early is
noticed and time-since-event KPIs are judged as of its end; several responses per customer
widen the intervals by their design effect; complaints per order are charted as a u-chart.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from audit.config import Analysis, SurveySource
from audit.data.dataset import load_audit
from audit.kpi import compute_kpis
from audit.kpi.cluster import _dense_ranks, cluster_labels, clustered, design_effect
from audit.kpi.complaints import silent_dissatisfied
from audit.kpi.control import p_chart, u_chart
from audit.kpi.coverage import coverage, ends_early
from audit.kpi.customers import customer_estimates, customer_history
from audit.kpi.satisfaction import survey_estimates
from audit.kpi.stats import change_p_value, mean, proportion
from conftest import replace_in

# --------------------------------------------------------------------------- an estimate within its population


def test_silent_dissatisfied_is_capped_by_the_population_and_says_so() -> None:
    # 70 complainers ÷ 4% = 1,750 dissatisfied, 1,680 of whom silent; only 386 customers: at most 386 − 70 = 316
    capped = silent_dissatisfied(70, 0.04, population=386)
    assert capped.value == 316.0
    assert "capped at 316" in capped.note and "1,680" in capped.note
    # a population large enough leaves the estimate as it is, unlabelled
    free = silent_dissatisfied(70, 0.04, population=5000)
    assert free.value == pytest.approx(1680.0) and "capped" not in free.note
    # on the boundary the estimate equals the room left: not capped (> not ≥)
    edge = silent_dissatisfied(70, 0.04, population=1750)
    assert edge.value == pytest.approx(1680.0) and "capped" not in edge.note


# --------------------------------------------------------------------------- tiers and lost business


def _orders(customers: list[str], periods: list[str], values: list[float] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"order_id": [f"O{i}" for i in range(len(customers))], "customer_id": customers, "_period": periods}
    )
    if values is not None:
        frame["value"] = values
    return frame


def test_no_key_accounts_without_a_value_column() -> None:
    # A and B each order twice before Q3 and not in it: lost, but without values there are no tiers
    periods = ("2026-Q1", "2026-Q2", "2026-Q3")
    table = customer_history(_orders(["A", "A", "B", "B", "C"], ["2026-Q1", "2026-Q2"] * 2 + ["2026-Q3"]), periods)
    assert table is not None and not table.tiered
    q3 = customer_estimates(table, periods, [True] * 3)[0]["2026-Q3"]
    assert q3["lost_customers"].value == 2
    assert q3["key_accounts_lost"].value is None and "value column" in q3["key_accounts_lost"].note
    assert q3["revenue_at_risk"].value is None
    # with values the same customers have tiers, and the larger lost one is a key account
    valued = customer_history(
        _orders(["A", "A", "B", "B", "C"], ["2026-Q1", "2026-Q2"] * 2 + ["2026-Q3"], [500, 500, 10, 10, 5]), periods
    )
    assert valued is not None and valued.tiered
    assert customer_estimates(valued, periods, [True] * 3)[0]["2026-Q3"]["key_accounts_lost"].value == 1


def test_lost_business_only_among_repeat_buyers() -> None:
    periods = ("2026-Q2", "2026-Q3")
    # every customer ordered once in Q2 and none in Q3: one-off buyers, not lost business
    once = customer_history(_orders(["A", "B", "C", "D"], ["2026-Q2"] * 3 + ["2026-Q3"], [1, 1, 1, 1]), periods)
    assert once is not None
    q3 = customer_estimates(once, periods, [True, True])[0]["2026-Q3"]
    assert q3["lost_customers"].value is None and "one-off purchases" in q3["lost_customers"].note
    # A ordered twice in Q2 (a repeat buyer) and stopped: lost; B ordered once and stopped: not counted
    mixed = customer_history(_orders(["A", "A", "B", "C"], ["2026-Q2"] * 3 + ["2026-Q3"], [9, 9, 1, 1]), periods)
    assert mixed is not None
    q3, lost = customer_estimates(mixed, periods, [True, True])
    assert q3["2026-Q3"]["lost_customers"].value == 1
    assert lost["customer_id"].tolist() == ["A"]


def test_the_tiny_audit_without_values_has_no_tiers_or_key_accounts(tiny: Path) -> None:
    orders = tiny / "orders.csv"
    lines = orders.read_text(encoding="utf-8").splitlines()
    orders.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    kpis = compute_kpis(load_audit(tiny))
    assert kpis.analyses.tiers == () and "value column" in kpis.analyses.notes["tiers"]
    assert kpis["key_accounts_lost"].value is None


# --------------------------------------------------------------------------- importance that varies: see test_kpi_units

# --------------------------------------------------------------------------- coverage of the period


def test_an_export_that_stops_early_is_noticed_at_the_periods_own_rate() -> None:
    start, end = dt.date(2026, 10, 1), dt.date(2026, 12, 31)
    # 590 records to 28 Nov (59 days: 10 a day); a 33-day gap would happen with chance e^(−330): early
    assert ends_early(590, start, dt.date(2026, 11, 28), end, 7)
    # 3 records in 59 days (0.05 a day): a 33-day gap has chance e^(−1.68) = 0.19: could be chance
    assert not ends_early(3, start, dt.date(2026, 11, 28), end, 7)
    # a gap shorter than the minimum never counts, however busy the export
    assert not ends_early(5000, start, dt.date(2026, 12, 25), end, 7)
    assert ends_early(5000, start, dt.date(2026, 12, 24), end, 7)
    # exactly on the 1% line: rate ln(100)/g per day → not early (< 0.01 needed)
    gap = 10
    days = (dt.date(2026, 12, 21) - start).days + 1
    rows = math.log(100) / gap * days
    assert not ends_early(math.floor(rows), start, dt.date(2026, 12, 21), end, 7)
    assert ends_early(math.ceil(rows), start, dt.date(2026, 12, 21), end, 7)


def _unfinished_quarter(tiny: Path) -> None:
    """The tiny audit as if run on 5 Sep 2026 from exports taken on 30 Aug: nothing of September in them."""
    replace_in(tiny / "audit.yaml", "date: 2026-10-10", "date: 2026-09-05")
    september = {"complaints.csv": ("C5", "C6"), "surveys.csv": ("S08", "S09", "S10"), "returns.csv": ("R3",)}
    september["orders.csv"] = tuple(f"O{i}" for i in range(16, 21))
    for name, gone in september.items():
        path = tiny / name
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(x for x in lines if x.split(",")[0] not in gone) + "\n", encoding="utf-8")
    # O14 and O15 are promised for 2 and 6 Sep and not delivered when the export was taken
    replace_in(tiny / "orders.csv", "2026-09-02,2026-09-01", "2026-09-02,")
    replace_in(tiny / "orders.csv", "2026-09-06,2026-09-05", "2026-09-06,")


def test_an_unfinished_quarter_is_judged_as_of_the_datas_end(tiny: Path) -> None:
    # C4 (received 15 Aug, acknowledged 16 Aug) left open; the complaint log's last event is then 16 Aug
    replace_in(tiny / "complaints.csv", "C4,K6,2026-08-15,2026-08-16,2026-08-16,", "C4,K6,2026-08-15,2026-08-16,,")
    _unfinished_quarter(tiny)
    data = load_audit(tiny)
    reach = coverage(data)
    assert reach.unfinished and not reach.complete
    complaints = next(k for k in reach.kinds if k.kind == "complaints")
    assert (complaints.last, complaints.as_of) == (dt.date(2026, 8, 16), dt.date(2026, 8, 16))
    kpis = compute_kpis(data)
    assert kpis.coverage == reach
    # C4 is open 1 day at 16 Aug, within the 10-day SLA: not past it (at 30 Sep it would be 46 days)
    assert kpis["complaints_open_overdue"].value == 0
    # the orders' last event is O15 placed on 30 Aug: O14 and O15 (promised 2 and 6 Sep) were not yet due
    # then, so on time is judged over O01–O13 (O03, O07 late: 11 of 13), not 11 of 15
    assert reach.as_of("orders") == dt.date(2026, 8, 30)
    on_time = kpis["on_time_pct"]
    assert (on_time.n, on_time.value) == (13, pytest.approx(100 * 11 / 13))
    # the drill-down shows the same orders judged as the KPI counted
    assert int(on_time.records["due"].sum()) == 13


def test_a_finished_quarter_with_complete_exports_is_judged_at_its_end(tiny: Path) -> None:
    reach = coverage(load_audit(tiny))
    assert reach.complete and reach.as_of("complaints") == dt.date(2026, 9, 30)


# --------------------------------------------------------------------------- several responses per customer


def test_design_effect_worked_by_hand() -> None:
    # y = 5, 5, 1, 3 from customers A, A, B, C; ȳ = 3.5; residuals 1.5, 1.5, −2.5, −0.5
    # independent: Σe² / ((n − 1)·n) = 11 / 12 = 0.916667
    # clustered: sums per customer A 3, B −2.5, C −0.5 → Σ = 15.5; C/(C − 1)·15.5/n² = 1.5·15.5/16 = 1.453125
    # deff = 1.453125 / 0.916667 = 1.585227
    deff, clusters = design_effect(np.array([5.0, 5.0, 1.0, 3.0]), np.array(["A", "A", "B", "C"]))
    assert (deff, clusters) == (pytest.approx(1.585227, abs=1e-6), 3)
    # one response per customer: exactly the independent variance → 1; a missing id is a customer of its own
    assert design_effect(np.array([5.0, 5.0, 1.0, 3.0]), np.array(["A", "B", None, "D"])) == (1.0, 4)
    # a proportion 1, 1, 0, 0 from A, A, B, B: independent 1/12; clustered 2·(1² + 1²)/16 = 0.25 → deff 3
    assert design_effect(np.array([1.0, 1.0, 0.0, 0.0]), np.array(["A", "A", "B", "B"]))[0] == pytest.approx(3.0)


def test_design_effect_codes_clusters_as_np_unique_would() -> None:
    # the clusters are ranked by counting, not sorting: the same ranks as np.unique's inverse,
    # missing ids (negative codes) and gaps included
    codes = cluster_labels(np.array(["B", None, "A", "B", "", "C", None, "A"], dtype=object))
    assert codes.tolist() == [0, -2, 1, 0, -5, 2, -7, 1]
    groups, count = _dense_ranks(codes)
    assert groups.tolist() == np.unique(codes, return_inverse=True)[1].tolist() == [3, 2, 4, 3, 1, 5, 0, 4]
    assert count == 6
    # the labels coded once give the estimate what the ids gave: A, A, B, C as worked above
    est = clustered(
        mean(np.array([5.0, 5.0, 1.0, 3.0])), np.array([5.0, 5.0, 1.0, 3.0]), cluster_labels(["A", "A", "B", "C"])
    )
    assert (est.deff, est.clusters) == (pytest.approx(1.585227, abs=1e-6), 3)
    assert clustered(est, np.array([5.0]), None) is est


def test_survey_intervals_widen_when_customers_answer_several_times() -> None:
    source = SurveySource(path="s.csv")
    frame = pd.DataFrame({"response_id": ["R1", "R2", "R3", "R4"], "overall": [5.0, 5.0, 1.0, 3.0]})
    alone = survey_estimates(frame, source, Analysis(), sent=None)
    frame["customer_id"] = ["A", "A", "B", "C"]
    together = survey_estimates(frame, source, Analysis(), sent=None)
    from scipy.special import stdtrit

    # the mean: independent se = s/√n = √(11/3)/2 = 0.9574; clustered se = √1.453125 = 1.2055 (deff 1.5852),
    # interval ± t(0.975; C − 1 = 2) = 4.3027 × 1.2055
    csat = together["csat_mean"]
    assert alone["csat_mean"].se == pytest.approx(math.sqrt(11 / 3) / 2)
    assert csat.se == pytest.approx(math.sqrt(1.453125)) and csat.deff == pytest.approx(1.585227, abs=1e-6)
    assert csat.ci_low == pytest.approx(3.5 - float(stdtrit(2, 0.975)) * math.sqrt(1.453125))
    assert csat.clusters == 3
    # top-2 box (4 or 5): 1, 1, 0, 0; independent Σe²/((n − 1)n) = 1/12; clustered sums A 1, B −0.5, C −0.5:
    # 1.5·1.5/16 = 0.140625 → deff 1.6875; the Wilson interval is that of 1.185 in 2.370 (n / deff)
    top = together["csat_top2_pct"]
    assert top.deff == pytest.approx(1.6875)
    assert top.ci_low == pytest.approx(100 * float(_wilson(2 / 1.6875, 4 / 1.6875)[0]))
    assert top.ci_high - top.ci_low > alone["csat_top2_pct"].ci_high - alone["csat_top2_pct"].ci_low


def _wilson(k: float, n: float) -> tuple[float, float]:
    from audit.kpi.stats import wilson

    low, high = wilson(k, n)
    return float(low), float(high)


def test_a_change_is_tested_on_the_effective_sample_size() -> None:
    # 60 of 100 against 40 of 100, independent: pooled se = √(0.25·0.02) = 0.0707, z = 2.83 → p = 0.0047
    now, before = proportion(60, 100), proportion(40, 100)
    assert change_p_value(now, before) == pytest.approx(math.erfc(2.8284271 / math.sqrt(2)), rel=1e-6)
    # with deff 2 on both sides: 30 of 50 against 20 of 50: se = √(0.25·0.04) = 0.1, z = 2 → p = 0.0455
    from dataclasses import replace

    clustered = change_p_value(replace(now, deff=2.0), replace(before, deff=2.0))
    assert clustered == pytest.approx(math.erfc(2 / math.sqrt(2)), rel=1e-6)


# --------------------------------------------------------------------------- the u-chart of complaints per order


def test_u_chart_limits_for_complaints_per_order() -> None:
    # 100 orders a month, Jan–Sep; 5 complaints a month, 20 in August; then 120 in September
    months = pd.date_range("2026-01-01", periods=9, freq="MS")
    orders = pd.Series(np.repeat(months.to_numpy(), 100))
    per_month = [5, 5, 5, 5, 5, 5, 5, 20, 120]
    complaints = pd.Series(np.repeat(months.to_numpy(), per_month))
    chart = u_chart(complaints, orders, pd.Timestamp("2026-07-01"))
    assert chart is not None and chart.kind == "u"
    # ū from Jan–Jun: 30/600 = 0.05 per order; UCL = 0.05 + 3·√(0.05/100) = 0.11708 (a p-chart: 0.11538)
    assert chart.centre == pytest.approx(50.0)
    assert chart.points[0].ucl == pytest.approx(1000 * (0.05 + 3 * math.sqrt(0.05 / 100)))
    assert chart.points[0].lcl == 0.0  # 0.05 − 0.067 < 0: floored
    # September has more complaints than orders (1.2 per order): a count, charted without trouble
    assert [(p.period, p.signal) for p in chart.signals] == [("2026-08", "above"), ("2026-09", "above")]
    assert chart.points[-1].value == pytest.approx(1200.0)
    p = p_chart(complaints, orders, pd.Timestamp("2026-07-01"))
    assert p is not None and p.kind == "p" and p.points[0].ucl < chart.points[0].ucl
