"""Delivery KPIs at order level: on time, in full, OTIF and lateness.

An order counts for delivery performance once it is due: delivered by the period's
end, or promised on or before it. An undelivered order past its promise date is late;
not in full when fewer units were delivered than ordered. Formulas: docs/metrics.md.
"""

from __future__ import annotations

import pandas as pd

from audit.data.lines import IN_FULL
from audit.i18n import _
from audit.kpi.stats import Estimate, absent, count, mean, proportion

__all__ = ["order_estimates"]


def order_estimates(frame: pd.DataFrame, period_end: pd.Timestamp) -> dict[str, Estimate]:
    """orders, on_time_pct, in_full_pct, otif_pct and late_days_mean for one period.

    Args:
        frame: the period's orders, one row per order (order lines are combined at
            intake, with ``_in_full`` saying whether every line was in full).
        period_end: the last day of the period; a delivery after it had not happened then.
    """
    out = {"orders": count(len(frame))}
    if "promised_on" not in frame or "delivered_on" not in frame:
        missing = " and ".join(c for c in ("promised_on", "delivered_on") if c not in frame)
        reason = _("the orders have no {column} column", column=missing)
        for kpi_id in ("on_time_pct", "in_full_pct", "otif_pct", "late_days_mean"):
            out[kpi_id] = absent(reason)
        return out
    delivered = frame["delivered_on"].where(frame["delivered_on"] <= period_end)
    promised = frame["promised_on"]
    due = promised.notna() & (delivered.notna() | (promised <= period_end))
    on_time = due & delivered.notna() & (delivered <= promised)
    n_due = int(due.sum())
    out["on_time_pct"] = proportion(int(on_time.sum()), n_due)
    late_days = (delivered - promised).dt.days.astype("float64")
    late = due & (late_days > 0)
    out["late_days_mean"] = mean(late_days[late].to_numpy(dtype="float64"))
    if out["late_days_mean"].value is None and n_due:
        out["late_days_mean"] = out["late_days_mean"].with_note("no delivered order was late")
    if IN_FULL in frame:
        full = due & delivered.notna() & frame[IN_FULL].astype(bool)
    elif "quantity_ordered" in frame and "quantity_delivered" in frame:
        full = due & delivered.notna() & (frame["quantity_delivered"] >= frame["quantity_ordered"])
    else:
        out["in_full_pct"] = absent(_("the orders have no quantity_ordered and quantity_delivered columns"))
        otif = out["on_time_pct"]
        out["otif_pct"] = otif.with_note("on time only: the orders have no quantities to judge 'in full'")
        return out
    out["in_full_pct"] = proportion(int(full.sum()), n_due)
    out["otif_pct"] = proportion(int((on_time & full).sum()), n_due)
    return out
