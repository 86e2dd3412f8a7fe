"""Read a CSV file or an Excel sheet into a frame of raw cells, keeping Excel row numbers.

Readers only read: they return the cells as found (text for CSV, native values for
Excel) with a ``_row`` column holding the row number as the user sees it in Excel.
Mapping, type conversion and validation happen in :mod:`audit.data.dataset`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from audit.exceptions import InputFileError
from audit.io import sha256_of

__all__ = ["ROW", "RawTable", "read_table", "sha256_of"]

ROW = "_row"
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


#: rows searched for the header when ``header_row`` is not given
HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class RawTable:
    """Cells read from one file.

    Attributes:
        frame: one column per header (headers stripped of surrounding spaces), the cells
            as read, plus ``_row``, the row number as shown in Excel.
        sheet: the sheet name for Excel files, else "".
        encoding: the encoding a CSV file was read with, else "".
        header_row: the row the headers were taken from, as numbered in Excel.
    """

    frame: pd.DataFrame
    sheet: str = ""
    encoding: str = ""
    header_row: int = 1


def read_table(
    path: Path,
    *,
    sheet: str | int | None = None,
    header_row: int | None = None,
    encoding: str | None = None,
    expected: Collection[str] = (),
) -> RawTable:
    """Read a CSV file or one Excel sheet.

    Args:
        path: the file.
        sheet: Excel sheet name or 0-based index; the first sheet when None.
        header_row: the row holding the headers, as numbered in Excel (1 = first row);
            when None, the first of the top 30 rows holding the most ``expected`` headers
            (title rows above the table are skipped), else row 1.
        encoding: CSV encoding; tried in turn from UTF-8 (with or without BOM) and
            GB18030 when None.
        expected: headers to look for when finding the header row (case and
            surrounding spaces ignored).

    Returns:
        The raw table; blank rows are dropped but keep their numbering.

    Raises:
        InputFileError: the file is missing, unreadable, empty, or has no such sheet.

    Example:
        >>> read_table(Path("data/orders.csv"), expected={"Order ID"}).header_row   # doctest: +SKIP
        3
    """
    if not path.is_file():
        raise InputFileError(
            f"{path}: file not found; check 'path' in audit.yaml or copy the file into the audit folder",
            path,
        )
    wanted = {h.strip().casefold() for h in expected}
    if path.suffix.lower() in EXCEL_SUFFIXES:
        table = _read_excel(path, sheet, header_row, wanted)
    else:
        table = _read_csv(path, header_row, encoding, wanted)
    frame = table.frame
    cells = frame.drop(columns=ROW)
    blank = (cells.isna() | (cells == "")).all(axis=1) if len(cells.columns) else pd.Series(True, frame.index)
    if blank.any():
        frame = frame.loc[~blank].reset_index(drop=True)
    if frame.empty:
        where = f" sheet '{table.sheet}'" if table.sheet else ""
        raise InputFileError(
            f"{path}{where}: no data rows below the header in row {table.header_row}; "
            "export the data again or set 'header_row' in audit.yaml",
            path,
        )
    return RawTable(frame, table.sheet, table.encoding, table.header_row)


def _find_header(rows: Sequence[Sequence[Any]], wanted: set[str]) -> int:
    """The Excel number of the row among ``rows`` (the top of the sheet) holding the most wanted headers."""
    best, best_hits = 1, 0
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        hits = len(wanted.intersection(str(cell).strip().casefold() for cell in row if cell is not None))
        if hits > best_hits:
            best, best_hits = number, hits
    return best


def _header_names(header: Sequence[Any], header_row: int, path: Path) -> list[str]:
    """Headers stripped of surrounding spaces; a repeated header is an error."""
    names = ["" if h is None or (isinstance(h, float) and h != h) else str(h).strip() for h in header]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise InputFileError(
                f"{path}: the header '{name}' appears twice in row {header_row}; "
                "rename one of the columns or map the one you need",
                path,
            )
        seen.add(name)
    return names


def _numbered(body: pd.DataFrame, names: list[str], first_row: int) -> pd.DataFrame:
    """Name the columns, drop those without a header, and add the Excel row numbers."""
    body = body.set_axis(names, axis=1)
    if "" in names:
        body = body.loc[:, [n != "" for n in names]]
    body = body.reset_index(drop=True)
    body[ROW] = pd.RangeIndex(first_row, first_row + len(body))
    return body


def _sheet_label(sheet: str | int) -> str:
    return repr(sheet) if isinstance(sheet, str) else f"number {sheet} (counted from 0)"


def _read_excel(path: Path, sheet: str | int | None, header_row: int | None, wanted: set[str]) -> RawTable:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise InputFileError(
            f"{path}: cannot be opened as an Excel workbook ({exc.__class__.__name__}); "
            "open it in Excel, save it again as .xlsx, and re-run",
            path,
        ) from None
    names = book.sheet_names
    try:
        if sheet is None:
            chosen = book.get_sheet_by_index(0)
        elif isinstance(sheet, int):
            chosen = book.get_sheet_by_index(sheet)
        else:
            chosen = book.get_sheet_by_name(sheet)
        cells = chosen.to_python(skip_empty_area=False)
    except (CalamineError, IndexError, KeyError, ValueError) as exc:
        if sheet is not None and (sheet not in names if isinstance(sheet, str) else not 0 <= sheet < len(names)):
            raise InputFileError(
                f"{path}: no sheet {_sheet_label(sheet)}; the workbook has {', '.join(repr(n) for n in names)}; "
                "set 'sheet' in audit.yaml",
                path,
            ) from None
        raise InputFileError(f"{path}: the sheet cannot be read ({exc}); save the workbook again", path) from None
    header_row = header_row or _find_header(cells, wanted)
    if len(cells) < header_row:
        raise InputFileError(f"{path} sheet '{chosen.name}': the sheet is empty (no header in row {header_row})", path)
    names = _header_names(cells[header_row - 1], header_row, path)
    # calamine returns a rectangle (every row as wide as the used range), so the frame is
    # built in one go; only a ragged list would need padding.
    body = cells[header_row:]
    width = len(names)
    if any(len(r) != width for r in body):
        body = [list(r[:width]) + [""] * (width - len(r)) for r in body]
    frame = _numbered(pd.DataFrame(body, columns=range(width)), names, header_row + 1)
    return RawTable(frame, chosen.name, "", header_row)


def _read_csv(path: Path, header_row: int | None, encoding: str | None, wanted: set[str]) -> RawTable:
    raw = path.read_bytes()
    if not raw.strip():
        raise InputFileError(f"{path}: the file is empty; export the data again", path)
    text = None
    for candidate in (encoding,) if encoding else CSV_ENCODINGS:
        try:
            text = raw.decode(candidate)
            used = candidate
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        raise InputFileError(
            f"{path}: cannot be decoded as {encoding or 'UTF-8 or GB18030'}; "
            "save it as CSV UTF-8 or set 'encoding' in audit.yaml",
            path,
        )
    head = text[: 1 << 16]
    try:
        delimiter = csv.Sniffer().sniff("\n".join(head.splitlines()[:HEADER_SEARCH_ROWS]), delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    # Records, not lines: Excel shows a quoted cell that spans several lines as one row, and
    # so does this numbering (blank lines included).
    reader = csv.reader(io.StringIO(head), delimiter=delimiter)
    top: list[list[str]] = []
    ends = [0]  # physical lines read after each record
    try:
        for record in reader:
            top.append(record)
            ends.append(reader.line_num)
            if len(top) >= HEADER_SEARCH_ROWS:
                break
    except csv.Error:
        pass
    header_row = header_row or _find_header(top, wanted)
    if header_row > len(top) and header_row > HEADER_SEARCH_ROWS:
        raise InputFileError(f"{path}: 'header_row' {header_row} is beyond the first {HEADER_SEARCH_ROWS} rows", path)
    if header_row > len(top):
        raise InputFileError(f"{path}: no header in row {header_row}; set 'header_row' in audit.yaml", path)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            skiprows=ends[header_row - 1],
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputFileError(f"{path}: not a readable CSV file ({exc}); export it again", path) from None
    if frame.empty:
        raise InputFileError(f"{path}: no header in row {header_row}; set 'header_row' in audit.yaml", path)
    names = _header_names(frame.iloc[0].tolist(), header_row, path)
    body = _numbered(frame.iloc[1:], names, header_row + 1)
    return RawTable(body, "", used, header_row)
