"""Files with one row per order line (``grain: line``): lines become orders.

Quantities and values are summed per order; the order date (or return date) and the
customer must agree on every line; an order is promised by its latest promised date and
delivered when its last line is, and is in full only when every line is (``_in_full``:
a short line is not made good by another line's surplus). One bad line sets the whole
order aside, so that no order is counted with part of its lines. The line rules are
declared with the kind's schema (:mod:`audit.data.schemas`); this module combines.
"""

from __future__ import annotations

import pandas as pd

from audit.data.contract import ID_COLUMN
from audit.data.rules import Cells, Failure
from audit.data.schemas import schema_for
from audit.data.table import ROW

__all__ = ["IN_FULL", "SUMMED", "aggregate_lines", "combine"]

#: columns added up over an order's lines
SUMMED = ("quantity", "quantity_ordered", "quantity_delivered", "value")
#: whether every line of an order was delivered in full (only for ``grain: line``)
IN_FULL = "_in_full"


def aggregate_lines(kind: str, frame: pd.DataFrame, found: list[Failure]) -> tuple[pd.DataFrame, list[Failure]]:
    """One row per order (or return) from its lines, after the line rules of its schema.

    Args:
        kind: orders or returns.
        frame: converted lines, our column names, ``_row``.
        found: failures already found on the lines.

    Returns:
        The valid orders (``_row`` is the first line's row; ``_in_full`` when quantities
        are given) and the new failures: lines that disagree on the date or the
        customer, and the other lines of an order set aside because one of its lines
        failed (see :class:`audit.data.schemas.Orders`).
    """
    schema = schema_for(kind, None, lines=True)
    failed = pd.Series(frame.index.isin([f.index for f in found]), index=frame.index)
    cells = Cells(kind, None, frame, frame, {}, failed=failed)
    new = schema.check(cells, "lines")
    bad = failed.to_numpy() | frame.index.isin([f.index for f in new])
    return combine(kind, frame.loc[~bad]), new


def combine(kind: str, good: pd.DataFrame) -> pd.DataFrame:
    """Sum the valid lines of each order into one row (see the module docstring)."""
    key = ID_COLUMN[kind]
    columns = list(good.columns)
    good = good.loc[good[key].notna().to_numpy()]
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
    if "quantity_ordered" in good and "quantity_delivered" in good:
        short = (good["quantity_delivered"] < good["quantity_ordered"]) | good["quantity_delivered"].isna()
        orders[IN_FULL] = ~short.groupby(good[key], sort=False).any()
        columns.append(IN_FULL)
    return orders.reset_index()[columns]
