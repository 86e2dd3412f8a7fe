"""Returns KPIs: count, rate per order, ppm of delivered units, warranty claims, value, by product.

Pure functions over the valid return rows of one period; a file with one row per
return line counts each ``return_id`` once. Formulas: docs/metrics.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from audit.i18n import _
from audit.kpi.stats import Estimate, absent, compound_rate, count, proportion, rate
from audit.model import ProductReturns

__all__ = ["delivered_units", "return_estimates", "returns_by_product"]


def _returns(frame: pd.DataFrame) -> int:
    return int(frame["return_id"].nunique()) if frame["return_id"].duplicated().any() else len(frame)


def delivered_units(orders: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> float | None:
    """Units delivered from ``start`` to ``end`` (both included), whenever they were ordered.

    Units are ``quantity_delivered``, else ``quantity_ordered``. Without ``delivered_on``,
    the units of the orders placed in the period are counted (their ``_period`` is not
    needed: ``orders`` should then be the period's orders). None without quantities.
    """
    column = "quantity_delivered" if "quantity_delivered" in orders else "quantity_ordered"
    if column not in orders:
        return None
    if "delivered_on" in orders:
        delivered = orders["delivered_on"]
        orders = orders.loc[(delivered >= start) & (delivered <= end)]
    return float(orders[column].sum())


def return_estimates(frame: pd.DataFrame, orders: pd.DataFrame | None, units: float | None) -> dict[str, Estimate]:
    """returns, return_rate_pct, returns_ppm, warranty_claims and returns_value for one period.

    Args:
        frame: returns in the period.
        orders: orders placed in the period, one row per order; None without order data.
        units: units delivered in the period (:func:`delivered_units`); None without quantities.
    """
    returns = _returns(frame)
    out = {"returns": count(returns)}
    if orders is None:
        out["return_rate_pct"] = absent(_("no order data to relate returns to"))
        out["returns_ppm"] = absent(_("no order data to relate returned units to"))
    else:
        n = len(orders)
        out["return_rate_pct"] = proportion(returns, n) if returns <= n else rate(returns, n, 100)
        if "quantity" not in frame:
            out["returns_ppm"] = absent(_("the returns have no quantity column"))
        elif units is None:
            out["returns_ppm"] = absent(_("the orders have no quantities"))
        else:
            sizes = frame["quantity"].to_numpy(dtype="float64", na_value=np.nan)
            out["returns_ppm"] = compound_rate(sizes, units, 1e6) if units > 0 else Estimate(None, 0)
    if "warranty" in frame:
        out["warranty_claims"] = count(int(frame["warranty"].fillna(False).astype(bool).sum()))
    else:
        out["warranty_claims"] = absent(_("the returns have no warranty column"))
    if "value" in frame:
        out["returns_value"] = Estimate(float(frame["value"].sum()), int(frame["value"].notna().sum()))
    else:
        out["returns_value"] = absent(_("the returns have no value column"))
    return out


def returns_by_product(frame: pd.DataFrame, orders: pd.DataFrame | None) -> tuple[ProductReturns, ...]:
    """Returns per product, most first; with the rate per 100 orders when the orders name products."""
    if "product" not in frame or frame.empty:
        return ()
    known = frame.loc[frame["product"].notna()]
    group = known.groupby("product", observed=True)
    table = pd.DataFrame({"returns": group["return_id"].nunique()})
    table["units"] = group["quantity"].sum() if "quantity" in known else float("nan")
    table["value"] = group["value"].sum() if "value" in known else float("nan")
    if orders is not None and "product" in orders:
        table["orders"] = orders["product"].value_counts().reindex(table.index)
    else:
        table["orders"] = float("nan")
    table = table.sort_index(kind="stable").sort_values("returns", ascending=False, kind="stable")
    rows = []
    for product, row in table.iterrows():
        n_orders = None if pd.isna(row["orders"]) else int(row["orders"])
        rows.append(
            ProductReturns(
                str(product),
                int(row["returns"]),
                None if pd.isna(row["units"]) else float(row["units"]),
                None if pd.isna(row["value"]) else float(row["value"]),
                n_orders,
                100 * float(row["returns"]) / n_orders if n_orders else None,
            )
        )
    return tuple(rows)
