"""Customer KPIs from the orders: ABC tiers, active, lost and key accounts lost, repeat purchase.

Customers are ranked by revenue (order ``value``; the number of orders when there is no
value). Tier A are the customers that together make the first 80% of revenue, B the
next 15%, C the rest (ABC analysis). Tiers need order values: ranked by the number of
orders they would only say who ordered most often (and, with one order each, fall by the
order of the ids), so without values there are no tiers and no key accounts. A customer
counts as lost only if they bought repeatedly (two or more orders in the four quarters
before): a one-off buyer who does not come back is not lost business. A customers file with a
``tier`` column (``data.customers``) overrides the ranking for the customers it lists. Formulas:
docs/metrics.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from audit.i18n import N_, _, ngettext
from audit.kpi.stats import Estimate, absent, count, proportion
from audit.model import TierRow

__all__ = [
    "ONE_OFF",
    "TIER_LIMITS",
    "UNTIERED",
    "CustomerHistory",
    "abc_tiers",
    "current_tiers",
    "customer_estimates",
    "customer_history",
]

#: cumulative revenue share before a customer below which it is tier A, then B; else C
TIER_LIMITS = (("A", 0.80), ("B", 0.95))
#: quarters before a period in which a customer who no longer orders counts as lost
LOOKBACK = 4
#: why there are no tiers (and so no key accounts)
UNTIERED = N_(
    "tiers need a value column in the orders (or declared tiers): ranked by number of orders, customers "
    "with one order each would fall into tiers by the order of their ids"
)
#: why there is no lost business to count
ONE_OFF = N_(
    "no customer ordered more than once in the quarters before: lost business cannot be told from one-off purchases"
)


def abc_tiers(revenue: npt.NDArray[np.float64]) -> npt.NDArray[np.str_]:
    """The ABC tier of each customer from its revenue; ties ranked by position (sorted ids).

    A customer is in tier A when the customers ranked above it make less than 80% of the
    total revenue (so the customer that crosses 80% is in A), B below 95%, else C.
    """
    order = np.lexsort((np.arange(len(revenue)), -revenue))
    total = float(revenue.sum())
    ranked = revenue[order]
    before = (np.cumsum(ranked) - ranked) / total if total > 0 else np.zeros(len(ranked))
    tiers = np.full(len(revenue), "C", dtype="<U1")
    ranked_tiers = np.full(len(revenue), "C", dtype="<U1")
    for tier, limit in reversed(TIER_LIMITS):
        ranked_tiers[before < limit - 1e-12] = tier
    tiers[order] = ranked_tiers
    return tiers


@dataclass(frozen=True)
class CustomerHistory:
    """Orders and revenue per customer (rows, ids sorted) and period (columns, oldest first).

    Attributes:
        ids: customer ids, sorted.
        orders: number of orders per customer and period.
        revenue: revenue per customer and period (number of orders when ``by_value`` is False).
        by_value: whether revenue comes from the orders' ``value``.
        declared: each customer's tier as the customers file gives it (A, B, C), "" where
            it gives none; None without a customers file with tiers.
    """

    ids: npt.NDArray[np.object_]
    orders: npt.NDArray[np.int64]
    revenue: npt.NDArray[np.float64]
    by_value: bool
    declared: npt.NDArray[np.str_] | None = None

    def tiers(self, revenue: npt.NDArray[np.float64], bought: npt.NDArray[np.bool_]) -> npt.NDArray[np.str_]:
        """The tier of each customer who bought: as declared in the customers file, else by ABC on ``revenue``."""
        tiers = abc_tiers(revenue[bought])
        if self.declared is not None:
            declared = self.declared[bought]
            tiers = np.where(declared != "", declared, tiers).astype("<U1")
        return tiers

    @property
    def tiered(self) -> bool:
        """Whether customers can be put in tiers: the orders carry a value (declared tiers count too, with a customers file)."""
        return self.by_value or self.declared is not None


def customer_history(orders: pd.DataFrame, periods: tuple[str, ...]) -> CustomerHistory | None:
    """Tabulate the orders by customer and period (one row per order, with ``_period``).

    Returns None when the orders have no customer_id.
    """
    if "customer_id" not in orders:
        return None
    known = orders.loc[orders["customer_id"].notna() & orders["_period"].isin(periods)]
    codes, ids = pd.factorize(known["customer_id"], sort=True)
    period_codes, labels = pd.factorize(known["_period"])
    column = pd.Index(list(periods)).get_indexer(pd.Index(labels))[period_codes].astype(np.int64)
    cell = codes.astype(np.int64) * len(periods) + column
    size = len(ids) * len(periods)
    counts = np.bincount(cell, minlength=size).reshape(len(ids), len(periods))
    by_value = "value" in known
    if by_value:
        weights = known["value"].to_numpy(dtype="float64", na_value=0.0)
        revenue = np.bincount(cell, weights=weights, minlength=size).reshape(len(ids), len(periods))
    else:
        revenue = counts.astype("float64")
    declared = None
    if "tier" in known:
        first = known.dropna(subset=["tier"]).drop_duplicates("customer_id").set_index("customer_id")["tier"]
        declared = pd.Index(ids).map(first).fillna("").to_numpy(dtype="<U1")
    return CustomerHistory(
        np.asarray(ids, dtype=object), counts.astype(np.int64), revenue.astype("float64"), by_value, declared
    )


def customer_estimates(
    table: CustomerHistory, periods: tuple[str, ...], covered: list[bool]
) -> tuple[dict[str, dict[str, Estimate]], pd.DataFrame]:
    """active_customers, lost_customers, key_accounts_lost, revenue_at_risk, repeat_purchase_pct per period.

    A customer is lost in a period when they ordered in any of the four quarters before it
    (those covered by the orders file) and not in it; key accounts are tier A by revenue
    over those quarters. Revenue at risk is the lost customers' revenue over them.

    Args:
        table: orders and revenue by customer and period.
        periods: the period labels, oldest first.
        covered: per period, whether the orders file covers it.

    Returns:
        Estimates per period label, and the customers lost in the last period
        (customer_id, revenue, tier), largest first.
    """
    out: dict[str, dict[str, Estimate]] = {}
    lost_last = pd.DataFrame(
        {"customer_id": pd.Series(dtype=object), "revenue": pd.Series(dtype=float), "tier": pd.Series(dtype=object)}
    )
    for i, label in enumerate(periods):
        if not covered[i]:
            continue
        active = table.orders[:, i] > 0
        estimates = {
            "active_customers": count(int(active.sum())),
            "repeat_purchase_pct": proportion(int((table.orders[:, i] >= 2).sum()), int(active.sum())),
        }
        before = [j for j in range(max(0, i - LOOKBACK), i) if covered[j]]
        if not before:
            reason = _("no earlier quarter of orders to compare with")
            for kpi_id in ("lost_customers", "key_accounts_lost", "revenue_at_risk"):
                estimates[kpi_id] = absent(reason)
            out[label] = estimates
            continue
        bought = table.orders[:, before].sum(axis=1) > 0
        revenue = table.revenue[:, before].sum(axis=1)
        tiers = np.full(len(revenue), "", dtype="<U1")
        tiers[bought] = table.tiers(revenue, bought)
        repeat = table.orders[:, before].sum(axis=1) >= 2  # bought repeatedly: a one-off buyer is not lost business
        lost = repeat & ~active
        note = (
            ""
            if len(before) == LOOKBACK
            else ngettext(
                "compared with the {n} earlier quarter of order data",
                "compared with the {n} earlier quarters of order data",
                len(before),
            )
        )
        note = "; ".join(filter(None, (_("customers with two or more orders in the quarters before"), note)))
        if not repeat.any():
            for kpi_id in ("lost_customers", "key_accounts_lost", "revenue_at_risk"):
                estimates[kpi_id] = absent(_(ONE_OFF))
            out[label] = estimates
            continue
        estimates["lost_customers"] = count(int(lost.sum())).with_note(note)
        if table.tiered:
            estimates["key_accounts_lost"] = count(int((lost & (tiers == "A")).sum())).with_note(note)
            estimates["revenue_at_risk"] = Estimate(float(revenue[lost].sum()), int(lost.sum())).with_note(note)
        else:
            estimates["key_accounts_lost"] = absent(_(UNTIERED))
            estimates["revenue_at_risk"] = absent(_("the orders have no value column"))
        out[label] = estimates
        if i == len(periods) - 1:
            lost_last = pd.DataFrame(
                {"customer_id": table.ids[lost], "revenue": revenue[lost], "tier": tiers[lost].astype(object)}
            )
            lost_last = lost_last.sort_values(["revenue", "customer_id"], ascending=[False, True], kind="stable")
    return out, lost_last.reset_index(drop=True)


def current_tiers(table: CustomerHistory, covered: list[bool]) -> tuple[pd.Series, tuple[TierRow, ...]]:
    """Each customer's tier by revenue over the four quarters ending with the audited one, and a summary.

    Returns:
        (tier by customer id, one row per tier A, B, C).
    """
    last = len(covered) - 1
    window = [j for j in range(max(0, last - LOOKBACK + 1), last + 1) if covered[j]]
    revenue = table.revenue[:, window].sum(axis=1)
    bought = table.orders[:, window].sum(axis=1) > 0
    tiers = table.tiers(revenue, bought)
    by_customer = pd.Series(tiers, index=pd.Index(table.ids[bought], name="customer_id"), name="tier")
    total = float(revenue[bought].sum())
    rows = tuple(
        TierRow(
            tier,
            int((tiers == tier).sum()),
            float(revenue[bought][tiers == tier].sum()),
            100 * float(revenue[bought][tiers == tier].sum()) / total if total > 0 else 0.0,
        )
        for tier in ("A", "B", "C")
    )
    return by_customer, rows
