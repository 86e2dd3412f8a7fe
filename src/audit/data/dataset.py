"""The audit's data: every kind read, mapped, validated and split by period."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

import pandas as pd

from audit.config import AuditConfig, Source, SurveySource, load_config, parse_period
from audit.data.contract import CATEGORIES, DATE_COLUMN, KINDS, SURVEY_SCORES
from audit.data.convert import AmbiguousDates, brief, convert_column, excel_value, infer_dayfirst
from audit.data.lines import aggregate_lines
from audit.data.mapping import Mapping, apply_filter, column_types, expected_headers, map_columns, mapped
from audit.data.readers import ROW, RawTable, read_table, sha256_of
from audit.data.schemas import SCORE_PREFIXES, Failure, cross_column_problems, failures
from audit.exceptions import ConfigError, InputFileError, TooManyInvalidRows
from audit.model import Problem, SourceInfo

__all__ = ["HISTORY_QUARTERS", "AuditData", "history_periods", "load_audit", "load_kind", "over_threshold"]

#: quarters of history (the audited one included) kept for trends
HISTORY_QUARTERS = 8


@dataclass(frozen=True)
class AuditData:
    """Everything loaded for one audit.

    Attributes:
        config: the checked audit.yaml.
        frames: per kind, the valid rows of the audited period, with our column names
            (see audit.data.contract) plus ``_row`` (the row number as shown in Excel).
        history: per kind, the valid rows of the audited period and up to seven quarters
            before it, with a ``_period`` column (``2026-Q3``) for trends.
        problems: every data-quality problem found.
        quarantine: per kind, the quarantined rows as found in the file (the file's
            headers, cells as read, ``_row``); nothing is dropped unseen.
        sources: one entry per input file.
        timings: seconds spent reading and validating, per kind.
        surveys_sent: questionnaires sent per period, when the survey file has a
            ``responded`` column (answered or not).
    """

    config: AuditConfig
    frames: dict[str, pd.DataFrame]
    history: dict[str, pd.DataFrame]
    problems: tuple[Problem, ...] = ()
    quarantine: dict[str, pd.DataFrame] = field(default_factory=dict)
    sources: tuple[SourceInfo, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    surveys_sent: dict[str, int] = field(default_factory=dict)

    def has(self, kind: str) -> bool:
        """Whether the kind was supplied (it may still have no rows in the period)."""
        return kind in self.frames

    @property
    def periods(self) -> tuple[str, ...]:
        """Labels of the periods in ``history``, oldest first, the audited one last."""
        return history_periods(self.config)

    def _repr_html_(self) -> str:
        from audit.report.working import sources_html

        return sources_html(self)


def history_periods(config: AuditConfig) -> tuple[str, ...]:
    """The quarters kept for trends, oldest first; only the period itself when it is not a quarter."""
    if config.audit.period is None:
        return (config.audit.period_label,)
    start = pd.Period(config.audit.period, freq="Q")
    return tuple(str(start - i).replace("Q", "-Q") for i in reversed(range(HISTORY_QUARTERS)))


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
        notes.append(f"dates in '{header}' read {'day' if inferred else 'month'} first (inferred from the column)")
    return bool(inferred)


def _convert(
    kind: str, source: Source, table: pd.DataFrame, headers: Mapping, where: str, path: Path, notes: list[str]
) -> tuple[pd.DataFrame, list[Failure]]:
    """Typed columns under our names, and the cells that could not be read."""
    types = column_types(kind, source)
    frame = pd.DataFrame({ROW: table[ROW]})
    found: list[Failure] = []
    for name, header in headers.items():
        cells = mapped(table[header], source, name)
        dayfirst = _date_order(kind, source, cells, header, where, path, notes) if types[name] == "date" else False
        values, failed = convert_column(cells, types[name], dayfirst=dayfirst)
        frame[name] = values
        if failed.any():
            rule, what = _UNREADABLE[types[name]]
            if rule == "not_a_date" and dayfirst:
                what += " (read day first)"
            found += [
                Failure(int(i), name, rule, f"'{brief(excel_value(table.at[i, header]))}' is not understood; {what}")
                for i in frame.index[failed.to_numpy()]
            ]
    for name, value in source.defaults.items():
        if name not in headers:
            frame[name] = convert_column(pd.Series([value] * len(frame), index=frame.index, dtype=object), types[name])[
                0
            ]
            notes.append(f"{name} is {value} for every row (data.{kind}.defaults)")
    quantity = {"orders": "quantity_ordered", "returns": "quantity"}.get(kind)
    if "unit_price" in frame and "value" not in frame:
        frame["value"] = frame["unit_price"] * frame[quantity] if quantity in frame else frame["unit_price"]
        notes.append(f"value = unit_price × {quantity if quantity in frame else 1} per row")
    for name, allowed in CATEGORIES.items():
        if name not in frame:
            continue
        unknown = frame[name].notna() & ~frame[name].isin(list(allowed))
        found += [
            Failure(
                int(i), name, "unknown_value",
                f"'{_cell(table, frame, headers, i, name)}' is not a known {name}; map it to one of "
                f"{', '.join(allowed)} under data.{kind}.values.{name} in audit.yaml",
            )
            for i in frame.index[unknown.to_numpy()]
        ]  # fmt: skip
    if "status" in frame and "resolved_on" in frame:
        conflict = ((frame["status"] == "open") & frame["resolved_on"].notna()).to_numpy()
        found += [
            Failure(
                int(i), "resolved_on", "open_but_resolved",
                f"the status is '{_cell(table, frame, headers, i, 'status')}' (open) but a resolved date is given; "
                "counted as open and the date left out; correct the status or the date",
                quarantine=False,
            )
            for i in frame.index[conflict]
        ]  # fmt: skip
        frame.loc[conflict, "resolved_on"] = pd.NaT
    return frame, found


def _cell(table: pd.DataFrame, frame: pd.DataFrame, headers: Mapping, index: int, name: str) -> str:
    """A cell as quoted in a message: as in the file, or the converted value of a column from ``defaults:``."""
    value = table.at[index, headers[name]] if name in headers else frame.at[index, name]
    return brief(excel_value(value))


_UNREADABLE = {
    "date": ("not_a_date", "use a date such as 2026-07-31"),
    "number": ("not_a_number", "use a plain number"),
    "bool": ("not_yes_no", "use yes or no, or map the value under 'values:' in audit.yaml"),
}


def _unanswered(kind: str, frame: pd.DataFrame, headers: Mapping, where: str, path: Path) -> set[int]:
    """Survey rows marked not responded (questionnaires sent without an answer).

    They count towards the questionnaires sent and are dated by ``sent_on``; an empty
    score or response date is expected there, not a problem.
    """
    if kind != "surveys" or "responded" not in frame:
        return set()
    if "sent_on" not in frame:
        raise InputFileError(
            f"{where}: a 'responded' column needs a 'sent_on' column too, so that unanswered questionnaires "
            "fall in a period; map sent_on under data.surveys.columns",
            path,
            kind,
        )
    mask = frame["responded"].eq(False).fillna(False).to_numpy(dtype=bool)
    frame.loc[mask, "responded_on"] = frame.loc[mask, "sent_on"]
    return set(frame.index[mask])


def _blank_na_codes(frame: pd.DataFrame, source: Source) -> pd.DataFrame:
    """Survey scores holding their scale's not-applicable code become blank."""
    if not isinstance(source, SurveySource):
        return frame
    for column in frame.columns:
        if column in SURVEY_SCORES or column.startswith(SCORE_PREFIXES):
            na = source.scale_of(column).na
            if na is not None:
                frame[column] = frame[column].mask(frame[column] == na)
    return frame


def _window(config: AuditConfig) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the rows used: the history window's start to the period's end."""
    periods = history_periods(config)
    start = parse_period(periods[0])[0] if len(periods) > 1 else config.audit.period_start
    return pd.Timestamp(start), pd.Timestamp(config.audit.period_end)


def load_kind(
    kind: str, source: Source, config: AuditConfig, *, strict: bool = True
) -> tuple[pd.DataFrame, list[Problem], pd.DataFrame, SourceInfo]:
    """Read, map, filter, convert, validate and (for ``grain: line``) aggregate one kind.

    Returns:
        The valid rows dated in the history window (converted, our names, ``_row``), the
        problems found (rows dated outside the window are reported but not quarantined),
        the quarantined rows as read, and the source description (``rows_in_period`` still 0).

    Raises:
        InputFileError: the file cannot be used at all.
        TooManyInvalidRows: more invalid rows than ``validation.max_invalid_pct`` (only
            when ``strict``).
    """
    path = config.resolve(source.path, key=f"data.{kind}.path")  # confined to the site folder
    raw = read_table(
        path,
        sheet=source.sheet,
        header_row=source.header_row,
        encoding=source.encoding,
        expected=expected_headers(kind, source),
    )
    where = f"{path}" + (f" sheet '{raw.sheet}'" if raw.sheet else "")
    headers = map_columns(kind, source, raw, path)
    notes: list[str] = []
    if source.header_row is None and raw.header_row != 1:
        notes.append(f"headers found in row {raw.header_row}")
    table = apply_filter(kind, source, raw, headers, path)
    if source.where:
        notes.append(f"{len(table):,} of {len(raw.frame):,} rows kept by 'where'")
    frame, found = _convert(kind, source, table, headers, where, path, notes)
    lines = getattr(source, "grain", "order") == "line"
    unconverted = {(f.index, f.column) for f in found}  # already reported; not "missing" as well
    unanswered = _unanswered(kind, frame, headers, where, path)
    found += [
        f
        for f in failures(kind, frame, source, headers, unique=not lines)
        if (f.index, f.column) not in unconverted and not (f.rule == "missing_value" and f.index in unanswered)
    ]
    found += cross_column_problems(kind, frame, headers)
    bad = {f.index for f in found if f.quarantine}
    if lines:
        valid, more = aggregate_lines(kind, frame, [f for f in found if f.quarantine])
        found += more
        bad |= {f.index for f in more}
        notes.append(f"{len(frame) - len(bad):,} valid lines make {len(valid):,} {kind}")
    else:
        valid = frame.drop(index=sorted(bad))
    valid = _blank_na_codes(valid, source)
    problems = [_problem(kind, source, raw, table, headers, f) for f in found]
    limit = config.validation.max_invalid_pct
    if strict and len(frame) and 100 * len(bad) / len(frame) > limit:
        problems.sort(key=lambda p: (p.row or 0, p.column))
        first = problems[0]
        raise TooManyInvalidRows(
            f"{first.location()}: {first.message} — {len(bad)} of {len(frame)} {kind} rows "
            f"({100 * len(bad) / len(frame):.1f}%) are invalid, more than the {limit:g}% allowed; "
            f"correct the file (list every problem with 'csat-audit validate') or raise validation.max_invalid_pct",
            path,
            kind,
        )
    first_day, last_day = _window(config)
    date = valid[DATE_COLUMN[kind]]
    outside = ((date < first_day) | (date > last_day)).to_numpy()
    date_header = headers.get(DATE_COLUMN[kind], DATE_COLUMN[kind])
    problems += [
        Problem(kind, source.path, raw.sheet, int(row), date_header, f"{day:%Y-%m-%d}", "outside_period",
                f"dated outside the audited period and its history ({first_day:%Y-%m-%d} to {last_day:%Y-%m-%d}); "
                "left out of this audit, no action needed if expected", False)
        for row, day in zip(valid.loc[outside, ROW], date[outside])
    ]  # fmt: skip
    problems.sort(key=lambda p: (not p.quarantined, p.row or 0, p.column))
    info = SourceInfo(
        kind=kind,
        path=source.path,
        sheet=raw.sheet,
        sha256=sha256_of(path),
        rows_read=len(frame),
        rows_valid=len(frame) - len(bad),
        rows_quarantined=len(bad),
        rows_in_period=0,
        notes=tuple(notes),
    )
    return valid.loc[~outside], problems, table.loc[sorted(bad)], info


def _problem(kind: str, source: Source, raw: RawTable, table: pd.DataFrame, headers: Mapping, f: Failure) -> Problem:
    header = headers.get(f.column)
    return Problem(
        kind=kind,
        file=source.path,
        sheet=raw.sheet,
        row=int(cast(int, table.at[f.index, ROW])),
        column=header or f.column,
        value=excel_value(table.at[f.index, header]) if header else "",
        rule=f.rule,
        message=f.message,
        quarantined=f.quarantine,
    )


def _split(kind: str, frame: pd.DataFrame, config: AuditConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of the audited period and the rows of the history window (period included)."""
    date = frame[DATE_COLUMN[kind]]
    periods = history_periods(config)
    history = frame.copy()
    if len(periods) > 1:
        history["_period"] = date.dt.to_period("Q").astype(str).str.replace("Q", "-Q")
    else:
        history["_period"] = periods[0]
    current = frame.loc[(date >= pd.Timestamp(config.audit.period_start)).to_numpy()]
    return current, history


def over_threshold(data: AuditData) -> list[str]:
    """One line per kind whose invalid share is above ``validation.max_invalid_pct``."""
    limit = data.config.validation.max_invalid_pct
    return [
        f"{s.kind}: {s.rows_quarantined:,} of {s.rows_read:,} rows ({100 * s.rows_quarantined / s.rows_read:.1f}%) "
        f"are invalid, more than the {limit:g}% allowed; a run stops here until the file is corrected"
        for s in data.sources
        if s.rows_read and 100 * s.rows_quarantined / s.rows_read > limit
    ]


def _answered(surveys: pd.DataFrame, config: AuditConfig) -> tuple[pd.DataFrame, dict[str, int]]:
    """The answered questionnaires, and the questionnaires sent per period (answered or not)."""
    _, every = _split("surveys", surveys, config)
    sent = {str(label): int(n) for label, n in every["_period"].value_counts().items()}
    return surveys.loc[surveys["responded"].ne(False).fillna(True).to_numpy(dtype=bool)], sent


def load_audit(folder: Path | str | AuditConfig, *, strict: bool = True) -> AuditData:
    """Read every data file audit.yaml names, validating as it goes.

    Args:
        folder: the audit folder (holding audit.yaml), or its configuration already read.
        strict: stop when a kind has more invalid rows than allowed; ``validate`` turns
            this off to list every problem (see :func:`over_threshold`).

    Returns:
        The loaded data; invalid rows are quarantined and listed in ``problems``.

    Raises:
        ConfigError: audit.yaml is missing or invalid.
        InputFileError: a file is missing, unreadable, empty or lacks a mapped column.
        TooManyInvalidRows: a kind has more invalid rows than ``validation.max_invalid_pct``.

    Example:
        >>> data = load_audit("audits/demo/2026-Q3")     # doctest: +SKIP
        >>> len(data.frames["surveys"])                   # doctest: +SKIP
        2991
    """
    config = folder if isinstance(folder, AuditConfig) else load_config(folder)
    frames: dict[str, pd.DataFrame] = {}
    history: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    sent: dict[str, int] = {}
    quarantine: dict[str, pd.DataFrame] = {}
    sources: list[SourceInfo] = []
    timings: dict[str, float] = {}
    for kind in KINDS:
        source = getattr(config.data, kind)
        if source is None:
            continue
        started = time.perf_counter()
        valid, found, quarantine[kind], info = load_kind(kind, source, config, strict=strict)
        if kind == "surveys" and "responded" in valid:
            valid, sent = _answered(valid, config)
        current, window = _split(kind, valid, config)
        frames[kind], history[kind] = current, window
        problems += found
        sources.append(replace(info, rows_in_period=len(current)))
        timings[kind] = time.perf_counter() - started
    if not sources:
        raise ConfigError(f"{config.folder / 'audit.yaml'}: 'data:' names no input files; add at least surveys")
    return AuditData(config, frames, history, tuple(problems), quarantine, tuple(sources), timings, sent)
