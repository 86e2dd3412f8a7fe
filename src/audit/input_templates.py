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

#: the survey dimensions of the template (a manufacturing set) and what each rates
DIMENSIONS = {
    "quality": "the quality of the products",
    "delivery": "delivery: on time, complete, undamaged",
    "service": "service and technical support",
    "cooperation": "cooperation: communication, responsiveness, flexibility",
}
#: survey scales of the template; audit.yaml (templates/audit.yaml) declares the same
SCORE_MIN, SCORE_MAX, NOT_APPLICABLE = 1, 5, 0
RECOMMEND_MIN, RECOMMEND_MAX = 0, 10

SEVERITIES = ("low", "medium", "high")
STATUSES = ("open", "closed")
YES_NO = ("yes", "no")

_LAST_ROW = 1_048_576  # drop-downs and checks cover the whole column below the header
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2099, 12, 31))

_ROW_NOUN = {"surveys": "survey response", "complaints": "complaint", "returns": "return", "orders": "order"}
_TITLE = {
    "surveys": "Customer satisfaction survey responses",
    "complaints": "Customer complaints",
    "returns": "Returns (RMA, credit notes)",
    "orders": "Orders and deliveries",
}
_WHAT = {
    "surveys": "The questionnaires customers returned: one row per response, with the scores they gave.",
    "complaints": "The complaint log: one row per complaint received, with how and when it was handled.",
    "returns": "Goods returned by customers: one row per return (RMA or credit note).",
    "orders": "Customer orders and their delivery: one row per order, with promised and actual dates.",
}

#: per kind, per column: what it holds (the header note and the Instructions sheet)
_NOTES: dict[str, dict[str, str]] = {
    "surveys": {
        "response_id": "The questionnaire's number or the survey tool's response id. Each id once.",
        "responded_on": "The date the customer answered. It places the response in a quarter.",
        "overall": f"Overall satisfaction, {SCORE_MIN} (very dissatisfied) to {SCORE_MAX} (very satisfied). "
        "Blank when the customer did not answer it: the response still counts for the questions answered.",
        "customer_id": "The customer's account number, as in the orders workbook.",
        "recommend": f"How likely the customer is to recommend us, {RECOMMEND_MIN} (not at all) to "
        f"{RECOMMEND_MAX} (extremely likely); gives the Net Promoter Score. Blank when not asked.",
        "comment": "The customer's own words.",
        "channel": "How the survey was answered: email, web, phone, visit…",
        "region": "The customer's sales region.",
        "product": "The product or product line the response is about.",
        "followed_up": "Whether the organisation followed this response up (yes or no), e.g. called back a "
        "dissatisfied customer.",
    },
    "complaints": {
        "complaint_id": "The complaint's number in the complaint log. Each number once.",
        "received_on": "The date the complaint was received. It places the complaint in a quarter.",
        "category": "What the complaint is about, in the organisation's own categories (Late delivery, "
        "Product defect, …). Used for the Pareto analysis.",
        "customer_id": "The customer's account number, as in the orders workbook.",
        "order_id": "The order the complaint is about, as in the orders workbook.",
        "product": "The product concerned.",
        "severity": "How serious the complaint is: low, medium or high.",
        "channel": "How the complaint came in: email, phone, visit, sales representative…",
        "acknowledged_on": "The date the receipt was acknowledged to the customer; compared with the "
        "acknowledgement time in audit.yaml (sla).",
        "resolved_on": "The date the complaint was resolved; blank while it is open. Not before received_on.",
        "status": "open or closed, as at the date of the export.",
        "root_cause": "The cause the investigation found; blank when none was recorded.",
        "corrective_action_ref": "The reference of the corrective action raised (ISO 9001 10.2), such as CAR-2026-014.",
        "description": "What the customer complained about.",
        "resolution_accepted": "Whether the customer accepted the resolution (yes or no).",
    },
    "returns": {
        "return_id": "The return's number (RMA or credit note). Each number once.",
        "returned_on": "The date of the return. It places the return in a quarter.",
        "order_id": "The order the goods came from, as in the orders workbook.",
        "customer_id": "The customer's account number, as in the orders workbook.",
        "product": "The product returned.",
        "quantity": "Units returned: a plain number, 0 or more.",
        "reason": "Why the goods came back, in the organisation's own words or codes.",
        "value": "The credit value: a plain number, 0 or more, without a currency sign.",
        "warranty": "Whether the return is a warranty claim (yes or no).",
    },
    "orders": {
        "order_id": "The order number. Each number once.",
        "ordered_on": "The date the order was placed. It places the order in a quarter.",
        "customer_id": "The customer's account number; needed for active, lost and key-account customers.",
        "promised_on": "The delivery date promised to the customer; needed for on-time delivery.",
        "delivered_on": "The date the order was delivered (or shipped: the same event for every order); "
        "blank while undelivered. Not before ordered_on.",
        "quantity_ordered": "Units ordered: a plain number, 0 or more; needed for in-full delivery.",
        "quantity_delivered": "Units delivered: a plain number, 0 or more.",
        "value": "The order's net value: a plain number, 0 or more, without a currency sign; weighs "
        "customers for the key-account analysis.",
        "product": "The product ordered.",
        "region": "The sales region.",
    },
}

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
        """The type as the Instructions sheet names it."""
        if self.choices and self.type != "bool":
            return "score" if self.type == "number" else "choice"
        return {"id": "id (text)", "date": "date", "number": "number", "text": "text", "bool": "yes/no"}[self.type]

    @property
    def allowed(self) -> str:
        """The values allowed, in words."""
        if self.choices:
            return ", ".join(self.choices)
        if self.type == "date":
            return "yyyy-mm-dd"
        return "0 or more" if self.type == "number" else ""


def _scores(low: int, high: int, na: int | None = None) -> tuple[str, ...]:
    return tuple(str(v) for v in range(low, high + 1)) + (() if na is None else (str(na),))


def _dimension_columns() -> list[InputColumn]:
    """Perception, expectation and importance columns of each template dimension."""
    low, high, scores = SCORE_MIN, SCORE_MAX, _scores(SCORE_MIN, SCORE_MAX, NOT_APPLICABLE)
    na = f"{NOT_APPLICABLE} = not applicable (left out, never averaged)"
    notes: dict[str, str] = {}
    for name, what in DIMENSIONS.items():
        notes[name] = f"Satisfaction with {what}, {low} (very dissatisfied) to {high} (very satisfied); {na}."
    for name in DIMENSIONS:
        notes[f"{name}_expectation"] = (
            f"What the customer expects of {name}, {low} (low) to {high} (high); {na}. "
            "The gap is satisfaction − expectation. Blank when not asked."
        )
    for name in DIMENSIONS:
        notes[f"{name}_importance"] = (
            f"How important {name} is to the customer, {low} (not important) to {high} (very important); {na}. "
            "Blank when not asked."
        )
    return [InputColumn(header, "number", False, note, scores) for header, note in notes.items()]


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
            choices = SEVERITIES if name == "severity" else STATUSES
        elif kind_of == "bool":
            choices = YES_NO
        elif kind == "surveys" and name == "overall":
            choices = _scores(SCORE_MIN, SCORE_MAX)
        elif kind == "surveys" and name == "recommend":
            choices = _scores(RECOMMEND_MIN, RECOMMEND_MAX)
        else:
            choices = ()
        columns.append(InputColumn(name, kind_of, name in REQUIRED_VALUES[kind], _NOTES[kind][name], choices))
        if kind == "surveys" and name == "recommend":
            columns += _dimension_columns()
    return columns


# --- the workbook -------------------------------------------------------------------------
def _instructions(kind: str, columns: list[InputColumn]) -> list[str]:
    """The Instructions sheet's lines, before the table of columns."""
    noun = _ROW_NOUN[kind]
    lists = [f"{c.name} ({', '.join(c.choices)})" for c in columns if c.choices and c.type != "number"]
    lines = [
        f"{_TITLE[kind]}: input for the customer-satisfaction audit",
        "csat-audit input template · ISO 9001:2015 9.1.2 (ISO 9001:2008 8.2.1)",
        "",
        "What this workbook is",
        _WHAT[kind],
        f"The audit reads the sheet '{kind}'. audit.yaml in the audit folder points at it (data: {kind}:) "
        "and needs no column mapping, because the headers are the audit's own column names.",
        "",
        "How to fill it in",
        f"1. One {noun} per row on the sheet '{kind}', from row 2 down. Keep the header row as it is: "
        "the audit finds each column by its header (the order of the columns does not matter).",
        "2. Dark blue headers are required: every row needs a value. Light blue headers are optional: "
        "leave the column blank when it is not recorded.",
        "3. Each header has a note (the red corner): hover over it to read what the column holds.",
        "4. Dates as yyyy-mm-dd, such as 2026-10-31, entered as Excel dates (the date columns are formatted so).",
        "5. Numbers as plain numbers: no currency signs, units or text.",
        f"6. Each {columns[0].name} once: a repeated id is reported as a problem"
        + (" (unless grain: line, see below)." if kind in ("orders", "returns") else "."),
    ]
    if kind == "surveys":
        lists.append("the scores (see Scores below)")
    if lists:
        lines.append(f"7. Pick from the drop-down where a column has one: {'; '.join(lists)}.")
    else:
        lines.append("7. Values in your own words or codes are fine in text columns; keep them consistent.")
    lines += [
        "8. Pasting from another file: use Paste Special > Values, so that the drop-downs and date formats stay.",
        "9. Include the earlier quarters too (up to seven before the audited one): trends, lost customers "
        "and complaints still open need them. Rows dated after the audited quarter are not used.",
    ]
    if kind == "surveys":
        lines += [
            "",
            "Scores",
            "Scores follow the scales declared in audit.yaml under data: surveys: (scale, recommend_scale, scales). "
            f"In this template: overall and {', '.join(DIMENSIONS)} {SCORE_MIN}–{SCORE_MAX} "
            f"({SCORE_MAX} = very satisfied); recommend {RECOMMEND_MIN}–{RECOMMEND_MAX}.",
            f"Not applicable: {NOT_APPLICABLE} in a dimension, expectation or importance column "
            f"(declared as na: {NOT_APPLICABLE} in audit.yaml). It is left out, never averaged. "
            "overall has no not-applicable code; leave recommend blank when it was not asked.",
            "A questionnaire with other scales or dimensions: change audit.yaml and the headers and drop-downs "
            "here (Data > Data Validation) together.",
        ]
    if kind in ("orders", "returns"):
        lines += [
            "",
            "One row per line item?",
            f"When the system exports one row per line item (the same {columns[0].name} on several rows), "
            f"paste it as it is and set grain: line under data: {kind}: in audit.yaml: quantities and values "
            f"are then summed per {columns[0].name}.",
        ]
    lines += [
        "",
        "When it is filled in",
        "Rows with a problem (an empty required cell, a date that is not a date, a score off the scale, a repeated "
        "id…) are quarantined: left out of the results and listed in the report's data-quality appendix.",
        "csat-audit validate <audit folder>   lists every problem with its sheet, row and column.",
        "csat-audit run <audit folder>        runs the audit and writes the report.",
        "",
        "Columns",
    ]
    return lines


def _validation(column: InputColumn) -> DataValidation | None:
    """The drop-down or check of one column's cells; None when the column takes free text."""
    if column.choices:
        what = "a score" if column.type == "number" else "a value"
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(column.choices) + '"',
            allow_blank=True,
            error=f"Pick {what} from the list: {', '.join(column.choices)}.",
        )
        if column.type == "number":
            rule.promptTitle, rule.prompt = column.name, column.note[:255]
            rule.showInputMessage = True
    elif column.type == "date":
        first, last = (str((d - _EXCEL_EPOCH).days) for d in _DATE_RANGE)
        rule = DataValidation(
            type="date", operator="between", formula1=first, formula2=last, allow_blank=True,
            error="Enter a date such as 2026-10-31 (yyyy-mm-dd).",
        )  # fmt: skip
    elif column.type == "number":
        rule = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
            error="Enter a plain number, 0 or more, without a currency sign or unit.",
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
        status = "Required." if column.required else "Optional."
        allowed = f"\nAllowed: {column.allowed}." if column.allowed else ""
        note = Comment(f"{column.name}: {status}\n{column.note}{allowed}", "csat-audit")
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
    headings = {"What this workbook is", "How to fill it in", "Scores", "One row per line item?",
                "When it is filled in", "Columns"}  # fmt: skip
    for row, text in enumerate(lines, start=1):
        if not text:
            continue
        cell = sheet.cell(row=row, column=1, value=text)
        if row == 1:
            cell.font = Font(bold=True, size=14, color="1F4E78")
        elif text in headings:
            cell.font = Font(bold=True, size=12, color="1F4E78")
    top = len(lines) + 1
    for index, title in enumerate(("column", "required", "type", "what to enter", "allowed values"), start=1):
        cell = sheet.cell(row=top, column=index, value=title)
        cell.font, cell.fill = _REQUIRED_FONT, _REQUIRED_FILL
    for row, column in enumerate(columns, start=top + 1):
        values = (
            column.name,
            "required" if column.required else "optional",
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


def build_workbook(kind: str) -> Workbook:
    """The input template of one kind: an Instructions sheet, then the sheet to fill in.

    Args:
        kind: surveys, complaints, returns or orders.

    Example:
        >>> build_workbook("complaints").sheetnames
        ['Instructions', 'complaints']
    """
    columns = input_columns(kind)
    book = Workbook()
    instructions = book.active
    instructions.title = "Instructions"
    _instructions_sheet(instructions, kind, columns)
    _data_sheet(book.create_sheet(kind), columns)
    book.properties.creator = "csat-audit"
    book.properties.title = f"{_TITLE[kind]}: csat-audit input template"
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
