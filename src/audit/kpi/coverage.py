"""Whether the exports cover the whole audited period, and the day each kind is judged at.

An export taken before the period's end (a quarter that has not ended, or a file that
stops on 28 November for a quarter ending 31 December) must not be read as if nothing
happened after its last date: complaints would look open "at 31 December" although the
file knows nothing after 28 November, and orders promised in December would count as
late although they were not yet due when the file was taken. So for each kind:

- its **last date** is the latest date in the export, up to the period's end, in any of
  its columns that record an event (received, acknowledged, resolved, ordered, delivered,
  responded, returned);
- it **ends early** when the gap g from that date to the period's end is at least
  ``analysis.coverage_gap_min_days`` (7) and, at the period's own rate λ (records per day
  up to the last date), a gap that long with no record would happen by chance less than
  once in a hundred periods: exp(−λ·g) < 0.01 (Poisson arrivals), i.e. g > ln 100 / λ;
- its **as-of day**, the day time-since-event KPIs are judged at (complaints open past their
  SLA, orders due), is the period's end, or its last date when it ends early or the period
  had not ended at the audit date.

Example:
    >>> coverage(data).as_of("complaints")      # doctest: +SKIP
    datetime.date(2026, 11, 28)
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from audit.data.contract import DATE_COLUMN
from audit.data.dataset import AuditData
from audit.model import Coverage, KindCoverage

__all__ = ["CHANCE", "EVENT_COLUMNS", "coverage", "ends_early"]

#: per kind, the date columns that record something that happened (a promise date does not)
EVENT_COLUMNS = {
    "surveys": ("responded_on",),
    "complaints": ("received_on", "acknowledged_on", "resolved_on"),
    "returns": ("returned_on",),
    "orders": ("ordered_on", "delivered_on"),
}
#: a gap at the end this unlikely at the period's own rate means the export stops early
CHANCE = 0.01


def ends_early(rows: int, start: dt.date, last: dt.date | None, end: dt.date, min_gap_days: int) -> bool:
    """Whether an export with ``rows`` records from ``start`` to ``last`` stops early for a period ending ``end``.

    Args:
        rows: records dated in the period.
        start: the period's first day.
        last: the export's last date (None: no record at all).
        end: the period's last day.
        min_gap_days: a shorter gap never counts (``analysis.coverage_gap_min_days``).
    """
    if last is None:
        return False
    gap = (end - last).days
    if gap < min_gap_days:
        return False
    if last < start or rows == 0:
        return True  # nothing at all in the period, though the export has earlier records
    rate = rows / ((last - start).days + 1)
    return math.exp(-rate * gap) < CHANCE


def _last(frame: pd.DataFrame, kind: str, end: pd.Timestamp) -> dt.date | None:
    latest: pd.Timestamp | None = None
    for column in EVENT_COLUMNS.get(kind, (DATE_COLUMN[kind],)):
        if column not in frame:
            continue
        dates = frame[column]
        dates = dates.loc[dates.notna() & (dates <= end)]
        if len(dates):
            top = dates.max()
            latest = top if latest is None or top > latest else latest
    return None if latest is None else latest.date()


def coverage(data: AuditData) -> Coverage:
    """How far each supplied kind reaches into the audited period (see the module docstring)."""
    info = data.config.audit
    start, end = info.period_start, info.period_end
    unfinished = info.audit_date < end
    limit = data.config.analysis.coverage_gap_min_days
    kinds = []
    for kind, frame in data.frames.items():
        if kind not in DATE_COLUMN:
            continue
        history = data.history.get(kind, frame)
        last = _last(history, kind, pd.Timestamp(end))
        early = ends_early(len(frame), start, last, end, limit)
        as_of = min(last, end) if last is not None and (early or unfinished) else end
        kinds.append(KindCoverage(kind, last, len(frame), early, as_of))
    return Coverage(end, info.audit_date, unfinished, tuple(kinds))
