"""Files with one row per order line (``grain: line``): lines become orders.

Quantities and values are summed per order; the order date (or return date) and the
customer must agree on every line; an order is promised by its latest promised date and
delivered when its last line is, and is in full only when every line is (``_in_full``:
a short line is not made good by another line's surplus). One bad line sets the whole
order aside, so that no order is counted with part of its lines.
"""

from __future__ import annotations

import pandas as pd

from audit.data.contract import DATE_COLUMN, ID_COLUMN
from audit.data.convert import brief
from audit.data.readers import ROW
from audit.data.schemas import Failure

__all__ = ["IN_FULL", "SUMMED", "aggregate_lines"]

#: columns added up over an order's lines
SUMMED = ("quantity", "quantity_ordered", "quantity_delivered", "value")
#: whether every line of an order was delivered in full (only for ``grain: line``)
IN_FULL = "_in_full"


def aggregate_lines(kind: str, frame: pd.DataFrame, found: list[Failure]) -> tuple[pd.DataFrame, list[Failure]]:
    """One row per order (or return) from its lines.

    Args:
        kind: orders or returns.
        frame: converted lines, our column names, ``_row``.
        found: failures already found on the lines.

    Returns:
        The valid orders (``_row`` is the first line's row; ``_in_full`` when quantities
        are given) and the new failures: lines
        that disagree on the date or the customer, and the other lines of an order set
        aside because one of its lines failed.
    """
    key = ID_COLUMN[kind]
    bad = frame.index.isin([f.index for f in found])
    new: list[Failure] = []
    clean = frame.loc[~bad & frame[key].notna().to_numpy()]
    for column in (DATE_COLUMN[kind], "customer_id"):
        if column not in clean:
            continue
        disagree = clean.groupby(key, sort=False)[column].transform("nunique").to_numpy() > 1
        new += [
            Failure(
                int(i),
                column,
                "inconsistent_lines",
                f"the lines of {key} {brief(str(ident))} disagree on {column}; give every line of one order the same {column}",
            )
            for i, ident in zip(clean.index[disagree], clean.loc[disagree, key])
        ]
    failed_index = frame.index.isin([f.index for f in found + new])
    first_row = frame.loc[failed_index, [key, ROW]].dropna(subset=[key]).groupby(key)[ROW].min()
    sibling = frame[key].isin(first_row.index).to_numpy() & ~failed_index
    new += [
        Failure(
            i, key, "order_set_aside",
            f"another line of {key} {brief(str(ident))} (row {first_row[ident]}) has a problem; "
            "the whole order is left out until that line is corrected",
        )
        for i, ident in zip(frame.index[sibling].tolist(), frame.loc[sibling, key].tolist())
    ]  # fmt: skip
    good = frame.loc[~frame[key].isin(first_row.index).to_numpy() & ~failed_index & frame[key].notna().to_numpy()]
    groups = good.groupby(key, sort=False)
    summed = [c for c in SUMMED if c in good]
    orders = groups.first()  # first non-blank value per column
    if summed:
        orders[summed] = groups[summed].sum(min_count=1)
    orders[ROW] = groups[ROW].min()
    if "promised_on" in good:
        orders["promised_on"] = groups["promised_on"].max()
    if "delivered_on" in good:
        undelivered = good["delivered_on"].isna().groupby(good[key], sort=False).any()
        orders["delivered_on"] = groups["delivered_on"].max().mask(undelivered)
    columns = list(frame.columns)
    if "quantity_ordered" in good and "quantity_delivered" in good:
        short = (good["quantity_delivered"] < good["quantity_ordered"]) | good["quantity_delivered"].isna()
        orders[IN_FULL] = ~short.groupby(good[key], sort=False).any()
        columns.append(IN_FULL)
    return orders.reset_index()[columns], new
