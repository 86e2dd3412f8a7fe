"""Complaint KPIs: volume, rate, handling times, SLA compliance, repeats, root causes.

Pure functions over the valid complaint rows (our column names). A complaint is closed
when its ``status`` is ``closed``, or, where the status is absent or blank, when it has a
``resolved_on`` date; for an earlier period, a complaint resolved after that period's end
was still open then. Formulas: docs/metrics.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from audit import format as fmt
from audit.config import Analysis, Sla
from audit.i18n import _
from audit.kpi.stats import Estimate, absent, count, proportion, quantile, rate

__all__ = [
    "closed_by",
    "complaint_estimates",
    "overdue_complaints",
    "repeat_flags",
    "resolution_flags",
    "silent_dissatisfied",
]


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.days.astype("float64")


def _floats(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype="float64", na_value=np.nan)


def closed_by(frame: pd.DataFrame, period_end: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """Which complaints were closed at ``period_end``, and when those with a date were resolved.

    Returns:
        (closed flag, resolution date: NaT unless closed by ``period_end`` with a date).
    """
    if "resolved_on" in frame:
        resolved_on = frame["resolved_on"]
    else:
        resolved_on = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    closed = resolved_on.notna()
    if "status" in frame:
        # normalise each distinct status once, then look the rows up by code
        codes, statuses = pd.factorize(frame["status"])
        words = pd.Index(statuses).astype("string").str.strip().str.casefold()
        stated = np.append(words.to_numpy(dtype=object, na_value="") != "", False)[codes]
        said_closed = np.append(words.to_numpy(dtype=object, na_value="") == "closed", False)[codes]
        closed = pd.Series((stated & said_closed) | (~stated & closed.to_numpy()), index=frame.index)
    # resolved after the period's end: still open at its end (a closed one without a date stays closed)
    closed = closed.astype(bool) & ~(resolved_on > period_end)
    return closed, resolved_on.where(closed & (resolved_on <= period_end))


def resolution_flags(frame: pd.DataFrame, sla: Sla, period_end: pd.Timestamp) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per complaint: days to resolve (NaN while open), resolved within the SLA, and judged.

    A complaint is judged once its outcome is known at the period's end: resolved, or
    still open and older than the SLA (a miss). One still open within its SLA is not.
    """
    closed, resolved = closed_by(frame, period_end)
    days = _days(resolved, frame["received_on"])
    age = _days(pd.Series(period_end, index=frame.index), frame["received_on"])
    within = days <= sla.complaint_resolve_days
    judged = days.notna() | (~closed & (age > sla.complaint_resolve_days))
    return days, within, judged


def acknowledgement_flags(
    frame: pd.DataFrame, sla: Sla, period_end: pd.Timestamp
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per complaint: days to acknowledge (NaN while not acknowledged), within the SLA, and judged.

    A complaint is judged once acknowledged by the period's end, or when still
    unacknowledged and older than the SLA (a miss).
    """
    acknowledged = frame["acknowledged_on"].where(frame["acknowledged_on"] <= period_end)
    days = _days(acknowledged, frame["received_on"])
    age = _days(pd.Series(period_end, index=frame.index), frame["received_on"])
    within = days <= sla.complaint_acknowledge_days
    judged = days.notna() | (age > sla.complaint_acknowledge_days)
    return days, within, judged


def overdue_complaints(to_date: pd.DataFrame, sla: Sla, period_end: pd.Timestamp) -> pd.DataFrame:
    """Complaints still open at the period's end and older than the resolution SLA.

    A complaint received after ``period_end`` has a negative age there, so it never counts.
    """
    if "resolved_on" not in to_date and "status" not in to_date:
        return to_date.iloc[0:0]
    closed, _open = closed_by(to_date, period_end)
    age = _days(pd.Series(period_end, index=to_date.index), to_date["received_on"])
    return to_date.loc[~closed & (age > sla.complaint_resolve_days)]


def repeat_flags(complaints: pd.DataFrame, window_days: int) -> pd.Series:
    """Whether each complaint repeats an earlier one: same customer and category within the window.

    Returns:
        A boolean series aligned with ``complaints`` (missing where the customer is unknown).
    """
    known = complaints.loc[
        complaints["customer_id"].notna(), ["customer_id", "category", "received_on", "complaint_id"]
    ]
    known = known.sort_values(["customer_id", "category", "received_on", "complaint_id"], kind="stable")
    same = known["customer_id"].eq(known["customer_id"].shift()) & known["category"].eq(known["category"].shift())
    gap = known["received_on"].diff().dt.days
    flags = (same.fillna(False) & gap.le(window_days)).astype("boolean")
    return pd.Series(flags.reindex(complaints.index))


def silent_dissatisfied(complainers: int, complainer_share: float, population: int | None = None) -> Estimate:
    """Dissatisfied customers who did not complain: complainers ÷ share that complains − complainers.

    An estimate, not a measurement: the share is an assumption (analysis.complainer_share).
    It can never exceed the customers who could be dissatisfied without complaining: with
    the population known (``analysis.customer_base``, else the period's ordering
    customers), it is capped at population − complainers, and its note says so.

    Example:
        >>> silent_dissatisfied(70, 0.04, population=386).value     # 1,680 uncapped
        316.0
    """
    estimate = complainers / complainer_share - complainers
    note = _(
        "estimate, assuming {share}% of dissatisfied customers complain (analysis.complainer_share); not a measurement",
        share=f"{100 * complainer_share:g}",
    )
    if population is not None:
        room = max(population, complainers) - complainers
        if estimate > room:
            note += _(
                "; capped at {room} (the {population} customers less the {complainers} who complained): "
                "the assumption gives {estimate}, more customers than there are",
                room=fmt.count(room),
                population=fmt.count(max(population, complainers)),
                complainers=fmt.count(complainers),
                estimate=fmt.count(estimate),
            )
            estimate = float(room)
    return Estimate(float(estimate), complainers, note=note)


def complaint_estimates(
    frame: pd.DataFrame,
    to_date: pd.DataFrame,
    sla: Sla,
    analysis: Analysis,
    period_end: pd.Timestamp,
    orders: int | None,
    repeats: pd.Series | None = None,
    *,
    population: int | None = None,
) -> dict[str, Estimate]:
    """Complaint counts, rate, handling times, SLA compliance, repeats and root causes for one period.

    Args:
        frame: complaints received in the period.
        to_date: complaints of this and earlier periods (for open overdue ones); later ones are ignored.
        sla: acknowledgement and resolution targets in days.
        analysis: the repeat window and the share of dissatisfied customers who complain.
        period_end: the last day of the period; a complaint resolved later was open then.
        orders: orders in the period, for the rate per 1000 orders; None without order data.
        repeats: :func:`repeat_flags` of the complaints (computed once for every period);
            computed from ``to_date`` when None.
        population: the customers who could complain, for capping the silent-dissatisfied
            estimate (None: not capped).
    """
    out = {"complaints": count(len(frame))}
    if orders is None:
        out["complaints_per_1000_orders"] = absent(_("no order data to relate complaints to"))
    else:
        out["complaints_per_1000_orders"] = rate(len(frame), orders, 1000)
    if "acknowledged_on" in frame:
        ack_days, within, judged = acknowledgement_flags(frame, sla, period_end)
        out["complaint_ack_days_median"] = quantile(_floats(ack_days), 0.5)
        out["complaint_ack_days_p90"] = quantile(_floats(ack_days), 0.9)
        out["complaints_acknowledged_within_sla_pct"] = proportion(int(within.sum()), int(judged.sum()))
    else:
        reason = _("the complaint log has no acknowledged_on column")
        for kpi_id in ("complaint_ack_days_median", "complaint_ack_days_p90", "complaints_acknowledged_within_sla_pct"):
            out[kpi_id] = absent(reason)
    has_state = "resolved_on" in frame or "status" in frame
    closed, _open = closed_by(frame, period_end)
    if "resolved_on" in frame:
        days, within, judged = resolution_flags(frame, sla, period_end)
        out["complaint_resolution_days_median"] = quantile(_floats(days), 0.5)
        out["complaint_resolution_days_p90"] = quantile(_floats(days), 0.9)
        out["complaints_resolved_within_sla_pct"] = proportion(int(within.sum()), int(judged.sum()))
    else:
        reason = _("the complaint log has no resolved_on column")
        for kpi_id in (
            "complaint_resolution_days_median",
            "complaint_resolution_days_p90",
            "complaints_resolved_within_sla_pct",
        ):
            out[kpi_id] = absent(reason)
    if has_state:
        out["complaints_open_overdue"] = count(len(overdue_complaints(to_date, sla, period_end)))
    else:
        out["complaints_open_overdue"] = absent(_("the complaint log has neither resolved_on nor status"))
    if "customer_id" in frame:
        flags = (repeats if repeats is not None else repeat_flags(to_date, analysis.repeat_window_days)).reindex(
            frame.index
        )
        known = flags.notna()
        out["repeat_complaint_pct"] = proportion(int(flags[known].astype(bool).sum()), int(known.sum()))
        complainers = int(frame["customer_id"].nunique())
        out["silent_dissatisfied_est"] = silent_dissatisfied(complainers, analysis.complainer_share, population)
    else:
        out["repeat_complaint_pct"] = absent(_("the complaint log has no customer_id column"))
        estimate = silent_dissatisfied(len(frame), analysis.complainer_share, population)
        out["silent_dissatisfied_est"] = estimate.with_note(estimate.note + "; complaints counted, as no customer_id")
    if "root_cause" in frame and has_state:
        recorded = frame["root_cause"].astype("string").str.strip().ne("").fillna(False) & closed
        out["root_cause_recorded_pct"] = proportion(int(recorded.sum()), int(closed.sum()))
    else:
        missing = "root_cause" if "root_cause" not in frame else "resolved_on or status"
        out["root_cause_recorded_pct"] = absent(_("the complaint log has no {column} column", column=missing))
    return out
