"""The action register: ``audits/<site>/actions.xlsx``, kept across quarters and edited by people.

Each audit appends its new actions and updates the columns the tool owns (verification,
KPI at verification, verified in, last changed). Every other cell of a row is written
once, when the row is added; from then on it belongs to the people who edit it in Excel
and the tool never writes it again. A hidden sheet (``_snapshot``) holds the rows as the
tool last saved them, so the next run finds people's edits and logs them, with the
tool's own changes, on the ``History`` sheet. Text from data or people is stored as
text, never as a formula.

Example:
    >>> register = read_register(Path("audits/plant-1/actions.xlsx"))   # doctest: +SKIP
    >>> [e.id for e in register.entries if e.is_open]                   # doctest: +SKIP
    ['ACME-P1-2026-Q3/A-01']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

from audit.exceptions import InputFileError
from audit.io import check_writable, put_text, save_workbook
from audit.model.register import NOT_YET, STATUSES, Entry, Register, Verification

__all__ = ["COLUMNS", "Column", "read_register", "update_register"]

ACTIONS, HISTORY, SNAPSHOT = "Actions", "History", "_snapshot"
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
        by: ``tool`` (written once, when the row is added), ``people`` (edited in Excel;
            the tool fills it in once) or ``machine`` (updated by every audit).
    """

    key: str
    header: str
    width: int
    kind: Literal["text", "date", "number"] = "text"
    by: Literal["tool", "people", "machine"] = "tool"


COLUMNS: tuple[Column, ...] = (
    Column("id", "Action id", 26),
    Column("raised_in", "Raised in", 18),
    Column("period", "Period", 9),
    Column("raised_on", "Raised on", 11, "date"),
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
    Column("last_changed", "Last changed", 12, "date", by="machine"),
)
_BY_KEY = {c.key: c for c in COLUMNS}


# ---------------------------------------------------------------- reading


def _open(path: Path) -> Any:
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
    for name in (ACTIONS, HISTORY):
        if name not in book.sheetnames:
            raise InputFileError(
                f"{path}: the action register has no sheet '{name}'; restore it from a backup", path, "actions"
            )
    return book


def _columns(sheet: Any, path: Path) -> dict[str, int]:
    """Column key → column number, found by header so that people may reorder columns."""
    found = {str(c.value).strip(): c.column for c in sheet[1] if c.value is not None}
    missing = [c.header for c in COLUMNS if c.header not in found]
    if missing:
        raise InputFileError(
            f"{path}, sheet '{ACTIONS}': column(s) {', '.join(repr(m) for m in missing)} are missing from "
            "the header row; put them back (the tool needs every column it wrote)",
            path,
            "actions",
        )
    return {c.key: found[c.header] for c in COLUMNS}


def _rows(sheet: Any, index: dict[str, int]) -> dict[int, dict[str, Any]]:
    """Excel row number → raw values by column key, blank rows left out."""
    rows = {}
    for r in range(2, sheet.max_row + 1):
        values = {key: sheet.cell(r, col).value for key, col in index.items()}
        if any(v not in (None, "") for v in values.values()):
            rows[r] = values
    return rows


def _convert(value: Any, column: Column, where: str) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None if column.kind != "text" else ""
    if column.kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"{where}: '{value}' is not a date; type a date such as 2026-12-31") from None
    if column.kind == "number":
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{where}: '{value}' is not a number; type a plain number") from None
    text = str(value)
    if column.key == "status":
        text = text.strip().lower()
        if text not in STATUSES:
            raise ValueError(f"{where}: '{value}' is not a status; pick one of {', '.join(STATUSES)}")
    return text


def _entry(values: dict[str, Any], path: Path, row: int) -> Entry:
    converted: dict[str, Any] = {}
    for key, value in values.items():
        column = _BY_KEY[key]
        where = f"{path}, sheet '{ACTIONS}', row {row}, column '{column.header}'"
        try:
            converted[key] = _convert(value, column, where)
        except ValueError as exc:
            raise InputFileError(str(exc), path, "actions") from None
    if not converted["id"]:
        raise InputFileError(
            f"{path}, sheet '{ACTIONS}', row {row}: the action has no 'Action id'; give it a unique id", path, "actions"
        )
    converted["status"] = converted["status"] or "open"
    converted["verification"] = converted["verification"] or NOT_YET
    return Entry(**converted)


def read_register(path: Path) -> Register | None:
    """Read the action register, or None when the site has none yet (its first audit).

    Raises:
        InputFileError: the file is not a workbook, lacks a sheet or column, or a cell people
            edited cannot be read (the message names the row and column).
    """
    if not path.exists():
        return None
    book = _open(path)
    sheet = book[ACTIONS]
    entries = [_entry(values, path, r) for r, values in _rows(sheet, _columns(sheet, path)).items()]
    seen: set[str] = set()
    for e in entries:
        if e.id in seen:
            raise InputFileError(
                f"{path}, sheet '{ACTIONS}': action id '{e.id}' appears twice; make each id unique", path, "actions"
            )
        seen.add(e.id)
    return Register(path, tuple(entries))


# ---------------------------------------------------------------- writing


def _text(value: Any) -> str:
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


def _put(cell: Any, value: Any) -> None:
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


def _append(sheet: Any, values: Iterable[Any]) -> None:
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for i, value in enumerate(values, start=1):
        _put(sheet.cell(row, i), value)


def _header(sheet: Any, titles: Iterable[str], widths: Iterable[int], people: frozenset[int] = frozenset()) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    tool, edit = PatternFill("solid", fgColor="DDE4EC"), PatternFill("solid", fgColor="FFF2CC")
    for i, (title, width) in enumerate(zip(titles, widths), start=1):
        cell = sheet.cell(1, i)
        _put(cell, title)
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        cell.fill = edit if i in people else tool
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"


def _new_book() -> Any:
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
    _header(sheet, (c.header for c in COLUMNS), (c.width for c in COLUMNS), people)
    status = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.key == "status"))
    cells = f"{status}2:{status}1048576"
    drop_down = DataValidation(type="list", formula1=f'"{",".join(STATUSES)}"', allow_blank=True)
    drop_down.error, drop_down.errorTitle = f"Pick one of: {', '.join(STATUSES)}", "Status"
    drop_down.add(cells)
    sheet.add_data_validation(drop_down)
    for value, colour in (("open", "FCE4D6"), ("in progress", "FFF2CC"), ("closed", "E2EFDA"), ("cancelled", "EDEDED")):
        sheet.conditional_formatting.add(
            cells, CellIsRule(operator="equal", formula=[f'"{value}"'], fill=PatternFill("solid", bgColor=colour))
        )
    verdict = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.key == "verification"))
    for value, colour in (("effective", "E2EFDA"), ("not effective", "F8CBAD")):
        sheet.conditional_formatting.add(
            f"{verdict}2:{verdict}1048576",
            CellIsRule(operator="equal", formula=[f'"{value}"'], fill=PatternFill("solid", bgColor=colour)),
        )
    _header(book.create_sheet(HISTORY), HISTORY_HEADER, (11, 26, 20, 40, 40, 20))
    snapshot = book.create_sheet(SNAPSHOT)
    snapshot.sheet_state = "hidden"
    return book


def _snapshot(book: Any) -> tuple[dict[str, dict[str, str]], set[str]]:
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
        elif values.get("id"):
            saved[values["id"]] = values
    return saved, deleted


def update_register(
    path: Path,
    audit_id: str,
    new: Iterable[Entry],
    verifications: Mapping[str, Verification],
    today: dt.date,
    *,
    out: Path | None = None,
) -> Path:
    """Append this audit's actions and update the tool's columns; log every change on History.

    People's edits since the last run are found by comparing with the hidden snapshot and
    logged as "edited in Excel"; they are never overwritten. An action already in the
    register (the same audit run again) is not added twice, nor is one people deleted.
    The workbook is written to a temporary file and renamed into place.

    Args:
        path: ``AuditFolder.action_register``.
        audit_id: the audit making the changes (the "By" of its History rows).
        new: the audit's actions, from ``audit.assessment.actions.register_entries``.
        verifications: by action id, from ``audit.assessment.followup.verify``.
        today: the date written on History rows and in "Last changed".
        out: where to write the updated register (a run stages it and publishes it with its
            other outputs); ``path`` itself when None.

    Raises:
        InputFileError: the existing register cannot be read.
        OutputError: the register is read-only (someone protected it).
    """
    check_writable(path)  # someone marked it read-only: say so, never re-permission it
    book = _open(path) if path.exists() else _new_book()
    sheet = book[ACTIONS]
    index = _columns(sheet, path)
    rows = {_text(values["id"]): (r, values) for r, values in _rows(sheet, index).items()}
    saved, deleted = _snapshot(book)
    log: list[tuple[str, str, str, str, str]] = []  # action id, column, old, new, by
    for action_id, (_, values) in rows.items():
        before = saved.get(action_id)
        if before is None:
            log.append((action_id, "(row)", "", "added", EDITED_IN_EXCEL))
            continue
        log += [
            (action_id, _BY_KEY[key].header, before.get(key, ""), _text(value), EDITED_IN_EXCEL)
            for key, value in values.items()
            if _text(value) != before.get(key, "")
        ]
    for action_id in saved.keys() - rows.keys():
        deleted.add(action_id)
        log.append((action_id, "(row)", "present", "deleted", EDITED_IN_EXCEL))
    row = max([r for r, _ in rows.values()], default=1) + 1
    for entry in new:
        if entry.id in rows or entry.id in deleted:
            continue
        for column in COLUMNS:
            _put(sheet.cell(row, index[column.key]), getattr(entry, column.key))
        rows[entry.id] = (row, {})
        log.append((entry.id, "(row)", "", "raised", audit_id))
        row += 1
    for action_id, verification in verifications.items():
        if action_id not in rows:
            continue
        judged = verification.verdict != NOT_YET
        update = {
            "verification": verification.verdict,
            "verified_value": verification.value,
            "verified_in": audit_id if judged else "",
        }
        for key, value in update.items():
            cell = sheet.cell(rows[action_id][0], index[key])
            if _text(cell.value) != _text(value):
                log.append((action_id, _BY_KEY[key].header, _text(cell.value), _text(value), audit_id))
                _put(cell, value)
    for action_id in {change[0] for change in log} & rows.keys():
        _put(sheet.cell(rows[action_id][0], index["last_changed"]), today)
    history = book[HISTORY]
    for change in log:
        _append(history, (today, *change))
    _save_snapshot(book, sheet, index, rows, deleted)
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(sheet.max_column)}{max(sheet.max_row, 2)}"
    history.auto_filter.ref = f"A1:{get_column_letter(len(HISTORY_HEADER))}{max(history.max_row, 2)}"
    return save_workbook(book, out or path)


def _save_snapshot(
    book: Any, sheet: Any, index: dict[str, int], rows: dict[str, tuple[int, Any]], deleted: set[str]
) -> None:
    """Rewrite the hidden snapshot from the Actions sheet as it is about to be saved."""
    if SNAPSHOT in book.sheetnames:
        del book[SNAPSHOT]
    snapshot = book.create_sheet(SNAPSHOT)
    snapshot.sheet_state = "hidden"
    keys = [f.name for f in fields(Entry)]
    _append(snapshot, (*keys, "_state"))
    for r, _ in sorted(rows.values()):
        _append(snapshot, (*(_text(sheet.cell(r, index[k]).value) for k in keys), "present"))
    for action_id in sorted(deleted):
        _append(snapshot, (action_id, *[""] * (len(keys) - 1), "deleted"))
