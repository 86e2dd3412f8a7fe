"""Excel workbooks (.xlsx, .xlsm, .xls, .xlsb, .ods) through python-calamine.

The sheet is the one named, else the first visible one (a hidden sheet is never read
unasked). calamine reads an error cell (#N/A, #DIV/0!, #REF! …) and a formula that was
never calculated as blank, so for .xlsx and .xlsm the sheet's XML is scanned for them
too, and they are reported as cells, not taken for blanks. A password-protected
workbook is recognised and named as such.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from posixpath import join, normpath

import pandas as pd

from audit.data.table import CellError, RawTable, find_header, header_names, numbered
from audit.exceptions import InputFileError

__all__ = ["EXCEL_SUFFIXES", "read_excel"]

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
#: the signature of an OLE2 compound file: an .xls, or an encrypted .xlsx
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_CELL = re.compile(r"<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(r'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(r"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def _sheet_label(sheet: str | int) -> str:
    return repr(sheet) if isinstance(sheet, str) else f"number {sheet} (counted from 0)"


def _password_protected(path: Path) -> bool:
    """An .xlsx saved with a password is an OLE container holding an ``EncryptedPackage``."""
    with path.open("rb") as handle:
        if handle.read(8) != _OLE:
            return False
        return _ENCRYPTED in path.read_bytes() or path.suffix.lower() in {".xlsx", ".xlsm"}


def _refuse_protected(path: Path) -> None:
    raise InputFileError(
        f"{path}: the workbook is password-protected and cannot be read; open it in Excel, remove the "
        "password (File > Info > Protect Workbook > Encrypt with Password, clear it), save it and run again",
        path,
    )


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _sheet_part(book: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The name of the XML part of a named sheet of an .xlsx, found through the workbook and its relationships."""
    workbook = book.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    for attributes in re.findall(r"<(?:\w+:)?sheet\s([^>]*)/?>", workbook):
        name = re.search(r'\bname="([^"]*)"', attributes)
        rid = re.search(r'\br:id="([^"]*)"', attributes) or re.search(r'\bid="([^"]*)"', attributes)
        if name is None or rid is None or _unescape(name[1]) != sheet_name:
            continue
        for relation in re.findall(r"<Relationship\s([^>]*)/?>", rels):
            if f'Id="{rid[1]}"' in relation:
                target = re.search(r'Target="([^"]*)"', relation)
                if target is None:
                    return None
                return target[1].lstrip("/") if target[1].startswith("/") else normpath(join("xl", target[1]))
    return None


#: what an error cell or a formula starts with in a sheet's XML (the first check, on the bytes)
_SIGNS = (b't="e"', b"<f", b":f")
_CHUNK = 1 << 20


def _may_hold_errors(book: zipfile.ZipFile, part: str) -> bool:
    """Whether the part holds any sign of an error cell or a formula, read piece by piece (nothing kept)."""
    keep = max(len(sign) for sign in _SIGNS) - 1  # a sign cut in two by a piece's end is seen in the next
    tail = b""
    with book.open(part) as stream:
        while piece := stream.read(_CHUNK):
            window = tail + piece
            if any(sign in window for sign in _SIGNS):
                return True
            tail = window[-keep:]
    return False


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _error_cells(path: Path, sheet_name: str) -> list[tuple[int, int, str]]:
    """(Excel row, 0-based column, text) of every error cell and uncalculated formula of an .xlsx sheet."""
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return []
    try:
        with zipfile.ZipFile(path) as book:
            part = _sheet_part(book, sheet_name)
            # a sheet with no error and no formula (most exports) is not decoded nor searched cell by cell
            xml = book.read(part).decode("utf-8", "replace") if part and _may_hold_errors(book, part) else None
    except (zipfile.BadZipFile, KeyError, OSError):
        return []
    if xml is None:  # no sign of an error cell or a formula (_may_hold_errors)
        return []
    found = []
    for attributes, inner in _CELL.findall(xml):
        ref = _REF.search(attributes)
        if ref is None:
            continue
        value = _VALUE.search(inner or "")
        if 't="e"' in attributes:
            text = value[1] if value else "#N/A"
        elif re.search(r"<(?:\w+:)?f[\s>/]", inner or "") and (value is None or value[1] == ""):
            text = "a formula with no saved result"
        else:
            continue
        found.append((int(ref[2]), _column_index(ref[1]), _unescape(text)))
    return found


def read_excel(path: Path, sheet: str | int | None, header_row: int | None, wanted: set[str]) -> RawTable:
    """Read one sheet (see the module docstring)."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    if _password_protected(path) and path.suffix.lower() != ".xls":
        _refuse_protected(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            _refuse_protected(path)
        raise InputFileError(
            f"{path}: cannot be opened as an Excel workbook ({exc.__class__.__name__}); "
            "open it in Excel, save it again as .xlsx, and re-run",
            path,
        ) from None
    names = book.sheet_names
    notes: list[str] = []
    try:
        if sheet is None:
            visible = [m.name for m in book.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
            chosen = book.get_sheet_by_name(visible[0]) if visible else book.get_sheet_by_index(0)
            hidden = [n for n in names[: names.index(chosen.name)] if n not in visible]
            if hidden:
                notes.append(
                    f"sheet '{chosen.name}' read, the first visible one (hidden: {', '.join(repr(h) for h in hidden)}); "
                    "set 'sheet' in audit.yaml to read another"
                )
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
        if "password" in str(exc).lower():
            _refuse_protected(path)
        raise InputFileError(f"{path}: the sheet cannot be read ({exc}); save the workbook again", path) from None
    hits = None
    if header_row is None:
        header_row, hits = find_header(cells, wanted)
    if len(cells) < header_row:
        raise InputFileError(f"{path} sheet '{chosen.name}': the sheet is empty (no header in row {header_row})", path)
    header, originals = header_names(cells[header_row - 1], header_row, path, hits=hits, wanted=wanted)
    # calamine returns a rectangle (every row as wide as the used range), so the frame is
    # built in one go; only a ragged list would need padding.
    body = cells[header_row:]
    width = len(header)
    if any(len(r) != width for r in body):
        body = [list(r[:width]) + [""] * (width - len(r)) for r in body]
    frame, letters = numbered(pd.DataFrame(body, columns=range(width)), header, header_row + 1)
    errors = tuple(
        CellError(row, header[column], text)
        for row, column, text in _error_cells(path, chosen.name)
        if row > header_row and column < width and header[column]
    )
    return RawTable(frame, chosen.name, "", header_row, tuple(notes), (), errors, "", letters, originals)
