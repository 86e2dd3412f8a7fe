"""Related files joined on their ids: customers on customer_id, order lines on order_id.

A join never drops a row silently: ids of one file that the other does not know are
reported as problems (not quarantined: the row is still used, without what the other
file would have added).
"""

from __future__ import annotations

import pandas as pd

from audit.data.lines import IN_FULL
from audit.data.table import ROW, brief
from audit.i18n import _
from audit.model import Problem, SourceInfo

__all__ = ["join_customers", "join_lines"]

#: order columns that lines can supply
LINE_COLUMNS = ("quantity_ordered", "quantity_delivered", "value", "product", "promised_on", "delivered_on", IN_FULL)


def join_lines(
    orders: pd.DataFrame, lines: pd.DataFrame, orders_info: SourceInfo, lines_info: SourceInfo
) -> tuple[pd.DataFrame, list[Problem]]:
    """The orders with the columns their lines add (summed per order), and the ids that do not match.

    Args:
        orders: the valid orders (one row per order).
        lines: the valid lines combined per order (see :func:`audit.data.lines.combine`).
        orders_info, lines_info: where each came from, for the problems.

    Returns:
        The orders with the lines' columns that the order file does not have, and a
        ``no_lines`` problem per order without lines and an ``unknown_order`` problem per
        order id of the lines file that matches no order.
    """
    added = [c for c in LINE_COLUMNS if c in lines and c not in orders]
    joined = orders.merge(
        lines[["order_id", *added]], on="order_id", how="left", validate="many_to_one", indicator="_match"
    )
    joined.index = orders.index
    line_columns = ", ".join(c for c in added if c != IN_FULL) or _("line columns")
    problems = [
        Problem(
            "orders", orders_info.path, orders_info.sheet, int(row), "order_id", brief(str(ident)), "no_lines",
            _(
                "order {order} has no lines in {file}; its {columns} are unknown; add its lines or correct the id",
                order=brief(str(ident)), file=lines_info.path, columns=line_columns,
            ),
            quarantined=False,
        )
        for row, ident in zip(joined.loc[joined["_match"] == "left_only", ROW], joined.loc[joined["_match"] == "left_only", "order_id"])
    ]  # fmt: skip
    unknown = lines.loc[~lines["order_id"].isin(orders["order_id"]).to_numpy()]
    problems += [
        Problem(
            "orders", lines_info.path, lines_info.sheet, int(row), "order_id", brief(str(ident)), "unknown_order",
            _(
                "order {order} of the lines file matches no order of {file} in the audit's window; its lines are "
                "not used; correct the id or add the order",
                order=brief(str(ident)), file=orders_info.path,
            ),
            quarantined=False,
        )
        for row, ident in zip(unknown[ROW], unknown["order_id"])
    ]  # fmt: skip
    return joined.drop(columns="_match"), problems


def join_customers(
    kind: str, frame: pd.DataFrame, customers: pd.DataFrame, info: SourceInfo, customers_info: SourceInfo, header: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """One kind's rows with what the customers file says about each customer_id.

    ``tier`` and ``segment`` are added, ``region`` filled where the row has none, and
    with ``account_id`` the customer behind several ids replaces them in ``customer_id``
    (the id as written is kept in ``_customer_id``), so that repeat customers are
    counted once.

    Returns:
        The rows joined, and an ``unknown_customer`` problem per row whose customer_id
        the customers file does not list.
    """
    if "customer_id" not in frame or frame.empty:
        return frame, []
    known = customers.drop_duplicates("customer_id").set_index("customer_id")
    ids = frame["customer_id"]
    out = frame.copy()
    for column in ("tier", "segment"):
        if column in known:
            out[column] = ids.map(known[column])
    if "region" in known:
        region = ids.map(known["region"])
        out["region"] = out["region"].fillna(region) if "region" in out else region
    if "account_id" in known:
        out["_customer_id"] = ids
        out["customer_id"] = ids.map(known["account_id"]).fillna(ids)
    missing = ids.notna() & ~ids.isin(known.index)
    problems = [
        Problem(
            kind, info.path, info.sheet, int(row), header, brief(str(ident)), "unknown_customer",
            _(
                "customer {customer} is not in the customers file {file}; the row is used without its tier, region "
                "and segment; add the customer there or correct the id",
                customer=brief(str(ident)), file=customers_info.path,
            ),
            quarantined=False,
        )
        for row, ident in zip(frame.loc[missing.to_numpy(), ROW], ids[missing])
    ]  # fmt: skip
    return out, problems
