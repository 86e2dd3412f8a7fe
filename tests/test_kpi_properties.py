"""Properties every KPI keeps whatever the data: ranges, intervals around estimates, row order."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.config import Analysis, Sla, SurveySource
from audit.data.dataset import AuditData, load_audit
from audit.kpi import CATALOGUE, compute_kpis
from audit.kpi.complaints import complaint_estimates, repeat_flags
from audit.kpi.delivery import order_estimates
from audit.kpi.satisfaction import importance, survey_estimates
from audit.kpi.stats import Estimate
from conftest import TINY

END = pd.Timestamp("2026-09-30")
SOURCE = SurveySource(
    path="s.csv", dimensions={"quality": "Q", "speed": "S"}, expectations={"quality": "QE"}
)  # fmt: skip
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scores = st.one_of(st.none(), st.integers(1, 5))
answers = st.tuples(scores, st.one_of(st.none(), st.integers(0, 10)), scores, scores, scores)


def _check(estimates: dict[str, Estimate]) -> None:
    """Percentages in 0–100, NPS in −100…100, every interval around its estimate."""
    for kpi_id, est in estimates.items():
        if est.value is None:
            continue
        assert math.isfinite(est.value), kpi_id
        unit = CATALOGUE[kpi_id].unit if kpi_id in CATALOGUE else ""
        if unit == "%":
            assert 0.0 <= est.value <= 100.0, kpi_id
        if kpi_id == "nps":
            assert -100.0 <= est.value <= 100.0
        if kpi_id == "csi":
            assert 0.0 <= est.value <= 100.0
        if est.ci_low is not None and est.ci_high is not None:
            assert est.ci_low <= est.value <= est.ci_high, (kpi_id, est)


def _same(a: dict[str, Estimate], b: dict[str, Estimate]) -> None:
    assert a.keys() == b.keys()
    for kpi_id in a:
        x, y = a[kpi_id], b[kpi_id]
        assert (x.value is None) == (y.value is None), kpi_id
        for field in ("value", "ci_low", "ci_high"):
            u, v = getattr(x, field), getattr(y, field)
            assert (u is None and v is None) or u == pytest.approx(v, rel=1e-9, abs=1e-9), (kpi_id, field)
        assert (x.n, x.note) == (y.n, y.note), kpi_id


def _survey_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    columns = ["overall", "recommend", "dim_quality", "dim_speed", "exp_quality"]
    frame = (
        pd.DataFrame(rows, columns=columns, dtype="float64") if rows else pd.DataFrame(columns=columns, dtype="float64")
    )
    frame.insert(0, "response_id", [f"S{i}" for i in range(len(frame))])
    return frame


@PROPERTY
@given(st.lists(answers, max_size=60), st.randoms(use_true_random=False))
def test_survey_kpis(rows: list[tuple[Any, ...]], rnd: Any) -> None:
    frame = _survey_frame(rows)
    out = survey_estimates(frame, SOURCE, Analysis(customer_base=500), sent=80)
    _check(out)
    order = list(range(len(frame)))
    rnd.shuffle(order)
    _same(out, survey_estimates(frame.iloc[order], SOURCE, Analysis(customer_base=500), sent=80))


days = st.integers(0, 200)
lags = st.one_of(st.none(), st.integers(0, 60))
complaint_rows = st.tuples(days, lags, lags, st.sampled_from(["K1", "K2", "K3", None]), st.sampled_from(["a", "b"]),
                           st.sampled_from(["open", "closed", "", None]))  # fmt: skip


@PROPERTY
@given(st.lists(complaint_rows, max_size=40), st.randoms(use_true_random=False))
def test_complaint_kpis(rows: list[tuple[Any, ...]], rnd: Any) -> None:
    start = pd.Timestamp("2026-03-15")
    frame = pd.DataFrame(
        {
            "complaint_id": [f"C{i}" for i in range(len(rows))],
            "received_on": pd.to_datetime([start + pd.Timedelta(days=r[0]) for r in rows]),
            "acknowledged_on": pd.to_datetime(
                [start + pd.Timedelta(days=r[0] + r[1]) if r[1] is not None else pd.NaT for r in rows]
            ),
            "resolved_on": pd.to_datetime(
                [start + pd.Timedelta(days=r[0] + r[2]) if r[2] is not None else pd.NaT for r in rows]
            ),
            "customer_id": pd.Series([r[3] for r in rows], dtype="string"),
            "category": pd.Series([r[4] for r in rows], dtype="string"),
            "status": pd.Series([r[5] for r in rows], dtype="string"),
        }
    )
    period = frame.loc[frame["received_on"] >= pd.Timestamp("2026-07-01")]
    sla = Sla(complaint_acknowledge_days=2, complaint_resolve_days=10)

    def run(history: pd.DataFrame, current: pd.DataFrame) -> dict[str, Estimate]:
        return complaint_estimates(current, history, sla, Analysis(), END, orders=50, repeats=repeat_flags(history, 90))

    out = run(frame, period)
    _check(out)
    order = list(range(len(frame)))
    rnd.shuffle(order)
    shuffled = frame.iloc[order]
    _same(out, run(shuffled, shuffled.loc[shuffled["received_on"] >= pd.Timestamp("2026-07-01")]))


order_rows = st.tuples(
    days, st.integers(0, 30), st.one_of(st.none(), st.integers(-5, 40)), st.integers(1, 10), st.integers(0, 10)
)


@PROPERTY
@given(st.lists(order_rows, max_size=40))
def test_order_kpis(rows: list[tuple[int, int, int | None, int, int]]) -> None:
    start = pd.Timestamp("2026-06-01")
    ordered = [start + pd.Timedelta(days=r[0]) for r in rows]
    frame = pd.DataFrame(
        {
            "order_id": [f"O{i}" for i in range(len(rows))],
            "ordered_on": pd.to_datetime(ordered),
            "promised_on": pd.to_datetime([o + pd.Timedelta(days=r[1]) for o, r in zip(ordered, rows)]),
            "delivered_on": pd.to_datetime(
                [o + pd.Timedelta(days=r[1] + r[2]) if r[2] is not None else pd.NaT for o, r in zip(ordered, rows)]
            ),
            "quantity_ordered": [float(r[3]) for r in rows],
            "quantity_delivered": [float(r[4]) for r in rows],
        }
    )
    out = order_estimates(frame, END)
    _check(out)
    _same(out, order_estimates(frame.iloc[::-1], END))


@pytest.fixture(scope="module")
def tiny_data() -> AuditData:
    return load_audit(TINY)


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-9, abs=1e-9) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    return bool(a == b)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False))
def test_shuffling_rows_changes_no_kpi(tiny_data: AuditData, rnd: Any) -> None:
    def shuffled(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        out = {}
        for kind, frame in frames.items():
            order = list(range(len(frame)))
            rnd.shuffle(order)
            out[kind] = frame.iloc[order]
        return out

    before = compute_kpis(tiny_data)
    after = compute_kpis(replace(tiny_data, frames=shuffled(tiny_data.frames), history=shuffled(tiny_data.history)))
    assert _close(before.to_dict(), after.to_dict())
    assert _close(before.analyses.to_dict(), after.analyses.to_dict())
    assert before.breakdowns == after.breakdowns


def test_every_tiny_kpi_keeps_the_properties(tiny_data: AuditData) -> None:
    table = compute_kpis(tiny_data)
    for kpi in table:
        if kpi.value is not None and kpi.ci_low is not None and kpi.ci_high is not None:
            assert kpi.ci_low <= kpi.value <= kpi.ci_high, kpi.id
        if kpi.unit == "%" and kpi.value is not None:
            assert 0 <= kpi.value <= 100, kpi.id
    for cell in table.analyses.segments:
        if cell.value is not None and cell.ci_low is not None and cell.ci_high is not None:
            assert cell.ci_low <= cell.value <= cell.ci_high, cell
    assert np.all([0 <= i.cumulative_pct <= 100 + 1e-9 for i in table.analyses.complaint_pareto])


def test_a_zero_correlation_weighs_nothing_in_any_row_order() -> None:
    # speed against overall: products that cancel exactly (r = 0). Rounded as ±1e-17 by the rows'
    # order, a tiny positive weight counted the respondents who answered only speed: CSI 32.1 or 8.3
    rows = [(1, None, 1, None, None), (3, None, None, 1, None), (4, None, None, 2, None), (4, None, None, 5, None)]
    rows += [(3, None, 2, 1, None), (4, None, 1, 2, None), (2, None, None, 4, None)]
    frame = _survey_frame(rows)
    seen = set()
    for seed in range(20):
        order = np.random.default_rng(seed).permutation(len(frame))
        shuffled = frame.iloc[order]
        weights, basis = importance(shuffled, SOURCE)
        assert basis == "derived" and weights["speed"] == 0.0 and weights["quality"] > 0
        seen.add(round(survey_estimates(shuffled, SOURCE, Analysis(customer_base=500), sent=80)["csi"].value, 9))
    # only the three respondents who rated quality count: (0 + 25 + 0) / 3 on 0–100
    assert seen == {round(25 / 3, 9)}
