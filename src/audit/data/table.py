"""A table of raw cells as read from a file, and the header handling every reader shares."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from audit.exceptions import InputFileError

__all__ = [
    "HEADER_SEARCH_ROWS",
    "ROW",
    "BadRecord",
    "CellError",
    "RawTable",
    "brief",
    "column_letter",
    "excel_value",
    "find_header",
    "header_key",
    "header_names",
    "numbered",
]

ROW = "_row"

#: rows searched for the header when ``header_row`` is not given
HEADER_SEARCH_ROWS = 30

#: characters that look like nothing: zero-width spaces and joiners, the byte-order mark
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def header_key(text: object) -> str:
    """A header (or a value) as compared: Unicode-normalised, spaces collapsed, case folded.

    A non-breaking or full-width space, a zero-width character, or a run of spaces make
    no difference: two headers that look the same on screen compare equal.

    Example:
        >>> header_key("Overall\\u00a0 Satisfaction ")
        'overall satisfaction'
    """
    text = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE)
    return " ".join(text.split()).casefold()


def column_letter(index: int) -> str:
    """The Excel column letter of a 0-based column index: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class BadRecord:
    """A record that does not fit the header: a stray quote or delimiter, a ragged row.

    Attributes:
        row: the record's row number as Excel would number it.
        line: the physical line in the file where it starts (1 = first line).
        text: the line as written.
        fields: the number of cells it splits into; ``expected`` the header's.
    """

    row: int
    line: int
    text: str
    fields: int
    expected: int


@dataclass(frozen=True)
class CellError:
    """A cell Excel marks as an error (#N/A, #DIV/0!, #REF! …) or a formula with no saved result."""

    row: int
    header: str
    text: str


@dataclass(frozen=True)
class RawTable:
    """Cells read from one file.

    Attributes:
        frame: one column per header (headers stripped of surrounding spaces), the cells
            as read, plus ``_row``, the row number as shown in Excel.
        sheet: the sheet name for Excel files, else "".
        encoding: the encoding a CSV file was read with, else "".
        header_row: the row the headers were taken from, as numbered in Excel.
        notes: how the file was read (hidden sheets passed over, the encoding detected).
        bad_records: records that could not be split into the header's cells.
        cell_errors: Excel error cells and formulas without a saved value.
        delimiter: the CSV delimiter, else "".
        letters: the frame's column → its Excel column letter.
        originals: the frame's column → the header as written, when two columns share one
            (the second is then named ``Header (F)`` in the frame).
    """

    frame: pd.DataFrame
    sheet: str = ""
    encoding: str = ""
    header_row: int = 1
    notes: tuple[str, ...] = ()
    bad_records: tuple[BadRecord, ...] = ()
    cell_errors: tuple[CellError, ...] = ()
    delimiter: str = ""
    letters: dict[str, str] = field(default_factory=dict)
    originals: dict[str, str] = field(default_factory=dict)


def find_header(rows: Sequence[Sequence[Any]], wanted: set[str]) -> tuple[int, int]:
    """The Excel number of the row among ``rows`` (the top of the sheet) holding the most wanted headers, and how many."""
    best, best_hits = 1, 0
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        keys = {header_key(cell) for cell in row if cell is not None}
        keys |= {_QUESTION.sub("", key) for key in keys}  # a survey platform's "3、性别" is the header 性别
        hits = len(wanted.intersection(keys))
        if hits > best_hits:
            best, best_hits = number, hits
    return best, best_hits


#: the number in front of a survey platform's question header: "3、", "Q3.", "第3题"
_QUESTION = re.compile(r"^(?:q\s*)?\d+\s*[、.．:：)）]\s*")
#: a cell that reads as a value rather than a column name: a number, a date, a time
_VALUE_LIKE = re.compile(r"^[\s\d.,:/\-+%]+$")


def _looks_like_values(header: Sequence[Any]) -> list[str]:
    """The cells of a would-be header row that are values (numbers, dates), when most of them are."""
    filled = [h for h in header if h is not None and str(h).strip() != "" and not (isinstance(h, float) and h != h)]
    values = [h for h in filled if not isinstance(h, str) or _VALUE_LIKE.match(h)]
    return [str(v) for v in values] if filled and 2 * len(values) >= len(filled) else []


def header_names(
    header: Sequence[Any], header_row: int, path: Path, *, hits: int | None, wanted: set[str]
) -> tuple[list[str], dict[str, str]]:
    """Headers stripped of surrounding spaces; a repeated header gets its column letter added.

    A header that appears twice is refused only when audit.yaml needs it (see
    :func:`audit.data.mapping.map_columns`); the copies are kept apart as ``Name (F)``.

    Args:
        hits: how many expected headers the row holds, when it was found automatically.

    Returns:
        The names, and for each renamed copy the header as written.

    Raises:
        InputFileError: the row holds values, not column names (a file with no header row).
    """
    if hits == 0 and wanted:
        values = _looks_like_values(header)
        if values:
            shown = ", ".join(f"'{v}'" for v in values[:3])
            raise InputFileError(
                f"{path}: row {header_row} holds values such as {shown}, not column names: the file seems to "
                "have no header row; export it again with its header row, or set 'header_row' in audit.yaml",
                path,
            )
    names = ["" if h is None or (isinstance(h, float) and h != h) else str(h).strip() for h in header]
    seen: set[str] = set()
    originals: dict[str, str] = {}
    for i, name in enumerate(names):
        if name and name in seen:
            names[i] = f"{name} ({column_letter(i)})"
            originals[names[i]] = name
        seen.add(name)
    return names, originals


def numbered(body: pd.DataFrame, names: list[str], first_row: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """Name the columns, drop those without a header, and add the Excel row numbers.

    Returns:
        The frame, and each kept column's Excel letter.
    """
    body = body.set_axis(names, axis=1)
    letters = {n: column_letter(i) for i, n in enumerate(names) if n}
    if "" in names:
        body = body.loc[:, [n != "" for n in names]]
    body = body.reset_index(drop=True)
    body[ROW] = pd.RangeIndex(first_row, first_row + len(body))
    return body, letters


def brief(text: str, limit: int = 60) -> str:
    """A value as quoted in a one-line message: whitespace runs (newlines too) become one space, long text is cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def excel_value(value: object) -> str:
    """A raw cell as text for a problem report."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
