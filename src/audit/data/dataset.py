"""The audit's data: every kind read, mapped, validated and split by period."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from audit.config import AuditConfig, Source, SurveySource, load_config, parse_period
from audit.data.contract import COLUMNS, DATE_COLUMN, KINDS, REQUIRED, ColumnType
from audit.data.convert import convert_column, excel_value
from audit.data.readers import ROW, RawTable, read_table, sha256_of
from audit.data.schemas import Failure, cross_column_problems, failures
from audit.exceptions import ConfigError, InputFileError, TooManyInvalidRows
from audit.results import Problem, SourceInfo

__all__ = ["AuditData", "load_audit", "load_kind", "history_periods", "HISTORY_QUARTERS"]

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
        sources: one entry per input file.
        timings: seconds spent reading and validating, per kind.
    """

    config: AuditConfig
    frames: dict[str, pd.DataFrame]
    history: dict[str, pd.DataFrame]
    problems: tuple[Problem, ...] = ()
    sources: tuple[SourceInfo, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)

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


def _mapping(kind: str, source: Source, raw: RawTable, path: Path) -> tuple[dict[str, str], dict[str, ColumnType]]:
    """Our column name → the file's header, and our column name → type, for the columns present."""
    types: dict[str, ColumnType] = dict(COLUMNS[kind])
    wanted = dict(source.columns)
    unknown = sorted(set(wanted) - set(types))
    if unknown:
        raise ConfigError(
            f"data.{kind}.columns: unknown column {unknown}; known columns are {', '.join(types)}",
        )
    if isinstance(source, SurveySource):
        for prefix, block in (("dim_", source.dimensions), ("exp_", source.expectations), ("imp_", source.importance)):
            for name, header in block.items():
                wanted[prefix + name] = header
                types[prefix + name] = "number"
    by_key = {str(h).strip().casefold(): str(h) for h in raw.frame.columns if h != ROW}
    headers: dict[str, str] = {}
    where = f"{path}" + (f" sheet '{raw.sheet}'" if raw.sheet else "")
    for name in types:
        if name in wanted:
            found = by_key.get(wanted[name].strip().casefold())
            if found is None:
                raise InputFileError(
                    f"{where}: column '{wanted[name]}' (mapped to {name} in audit.yaml) is not in the header; "
                    f"the headers are: {', '.join(by_key.values())}",
                    path,
                    kind,
                )
            headers[name] = found
        elif name.casefold() in by_key:
            headers[name] = by_key[name.casefold()]
        elif name in REQUIRED[kind]:
            raise InputFileError(
                f"{where}: required column '{name}' not found; map it in audit.yaml under "
                f"data.{kind}.columns (for example {name}: <your header>); the headers are: {', '.join(by_key.values())}",
                path,
                kind,
            )
    return headers, types


def load_kind(kind: str, source: Source, config: AuditConfig) -> tuple[pd.DataFrame, list[Problem], SourceInfo]:
    """Read, map, convert and validate one kind.

    Returns:
        The valid rows of every period (converted, our names, ``_row``), the problems
        found, and the source description (``rows_in_period`` still 0).

    Raises:
        InputFileError: the file cannot be used at all.
    """
    path = config.resolve(source.path)
    raw = read_table(path, sheet=source.sheet, header_row=source.header_row or 1, encoding=source.encoding)
    headers, types = _mapping(kind, source, raw, path)
    frame = pd.DataFrame({ROW: raw.frame[ROW]})
    found: list[Failure] = []
    for name, header in headers.items():
        values, failed = convert_column(raw.frame[header], types[name], dayfirst=bool(source.dayfirst))
        frame[name] = values
        if failed.any():
            rule = {"date": "not_a_date", "number": "not_a_number", "bool": "not_yes_no"}[types[name]]
            what = {
                "not_a_date": "use a date such as 2026-07-31" + (" (read day first)" if source.dayfirst else ""),
                "not_a_number": "use a plain number",
                "not_yes_no": "use yes or no",
            }[rule]
            found += [Failure(int(i), name, rule, f"'{excel_value(raw.frame.at[i, header])}' is not understood; {what}") for i in frame.index[failed.to_numpy()]]
    unconverted = {(f.index, f.column) for f in found}  # already reported; not "missing" as well
    found += [f for f in failures(kind, frame, source, headers) if (f.index, f.column) not in unconverted]
    found += cross_column_problems(kind, frame, headers)
    rows = raw.frame[ROW].to_numpy()
    problems = [
        Problem(
            kind=kind,
            file=source.path,
            sheet=raw.sheet,
            row=int(rows[f.index]),
            column=headers.get(f.column, f.column),
            value=excel_value(raw.frame.at[f.index, headers[f.column]]) if f.column in headers else "",
            rule=f.rule,
            message=f.message,
        )
        for f in found
    ]
    problems.sort(key=lambda p: (p.row or 0, p.column))
    bad = sorted({f.index for f in found})
    valid = frame.drop(index=bad)
    info = SourceInfo(
        kind=kind,
        path=source.path,
        sheet=raw.sheet,
        sha256=sha256_of(path),
        rows_read=len(frame),
        rows_valid=len(valid),
        rows_quarantined=len(bad),
        rows_in_period=0,
    )
    limit = config.validation.max_invalid_pct
    if frame.shape[0] and 100 * len(bad) / len(frame) > limit:
        first = problems[0]
        raise TooManyInvalidRows(
            f"{first.location()}: {first.message} — {len(bad)} of {len(frame)} {kind} rows "
            f"({100 * len(bad) / len(frame):.1f}%) are invalid, more than the {limit:g}% allowed; "
            f"correct the file (list every problem with 'csat-audit validate') or raise validation.max_invalid_pct",
            path,
            kind,
        )
    return valid, problems, info


def _split(kind: str, frame: pd.DataFrame, config: AuditConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of the audited period and the rows of the history window (period included)."""
    date = frame[DATE_COLUMN[kind]]
    start = pd.Timestamp(config.audit.period_start)
    end = pd.Timestamp(config.audit.period_end)
    periods = history_periods(config)
    window_start = pd.Timestamp(parse_period(periods[0])[0]) if len(periods) > 1 else start
    history = frame.loc[(date >= window_start) & (date <= end)].copy()
    if len(periods) > 1:
        history["_period"] = history[DATE_COLUMN[kind]].dt.to_period("Q").astype(str).str.replace("Q", "-Q")
    else:
        history["_period"] = periods[0]
    current = frame.loc[(date >= start) & (date <= end)]
    return current, history


def load_audit(folder: Path | str) -> AuditData:
    """Read audit.yaml and every data file it names, validating as it goes.

    Args:
        folder: the audit folder (holding audit.yaml).

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
    config = load_config(folder)
    frames: dict[str, pd.DataFrame] = {}
    history: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    sources: list[SourceInfo] = []
    timings: dict[str, float] = {}
    for kind in KINDS:
        source = getattr(config.data, kind)
        if source is None:
            continue
        started = time.perf_counter()
        valid, found, info = load_kind(kind, source, config)
        current, window = _split(kind, valid, config)
        frames[kind], history[kind] = current, window
        problems += found
        sources.append(replace(info, rows_in_period=len(current)))
        timings[kind] = time.perf_counter() - started
    if not sources:
        raise ConfigError(f"{config.folder / 'audit.yaml'}: 'data:' names no input files; add at least surveys")
    return AuditData(config, frames, history, tuple(problems), tuple(sources), timings)
