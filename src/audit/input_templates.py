"""The Excel input templates: one workbook per kind, generated with openpyxl.

Each workbook has an Instructions sheet, then one sheet named after the kind whose header
row holds our column names (audit.data.contract), so that it loads without any mapping.
Every header carries a note saying what the column holds and whether it is required;
required headers are dark, optional ones light. Severity, status, yes/no columns and
survey scores have drop-downs; date columns are formatted yyyy-mm-dd and accept only
dates; quantities and values only numbers of 0 or more; ids are kept as text. The header
row is frozen.

The workbooks are committed in templates/inputs/ and copied by ``csat-audit init``
(audit.scaffold). After changing this module, regenerate them with
``python -m audit.scaffold``; a test checks that they are up to date, comparing what a
user sees (:func:`outline`), not bytes.

Example:
    >>> build_workbook("complaints").sheetnames
    ['Instructions', 'complaints']
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from audit.data.contract import COLUMNS, KINDS, REQUIRED_VALUES, ColumnType
from audit.i18n import LANGUAGES, N_, Language, _, current, language
from audit.input_words import COLUMN_NAMES, DIMENSIONS, NOTES, ROW_NOUN, TITLE, WHAT
from audit.paths import INPUT_TEMPLATES_DIR

__all__ = [
    "DIMENSIONS",
    "NOT_APPLICABLE",
    "SEVERITIES",
    "STATUSES",
    "WORKBOOKS",
    "YES_NO",
    "InputColumn",
    "build_workbook",
    "input_columns",
    "outline",
    "write_templates",
]

#: per kind, the input workbook's file name (in templates/inputs/ and an audit's data/);
#: its data sheet is named after the kind
WORKBOOKS = {kind: f"{kind}.xlsx" for kind in KINDS}

#: survey scales of the template; audit.yaml (templates/audit.yaml) declares the same
SCORE_MIN, SCORE_MAX, NOT_APPLICABLE = 1, 5, 0
RECOMMEND_MIN, RECOMMEND_MAX = 0, 10

SEVERITIES = ("low", "medium", "high")
STATUSES = ("open", "closed")
YES_NO = ("yes", "no")
#: the drop-downs' values as a Chinese template offers them: words the loader reads as the values above
#: (audit.data.schemas, audit.data.convert), so that a Chinese template needs no values: mapping
_CHOICE_WORDS = {"low": N_("low"), "medium": N_("medium"), "high": N_("high"), "open": N_("open"),
                 "closed": N_("closed"), "yes": N_("yes"), "no": N_("no")}  # fmt: skip


def _choices(values: tuple[str, ...]) -> tuple[str, ...]:
    return values if current() == LANGUAGES[0] else tuple(_(_CHOICE_WORDS[v]) for v in values)


#: the placeholders of the notes and instructions
_SCALES = {"low": SCORE_MIN, "high": SCORE_MAX, "na": NOT_APPLICABLE, "rmin": RECOMMEND_MIN, "rmax": RECOMMEND_MAX}

_LAST_ROW = 1_048_576  # drop-downs and checks cover the whole column below the header
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2099, 12, 31))

_REQUIRED_FILL = PatternFill("solid", fgColor="1F4E78")
_OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FONT = Font(bold=True, color="FFFFFF")
_OPTIONAL_FONT = Font(bold=True, color="1F4E78")
_WIDTH: dict[str, int] = {"id": 16, "date": 13, "number": 12, "text": 20, "bool": 11}
_LONG_TEXT = {"comment": 50, "description": 50, "root_cause": 32, "category": 24, "reason": 28}


@dataclass(frozen=True)
class InputColumn:
    """One column of an input template.

    Attributes:
        name: the header, our column name (or a survey dimension's declared header).
        type: id, date, number, text or bool (audit.data.contract).
        required: whether every row needs a value.
        note: what the column holds.
        choices: the drop-down's values; empty when the column has none.
    """

    name: str
    type: ColumnType
    required: bool
    note: str
    choices: tuple[str, ...] = ()

    @property
    def type_label(self) -> str:
        """The type as the Instructions sheet names it, in the current language."""
        if self.choices and self.type != "bool":
            return _("score") if self.type == "number" else _("choice")
        labels = {"id": N_("id (text)"), "date": N_("date"), "number": N_("number"), "text": N_("text"),
                  "bool": N_("yes/no")}  # fmt: skip
        return _(labels[self.type])

    @property
    def allowed(self) -> str:
        """The values allowed, in words."""
        if self.choices:
            return ", ".join(self.choices)
        if self.type == "date":
            return "yyyy-mm-dd"
        return _("0 or more") if self.type == "number" else ""

    @property
    def title(self) -> str:
        """The header with its name in the current language when that is not English: ``severity（严重程度）``."""
        name = COLUMN_NAMES.get(self.name) or COLUMN_NAMES.get(self.name.rsplit("_", 1)[0])
        if current() == LANGUAGES[0] or not name:
            return self.name
        if self.name.endswith(("_expectation", "_importance")):
            what = _("expectation") if self.name.endswith("_expectation") else _("importance")
            return f"{self.name}（{_(name)}·{what}）"
        return f"{self.name}（{_(name)}）"


def _scores(low: int, high: int, na: int | None = None) -> tuple[str, ...]:
    return tuple(str(v) for v in range(low, high + 1)) + (() if na is None else (str(na),))


def _dimension_columns() -> list[InputColumn]:
    """Perception, expectation and importance columns of each template dimension."""
    scores = _scores(SCORE_MIN, SCORE_MAX, NOT_APPLICABLE)
    na = _("{na} = not applicable (left out, never averaged)", **_SCALES)
    notes: dict[str, str] = {}
    for name, what in DIMENSIONS.items():
        notes[name] = _("Satisfaction with {what}, {low} (very dissatisfied) to {high} (very satisfied); {na}.",
                        **(_SCALES | {"what": _(what), "na": na}))  # fmt: skip
    for name in DIMENSIONS:
        notes[f"{name}_expectation"] = _(
            "What the customer expects of {name}, {low} (low) to {high} (high); {na}. "
            "The gap is satisfaction − expectation. Blank when not asked.",
            **(_SCALES | {"name": _dimension(name), "na": na}),
        )
    for name in DIMENSIONS:
        notes[f"{name}_importance"] = _(
            "How important {name} is to the customer, {low} (not important) to {high} (very important); {na}. "
            "Blank when not asked.",
            **(_SCALES | {"name": _dimension(name), "na": na}),
        )
    return [InputColumn(header, "number", False, note, scores) for header, note in notes.items()]


def _dimension(name: str) -> str:
    """A template dimension in a sentence: its header in English, its name in another language."""
    return name if current() == LANGUAGES[0] else _(COLUMN_NAMES[name])


def input_columns(kind: str) -> list[InputColumn]:
    """The columns of a kind's input template, required ones first.

    Every column of the data contract, in its order; for surveys the dimension columns
    (perception, expectation, importance) follow ``recommend``.

    Example:
        >>> [c.name for c in input_columns("orders")][:3]
        ['order_id', 'ordered_on', 'customer_id']
    """
    columns: list[InputColumn] = []
    for name, kind_of in COLUMNS[kind].items():
        if name in ("unit_price", "sent_on", "responded", "repurchase") or (kind, name) == ("orders", "status"):
            # for exports without a value column (the templates have one), for distribution
            # lists with unanswered questionnaires (the template holds answers; sent: gives the
            # count), and for the organisation's own exports (repurchase intention, order status)
            continue
        choices: tuple[str, ...]
        if name in ("severity", "status"):
            choices = _choices(SEVERITIES if name == "severity" else STATUSES)
        elif kind_of == "bool":
            choices = _choices(YES_NO)
        elif kind == "surveys" and name == "overall":
            choices = _scores(SCORE_MIN, SCORE_MAX)
        elif kind == "surveys" and name == "recommend":
            choices = _scores(RECOMMEND_MIN, RECOMMEND_MAX)
        else:
            choices = ()
        note = _(NOTES[kind][name], **_SCALES)
        columns.append(InputColumn(name, kind_of, name in REQUIRED_VALUES[kind], note, choices))
        if kind == "surveys" and name == "recommend":
            columns += _dimension_columns()
    return columns


# --- the workbook -------------------------------------------------------------------------
def _instructions(kind: str, columns: list[InputColumn]) -> list[str]:
    """The Instructions sheet's lines, before the table of columns, in the current language."""
    noun, first = _(ROW_NOUN[kind]), columns[0].name
    lists = [f"{c.name} ({', '.join(c.choices)})" for c in columns if c.choices and c.type != "number"]
    lines = [
        _("{title}: input for the customer-satisfaction audit", title=_(TITLE[kind])),
        _("csat-audit input template · ISO 9001:2015 9.1.2 (ISO 9001:2008 8.2.1)"),
        "",
        _(_HEADINGS[0]),
        _(WHAT[kind]),
        _("The audit reads the sheet '{kind}'. audit.yaml in the audit folder points at it (data: {kind}:) "
          "and needs no column mapping, because the headers are the audit's own column names.", kind=kind),
        "",
        _(_HEADINGS[1]),
        _("1. One {noun} per row on the sheet '{kind}', from row 2 down. Keep the header row as it is: "
          "the audit finds each column by its header (the order of the columns does not matter).", noun=noun,
          kind=kind),
        _("2. Dark blue headers are required: every row needs a value. Light blue headers are optional: "
          "leave the column blank when it is not recorded."),
        _("3. Each header has a note (the red corner): hover over it to read what the column holds."),
        _("4. Dates as yyyy-mm-dd, such as 2026-10-31, entered as Excel dates (the date columns are formatted so)."),
        _("5. Numbers as plain numbers: no currency signs, units or text."),
        _("6. Each {id} once: a repeated id is reported as a problem (unless grain: line, see below).", id=first)
        if kind in ("orders", "returns")
        else _("6. Each {id} once: a repeated id is reported as a problem.", id=first),
    ]  # fmt: skip
    if kind == "surveys":
        lists.append(_("the scores (see Scores below)"))
    if lists:
        lines.append(_("7. Pick from the drop-down where a column has one: {lists}.", lists="; ".join(lists)))
    else:
        lines.append(_("7. Values in your own words or codes are fine in text columns; keep them consistent."))
    lines += [
        _("8. Pasting from another file: use Paste Special > Values, so that the drop-downs and date formats stay."),
        _("9. Include the earlier quarters too (up to seven before the audited one): trends, lost customers "
          "and complaints still open need them. Rows dated after the audited quarter are not used."),
    ]  # fmt: skip
    if kind == "surveys":
        lines += [
            "",
            _(_HEADINGS[2]),
            _("Scores follow the scales declared in audit.yaml under data: surveys: (scale, recommend_scale, scales). "
              "In this template: overall and {dimensions} {low}–{high} ({high} = very satisfied); recommend "
              "{rmin}–{rmax}.", dimensions=", ".join(DIMENSIONS), **_SCALES),
            _("Not applicable: {na} in a dimension, expectation or importance column (declared as na: {na} in "
              "audit.yaml). It is left out, never averaged. overall has no not-applicable code; leave recommend "
              "blank when it was not asked.", **_SCALES),
            _("A questionnaire with other scales or dimensions: change audit.yaml and the headers and drop-downs "
              "here (Data > Data Validation) together."),
        ]  # fmt: skip
    if kind in ("orders", "returns"):
        lines += [
            "",
            _(_HEADINGS[3]),
            _("When the system exports one row per line item (the same {id} on several rows), paste it as it is "
              "and set grain: line under data: {kind}: in audit.yaml: quantities and values are then summed per "
              "{id}.", id=first, kind=kind),
        ]  # fmt: skip
    lines += [
        "",
        _(_HEADINGS[4]),
        _("Rows with a problem (an empty required cell, a date that is not a date, a score off the scale, a repeated "
          "id…) are quarantined: left out of the results and listed in the report's data-quality appendix."),
        _("csat-audit validate <audit folder>   lists every problem with its sheet, row and column."),
        _("csat-audit run <audit folder>        runs the audit and writes the report."),
        "",
        _(_HEADINGS[5]),
    ]  # fmt: skip
    return lines


#: the Instructions sheet's headings (English message ids)
_HEADINGS = (N_("What this workbook is"), N_("How to fill it in"), N_("Scores"), N_("One row per line item?"),
             N_("When it is filled in"), N_("Columns"))  # fmt: skip


def _validation(column: InputColumn) -> DataValidation | None:
    """The drop-down or check of one column's cells; None when the column takes free text."""
    if column.choices:
        pick = (N_("Pick a score from the list: {choices}.") if column.type == "number"
                else N_("Pick a value from the list: {choices}."))  # fmt: skip
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(column.choices) + '"',
            allow_blank=True,
            error=_(pick, choices=", ".join(column.choices)),
        )
        if column.type == "number":
            rule.promptTitle, rule.prompt = column.name, column.note[:255]
            rule.showInputMessage = True
    elif column.type == "date":
        first, last = (str((d - _EXCEL_EPOCH).days) for d in _DATE_RANGE)
        rule = DataValidation(
            type="date", operator="between", formula1=first, formula2=last, allow_blank=True,
            error=_("Enter a date such as 2026-10-31 (yyyy-mm-dd)."),
        )  # fmt: skip
    elif column.type == "number":
        rule = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
            error=_("Enter a plain number, 0 or more, without a currency sign or unit."),
        )  # fmt: skip
    else:
        return None
    rule.errorTitle = column.name
    rule.showErrorMessage = True
    return rule


def _data_sheet(sheet: Worksheet, columns: list[InputColumn]) -> None:
    """Header row with notes and styles, drop-downs, formats and widths of one kind's sheet."""
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.name)
        cell.font = _REQUIRED_FONT if column.required else _OPTIONAL_FONT
        cell.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        cell.alignment = Alignment(vertical="center")
        status = _("Required.") if column.required else _("Optional.")
        allowed = "\n" + _("Allowed: {values}.", values=column.allowed) if column.allowed else ""
        note = Comment(f"{column.title}: {status}\n{column.note}{allowed}", "csat-audit")
        note.width, note.height = 300, 130
        cell.comment = note
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(_LONG_TEXT.get(column.name, _WIDTH[column.type]), len(column.name) + 4)
        if column.type == "date":
            dimension.number_format = "yyyy-mm-dd"
        elif column.type == "id":
            dimension.number_format = "@"  # ids stay text: 00123 keeps its zeros
        rule = _validation(column)
        if rule is not None:
            rule.add(f"{letter}2:{letter}{_LAST_ROW}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 20


def _instructions_sheet(sheet: Worksheet, kind: str, columns: list[InputColumn]) -> None:
    lines = _instructions(kind, columns)
    headings = {_(heading) for heading in _HEADINGS}
    for row, text in enumerate(lines, start=1):
        if not text:
            continue
        cell = sheet.cell(row=row, column=1, value=text)
        if row == 1:
            cell.font = Font(bold=True, size=14, color="1F4E78")
        elif text in headings:
            cell.font = Font(bold=True, size=12, color="1F4E78")
    top = len(lines) + 1
    titles = (_("column"), _("required"), _("type"), _("what to enter"), _("allowed values"))
    for index, title in enumerate(titles, start=1):
        cell = sheet.cell(row=top, column=index, value=title)
        cell.font, cell.fill = _REQUIRED_FONT, _REQUIRED_FILL
    for row, column in enumerate(columns, start=top + 1):
        values = (
            column.title,
            _("required") if column.required else _("optional"),
            column.type_label,
            column.note,
            column.allowed,
        )
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=index, value=value)
            cell.alignment = Alignment(wrap_text=index >= 4, vertical="top")
        name = sheet.cell(row=row, column=1)
        name.font = _REQUIRED_FONT if column.required else _OPTIONAL_FONT
        name.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        sheet.row_dimensions[row].height = 15 * max(1, -(-len(column.note) // 85), -(-len(column.allowed) // 30))
    for letter, width in zip("ABCDE", (24, 10, 11, 90, 32)):
        sheet.column_dimensions[letter].width = width
    sheet.sheet_view.showGridLines = False


def build_workbook(kind: str, lang: Language = "en") -> Workbook:
    """The input template of one kind: an Instructions sheet, then the sheet to fill in.

    In another language than English the instructions, notes, drop-down help and drop-down
    values (低/中/高, 是/否 …: words the loader reads without a mapping) are in that language;
    the headers stay our column names, each note giving the column's name in the language.

    Args:
        kind: surveys, complaints, returns or orders.
        lang: the language of the instructions and notes.

    Example:
        >>> build_workbook("complaints").sheetnames
        ['Instructions', 'complaints']
    """
    with language(lang):
        columns = input_columns(kind)
        book = Workbook()
        instructions = book.active
        instructions.title = _("Instructions")
        _instructions_sheet(instructions, kind, columns)
        _data_sheet(book.create_sheet(kind), columns)
        book.properties.creator = "csat-audit"
        book.properties.title = _("{title}: csat-audit input template", title=_(TITLE[kind]))
    return book


def outline(source: Path | Workbook) -> dict[str, Any]:
    """What a user sees of a workbook, for comparing two of them without comparing bytes.

    Per sheet: cell values, header styles, notes, drop-downs and checks, number formats and
    widths of columns, and the frozen panes. A workbook in memory is saved and read back first,
    so that both sides of a comparison went through the same reading.

    Example:
        >>> outline(build_workbook("orders"))["orders"]["freeze"]
        'A2'
    """
    if isinstance(source, Workbook):
        buffer = io.BytesIO()
        source.save(buffer)
        buffer.seek(0)
        book = load_workbook(buffer)
    else:
        book = load_workbook(source)
    sheets: dict[str, Any] = {}
    for sheet in book.worksheets:
        cells = [cell for row in sheet.iter_rows() for cell in row]
        sheets[sheet.title] = {
            "cells": {c.coordinate: c.value for c in cells if c.value is not None},
            "notes": {c.coordinate: c.comment.text for c in cells if c.comment is not None},
            "header": [(c.font.b, c.font.color.rgb if c.font.color else None, c.fill.fgColor.rgb) for c in sheet[1]],
            "validations": sorted(
                repr(
                    (
                        str(v.sqref),
                        v.type,
                        v.operator,
                        v.formula1,
                        v.formula2,
                        v.allow_blank,
                        v.showErrorMessage,
                        v.errorTitle,
                        v.error,
                        v.showInputMessage,
                        v.prompt,
                    )
                )
                for v in sheet.data_validations.dataValidation
            ),
            "columns": {k: (d.width, d.number_format) for k, d in sorted(sheet.column_dimensions.items())},
            "freeze": sheet.freeze_panes,
        }
    return {"sheets": sheets, "order": book.sheetnames}


def write_templates(folder: Path = INPUT_TEMPLATES_DIR, *, check: bool = False) -> list[Path]:
    """Regenerate the input templates whose content differs from :func:`build_workbook`.

    Args:
        folder: where the templates live (templates/inputs/).
        check: only report, write nothing.

    Returns:
        The templates that differed (and were rewritten unless ``check``).
    """
    stale: list[Path] = []
    folder.mkdir(parents=True, exist_ok=True)
    for kind, name in WORKBOOKS.items():
        path = folder / name
        book = build_workbook(kind)
        if path.is_file() and outline(path) == outline(book):
            continue
        stale.append(path)
        if not check:
            book.save(path)
    return stale
