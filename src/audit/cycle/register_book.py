"""The action register's workbook: its columns, sheets, hidden snapshot and owner, and writing cells safely.

The rules of what the register holds and when a cell changes are in :mod:`audit.cycle.register`;
this module only reads and writes the workbook (openpyxl). Text from data or people is
stored as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

from audit.exceptions import InputFileError
from audit.i18n import _
from audit.io import put_text
from audit.model.register import STATUSES, Entry

__all__ = [
    "ABOUT",
    "ACTIONS",
    "BY_KEY",
    "COLUMNS",
    "EDITED_IN_EXCEL",
    "HISTORY",
    "HISTORY_HEADER",
    "SNAPSHOT",
    "Column",
    "append_row",
    "cell_text",
    "column_index",
    "ensure_columns",
    "new_book",
    "open_book",
    "owner_of",
    "put",
    "read_snapshot",
    "record_owner",
    "save_snapshot",
    "sheet_rows",
    "write_header",
]

ACTIONS, HISTORY, SNAPSHOT, ABOUT = "Actions", "History", "_snapshot", "About"
EDITED_IN_EXCEL = "edited in Excel"
HISTORY_HEADER = ("Date", "Action id", "Column", "Old value", "New value", "By")


@dataclass(frozen=True)
class Column:
    """One column of the Actions sheet.

    Attributes:
        key: the :class:`Entry` field.
        header: the title people see.
        width: column width in characters.
        kind: how cells are read: text, date or number.
        by: ``identity`` (written once, never changed), ``tool`` (rewritten when an audit
            raises the action again, unless people edited the cell), ``people`` (edited in
            Excel; the tool fills it in once) or ``machine`` (updated by every audit).
        optional: a column older registers lack (added when the tool next writes them).
    """

    key: str
    header: str
    width: int
    kind: Literal["text", "date", "number"] = "text"
    by: Literal["identity", "tool", "people", "machine"] = "tool"
    optional: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("id", "Action id", 12, by="identity"),
    Column("subject", "Subject", 24, by="identity", optional=True),
    Column("raised_in", "Raised in", 18, by="identity"),
    Column("period", "Period", 9, by="identity"),
    Column("raised_on", "Raised on", 11, "date", by="identity"),
    Column("finding_id", "Finding", 8),
    Column("check", "Check", 20),
    Column("clause", "Clause", 24),
    Column("grade", "Grade", 11),
    Column("description", "Description", 60),
    Column("type", "Type", 11),
    Column("owner_role", "Owner role", 16),
    Column("owner", "Owner", 16, by="people"),
    Column("due", "Due", 11, "date", by="people"),
    Column("success_measure", "Success measure", 40),
    Column("kpi_id", "Success KPI", 22),
    Column("target", "Target", 8, "number"),
    Column("baseline", "Baseline", 9, "number"),
    Column("status", "Status", 12, by="people"),
    Column("closed_on", "Closed on", 11, "date", by="people"),
    Column("notes", "Notes", 40, by="people"),
    Column("verification", "Verification", 16, by="machine"),
    Column("verified_value", "KPI at verification", 11, "number", by="machine"),
    Column("verified_in", "Verified in", 18, by="machine"),
    Column("last_raised_in", "Last raised in", 18, by="machine", optional=True),
    Column("withdrawn_reason", "Withdrawn because", 40, by="machine", optional=True),
    Column("last_changed", "Last changed", 12, "date", by="machine"),
)
BY_KEY = {c.key: c for c in COLUMNS}


def open_book(path: Path) -> Any:
    """The register's workbook, with its Actions and History sheets.

    A register that cannot be read is never treated as absent: the message says why it cannot
    be read, and nothing is written over it.
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(path)
    except OSError as exc:  # permission denied, a folder, a drive gone: the file itself may be fine
        reason = str(exc.strerror or type(exc).__name__).lower()
        raise InputFileError(
            f"{path}: the action register cannot be read ({reason}); ask for read access to it (and write access, "
            "for a run), or run as a user who has it",
            path,
            "actions",
        ) from None
    except Exception as exc:  # noqa: BLE001 - zip, XML and openpyxl errors all mean the same thing to the user
        try:
            with path.open("rb") as file:
                ole = file.read(8) == bytes.fromhex("D0CF11E0A1B11AE1")  # an OLE container, not a zip
        except OSError:
            ole = False
        what = (
            "is password-protected or an old .xls workbook; remove the password (or save it as .xlsx) in Excel"
            if ole
            else f"is not an Excel workbook (.xlsx) that can be read ({type(exc).__name__}); restore it from a backup"
        )
        raise InputFileError(f"{path}: the action register {what}, then run again", path, "actions") from None
    for name in (ACTIONS, HISTORY):  # About is newer: an older register without it is adopted
        if name not in book.sheetnames:
            raise InputFileError(
                f"{path}: the action register has no sheet '{name}'; restore it from a backup", path, "actions"
            )
    return book


def column_index(sheet: Any, path: Path) -> dict[str, int]:
    """Column key → column number, found by header so that people may reorder columns."""
    found = {str(c.value).strip(): c.column for c in sheet[1] if c.value is not None}
    missing = [c.header for c in COLUMNS if c.header not in found and not c.optional]
    if missing:
        raise InputFileError(
            f"{path}, sheet '{ACTIONS}': column(s) {', '.join(repr(m) for m in missing)} are missing from "
            "the header row; put them back (the tool needs every column it wrote)",
            path,
            "actions",
        )
    return {c.key: found[c.header] for c in COLUMNS if c.header in found}


def sheet_rows(sheet: Any, index: dict[str, int]) -> dict[int, dict[str, Any]]:
    """Excel row number → raw values by column key, blank rows left out."""
    rows = {}
    for r in range(2, sheet.max_row + 1):
        values = {key: sheet.cell(r, col).value for key, col in index.items()}
        if any(v not in (None, "") for v in values.values()):
            rows[r] = values
    return rows


def owner_of(book: Any) -> tuple[str, str]:
    """The organisation and site the register belongs to ("" in a register written before it recorded them)."""
    if ABOUT not in book.sheetnames:
        return "", ""
    about = {
        str(k).strip(): "" if v is None else str(v) for k, v, *_rest in book[ABOUT].iter_rows(values_only=True) if k
    }
    return about.get("Organisation", ""), about.get("Site", "")


def cell_text(value: Any) -> str:
    """A cell value as compared and logged: dates as ISO text, 85.0 as 85."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format(value, ".12g")  # Excel keeps 15 digits: 10.000000000000004 reads back as 10
    return str(value)


def put(cell: Any, value: Any) -> None:
    """Write a value; text stays text even when it starts with = + - @."""
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, str):
        put_text(cell, value)
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = value


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for i, value in enumerate(values, start=1):
        put(sheet.cell(row, i), value)


def write_header(
    sheet: Any, titles: Iterable[str], widths: Iterable[int], people: frozenset[int] = frozenset()
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    tool, edit = PatternFill("solid", fgColor="DDE4EC"), PatternFill("solid", fgColor="FFF2CC")
    for i, (title, width) in enumerate(zip(titles, widths), start=1):
        cell = sheet.cell(1, i)
        put(cell, title)
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        cell.fill = edit if i in people else tool
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"


def new_book() -> Any:
    """An empty register: formatted sheets, a status drop-down and colours by status."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = ACTIONS
    people = frozenset(i for i, c in enumerate(COLUMNS, start=1) if c.by == "people")
    write_header(sheet, (c.header for c in COLUMNS), (c.width for c in COLUMNS), people)
    status = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.key == "status"))
    cells = f"{status}2:{status}1048576"
    drop_down = DataValidation(type="list", formula1=f'"{",".join(STATUSES)}"', allow_blank=True)
    drop_down.error, drop_down.errorTitle = f"Pick one of: {', '.join(STATUSES)}", "Status"
    drop_down.add(cells)
    sheet.add_data_validation(drop_down)
    colours = (("open", "FCE4D6"), ("in progress", "FFF2CC"), ("closed", "E2EFDA"), ("cancelled", "EDEDED"))
    for value, colour in (*colours, ("withdrawn", "EDEDED")):
        sheet.conditional_formatting.add(
            cells, CellIsRule(operator="equal", formula=[f'"{value}"'], fill=PatternFill("solid", bgColor=colour))
        )
    verdict = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.key == "verification"))
    for value, colour in (("effective", "E2EFDA"), ("not effective", "F8CBAD")):
        sheet.conditional_formatting.add(
            f"{verdict}2:{verdict}1048576",
            CellIsRule(operator="equal", formula=[f'"{value}"'], fill=PatternFill("solid", bgColor=colour)),
        )
    write_header(book.create_sheet(HISTORY), HISTORY_HEADER, (11, 26, 20, 40, 40, 20))
    snapshot = book.create_sheet(SNAPSHOT)
    snapshot.sheet_state = "hidden"
    return book


def read_snapshot(book: Any) -> tuple[dict[str, dict[str, str]], set[str]]:
    """The rows as the tool last saved them (id → key → text), and the ids people deleted."""
    if SNAPSHOT not in book.sheetnames:
        return {}, set()
    rows = list(book[SNAPSHOT].iter_rows(values_only=True))
    if not rows:
        return {}, set()
    keys = [str(k) for k in rows[0]]
    saved, deleted = {}, set()
    for row in rows[1:]:
        values = {k: "" if v is None else str(v) for k, v in zip(keys, row)}
        if values.get("_state") == "deleted":
            deleted.add(values["id"])
        if values.get("id"):
            saved[values["id"]] = values  # a deleted row keeps its last values (its subject, who raised it)
    return saved, deleted


def save_snapshot(
    book: Any,
    sheet: Any,
    index: dict[str, int],
    rows: dict[str, tuple[int, Any]],
    deleted: set[str],
    saved: dict[str, dict[str, str]],
) -> None:
    """Rewrite the hidden snapshot from the Actions sheet as it is about to be saved (deleted rows keep their last values)."""
    if SNAPSHOT in book.sheetnames:
        del book[SNAPSHOT]
    snapshot = book.create_sheet(SNAPSHOT)
    snapshot.sheet_state = "hidden"
    keys = [f.name for f in fields(Entry)]
    append_row(snapshot, (*keys, "_state"))
    for r, _values in sorted(rows.values()):
        append_row(
            snapshot, (*(cell_text(sheet.cell(r, index[k]).value) if k in index else "" for k in keys), "present")
        )
    for action_id in sorted(deleted):
        last = saved.get(action_id, {})
        append_row(snapshot, (*(action_id if k == "id" else last.get(k, "") for k in keys), "deleted"))


def ensure_columns(sheet: Any) -> None:
    """Add the optional columns an older register lacks, at the end of the header row."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    present = {str(c.value).strip() for c in sheet[1] if c.value is not None}
    for column in COLUMNS:
        if column.header in present:
            continue
        cell = sheet.cell(1, sheet.max_column + 1)
        put(cell, column.header)
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="DDE4EC")
        sheet.column_dimensions[get_column_letter(cell.column)].width = column.width


def record_owner(book: Any, organisation: str, site: str) -> None:
    """Write whose register it is on the About sheet (once: later audits must match it)."""
    if not organisation or owner_of(book)[0]:
        return
    if ABOUT in book.sheetnames:
        del book[ABOUT]
    about = book.create_sheet(ABOUT)
    for row in (
        ("Organisation", organisation),
        ("Site", site),
        ("Note", _("csat-audit refuses to run an audit of another organisation or site against this register.")),
    ):
        append_row(about, row)
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 16, 70
