"""Read a CSV file or an Excel sheet into a frame of raw cells, keeping Excel row numbers.

Readers only read: they return the cells as found (text for CSV, native values for
Excel) with a ``_row`` column holding the row number as the user sees it in Excel,
the records that could not be split into cells, and the cells Excel itself marks as
errors. The format-specific parts are :mod:`audit.data.csv_reader` and
:mod:`audit.data.excel_reader`; mapping, conversion and validation come after.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from audit.data.csv_reader import read_csv
from audit.data.excel_reader import EXCEL_SUFFIXES, read_excel
from audit.data.table import ROW, RawTable, header_key
from audit.exceptions import InputFileError
from audit.io import sha256_of

__all__ = ["ROW", "RawTable", "read_table", "sha256_of"]


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """The rows whose every cell is missing or empty text, column by column (no copy of the frame).

    The columns are looked at in turn and only while some row may still be blank: the
    first column that is filled on every row (an id, usually) ends the search.
    """
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        if column == ROW:
            continue
        if not blank.any():
            break
        cells = frame[column]
        blank &= (cells.isna() | (cells == "")).to_numpy(dtype=bool, na_value=True)
    return blank


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
        sheet: Excel sheet name or 0-based index; the first visible sheet when None.
        header_row: the row holding the headers, as numbered in Excel (1 = first row);
            when None, the first of the top 30 rows holding the most ``expected`` headers
            (title rows above the table are skipped), else row 1.
        encoding: CSV encoding; detected when None (see :func:`audit.data.csv_reader.decode`).
        expected: headers to look for when finding the header row (compared with
            :func:`audit.data.table.header_key`).

    Returns:
        The raw table; blank rows are dropped but keep their numbering.

    Raises:
        InputFileError: the file is missing, unreadable, empty, password-protected, has
            no such sheet, or no header row.

    Example:
        >>> read_table(Path("data/orders.csv"), expected={"Order ID"}).header_row   # doctest: +SKIP
        3
    """
    if not path.is_file():
        raise InputFileError(
            f"{path}: file not found; check 'path' in audit.yaml or copy the file into the audit folder",
            path,
        )
    wanted = {header_key(h) for h in expected}
    try:
        if path.suffix.lower() in EXCEL_SUFFIXES:
            table = read_excel(path, sheet, header_row, wanted)
        else:
            table = read_csv(path, header_row, encoding, wanted)
    except OSError as exc:  # permission denied, a file that vanished, an I/O error: say so, not a traceback
        reason = (exc.strerror or type(exc).__name__).lower()
        raise InputFileError(
            f"{path}: cannot be read ({reason}); check that you may read it, then run again", path
        ) from None
    frame = table.frame
    blank = _blank_rows(frame)
    if blank.any():
        frame = frame.loc[~blank].reset_index(drop=True)
    if frame.empty and not table.bad_records:
        where = f" sheet '{table.sheet}'" if table.sheet else ""
        raise InputFileError(
            f"{path}{where}: no data rows below the header in row {table.header_row}; "
            "export the data again or set 'header_row' in audit.yaml",
            path,
        )
    return replace(table, frame=frame)
