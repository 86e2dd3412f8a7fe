"""Cost of our Excel reader against python-calamine's own read of the same sheet.

Usage:
    python benchmarks/read_xlsx.py              # 200,000 rows (written once to benchmarks/out/)
    python benchmarks/read_xlsx.py --rows 50000

Times, best of three: python-calamine reading the sheet into Python lists (the floor);
``read_table`` (those lists → a frame with Excel row numbers, header found, blank rows
dropped); and ``load_kind`` (read + map + convert + validate) for context. The goal is
read_table ≤ 1.5 × calamine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = [
    "order_id",
    "customer_id",
    "ordered_on",
    "promised_on",
    "delivered_on",
    "quantity_ordered",
    "quantity_delivered",
    "value",
    "product",
    "region",
]


def write_sheet(path: Path, rows: int) -> None:
    """An orders sheet with a title row, real dates, numbers and text."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Orders")
    sheet.append(["Order book export"])
    sheet.append(HEADER)
    start = dt.datetime(2026, 7, 1)
    for i in range(rows):
        ordered = start + dt.timedelta(days=i % 90)
        sheet.append([
            f"SO-{i:07d}", f"CUST-{i % 5000:05d}", ordered, ordered + dt.timedelta(days=7),
            ordered + dt.timedelta(days=6 + i % 3), 10 + i % 7, 10 + i % 7, round(100 + (i % 997) * 1.37, 2),
            f"Pump {i % 40}", ("North", "South", "East", "West")[i % 4],
        ])  # fmt: skip
    book.save(path)


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    path = out / f"orders_{args.rows}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        write_sheet(path, args.rows)
        print(f"wrote {path.name} in {time.perf_counter() - started:.1f} s")

    from python_calamine import CalamineWorkbook

    from audit.config import AuditConfig
    from audit.data.dataset import load_kind
    from audit.data.readers import read_table

    def calamine() -> object:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)

    def ours() -> object:
        return read_table(path, expected=HEADER)

    config = AuditConfig.model_validate(
        {
            "audit": {"id": "B", "organisation": "B", "period": "2026-Q3"},
            "data": {"orders": {"path": str(path)}},
            "folder": out,
        }
    )
    assert config.data.orders is not None
    source = config.data.orders

    def whole() -> object:
        return load_kind("orders", source, config)

    floor = best_of(3, calamine)
    read = best_of(3, ours)
    full = best_of(3, whole)
    print(f"{args.rows:,} rows × {len(HEADER)} columns")
    print(f"python-calamine to_python   {floor:6.2f} s")
    print(f"read_table                  {read:6.2f} s   ({read / floor:.2f} × calamine)")
    print(f"load_kind (read+validate)   {full:6.2f} s")


if __name__ == "__main__":
    main()
