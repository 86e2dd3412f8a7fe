"""KPIs that follow the data as recorded (issue 13, items 2, 10, 11, 19); values worked out by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from audit.config import Scale, SurveySource
from audit.data.dataset import load_audit
from audit.kpi import compute_kpis
from audit.kpi.delivery import order_estimates
from audit.kpi.satisfaction import boxes

HEADER = """audit: {id: T-2026-Q3, organisation: Test Ltd, period: 2026-Q3}
data:
"""


def folder_with(tmp_path: Path, data_block: str) -> Path:
    (tmp_path / "audit.yaml").write_text(HEADER + data_block, encoding="utf-8")
    return tmp_path


ORDERS = (
    "order_id,ordered_on,promised_on,delivered_on,quantity_ordered,quantity_delivered,Status\n"
    "O1,2026-06-20,2026-07-05,2026-07-04,1,1,delivered\n"  # placed in Q2, due in Q3: on time
    "O2,2026-07-01,2026-07-10,2026-07-12,1,1,delivered\n"  # late
    "O3,2026-07-02,2026-07-20,,1,0,canceled\n"  # cancelled: not late, counted apart
    "O4,2026-07-03,2026-07-25,,1,0,unavailable\n"  # cancelled (unavailable)
    "O5,2026-07-04,2026-08-01,2026-08-01,2,1,shipped\n"  # on time, not in full
    "O6,2026-09-20,2026-10-05,2026-09-28,1,1,delivered\n"  # placed in Q3, due in Q4: judged in Q4
    "O7,2026-08-01,2026-09-30,,1,0,processing\n"  # due on the last day, undelivered: late
)


def test_cancelled_orders_are_left_out_and_counted_on_their_own(tmp_path: Path) -> None:
    """13.2: due basis (default): O1, O2, O5, O7 are judged; O3, O4 cancelled; O6 is due in Q4."""
    (tmp_path / "o.csv").write_text(ORDERS, encoding="utf-8")
    data = load_audit(folder_with(tmp_path, "  orders: {path: o.csv, columns: {status: Status}}\n"))
    assert data.problems == ()
    kpis = compute_kpis(data)
    assert kpis["orders"].value == 6  # placed in Q3: O2–O7
    assert kpis["orders_cancelled"].value == 2
    # on time: O1, O5 of 4; in full: O1, O2 of 4; OTIF: O1 of 4
    assert (kpis["on_time_pct"].value, kpis["on_time_pct"].n) == (50.0, 4)
    assert kpis["in_full_pct"].value == 50.0
    assert kpis["otif_pct"].value == 25.0
    # late deliveries: O2 by 2 days (O7 is undelivered, so has no lateness yet)
    assert kpis["late_days_mean"].value == 2.0


def test_basis_ordered_judges_the_orders_placed_in_the_period(tmp_path: Path) -> None:
    (tmp_path / "o.csv").write_text(ORDERS, encoding="utf-8")
    block = "  orders: {path: o.csv, basis: ordered, columns: {status: Status}}\n"
    kpis = compute_kpis(load_audit(folder_with(tmp_path, block)))
    # placed in Q3 and not cancelled: O2, O5, O6 (delivered by the period's end), O7 → on time O5, O6
    assert (kpis["on_time_pct"].value, kpis["on_time_pct"].n) == (50.0, 4)
    assert kpis["otif_pct"].value == 25.0  # O6 only (O5 is short)


def test_order_status_spellings_outside_the_vocabulary_are_reported(tmp_path: Path) -> None:
    (tmp_path / "o.csv").write_text(
        "order_id,ordered_on,status\nO1,2026-07-01,delivered\nO2,2026-07-02,lost in space\nO3,2026-07-03,open\n",
        encoding="utf-8",
    )
    (tmp_path / "audit.yaml").write_text(
        HEADER.replace("data:", "validation: {max_invalid_pct: 50}\ndata:") + "  orders: {path: o.csv}\n",
        encoding="utf-8",
    )
    data = load_audit(tmp_path)
    (problem,) = data.problems
    assert (problem.row, problem.rule) == (3, "unknown_value")
    assert "open, delivered, cancelled under data.orders.values.status" in problem.message


def test_item_non_response_keeps_the_response_for_what_it_answered(tmp_path: Path) -> None:
    """13.10: a blank overall with answered dimensions is valid; each KPI has its own n."""
    (tmp_path / "s.csv").write_text(
        "response_id,responded_on,overall,recommend,quality\n"
        "S1,2026-07-01,5,10,4\n"
        "S2,2026-07-02,,9,2\n"
        "S3,2026-07-03,3,,5\n"
        "S4,2026-07-04,,,\n",
        encoding="utf-8",
    )
    data = load_audit(folder_with(tmp_path, "  surveys: {path: s.csv, dimensions: {quality: quality}}\n"))
    assert data.problems == () and len(data.frames["surveys"]) == 4
    kpis = compute_kpis(data)
    assert (kpis["responses"].value, kpis["responses"].n) == (4, 4)
    assert (kpis["csat_mean"].value, kpis["csat_mean"].n) == (4.0, 2)
    assert (kpis["nps"].value, kpis["nps"].n) == (100.0, 2)
    assert kpis["dimension_quality_mean"].value == pytest.approx(11 / 3) and kpis["dimension_quality_mean"].n == 3


@pytest.mark.parametrize(
    ("low", "high", "top", "bottom", "kind"),
    [(1, 5, 4, 2, ""), (1, 7, 6, 2, ""), (1, 4, 4, 1, "top box"), (1, 3, 3, 1, "top box"), (0, 1, 1, 0, "two-point")],
)
def test_boxes_follow_the_size_of_the_scale(low: int, high: int, top: int, bottom: int, kind: str) -> None:
    """13.11: top-2/bottom-2 from 5 points, top/bottom box on 3–4 points, a satisfied share on 2."""
    box = boxes(Scale(min=low, max=high))
    assert (box.top, box.bottom) == (top, bottom)
    assert kind in box.top_note


def test_a_two_point_overall_gives_complementary_shares(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text(
        "response_id,responded_on,overall\nS1,2026-07-01,1\nS2,2026-07-02,1\nS3,2026-07-03,0\nS4,2026-07-04,1\n",
        encoding="utf-8",
    )
    block = "  surveys: {path: s.csv, scale: {min: 0, max: 1}}\n"
    kpis = compute_kpis(load_audit(folder_with(tmp_path, block)))
    assert kpis["csat_top2_pct"].value == 75.0 and kpis["dissatisfied_pct"].value == 25.0
    assert "satisfied share" in kpis["csat_top2_pct"].note


def test_repurchase_intention_on_its_own_scale(tmp_path: Path) -> None:
    """13.19: repurchase beside recommend, on its declared scale, feeds the loyalty KPIs."""
    (tmp_path / "s.csv").write_text(
        "response_id,responded_on,recommend,Buy again\n"
        "S1,2026-07-01,10,7\nS2,2026-07-02,6,6\nS3,2026-07-03,9,3\nS4,2026-07-04,8,\n",
        encoding="utf-8",
    )
    block = "  surveys: {path: s.csv, columns: {repurchase: Buy again}, scales: {repurchase: {min: 1, max: 7}}}\n"
    data = load_audit(folder_with(tmp_path, block))
    kpis = compute_kpis(data)
    assert (kpis["repurchase_intent_mean"].value, kpis["repurchase_intent_mean"].n) == (pytest.approx(16 / 3), 3)
    assert kpis["repurchase_intent_pct"].value == pytest.approx(200 / 3)  # 6 and 7 of 3 answers
    (tmp_path / "s.csv").write_text(
        "response_id,responded_on,recommend,Buy again\nS1,2026-07-01,10,8\n", encoding="utf-8"
    )
    (tmp_path / "audit.yaml").write_text(
        HEADER.replace("data:", "validation: {max_invalid_pct: 100}\ndata:") + block, encoding="utf-8"
    )
    (problem,) = load_audit(tmp_path).problems
    assert (problem.rule, problem.column) == ("out_of_scale", "Buy again")
    assert "data.surveys.scales.repurchase" in problem.message


def test_delivery_estimates_without_history_judge_the_given_orders() -> None:
    end = pd.Timestamp("2026-09-30")
    frame = pd.DataFrame(
        {
            "promised_on": pd.to_datetime(["2026-07-10", "2026-07-10"]),
            "delivered_on": pd.to_datetime(["2026-07-09", None]),
            "status": ["delivered", "cancelled"],
        }
    )
    out = order_estimates(frame, end)
    assert (out["on_time_pct"].value, out["on_time_pct"].n, out["orders_cancelled"].value) == (100.0, 1, 1)
    assert np.isnan(out["late_days_mean"].value or np.nan)


def test_the_survey_source_accepts_a_repurchase_scale() -> None:
    assert SurveySource(path="s.csv", scales={"repurchase": {"min": 1, "max": 7}}).scale_of("repurchase").max == 7
