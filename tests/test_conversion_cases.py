"""Crafted columns and files whose converted values and problems are pinned down.

The reading path keeps Arrow strings from end to end and does its blank, strip and
compare work once per column; these cases fix what comes out of it (values, dtypes,
unreadable cells, their reasons, the rows read) for blanks, missing-value markers,
surrounding spaces, Excel's native dates and the rows a check looks at.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from audit.data import excel_reader
from audit.data.convert import NA_VALUES, blank_markers, convert_column
from audit.data.dataset import load_audit
from audit.data.readers import read_table
from conftest import folder_with


def _reasons(why: pd.Series) -> dict[object, str]:
    """The reasons given, by cell."""
    return {index: reason for index, reason in why.items() if reason}


def _both(cells: list[object]) -> list[pd.Series]:
    """The cells as a CSV column (Arrow text) and as an Excel column (Python objects)."""
    return [pd.Series(cells, dtype="str"), pd.Series(cells, dtype=object)]


@pytest.mark.parametrize("raw", _both(["12", " 7 ", "", "   ", "n/a", " NA ", "（空）", "abc", "1e3", "-1.5"]))
def test_a_number_column_with_blanks_markers_and_spaces(raw: pd.Series) -> None:
    converted = convert_column(blank_markers(raw, NA_VALUES), "number")
    assert converted.values.dtype == "float64"
    assert converted.values.tolist()[:2] == [12.0, 7.0]
    assert converted.values.isna().tolist() == [False, False, True, True, True, True, True, True, False, False]
    assert converted.values.tolist()[8:] == [1000.0, -1.5]
    assert converted.failed.tolist() == [False] * 7 + [True, False, False]  # only 'abc' is unreadable
    assert converted.failed.index.equals(raw.index)
    assert not _reasons(converted.why)  # no reason more precise than "not understood"


@pytest.mark.parametrize("raw", _both(["SO-1", " SO-2 ", "", "  ", "-", "SO-3"]))
def test_a_text_column_is_stripped_and_its_blanks_are_missing(raw: pd.Series) -> None:
    values = convert_column(blank_markers(raw, NA_VALUES), "text").values
    assert values.dtype == pd.StringDtype(na_value=pd.NA)
    assert values.tolist() == ["SO-1", "SO-2", pd.NA, pd.NA, pd.NA, "SO-3"]


@pytest.mark.parametrize("raw", _both(["SO-1", "SO-2", "产品 A"]))
def test_a_text_column_with_nothing_to_strip_keeps_its_cells(raw: pd.Series) -> None:
    converted = convert_column(raw, "text")
    assert converted.values.dtype == pd.StringDtype(na_value=pd.NA)
    assert converted.values.tolist() == ["SO-1", "SO-2", "产品 A"]
    assert not converted.failed.any()


def test_the_reasons_of_unreadable_numbers_are_kept_for_those_cells_only() -> None:
    raw = pd.Series(["1,250", "1e20", "", "7"], index=[10, 11, 12, 13], dtype="str")
    converted = convert_column(raw, "number", ambiguous_refused=True)
    assert converted.values.isna().tolist() == [True, True, True, False]
    assert converted.failed.tolist() == [True, True, False, False]
    reasons = _reasons(converted.why)
    assert sorted(reasons) == [10, 11]
    assert reasons[10].startswith("reads both as thousands and as decimals")
    assert reasons[11].startswith("is infinite or beyond")
    # a value of the column that tells the separator resolves 1,250: no reason to give
    told = convert_column(pd.Series(["1,250", "12,5"], dtype="str"), "number", ambiguous_refused=True)
    assert told.values.tolist() == [1.25, 12.5]
    assert not _reasons(told.why)


def test_a_decimal_separator_against_the_column_is_explained() -> None:
    raw = pd.Series(["998,00", "1.250,50", "12.50"], dtype="str")
    converted = convert_column(raw, "number")
    assert converted.values.tolist()[:2] == [998.0, 1250.5]
    assert converted.failed.tolist() == [False, False, True]
    reasons = _reasons(converted.why)
    assert list(reasons) == [2]
    assert "written with '.' as the decimal separator while the column uses ','" in reasons[2]


@pytest.mark.parametrize(
    ("cells", "days", "failed"),
    [
        ([dt.date(2026, 7, 31), dt.date(2025, 1, 2), "", None], ["2026-07-31", "2025-01-02", None, None], [0, 0, 0, 0]),
        (
            [dt.datetime(2026, 7, 31, 10, 30), dt.datetime(2026, 7, 31), ""],
            ["2026-07-31", "2026-07-31", None],
            [0, 0, 0],
        ),
        ([dt.date(1899, 12, 31), dt.date(2200, 1, 1)], ["1899-12-31", "2200-01-01"], [0, 0]),
        # one column mixing dates and times of day (or fractions of a second) reads as it always has
        ([dt.date(2026, 7, 31), dt.datetime(2026, 7, 31, 23, 59)], ["2026-07-31", None], [0, 1]),
        ([dt.datetime(2026, 7, 31, 10, 30, 0, 500000), dt.datetime(2026, 7, 31)], ["2026-07-31", None], [0, 1]),
    ],
)
def test_excel_dates_read_by_day(cells: list[object], days: list[str | None], failed: list[int]) -> None:
    converted = convert_column(pd.Series(cells, dtype=object), "date")
    assert converted.values.dtype == "datetime64[ns]"
    assert converted.values.tolist() == [pd.NaT if d is None else pd.Timestamp(d) for d in days]
    assert converted.failed.tolist() == [bool(f) for f in failed]


def test_excel_serials_times_and_text_in_a_date_column_keep_their_reasons() -> None:
    cells = [pd.Timestamp("2026-07-31 10:00"), 45000.0, dt.time(0, 0), dt.time(10, 1), 0, "junk", 123.0]
    converted = convert_column(pd.Series(cells, dtype=object), "date")
    assert converted.values.tolist() == [
        pd.Timestamp("2026-07-31"), pd.Timestamp("2023-03-15"), pd.NaT, pd.NaT, pd.NaT, pd.NaT, pd.Timestamp("1900-05-02"),
    ]  # fmt: skip
    assert converted.failed.tolist() == [False, False, True, True, True, True, False]
    reasons = _reasons(converted.why)
    assert sorted(reasons) == [2, 3, 4]
    assert reasons[2].startswith("Excel's date serial 0")
    assert reasons[3].startswith("holds a time of day")
    assert reasons[4].startswith("Excel's date serial 0")


def test_blank_rows_are_dropped_whatever_column_is_filled(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,a,b\nC1,x,\n,,\n , , \n,,y\n,,\nC2,,\n", encoding="utf-8")
    frame = read_table(path).frame
    assert frame["_row"].tolist() == [2, 4, 5, 7]  # the rows only of blanks go, their numbers stay
    assert frame["b"].tolist() == ["", " ", "y", ""]


def test_repeated_ids_are_found_among_the_rows_of_the_window_only(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(
        "complaint_id,received_on,category\n"
        "C1,2026-07-01,Late\n"
        "C2,2026-07-02,Late\n"
        "C1,2026-07-01,Late\n"  # the same record twice
        "C2,2026-07-03,Noise\n"  # another record under C2
        "C3,2020-01-01,Late\n"  # outside the window: not compared
        "C3,2026-07-04,Late\n"
        ",2026-07-05,Late\n"
        ",2026-07-05,Late\n",
        encoding="utf-8",
    )
    data = load_audit(folder_with(tmp_path, "  complaints: {path: c.csv}\n"), strict=False)
    found = [(p.row, p.rule, p.quarantined) for p in data.problems]
    assert found == [
        (4, "duplicate_row", True),
        (5, "duplicate_id", True),
        (8, "missing_value", True),
        (9, "missing_value", True),
        (6, "outside_period", False),
    ]
    assert "repeats row 2" in data.problems[0].message
    assert "also used by row 3" in data.problems[1].message
    assert list(data.quarantine["complaints"]["_row"]) == [4, 5, 8, 9]


@pytest.mark.parametrize("chunk", [3, 7, 1 << 20])
def test_excel_errors_are_found_wherever_the_xml_is_cut(
    chunk: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sheet's XML is looked at piece by piece: a sign cut between two pieces still counts."""
    monkeypatch.setattr(excel_reader, "_CHUNK", chunk, raising=False)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["return_id", "returned_on", "quantity", "value"])
    sheet.append(["R1", dt.datetime(2026, 7, 1), 1, 10])
    sheet.append(["R2", dt.datetime(2026, 7, 2), 1, None])
    sheet["D3"].value, sheet["D3"].data_type = "#DIV/0!", "e"
    sheet.append(["R3", dt.datetime(2026, 7, 4), 2, "=C4*5"])
    sheet.append(["R4", dt.datetime(2026, 7, 5), 1, 7])
    sheet.append(["R5", dt.datetime(2026, 7, 6), 1, 8])
    book.save(tmp_path / "r.xlsx")
    data = load_audit(folder_with(tmp_path, "  returns: {path: r.xlsx}\n"))
    assert [(p.row, p.column, p.rule) for p in data.problems] == [
        (3, "value", "excel_error"),
        (4, "value", "excel_error"),
    ]
    assert list(data.frames["returns"]["return_id"]) == ["R1", "R4", "R5"]


def test_a_sheet_without_errors_or_formulas_reports_none(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["return_id", "returned_on", "quantity", "value"])
    for i in range(200):
        sheet.append([f"R{i}", dt.datetime(2026, 7, 1 + i % 28), 1, "f>e :f"])  # text, not formulas
    book.save(tmp_path / "r.xlsx")
    assert excel_reader._error_cells(tmp_path / "r.xlsx", "Sheet") == []
    assert np.array_equal(read_table(tmp_path / "r.xlsx").frame["_row"], np.arange(2, 202))
