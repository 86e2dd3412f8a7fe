"""KPI estimates for one period, per data kind; pure functions over frames.

Each function takes the valid rows of one period (our column names, see
audit.data.contract) and returns estimates keyed by KPI id. A KPI whose inputs are
absent is left out, never reported as 0. Formulas: docs/metrics.md.
"""

from __future__ import annotations

import pandas as pd

from audit.config import Sla, SurveySource
from audit.kpi.stats import Estimate, mean, median, nps, proportion

__all__ = [
    "survey_estimates",
    "complaint_estimates",
    "overdue_complaints",
    "return_estimates",
    "order_estimates",
    "customer_estimates",
    "count",
]


def count(n: int) -> Estimate:
    """A plain count."""
    return Estimate(float(n), n)


def _values(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype("float64")


def survey_estimates(frame: pd.DataFrame, source: SurveySource) -> dict[str, Estimate]:
    """responses, response_rate_pct, csat_mean, csat_top2_pct, dissatisfied_pct, nps, dimensions, gaps."""
    overall = _values(frame, "overall").dropna().to_numpy()
    n = len(overall)
    scale = source.scale_of("overall")
    out = {"responses": count(len(frame))}
    if source.sent:
        out["response_rate_pct"] = proportion(min(len(frame), source.sent), source.sent)
    out["csat_mean"] = mean(overall)
    out["csat_top2_pct"] = proportion(int((overall >= scale.max - 1).sum()), n)
    out["dissatisfied_pct"] = proportion(int((overall <= scale.min + 1).sum()), n)
    if "recommend" in frame:
        out["nps"] = nps(_values(frame, "recommend").to_numpy())
    for name in source.dimensions:
        perceived = _values(frame, f"dim_{name}")
        out[f"dimension_{name}_mean"] = mean(perceived.to_numpy())
        if name in source.expectations:
            out[f"gap_{name}"] = mean((perceived - _values(frame, f"exp_{name}")).to_numpy())
    return out


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.days.astype("float64")


def complaint_estimates(
    frame: pd.DataFrame, to_date: pd.DataFrame, sla: Sla, period_end: pd.Timestamp, orders: int | None
) -> dict[str, Estimate]:
    """Complaint counts, handling times and SLA compliance for one period.

    Args:
        frame: complaints received in the period.
        to_date: complaints of this and earlier periods (for open overdue ones); later ones are ignored.
        sla: acknowledgement and resolution targets in days.
        period_end: the last day of the period; a complaint resolved later was open then.
        orders: orders in the period, for the rate per 1000 orders.
    """
    out = {"complaints": count(len(frame))}
    if orders:
        out["complaints_per_1000_orders"] = Estimate(1000 * len(frame) / orders, len(frame))
    received = frame["received_on"]
    if "acknowledged_on" in frame:
        out["complaint_ack_days_median"] = median(_days(frame["acknowledged_on"], received).to_numpy())
    if "resolved_on" not in frame:
        return out
    resolved_on = frame["resolved_on"].where(frame["resolved_on"] <= period_end)
    days = _days(resolved_on, received)
    out["complaint_resolution_days_median"] = median(days.to_numpy())
    resolved_days = days.dropna()
    if len(resolved_days):
        out["complaint_resolution_days_p90"] = Estimate(float(resolved_days.quantile(0.9)), len(resolved_days))
    age = _days(pd.Series(period_end, index=frame.index), received)
    overdue_open = days.isna() & (age > sla.complaint_resolve_days)
    judged = days.notna() | overdue_open
    within = days <= sla.complaint_resolve_days
    out["complaints_resolved_within_sla_pct"] = proportion(int(within.sum()), int(judged.sum()))
    out["complaints_open_overdue"] = count(len(overdue_complaints(to_date, sla, period_end)))
    if "root_cause" in frame:
        closed = days.notna()
        recorded = frame["root_cause"].notna() & closed
        out["root_cause_recorded_pct"] = proportion(int(recorded.sum()), int(closed.sum()))
    return out


def overdue_complaints(to_date: pd.DataFrame, sla: Sla, period_end: pd.Timestamp) -> pd.DataFrame:
    """Complaints still open at the period's end and older than the resolution SLA.

    A complaint received after ``period_end`` has a negative age there, so it never counts.
    """
    if "resolved_on" not in to_date:
        return to_date.iloc[0:0]
    resolved = to_date["resolved_on"].where(to_date["resolved_on"] <= period_end)
    age = _days(pd.Series(period_end, index=to_date.index), to_date["received_on"])
    return to_date.loc[resolved.isna() & (age > sla.complaint_resolve_days)]


def return_estimates(frame: pd.DataFrame, orders: pd.DataFrame | None) -> dict[str, Estimate]:
    """returns, return_rate_pct (returns per 100 orders), returns_ppm, warranty_claims."""
    out = {"returns": count(len(frame))}
    if orders is not None and len(orders):
        if len(frame) <= len(orders):
            out["return_rate_pct"] = proportion(len(frame), len(orders))
        else:
            out["return_rate_pct"] = Estimate(100 * len(frame) / len(orders), len(orders))
        delivered = "quantity_delivered" if "quantity_delivered" in orders else "quantity_ordered"
        if "quantity" in frame and delivered in orders:
            units = float(orders[delivered].sum())
            if units > 0:
                out["returns_ppm"] = Estimate(1e6 * float(frame["quantity"].sum()) / units, int(units))
    if "warranty" in frame:
        out["warranty_claims"] = count(int(frame["warranty"].fillna(False).sum()))
    return out


def order_estimates(frame: pd.DataFrame, period_end: pd.Timestamp) -> dict[str, Estimate]:
    """orders, on_time_pct, in_full_pct, otif_pct, at order level.

    An order counts for delivery performance once it is due: delivered in the period,
    or promised on or before the period's end. An undelivered order past its promise
    date is late; not in full when fewer units were delivered than ordered.
    """
    out = {"orders": count(len(frame))}
    if "promised_on" not in frame or "delivered_on" not in frame:
        return out
    delivered = frame["delivered_on"].where(frame["delivered_on"] <= period_end)
    due = frame["promised_on"].notna() & (delivered.notna() | (frame["promised_on"] <= period_end))
    on_time = due & delivered.notna() & (delivered <= frame["promised_on"])
    n_due = int(due.sum())
    out["on_time_pct"] = proportion(int(on_time.sum()), n_due)
    if "quantity_ordered" in frame and "quantity_delivered" in frame:
        full = due & delivered.notna() & (frame["quantity_delivered"] >= frame["quantity_ordered"])
        out["in_full_pct"] = proportion(int(full.sum()), n_due)
        out["otif_pct"] = proportion(int((on_time & full).sum()), n_due)
    return out


def customer_estimates(orders_to_date: pd.DataFrame, periods: tuple[str, ...]) -> tuple[dict[str, Estimate], pd.DataFrame]:
    """active_customers, lost_customers and key_accounts_lost for the last of ``periods``.

    A customer is lost when they ordered in any of the four quarters before the audited
    one and not in it. Key accounts are tier A of an ABC analysis by revenue over those
    four quarters: the customers that together make the first 80% of revenue.

    Returns:
        The estimates and the lost customers (customer_id, revenue, tier), largest first.
    """
    empty = pd.DataFrame(columns=["customer_id", "revenue", "tier"])
    if "customer_id" not in orders_to_date or len(periods) < 2:
        return {}, empty
    current, before = periods[-1], periods[-5:-1]
    by_period = orders_to_date.loc[orders_to_date["customer_id"].notna()]
    active = set(by_period.loc[by_period["_period"] == current, "customer_id"])
    earlier = by_period.loc[by_period["_period"].isin(before)]
    weight = earlier["value"] if "value" in earlier else pd.Series(1.0, index=earlier.index)
    revenue = weight.groupby(earlier["customer_id"]).sum().sort_values(ascending=False)
    share = revenue.cumsum() / revenue.sum() if revenue.sum() > 0 else revenue * 0
    tier = pd.Series("C", index=revenue.index)
    tier[share.shift(fill_value=0) < 0.95] = "B"
    tier[share.shift(fill_value=0) < 0.80] = "A"
    lost = revenue.loc[~revenue.index.isin(active)]
    table = pd.DataFrame({"customer_id": lost.index, "revenue": lost.to_numpy(), "tier": tier[lost.index].to_numpy()})
    out = {
        "active_customers": count(len(active)),
        "lost_customers": count(len(lost)),
        "key_accounts_lost": count(int((table["tier"] == "A").sum())),
    }
    return out, table
