"""From the file's headers and values to ours: column mapping, row filters, value mappings.

Everything here is driven by audit.yaml alone (``columns:``, ``where:``, ``values:``,
``defaults:``); nobody edits the client's file. See docs/data-contract.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from audit.config import Source, SurveySource
from audit.data.contract import CATEGORIES, COLUMNS, REQUIRED, SURVEY_SCORES, ColumnType
from audit.data.convert import map_values
from audit.data.readers import ROW, RawTable
from audit.exceptions import ConfigError, InputFileError

__all__ = ["Mapping", "apply_filter", "column_types", "expected_headers", "map_columns", "value_mapping"]

#: our column name → the file's header, for the columns present
Mapping = dict[str, str]


def column_types(kind: str, source: Source) -> dict[str, ColumnType]:
    """Every column the kind may have, with its type; survey dimensions included.

    Dimension columns get internal names: ``dim_<name>`` (perception), ``exp_<name>``
    (expectation) and ``imp_<name>`` (importance).
    """
    types: dict[str, ColumnType] = dict(COLUMNS[kind])
    for name in _dimension_headers(source):
        types[name] = "number"
    return types


def _dimension_headers(source: Source) -> dict[str, str]:
    if not isinstance(source, SurveySource):
        return {}
    blocks = (("dim_", source.dimensions), ("exp_", source.expectations), ("imp_", source.importance))
    return {prefix + name: header for prefix, block in blocks for name, header in block.items()}


def _wanted(kind: str, source: Source) -> dict[str, str]:
    """Our column name → the header audit.yaml names for it."""
    unknown = sorted(set(source.columns) - set(COLUMNS[kind]))
    if unknown:
        raise ConfigError(
            f"data.{kind}.columns: unknown column {unknown}; known columns are {', '.join(COLUMNS[kind])}"
        )
    return {**source.columns, **_dimension_headers(source)}


def expected_headers(kind: str, source: Source) -> set[str]:
    """Headers that identify the header row: the mapped ones and our own column names."""
    return set(_wanted(kind, source).values()) | set(COLUMNS[kind])


def _where(path: Path, raw: RawTable) -> str:
    return f"{path}" + (f" sheet '{raw.sheet}'" if raw.sheet else "")


def map_columns(kind: str, source: Source, raw: RawTable, path: Path) -> Mapping:
    """Find each of our columns in the file's header.

    A column that is not mapped is looked up under its own name (case and surrounding
    spaces ignored).

    Raises:
        ConfigError: audit.yaml maps an unknown column or gives defaults for one.
        InputFileError: a mapped or required column is not in the header.
    """
    types = column_types(kind, source)
    wanted = _wanted(kind, source)
    unknown = sorted(set(source.defaults) - set(COLUMNS[kind]))
    if unknown:
        raise ConfigError(
            f"data.{kind}.defaults: unknown column {unknown}; known columns are {', '.join(COLUMNS[kind])}"
        )
    by_key = {str(h).strip().casefold(): str(h) for h in raw.frame.columns if h != ROW}
    listed = ", ".join(by_key.values())
    headers: Mapping = {}
    for name in types:
        if name in wanted:
            found = by_key.get(wanted[name].strip().casefold())
            if found is None:
                raise InputFileError(
                    f"{_where(path, raw)}: column '{wanted[name]}' (mapped to {name} in audit.yaml) is not in the "
                    f"header in row {raw.header_row}; the headers are: {listed}",
                    path,
                    kind,
                )
            headers[name] = found
        elif name.casefold() in by_key:
            headers[name] = by_key[name.casefold()]
        elif name in REQUIRED[kind] and name not in source.defaults:
            raise InputFileError(
                f"{_where(path, raw)}: required column '{name}' not found in the header in row {raw.header_row}; "
                f"map it in audit.yaml under data.{kind}.columns (for example {name}: <your header>); "
                f"the headers are: {listed}",
                path,
                kind,
            )
    if kind == "surveys" and not any(score in headers for score in SURVEY_SCORES):
        raise InputFileError(
            f"{_where(path, raw)}: no score column; map 'overall' (satisfaction) or 'recommend' (0–10) "
            f"under data.surveys.columns; the headers are: {listed}",
            path,
            kind,
        )
    return headers


def _condition(key: pd.Series, op: str, value: Any) -> pd.Series:
    """Rows of ``key`` (folded text, NA when blank) meeting one condition."""
    text = str(value).strip().casefold() if not isinstance(value, list) else ""
    if op == "equals":
        return key == text
    if op == "not_equals":
        return key != text
    if op in ("in", "not_in"):
        hit = key.isin([str(v).strip().casefold() for v in value])
        return hit if op == "in" else ~hit
    if op == "starts_with":
        return key.str.startswith(text)
    if op == "contains":
        return key.str.contains(text, regex=False)
    if op == "blank":
        return key.isna()
    return key.notna()  # not_blank


def apply_filter(kind: str, source: Source, raw: RawTable, headers: Mapping, path: Path) -> pd.DataFrame:
    """The rows that pass every condition under ``where:`` (all rows when there is none).

    A condition names our column (when mapped) or the file's header; values are compared
    as text, case and surrounding spaces ignored.
    """
    frame = raw.frame
    if not source.where:
        return frame
    by_key = {str(h).strip().casefold(): str(h) for h in frame.columns if h != ROW}
    keep = pd.Series(True, index=frame.index)
    for column, conditions in source.where.items():
        header = headers.get(column) or by_key.get(column.strip().casefold())
        if header is None:
            raise InputFileError(
                f"{_where(path, raw)}: column '{column}' (in data.{kind}.where) is not in the header; "
                f"the headers are: {', '.join(by_key.values())}",
                path,
                kind,
            )
        text = frame[header].astype("string").str.strip()
        key = text.mask(text == "").str.casefold()
        for op, value in conditions.items():
            keep &= _condition(key, op, value).fillna(False).astype(bool)
    return frame.loc[keep.to_numpy()]


def value_mapping(source: Source, column: str) -> dict[str, object]:
    """The file's value → ours for one column: audit.yaml's ``values:`` over the built-in spellings."""
    builtin = {spelling: ours for ours, spellings in CATEGORIES.get(column, {}).items() for spelling in spellings}
    return {**builtin, **source.values.get(column, {})}


def mapped(raw: pd.Series, source: Source, column: str) -> pd.Series:
    """A raw column with its value mapping applied."""
    return map_values(raw, value_mapping(source, column))
