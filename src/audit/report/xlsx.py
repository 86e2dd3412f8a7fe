"""Excel workbooks people open and filter: data_quality.xlsx (and the shared sheet writer).

Every value from the data is written as text or a number, never as a formula: a cell
that Excel would run (``=HYPERLINK(…)``, ``+1``, ``@SUM``) is stored as a plain string.
Sheets get a bold frozen header, a filter and column widths that fit their content.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audit.io import put_text, save_workbook
from audit.model import Problem, SourceInfo, Table

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

__all__ = ["PROBLEM_HEADER", "problem_rows", "write_data_quality", "write_sheet"]

MAX_WIDTH = 60


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


def write_sheet(
    book: Any,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] = (),
    fills: Sequence[str | None] = (),
) -> None:
    """Append a sheet with a bold, frozen, filterable header row.

    Args:
        book: an openpyxl ``Workbook(write_only=True)``.
        title: the sheet name (at most 31 characters).
        header: column titles.
        rows: the values; text is never read as a formula.
        widths: column widths in characters; guessed from the header and the first rows when absent.
        fills: a background colour (hex RGB) per row, or None for none.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
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
    titles = []
    for name in header:
        cell = put_text(WriteOnlyCell(sheet), str(name))
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(wrap_text=True, vertical="top")
        titles.append(cell)
    sheet.append(titles)
    # One named style per colour: a cell takes it by name, where assigning a fill object to a
    # cell hashes the fill every time (most of the time spent on a large Evidence sheet).
    styles: dict[str, str] = {}
    for index, row in enumerate(rows):
        cells = [_cell(sheet, v) for v in row]
        colour = fills[index] if index < len(fills) else None
        if colour:
            if colour not in styles:
                styles[colour] = f"csat-audit fill {colour}"
                if styles[colour] not in book.named_styles:
                    book.add_named_style(NamedStyle(styles[colour], fill=PatternFill("solid", fgColor=colour)))
            for i, cell in enumerate(cells):
                if not isinstance(cell, Cell):
                    cell, value = WriteOnlyCell(sheet), cell
                    cell.style = styles[colour]
                    cell.value = value  # after the style, so that a date keeps its date format
                    cells[i] = cell
                else:
                    cell.style = styles[colour]  # text: its value and type stay as put_text set them
        sheet.append(cells)


PROBLEM_HEADER = ("Kind", "File", "Sheet", "Row", "Column", "Value", "Rule", "Row quarantined", "What to do")
PROBLEM_WIDTHS = (11, 28, 12, 7, 22, 22, 18, 11, 90)


def problem_rows(problems: Iterable[Problem]) -> Iterable[list[Any]]:
    """The Problems sheet's rows (shared by data_quality.xlsx and findings.xlsx)."""
    return (_problem_row(p) for p in problems)


def _problem_row(p: Problem) -> list[Any]:
    return [p.kind, p.file, p.sheet, p.row, p.column, p.value, p.rule, "yes" if p.quarantined else "no", p.message]


def write_data_quality(
    sources: Sequence[SourceInfo], problems: Sequence[Problem], quarantine: Mapping[str, Table], path: Path
) -> Path:
    """Write data_quality.xlsx: a summary per source, every problem, and every quarantined row.

    Sheets: ``Summary`` (per input file: rows read, valid, quarantined, in the period,
    counts by rule, notes), ``Problems`` (file, sheet, Excel row, column, value, rule,
    what to do), and one ``Quarantined <kind>`` sheet per kind with quarantined rows,
    holding the rows exactly as found in the file plus the problems of each row.

    Example:
        >>> write_data_quality(snapshot.sources, snapshot.problems, snapshot.quarantine, path)  # doctest: +SKIP
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    rules: dict[str, Counter[str]] = {}
    for p in problems:
        rules.setdefault(p.kind, Counter())[p.rule] += 1
    write_sheet(
        book,
        "Summary",
        ("Kind", "File", "Sheet", "sha256", "Rows read", "Valid", "Quarantined", "In the period", "Problems by rule", "Notes"),
        [
            [
                s.kind, s.path, s.sheet, s.sha256[:12], s.rows_read, s.rows_valid, s.rows_quarantined, s.rows_in_period,
                ", ".join(f"{rule} {n}" for rule, n in rules.get(s.kind, Counter()).most_common()) or "none",
                "; ".join(s.notes),
            ]
            for s in sources
        ],
    )  # fmt: skip
    write_sheet(book, "Problems", PROBLEM_HEADER, problem_rows(problems), widths=PROBLEM_WIDTHS)
    for kind, table in quarantine.items():
        if not table.rows:
            continue
        why: dict[int, list[str]] = {}
        for p in problems:
            if p.kind == kind and p.quarantined and p.row is not None:
                why.setdefault(p.row, []).append(f"{p.column}: {p.rule}")
        write_sheet(
            book,
            f"Quarantined {kind}",
            ["Row", "Problems", *table.columns],
            ([row, "; ".join(why.get(row, [])), *cells] for row, cells in zip(table.excel_rows, table.rows)),
        )
    return save_workbook(book, path)
