"""CSV files: the encoding, the delimiter, the header row, and records that do not fit.

The text is decoded by what decodes cleanly and reads as plausible text (see
:func:`decode`), split into records (a quoted cell over several lines is one record, as
in Excel), and put under the header. A record that does not fit the header (a stray
quote or delimiter, a ragged row) is set aside with its line number; the file is
refused only when it cannot be split into records at all.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from audit.data.table import HEADER_SEARCH_ROWS, ROW, BadRecord, RawTable, find_header, header_names, numbered
from audit.exceptions import InputFileError

__all__ = ["decode", "read_csv"]

#: share of the distinct non-ASCII characters of a GB18030 reading that must be common
#: Chinese (GB2312) for the file to be taken as Chinese rather than Western European
_GB_PLAUSIBLE = 0.8
#: share of bytes below 128 a file must have to be read as Western European (cp1252) text
_WESTERN_ASCII_MIN = 0.5
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


def _plausible_chinese(text: str) -> bool:
    """Whether text decoded as GB18030 reads as Chinese: its non-ASCII characters are common hanzi.

    Latin-1 text decoded as GB18030 turns accented letters and the letter after them into
    rare characters of the GBK extension; real Chinese text is nearly all in GB2312.
    """
    unusual = {ch for ch in set(text) if ord(ch) > 127}
    if not unusual:
        return True
    common = 0
    for ch in unusual:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return common >= _GB_PLAUSIBLE * len(unusual)


def decode(raw: bytes, encoding: str | None, path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was read with.

    With ``encoding`` given, that one (strictly). Otherwise: a byte-order mark decides
    (UTF-8, UTF-16); then UTF-8 if it decodes; then GB18030 (which covers GBK and GB2312)
    if it decodes and reads as Chinese; else Windows-1252 (Western European, a superset
    of Latin-1 for text), else Latin-1.

    Raises:
        InputFileError: the given encoding is unknown or does not decode the file.
    """
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except LookupError:
            raise InputFileError(
                f"{path}: unknown encoding '{encoding}'; use utf-8, gb18030, cp1252 or latin-1 under 'encoding'",
                path,
            ) from None
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"{path}: cannot be decoded as {encoding} (byte {exc.start:,}); "
                "remove 'encoding' from audit.yaml to detect it, or save the file as CSV UTF-8",
                path,
            ) from None
    if raw.startswith(codecs.BOM_UTF8):
        return raw.decode("utf-8-sig", errors="strict"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and _plausible_chinese(text):
        return text, "gb18030"
    ascii_share = sum(b < 128 for b in raw[: 1 << 16]) / max(len(raw[: 1 << 16]), 1)
    if ascii_share < _WESTERN_ASCII_MIN:  # Western European text is mostly ASCII letters, digits and separators
        raise InputFileError(
            f"{path}: cannot be decoded as UTF-8 or GB18030, and does not read as Western European text either; "
            "export it again as CSV UTF-8, or set 'encoding' in audit.yaml",
            path,
        )
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _delimiter(text: str) -> str:
    try:
        lines = "\n".join(text[: 1 << 16].splitlines()[:HEADER_SEARCH_ROWS])
        return csv.Sniffer().sniff(lines, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _lines(text: str) -> Iterator[str]:
    """The text's lines, each with its line break, split at ``\\n`` as ``io.StringIO`` splits them.

    A generator, so that reading the top records does not copy the whole text (an
    ``io.StringIO`` holds four bytes per character).
    """
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start) + 1 or end
        yield text[start:stop]
        start = stop


def read_csv(path: Path, header_row: int | None, encoding: str | None, wanted: set[str]) -> RawTable:
    """Read a CSV file (see the module docstring)."""
    raw = path.read_bytes()
    if not raw.strip():
        raise InputFileError(f"{path}: the file is empty; export the data again", path)
    text, used = decode(raw, encoding, path)
    if "\x00" in text:
        raise InputFileError(
            f"{path}: holds NUL bytes and cannot be split into records; it is not a text (CSV) file — "
            "export the data again as CSV, or give the Excel file",
            path,
        )
    delimiter = _delimiter(text)
    # Records, not lines: Excel shows a quoted cell that spans several lines as one row, and
    # so does this numbering (blank lines included).
    reader = csv.reader(_lines(text), delimiter=delimiter)
    top: list[list[str]] = []
    ends = [0]  # physical lines read after each record
    wanted_rows = max(HEADER_SEARCH_ROWS, header_row or 0)
    try:
        for record in reader:
            top.append(record)
            ends.append(reader.line_num)
            if len(top) >= wanted_rows:
                break
    except csv.Error:
        pass
    hits = None
    if header_row is None:
        header_row, hits = find_header(top, wanted)
    if header_row > len(top):
        raise InputFileError(
            f"{path}: no header in row {header_row}: the file has {len(top)} rows; set 'header_row' in audit.yaml",
            path,
        )
    names, originals = header_names(top[header_row - 1], header_row, path, hits=hits, wanted=wanted)
    body_start = ends[header_row]
    width = len(names)
    given = _arrow_input(raw, text, used, ends, header_row, width)
    if given is not None:  # Arrow reads bytes: the text goes now, decoded again only if Arrow refuses them
        del reader
        text = ""
    arrow = _arrow_body(given, width, delimiter)
    del given
    bad: tuple[BadRecord, ...] = ()
    rows: list[int] | None = None
    if arrow is not None:
        body = arrow
    else:
        text = text or decode(raw, encoding, path)[0]
        body, rows, bad = _pandas_body(text, body_start, width, header_row, delimiter)
    del raw, text
    notes = () if encoding or used in ("utf-8", "utf-8-sig") else (f"encoding {used} detected",)
    frame, letters = numbered(body, names, header_row + 1)
    if rows is not None:  # the rows that fit keep the numbers they have in the file
        frame[ROW] = rows
    return RawTable(frame, "", used, header_row, notes, bad, (), delimiter, letters, originals)


#: appended to the body given to Arrow: a record of one quote that Arrow refuses as too short,
#: unless the file ends inside a quoted cell (the quote then closes that cell, and the record
#: is missing); pandas refuses such a file, and so it goes the way it always went
_SENTINEL = '"'


class _Chained(io.RawIOBase):
    """Bytes read one part after another, none of them copied into one (the body, then a line of its own)."""

    def __init__(self, *parts: memoryview) -> None:
        super().__init__()
        self._parts = list(parts)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while self._parts and not len(self._parts[0]):
            self._parts.pop(0)
        if not self._parts:
            return 0
        part = self._parts[0]
        size = min(len(buffer), len(part))
        buffer[:size] = part[:size]
        self._parts[0] = part[size:]
        return size


def _arrow_input(raw: bytes, text: str, used: str, ends: list[int], header_row: int, width: int) -> memoryview | None:
    """The bytes below the header, UTF-8, for :func:`_arrow_body`; None where Arrow is not to read them.

    A UTF-8 file's bytes are given as they are (a view of them, not a copy); another
    encoding's text is encoded as UTF-8.
    """
    if width < 2 or ends[header_row] != header_row:
        return None
    offset = 0
    for _ in range(header_row):  # the body starts after header_row line breaks (one line per record above)
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return None
    if "\r" in text[:offset].replace("\r\n", ""):  # a lone carriage return is a line break to pandas only
        return None
    if used in ("utf-8", "utf-8-sig"):
        start = len(text[:offset].encode("utf-8")) + (len(codecs.BOM_UTF8) if used == "utf-8-sig" else 0)
        body = memoryview(raw)[start:]
    else:
        body = memoryview(text[offset:].encode("utf-8"))
    # pandas takes a blank first record for a file of no columns, and reads no rows
    if not len(body) or bytes(body[:1]) in (b"\n", b"\r"):
        return None
    return body


def _arrow_body(body: memoryview | None, width: int, delimiter: str) -> pd.DataFrame | None:
    """The records below the header through ``pyarrow.csv``, or None where it might read them otherwise.

    Arrow splits records as pandas' parser does (quotes opening a cell only at its start, a
    doubled quote inside one, line breaks inside quotes, ``\\r``, ``\\n`` and ``\\r\\n`` ending
    records, a blank line a row of blanks) but is many times faster and gives Arrow strings
    straight away. It is used only where the result is the same as pandas': every record has
    exactly the header's cells, no record above the header spans several lines (pandas
    skips records there, the numbering counts lines), and the file does not end inside a
    quoted cell. Anything else (a ragged row, a stray quote) returns None, and the file is
    read as before, record by record where needed.
    """
    if body is None:
        return None
    tail = (b"" if bytes(body[-1:]) in (b"\n", b"\r") else b"\n") + _SENTINEL.encode()
    seen: list[str] = []

    def invalid(row: pa_csv.InvalidRow) -> str:
        seen.append(row.text)
        return "skip" if row.text == _SENTINEL and len(seen) == 1 else "error"

    names = [str(i) for i in range(width)]
    try:
        table = pa_csv.read_csv(
            _Chained(body, memoryview(tail)),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=invalid
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowException:
        return None
    if seen != [_SENTINEL] or table.num_rows == 0:
        return None
    frame: pd.DataFrame = table.to_pandas(self_destruct=True, split_blocks=True)
    return frame.set_axis(range(width), axis=1)


def _pandas_body(
    text: str, body_start: int, width: int, header_row: int, delimiter: str
) -> tuple[pd.DataFrame, list[int] | None, tuple[BadRecord, ...]]:
    """The records below the header through pandas' parser, or record by record when it refuses them."""
    bad: tuple[BadRecord, ...] = ()
    rows: list[int] | None
    try:
        body = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            skiprows=body_start,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
        if body.shape[1] > width:
            raise ValueError("a record is wider than the header")
        for extra in range(body.shape[1], width):
            body[extra] = ""
        rows = None
    except pd.errors.EmptyDataError:
        body, rows = pd.DataFrame(columns=range(width), dtype=object), None
    except (pd.errors.ParserError, ValueError):
        body, rows, bad = _records(text, body_start, width, header_row, delimiter)
    return body, rows, bad


def _split_from(
    lines: list[str], start: int, width: int, delimiter: str, entries: list[tuple[int, list[str], bool]]
) -> int:
    """Split ``lines[start:]`` into records until one runs over lines with an unbalanced quote.

    That record's first line is set aside and the line after it is where splitting
    starts again (the returned index); the end of the lines when every record was whole.
    """
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    previous = 0
    for record in reader:
        first, last = start + previous, start + reader.line_num - 1
        previous = reader.line_num
        if first == last:
            entries.append((first, record, len(record) <= width))
            continue
        quotes = sum(line.count('"') for line in lines[first : last + 1])
        swallowed = any(
            line.count('"') % 2 == 0 and len(next(csv.reader([line], delimiter=delimiter), [])) == width
            for line in lines[first + 1 : last + 1]
        )
        if len(record) == width and quotes % 2 == 0 and not swallowed:
            entries.append((first, record, True))
            continue
        entries.append((first, next(csv.reader([lines[first]], delimiter=delimiter), []), False))
        return first + 1
    return len(lines)


def _records(
    text: str, body_start: int, width: int, header_row: int, delimiter: str
) -> tuple[pd.DataFrame, list[int], tuple[BadRecord, ...]]:
    """Split the body record by record, setting aside those that do not fit the header.

    A record with more cells than the header is set aside (a shorter one is padded with
    blanks, as Excel shows it). A record that runs over several lines without fitting,
    with an unbalanced quote, or swallowing a line that is a whole record by itself (a
    quote opened and never closed swallows the lines after it), has its first line set
    aside, and the lines after it are split again. Only files that the fast parser
    refuses come here, so a well-formed multi-line cell is never second-guessed.

    Returns:
        The records that fit, their row numbers, and the records set aside.
    """
    body_lines = _LINE_BREAK.split(text)[body_start:]
    if body_lines and body_lines[-1] == "":
        body_lines.pop()
    entries: list[tuple[int, list[str], bool]] = []  # (line index in the body, cells, fits)
    start = 0
    while start < len(body_lines):
        start = _split_from(body_lines, start, width, delimiter, entries)
    good: list[list[str]] = []
    rows: list[int] = []
    bad: list[BadRecord] = []
    for row, (index, cells, fits) in enumerate(entries, start=header_row + 1):
        if fits:
            good.append(cells + [""] * (width - len(cells)))
            rows.append(row)
        else:
            bad.append(BadRecord(row, body_start + index + 1, body_lines[index], len(cells), width))
    frame = pd.DataFrame(good, columns=range(width), dtype=object)
    return frame, rows, tuple(bad)
