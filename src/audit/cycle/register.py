"""The action register: ``audits/<site>/actions.xlsx``, kept across quarters and edited by people.

One row per action, one action per subject: an action keeps its id (``A-07``) across
re-runs, revisions and quarters (:mod:`audit.assessment.identity`). Each audit adds the
actions on subjects the register has no action for, and updates the ones it raises again:
the tool's own columns (description, grade, finding, success measure …) take this run's
text, unless people edited that cell in Excel, and the machine columns (verification, last
raised in, last changed) are always the tool's. The identity columns (id, subject, raised
in, period, raised on) never change, and people's columns (owner, due, status, closed on,
notes) are theirs once the row is added. An action this audit raised in an earlier run
whose finding is gone is marked ``withdrawn``, with the reason; no row is ever deleted by
the tool. The ``About`` sheet records whose register it is (organisation and site): an
audit of another organisation or site is refused. A hidden sheet (``_snapshot``) holds the
rows as the tool last saved them, so the next run finds people's edits and logs them, with
the tool's own changes, on the ``History`` sheet. Text from data or people is stored as
text, never as a formula.

Example:
    >>> register = read_register(Path("audits/plant-1/actions.xlsx"))   # doctest: +SKIP
    >>> [e.id for e in register.entries if e.is_open]                   # doctest: +SKIP
    ['A-01']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from audit import format
from audit.cycle.register_book import (
    ACTIONS,
    BY_KEY,
    COLUMNS,
    EDITED_IN_EXCEL,
    HISTORY,
    HISTORY_HEADER,
    Column,
    append_row,
    book_language,
    cell_text,
    cell_word,
    code_of,
    column_index,
    ensure_columns,
    new_book,
    open_book,
    owner_of,
    put,
    read_snapshot,
    record_owner,
    save_snapshot,
    sheet_of,
    sheet_rows,
)
from audit.exceptions import InputFileError
from audit.i18n import LANGUAGES, Language, _, current, language
from audit.io import check_writable, save_workbook
from audit.model.register import NOT_YET, STATUSES, Entry, Register, Verification

__all__ = ["COLUMNS", "Column", "check_owner", "read_register", "update_register"]


# ---------------------------------------------------------------- reading


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
        text = code_of("status", text.strip().lower())
        if text not in STATUSES:
            words = ", ".join(cell_word("status", s, LANGUAGES[1]) for s in STATUSES)
            raise ValueError(f"{where}: '{value}' is not a status; pick one of {', '.join(STATUSES)} ({words})")
    elif column.key in ("verification", "grade", "type", "owner_role"):
        text = code_of(column.key, text)
    return text


def _entry(values: dict[str, Any], path: Path, row: int) -> Entry:
    converted: dict[str, Any] = {}
    for key, value in values.items():
        column = BY_KEY[key]
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


def read_register(path: Path, *, organisation: str | None = None, site: str | None = None) -> Register | None:
    """Read the action register, or None when the site has none yet (its first audit).

    Args:
        path: the register.
        organisation, site: the audit's; when given, a register of another organisation or
            site is refused (:func:`check_owner`).

    Raises:
        InputFileError: the file is not a workbook, lacks a sheet or column, a cell people
            edited cannot be read (the message names the row and column), or it is the
            register of another organisation or site.
    """
    if not path.exists():
        return None
    book = open_book(path)
    sheet = sheet_of(book, ACTIONS)
    entries = [_entry(values, path, r) for r, values in sheet_rows(sheet, column_index(sheet, path)).items()]
    seen: set[str] = set()
    for e in entries:
        if e.id in seen:
            raise InputFileError(
                f"{path}, sheet '{ACTIONS}': action id '{e.id}' appears twice; make each id unique", path, "actions"
            )
        seen.add(e.id)
    owner_org, owner_site = owner_of(book)
    saved, deleted = read_snapshot(book)
    deleted |= set(saved) - seen  # deleted in Excel since the tool last saved the register
    gone = tuple(_entry_from_saved(saved.get(i, {"id": i}) | {"id": i}) for i in sorted(deleted))
    register = Register(path, tuple(entries), owner_org, owner_site, gone)
    if organisation is not None:
        check_owner(register, organisation, site or "")
    return register


def check_owner(register: Register, organisation: str, site: str) -> None:
    """Refuse an audit of another organisation or site than the one the register belongs to.

    A register written before it recorded its owner belongs to whoever audits with it next.

    Raises:
        InputFileError: the register records another organisation or site (one line, exit code 2).
    """
    if not register.organisation:
        return
    if (register.organisation.casefold(), register.site.casefold()) == (organisation.casefold(), site.casefold()):
        return
    mine = f"{register.organisation}, {register.site}" if register.site else register.organisation
    theirs = f"{organisation}, {site}" if site else organisation
    raise InputFileError(
        f"{register.path}: this action register belongs to {mine}, not to {theirs}; give each organisation and site "
        "its own site folder (audits/<site>/<period>)",
        register.path,
        "actions",
    )


def _entry_from_saved(values: dict[str, str]) -> Entry:
    """A deleted row as the tool last saved it: its id, subject and the audits that raised it are what matter."""
    return Entry(
        values["id"],
        subject=values.get("subject", ""),
        raised_in=values.get("raised_in", ""),
        last_raised_in=values.get("last_raised_in", ""),
        description=values.get("description", ""),
        status=code_of("status", values.get("status") or "open"),
    )


# ---------------------------------------------------------------- writing


def _update_row(
    sheet: Any, index: dict[str, int], row: int, entry: Entry, saved: dict[str, str], audit_id: str
) -> list[tuple[str, str, str, str, str]]:
    """Update an action this run raises again; returns the changes to log.

    Identity columns never change; people's columns stay theirs (a ``withdrawn`` status is
    reopened); the tool's columns take the new text unless people edited the cell since the
    tool last saved it; the baseline of an action carried from an earlier audit stays.
    """
    log = []

    def write(key: str, value: Any) -> None:
        cell, value = sheet.cell(row, index[key]), cell_word(key, value, current())
        if cell_text(cell.value) != cell_text(value):
            log.append((entry.id, _(BY_KEY[key].header), cell_text(cell.value), cell_text(value), audit_id))
            put(cell, value)

    carried = entry.raised_in != audit_id
    for column in COLUMNS:
        if column.key not in index or column.by == "identity" or (carried and column.key == "baseline"):
            continue
        shown = cell_text(sheet.cell(row, index[column.key]).value)
        if column.by == "tool" and shown == saved.get(column.key, shown):
            write(column.key, getattr(entry, column.key))
    if "last_raised_in" in index:
        write("last_raised_in", audit_id)
    if code_of("status", cell_text(sheet.cell(row, index["status"]).value)) == "withdrawn":
        write("status", "open")
        if "withdrawn_reason" in index:
            write("withdrawn_reason", "")
    return log


def update_register(
    path: Path,
    audit_id: str,
    new: Iterable[Entry],
    verifications: Mapping[str, Verification],
    today: dt.date,
    *,
    out: Path | None = None,
    organisation: str = "",
    site: str = "",
    lang: Language | None = None,
) -> Path:
    """Merge this audit's actions into the register, update the tool's columns, withdraw what is gone; log every change.

    People's edits since the last run are found by comparing with the hidden snapshot and
    logged as "edited in Excel"; they are never overwritten. An action already in the
    register (the same subject raised again: a re-run, a revision, a later quarter) is
    updated in place, not added twice; one people deleted is not added back. An action this
    audit raised before whose subject this run raises no more, still open or in progress, is
    marked ``withdrawn`` with the reason. The workbook is written to a temporary file and
    renamed into place.

    Args:
        path: ``AuditFolder.action_register``.
        audit_id: the audit making the changes (the "By" of its History rows).
        new: the audit's actions, from ``audit.assessment.actions.register_entries``.
        verifications: by action id, from ``audit.assessment.followup.verify``.
        today: the date written on History rows and in "Last changed".
        out: where to write the updated register (a run stages it and publishes it with its
            other outputs); ``path`` itself when None.
        organisation, site: the audit's, recorded on the About sheet of a new register.
        lang: the language of a new register (``audit.language``; the current language when None).
            A register keeps the language it was first written in: its sheet names, headers,
            statuses and verdicts; it is read in either language.

    Raises:
        InputFileError: the existing register cannot be read, or belongs to another organisation or site.
        OutputError: the register is read-only (someone protected it).
    """
    check_writable(path)  # someone marked it read-only: say so, never re-permission it
    book = open_book(path) if path.exists() else new_book(lang or current())
    with language(book_language(book)):
        return _merge(book, path, audit_id, list(new), verifications, today, out or path, organisation, site)


def _merge(
    book: Any,
    path: Path,
    audit_id: str,
    new: list[Entry],
    verifications: Mapping[str, Verification],
    today: dt.date,
    out: Path,
    organisation: str,
    site: str,
) -> Path:
    """:func:`update_register` on the open workbook, in the register's language."""
    lang = current()
    if organisation:
        owner_org, owner_site = owner_of(book)
        check_owner(Register(path, (), owner_org, owner_site), organisation, site)
    sheet = sheet_of(book, ACTIONS)
    ensure_columns(sheet, lang)
    index = column_index(sheet, path)
    rows = {cell_text(values["id"]): (r, values) for r, values in sheet_rows(sheet, index).items()}
    saved, deleted = read_snapshot(book)
    live = {k: v for k, v in saved.items() if k not in deleted}
    log: list[tuple[str, str, str, str, str]] = []  # action id, column, old, new, by
    for action_id, (_row, values) in rows.items():
        before = live.get(action_id)
        if before is None:
            log.append((action_id, _("(row)"), "", _("added"), _(EDITED_IN_EXCEL)))
            continue
        log += [
            (action_id, _(BY_KEY[key].header), before.get(key, ""), cell_text(value), _(EDITED_IN_EXCEL))
            for key, value in values.items()
            if cell_text(value) != before.get(key, "")
        ]
    for action_id in live.keys() - rows.keys():
        deleted.add(action_id)
        log.append((action_id, _("(row)"), _("present"), _("deleted"), _(EDITED_IN_EXCEL)))
    row = max([r for r, _values in rows.values()], default=1) + 1
    for entry in new:
        if entry.id in deleted:
            continue
        if entry.id in rows:
            log += _update_row(sheet, index, rows[entry.id][0], entry, live.get(entry.id, {}), audit_id)
            continue
        for column in COLUMNS:
            put(sheet.cell(row, index[column.key]), cell_word(column.key, getattr(entry, column.key), lang))
        rows[entry.id] = (row, {})
        log.append((entry.id, _("(row)"), "", _("raised"), audit_id))
        row += 1
    log += _withdraw(sheet, index, rows, {e.subject for e in new if e.subject}, audit_id, today)
    for action_id, verification in verifications.items():
        if action_id not in rows:
            continue
        judged = verification.verdict != NOT_YET
        update = {
            "verification": cell_word("verification", verification.verdict, lang),
            "verified_value": verification.value,
            "verified_in": audit_id if judged else "",
        }
        for key, value in update.items():
            cell = sheet.cell(rows[action_id][0], index[key])
            if cell_text(cell.value) != cell_text(value):
                log.append((action_id, _(BY_KEY[key].header), cell_text(cell.value), cell_text(value), audit_id))
                put(cell, value)
    for action_id in {change[0] for change in log} & rows.keys():
        put(sheet.cell(rows[action_id][0], index["last_changed"]), today)
    history = sheet_of(book, HISTORY)
    for change in log:
        append_row(history, (today, *change))
    record_owner(book, organisation, site)
    save_snapshot(book, sheet, index, rows, deleted, saved)
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(sheet.max_column)}{max(sheet.max_row, 2)}"
    history.auto_filter.ref = f"A1:{get_column_letter(len(HISTORY_HEADER))}{max(history.max_row, 2)}"
    return save_workbook(book, out)


def _withdraw(
    sheet: Any,
    index: dict[str, int],
    rows: dict[str, tuple[int, Any]],
    raised: set[str],
    audit_id: str,
    today: dt.date,
) -> list[tuple[str, str, str, str, str]]:
    """Mark ``withdrawn`` the open actions this audit raised before on subjects this run no longer raises."""
    if "subject" not in index:
        return []
    log = []
    for action_id, (row, _values) in rows.items():
        subject = cell_text(sheet.cell(row, index["subject"]).value)
        status = code_of("status", cell_text(sheet.cell(row, index["status"]).value))
        if not subject or subject in raised or status not in {"open", "in progress"}:
            continue
        if cell_text(sheet.cell(row, index["raised_in"]).value) != audit_id:
            continue
        reason = _(
            "The run of {day} of {audit} raises no finding needing action on this subject any more.",
            day=format.date(today),
            audit=audit_id,
        )
        for key, value in (("status", cell_word("status", "withdrawn", current())), ("withdrawn_reason", reason)):
            cell = sheet.cell(row, index[key])
            log.append((action_id, _(BY_KEY[key].header), cell_text(cell.value), value, audit_id))
            put(cell, value)
    return log
