"""Excel workbooks people open and filter: data_quality.xlsx (and the shared sheet writer).

Every value from the data is written as text or a number, never as a formula: a cell
that Excel would run (``=HYPERLINK(…)``, ``+1``, ``@SUM``) is stored as a plain string.
Sheets get a bold frozen header, a filter and column widths that fit their content.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audit.format import EXCEL_COUNT
from audit.i18n import LANGUAGES, N_, Language, _, current, language
from audit.io import put_text, save_workbook
from audit.model import Problem, SourceInfo, Table
from audit.report.words import kind_label, rule_label

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

__all__ = [
    "PROBLEM_FORMATS",
    "PROBLEM_HEADER",
    "WRAP",
    "Styled",
    "code_word",
    "problem_header",
    "problem_rows",
    "write_data_quality",
    "write_sheet",
]

MAX_WIDTH = 60


#: a column of long text: wrapped, top-aligned (``formats=`` of :func:`write_sheet`)
WRAP = "wrap"


@dataclass(frozen=True)
class Styled:
    """A cell value with its own Excel number format (a KPI row, whose unit decides its digits)."""

    value: Any
    number_format: str


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A cell holding ``value`` as data: text stays text even when it looks like a formula."""
    from openpyxl.cell import WriteOnlyCell

    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, (bool, int, float, dt.date)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return _cell(sheet, value.item())
    return put_text(WriteOnlyCell(sheet), str(value))


class _Styles:
    """One named style per look (number format, wrapping, fill) of a workbook, made when first used.

    A cell takes its style by name: assigning font, fill or alignment objects to each cell
    hashes them every time (most of the time spent on a large Evidence sheet). Assigning the
    name itself looks it up in a list rebuilt on every assignment, so only a style's first cell
    does so: the others copy that cell's style array, as openpyxl's own assignment does.
    """

    def __init__(self, book: Any) -> None:
        self.book = book
        self.names: dict[tuple[str | None, bool, str | None], str] = {}
        self.arrays: dict[str, Any] = {}

    def apply(self, cell: Any, name: str) -> None:
        """Give ``cell`` the named style ``name``."""
        array = self.arrays.get(name)
        if array is None:
            cell.style = name
            self.arrays[name] = copy(cell._style)
        else:
            cell._style = copy(array)

    def name(self, number_format: str | None, wrap: bool, colour: str | None) -> str | None:
        key = (number_format, wrap, colour)
        if key == (None, False, None):
            return None
        found = self.names.get(key)
        if found is None:
            from openpyxl.styles import Alignment, NamedStyle, PatternFill

            parts = ([f"fill {colour}"] if colour else []) + (["wrap"] if wrap else [])
            found = " ".join(["csat-audit", *parts] + ([f"format {number_format}"] if number_format else []))
            if found not in self.book.named_styles:
                style = NamedStyle(found)
                if colour:
                    style.fill = PatternFill("solid", fgColor=colour)
                if wrap:
                    style.alignment = Alignment(wrap_text=True, vertical="top")
                if number_format:
                    style.number_format = number_format
                self.book.add_named_style(style)
            self.names[key] = found
        return found


def write_sheet(
    book: Any,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] = (),
    fills: Sequence[str | None] = (),
    formats: Sequence[str | None] = (),
) -> None:
    """Append a sheet with a bold, frozen, filterable header row.

    Args:
        book: an openpyxl ``Workbook(write_only=True)``.
        title: the sheet name (at most 31 characters).
        header: column titles.
        rows: the values; text is never read as a formula. A :class:`Styled` value takes its own number format.
        widths: column widths in characters; guessed from the header and the first rows when absent.
        fills: a background colour (hex RGB) per row, or None for none.
        formats: per column, an Excel number format (``audit.format.EXCEL_PERCENT`` …), :data:`WRAP`
            for long text, or None.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title[:31])
    rows = [list(r) for r in rows]
    guessed = [
        min(MAX_WIDTH, max([len(str(h)) + 2] + [len(str(r[i])) + 1 for r in rows[:200] if r[i] is not None]))
        for i, h in enumerate(header)
    ]
    for i, width in enumerate(widths or guessed, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EC")
    top = Alignment(wrap_text=True, vertical="top")
    titles = []
    for name in header:
        cell = put_text(WriteOnlyCell(sheet), str(name))
        cell.font, cell.fill, cell.alignment = bold, fill, top
        titles.append(cell)
    sheet.append(titles)
    styles = _Styles(book)
    kinds = [(None if f == WRAP else f, f == WRAP) for f in formats] + [(None, False)] * (len(header) - len(formats))
    for index, row in enumerate(rows):
        colour = fills[index] if index < len(fills) else None
        cells = []
        for i, value in enumerate(row):
            number_format, wrap = kinds[i] if i < len(kinds) else (None, False)
            if isinstance(value, Styled):
                value, number_format = value.value, value.number_format
            cell = _cell(sheet, value)
            style = styles.name(number_format if isinstance(cell, (int, float)) else None, wrap, colour)
            if style is not None and cell is not None:
                if not isinstance(cell, Cell):
                    cell, value = WriteOnlyCell(sheet), cell
                    styles.apply(cell, style)
                    cell.value = value  # after the style, so that a date keeps its date format
                else:
                    styles.apply(cell, style)  # text: its value and type stay as put_text set them
            elif style is not None and colour:
                cell = WriteOnlyCell(sheet)
                styles.apply(cell, style)
            cells.append(cell)
        sheet.append(cells)


#: the Problems sheet's columns (English message ids: :func:`problem_header` gives them in the audit's language)
PROBLEM_HEADER = (
    N_("Kind"), N_("File"), N_("Sheet"), N_("Row"), N_("Column"), N_("Value"), N_("Rule"), N_("Row quarantined"),
    N_("What to do"),
)  # fmt: skip
PROBLEM_WIDTHS = (11, 28, 12, 7, 22, 22, 18, 11, 90)
PROBLEM_FORMATS = (None, None, None, EXCEL_COUNT, None, WRAP, None, None, WRAP)


def code_word(code: str, label: Callable[[str], str]) -> str:
    """A code as a workbook shows it: the code itself in English (``missing_value``, what results.json
    and filters use), its words in another language (``必填值缺失``)."""
    return code if current() == LANGUAGES[0] or not code else label(code)


def problem_header() -> list[str]:
    """The Problems sheet's column titles in the current language."""
    return [_(title) for title in PROBLEM_HEADER]


def problem_rows(problems: Iterable[Problem]) -> Iterable[list[Any]]:
    """The Problems sheet's rows (shared by data_quality.xlsx and findings.xlsx), in the current language."""
    yes, no = _("yes"), _("no")
    return (
        [code_word(p.kind, kind_label), p.file, p.sheet, p.row, p.column, p.value, code_word(p.rule, rule_label),
         yes if p.quarantined else no, p.message]
        for p in problems
    )  # fmt: skip


def write_data_quality(
    sources: Sequence[SourceInfo],
    problems: Sequence[Problem],
    quarantine: Mapping[str, Table],
    path: Path,
    *,
    lang: Language | None = None,
) -> Path:
    """Write data_quality.xlsx: a summary per source, every problem, and every quarantined row.

    Sheets: ``Summary`` (per input file: rows read, valid, quarantined, in the period,
    counts by rule, notes), ``Problems`` (file, sheet, Excel row, column, value, rule,
    what to do), and one ``Quarantined <kind>`` sheet per kind with quarantined rows,
    holding the rows exactly as found in the file plus the problems of each row. Sheet
    names, headers and fixed words are in ``lang`` (``audit.language``; the current
    language when None); the rows as found in the file stay as they are.

    Example:
        >>> write_data_quality(snapshot.sources, snapshot.problems, snapshot.quarantine, path)  # doctest: +SKIP
    """
    from openpyxl import Workbook

    with language(lang or current()):
        book = Workbook(write_only=True)
        rules: dict[str, Counter[str]] = {}
        for p in problems:
            rules.setdefault(p.kind, Counter())[p.rule] += 1
        write_sheet(
            book,
            _("Summary"),
            (_("Kind"), _("File"), _("Sheet"), "sha256", _("Rows read"), _("Valid"), _("Quarantined"),
             _("In the period"), _("Problems by rule"), _("Notes")),
            [
                [
                    code_word(s.kind, kind_label), s.path, s.sheet, s.sha256[:12], s.rows_read, s.rows_valid,
                    s.rows_quarantined, s.rows_in_period,
                    ", ".join(f"{code_word(rule, rule_label)} {n:,}" for rule, n in rules.get(s.kind, Counter()).most_common())
                    or _("none"),
                    "; ".join(s.notes),
                ]
                for s in sources
            ],
            formats=(None, None, None, None, EXCEL_COUNT, EXCEL_COUNT, EXCEL_COUNT, EXCEL_COUNT, WRAP, WRAP),
            widths=(14, 30, 14, 14, 11, 11, 11, 11, 40, 60),
        )  # fmt: skip
        write_sheet(
            book,
            _("Problems"),
            problem_header(),
            problem_rows(problems),
            widths=PROBLEM_WIDTHS,
            formats=PROBLEM_FORMATS,
        )
        for kind, table in quarantine.items():
            if not table.rows:
                continue
            why: dict[int, list[str]] = {}
            for p in problems:
                if p.kind == kind and p.quarantined and p.row is not None:
                    why.setdefault(p.row, []).append(f"{p.column}: {code_word(p.rule, rule_label)}")
            write_sheet(
                book,
                _("Quarantined {kind}", kind=code_word(kind, kind_label)),
                [_("Row"), _("Problems"), *table.columns],
                ([row, "; ".join(why.get(row, [])), *cells] for row, cells in zip(table.excel_rows, table.rows)),
                formats=(EXCEL_COUNT, WRAP),
            )
        return save_workbook(book, path)
