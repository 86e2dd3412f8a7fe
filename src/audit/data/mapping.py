"""From the file's headers and values to ours: column mapping and value mappings.

Everything here is driven by audit.yaml alone (``columns:``, ``values:``,
``defaults:``); nobody edits the client's file. Row filters (``where:``) are in
:mod:`audit.data.filters`. See docs/data-contract.md.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from audit.config import Source, SurveySource
from audit.data.contract import COLUMNS, REQUIRED, SURVEY_SCORES, ColumnType
from audit.data.convert import map_values
from audit.data.platforms import PLATFORM_HEADERS, question_aliases
from audit.data.schemas import SCHEMAS, schema_for
from audit.data.table import ROW, RawTable, header_key
from audit.exceptions import ConfigError, InputFileError

__all__ = ["Mapping", "column_types", "expected_headers", "find_header_of", "map_columns", "mapped", "value_mapping"]

#: our column name → the file's header, for the columns present
Mapping = dict[str, str]


def column_types(kind: str, source: Source) -> dict[str, ColumnType]:
    """Every column the kind may have, with its type; survey dimensions included.

    Dimension columns get internal names: ``dim_<name>`` (perception), ``exp_<name>``
    (expectation) and ``imp_<name>`` (importance).
    """
    return schema_for(kind, source).types()


def _dimension_headers(source: Source) -> dict[str, str]:
    if not isinstance(source, SurveySource):
        return {}
    blocks = (("dim_", source.dimensions), ("exp_", source.expectations), ("imp_", source.importance))
    return {prefix + name: str(header) for prefix, block in blocks for name, header in block.items()}


def _wanted(kind: str, source: Source) -> dict[str, str]:
    """Our column name → the header audit.yaml names for it (columns un-mapped with null left out)."""
    unknown = sorted(set(source.columns) - set(COLUMNS[kind]))
    if unknown:
        raise ConfigError(
            f"data.{kind}.columns: unknown column {unknown}; known columns are {', '.join(COLUMNS[kind])}"
        )
    named = {name: str(header) for name, header in source.columns.items() if header is not None}
    return {**named, **_dimension_headers(source)}


def expected_headers(kind: str, source: Source) -> set[str]:
    """Headers that identify the header row: the mapped ones and our own column names.

    A question given by its number (``overall: 7``) names no header and is left out; a
    survey platform's meta columns (序号, 提交答卷时间) count.
    """
    named = {h for h in _wanted(kind, source).values() if not h.strip().isdigit()}
    platform = set(PLATFORM_HEADERS.values()) if kind == "surveys" else set()
    return named | set(COLUMNS[kind]) | platform


def _where(path: Path, raw: RawTable) -> str:
    return f"{path}" + (f" sheet '{raw.sheet}'" if raw.sheet else "")


def _lookup(raw: RawTable) -> dict[str, list[str]]:
    """The file's headers by :func:`header_key`: one key may name several columns."""
    by_key: dict[str, list[str]] = {}
    for column in raw.frame.columns:
        if column != ROW:
            by_key.setdefault(header_key(raw.originals.get(column, column)), []).append(str(column))
    return by_key


def _listed(raw: RawTable) -> str:
    return ", ".join(raw.originals.get(c, c) for c in raw.frame.columns if c != ROW)


def find_header_of(
    raw: RawTable,
    wanted: str,
    by_key: dict[str, list[str]],
    path: Path,
    what: str,
    aliases: dict[str, str] | None = None,
) -> str | None:
    """The one column of the file a header (as written in audit.yaml, or our name) stands for.

    Headers are compared with :func:`header_key` (case, spaces, invisible characters
    ignored); when that matches several columns, the one written exactly so is taken.
    A survey question is also found by its number or its text (``aliases``, see
    :mod:`audit.data.platforms`).

    Raises:
        InputFileError: several columns match and none is written exactly so.
    """
    found = by_key.get(header_key(wanted), [])
    if not found and aliases:
        alias = aliases.get(header_key(wanted))
        return alias
    if len(found) <= 1:
        return found[0] if found else None
    exact = [c for c in found if raw.originals.get(c, c) == wanted.strip()]
    if len(exact) == 1 and wanted.strip() not in raw.originals.values():
        return exact[0]
    shown = " and ".join(f"'{raw.originals.get(c, c)}' (column {raw.letters.get(c, '?')})" for c in found)
    same = len({raw.originals.get(c, c) for c in found}) == 1
    reason = (
        f"the header '{raw.originals.get(found[0], found[0])}' appears twice in row {raw.header_row}"
        if same
        else f"{shown} differ only in case or spacing"
    )
    columns = f" ({', '.join('column ' + raw.letters.get(c, '?') for c in found)})" if same else ""
    raise InputFileError(
        f"{_where(path, raw)}: {reason}{columns}, so {what} is ambiguous; "
        + (
            "rename one of the columns or map the one you need"
            if same
            else "map it in audit.yaml to the header written exactly as in the file"
        ),
        path,
    )


def map_columns(kind: str, source: Source, raw: RawTable, path: Path) -> Mapping:
    """Find each of our columns in the file's header.

    A column that is not mapped is looked up under its own name (compared with
    :func:`header_key`); ``columns: {name: null}`` says the file has no such column even
    when a header of that name exists.

    Raises:
        ConfigError: audit.yaml maps an unknown column, gives defaults or values for one.
        InputFileError: a mapped or required column is not in the header, or a header
            needed is ambiguous.
    """
    types = column_types(kind, source)
    wanted = _wanted(kind, source)
    _check_keys(kind, source)
    by_key = _lookup(raw)
    aliases = question_aliases(raw) if kind == "surveys" else {}
    listed = _listed(raw)
    unmapped = {name for name, header in source.columns.items() if header is None}
    headers: Mapping = {}
    for name in types:
        if name in unmapped:
            continue
        if name in wanted:
            found = find_header_of(raw, wanted[name], by_key, path, f"'{wanted[name]}' (mapped to {name})", aliases)
            if found is None:
                raise InputFileError(
                    f"{_where(path, raw)}: column '{wanted[name]}' (mapped to {name} in audit.yaml) is not in the "
                    f"header in row {raw.header_row}; the headers are: {listed}",
                    path,
                    kind,
                )
            headers[name] = found
            continue
        found = find_header_of(raw, name, by_key, path, f"{name} (looked up by its name)")
        platform = PLATFORM_HEADERS.get(name) if kind == "surveys" and name not in source.defaults else None
        if found is None and platform is not None:
            found = find_header_of(raw, platform, by_key, path, f"{name} (the platform's '{platform}')")
        if found is not None:
            headers[name] = found
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


def _check_keys(kind: str, source: Source) -> None:
    """``defaults:`` and ``values:`` name only known columns (a dimension by its declared name)."""
    known = list(COLUMNS[kind])
    unknown = sorted(set(source.defaults) - set(known))
    if unknown:
        raise ConfigError(f"data.{kind}.defaults: unknown column {unknown}; known columns are {', '.join(known)}")
    if isinstance(source, SurveySource):
        known += list(source.dimensions)
    unknown = sorted(set(source.values) - set(known))
    if unknown:
        raise ConfigError(f"data.{kind}.values: unknown column {unknown}; values can be mapped for {', '.join(known)}")


def value_mapping(kind: str, source: Source, column: str) -> dict[str, object]:
    """The file's value → ours for one column: audit.yaml's ``values:`` over the built-in spellings.

    A survey dimension's values are given under its declared name and hold for its
    perception, expectation and importance columns alike.
    """
    spec = SCHEMAS[kind].columns.get(column)
    allowed = spec.allowed if spec is not None and spec.allowed is not None else {}
    builtin = {spelling: ours for ours, spellings in allowed.items() for spelling in spellings}
    key = column.split("_", 1)[1] if column.startswith(("dim_", "exp_", "imp_")) else column
    return {**builtin, **source.values.get(key, {})}


def mapped(raw: pd.Series, kind: str, source: Source, column: str) -> pd.Series:
    """A raw column with its value mapping applied."""
    return map_values(raw, value_mapping(kind, source, column))
