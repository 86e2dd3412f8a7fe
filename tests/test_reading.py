"""Reading files faithfully: sheets, encodings, header rows, malformed records, Excel errors (issue 13, 14).

Each test writes a small crafted file and checks what was read, the problem rule and the
Excel row it names, and that rows read = valid + quarantined.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from audit.data.dataset import AuditData, load_audit
from audit.exceptions import InputFileError, TooManyInvalidRows
from conftest import folder_with


def balanced(data: AuditData) -> None:
    for s in data.sources:
        assert s.rows_read == s.rows_valid + s.rows_quarantined


def test_hidden_sheet_is_passed_over_and_named(tmp_path: Path) -> None:
    """13.7: without sheet:, the first visible sheet is read, and the summary says so."""
    book = openpyxl.Workbook()
    hidden = book.active
    assert hidden is not None
    hidden.title = "Lookup"
    hidden.append(["complaint_id", "received_on", "category"])
    hidden.append(["X1", dt.datetime(2026, 7, 1), "old"])
    hidden.sheet_state = "hidden"
    shown = book.create_sheet("Complaints")
    shown.append(["complaint_id", "received_on", "category"])
    shown.append(["C1", dt.datetime(2026, 7, 2), "Late"])
    book.save(tmp_path / "c.xlsx")
    data = load_audit(folder_with(tmp_path, "  complaints: {path: c.xlsx}\n"))
    assert list(data.frames["complaints"]["complaint_id"]) == ["C1"]
    assert data.sources[0].sheet == "Complaints"
    assert any("the first visible one (hidden: 'Lookup')" in n for n in data.sources[0].notes)


def test_latin1_csv_is_read_as_western_text_not_chinese(tmp_path: Path) -> None:
    """13.8: the encoding is chosen by what reads as plausible text, and reported; encoding: overrides."""
    text = "complaint_id,received_on,category\nC1,2026-07-01,Verspätung\nC2,2026-07-02,Qualität mangelhaft\n"
    (tmp_path / "c.csv").write_bytes(text.encode("latin-1"))
    folder = folder_with(tmp_path, "  complaints: {path: c.csv}\n")
    data = load_audit(folder)
    assert list(data.frames["complaints"]["category"]) == ["Verspätung", "Qualität mangelhaft"]
    assert data.sources[0].encoding == "cp1252"
    assert "encoding cp1252 detected" in data.sources[0].notes
    # Chinese in GB18030 is still read as Chinese
    (tmp_path / "c.csv").write_bytes("complaint_id,received_on,category\nC1,2026-07-01,交付延迟\n".encode("gb18030"))
    assert list(load_audit(folder).frames["complaints"]["category"]) == ["交付延迟"]
    # an explicit encoding wins, and is not called detected
    (tmp_path / "c.csv").write_bytes(text.encode("latin-1"))
    folder_with(tmp_path, "  complaints: {path: c.csv, encoding: latin-1}\n")
    data = load_audit(folder)
    assert data.sources[0].encoding == "latin-1" and data.sources[0].notes == ()
    assert list(data.frames["complaints"]["category"]) == ["Verspätung", "Qualität mangelhaft"]


def test_header_past_row_30_is_honoured_when_given(tmp_path: Path) -> None:
    """13.20: an explicit header_row beyond the automatic search works for CSV."""
    lines = [f"report line {i}" for i in range(1, 35)]
    lines += ["complaint_id,received_on,category", "C1,2026-07-01,Late", "C2,2026-07-02,Damaged"]
    (tmp_path / "c.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = load_audit(folder_with(tmp_path, "  complaints: {path: c.csv, header_row: 35}\n"))
    assert list(data.frames["complaints"]["_row"]) == [36, 37]


def test_a_csv_without_a_header_row_says_so(tmp_path: Path) -> None:
    """14.11: the first row holds values, not names: one clear message, not 'header 4 appears twice'."""
    (tmp_path / "c.csv").write_text("4,2026-07-01,4\n5,2026-07-02,4\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"row 1 holds values such as '4', '2026-07-01', '4', not column names"):
        load_audit(folder_with(tmp_path, "  complaints: {path: c.csv}\n"))


def test_a_header_with_a_non_breaking_space_matches(tmp_path: Path) -> None:
    """14.11: 'Date\\u00a0received' is the header the user sees as 'Date received'."""
    (tmp_path / "c.csv").write_text("Ticket,Date\u00a0received,Type\u200b\nC1,2026-07-01,Late\n", encoding="utf-8")
    block = "  complaints: {path: c.csv, columns: {complaint_id: Ticket, received_on: Date received, category: Type}}\n"
    data = load_audit(folder_with(tmp_path, block))
    assert list(data.frames["complaints"]["category"]) == ["Late"]


def test_headers_differing_only_in_case_are_ambiguous(tmp_path: Path) -> None:
    """13.4: 'Overall' and 'OVERALL' never silently pick one; the exact spelling chooses."""
    (tmp_path / "s.csv").write_text("response_id,responded_on,Overall,OVERALL\nS1,2026-07-01,5,1\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"'Overall' \(column C\) and 'OVERALL' \(column D\) differ only in case"):
        load_audit(folder_with(tmp_path, "  surveys: {path: s.csv}\n"))
    data = load_audit(folder_with(tmp_path, "  surveys: {path: s.csv, columns: {overall: OVERALL}}\n"))
    assert list(data.frames["surveys"]["overall"]) == [1]


def test_a_repeated_header_that_is_not_needed_is_no_error(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(
        "complaint_id,received_on,category,Notes,Notes\nC1,2026-07-01,Late,a,b\n", encoding="utf-8"
    )
    data = load_audit(folder_with(tmp_path, "  complaints: {path: c.csv}\n"))
    assert len(data.frames["complaints"]) == 1


def test_password_protected_workbook_is_named_as_such(tmp_path: Path) -> None:
    """14.11: an encrypted .xlsx is an OLE container holding an EncryptedPackage stream."""
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    (tmp_path / "c.xlsx").write_bytes(ole)
    with pytest.raises(InputFileError, match="the workbook is password-protected"):
        load_audit(folder_with(tmp_path, "  complaints: {path: c.xlsx}\n"))


def test_one_malformed_csv_line_is_quarantined_with_its_line(tmp_path: Path) -> None:
    """14.12: a ragged row and a stray quote set aside one record each; the rest is read."""
    (tmp_path / "c.csv").write_text(
        "complaint_id,received_on,category\n"
        "C1,2026-07-01,Late\n"
        "C2,2026-07-02,Late,extra\n"  # ragged: four cells
        'C3,2026-07-03,"Damaged\n'  # a quote opened and never closed
        "C4,2026-07-04,Damaged\n"
        'C5,2026-07-05,"two\nlines"\n'  # a real multi-line cell: one record
        "C6,2026-07-06,Late\n",
        encoding="utf-8",
    )
    data = load_audit(folder_with(tmp_path, "  complaints: {path: c.csv}\n"))
    frame = data.frames["complaints"]
    assert list(frame["complaint_id"]) == ["C1", "C4", "C5", "C6"]
    assert list(frame["_row"]) == [2, 5, 6, 7]
    bad = [(p.row, p.rule) for p in data.problems]
    assert bad == [(3, "malformed_line"), (4, "malformed_line")]
    assert data.problems[0].message.startswith("line 3 splits into 4 cells where the header has 3")
    assert data.problems[1].message.startswith("line 4 ")
    source = data.sources[0]
    assert (source.rows_read, source.rows_valid, source.rows_quarantined) == (6, 4, 2)
    assert list(data.quarantine["complaints"]["_row"]) == [3, 4]
    balanced(data)


def test_a_file_that_cannot_be_split_into_records_is_refused(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_bytes(b"complaint_id,received_on,category\nC1,\x00\x00,Late\n")
    with pytest.raises(InputFileError, match="cannot be split into records"):
        load_audit(folder_with(tmp_path, "  complaints: {path: c.csv}\n"))


def test_excel_error_cells_and_uncalculated_formulas_are_reported(tmp_path: Path) -> None:
    """13.6: #N/A, #DIV/0! and a formula without a saved value are excel_error problems, not blanks."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["return_id", "returned_on", "quantity", "value"])
    sheet.append(["R1", dt.datetime(2026, 7, 1), 1, 10])
    sheet.append(["R2", dt.datetime(2026, 7, 2), 1, None])
    sheet["D3"].value, sheet["D3"].data_type = "#DIV/0!", "e"
    sheet.append(["R3", dt.datetime(2026, 7, 3), None, 5])
    sheet["C4"].value, sheet["C4"].data_type = "#N/A", "e"
    sheet.append(["R4", dt.datetime(2026, 7, 4), 2, "=C5*5"])  # openpyxl saves no result
    sheet.append(["R5", dt.datetime(2026, 7, 5), 1, 7])
    sheet.append(["R6", dt.datetime(2026, 7, 6), 1, 8])
    book.save(tmp_path / "r.xlsx")
    data = load_audit(folder_with(tmp_path, "  returns: {path: r.xlsx}\n"))
    found = [(p.row, p.column, p.rule, p.value) for p in data.problems]
    assert found == [
        (3, "value", "excel_error", ""),
        (4, "quantity", "excel_error", ""),
        (5, "value", "excel_error", ""),
    ]
    assert "holds #DIV/0!" in data.problems[0].message
    assert "a formula with no saved result" in data.problems[2].message
    assert list(data.frames["returns"]["return_id"]) == ["R1", "R5", "R6"]
    balanced(data)


def test_too_many_invalid_rows_carries_its_problems(tmp_path: Path) -> None:
    """Issue 11: the exception holds every problem, not just text."""
    (tmp_path / "c.csv").write_text(
        "complaint_id,received_on,category\nC1,soon,Late\nC2,2026-07-02,\nC3,2026-07-03,Late\n", encoding="utf-8"
    )
    folder_with(tmp_path, "  complaints: {path: c.csv}\n", max_invalid_pct=10)
    with pytest.raises(TooManyInvalidRows) as err:
        load_audit(tmp_path)
    assert [(p.row, p.rule) for p in err.value.problems] == [(2, "not_a_date"), (3, "missing_value")]
    assert err.value.problems[0].location() == "c.csv, row 2, column 'received_on'"


def test_validate_says_which_sheet_and_which_encoding_were_read(tmp_path: Path) -> None:
    """13.7, 13.8: the validate summary names the sheet and the encoding per source."""
    import subprocess
    import sys

    (tmp_path / "c.csv").write_bytes("complaint_id,received_on,category\nC1,2026-07-01,Verspätung\n".encode("cp1252"))
    book = openpyxl.Workbook()
    hidden = book.active
    assert hidden is not None
    hidden.title = "Old"
    hidden.sheet_state = "hidden"
    sheet = book.create_sheet("Returns")
    sheet.append(["return_id", "returned_on"])
    sheet.append(["R1", dt.datetime(2026, 7, 1)])
    book.save(tmp_path / "r.xlsx")
    folder_with(tmp_path, "  complaints: {path: c.csv}\n  returns: {path: r.xlsx}\n")
    done = subprocess.run(
        [sys.executable, "-m", "audit.cli", "validate", str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[lines.index(next(x for x in lines if x.startswith("complaints:"))) + 1] == "  read: encoding cp1252"
    assert "  read: sheet 'Returns'" in lines
