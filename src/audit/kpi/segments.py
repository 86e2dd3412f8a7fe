"""The main survey and complaint KPIs by customer tier, region, product and channel.

Segments are the values of a column present in the period's rows; ``tier`` is the ABC
tier of the row's customer (audit.kpi.customers). Cells with fewer observations than
``analysis.small_n`` are marked, not hidden. Formulas as for the KPIs themselves.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from audit.config import Sla, SurveySource
from audit.i18n import N_
from audit.kpi.complaints import resolution_flags
from audit.kpi.satisfaction import boxes
from audit.kpi.stats import Z95, nps_parts, wilson
from audit.model import SegmentCell

__all__ = ["NOT_RECORDED", "SEGMENT_COLUMNS", "segment_cells"]

#: the columns segments come from, in report order
SEGMENT_COLUMNS = ("tier", "region", "product", "channel")
#: the segment of rows with no value in the column (a key in results.json; translated where the report shows it)
NOT_RECORDED = N_("(not recorded)")


def _keys(frame: pd.DataFrame, by: str, tiers: pd.Series | None) -> pd.Series | None:
    """The segment of each row, or None when the frame cannot be split this way."""
    if by == "tier":
        if tiers is None or "customer_id" not in frame:
            return None
        keys = frame["customer_id"].map(tiers)
    elif by in frame:
        keys = frame[by]
    else:
        return None
    return keys.astype("object").where(keys.notna(), NOT_RECORDED).astype(str)


def _survey_cells(
    frame: pd.DataFrame, keys: pd.Series, by: str, source: SurveySource, small_n: int
) -> list[SegmentCell]:
    from scipy.special import stdtrit

    scale = source.scale_of("overall")
    overall = frame["overall"].to_numpy(dtype="float64", na_value=np.nan)
    answered = ~np.isnan(overall)
    parts = pd.DataFrame(
        {
            "key": keys.to_numpy(),
            "overall": overall,
            "answered": answered,
            "top": answered & (overall >= boxes(scale).top),
            "bottom": answered & (overall <= boxes(scale).bottom),
        }
    )
    recommend = source.scale_of("recommend")
    with_nps = "recommend" in frame and (recommend.min, recommend.max) == (0, 10)
    if with_nps:
        answers = frame["recommend"].to_numpy(dtype="float64", na_value=np.nan)
        parts["rated"] = ~np.isnan(answers)
        parts["promoter"], parts["detractor"] = nps_parts(answers)
    group = parts.groupby("key", sort=True)
    sums = group.sum(numeric_only=True)
    sums["sd"] = group["overall"].std(ddof=1)
    sums["rows"] = group.size()
    cells: list[SegmentCell] = []
    for key, row in sums.iterrows():
        n, rows = int(row["answered"]), int(row["rows"])
        small = n < small_n
        cells.append(SegmentCell(by, str(key), "responses", float(rows), rows, small_n=rows < small_n))
        if n:
            m = float(row["overall"]) / n
            if n > 1:
                half = float(stdtrit(n - 1, 0.975)) * float(row["sd"]) / math.sqrt(n)
                cells.append(SegmentCell(by, str(key), "csat_mean", m, n, m - half, m + half, small))
            else:
                cells.append(SegmentCell(by, str(key), "csat_mean", m, n, small_n=small))
            for kpi_id, column in (("csat_top2_pct", "top"), ("dissatisfied_pct", "bottom")):
                k = float(row[column])
                low, high = wilson(k, n)
                cells.append(
                    SegmentCell(by, str(key), kpi_id, 100 * k / n, n, 100 * float(low), 100 * float(high), small)
                )
        if with_nps and int(row["rated"]):
            r = int(row["rated"])
            p, d = float(row["promoter"]) / r, float(row["detractor"]) / r
            score = 100 * (p - d)
            se = 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / r)
            cells.append(
                SegmentCell(
                    by,
                    str(key),
                    "nps",
                    score,
                    r,
                    max(-100.0, score - Z95 * se),
                    min(100.0, score + Z95 * se),
                    r < small_n,
                )
            )
    return cells


def _complaint_cells(
    frame: pd.DataFrame,
    keys: pd.Series,
    by: str,
    order_keys: pd.Series | None,
    sla: Sla,
    period_end: pd.Timestamp,
    small_n: int,
) -> list[SegmentCell]:
    from scipy.special import gammaincinv

    counts: dict[str, int] = {str(k): int(v) for k, v in keys.value_counts().sort_index().items()}
    orders: dict[str, int] = {}
    if order_keys is not None:
        orders = {str(k): int(v) for k, v in order_keys.value_counts().items()}
    judged: dict[str, int] = {}
    within: dict[str, int] = {}
    if "resolved_on" in frame:
        _, within_flags, judged_flags = resolution_flags(frame, sla, period_end)
        judged = {str(k): int(v) for k, v in judged_flags.groupby(keys).sum().items()}
        within = {str(k): int(v) for k, v in (within_flags & judged_flags).groupby(keys).sum().items()}
    cells: list[SegmentCell] = []
    for key, k in counts.items():
        cells.append(SegmentCell(by, key, "complaints", float(k), k, small_n=k < small_n))
        n = orders.get(key, 0)
        if n > 0:
            low = 0.0 if k == 0 else float(gammaincinv(k, 0.025))
            high = float(gammaincinv(k + 1, 0.975))
            cells.append(
                SegmentCell(
                    by, key, "complaints_per_1000_orders", 1000 * k / n, n, 1000 * low / n, 1000 * high / n, n < small_n
                )
            )
        n, w = judged.get(key, 0), within.get(key, 0)
        if n > 0:
            lo, hi = wilson(w, n)
            cells.append(
                SegmentCell(
                    by,
                    key,
                    "complaints_resolved_within_sla_pct",
                    100 * w / n,
                    n,
                    100 * float(lo),
                    100 * float(hi),
                    n < small_n,
                )
            )
    return cells


def segment_cells(
    surveys: pd.DataFrame | None,
    source: SurveySource | None,
    complaints: pd.DataFrame | None,
    orders: pd.DataFrame | None,
    tiers: pd.Series | None,
    sla: Sla,
    period_end: pd.Timestamp,
    small_n: int,
) -> tuple[SegmentCell, ...]:
    """Survey KPIs (responses, csat_mean, csat_top2_pct, dissatisfied_pct, nps) and complaint KPIs
    (complaints, complaints_per_1000_orders, complaints_resolved_within_sla_pct) per segment.

    Args:
        surveys, complaints, orders: the period's rows of each kind (orders one row per order), or None.
        source: the survey configuration (scales).
        tiers: the ABC tier per customer id, or None.
        sla: the resolution SLA.
        period_end: the last day of the period.
        small_n: cells with fewer observations are marked ``small_n``.

    Returns:
        Cells ordered by segment column, then segment, as computed.
    """
    cells: list[SegmentCell] = []
    for by in SEGMENT_COLUMNS:
        if surveys is not None and source is not None and len(surveys):
            keys = _keys(surveys, by, tiers)
            if keys is not None:
                cells += _survey_cells(surveys, keys, by, source, small_n)
        if complaints is not None and len(complaints):
            keys = _keys(complaints, by, tiers)
            if keys is not None:
                order_keys = _keys(orders, by, tiers) if orders is not None else None
                cells += _complaint_cells(complaints, keys, by, order_keys, sla, period_end, small_n)
    return tuple(cells)
