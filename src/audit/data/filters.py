"""Row filters (``where:``): which rows of a file belong to a kind.

A condition names our column (when mapped) or the file's header. Text operators compare
the cell as text, case and surrounding spaces ignored; ``gt``/``ge``/``lt``/``le``
compare it as a number (or a date), read as the column's numbers are. Several
conditions must all hold; ``any:`` holds a list of blocks of which one must hold,
``all:`` a list of which every one must. See docs/data-contract.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from audit.config import Source
from audit.data.convert import convert_column
from audit.data.mapping import Mapping, find_header_of
from audit.data.table import ROW, RawTable, header_key
from audit.exceptions import InputFileError

__all__ = ["apply_filter"]


def _where(path: Path, raw: RawTable) -> str:
    return f"{path}" + (f" sheet '{raw.sheet}'" if raw.sheet else "")


def _condition(cells: pd.Series, key: pd.Series, op: str, value: Any, decimal: str | None) -> pd.Series:
    """Rows whose cell meets one condition (``key``: the cell as compared text, NA when blank)."""
    if op in ("gt", "ge", "lt", "le"):
        if isinstance(value, dt.date):
            number = convert_column(cells, "date").values
            target: Any = pd.Timestamp(value)
        else:
            number = convert_column(cells, "number", decimal=decimal).values
            target = float(value)
        compare: dict[str, pd.Series] = {
            "gt": number > target, "ge": number >= target, "lt": number < target, "le": number <= target,
        }  # fmt: skip
        return compare[op]
    text = header_key(value) if not isinstance(value, list) else ""
    if op == "equals":
        return key == text
    if op == "not_equals":
        return key != text
    if op in ("in", "not_in"):
        hit = key.isin([header_key(v) for v in value])
        return hit if op == "in" else ~hit
    if op == "starts_with":
        return key.str.startswith(text)
    if op == "not_starts_with":
        return ~key.str.startswith(text).fillna(False).astype(bool)
    if op == "contains":
        return key.str.contains(text, regex=False)
    if op == "not_contains":
        return ~key.str.contains(text, regex=False).fillna(False).astype(bool)
    if op == "blank":
        return key.isna()
    return key.notna()  # not_blank


def _block(kind: str, source: Source, raw: RawTable, headers: Mapping, path: Path, block: dict[str, Any]) -> pd.Series:
    """Rows passing every condition of one block (``any``/``all`` inside it included)."""
    frame = raw.frame
    keep = pd.Series(True, index=frame.index)
    by_key: dict[str, list[str]] = {}
    for column in frame.columns:
        if column != ROW:
            by_key.setdefault(header_key(raw.originals.get(column, column)), []).append(str(column))
    for column, conditions in block.items():
        if column in ("any", "all"):
            parts = [_block(kind, source, raw, headers, path, b) for b in conditions]
            combined = parts[0]
            for part in parts[1:]:
                combined = (combined | part) if column == "any" else (combined & part)
            keep &= combined
            continue
        header = headers.get(column) or find_header_of(raw, column, by_key, path, f"'{column}' (in data.{kind}.where)")
        if header is None:
            raise InputFileError(
                f"{_where(path, raw)}: column '{column}' (in data.{kind}.where) is not in the header; "
                f"the headers are: {', '.join(raw.originals.get(c, c) for c in frame.columns if c != ROW)}",
                path,
                kind,
            )
        cells = frame[header]
        text = cells.astype("string").str.strip()
        key = text.mask(text == "").str.normalize("NFKC").str.replace(r"\s+", " ", regex=True).str.casefold()
        for op, value in conditions.items():
            keep &= _condition(cells, key, op, value, source.decimal).fillna(False).astype(bool)
    return keep


def apply_filter(kind: str, source: Source, raw: RawTable, headers: Mapping, path: Path) -> pd.DataFrame:
    """The rows that pass ``where:`` (all rows when there is none).

    Raises:
        InputFileError: a condition names a column that is not in the file.
    """
    if not source.where:
        return raw.frame
    keep = _block(kind, source, raw, headers, path, dict(source.where))
    return raw.frame.loc[keep.to_numpy()]
