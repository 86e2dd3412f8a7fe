"""Series behind the report's charts, computed with the KPIs so that chart and scorecard agree.

* :func:`nps_split`: promoters, passives and detractors per period (the NPS convention of
  :mod:`audit.kpi.stats`).
* :func:`csat_band`: the CSAT mean with its 95% interval per period, from the very
  estimates the KPI's history holds.
* :func:`resolution_times`: days to resolve the period's complaints, counted on the basis
  of ``complaints_resolved_within_sla_pct`` (judged = resolved, or open past the SLA).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from audit.config import Sla
from audit.kpi.complaints import closed_by, resolution_flags
from audit.kpi.stats import Estimate, nps_parts
from audit.model import Interval, NpsSplit, ResolutionTimes

__all__ = ["csat_band", "nps_split", "resolution_times"]


def nps_split(frames: Sequence[tuple[str, pd.DataFrame | None]]) -> tuple[NpsSplit, ...]:
    """Promoters, passives and detractors per period, oldest first.

    Periods before the survey file starts (no answers yet) are left out; the last period
    (the audited one) is always kept, with zeros when it has no answers.

    Args:
        frames: (period label, survey rows of that period or None when the file does not
            cover it), oldest first, the audited period last.
    """
    out: list[NpsSplit] = []
    for index, (label, frame) in enumerate(frames):
        answers = np.array([], dtype="float64")
        if frame is not None and "recommend" in frame:
            answers = frame["recommend"].to_numpy(dtype="float64", na_value=np.nan)
            answers = answers[~np.isnan(answers)]
        n = len(answers)
        last = index == len(frames) - 1
        if n == 0:
            if out or last:
                out.append(NpsSplit(label, 0.0, 0.0, 0.0, 0))
            continue
        promoters, detractors = nps_parts(answers)
        p, d = 100 * float(promoters.mean()), 100 * float(detractors.mean())
        out.append(NpsSplit(label, p, 100 - p - d, d, n))
    return tuple(out)


def csat_band(estimates: dict[str, dict[str, Estimate]], periods: Sequence[str]) -> tuple[Interval, ...]:
    """The CSAT mean and its 95% interval for each period, from the KPI's own estimates."""
    out = []
    for label in periods:
        est = estimates.get(label, {}).get("csat_mean")
        if est is None:
            out.append(Interval(label, None, None, None))
        else:
            out.append(Interval(label, est.value, est.ci_low, est.ci_high))
    return tuple(out)


def resolution_times(frame: pd.DataFrame, sla: Sla, period_end: pd.Timestamp) -> ResolutionTimes | None:
    """Days to resolve the period's complaints, and the counts behind the SLA KPI; None without dates."""
    if "received_on" not in frame or ("resolved_on" not in frame and "status" not in frame):
        return None
    days, within, judged = resolution_flags(frame, sla, period_end)
    closed, _ = closed_by(frame, period_end)
    resolved = days.dropna()
    counts = resolved.round().astype("int64").value_counts().sort_index()
    open_past = int((judged & days.isna()).sum())
    return ResolutionTimes(
        sla_days=float(sla.complaint_resolve_days),
        days=tuple(zip(counts.index.tolist(), counts.tolist(), strict=True)),
        judged=int(judged.sum()),
        within=int(within.fillna(False).astype(bool).sum()),
        open_past_sla=open_past,
        open_within_sla=int((~closed.to_numpy()).sum()) - open_past,
    )
