"""Cells read as the user sees them: no silent misreads (issue 13, items 1, 3, 5, 9, 12–16).

Each test writes a small crafted file; values were worked out by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from audit.data.dataset import AuditData, load_audit
from audit.exceptions import ConfigError
from conftest import folder_with as _folder_with


def folder_with(tmp_path: Path, data_block: str) -> Path:
    return _folder_with(tmp_path, data_block, max_invalid_pct=60)


def rules(data: AuditData) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.rule) for p in data.problems]


def balanced(data: AuditData) -> None:
    for s in data.sources:
        assert s.rows_read == s.rows_valid + s.rows_quarantined


def test_excel_datetimes_are_compared_by_day(tmp_path: Path) -> None:
    """13.1: 14:30 on the period's last day is in the period; order lines a minute apart agree."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["order_id", "ordered_on", "customer_id", "quantity_ordered"])
    sheet.append(["A1", dt.datetime(2026, 9, 30, 14, 30), "K1", 1])
    sheet.append(["A1", dt.datetime(2026, 9, 30, 14, 31), "K1", 2])
    sheet.append(["A2", dt.datetime(2026, 7, 1, 0, 5), "K2", 1])
    book.save(tmp_path / "o.xlsx")
    data = load_audit(folder_with(tmp_path, "  orders: {path: o.xlsx, grain: line}\n"))
    assert data.problems == ()
    orders = data.frames["orders"].set_index("order_id")
    assert orders.loc["A1", "quantity_ordered"] == 3
    assert orders.loc["A1", "ordered_on"] == pd_day("2026-09-30")


def pd_day(text: str) -> object:
    import pandas as pd

    return pd.Timestamp(text)


def test_duplicates_are_counted_in_the_window_and_told_apart(tmp_path: Path) -> None:
    """13.3: an id reused outside the window is no problem; a copy is not a reused id."""
    (tmp_path / "c.csv").write_text(
        "complaint_id,received_on,category\n"
        "C1,2019-03-01,Late\n"  # before the window: C1 may be reused later
        "C1,2026-07-01,Late\n"
        "C2,2026-07-02,Damaged\n"
        "C2,2026-07-02,Damaged\n"  # entered twice
        "C3,2026-07-03,Late\n"
        "C3,2026-08-03,Wrong item\n",  # the same id for another complaint
        encoding="utf-8",
    )
    data = load_audit(folder_with(tmp_path, "  complaints: {path: c.csv}\n"))
    found = [(r, rule) for r, _, rule in rules(data) if rule != "outside_period"]
    assert found == [(5, "duplicate_row"), (7, "duplicate_id")]
    messages = {p.rule: p.message for p in data.problems}
    assert messages["duplicate_row"].startswith("row 5 repeats row 4")
    assert "is also used by row 6 for a different record" in messages["duplicate_id"]
    balanced(data)


def test_decimal_commas_are_read_per_column_or_as_declared(tmp_path: Path) -> None:
    """13.5: 998,00 is 998; 2.125,26 is 2125.26; 1,5 is 1.5; an ambiguous 1,250 is refused, not guessed."""
    (tmp_path / "r.csv").write_text(
        "return_id;returned_on;value;quantity\n"
        "R1;2026-07-01;998,00;1\n"
        "R2;2026-07-02;2.125,26;1,5\n"
        "R3;2026-07-03;12;2\n"
        "R4;2026-07-04;3;1.250\n",
        encoding="utf-8",
    )
    folder = folder_with(tmp_path, "  returns: {path: r.csv}\n")
    data = load_audit(folder)
    returns = data.frames["returns"].set_index("return_id")
    assert returns["value"].to_dict() == {"R1": 998.0, "R2": 2125.26, "R3": 12.0, "R4": 3.0}
    # 1,5 tells that the quantity column's decimal is ',', so its 1.250 is 1250, not 1.25
    assert returns["quantity"].to_dict() == {"R1": 1.0, "R2": 1.5, "R3": 2.0, "R4": 1250.0}
    assert data.problems == ()
    # declared '.', the comma-decimal values are refused rather than read as 99,800
    folder_with(tmp_path, "  returns: {path: r.csv, decimal: '.'}\n")
    data = load_audit(folder)
    assert [(r, c, rule) for r, c, rule in rules(data)] == [
        (2, "value", "not_a_number"),
        (3, "quantity", "not_a_number"),
        (3, "value", "not_a_number"),
    ]


def test_an_ambiguous_number_in_a_semicolon_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text(
        "return_id;returned_on;value\nR1;2026-07-01;1.250\nR2;2026-07-02;12\nR3;2026-07-03;4\n", encoding="utf-8"
    )
    data = load_audit(folder_with(tmp_path, "  returns: {path: r.csv}\n"))
    assert rules(data) == [(2, "value", "not_a_number")]
    assert "reads both as thousands and as decimals" in data.problems[0].message
    assert list(data.frames["returns"]["value"]) == [12.0, 4.0]


def test_a_dot_decimal_in_a_comma_decimal_column_is_refused(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text(
        "return_id;returned_on;value\nR1;2026-07-01;10,50\nR2;2026-07-02;7,25\nR3;2026-07-03;3.75\n", encoding="utf-8"
    )
    data = load_audit(folder_with(tmp_path, "  returns: {path: r.csv}\n"))
    assert rules(data) == [(4, "value", "not_a_number")]
    assert "written with '.' as the decimal separator while the column uses ','" in data.problems[0].message


def test_an_unreadable_default_is_a_configuration_error(tmp_path: Path) -> None:
    """13.9: a default is checked like a cell; it never quietly empties every row."""
    (tmp_path / "s.csv").write_text("response_id,recommend\nS1,9\n", encoding="utf-8")
    folder = folder_with(tmp_path, "  surveys: {path: s.csv, defaults: {responded_on: '2026-13-45'}}\n")
    with pytest.raises(ConfigError, match=r"^data\.surveys\.defaults\.responded_on: '2026-13-45' cannot be read"):
        load_audit(folder)


def test_inf_huge_numbers_and_numbers_in_date_columns_are_row_problems(tmp_path: Path) -> None:
    """13.12: inf and 1e308 are not numbers anyone recorded; 20260811 in a date column is read as a date."""
    (tmp_path / "r.csv").write_text(
        "return_id,returned_on,quantity\nR1,2026-07-01,inf\nR2,2026-07-02,1e308\nR3,2026-07-03,2\nR4,2026-07-04,1\n",
        encoding="utf-8",
    )
    data = load_audit(folder_with(tmp_path, "  returns: {path: r.csv}\n"))
    assert rules(data) == [(2, "quantity", "not_a_number"), (3, "quantity", "not_a_number")]
    assert "is infinite or beyond" in data.problems[0].message
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["return_id", "returned_on"])
    sheet.append(["R1", 20260811])  # yyyymmdd written as a number
    sheet.append(["R2", 0])  # Excel's serial 0
    sheet["B3"].number_format = "hh:mm:ss"
    sheet.append(["R3", 99999999])
    sheet.append(["R4", dt.datetime(2026, 8, 1)])
    sheet.append(["R5", dt.datetime(2026, 8, 2)])
    book.save(tmp_path / "r.xlsx")
    data = load_audit(folder_with(tmp_path, "  returns: {path: r.xlsx}\n"))
    assert [d.date().isoformat() for d in data.frames["returns"]["returned_on"]] == [
        "2026-08-11",
        "2026-08-01",
        "2026-08-02",
    ]
    assert rules(data) == [(3, "returned_on", "not_a_date"), (4, "returned_on", "not_a_date")]
    assert "Excel's date serial 0" in data.problems[0].message
    assert "a number that is not a date" in data.problems[1].message


def test_common_missing_value_markers_are_blanks(tmp_path: Path) -> None:
    """13.13: NA, N/A, -, (空), (跳过) … are blanks by default; na_values: replaces the list."""
    (tmp_path / "s.csv").write_text(
        "response_id,responded_on,overall,recommend\n"
        "S1,2026-07-01,NA,9\n"
        "S2,2026-07-02,4,n/a\n"
        "S3,2026-07-03,(跳过),-\n"
        "S4,2026-07-04,5,10\n"
        "S5,2026-07-05,Neutral,7\n",
        encoding="utf-8",
    )
    data = load_audit(folder_with(tmp_path, "  surveys: {path: s.csv}\n"))
    assert rules(data) == [(6, "overall", "not_a_number")]
    message = data.problems[0].message
    assert "map the answer under data.surveys.values.overall" in message and "na_values" in message
    frame = data.frames["surveys"].set_index("response_id")
    assert frame["overall"].isna().tolist() == [True, False, True, False]
    data = load_audit(folder_with(tmp_path, "  surveys: {path: s.csv, na_values: [Neutral, NA, n/a, (跳过), '-']}\n"))
    assert data.problems == ()


def test_credit_notes_declared_negative_and_a_column_unmapped(tmp_path: Path) -> None:
    """13.14: sign: negative reads -2 units and -50.00 as a return of 2 worth 50; quantity: null un-maps."""
    (tmp_path / "inv.csv").write_text(
        "Invoice,Date,Customer,quantity,value\n"
        "I100,2026-07-01,K1,5,500\n"
        "C101,2026-07-09,K1,-2,-50.00\n"
        "C102,2026-07-10,K2,3,30\n",
        encoding="utf-8",
    )
    block = """  returns:
    path: inv.csv
    sign: negative
    columns: {return_id: Invoice, returned_on: Date, customer_id: Customer}
    where: {Invoice: {starts_with: C}}
"""
    data = load_audit(folder_with(tmp_path, block))
    returns = data.frames["returns"]
    assert returns[["return_id", "quantity", "value"]].values.tolist() == [["C101", 2.0, 50.0]]
    assert rules(data) == [(4, "quantity", "impossible_quantity"), (4, "value", "negative")]
    assert "sign is negative, so the file's values should be written negative" in data.problems[0].message
    unmapped = block.replace("customer_id: Customer}", "customer_id: Customer, quantity: null}")
    data = load_audit(folder_with(tmp_path, unmapped))
    assert "quantity" not in data.frames["returns"]


def test_filters_negation_comparison_any_and_all(tmp_path: Path) -> None:
    """13.15: not_starts_with, not_contains, gt/ge/lt/le, any:, all:."""
    (tmp_path / "lines.csv").write_text(
        "Order,Date,Refund,Note\n"
        "A1,2026-07-01,0,\n"
        "A2,2026-07-02,12.5,damaged\n"
        "A3,2026-07-03,,late\n"
        "T4,2026-07-04,3,test order\n"
        "A5,2026-07-05,0,return requested\n",
        encoding="utf-8",
    )
    block = """  returns:
    path: lines.csv
    columns: {return_id: Order, returned_on: Date}
    where:
      Order: {not_starts_with: T}
      any: [{Refund: {gt: 0}}, {Note: {contains: return}}]
      all: [{Note: {not_contains: test}}, {Refund: {le: 100}}]
"""
    data = load_audit(folder_with(tmp_path, block))
    assert list(data.frames["returns"]["return_id"]) == ["A2", "A5"]
    assert "2 of 5 rows kept by 'where'" in data.sources[0].notes


def test_filter_values_are_typed_at_the_door(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("return_id,returned_on\nR1,2026-07-01\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="compares with a number or a date"):
        load_audit(folder_with(tmp_path, "  returns: {path: r.csv, where: {Refund: {gt: lots}}}\n"))
    with pytest.raises(ConfigError, match="any needs a list"):
        load_audit(folder_with(tmp_path, "  returns: {path: r.csv, where: {any: {Refund: {gt: 1}}}}\n"))


def test_value_mappings_match_the_cell_as_seen_and_dimension_names(tmp_path: Path) -> None:
    """13.16: "-1" matches Excel's -1.0; values: for a dimension by its declared name; unknown keys refused."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "date", "overall", "Quality"])
    sheet.append(["S1", dt.datetime(2026, 7, 1), -1, "Good"])
    sheet.append(["S2", dt.datetime(2026, 7, 2), 4, "Poor"])
    book.save(tmp_path / "s.xlsx")
    block = """  surveys:
    path: s.xlsx
    columns: {response_id: id, responded_on: date}
    dimensions: {quality: Quality}
    values: {overall: {"-1": 3}, quality: {good: 4, poor: 2}}
"""
    data = load_audit(folder_with(tmp_path, block))
    frame = data.frames["surveys"]
    assert list(frame["overall"]) == [3, 4] and list(frame["dim_quality"]) == [4, 2]
    with pytest.raises(ConfigError, match=r"data\.surveys\.values: unknown column \['dim_quality'\]"):
        load_audit(folder_with(tmp_path, block.replace("quality: {good", "dim_quality: {good")))
