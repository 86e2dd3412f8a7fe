"""One kind from file to valid rows: read, map, filter, convert, validate, combine lines.

Every row rule is declared with the kind's schema (:mod:`audit.data.schemas`); this
module runs the steps in order and turns each failure into a :class:`Problem` that
names the file, sheet, row as Excel shows it, column, value and what to do.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import cast

import pandas as pd

from audit import format
from audit.catalogue import kind_word
from audit.config import AuditConfig, Source, SurveySource
from audit.data.convert import NA_VALUES, AmbiguousDates, blank_markers, convert_column, infer_dayfirst
from audit.data.filters import apply_filter
from audit.data.lines import combine
from audit.data.mapping import Mapping, expected_headers, map_columns, mapped
from audit.data.periods import window
from audit.data.platforms import expand_questions, readable_choices
from audit.data.readers import read_table, sha256_of
from audit.data.rules import Cells, Failure, KindSchema
from audit.data.schemas import SCORE_PREFIXES, SCORES, schema_for
from audit.data.table import ROW, RawTable, brief, excel_value
from audit.exceptions import ConfigError, InputFileError, TooManyInvalidRows
from audit.i18n import _
from audit.model import Problem, SourceInfo

__all__ = ["load_kind", "read_source"]


def _date_order(
    kind: str, source: Source, cells: pd.Series, header: str, where: str, path: Path, notes: list[str]
) -> bool:
    """Day first or not for one date column: declared in audit.yaml, else inferred from the whole column."""
    if source.dayfirst is not None:
        return source.dayfirst
    try:
        inferred = infer_dayfirst(cells)
    except AmbiguousDates as exc:
        raise InputFileError(
            f"{where}, column '{header}': dates such as {exc.example} read both day first and month first; "
            f"set 'dayfirst: true' (31/07/2026) or 'dayfirst: false' (07/31/2026) under data.{kind} in audit.yaml",
            path,
            kind,
        ) from None
    if inferred is not None:
        notes.append(
            _("dates in '{header}' read day first (inferred from the column)", header=header)
            if inferred
            else _("dates in '{header}' read month first (inferred from the column)", header=header)
        )
    return bool(inferred)


def _default(kind: str, schema: KindSchema, source: Source, name: str, index: pd.Index) -> pd.Series:
    """A column from ``defaults:``, checked like a cell: a value that cannot be read is a configuration error."""
    value = source.defaults[name]
    spec = schema.spec(name)
    cells = mapped(pd.Series([value], dtype=object), kind, source, name)
    converted = convert_column(cells, spec.type, dayfirst=bool(source.dayfirst), decimal=source.decimal)
    key = f"data.{kind}.defaults.{name}"
    if converted.failed.iloc[0]:
        what = {"date": "a date such as 2026-09-15", "number": "a number", "bool": "yes or no"}.get(spec.type, "")
        raise ConfigError(f"{key}: '{value}' cannot be read as {what}; correct it in audit.yaml")
    ours = converted.values.iloc[0]
    if spec.allowed is not None and ours not in spec.allowed:
        raise ConfigError(f"{key}: '{value}' is not a known {name}; use one of {', '.join(spec.allowed)}")
    return pd.Series([ours] * len(index), index=index, dtype=converted.values.dtype)


def _convert(
    kind: str, schema: KindSchema, source: Source, raw: RawTable, table: pd.DataFrame, headers: Mapping, path: Path
) -> tuple[pd.DataFrame, dict[str, tuple[pd.Series, pd.Series]], list[str]]:
    """Typed columns under our names, the cells that could not be read (and why), and notes."""
    where = f"{path}" + (f" sheet '{raw.sheet}'" if raw.sheet else "")
    types = schema.types()
    frame = pd.DataFrame({ROW: table[ROW]})
    unreadable: dict[str, tuple[pd.Series, pd.Series]] = {}
    notes: list[str] = []
    markers = NA_VALUES if source.na_values is None else tuple(source.na_values)
    negative = source.sign == "negative"
    for name, header in headers.items():
        cells = blank_markers(mapped(table[header], kind, source, name), markers)
        if kind == "surveys" and types[name] == "text":  # a survey platform's multi-select answers
            cells = readable_choices(cells)
        dayfirst = _date_order(kind, source, cells, header, where, path, notes) if types[name] == "date" else False
        converted = convert_column(
            cells, types[name], dayfirst=dayfirst, decimal=source.decimal, ambiguous_refused=raw.delimiter == ";"
        )
        values = converted.values
        if negative and schema.spec(name).signed:
            values = -values
        frame[name] = values
        unreadable[name] = (converted.failed, converted.why)  # the reasons, not a blank per row
    for name in source.defaults:
        if name not in headers:
            frame[name] = _default(kind, schema, source, name, frame.index)
            notes.append(
                _(
                    "{name} is {value} for every row (data.{kind}.defaults)",
                    name=name,
                    value=source.defaults[name],
                    kind=kind,
                )
            )
    if negative:
        notes.append(_("quantities and values read as written negative (data.{kind}.sign: negative)", kind=kind))
    quantity = {"orders": "quantity_ordered", "returns": "quantity"}.get(kind)
    if "unit_price" in frame and "value" not in frame:
        frame["value"] = frame["unit_price"] * frame[quantity] if quantity in frame else frame["unit_price"]
        notes.append(_("value = unit_price × {quantity} per row", quantity=quantity if quantity in frame else 1))
    return frame, unreadable, notes


def _cell_errors(raw: RawTable, table: pd.DataFrame, headers: Mapping) -> dict[str, pd.Series]:
    """Per mapped column, the Excel error text of each of its cells ("" where there is none)."""
    if not raw.cell_errors:
        return {}
    position = pd.Series(table.index, index=table[ROW].to_numpy())
    out: dict[str, pd.Series] = {}
    for name, header in headers.items():
        errors = [e for e in raw.cell_errors if e.header == header and e.row in position.index]
        if errors:
            text = pd.Series("", index=table.index, dtype=object)
            for error in errors:
                text[position[error.row]] = error.text
            out[name] = text
    return out


def _unanswered_need_a_date(kind: str, frame: pd.DataFrame, where: str, path: Path) -> None:
    """Unanswered questionnaires (responded = no) fall in the period of ``sent_on``."""
    if kind != "surveys" or "responded" not in frame:
        return
    if "sent_on" not in frame:
        raise InputFileError(
            f"{where}: a 'responded' column needs a 'sent_on' column too, so that unanswered questionnaires "
            "fall in a period; map sent_on under data.surveys.columns",
            path,
            kind,
        )
    mask = frame["responded"].eq(False).fillna(False).to_numpy(dtype=bool)
    frame.loc[mask, "responded_on"] = frame.loc[mask, "sent_on"]


def _blank_na_codes(frame: pd.DataFrame, source: Source) -> pd.DataFrame:
    """Survey scores holding their scale's not-applicable code become blank."""
    if not isinstance(source, SurveySource):
        return frame
    for column in frame.columns:
        if column in SCORES or column.startswith(SCORE_PREFIXES):
            na = source.scale_of(column).na
            if na is not None:
                frame[column] = frame[column].mask(frame[column] == na)
    return frame


def read_source(kind: str, source: Source, config: AuditConfig) -> tuple[RawTable, Path]:
    """Read the file of one kind (nothing mapped or checked yet)."""
    key = "data.orders.lines.path" if kind == "order_lines" else f"data.{kind}.path"
    path = config.resolve(source.path, key=key)  # confined to the site folder
    raw = read_table(
        path,
        sheet=source.sheet,
        header_row=source.header_row,
        encoding=source.encoding,
        expected=expected_headers(kind, source),
    )
    return raw, path


def load_kind(
    kind: str, source: Source, config: AuditConfig, *, strict: bool = True
) -> tuple[pd.DataFrame, list[Problem], pd.DataFrame, SourceInfo]:
    """Read, map, filter, convert, validate and (for ``grain: line``) combine one kind.

    Returns:
        The valid rows dated in the history window (converted, our names, ``_row``), the
        problems found (rows dated outside the window are reported but not quarantined),
        the quarantined rows as read, and the source description (``rows_in_period`` still 0).

    Raises:
        InputFileError: the file cannot be used at all.
        ConfigError: a value under ``defaults:`` cannot be read.
        TooManyInvalidRows: more invalid rows than ``validation.max_invalid_pct`` (only
            when ``strict``); it carries the problems.
    """
    raw, path = read_source(kind, source, config)
    if kind == "surveys":
        raw = expand_questions(raw)
    where = f"{path}" + (f" sheet '{raw.sheet}'" if raw.sheet else "")
    lines = getattr(source, "grain", "order") == "line" or kind == "order_lines"
    schema = schema_for(kind, source, lines=lines)
    headers = map_columns(kind, source, raw, path)
    notes = list(raw.notes)
    if source.header_row is None and raw.header_row != 1:
        notes.append(_("headers found in row {row}", row=raw.header_row))
    table = apply_filter(kind, source, raw, headers, path)
    if source.where:
        notes.append(
            _("{kept} of {read} rows kept by 'where'", kept=format.count(len(table)), read=format.count(len(raw.frame)))
        )
    frame, unreadable, converted_notes = _convert(kind, schema, source, raw, table, headers, path)
    notes += converted_notes
    _unanswered_need_a_date(kind, frame, where, path)
    first_day, last_day = window(config)
    cells = Cells(
        kind, source, frame, table, headers, unreadable, _cell_errors(raw, table, headers), (first_day, last_day)
    )
    found = schema.check(cells, "row")
    bad = {f.index for f in found if f.quarantine}
    if lines:
        cells.failed = pd.Series(frame.index.isin(list(bad)), index=frame.index)
        more = schema.check(cells, "lines")
        found += more
        bad |= {f.index for f in more}
    problems = [_problem(kind, source, raw, table, headers, f) for f in found] + _malformed(kind, source, raw)
    quarantined = _quarantined(table, sorted(bad), raw)
    # the cells as read are not needed any more: not alive while the valid rows are copied
    del cells, table
    raw = replace(raw, frame=raw.frame.iloc[:0])
    if lines:
        valid = combine(kind, _without(frame, bad))
        notes.append(f"{len(frame) - len(bad):,} valid lines make {len(valid):,} {kind}")
    else:
        valid = _without(frame, bad)
    valid = _blank_na_codes(schema.adjust(valid), source)
    read = len(frame) + len(raw.bad_records)
    set_aside = len(bad) + len(raw.bad_records)
    limit = config.validation.max_invalid_pct
    if strict and read and 100 * set_aside / read > limit:
        problems.sort(key=lambda p: (p.row or 0, p.column))
        first = problems[0]
        raise TooManyInvalidRows(
            _(
                "{where}: {problem} — {bad} of {read} {kind} rows ({share}) are invalid, more than the {limit}% "
                "allowed; correct the file (list every problem with 'csat-audit validate') or raise "
                "validation.max_invalid_pct",
                where=first.location(),
                problem=first.message,
                bad=format.count(set_aside),
                read=format.count(read),
                kind=kind_word(kind),
                share=format.percent(100 * set_aside / read),
                limit=f"{limit:g}",
            ),
            path,
            kind,
            problems=tuple(problems),
        )
    outside: list[Failure] = []
    if schema.date_column:
        outside = schema.check(Cells(kind, source, valid, valid, headers, window=(first_day, last_day)), "period")
        problems += [_problem(kind, source, raw, valid, headers, f) for f in outside]
    problems.sort(key=lambda p: (not p.quarantined, p.row or 0, p.column))
    info = SourceInfo(
        kind=kind,
        path=source.path,
        sheet=raw.sheet,
        sha256=sha256_of(path),
        rows_read=read,
        rows_valid=read - set_aside,
        rows_quarantined=set_aside,
        rows_in_period=0,
        notes=tuple(notes),
        encoding=raw.encoding,
    )
    kept = _without(valid, {f.index for f in outside})
    return kept, problems, quarantined, info


def _without(frame: pd.DataFrame, rows: set[int]) -> pd.DataFrame:
    """The frame without some rows; ``frame`` itself is not to be used afterwards but for its length.

    No copy when no row is left out (copy-on-write). Otherwise the columns are copied one at
    a time, each dropped from ``frame`` once copied, so that a large frame and its copy are not
    alive together (docs/performance.md: about 60 MiB off the load's peak at 1M orders).
    """
    if not rows:
        return frame.copy(deep=False)
    keep = ~frame.index.isin(list(rows))
    kept = pd.DataFrame(index=frame.index[keep])
    for column in list(frame.columns):
        kept[column] = frame[column][keep]
        del frame[column]
    return kept


def _quarantined(table: pd.DataFrame, bad: list[int], raw: RawTable) -> pd.DataFrame:
    """The quarantined rows as found in the file; a record that could not be split keeps its text whole."""
    rows = table.loc[bad]
    if not raw.bad_records:
        return rows
    first = next((c for c in table.columns if c != ROW), ROW)
    split = pd.DataFrame({first: [b.text for b in raw.bad_records], ROW: [b.row for b in raw.bad_records]})
    return pd.concat([rows, split], ignore_index=True).sort_values(ROW, kind="stable").reset_index(drop=True)


def _malformed(kind: str, source: Source, raw: RawTable) -> list[Problem]:
    """A problem per record that could not be split into the header's cells."""
    return [
        Problem(
            kind, source.path, raw.sheet, b.row, "", brief(b.text), "malformed_line",
            _(
                "line {line} splits into {fields} cells where the header has {expected} (a stray quote or delimiter "
                "'{delimiter}'); the record is set aside and the rest of the file is read; correct the line in the export",
                line=b.line, fields=b.fields, expected=b.expected, delimiter=raw.delimiter,
            ),
        )
        for b in raw.bad_records
    ]  # fmt: skip


def _problem(kind: str, source: Source, raw: RawTable, table: pd.DataFrame, headers: Mapping, f: Failure) -> Problem:
    header = headers.get(f.column)
    row = f.row if f.row is not None else int(cast(int, table.at[f.index, ROW]))
    value = f.value if f.value is not None else (excel_value(table.at[f.index, header]) if header else "")
    return Problem(
        kind=kind,
        file=source.path,
        sheet=raw.sheet,
        row=row,
        column=raw.originals.get(header, header) if header else f.column,
        value=value,
        rule=f.rule,
        message=f.message,
        quarantined=f.quarantine,
    )
