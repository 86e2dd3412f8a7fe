"""Related files joined through audit.yaml: customers on customer_id, order lines on order_id (issue 13, item 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.data.dataset import load_audit
from audit.kpi import compute_kpis

HEADER = """audit: {id: T-2026-Q3, organisation: Test Ltd, period: 2026-Q3}
data:
"""


def test_customers_file_gives_the_customer_behind_several_ids_and_its_tier(tmp_path: Path) -> None:
    # a marketplace export: a new customer id per order; the customers file names the person behind it
    (tmp_path / "orders.csv").write_text(
        "order_id,ordered_on,customer_id,value\n"
        "O1,2026-07-01,c-1,100\n"
        "O2,2026-08-01,c-2,50\n"  # same person as c-1
        "O3,2026-08-02,c-3,10\n"
        "O4,2026-08-03,c-9,10\n",  # not in the customers file
        encoding="utf-8",
    )
    (tmp_path / "customers.csv").write_text(
        "Customer,Person,Tier,Region\nc-1,P1,key account,North\nc-2,P1,key account,North\nc-3,P2,C,South\n",
        encoding="utf-8",
    )
    (tmp_path / "audit.yaml").write_text(
        HEADER
        + "  orders: {path: orders.csv}\n"
        + "  customers: {path: customers.csv, columns: {customer_id: Customer, account_id: Person, tier: Tier, region: Region}}\n",
        encoding="utf-8",
    )
    data = load_audit(tmp_path)
    orders = data.frames["orders"].set_index("order_id")
    assert orders["customer_id"].tolist() == ["P1", "P1", "P2", "c-9"]
    assert orders["_customer_id"].tolist() == ["c-1", "c-2", "c-3", "c-9"]
    assert orders["tier"].tolist()[:3] == ["A", "A", "C"] and orders["region"].tolist()[:3] == [
        "North",
        "North",
        "South",
    ]
    (problem,) = data.problems
    assert (problem.kind, problem.row, problem.column, problem.rule, problem.value) == (
        "orders",
        5,
        "customer_id",
        "unknown_customer",
        "c-9",
    )
    assert not problem.quarantined
    assert [s.kind for s in data.sources] == ["orders", "customers"]
    kpis = compute_kpis(data)
    # P1 ordered twice (under two ids): 3 active customers, one of them a repeat buyer
    assert kpis["active_customers"].value == 3
    assert kpis["repeat_purchase_pct"].value == pytest.approx(100 / 3)


def test_order_lines_in_a_second_file_are_summed_and_joined(tmp_path: Path) -> None:
    (tmp_path / "audit.yaml").write_text(HEADER + ORDER_LINES, encoding="utf-8")
    _order_line_files(tmp_path)
    data = load_audit(tmp_path)
    orders = data.frames["orders"].set_index("order_id")
    assert orders.loc["O1", ["quantity_ordered", "quantity_delivered", "value"]].tolist() == [5, 5, 25]
    assert orders.loc["O2", "value"] == 40 and orders["_in_full"].tolist()[:2] == [True, False]
    found = sorted((p.file, p.row, p.rule, p.value) for p in data.problems)
    assert found == [("headers.csv", 4, "no_lines", "O3"), ("lines.csv", 5, "unknown_order", "O9")]
    lines = next(s for s in data.sources if s.kind == "order_lines")
    assert (lines.rows_read, lines.rows_valid) == (4, 4)
    kpis = compute_kpis(data)
    assert kpis["in_full_pct"].value == pytest.approx(
        100 / 3
    )  # O1 of the three due orders (O3's quantities are unknown)


def test_join_problems_are_worded_in_the_audits_language(tmp_path: Path) -> None:
    header = HEADER.replace("period: 2026-Q3}", "period: 2026-Q3, language: zh-CN}")
    (tmp_path / "audit.yaml").write_text(header + ORDER_LINES, encoding="utf-8")
    _order_line_files(tmp_path)
    messages = {p.rule: p.message for p in load_audit(tmp_path).problems}
    assert messages["no_lines"].startswith("订单 O3 在 ") and "没有明细行" in messages["no_lines"]
    assert (
        messages["unknown_order"].startswith("明细文件中的订单 O9")
        and "请更正编号或补充该订单" in messages["unknown_order"]
    )


ORDER_LINES = """  orders:
    path: headers.csv
    columns: {order_id: Order, ordered_on: Date, promised_on: Promised, delivered_on: Delivered}
    lines:
      path: lines.csv
      columns: {order_id: Order, quantity_ordered: Qty, quantity_delivered: Shipped, value: Amount}
"""


def _order_line_files(folder: Path) -> None:
    """An order headers file and its lines: O3 has no lines, O9 is no order."""
    (folder / "headers.csv").write_text(
        "Order,Date,Promised,Delivered\n"
        "O1,2026-07-01,2026-07-10,2026-07-09\n"
        "O2,2026-07-02,2026-07-10,2026-07-09\n"
        "O3,2026-07-03,2026-07-10,2026-07-09\n",  # no lines
        encoding="utf-8",
    )
    (folder / "lines.csv").write_text(
        "Order,Qty,Shipped,Amount\nO1,2,2,10\nO1,3,3,15\nO2,4,3,40\nO9,1,1,5\n", encoding="utf-8"
    )
