"""Read a CSV file or an Excel sheet into a frame of raw cells, keeping Excel row numbers.

Readers only read: they return the cells as found (text for CSV, native values for
Excel) with a ``_row`` column holding the row number as the user sees it in Excel.
Mapping, type conversion and validation happen in :mod:`audit.data.dataset`.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from pathlib import Path

import pandas as pd

from audit.exceptions import InputFileError

__all__ = ["RawTable", "read_table", "sha256_of", "ROW"]

ROW = "_row"
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class RawTable:
    """Cells read from one file.

    Attributes:
        frame: one column per header (headers stripped of surrounding spaces), the cells
            as read, plus ``_row``, the row number as shown in Excel.
        sheet: the sheet name for Excel files, else "".
        encoding: the encoding a CSV file was read with, else "".
    """

    frame: pd.DataFrame
    sheet: str = ""
    encoding: str = ""


def sha256_of(path: Path) -> str:
    """The sha256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_table(
    path: Path,
    *,
    sheet: str | int | None = None,
    header_row: int = 1,
    encoding: str | None = None,
) -> RawTable:
    """Read a CSV file or one Excel sheet.

    Args:
        path: the file.
        sheet: Excel sheet name or 0-based index; the first sheet when None.
        header_row: the row holding the headers, as numbered in Excel (1 = first row).
        encoding: CSV encoding; tried in turn from UTF-8 (with or without BOM) and
            GB18030 when None.

    Returns:
        The raw table; blank rows are dropped but keep their numbering.

    Raises:
        InputFileError: the file is missing, unreadable, empty, or has no such sheet.

    Example:
        >>> read_table(Path("data/orders.csv")).frame.columns   # doctest: +SKIP
    """
    if not path.is_file():
        raise InputFileError(
            f"{path}: file not found; check 'path' in audit.yaml or copy the file into the audit folder",
            path,
        )
    if path.suffix.lower() in EXCEL_SUFFIXES:
        table = _read_excel(path, sheet, header_row)
    else:
        table = _read_csv(path, header_row, encoding)
    frame = table.frame
    cells = frame.drop(columns=ROW)
    blank = (cells.isna() | (cells == "")).all(axis=1) if len(cells.columns) else pd.Series(True, frame.index)
    frame = frame.loc[~blank].reset_index(drop=True)
    if frame.empty:
        where = f" sheet '{table.sheet}'" if table.sheet else ""
        raise InputFileError(
            f"{path}{where}: no data rows below the header in row {header_row}; "
            "export the data again or set 'header_row' in audit.yaml",
            path,
        )
    return RawTable(frame, table.sheet, table.encoding)


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


def _read_excel(path: Path, sheet: str | int | None, header_row: int) -> RawTable:
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
                f"{path}: no sheet {sheet!r}; the workbook has {', '.join(repr(n) for n in names)}; "
                "set 'sheet' in audit.yaml",
                path,
            ) from None
        raise InputFileError(f"{path}: the sheet cannot be read ({exc}); save the workbook again", path) from None
    if len(cells) < header_row:
        raise InputFileError(
            f"{path} sheet '{chosen.name}': the sheet is empty (no header in row {header_row})", path
        )
    names = _header_names(cells[header_row - 1], header_row, path)
    width = len(names)
    rows = [list(r[:width]) + [None] * (width - len(r)) for r in cells[header_row:]]
    frame = _numbered(pd.DataFrame(rows, columns=range(width)), names, header_row + 1)
    return RawTable(frame, chosen.name, "")


def _read_csv(path: Path, header_row: int, encoding: str | None) -> RawTable:
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
    lines = text[: 1 << 16].splitlines()
    sample = "\n".join(lines[header_row - 1 : header_row + 20])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            skiprows=header_row - 1,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputFileError(f"{path}: not a readable CSV file ({exc}); export it again", path) from None
    if frame.empty:
        raise InputFileError(f"{path}: no header in row {header_row}; set 'header_row' in audit.yaml", path)
    names = _header_names(frame.iloc[0].tolist(), header_row, path)
    # Excel shows a quoted cell that spans several lines as one row, and so does this numbering:
    # one number per record, blank lines included.
    body = _numbered(frame.iloc[1:], names, header_row + 1)
    return RawTable(body, "", used)
