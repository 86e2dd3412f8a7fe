"""The action register's workbook: its columns, sheets, hidden snapshot and owner, and writing cells safely.

The rules of what the register holds and when a cell changes are in :mod:`audit.cycle.register`;
this module only reads and writes the workbook (openpyxl). Text from data or people is
stored as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, Literal

from audit.exceptions import InputFileError
from audit.i18n import LANGUAGES, N_, Language, _, current, language
from audit.io import put_text
from audit.model.findings import GRADES
from audit.model.register import STATUS_WORDS, STATUSES, VERIFICATION_WORDS, Entry

__all__ = [
    "ABOUT",
    "ACTIONS",
    "BY_KEY",
    "COLUMNS",
    "EDITED_IN_EXCEL",
    "HISTORY",
    "HISTORY_HEADER",
    "NUMBER_FORMAT",
    "SNAPSHOT",
    "Column",
    "append_row",
    "book_language",
    "cell_text",
    "cell_word",
    "code_of",
    "column_index",
    "ensure_columns",
    "new_book",
    "open_book",
    "owner_of",
    "put",
    "read_snapshot",
    "record_owner",
    "save_snapshot",
    "sheet_of",
    "sheet_rows",
    "sheet_title",
    "write_header",
]

#: sheet names and fixed words as English message ids: a register is written in one language
#: (:func:`book_language`) and read in any
ACTIONS, HISTORY, SNAPSHOT, ABOUT = N_("Actions"), N_("History"), "_snapshot", N_("About")
EDITED_IN_EXCEL = N_("edited in Excel")
HISTORY_HEADER = (N_("Date"), N_("Action id"), N_("Column"), N_("Old value"), N_("New value"), N_("By"))
ORGANISATION, SITE = N_("Organisation"), N_("Site")
#: sheet names whose English word means something else elsewhere: the message that names them in other languages
_SHEET_MESSAGES = {ABOUT: N_("About this register")}
#: the Excel format of the register's numbers (targets, baselines, values at verification), whatever their unit
NUMBER_FORMAT = "#,##0.0##"


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
    Column("id", N_("Action id"), 12, by="identity"),
    Column("subject", N_("Subject"), 24, by="identity", optional=True),
    Column("raised_in", N_("Raised in"), 18, by="identity"),
    Column("period", N_("Period"), 9, by="identity"),
    Column("raised_on", N_("Raised on"), 11, "date", by="identity"),
    Column("finding_id", N_("Finding"), 8),
    Column("check", N_("Check"), 20),
    Column("clause", N_("Clause"), 24),
    Column("grade", N_("Grade"), 11),
    Column("description", N_("Description"), 60),
    Column("type", N_("Type"), 11),
    Column("owner_role", N_("Owner role"), 16),
    Column("owner", N_("Owner"), 16, by="people"),
    Column("due", N_("Due"), 11, "date", by="people"),
    Column("success_measure", N_("Success measure"), 40),
    Column("kpi_id", N_("Success KPI"), 22),
    Column("target", N_("Target"), 8, "number"),
    Column("baseline", N_("Baseline"), 9, "number"),
    Column("status", N_("Status"), 12, by="people"),
    Column("closed_on", N_("Closed on"), 11, "date", by="people"),
    Column("notes", N_("Notes"), 40, by="people"),
    Column("verification", N_("Verification"), 16, by="machine"),
    Column("verified_value", N_("KPI at verification"), 11, "number", by="machine"),
    Column("verified_in", N_("Verified in"), 18, by="machine"),
    Column("last_raised_in", N_("Last raised in"), 18, by="machine", optional=True),
    Column("withdrawn_reason", N_("Withdrawn because"), 40, by="machine", optional=True),
    Column("last_changed", N_("Last changed"), 12, "date", by="machine"),
)
BY_KEY = {c.key: c for c in COLUMNS}
#: the codes a register cell shows as words in another language than English (English keeps the code)
_WORDS: dict[str, dict[str, str]] = {
    "status": STATUS_WORDS,
    "verification": VERIFICATION_WORDS,
    "grade": GRADES,
    "type": {"correction": N_("Correction"), "corrective": N_("Corrective action"), "improvement": N_("Improvement")},
    "owner_role": {
        "customer service": N_("Customer service"),
        "logistics": N_("Logistics"),
        "quality": N_("Quality"),
        "sales": N_("Sales"),
    },
}


def translated(message: str, lang: str) -> str:
    """``message`` in ``lang``."""
    with language(lang):  # type: ignore[arg-type]
        return _(message)


def sheet_title(name: str, lang: str) -> str:
    """The title of the register's sheet ``name`` (an English message id) in ``lang``."""
    return name if lang == LANGUAGES[0] else translated(_SHEET_MESSAGES.get(name, name), lang)


def sheet_of(book: Any, name: str) -> Any:
    """The sheet ``name`` (an English message id) in whichever language the register was written, or None."""
    for lang in LANGUAGES:
        title = sheet_title(name, lang)
        if title in book.sheetnames:
            return book[title]
    return None


def book_language(book: Any) -> Language:
    """The language a register was written in, from its Actions sheet's name (English when unknown)."""
    return next((lang for lang in LANGUAGES[1:] if sheet_title(ACTIONS, lang) in book.sheetnames), LANGUAGES[0])


def cell_word(key: str, value: Any, lang: str) -> Any:
    """A value as a register in ``lang`` shows it: ``open`` → ``未关闭``; English and other columns keep it."""
    table = _WORDS.get(key)
    if table is None or lang == LANGUAGES[0] or not isinstance(value, str) or value not in table:
        return value
    return translated(table[value], lang)


@cache
def _codes(key: str) -> dict[str, str]:
    codes = {}
    for code, message in _WORDS[key].items():
        codes[code.casefold()] = code
        for lang in LANGUAGES:
            codes[translated(message, lang).casefold()] = code
    return codes


def code_of(key: str, text: str) -> str:
    """The code behind a cell's word in any language (``未关闭``, ``Open``, ``open`` → ``open``); other text as typed."""
    if key not in _WORDS:
        return text
    return _codes(key).get(text.strip().casefold(), text)


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
        if sheet_of(book, name) is None:
            raise InputFileError(
                f"{path}: the action register has no sheet '{name}'; restore it from a backup", path, "actions"
            )
    return book


def _header_in(found: dict[str, int], column: Column) -> str | None:
    """The title ``column`` has in the header row, in whichever language it was written."""
    return next((t for t in (translated(column.header, lang) for lang in LANGUAGES) if t in found), None)


def column_index(sheet: Any, path: Path) -> dict[str, int]:
    """Column key → column number, found by header (English or Chinese) so that people may reorder columns."""
    found = {str(c.value).strip(): c.column for c in sheet[1] if c.value is not None}
    titles = {c.key: _header_in(found, c) for c in COLUMNS}
    missing = [c.header for c in COLUMNS if titles[c.key] is None and not c.optional]
    if missing:
        raise InputFileError(
            f"{path}, sheet '{ACTIONS}': column(s) {', '.join(repr(m) for m in missing)} are missing from "
            "the header row; put them back (the tool needs every column it wrote)",
            path,
            "actions",
        )
    return {key: found[title] for key, title in titles.items() if title is not None}


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
    sheet = sheet_of(book, ABOUT)
    if sheet is None:
        return "", ""
    about = {str(k).strip(): "" if v is None else str(v) for k, v, *_rest in sheet.iter_rows(values_only=True) if k}

    def get(key: str) -> str:
        return next((about[t] for t in (translated(key, lang) for lang in LANGUAGES) if t in about), "")

    return get(ORGANISATION), get(SITE)


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
    elif isinstance(value, float):
        cell.value = value
        cell.number_format = NUMBER_FORMAT  # 4.000000000000004 reads 4.0, 45.28333 reads 45.283
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


def new_book(lang: Language = "en") -> Any:
    """An empty register in ``lang``: formatted sheets, a status drop-down and colours by status."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(ACTIONS, lang)
    people = frozenset(i for i, c in enumerate(COLUMNS, start=1) if c.by == "people")
    write_header(sheet, (translated(c.header, lang) for c in COLUMNS), (c.width for c in COLUMNS), people)
    status = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.key == "status"))
    cells = f"{status}2:{status}1048576"
    statuses = [cell_word("status", s, lang) for s in STATUSES]
    drop_down = DataValidation(type="list", formula1=f'"{",".join(statuses)}"', allow_blank=True)
    drop_down.error = translated(N_("Pick one of: {statuses}"), lang).format(statuses=", ".join(statuses))
    drop_down.errorTitle = translated(BY_KEY["status"].header, lang)
    drop_down.add(cells)
    sheet.add_data_validation(drop_down)
    colours = (("open", "FCE4D6"), ("in progress", "FFF2CC"), ("closed", "E2EFDA"), ("cancelled", "EDEDED"))
    for value, colour in (*colours, ("withdrawn", "EDEDED")):
        sheet.conditional_formatting.add(
            cells,
            CellIsRule(
                operator="equal",
                formula=[f'"{cell_word("status", value, lang)}"'],
                fill=PatternFill("solid", bgColor=colour),
            ),
        )
    verdict = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.key == "verification"))
    for value, colour in (("effective", "E2EFDA"), ("not effective", "F8CBAD")):
        sheet.conditional_formatting.add(
            f"{verdict}2:{verdict}1048576",
            CellIsRule(
                operator="equal",
                formula=[f'"{cell_word("verification", value, lang)}"'],
                fill=PatternFill("solid", bgColor=colour),
            ),
        )
    history = book.create_sheet(sheet_title(HISTORY, lang))
    write_header(history, (translated(t, lang) for t in HISTORY_HEADER), (11, 26, 20, 40, 40, 20))
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


def ensure_columns(sheet: Any, lang: Language = "en") -> None:
    """Add the optional columns an older register lacks, at the end of the header row (titled in ``lang``)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    present = {str(c.value).strip(): c.column for c in sheet[1] if c.value is not None}
    for column in COLUMNS:
        if _header_in(present, column) is not None:
            continue
        cell = sheet.cell(1, sheet.max_column + 1)
        put(cell, translated(column.header, lang))
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="DDE4EC")
        sheet.column_dimensions[get_column_letter(cell.column)].width = column.width


def record_owner(book: Any, organisation: str, site: str) -> None:
    """Write whose register it is on the About sheet (once: later audits must match it), in the current language."""
    if not organisation or owner_of(book)[0]:
        return
    old = sheet_of(book, ABOUT)
    if old is not None:
        del book[old.title]
    about = book.create_sheet(sheet_title(ABOUT, current()))
    for row in (
        (_(ORGANISATION), organisation),
        (_(SITE), site),
        (_("Note"), _("csat-audit refuses to run an audit of another organisation or site against this register.")),
    ):
        append_row(about, row)
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 16, 70
