"""Each threshold tested on its boundary, so that a flipped comparison (<= for <, 8 for 9) fails a test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from audit.assessment.checks import Evidence
from audit.assessment.followup import follow_up_table, followup, verify
from audit.config import Sla, SurveySource, load_config
from audit.data.dataset import AuditData
from audit.kpi.complaints import resolution_flags
from audit.kpi.segments import segment_cells
from audit.kpi.stats import nps, nps_parts
from audit.model import Entry, Kpi, KpiTable, Register
from conftest import TINY

PERIOD_END = pd.Timestamp("2026-09-30")


def test_a_complaint_resolved_in_exactly_the_sla_is_within_it() -> None:
    frame = pd.DataFrame(
        {
            "received_on": pd.to_datetime(["2026-07-01", "2026-07-01", "2026-09-20", "2026-09-01"]),
            "resolved_on": pd.to_datetime(["2026-07-11", "2026-07-12", None, None]),
        }
    )
    days, within, judged = resolution_flags(frame, Sla(complaint_resolve_days=10), PERIOD_END)
    assert days.tolist()[:2] == [10.0, 11.0]
    assert within.tolist()[:2] == [True, False]  # 10 days is within a 10-day SLA; 11 is not
    # open 10 days at the period's end: not yet judged; open 29 days: judged, a miss
    assert judged.tolist() == [True, True, False, True]


def test_nps_promoters_from_9_detractors_to_6() -> None:
    answers = np.array([9.0, 8.0, 7.0, 6.0])
    promoters, detractors = nps_parts(answers)
    assert promoters.tolist() == [True, False, False, False]
    assert detractors.tolist() == [False, False, False, True]
    assert nps(answers).value == 0.0  # 25% promoters − 25% detractors


def test_segment_nps_uses_the_same_thresholds() -> None:
    surveys = pd.DataFrame({"overall": [5.0, 4.0, 3.0, 2.0], "recommend": [9.0, 8.0, 7.0, 6.0], "region": ["N"] * 4})
    cells = segment_cells(surveys, SurveySource(path="s.csv"), None, None, None, Sla(), PERIOD_END, 30)
    found = {c.kpi_id: c.value for c in cells if c.by == "region"}
    assert found["nps"] == 0.0  # one promoter (9), one detractor (6): a 9-or-over rule, not 8


def _register(due: dt.date, status: str = "open", target: float | None = None) -> Register:
    entry = Entry("EARLIER/A-01", raised_in="EARLIER", raised_on=dt.date(2026, 4, 10), due=due, status=status,
                  kpi_id="csat_mean", target=target)  # fmt: skip
    return Register(Path("actions.xlsx"), (entry,))


def test_an_action_due_on_the_audit_date_is_not_yet_overdue() -> None:
    config = load_config(TINY)  # audit date 2026-10-10
    day = config.audit.audit_date
    data = AuditData(config=config, frames={}, history={})
    kpis = KpiTable(())
    on_time = Evidence(data, kpis, _register(day))
    late = Evidence(data, kpis, _register(day - dt.timedelta(days=1)))
    assert [d.check for d in followup(on_time)] == []
    assert [d.check for d in followup(late)] == ["actions_overdue"]
    assert [r.result for r in follow_up_table(_register(day), kpis, config).rows] == ["open"]
    assert [r.result for r in follow_up_table(_register(day - dt.timedelta(days=1)), kpis, config).rows] == ["overdue"]


def test_a_closed_action_exactly_on_its_target_is_effective() -> None:
    config = load_config(TINY)
    kpis = KpiTable((Kpi("csat_mean", "CSAT", 4.0, "score", 100),))
    register = _register(dt.date(2026, 6, 30), "closed", target=4.0)
    assert verify(register, kpis, config)["EARLIER/A-01"].verdict == "effective"
    higher = _register(dt.date(2026, 6, 30), "closed", target=4.01)
    assert verify(higher, kpis, config)["EARLIER/A-01"].verdict == "not effective"
