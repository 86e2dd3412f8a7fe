"""KPI functions on small frames built here, each value worked out by hand; edge cases included."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from audit.config import Analysis, Sla, SurveySource
from audit.data.lines import aggregate_lines
from audit.kpi.complaints import closed_by, complaint_estimates, repeat_flags
from audit.kpi.control import p_chart, pareto
from audit.kpi.customers import abc_tiers, customer_estimates, customer_history
from audit.kpi.delivery import order_estimates
from audit.kpi.returns import delivered_units, return_estimates, returns_by_product
from audit.kpi.satisfaction import importance, ipa, margin_of_error, survey_estimates
from audit.kpi.segments import segment_cells
from audit.kpi.stats import (
    binomial_two_sided,
    change_p_value,
    compound_rate,
    count,
    mean,
    median,
    proportion,
    quantile,
    rate,
    verdict,
)
from audit.kpi.trend import compare

END = pd.Timestamp("2026-09-30")
SLA = Sla(complaint_acknowledge_days=2, complaint_resolve_days=10)
ANALYSIS = Analysis()


def _source(**extra: object) -> SurveySource:
    return SurveySource(path="s.csv", **extra)  # type: ignore[arg-type]


def _surveys(overall: list[float], recommend: list[float] | None = None, **columns: list[float]) -> pd.DataFrame:
    frame = pd.DataFrame({"response_id": [f"S{i}" for i in range(len(overall))], "overall": overall}, dtype=object)
    frame["overall"] = frame["overall"].astype("float64")
    if recommend is not None:
        frame["recommend"] = pd.Series(recommend, dtype="float64")
    for name, values in columns.items():
        frame[name] = pd.Series(values, dtype="float64")
    return frame


def _dates(*days: str | None) -> pd.Series:
    return pd.to_datetime(pd.Series(days, dtype=object))


# --- surveys --------------------------------------------------------------------------------


def test_no_responses() -> None:
    out = survey_estimates(_surveys([], []), _source(), ANALYSIS, sent=40)
    assert out["responses"].value == 0
    # 0 of 40 questionnaires answered: a rate of 0%, not "unknown"
    assert out["response_rate_pct"].value == 0.0
    for kpi_id in ("csat_mean", "csat_top2_pct", "dissatisfied_pct", "nps"):
        assert out[kpi_id].value is None and out[kpi_id].n == 0
    assert out["margin_of_error_pct"].value is None and "no responses" in out["margin_of_error_pct"].note


def test_all_promoters() -> None:
    # 9, 10, 10: 100% promoters, 0% detractors → +100; the +1/0/−1 coding has no spread → SE 0
    out = survey_estimates(_surveys([5, 5, 4], [9, 10, 10]), _source(), ANALYSIS, sent=None)
    score = out["nps"]
    assert (score.value, score.se, score.ci_low, score.ci_high) == (100.0, 0.0, 100.0, 100.0)
    # top-2-box on 1–5 (4 and 5): 3 of 3 → 100%; Wilson upper bound stays at 100, lower = 3/(3 + 1.96²) = 43.85%
    top = out["csat_top2_pct"]
    assert top.value == 100.0 and top.ci_high == 100.0
    assert top.ci_low == pytest.approx(100 * 3 / (3 + 1.959964**2), abs=1e-3)


def test_one_response() -> None:
    # n = 1: a mean but no interval and no test
    out = survey_estimates(_surveys([4], [8]), _source(), ANALYSIS, sent=None)
    csat = out["csat_mean"]
    assert (csat.value, csat.n, csat.ci_low, csat.ci_high) == (4.0, 1, None, None)
    # recommend 8 is passive → NPS 0
    assert out["nps"].value == 0.0
    assert change_p_value(csat, mean(np.array([3.0, 4.0]))) is None


def test_missing_recommend_column_is_absent_with_a_reason() -> None:
    out = survey_estimates(_surveys([4, 5]), _source(), ANALYSIS, sent=None)
    assert out["nps"].value is None
    assert "recommend" in out["nps"].note
    assert "questionnaires sent" in out["response_rate_pct"].note
    assert "no survey dimensions" in out["csi"].note


def test_nps_needs_a_zero_to_ten_scale() -> None:
    source = _source(recommend_scale={"min": 1, "max": 10})
    out = survey_estimates(_surveys([4, 5], [9, 10]), source, ANALYSIS, sent=None)
    assert out["nps"].value is None and "0–10" in out["nps"].note


def test_top_and_bottom_boxes_follow_the_declared_scale() -> None:
    # on 1–7 the top two boxes are 6 and 7, the bottom two 1 and 2: 6 7 5 2 1 → 2 of 5 each = 40%
    source = _source(scales={"overall": {"min": 1, "max": 7}})
    out = survey_estimates(_surveys([6, 7, 5, 2, 1]), source, ANALYSIS, sent=None)
    assert out["csat_top2_pct"].value == pytest.approx(40.0)
    assert out["dissatisfied_pct"].value == pytest.approx(40.0)


def test_csi_from_stated_importance_and_blank_answers() -> None:
    # quality (1–5) and delivery (1–5); importance stated, means 4 (quality) and 2 (delivery) → weights 4 and 2
    # respondent 1: quality 5 → 1.0, delivery 3 → 0.5 → 100·(4·1 + 2·0.5)/6 = 83.33
    # respondent 2: quality 1 → 0.0, delivery blank (not applicable) → only quality counts → 0
    # respondent 3: quality 3 → 0.5, delivery 5 → 1.0 → 100·(4·0.5 + 2·1)/6 = 66.67
    # mean (83.33 + 0 + 66.67)/3 = 50.0
    source = _source(dimensions={"quality": "Q", "delivery": "D"}, importance={"quality": "QI", "delivery": "DI"})
    frame = _surveys(
        [4, 2, 4], dim_quality=[5, 1, 3], dim_delivery=[3, np.nan, 5], imp_quality=[4, 5, 3], imp_delivery=[2, 1, 3]
    )
    weights, basis = importance(frame, source)
    assert (weights, basis) == ({"quality": 4.0, "delivery": 2.0}, "stated")
    csi = survey_estimates(frame, source, ANALYSIS, sent=None)["csi"]
    assert csi.value == pytest.approx(50.0)
    assert "stated" in csi.note
    # IPA: importance cut (4 + 2)/2 = 3, performance: quality (3 − 1)/4 = 50, delivery (4 − 1)/4 = 75, cut 62.5
    quadrants = {q.dimension: q.quadrant for q in ipa(frame, source)[0]}
    assert quadrants == {"quality": "concentrate here", "delivery": "possible overkill"}


def test_no_csi_or_ipa_when_nothing_correlates() -> None:
    # quality falls as overall rises (r = −1) and delivery is flat (r undefined) → both 0: importance ranks
    # nothing, so an importance-weighted index would be a plain mean in disguise → not available
    source = _source(dimensions={"quality": "Q", "delivery": "D"})
    frame = _surveys([1, 3, 5], dim_quality=[5, 3, 1], dim_delivery=[3, 3, 3])
    csi = survey_estimates(frame, source, ANALYSIS, sent=None)["csi"]
    assert csi.value is None and "ranks none" in csi.note
    assert ipa(frame, source) == ((), "derived")


def test_no_csi_or_ipa_when_stated_importance_is_empty() -> None:
    # importance columns mapped but empty: every importance reads 0.00 → nothing to rank by
    source = _source(dimensions={"quality": "Q", "delivery": "D"}, importance={"quality": "QI", "delivery": "DI"})
    frame = _surveys([1, 3, 5], dim_quality=[1, 3, 5], dim_delivery=[2, 3, 4])
    frame["imp_quality"] = np.nan
    frame["imp_delivery"] = np.nan
    csi = survey_estimates(frame, source, ANALYSIS, sent=None)["csi"]
    assert csi.value is None and "importance columns are empty or constant" in csi.note
    assert ipa(frame, source)[0] == ()
    # importance that varies (4 against 2) gives the index and the quadrants
    frame["imp_quality"], frame["imp_delivery"] = 4.0, 2.0
    assert survey_estimates(frame, source, ANALYSIS, sent=None)["csi"].value is not None
    assert len(ipa(frame, source)[0]) == 2


def test_paired_gap_interval() -> None:
    # differences P − E: −1, 0, −2, −1 → mean −1, s² = (0 + 1 + 1 + 0)/3 = 2/3, t(0.975, 3) = 3.1824
    source = _source(dimensions={"quality": "Q"}, expectations={"quality": "QE"})
    frame = _surveys([4, 4, 3, 4], dim_quality=[3, 4, 2, 4], exp_quality=[4, 4, 4, 5])
    gap = survey_estimates(frame, source, ANALYSIS, sent=None)["gap_quality"]
    assert gap.value == pytest.approx(-1.0)
    assert gap.ci_high == pytest.approx(-1 + 3.1824 * math.sqrt(2 / 3) / 2, abs=1e-3)


def test_margin_of_error_with_finite_population() -> None:
    # n = 100 of N = 500: 100·1.96·√(0.25/100)·√(400/499) = 9.80·0.89533 = 8.774
    moe = margin_of_error(100, 500)
    assert moe.value == pytest.approx(9.79982 * math.sqrt(400 / 499), abs=1e-3)
    # needed: n0 = 384.15, n = n0/(1 + (n0 − 1)/500) = 217.5 → 218
    assert "218 responses needed" in moe.note and "500" in moe.note
    # a census answers with no sampling error; 400 of an unknown base supports ±5 (1.96·√(0.25/400) = 4.9)
    assert margin_of_error(500, 500).value == 0.0
    assert margin_of_error(400, None).note.startswith("supports ±5 points")


# --- complaints -----------------------------------------------------------------------------


def _complaints() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "complaint_id": ["A", "B", "C", "D", "E"],
            "customer_id": ["K1", "K1", "K1", "K2", None],
            "category": ["Late", "Late", "Late", "Late", "Late"],
            "received_on": _dates("2026-05-01", "2026-07-15", "2026-09-20", "2026-07-01", "2026-07-02"),
            "resolved_on": _dates("2026-05-05", "2026-07-20", None, "2026-07-30", "2026-07-03"),
            "status": ["closed", "closed", " Open ", "", None],
        }
    )


def test_status_decides_closed_and_dates_the_rest() -> None:
    frame = pd.DataFrame(
        {
            "status": ["closed", "open", "", None, "closed", "Closed "],
            "resolved_on": _dates(None, "2026-07-01", "2026-07-02", None, "2026-10-02", "2026-08-01"),
        }
    )
    closed, resolved = closed_by(frame, END)
    # closed without a date → closed; "open" wins over a date; blank/absent status → the date decides;
    # resolved after the period's end → open at the end; status compared without case or spaces
    assert closed.tolist() == [True, False, True, False, False, True]
    assert resolved.notna().tolist() == [False, False, True, False, False, True]


def test_repeat_complaints_within_the_window() -> None:
    # K1 Late: A 1 May, B 15 Jul (75 days after A → repeat), C 20 Sep (67 days after B → repeat)
    # K2: one complaint; E: no customer → not judged
    flags = repeat_flags(_complaints(), 90)
    assert flags.tolist() == [False, True, True, False, pd.NA]
    # with a 60-day window neither gap counts
    assert repeat_flags(_complaints(), 60).iloc[:4].tolist() == [False, False, False, False]


def test_complaint_estimates_for_a_period() -> None:
    history = _complaints()
    frame = history.iloc[1:]  # received in Q3: B, C, D, E
    out = complaint_estimates(frame, history, SLA, ANALYSIS, END, orders=200, repeats=repeat_flags(history, 90))
    # B and C are repeats of earlier K1 complaints; E has no customer → 2 of 3 = 66.7%
    repeat = out["repeat_complaint_pct"]
    assert (repeat.value, repeat.n) == (pytest.approx(200 / 3), 3)
    # resolved: B 5 days, D 29 days, E 1 day; C open 10 days at 30 Sep (not past the 10-day SLA yet)
    # within SLA: B, E of judged B, D, E → 2 of 3
    assert out["complaints_resolved_within_sla_pct"].value == pytest.approx(200 / 3)
    assert out["complaint_resolution_days_median"].value == 5.0
    # 4 complaints per 200 orders → 20 per 1000
    assert out["complaints_per_1000_orders"].value == pytest.approx(20.0)
    # distinct complainers K1, K2 (E has none) → 2/0.04 − 2 = 48
    assert out["silent_dissatisfied_est"].value == pytest.approx(48.0)
    # no acknowledged_on or root_cause column: absent with the reason, never 0
    for kpi_id in ("complaint_ack_days_median", "complaint_ack_days_p90", "root_cause_recorded_pct"):
        assert out[kpi_id].value is None and "no" in out[kpi_id].note


def test_complaints_without_optional_columns() -> None:
    frame = _complaints()[["complaint_id", "category", "received_on"]]
    out = complaint_estimates(frame, frame, SLA, ANALYSIS, END, orders=None)
    assert out["complaints"].value == 5
    for kpi_id in ("complaints_per_1000_orders", "complaint_resolution_days_median", "complaints_open_overdue",
                   "repeat_complaint_pct", "root_cause_recorded_pct"):  # fmt: skip
        assert out[kpi_id].value is None and out[kpi_id].note, kpi_id
    # the estimate falls back on complaints when customers are unknown: 5/0.04 − 5 = 120
    assert out["silent_dissatisfied_est"].value == pytest.approx(120.0)
    assert "no customer_id" in out["silent_dissatisfied_est"].note


# --- returns and delivery ---------------------------------------------------------------------


def _orders() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order_id": ["O1", "O2", "O3", "O4"],
            "customer_id": ["K1", "K2", "K1", "K3"],
            "ordered_on": _dates("2026-07-01", "2026-07-02", "2026-09-01", "2026-09-20"),
            "promised_on": _dates("2026-07-10", "2026-07-12", "2026-09-10", "2026-10-20"),
            "delivered_on": _dates("2026-07-10", "2026-07-15", None, None),
            "quantity_ordered": [10.0, 5.0, 4.0, 2.0],
            "quantity_delivered": [10.0, 4.0, np.nan, np.nan],
            "value": [100.0, 50.0, 40.0, 20.0],
            "product": ["P", "Q", "P", "P"],
        }
    )


def test_delivery_on_time_in_full() -> None:
    # due: O1, O2 (delivered), O3 (promised 10 Sep, undelivered → late); O4 promised in October → not due
    # on time: O1 → 1 of 3; in full: O1 (O2 short 4 of 5, O3 undelivered) → 1 of 3; OTIF: O1 → 1 of 3
    out = order_estimates(_orders(), END)
    assert out["on_time_pct"].value == pytest.approx(100 / 3) and out["on_time_pct"].n == 3
    assert out["in_full_pct"].value == pytest.approx(100 / 3)
    assert out["otif_pct"].value == pytest.approx(100 / 3)
    # late deliveries: O2 3 days → mean 3 (an undelivered order has no lateness yet)
    assert out["late_days_mean"].value == 3.0


def test_otif_is_on_time_only_without_quantities() -> None:
    out = order_estimates(_orders().drop(columns=["quantity_ordered", "quantity_delivered"]), END)
    assert out["otif_pct"].value == out["on_time_pct"].value
    assert "on time only" in out["otif_pct"].note
    assert out["in_full_pct"].value is None and "quantity" in out["in_full_pct"].note
    out = order_estimates(_orders().drop(columns=["promised_on"]), END)
    assert out["on_time_pct"].value is None and "promised_on" in out["on_time_pct"].note


def test_order_lines_become_orders() -> None:
    # O1 has two lines, the second short (3 of 4): not in full, although its totals (15 delivered of 14) look full
    lines = pd.DataFrame(
        {
            "order_id": ["O1", "O1", "O2"],
            "ordered_on": _dates("2026-07-01", "2026-07-01", "2026-07-02"),
            "promised_on": _dates("2026-07-10", "2026-07-12", "2026-07-12"),
            "delivered_on": _dates("2026-07-09", "2026-07-11", "2026-07-12"),
            "quantity_ordered": [10.0, 4.0, 1.0],
            "quantity_delivered": [12.0, 3.0, 1.0],
            "_row": [2, 3, 4],
        }
    )
    orders, problems = aggregate_lines("orders", lines, [])
    assert problems == []
    assert orders["order_id"].tolist() == ["O1", "O2"]
    # O1: promised the later line's 12 Jul, delivered the last line's 11 Jul → on time, not in full
    out = order_estimates(orders, END)
    assert out["on_time_pct"].value == 100.0
    assert out["in_full_pct"].value == 50.0


def test_returns() -> None:
    returns = pd.DataFrame(
        {
            "return_id": ["R1", "R1", "R2"],  # R1 has two lines
            "returned_on": _dates("2026-07-20", "2026-07-20", "2026-08-01"),
            "product": ["P", "P", "Q"],
            "quantity": [1.0, 2.0, 1.0],
            "value": [10.0, 20.0, 5.0],
        }
    )
    orders = _orders()
    # delivered 1 Jul–30 Sep: O1 10 + O2 4 = 14 units
    units = delivered_units(orders, pd.Timestamp("2026-07-01"), END)
    assert units == 14.0
    out = return_estimates(returns, orders, units)
    # 2 returns (R1 counted once) per 4 orders → 50%
    assert (out["returns"].value, out["return_rate_pct"].value) == (2, 50.0)
    # 4 units of 14 → 285,714 ppm; SE 10⁶·√(1 + 4 + 1)/14 (each line's units squared)
    ppm = out["returns_ppm"]
    assert ppm.value == pytest.approx(4 / 14 * 1e6)
    assert ppm.se == pytest.approx(1e6 * math.sqrt(6) / 14)
    assert out["returns_value"].value == 35.0
    assert out["warranty_claims"].value is None and "warranty" in out["warranty_claims"].note
    # P: 1 return (3 units, 30) of 3 orders → 33.3 per 100; Q: 1 of 1 → 100
    by_product = {
        r.product: (r.returns, r.units, r.value, r.orders, r.rate_pct) for r in returns_by_product(returns, orders)
    }
    assert by_product == {"P": (1, 3.0, 30.0, 3, pytest.approx(100 / 3)), "Q": (1, 1.0, 5.0, 1, 100.0)}
    # no orders at all: the rates are absent with the reason
    alone = return_estimates(returns, None, None)
    assert alone["return_rate_pct"].value is None and "order" in alone["return_rate_pct"].note


# --- customers ------------------------------------------------------------------------------


def test_abc_tiers() -> None:
    # revenue 50, 30, 15, 5 (total 100): before each 0, 50, 80, 95 → A, A, B, C
    assert abc_tiers(np.array([30.0, 50.0, 5.0, 15.0])).tolist() == ["A", "A", "C", "B"]
    # ties keep the id order: 50, 50 → before 0 and 50 → both A; then 0 → revenue 0 is C (before 100%)
    assert abc_tiers(np.array([50.0, 50.0, 0.0])).tolist() == ["A", "A", "C"]


def test_lost_customers_and_key_accounts() -> None:
    periods = ("2026-Q1", "2026-Q2", "2026-Q3")
    orders = pd.DataFrame(
        {
            "order_id": [f"O{i}" for i in range(7)],
            "customer_id": ["BIG", "BIG", "MID", "SMALL", "SMALL", "NEW", "MID"],
            "value": [600.0, 200.0, 150.0, 50.0, 10.0, 70.0, 30.0],
            "_period": ["2026-Q1", "2026-Q2", "2026-Q2", "2026-Q1", "2026-Q3", "2026-Q3", "2026-Q3"],
        }
    )
    table = customer_history(orders, periods)
    assert table is not None
    by_period, lost = customer_estimates(table, periods, [True, True, True])
    q3 = by_period["2026-Q3"]
    # before Q3 (Q1, Q2): BIG 800, MID 150, SMALL 50 (total 1000) → before BIG 0 → A; MID 80% → B; SMALL 95% → C
    # in Q3: SMALL, NEW, MID order; BIG does not → 1 lost, a key account, revenue at risk 800
    assert (q3["lost_customers"].value, q3["key_accounts_lost"].value, q3["revenue_at_risk"].value) == (1, 1, 800.0)
    assert lost.to_dict("records") == [{"customer_id": "BIG", "revenue": 800.0, "tier": "A"}]
    assert "2 earlier quarter" in q3["lost_customers"].note
    # active 3, none ordering twice → 0%
    assert (q3["active_customers"].value, q3["repeat_purchase_pct"].value) == (3, 0.0)
    # the first quarter has nothing before it: lost customers are unknown, not 0
    assert by_period["2026-Q1"]["lost_customers"].value is None


# --- control chart, Pareto, segments ----------------------------------------------------------


def test_p_chart_flags_a_spike_against_the_earlier_months() -> None:
    # 100 orders a month, Jan–Sep; 5 complaints a month, 20 in August
    months = pd.date_range("2026-01-01", periods=9, freq="MS")
    orders = pd.Series(np.repeat(months.to_numpy(), 100))
    per_month = [5, 5, 5, 5, 5, 5, 5, 20, 5]
    complaints = pd.Series(np.repeat(months.to_numpy(), per_month))
    chart = p_chart(complaints, orders, pd.Timestamp("2026-07-01"))
    assert chart is not None
    # centre from Jan–Jun: 30/600 = 0.05; UCL = 0.05 + 3·√(0.05·0.95/100) = 0.1154; August 0.20 above
    assert chart.centre == pytest.approx(50.0)
    assert chart.points[0].ucl == pytest.approx(1000 * (0.05 + 3 * math.sqrt(0.0475 / 100)))
    assert [(p.period, p.signal) for p in chart.signals] == [("2026-08", "above")]
    weekly = p_chart(complaints, orders, pd.Timestamp("2026-07-01"), freq="W")
    assert weekly is not None and weekly.points[0].period == "2026-W01"
    assert p_chart(complaints.iloc[0:0], orders, pd.Timestamp("2026-07-01")) is None


def test_pareto_vital_few() -> None:
    # 50, 25, 15, 10 → cumulative 50, 75, 90, 100: the third takes it past 80% → three vital
    items = pareto(pd.Series({"d": 10, "a": 50, "c": 15, "b": 25, "zero": 0}))
    assert [(i.label, i.cumulative_pct, i.vital) for i in items] == [
        ("a", 50.0, True), ("b", 75.0, True), ("c", 90.0, True), ("d", 100.0, False),
    ]  # fmt: skip
    assert pareto(pd.Series(dtype=float)) == ()


def test_segments_mark_small_cells() -> None:
    surveys = _surveys([5, 4, 1, 2], [10, 9, 0, 5])
    surveys["region"] = ["North", "North", "South", None]
    cells = {(c.segment, c.kpi_id): c for c in segment_cells(surveys, _source(), None, None, None, SLA, END, small_n=2)}
    # North: 5 and 4 → mean 4.5, top-2 100%, NPS +100 (2 promoters); n 2 is not below small_n 2
    assert cells[("North", "csat_mean")].value == 4.5 and not cells[("North", "csat_mean")].small_n
    assert cells[("North", "nps")].value == 100.0
    # South: 1 → one response, marked; the blank region is its own segment, not dropped
    assert cells[("South", "csat_mean")].small_n and cells[("South", "csat_mean")].ci_low is None
    assert cells[("(not recorded)", "dissatisfied_pct")].value == 100.0


# --- statistics -----------------------------------------------------------------------------


def test_quantile_interval_and_test() -> None:
    # 1…20: median 10.5; ranks 20·0.5 ∓ 1.96·√5 = 10 ∓ 4.38 → 5 and ceil(14.38)+1 = 16
    est = median(np.arange(1.0, 21.0))
    assert (est.value, est.ci_low, est.ci_high) == (10.5, 5.0, 16.0)
    # Mood's median test: 1…20 against 11…30; pooled median 15.5 → above: 5 of 20 vs 15 of 20
    # pooled 0.5, se = √(0.25·0.1) = 0.1581, z = 0.5/0.1581 = 3.162 → p = 0.00157
    assert change_p_value(est, median(np.arange(11.0, 31.0))) == pytest.approx(0.001565, abs=1e-5)
    assert quantile(np.array([np.nan]), 0.9).value is None


def test_counts_and_rates() -> None:
    # 0 events in 1000: exact upper limit −ln(0.025) = 3.689 → 3.689 per 1000
    zero = rate(0, 1000, 1000)
    assert (zero.value, zero.ci_low) == (0.0, 0.0) and zero.ci_high == pytest.approx(3.6889, abs=1e-3)
    # 30 vs 10 events on equal exposure: P(X ≥ 30 | 40, ½) doubled = 0.0022
    from scipy.stats import binom

    assert change_p_value(count(30), count(10)) == pytest.approx(2 * binom.sf(29, 40, 0.5))
    # rates use the exposure share: 30 in 2000 vs 10 in 1000 → share 2/3; same rate → p = 1 (within rounding)
    assert change_p_value(rate(20, 2000, 1000), rate(10, 1000, 1000)) == pytest.approx(1.0)
    # returned units in returns of 1, 2 and 1 units over 100 delivered: 4 per 100, SE √6 per 100
    est = compound_rate(np.array([1.0, 2.0, 1.0]), 100, 100)
    assert (est.value, est.se) == (4.0, pytest.approx(math.sqrt(6)))


@pytest.mark.parametrize("p", [0.5, 0.05, 1 / 3, 0.9])
@pytest.mark.parametrize("n", [1, 2, 7, 40, 333, 5000])
def test_the_binomial_test_is_scipys_without_importing_scipy_stats(n: int, p: float) -> None:
    from scipy.stats import binomtest

    # every k of small n; at large n the tails, the mode and around it (both sides of the mode searched)
    around = range(max(0, int(n * p) - 60), min(n, int(n * p) + 60), 7)
    ks = range(n + 1) if n <= 40 else sorted({0, 1, n - 1, n, *around})
    for k in ks:
        assert binomial_two_sided(k, n, p) == pytest.approx(binomtest(k, n, p).pvalue, rel=1e-9, abs=1e-12), k
    # by hand: 2 of 10 at ½ → P(X ≤ 2) + P(X ≥ 8) = 2·(1 + 10 + 45)/1024
    assert binomial_two_sided(2, 10, 0.5) == pytest.approx(112 / 1024)


def test_verdicts_follow_the_direction() -> None:
    assert verdict(-0.3, 0.01, higher_is_better=True) == "significant decline"
    assert verdict(-0.3, 0.01, higher_is_better=False) == "significant improvement"
    assert verdict(2.0, 0.2, higher_is_better=True) == "no significant change"
    assert verdict(2.0, None, higher_is_better=True) == "not tested"
    assert verdict(None, None, higher_is_better=True) is None
    # complaint resolution days rising is a decline
    found = compare("previous_quarter", "2026-Q2", median(np.arange(11.0, 31.0)), median(np.arange(1.0, 21.0)), False)
    assert found is not None and found.verdict == "significant decline" and found.change == 10.0
    assert compare("previous_quarter", "2026-Q2", proportion(1, 2), proportion(0, 0), True) is None
