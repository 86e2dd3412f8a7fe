"""A catalogue of bad and hostile inputs (issue 14): each ends with one clear line and the right exit code.

Every case builds a small audit folder from the tiny fixture (``<tmp>/site/2026-Q3``, so that the
site folder is ``<tmp>/site``), runs it through the command line and checks

* the exit code (0 done, 2 bad input; never 3 "failed unexpectedly"),
* that no traceback is printed,
* the first line of the message (a regex; the case's folder is written ``DIR``, the test's
  temporary folder ``TMP``),
* where the case loads data, that rows read = valid + quarantined, with rows read counted by
  hand and checked against data_quality.xlsx and the printed summary.

Most cases run ``validate`` in-process (``typer.testing.CliRunner``: no interpreter start per
case) on a folder that keeps only the kinds the case needs; a few run the real process, and one
audit computed in-process checks that HTML and formula text from the data reach the report's HTML
and findings.xlsx as text (tests/test_end_to_end.py does the same through a whole run and its PDF). A case that fails today for a reason another engineer owns is marked
``xfail(strict=True)``, so that it flips when fixed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from audit.cli import app
from audit.report.findings_xlsx import write_findings
from audit.report.html import render_html
from audit.report.sections import ReportInput
from conftest import TINY, audit_in_process, replace_in

KINDS = ("surveys", "complaints", "returns", "orders")
#: data rows of each file of the tiny fixture, counted by hand
TINY_ROWS = {"surveys": 12, "complaints": 6, "returns": 3, "orders": 21}
SURVEY_HEADER = (
    "ID,customer_id,Date,Overall satisfaction,Recommend,Reliability,Reliability expected,"
    "Responsiveness,Responsiveness expected,comment"
)
#: billion laughs: ten anchors, each nine aliases of the one before (9**9 values written out)
BOMB = (
    "[&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol], "
    + ", ".join(f"&l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10))
    + "]"
)
SCRIPT = "<script>alert('csat')</script>"
FORMULA = '=HYPERLINK("http://example.invalid/x","click")'
FORMULA_CSV = '"' + FORMULA.replace('"', '""') + '"'
OWNED = "issue 14 item {}: owned elsewhere"


# ---------------------------------------------------------------- crafting helpers


def yaml_edit(old: str, new: str) -> Callable[[Path], None]:
    """Replace text in audit.yaml (the text must be there)."""
    return lambda folder: replace_in(folder / "audit.yaml", old, new)


def yaml_text(text: str | bytes) -> Callable[[Path], None]:
    """Replace audit.yaml as a whole."""

    def craft(folder: Path) -> None:
        target = folder / "audit.yaml"
        target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    return craft


def file_edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda folder: replace_in(folder / name, old, new)


def file_bytes(name: str, content: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(content)


def both(*crafts: Callable[[Path], None]) -> Callable[[Path], None]:
    def craft(folder: Path) -> None:
        for each in crafts:
            each(folder)

    return craft


def outside_file(folder: Path) -> Path:
    """A CSV outside the site folder, whose content must never be echoed."""
    elsewhere = folder.parent.parent / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    (elsewhere / "secret.csv").write_text("id,SECRET-HEADER\n1,SECRET-VALUE\n", encoding="utf-8")
    return elsewhere / "secret.csv"


def link_out(folder: Path) -> None:
    (folder / "surveys.csv").unlink()
    (folder / "surveys.csv").symlink_to(outside_file(folder))


def linked_folder_out(folder: Path) -> None:
    (folder / "exports").symlink_to(outside_file(folder).parent, target_is_directory=True)
    replace_in(folder / "audit.yaml", "path: surveys.csv", "path: exports/secret.csv")


def absolute_out(folder: Path) -> None:
    replace_in(folder / "audit.yaml", "path: surveys.csv", f"path: {outside_file(folder)}")


def traversal(folder: Path) -> None:
    outside_file(folder)
    replace_in(folder / "audit.yaml", "path: surveys.csv", "path: ../../elsewhere/secret.csv")


def allowed_outside(folder: Path) -> None:
    shared = outside_file(folder).parent
    (shared / "surveys.csv").write_bytes((folder / "surveys.csv").read_bytes())
    replace_in(folder / "audit.yaml", "path: surveys.csv", "path: ../../elsewhere/surveys.csv")
    replace_in(folder / "audit.yaml", "data:\n", "data:\n  allow_outside: [../../elsewhere]\n")


def shared_export(folder: Path) -> None:
    (folder.parent / "exports").mkdir()
    (folder / "surveys.csv").rename(folder.parent / "exports" / "surveys-2026-Q3.csv")
    replace_in(folder / "audit.yaml", "path: surveys.csv", "path: ../exports/surveys-2026-Q3.csv")


def link_loop(folder: Path) -> None:
    (folder / "a.csv").symlink_to(folder / "b.csv")
    (folder / "b.csv").symlink_to(folder / "a.csv")
    replace_in(folder / "audit.yaml", "path: surveys.csv", "path: a.csv")


def fifo(folder: Path) -> None:
    (folder / "surveys.csv").unlink()
    os.mkfifo(folder / "surveys.csv")  # reading it would wait for a writer forever


def register(content: bytes | None) -> Callable[[Path], None]:
    """The site's action register: these bytes, or a folder when None."""

    def craft(folder: Path) -> None:
        target = folder.parent / "actions.xlsx"
        if content is None:
            target.mkdir()
        else:
            target.write_bytes(content)

    return craft


def register_without_history(folder: Path) -> None:
    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.title = "Actions"
    book.save(folder.parent / "actions.xlsx")


def surveys_as_workbook(folder: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "2026Q3"
    for line in (folder / "surveys.csv").read_text(encoding="utf-8").splitlines():
        sheet.append(line.split(","))
    book.save(folder / "surveys.xlsx")
    replace_in(folder / "audit.yaml", "path: surveys.csv", "path: surveys.xlsx\n    sheet: 2026Q3")


def excel_serial_zero(folder: Path) -> None:
    """The surveys as a workbook with real dates and numbers, S02's date typed as 0 in a date-formatted cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "2026Q3"
    for n, line in enumerate((folder / "surveys.csv").read_text(encoding="utf-8").splitlines()):
        cells: list[object] = line.split(",")
        if n:
            cells = [
                dt.date.fromisoformat(c) if i == 2 else int(c) if c.isdigit() else c
                for i, c in enumerate(line.split(","))
            ]
        sheet.append(cells)
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 3).number_format = "yyyy-mm-dd"
    sheet["C3"] = 0
    book.save(folder / "surveys.xlsx")
    replace_in(folder / "audit.yaml", "path: surveys.csv", "path: surveys.xlsx\n    sheet: 2026Q3")


def gb18030_surveys(folder: Path) -> None:
    text = (folder / "surveys.csv").read_text(encoding="utf-8")
    (folder / "surveys.csv").write_bytes(text.encode("gb18030"))


def bom_surveys(folder: Path) -> None:
    text = (folder / "surveys.csv").read_text(encoding="utf-8")
    (folder / "surveys.csv").write_bytes(text.encode("utf-8-sig"))


def huge_audit_yaml(folder: Path) -> None:
    text = (folder / "audit.yaml").read_text(encoding="utf-8")
    (folder / "audit.yaml").write_text(text + ("# padding\n" * 110_000), encoding="utf-8")


def not_readable(name: str) -> Callable[[Path], None]:
    """``name`` exists but cannot be opened: PermissionError, as for a user without read access.

    Tests run as root here, for whom chmod 000 changes nothing, so the open itself is made to
    fail (see the ``monkeypatch`` in :func:`run_case`).
    """

    def craft(folder: Path) -> None:
        (folder / ".unreadable").write_text(name, encoding="utf-8")

    return craft


def formula_stays_text(folder: Path) -> None:
    """The quarantined row's formula-like comment is a text cell in data_quality.xlsx, never a formula."""
    book = openpyxl.load_workbook(folder / "data_quality.xlsx")
    cells = [c for row in book["Quarantined surveys"].iter_rows() for c in row if c.value == FORMULA]
    assert cells and all(c.data_type == "s" for c in cells)


# ---------------------------------------------------------------- the catalogue


#: let a run go on with some rows quarantined
LENIENT = yaml_edit("owners:", "validation: {max_invalid_pct: 50}\nowners:")


@dataclass(frozen=True)
class Case:
    """One bad or hostile input.

    Attributes:
        id: the case's name in the test report.
        craft: makes the folder bad (gets the audit folder, a copy of the tiny fixture).
        code: the expected exit code.
        first: regex the first line of the message must match from its start (stderr when the
            exit code is not 0, else stdout); the folder is written DIR, the test's folder TMP.
        kinds: the kinds kept in audit.yaml (fewer load faster).
        rows: rows read per kind, counted by hand, when the case loads data.
        never: regex that must not appear anywhere in the output (a misleading message of today).
        owner: why it fails today when another engineer owns the fix (xfail, strict).
        also: a further check of the folder after the command.
    """

    id: str
    craft: Callable[[Path], None]
    code: int
    first: str
    kinds: tuple[str, ...] = KINDS
    rows: dict[str, int] = field(default_factory=dict)
    never: str | None = None
    owner: str | None = None
    also: Callable[[Path], None] | None = None


S = ("surveys",)
E = r"^error: "
CFG = r"^error: DIR/audit\.yaml"

CASES = [
    # --- audit.yaml: bounds (items 2, 3) --------------------------------------------------------
    Case("yaml-bomb-under-where", yaml_edit("    path: complaints.csv", f"    path: complaints.csv\n    where:\n      category:\n        in: {BOMB}"),
         2, CFG + r" line 21: aliases \(\*l\d and others\) repeat more than 10,000 values"),
    Case("yaml-bomb-in-a-text-value", yaml_text(f"anchors: {BOMB}\naudit: {{id: X, organisation: *l9, period: 2026-Q3}}\n"),
         2, CFG + r" line 1: aliases .* repeat more than 10,000 values"),
    Case("yaml-bomb-of-mappings", yaml_text("a: &a {x: 1, y: 1, z: 1, w: 1}\n" + "".join(
        f"{c}: &{c} {{x: *{p}, y: *{p}, z: *{p}, w: *{p}}}\n" for p, c in zip("abcdefghij", "bcdefghijk"))),
         2, CFG + r" line \d+: aliases \(\*\w and others\) repeat more than 10,000 values"),
    Case("yaml-recursive-alias", yaml_edit("  lead_auditor: A. Auditor", "  team: &t [a, *t]"),
         2, CFG + r" line 8: the alias \*t is used inside the value it names"),
    Case("yaml-nested-5000-deep", yaml_edit("  lead_auditor: A. Auditor", "  team: " + "[" * 5000 + "]" * 5000),
         2, CFG + r" line 8: values are nested more than 50 levels deep"),
    Case("yaml-complex-keys-nested", yaml_text("? " * 200 + "a\n"), 2, CFG + r" line 1: values are nested more than 50 levels"),
    Case("yaml-over-1-MB", huge_audit_yaml, 2, CFG + r": the file is larger than 1 MB"),
    Case("yaml-duplicate-top-level-key", yaml_edit("sla:", "data: {}\nsla:"),
         2, CFG + r" line 24: duplicate key 'data' at lines 9 and 24"),
    Case("yaml-duplicate-nested-key", yaml_edit("    sent: 40", "    sent: 40\n    sent: 4000"),
         2, CFG + r" line 17: duplicate key 'data\.surveys\.sent' at lines 16 and 17"),
    Case("yaml-duplicate-key-in-flow-mapping", yaml_edit("nps: 30,", "nps: 30, nps: -100,"),
         2, CFG + r" line 23: duplicate key 'targets\.nps' at lines 23 and 23"),
    Case("yaml-duplicate-key-spelt-two-ways", yaml_edit("    columns: {", "    columns: {\"overall\": X, overall: Y, "),
         2, CFG + r" line 13: duplicate key 'data\.surveys\.columns\.overall'"),
    Case("yaml-merge-key-override-is-fine", yaml_edit("sla: {", "x-sla: &s {complaint_acknowledge_days: 3}\nsla: {<<: *s, "),
         2, CFG + r": unknown key 'x-sla' \(line 24\)"),
    Case("yaml-python-object-tag", yaml_edit("  lead_auditor: A. Auditor", "  lead_auditor: !!python/object/apply:os.system [echo pwned]"),
         2, CFG + r" line 8: not valid YAML \(could not determine a constructor .*\); remove the tag"),
    # --- audit.yaml: not text, not a mapping (items 11, 14) --------------------------------------
    Case("yaml-tab-indentation", yaml_edit("  lead_auditor: A. Auditor", "\tlead_auditor: A. Auditor"),
         2, CFG + r" line 8: not valid YAML \(found character '\\t' .*\); indent with spaces, not tabs"),
    Case("yaml-binary-with-nul", yaml_text(bytes(range(256)) * 8), 2, CFG + r" line 1: not a text file \(it holds NUL bytes\)"),
    Case("yaml-binary-high-bytes", yaml_text(bytes(range(128, 256)) * 8),
         2, CFG + r" line 1: the file is not UTF-8 text \(byte 0x80\).*save it as UTF-8"),
    Case("yaml-zip-file", lambda f: zipfile.ZipFile(f / "audit.yaml", "w").writestr("x", "y"),
         2, CFG + r" line \d+: not a text file \(it holds NUL bytes\)"),
    Case("yaml-control-character", yaml_edit("Tiny Valves Ltd", "Tiny \x07Valves Ltd"),
         2, CFG + r" line 4: holds the control character U\+0007"),
    Case("yaml-gb18030", lambda f: (f / "audit.yaml").write_bytes(
        (f / "audit.yaml").read_text(encoding="utf-8").replace("Tiny Valves Ltd", "小阀门有限公司").encode("gb18030")),
         2, CFG + r" line 4: the file is not UTF-8 text \(byte 0x\w\w\), it looks saved as GB18030/GBK .*; open it in a text editor and save it as UTF-8"),
    Case("yaml-utf16", lambda f: (f / "audit.yaml").write_bytes((f / "audit.yaml").read_text(encoding="utf-8").encode("utf-16")),
         2, CFG + r": the file is saved as UTF-16, not UTF-8; open it in a text editor and save it as UTF-8"),
    Case("yaml-utf8-with-bom-is-fine", lambda f: (f / "audit.yaml").write_bytes(
        (f / "audit.yaml").read_text(encoding="utf-8").encode("utf-8-sig")),
         0, r"^surveys: surveys\.csv: 12 rows read", kinds=S, rows={"surveys": 12}),
    Case("yaml-empty-file", yaml_text(b""), 2, CFG + r": the file is empty; write the keys 'audit:' and 'data:'"),
    Case("yaml-only-comments", yaml_text("# nothing here\n\n"), 2, CFG + r": the file is empty"),
    Case("yaml-list-at-top-level", yaml_text("- audit\n- data\n"), 2, CFG + r": expected keys such as 'audit:' and 'data:' at the top level"),
    Case("yaml-scalar-at-top-level", yaml_text("just some text\n"), 2, CFG + r": expected keys such as 'audit:'"),
    Case("yaml-unclosed-bracket", yaml_edit("  lead_auditor: A. Auditor", "  team: [unclosed"),
         2, CFG + r" line \d+: not valid YAML \(.*\); fix the file"),
    Case("yaml-two-documents", yaml_edit("owners:", "---\nowners:"), 2, CFG + r"( line \d+)?: not valid YAML \(.*\)"),
    Case("yaml-missing", lambda f: (f / "audit.yaml").unlink(), 2, CFG + r": no audit configuration found; create one with 'csat-audit init"),
    Case("yaml-is-a-folder", lambda f: ((f / "audit.yaml").unlink(), (f / "audit.yaml").mkdir()),
         2, CFG + r": no audit configuration found"),
    Case("yaml-unreadable", not_readable("audit.yaml"), 2, CFG + r": cannot be read \(permission denied\)"),
    # --- audit.yaml: keys and values (item 8; wrong types, out-of-range numbers) -----------------
    Case("yaml-unknown-key-at-depth", yaml_edit("{min: 1, max: 5}", "{min: 1, max: 5, mid: 3}"),
         2, CFG + r": unknown key 'data\.surveys\.scale\.mid' \(line 12\) \(check its spelling\)"),
    Case("yaml-unknown-top-level-key", yaml_edit("owners:", "owner: {a: b}\nowners:"), 2, CFG + r": unknown key 'owner' \(line 25\)"),
    Case("yaml-folder-key", yaml_edit("owners:", "folder: /etc\nowners:"), 2, CFG + r": unknown key 'folder' \(line 25\)"),
    Case("yaml-missing-audit-block", yaml_text("data: {surveys: {path: surveys.csv}}\n"), 2, CFG + r": missing key 'audit'"),
    Case("yaml-audit-is-a-list", yaml_edit("audit:\n", "audit: [a]\nx-audit:\n"), 2, CFG + r": .*'audit' \(line 2\): Input should be"),
    Case("yaml-wrong-type-text-for-number", yaml_edit("sent: 40", "sent: forty"),
         2, CFG + r": 'data\.surveys\.sent' \(line 16\): Input should be a valid integer.*; it is 'forty'"),
    Case("yaml-wrong-type-list-for-text", yaml_edit("organisation: Tiny Valves Ltd", "organisation: [Tiny, Valves]"),
         2, CFG + r": 'audit\.organisation' \(line 4\): Input should be a valid string"),
    Case("yaml-negative-sent", yaml_edit("sent: 40", "sent: -40"), 2, CFG + r": 'data\.surveys\.sent' \(line 16\): Input should be greater than or equal to 0; it is -40"),
    Case("yaml-huge-threshold", yaml_edit("owners:", "checks: {response_rate_min_pct: 1.0e+300}\nowners:"),
         2, CFG + r": 'checks\.response_rate_min_pct' \(line 25\): Input should be less than or equal to 100; it is 1e\+300"),
    Case("yaml-negative-threshold", yaml_edit("owners:", "checks: {gap_max_points: -1}\nowners:"),
         2, CFG + r": 'checks\.gap_max_points' \(line 25\): Input should be greater than or equal to 0"),
    Case("yaml-infinite-target", yaml_edit("csat_mean: 4.0", "csat_mean: .inf"), 2, CFG + r": 'targets\.csat_mean' \(line 23\): Input should be a finite number; it is inf"),
    Case("yaml-nan-sla", yaml_edit("complaint_resolve_days: 10", "complaint_resolve_days: .nan"),
         2, CFG + r": 'sla\.complaint_resolve_days' \(line 24\): Input should be a finite number"),
    Case("yaml-huge-due-days", yaml_edit("owners:", "due_days: {major: 1000000000}\nowners:"),
         2, CFG + r": 'due_days\.major' \(line 25\): Input should be less than or equal to 3650"),
    Case("yaml-negative-due-days", yaml_edit("owners:", "due_days: {ofi: -5}\nowners:"),
         2, CFG + r": 'due_days\.ofi' \(line 25\): Input should be greater than or equal to 0"),
    Case("yaml-customer-base-beyond-float", yaml_edit("owners:", "analysis: {customer_base: " + "9" * 400 + "}\nowners:"),
         2, CFG + r": 'analysis\.customer_base' \(line 25\): Input should be less than or equal to"),
    Case("yaml-scale-upside-down", yaml_edit("{min: 1, max: 5}", "{min: 5, max: 1}"), 2, CFG + r": 'data\.surveys\.scale' \(line 12\): scale max \(1\) must be above min \(5\)"),
    Case("yaml-date-month-13", yaml_edit("date: 2026-10-10", "date: 2026-13-01"),
         2, CFG + r": 'audit\.date' \(line 7\): Input should be a valid date.*month value is outside.*; it is '2026-13-01'"),
    Case("yaml-date-february-30", yaml_edit("date: 2026-10-10", "date: 2026-02-30"),
         2, CFG + r": 'audit\.date' \(line 7\): Input should be a valid date.*; it is '2026-02-30'"),
    Case("yaml-date-year-9999", yaml_edit("date: 2026-10-10", "date: 9999-12-31"),
         2, CFG + r": 'audit\.date' \(line 7\): 9999-12-31 is not a plausible date"),
    Case("yaml-period-year-2300", yaml_edit("period: 2026-Q3", "period: 2300-Q1"), 2, CFG + r": 'audit\.period' \(line 6\): .*2300-Q1"),
    Case("yaml-period-q5", yaml_edit("period: 2026-Q3", "period: 2026-Q5"), 2, CFG + r": 'audit' \(line 2\): period '2026-Q5' is not a calendar quarter"),
    Case("yaml-end-before-start", yaml_edit("period: 2026-Q3", "start: 2026-09-30\n  end: 2026-07-01"), 2, CFG + r": 'audit' \(line 2\): 'end' \(2026-07-01\) is before 'start'"),
    Case("yaml-period-trailing-space", yaml_edit("period: 2026-Q3", 'period: "2026-Q3 "'), 0, r"^surveys: surveys\.csv: 12 rows read", kinds=S, rows={"surveys": 12}),
    Case("yaml-period-trailing-newline", yaml_edit("period: 2026-Q3", 'period: "2026-Q3\\n"'), 0, r"^surveys: surveys\.csv: 12 rows read", kinds=S, rows={"surveys": 12}),
    Case("yaml-no-data-kinds", yaml_text("audit: {id: X, organisation: Y, period: 2026-Q3}\ndata: {}\n"),
         2, CFG + r": 'data:' names no input files; add at least surveys"),
    # --- data paths (item 1) ---------------------------------------------------------------------
    Case("path-traversal", traversal, 2, CFG + r": 'data\.surveys\.path': \.\./\.\./elsewhere/secret\.csv lies outside the site folder TMP/site; .*data\.allow_outside", kinds=S),
    Case("path-absolute-elsewhere", absolute_out, 2, CFG + r": 'data\.surveys\.path': TMP/elsewhere/secret\.csv lies outside the site folder TMP/site; ", kinds=S),
    Case("path-etc-passwd", yaml_edit("path: surveys.csv", "path: /etc/passwd"), 2, CFG + r": 'data\.surveys\.path': /etc/passwd lies outside the site folder", kinds=S),
    Case("path-home", yaml_edit("path: surveys.csv", "path: ~/.bashrc"), 2, CFG + r": 'data\.surveys\.path': ~/\.bashrc( \(a link to .*\))? lies outside the site folder", kinds=S),
    Case("path-link-pointing-out", link_out, 2, CFG + r": 'data\.surveys\.path': surveys\.csv \(a link to \S+/secret\.csv\) lies outside", kinds=S),
    Case("path-linked-folder-pointing-out", linked_folder_out, 2, CFG + r": 'data\.surveys\.path': exports/secret\.csv \(a link to", kinds=S),
    Case("path-link-loop", link_loop, 2, CFG + r": 'data\.surveys\.path': 'a\.csv' is not a usable path \(links that lead in a loop\)", kinds=S),
    Case("path-nul-byte", yaml_edit("path: surveys.csv", 'path: "surveys\\0.csv"'), 2, CFG + r": 'data\.surveys\.path': 'surveys\\x00\.csv' is not a usable path \(it holds a NUL character\)", kinds=S),
    Case("path-a-folder", yaml_edit("path: surveys.csv", "path: ."), 2, CFG + r": 'data\.surveys\.path': \. is a folder, not a file", kinds=S),
    Case("path-a-pipe", fifo, 2, CFG + r": 'data\.surveys\.path': surveys\.csv is not a regular file", kinds=S),
    Case("path-shared-export-of-the-site", shared_export, 0, r"^surveys: \.\./exports/surveys-2026-Q3\.csv: 12 rows read", rows={"surveys": 12}, kinds=S),
    Case("path-allowed-outside", allowed_outside, 0, r"^surveys: \.\./\.\./elsewhere/surveys\.csv: 12 rows read", rows={"surveys": 12}, kinds=S),
    # --- data files ------------------------------------------------------------------------------
    Case("data-missing", lambda f: (f / "surveys.csv").unlink(), 2, E + r"DIR/surveys\.csv: file not found", kinds=S),
    Case("data-empty", file_bytes("surveys.csv", b""), 2, E + r"DIR/surveys\.csv: the file is empty", kinds=S),
    Case("data-header-only", file_bytes("surveys.csv", (SURVEY_HEADER + "\n").encode()), 2, E + r"DIR/surveys\.csv: no data rows below the header", kinds=S),
    Case("data-binary", file_bytes("surveys.csv", bytes(range(256)) * 20), 2, E + r"DIR/surveys\.csv: ", kinds=S),
    Case("data-random-high-bytes", file_bytes("surveys.csv", bytes(range(128, 256)) * 20), 2, E + r"DIR/surveys\.csv: cannot be decoded as UTF-8 or GB18030", kinds=S),
    Case("data-xlsx-that-is-text", both(file_bytes("surveys.xlsx", b"ID,Date\n1,2\n"), yaml_edit("path: surveys.csv", "path: surveys.xlsx")),
         2, E + r"DIR/surveys\.xlsx: cannot be opened as an Excel workbook", kinds=S),
    Case("data-xlsx-truncated-zip", both(file_bytes("surveys.xlsx", b"PK\x03\x04" + b"\0" * 200), yaml_edit("path: surveys.csv", "path: surveys.xlsx")),
         2, E + r"DIR/surveys\.xlsx: cannot be opened as an Excel workbook", kinds=S),
    Case("data-wrong-sheet-name", both(surveys_as_workbook, yaml_edit("sheet: 2026Q3", "sheet: Q3 2026")),
         2, E + r"DIR/surveys\.xlsx: .*sheet.*Q3 2026", kinds=S),
    Case("data-sheet-number-out-of-range", both(surveys_as_workbook, yaml_edit("sheet: 2026Q3", "sheet: 7")), 2, E + r"DIR/surveys\.xlsx: .*sheet", kinds=S),
    Case("data-right-sheet-of-a-workbook", surveys_as_workbook, 0, r"^surveys: surveys\.xlsx \(sheet '2026Q3'\): 12 rows read", rows={"surveys": 12}, kinds=S),
    Case("data-mapped-column-absent", yaml_edit("overall: Overall satisfaction", "overall: Satisfaction"),
         2, E + r"DIR/surveys\.csv: column 'Satisfaction' \(mapped to overall in audit\.yaml\) is not in the header", kinds=S),
    Case("data-gb18030-csv", gb18030_surveys, 0, r"^surveys: surveys\.csv: 12 rows read", rows={"surveys": 12}, kinds=S),
    Case("data-utf8-bom-csv", bom_surveys, 0, r"^surveys: surveys\.csv: 12 rows read", rows={"surveys": 12}, kinds=S),
    Case("data-some-rows-quarantined", both(file_edit("surveys.csv", "S04,K4,2026-08-01,3,", "S04,K4,2026-08-01,9,"),
                                            LENIENT),
         0, r"^surveys: surveys\.csv: 12 rows read, 11 valid, 1 quarantined", rows={"surveys": 12}, kinds=S),
    Case("data-too-many-invalid", file_edit("surveys.csv", "S04,K4,2026-08-01,3,", "S04,K4,2026-08-01,9,"),
         2, E + r"surveys: 1 of 12 rows \(8\.3%\) are invalid, more than the 5% allowed", rows={"surveys": 12}, kinds=S),
    Case("data-huge-numbers", both(file_edit("surveys.csv", "S04,K4,2026-08-01,3,", "S04,K4,2026-08-01,1e308,"),
                                   file_edit("surveys.csv", "S05,", "S05x,"), LENIENT),
         0, r"^surveys: surveys\.csv: 12 rows read, 11 valid, 1 quarantined", rows={"surveys": 12}, kinds=S),
    Case("data-dates-at-the-ends-of-time", both(file_edit("surveys.csv", "S04,K4,2026-08-01,", "S04,K4,9999-12-31,"),
                                                file_edit("surveys.csv", "S05,K5,2026-08-", "S05,K5,0001-01-"),
                                                LENIENT),
         0, r"^surveys: surveys\.csv: 12 rows read, \d+ valid, \d+ quarantined", rows={"surveys": 12}, kinds=S),
    Case("data-negative-return-quantity", file_edit("returns.csv", "R1,O02,K2,2026-07-20,2,", "R1,O02,K2,2026-07-20,-2000000,"),
         2, E + r"returns: 1 of 3 rows \(33\.3%\) are invalid", kinds=("returns",), rows={"returns": 3}),
    Case("data-html-and-formulas-in-cells", both(file_edit("surveys.csv", "Great service", SCRIPT),
                                                 file_edit("surveys.csv", "S04,K4,2026-08-01,3,7,3,4,3,4,", "S04,K4,2026-08-01,9,7,3,4,3,4," + FORMULA_CSV),
                                                 LENIENT),
         0, r"^surveys: surveys\.csv: 12 rows read, 11 valid, 1 quarantined", kinds=S, rows={"surveys": 12}, also=formula_stays_text),
    Case("data-very-long-cell", file_edit("surveys.csv", "Great service", "x" * 100_000), 0, r"^surveys: surveys\.csv: 12 rows read", rows={"surveys": 12}, kinds=S),
    Case("data-nul-and-control-characters-in-cells", file_edit("surveys.csv", "Great service", "Great\x00 ser\x1bvice"),
         2, E + r"DIR/surveys\.csv: holds NUL bytes and cannot be split into records", kinds=S),
    Case("data-four-kinds-together", lambda f: None, 0, r"^surveys: surveys\.csv: 12 rows read", kinds=KINDS, rows=TINY_ROWS),
    # --- the action register (item 13) -----------------------------------------------------------
    Case("register-not-a-workbook", register(b"this is not a workbook"),
         2, E + r"TMP/site/actions\.xlsx: the action register is not an Excel workbook \(\.xlsx\) that can be read \(\w+\); restore it from a backup, then run again$", kinds=S),
    Case("register-empty-file", register(b""), 2, E + r"TMP/site/actions\.xlsx: the action register is not an Excel workbook", kinds=S),
    Case("register-password-protected", register(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600),
         2, E + r"TMP/site/actions\.xlsx: the action register is password-protected or an old \.xls", kinds=S),
    Case("register-is-a-folder", register(None), 2, E + r"TMP/site/actions\.xlsx: the action register cannot be read \(is a directory\)", kinds=S),
    Case("register-unreadable", both(register_without_history, not_readable("actions.xlsx")),
         2, E + r"TMP/site/actions\.xlsx: the action register cannot be read \(permission denied\); ask for read access", kinds=S),
    Case("register-without-history-sheet", register_without_history, 2, E + r"TMP/site/actions\.xlsx: the action register has no sheet 'History'", kinds=S),
    # --- issue 14 items 11 and 12: data files that are not quite CSV or Excel ---------------------
    Case("data-csv-without-header-row", file_bytes("surveys.csv", b"S01,K1,2026-07-02,5,10,5,4,4,5,a\nS02,K2,2026-07-05,4,9,4,4,4,5,b\n"),
         2, E + r"DIR/surveys\.csv: ", kinds=S, never=r"appears twice"),
    Case("data-header-with-non-breaking-space", file_edit("surveys.csv", "Overall satisfaction", "Overall\u00a0satisfaction"),
         0, r"^surveys: surveys\.csv: 12 rows read", kinds=S, rows={"surveys": 12}),
    Case("data-excel-serial-zero", both(excel_serial_zero, LENIENT),
         0, r"^surveys: surveys\.xlsx \(sheet '2026Q3'\): 12 rows read, 11 valid, 1 quarantined", kinds=S, rows={"surveys": 12},
         never=r"'00:00:00' is not understood"),
    Case("data-encrypted-workbook", both(file_bytes("surveys.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4000),
                                         yaml_edit("path: surveys.csv", "path: surveys.xlsx")),
         2, E + r"DIR/surveys\.xlsx: .*password", kinds=S),
    Case("data-unclosed-quote-in-the-last-line", both(file_edit("surveys.csv", "P02,K2", 'P02,"K2'), LENIENT),
         0, r"^surveys: surveys\.csv: 12 rows read, 11 valid, 1 quarantined", kinds=S, rows={"surveys": 12}),
    Case("data-ragged-row", both(file_edit("surveys.csv", "S05,K5,", "S05,K5,extra,cells,"), LENIENT),
         0, r"^surveys: surveys\.csv: 12 rows read, 11 valid, 1 quarantined", kinds=S, rows={"surveys": 12}),
    Case("data-unreadable", not_readable("surveys.csv"), 2, E + r"DIR/surveys\.csv: .*permission denied", kinds=S),
]  # fmt: skip


# ---------------------------------------------------------------- running a case


def keep_only(config: Path, kinds: tuple[str, ...]) -> None:
    """Remove from audit.yaml's data: block every kind not in ``kinds`` (a kind's block is its indented lines)."""
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    out, skipping = [], False
    for line in lines:
        kind = re.match(r"^  (\w+):", line)
        if kind and kind[1] in KINDS:
            skipping = kind[1] not in kinds
        elif not line.startswith("    "):
            skipping = False
        if not skipping:
            out.append(line)
    config.write_text("".join(out), encoding="utf-8")


def build(tmp_path: Path, case: Case) -> Path:
    folder = tmp_path / "site" / "2026-Q3"
    shutil.copytree(TINY, folder)
    keep_only(folder / "audit.yaml", case.kinds)
    case.craft(folder)
    return folder


def refuse_opening(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Opening the file named in ``.unreadable`` fails as it does for a user without read access."""
    marker = folder / ".unreadable"
    if not marker.exists():
        return
    name = marker.read_text(encoding="utf-8")
    real_open = open

    def denied(file: object) -> bool:
        return Path(os.fsdecode(file)).name == name if isinstance(file, str | bytes | os.PathLike) else False

    def fake_open(file: object, *args: object, **kwargs: object) -> object:
        if denied(file):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", fake_open)
    monkeypatch.setattr("io.open", fake_open)


def first_line(text: str, folder: Path, tmp_path: Path) -> str:
    text = text.replace(str(folder.resolve()), "DIR").replace(str(folder), "DIR")
    text = text.replace(str(tmp_path.resolve()), "TMP").replace(str(tmp_path), "TMP")
    return text.splitlines()[0] if text else ""


def check_rows(case: Case, stdout: str, folder: Path) -> None:
    """Rows read (counted by hand) = valid + quarantined, in data_quality.xlsx and in what was printed."""
    written = re.search(r"Every problem and quarantined row: (.+)$", stdout, re.M)
    assert written, stdout
    book = openpyxl.load_workbook(written[1].strip(), read_only=True)
    summary = list(book["Summary"].iter_rows(values_only=True))
    header = summary[0]
    by_kind = {row[0]: dict(zip(header, row)) for row in summary[1:]}
    assert set(by_kind) == set(case.rows)
    for kind, expected in case.rows.items():
        row = by_kind[kind]
        assert row["Rows read"] == expected, kind
        assert row["Valid"] + row["Quarantined"] == row["Rows read"], kind
        printed = re.search(rf"^{kind}: .*: ([\d,]+) rows read, ([\d,]+) valid, ([\d,]+) quarantined", stdout, re.M)
        assert printed and [int(n.replace(",", "")) for n in printed.groups()] == [
            row["Rows read"],
            row["Valid"],
            row["Quarantined"],
        ]
        quarantined = f"Quarantined {kind}"
        shown = len(list(book[quarantined].iter_rows())) - 1 if quarantined in book.sheetnames else 0
        assert shown == row["Quarantined"], kind
    book.close()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("CSAT_AUDIT_DEBUG", raising=False)
    return CliRunner()


def _params() -> list[object]:
    return [
        pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.owner)] if c.owner else [])
        for c in CASES
    ]


@pytest.mark.parametrize("case", _params())
def test_catalogue(case: Case, tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = build(tmp_path, case)
    refuse_opening(monkeypatch, folder)
    result = cli.invoke(app, ["validate", str(folder)])
    monkeypatch.undo()
    shown = result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in shown and "unexpectedly" not in shown
    assert result.exit_code == case.code, shown
    message = result.stderr if case.code else result.stdout
    assert re.match(case.first, first_line(message, folder, tmp_path)), first_line(message, folder, tmp_path)
    if case.code:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr  # one line
    assert "SECRET" not in shown  # nothing of a refused file is echoed
    assert "move it away" not in shown  # advice that would discard the action register (item 13)
    if case.never is not None:
        assert not re.search(case.never, shown), shown
    if case.rows:
        check_rows(case, result.stdout, folder)
    if case.also is not None:
        case.also(folder)


def test_the_catalogue_is_large_and_its_names_unique() -> None:
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)


# ---------------------------------------------------------------- the real process


CLI = [sys.executable, "-m", "audit.cli"]
#: text Excel would run as a formula, one per leading character it reacts to
FORMULAS = (FORMULA, "+1+2", "-3+4*cmd|' /C calc'!A0", "@SUM(1+1)")


@pytest.mark.parametrize(
    ("command", "craft", "first"),
    [
        ("validate", traversal, CFG + r": 'data\.surveys\.path': \.\./\.\./elsewhere/secret\.csv lies outside"),
        (
            "run",
            yaml_edit("  lead_auditor: A. Auditor", f"  team: {BOMB}"),
            CFG + r" line 8: aliases \(\*l\d and others\)",
        ),
    ],
    ids=["validate-path-traversal", "run-yaml-bomb"],
)
def test_the_process_prints_one_line_and_exits_2(
    command: str, craft: Callable[[Path], None], first: str, tmp_path: Path
) -> None:
    folder = build(tmp_path, Case(command, craft, 2, first, kinds=S))
    env = {k: v for k, v in os.environ.items() if k != "CSAT_AUDIT_DEBUG"}
    done = subprocess.run([*CLI, command, "-q", str(folder)] if command == "run" else [*CLI, command, str(folder)],
                          capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout and "SECRET" not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1
    assert re.match(first, first_line(done.stderr, folder, tmp_path)), done.stderr
    assert not (folder / "report.pdf").exists()


def test_html_and_formula_text_from_the_data_stays_text_in_report_html_and_findings_xlsx(tmp_path: Path) -> None:
    """A complaint whose id and category are markup, descriptions Excel would run as formulas.

    C5 is the overdue complaint, so its id and category are evidence in the report.
    """
    folder = build(tmp_path, Case("run", lambda f: None, 0, "", kinds=KINDS))
    text = (folder / "complaints.csv").read_text(encoding="utf-8")
    text = text.replace("C5,K9,2026-09-01,2026-09-04,,Product defect,,Motor noise",
                        "C5<script>x</script>,K9,2026-09-01,2026-09-04,,<img src=x onerror=alert(1)>,,"
                        + '"' + FORMULA.replace('"', '""') + '"')  # fmt: skip
    for n, formula in zip((1, 2, 3), FORMULAS[1:]):
        text = re.sub(rf"^(C{n},.*,)[^,\n]*$", lambda m, f=formula: m[1] + f, text, count=1, flags=re.M)
    (folder / "complaints.csv").write_text(text, encoding="utf-8")
    result = audit_in_process(folder)
    html = render_html(ReportInput(result))
    assert "<script>x" not in html and "<img src=x" not in html
    assert "C5&lt;script&gt;x&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    book = openpyxl.load_workbook(write_findings(result, folder / "findings.xlsx"))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []  # no formula anywhere
    hostile = [c for c in cells if c.value in FORMULAS]
    assert {c.value for c in hostile} >= {FORMULA} and all(c.data_type == "s" for c in hostile)
