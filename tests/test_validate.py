"""`csat-audit validate`, data_quality.xlsx, and clear one-line errors for unusable files."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from conftest import replace_in

CLI = [sys.executable, "-m", "audit.cli"]

#: (file, text to replace, replacement) → the problem it must cause: (kind, Excel row, column, rule)
DEFECTS = [
    (("surveys.csv", "S04,K4,2026-08-01,3,", "S04,K4,2026-08-01,9,"), ("surveys", 5, "Overall satisfaction", "out_of_scale")),
    (("surveys.csv", "S06,K6,2026-08-15,", "S06,K6,,"), ("surveys", 7, "Date", "missing_value")),
    (("surveys.csv", "S07,K7,2026-08-30,4,6,", "S07,K7,2026-08-30,4,six,"), ("surveys", 8, "Recommend", "not_a_number")),
    (("surveys.csv", "S10,K10,", "S09,K10,"), ("surveys", 11, "ID", "duplicate_id")),
    (("complaints.csv", "C3,K3,2026-08-01,2026-08-01,2026-08-08", "C3,K3,2026-08-01,2026-08-01,2026-07-08"), ("complaints", 4, "resolved_on", "date_order")),
    (("complaints.csv", "C4,K6,2026-08-15,2026-08-16,2026-08-16,Packaging damage", "C4,K6,2026-08-15,2026-08-16,2026-08-16,"), ("complaints", 5, "category", "missing_value")),
    (("complaints.csv", "C5,K9,2026-09-01,2026-09-04,", "C5,K9,2026-09-01,soon,"), ("complaints", 6, "acknowledged_on", "not_a_date")),
    (("complaints.csv", "C6,K4,2026-09-25,", "C6,K4,2024-03-01,"), ("complaints", 7, "received_on", "outside_period")),
    (("returns.csv", "R1,O02,K2,2026-07-20,2,", "R1,O02,K2,2026-07-20,0,"), ("returns", 2, "quantity", "impossible_quantity")),
    (("returns.csv", "Wrong item,100,", "Wrong item,-100,"), ("returns", 3, "value", "negative")),
    (("returns.csv", "Defective,50,yes", "Defective,50,maybe"), ("returns", 4, "warranty", "not_yes_no")),
    # orders become an xlsx with a title row above the header: O03 sits in Excel row 5
    (("orders.csv", "O03,K3,2026-07-13,2026-07-20,2026-07-23", "O03,K3,2026-07-13,2026-07-20,2026-07-01"), ("orders", 5, "delivered_on", "date_order")),
]  # fmt: skip


def plant_defects(folder: Path) -> None:
    for (name, old, new), _ in DEFECTS:
        replace_in(folder / name, old, new)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Orders Q3"
    sheet.append(["Order book export, Tiny Valves Ltd"])
    with (folder / "orders.csv").open(encoding="utf-8") as rows:
        for row in csv.reader(rows):
            sheet.append(row)
    book.save(folder / "orders.xlsx")
    replace_in(folder / "audit.yaml", "path: orders.csv", "path: orders.xlsx\n    sheet: Orders Q3")
    replace_in(folder / "audit.yaml", "owners:", "validation: {max_invalid_pct: 50}\nowners:")


def test_twelve_planted_defects_give_exactly_twelve_problems(tiny: Path) -> None:
    plant_defects(tiny)
    done = subprocess.run([*CLI, "validate", str(tiny)], capture_output=True, text=True)
    # every problem is listed even though returns are over the threshold, which says so
    assert done.returncode == 2
    assert done.stderr == (
        "error: returns: 3 of 3 rows (100.0%) are invalid, more than the 50% allowed; "
        "a run stops here until the file is corrected\n"
    )
    book = CalamineWorkbook.from_path(str(tiny / "data_quality.xlsx"))
    header, *problems = book.get_sheet_by_name("Problems").to_python()
    assert header[:8] == ["Kind", "File", "Sheet", "Row", "Column", "Value", "Rule", "Row quarantined"]
    found = sorted((p[0], int(p[3]), p[4], p[6]) for p in problems)
    assert found == sorted(expected for _, expected in DEFECTS)
    assert {p[2] for p in problems if p[0] == "orders"} == {"Orders Q3"}
    # every quarantined row is in the workbook as it was in the file; the one dated
    # outside the period is reported but not quarantined
    quarantined = {
        (kind, int(row[0]))
        for kind in ("surveys", "complaints", "returns", "orders")
        for row in book.get_sheet_by_name(f"Quarantined {kind}").to_python()[1:]
    }
    assert quarantined == {(kind, row) for _, (kind, row, _, rule) in DEFECTS if rule != "outside_period"}
    complaints = book.get_sheet_by_name("Quarantined complaints").to_python()
    assert complaints[0][:4] == ["Row", "Problems", "complaint_id", "customer_id"]
    assert ["soon" in r for r in complaints[1:]].count(True) == 1
    # the summary on screen: counts per kind and the rules with their rows
    assert "surveys: surveys.csv: 12 rows read, 8 valid, 4 quarantined, 6 in the period" in done.stdout
    assert "orders: orders.xlsx (sheet 'Orders Q3'): 21 rows read, 20 valid, 1 quarantined" in done.stdout
    assert "note: headers found in row 2" in done.stdout
    assert "  outside_period, reported only: row 7, column 'received_on': dated outside" in done.stdout


def test_data_quality_xlsx_keeps_formulas_as_text(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "owners:", "validation: {max_invalid_pct: 50}\nowners:")
    replace_in(
        tiny / "returns.csv", "R2,O05,K5,2026-08-10,1,", 'R2,O05,K5,2026-08-10,"=HYPERLINK(""http://x"",""y"")",'
    )
    done = subprocess.run([*CLI, "validate", str(tiny)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(tiny / "data_quality.xlsx")
    for title in ("Problems", "Quarantined returns"):
        cells = [c for row in book[title].iter_rows() for c in row if "HYPERLINK" in str(c.value)]
        assert cells and all(c.data_type == "s" for c in cells), title
    assert book["Problems"].freeze_panes == "A2" and book["Problems"].auto_filter.ref


BROKEN = {
    "missing file": (lambda f: (f / "returns.csv").unlink(), "returns.csv: file not found"),
    "corrupt xlsx": (
        lambda f: ((f / "returns.xlsx").write_bytes(b"not a zip"), replace_in(f / "audit.yaml", "path: returns.csv", "path: returns.xlsx")),
        "cannot be opened as an Excel workbook",
    ),
    "mapped column absent": (
        lambda f: replace_in(f / "audit.yaml", "overall: Overall satisfaction", "overall: Satisfaction"),
        "column 'Satisfaction' (mapped to overall in audit.yaml) is not in the header in row 1",
    ),
    "empty file": (lambda f: (f / "complaints.csv").write_text("", encoding="utf-8"), "complaints.csv: the file is empty"),
    "wrong sheet": (
        lambda f: (plant_defects(f), replace_in(f / "audit.yaml", "sheet: Orders Q3", "sheet: 2")),
        "no sheet number 2 (counted from 0); the workbook has 'Orders Q3'",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_unusable_input_exits_2_with_one_line(tiny: Path, case: str) -> None:
    breaker, message = BROKEN[case]
    breaker(tiny)
    done = subprocess.run([*CLI, "validate", str(tiny)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_notebook_shows_bad_input_as_one_line_not_a_traceback(tiny: Path) -> None:
    import nbformat
    import papermill

    from audit.paths import NOTEBOOK

    (tiny / "returns.csv").unlink()
    out = tiny / "failed.ipynb"
    with pytest.raises(papermill.PapermillExecutionError):
        papermill.execute_notebook(
            str(NOTEBOOK), str(out), parameters={"audit_dir": str(tiny)}, progress_bar=False, cwd=str(tiny),
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )  # fmt: skip
    errors = [
        o
        for cell in nbformat.read(out, as_version=4).cells
        for o in cell.get("outputs", [])
        if o.output_type == "error"
    ]
    (error,) = errors
    assert error.traceback == [
        f"InputFileError: {tiny / 'returns.csv'}: file not found; check 'path' in audit.yaml or copy the file into the audit folder"
    ]


def test_validate_speaks_the_audits_language(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "  lead_auditor: A. Auditor", "  lead_auditor: A. Auditor\n  language: zh-CN")
    replace_in(tiny / "surveys.csv", "S04,K4,2026-08-01,3,", "S04,K4,2026-08-01,9,")
    done = subprocess.run([*CLI, "validate", str(tiny)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stdout.splitlines()
    assert lines[0] == "调查答卷：surveys.csv：读取 12 行，有效 11 行，已隔离 1 行，属于审核期间 9 行"
    assert lines[1:3] == [
        "  读取方式：编码 utf-8",
        "  评分超出量表范围：第 5 行, “Overall satisfaction”列：评分 9 超出声明的量表 1–5；请更正评分，"
        "或在 audit.yaml 的 data.surveys.scale 下声明所用量表",
    ]
    assert lines[-1].startswith("全部问题和已隔离的行：")
    assert done.stderr == "error: 调查答卷：12 行中有 1 行（8.3%）无效，超过允许的 5%；更正文件之前运行将在此停止\n"
