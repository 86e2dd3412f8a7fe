"""Delivery KPIs at order level: on time, in full, OTIF, lateness and cancelled orders.

Which orders are judged (``data.orders.basis``): by default the orders **due** in the
period, those whose promised date falls in it, whenever they were placed (the usual
OTIF convention); with ``basis: ordered``, the orders placed in the period that are due
by its end (delivered by then, or promised on or before it). When the export stops before
the period's end (``as_of``, :mod:`audit.kpi.coverage`), an order is judged only if it was
delivered by that day or due by it: one promised later and not yet delivered is not late,
only not yet known. Either way an order not delivered by its promised date is late, and not in full when fewer units were delivered
than ordered. Cancelled orders (``status`` mapped to ``cancelled``) are left out of
on time, in full and OTIF, and counted on their own. Formulas: docs/metrics.md.
"""

from __future__ import annotations

import pandas as pd

from audit.data.lines import IN_FULL
from audit.i18n import _
from audit.kpi.stats import Estimate, absent, count, mean, proportion

__all__ = ["BASES", "DELIVERY_KPIS", "judged_orders", "order_estimates"]

#: the orders delivery is judged over
BASES = ("due", "ordered")
_DELIVERY = ("on_time_pct", "in_full_pct", "otif_pct", "late_days_mean")
#: the KPIs whose records are the judged orders (:func:`judged_orders`)
DELIVERY_KPIS = _DELIVERY
#: columns :func:`judged_orders` adds
DUE, ON_TIME, LATE_DAYS, JUDGED_IN_FULL, OTIF = "due", "on_time", "late_days", "in_full_judged", "otif"


def _cancelled(frame: pd.DataFrame) -> pd.Series:
    if "status" not in frame:
        return pd.Series(False, index=frame.index)
    return frame["status"].eq("cancelled").fillna(False).astype(bool)


def order_estimates(
    frame: pd.DataFrame,
    period_end: pd.Timestamp,
    *,
    history: pd.DataFrame | None = None,
    period_start: pd.Timestamp | None = None,
    basis: str = "due",
    as_of: pd.Timestamp | None = None,
) -> dict[str, Estimate]:
    """orders, orders_cancelled, on_time_pct, in_full_pct, otif_pct and late_days_mean for one period.

    Args:
        frame: the period's orders (placed in it), one row per order (order lines are
            combined at intake, with ``_in_full`` saying whether every line was in full).
        period_end: the last day of the period; a delivery after it had not happened then.
        history: every order of the audit's window, for ``basis: due`` (orders placed
            before the period but due in it); without it the period's orders are judged.
        period_start: the first day of the period, for ``basis: due``.
        basis: ``due`` or ``ordered`` (see the module docstring).
        as_of: the last day the export knows about (the period's end when None); a
            delivery after it had not happened, and an order due after it and not yet
            delivered is not judged.

    Example:
        >>> order_estimates(orders, pd.Timestamp("2026-09-30"))["otif_pct"].value   # doctest: +SKIP
        92.5
    """
    cancelled_now = _cancelled(frame)
    out = {"orders": count(len(frame))}
    if "status" in frame:
        out["orders_cancelled"] = count(int(cancelled_now.sum())).with_note(f"of {len(frame):,} orders placed")
    if "promised_on" not in frame or "delivered_on" not in frame:
        missing = " and ".join(c for c in ("promised_on", "delivered_on") if c not in frame)
        reason = _("the orders have no {column} column", column=missing)
        for kpi_id in _DELIVERY:
            out[kpi_id] = absent(reason)
        return out
    judged = judged_orders(frame, period_end, history=history, period_start=period_start, basis=basis, as_of=as_of)
    due, on_time, late_days = judged[DUE], judged[ON_TIME], judged[LATE_DAYS]
    n_due = int(due.sum())
    out["on_time_pct"] = proportion(int(on_time.sum()), n_due)
    late = due & (late_days > 0)
    out["late_days_mean"] = mean(late_days[late].to_numpy(dtype="float64"))
    if out["late_days_mean"].value is None and n_due:
        out["late_days_mean"] = out["late_days_mean"].with_note(_("no delivered order was late"))
    if JUDGED_IN_FULL not in judged:
        out["in_full_pct"] = absent(_("the orders have no quantity_ordered and quantity_delivered columns"))
        otif = out["on_time_pct"]
        out["otif_pct"] = otif.with_note(_("on time only: the orders have no quantities to judge 'in full'"))
        return out
    full = judged[JUDGED_IN_FULL]
    out["in_full_pct"] = proportion(int(full.sum()), n_due)
    out["otif_pct"] = proportion(int(judged[OTIF].sum()), n_due)
    return out


def judged_orders(
    frame: pd.DataFrame,
    period_end: pd.Timestamp,
    *,
    history: pd.DataFrame | None = None,
    period_start: pd.Timestamp | None = None,
    basis: str = "due",
    as_of: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The orders delivery is judged over (see the module docstring), each with its verdicts.

    Arguments as for :func:`order_estimates`; ``frame`` (and ``history``) must have
    ``promised_on`` and ``delivered_on``.

    Returns:
        The judged rows (cancelled orders left out) with the columns ``due`` (counted in the
        denominator), ``on_time``, ``late_days`` (delivery − promise in days; NaN when not yet
        delivered) and, when quantities or order lines say it, ``in_full_judged`` and ``otif``.
        These are the records behind on_time_pct, in_full_pct, otif_pct and late_days_mean.
    """
    known = period_end if as_of is None else min(as_of, period_end)
    if basis == "due" and history is not None and period_start is not None:
        promised = history["promised_on"]
        judged = history.loc[(promised >= period_start).to_numpy() & (promised <= period_end).to_numpy()]
        judged = judged.loc[~_cancelled(judged).to_numpy()]
        delivered = judged["delivered_on"].where(judged["delivered_on"] <= known)
        due = delivered.notna() | (judged["promised_on"] <= known)
    else:
        judged = frame.loc[~_cancelled(frame).to_numpy()]
        delivered = judged["delivered_on"].where(judged["delivered_on"] <= known)
        promised = judged["promised_on"]
        due = promised.notna() & (delivered.notna() | (promised <= known))
    promised = judged["promised_on"]
    on_time = due & delivered.notna() & (delivered <= promised)
    late_days = (delivered - promised).dt.days.astype("float64")
    flags: dict[str, pd.Series] = {DUE: due, ON_TIME: on_time, LATE_DAYS: late_days}
    if IN_FULL in judged:
        flags[JUDGED_IN_FULL] = due & delivered.notna() & judged[IN_FULL].eq(True)  # unknown (no lines) is not in full
    elif "quantity_ordered" in judged and "quantity_delivered" in judged:
        flags[JUDGED_IN_FULL] = due & delivered.notna() & (judged["quantity_delivered"] >= judged["quantity_ordered"])
    if JUDGED_IN_FULL in flags:
        flags[OTIF] = on_time & flags[JUDGED_IN_FULL]
    return judged.assign(**flags)
