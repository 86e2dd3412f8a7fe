"""The audit's data: every kind read, mapped, validated and split by period."""

from __future__ import annotations

import time
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from audit import format
from audit.catalogue import kind_word
from audit.config import AuditConfig, load_config
from audit.data.contract import DATE_COLUMN, KINDS
from audit.data.intake import load_kind
from audit.data.joins import join_customers, join_lines
from audit.data.periods import HISTORY_QUARTERS, history_periods
from audit.exceptions import AuditError, ConfigError
from audit.forked import beside
from audit.i18n import _, language
from audit.model import Problem, SourceInfo
from audit.progress import Stage, is_listened, started

__all__ = ["HISTORY_QUARTERS", "AuditData", "history_periods", "load_audit", "load_kind", "over_threshold"]


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
        customers: the customers file (one row per customer id), when given.
    """

    config: AuditConfig
    frames: dict[str, pd.DataFrame]
    history: dict[str, pd.DataFrame]
    problems: tuple[Problem, ...] = ()
    quarantine: dict[str, pd.DataFrame] = field(default_factory=dict)
    sources: tuple[SourceInfo, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    surveys_sent: dict[str, int] = field(default_factory=dict)
    customers: pd.DataFrame | None = None

    def has(self, kind: str) -> bool:
        """Whether the kind was supplied (it may still have no rows in the period)."""
        return kind in self.frames

    def only(self, *kinds: str) -> AuditData:
        """The same data with the frames of ``kinds`` only: less to send to another process."""
        return replace(
            self,
            frames={k: f for k, f in self.frames.items() if k in kinds},
            history={k: f for k, f in self.history.items() if k in kinds},
            quarantine={k: f for k, f in self.quarantine.items() if k in kinds},
            customers=None,
        )

    @property
    def periods(self) -> tuple[str, ...]:
        """Labels of the periods in ``history``, oldest first, the audited one last."""
        return history_periods(self.config)

    def __repr__(self) -> str:
        """A line, not the frames and the configuration (which names the machine's folder)."""
        rows = ", ".join(f"{kind} {len(frame):,}" for kind, frame in self.frames.items())
        return f"<AuditData {self.config.audit.id} {self.config.audit.period_label}: {rows} rows in the period>"

    def _repr_html_(self) -> str:
        from audit.report.working import sources_html

        return sources_html(self)


def _split(kind: str, frame: pd.DataFrame, config: AuditConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of the audited period and the rows of the history window (period included)."""
    date = frame[DATE_COLUMN[kind]]
    periods = history_periods(config)
    history = frame.copy(deep=False)  # copy-on-write: the new column is the history's alone
    if len(periods) > 1:
        codes, quarters = pd.factorize(date.dt.to_period("Q"), use_na_sentinel=False)  # each quarter labelled once
        labels = pd.Index(quarters).astype(str).str.replace("Q", "-Q").to_numpy(dtype=object)
        history["_period"] = pd.Series(labels[codes], index=frame.index, dtype="str")
    else:
        history["_period"] = periods[0]
    current = frame.loc[(date >= pd.Timestamp(config.audit.period_start)).to_numpy()]
    return current, history


def over_threshold(data: AuditData) -> list[str]:
    """One line per kind whose invalid share is above ``validation.max_invalid_pct``."""
    limit = data.config.validation.max_invalid_pct
    with language(data.config.audit.language):
        return [
            _(
                "{kind}: {bad} of {read} rows ({share}) are invalid, more than the {limit}% allowed; "
                "a run stops here until the file is corrected",
                kind=kind_word(s.kind),
                bad=format.count(s.rows_quarantined),
                read=format.count(s.rows_read),
                share=format.percent(100 * s.rows_quarantined / s.rows_read),
                limit=f"{limit:g}",
            )
            for s in data.sources
            if s.rows_read and 100 * s.rows_quarantined / s.rows_read > limit
        ]


def _answered(surveys: pd.DataFrame, config: AuditConfig) -> tuple[pd.DataFrame, dict[str, int]]:
    """The answered questionnaires, and the questionnaires sent per period (answered or not)."""
    _, every = _split("surveys", surveys, config)
    sent = {str(label): int(n) for label, n in every["_period"].value_counts().items()}
    return surveys.loc[surveys["responded"].ne(False).fillna(True).to_numpy(dtype=bool)], sent


def _reading(kind: str, path: str, config: AuditConfig) -> Stage:
    """The progress stage of reading one file, with its size when someone listens."""
    return started("read", Path(path).name, m=(_size(path, config) or None) if is_listened() else None)


def _load_one(kind: str, config: AuditConfig, strict: bool) -> _Kind:
    """Read one kind (with its order lines), split by period."""
    source = getattr(config.data, kind)
    began = time.perf_counter()
    reading = _reading(kind, source.path, config)
    valid, found, quarantined, info = load_kind(kind, source, config, strict=strict)
    reading.done(info.rows_read)
    quarantine, extra, sent = {kind: quarantined}, [], dict[str, int]()
    if kind == "orders" and config.data.orders is not None and config.data.orders.lines is not None:
        reading = _reading("order_lines", config.data.orders.lines.path, config)
        lines, more, quarantine["order_lines"], lines_info = load_kind(
            "order_lines", config.data.orders.lines, config, strict=strict
        )
        reading.done(lines_info.rows_read)
        valid, joined = join_lines(valid, lines, info, lines_info)
        found += more + joined
        extra.append(replace(lines_info, rows_in_period=len(lines)))
    if kind == "surveys" and "responded" in valid:
        valid, sent = _answered(valid, config)
    current, window = _split(kind, valid, config)
    info = replace(info, rows_in_period=len(current))
    return _Kind(current, window, found, quarantine, [info, *extra], sent, time.perf_counter() - began)


def _size(path: str, config: AuditConfig) -> int:
    """The size of a data file in bytes; 0 when it cannot be found (reading it says why)."""
    with suppress(OSError, ConfigError):
        return config.resolve(path).stat().st_size
    return 0


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
    with language(config.audit.language):  # the problems' messages, in the audit's language
        return _load(config, strict=strict)


@dataclass(frozen=True)
class _Kind:
    """One kind read: its frames, problems, quarantined rows and sources (order lines with orders)."""

    current: pd.DataFrame
    history: pd.DataFrame
    problems: list[Problem]
    quarantine: dict[str, pd.DataFrame]
    sources: list[SourceInfo]
    sent: dict[str, int]
    seconds: float


def _load(config: AuditConfig, *, strict: bool) -> AuditData:
    frames: dict[str, pd.DataFrame] = {}
    history: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    sent: dict[str, int] = {}
    quarantine: dict[str, pd.DataFrame] = {}
    sources: list[SourceInfo] = []
    timings: dict[str, float] = {}
    extra: list[SourceInfo] = []  # order lines and customers: files joined to the kinds
    given = [kind for kind in KINDS if getattr(config.data, kind) is not None]
    if not given:
        raise ConfigError(f"{config.folder / 'audit.yaml'}: 'data:' names no input files; add at least surveys")
    loaded: dict[str, _Kind] = {}
    # the largest file is read on the other core, when there is one, while this process reads the rest
    largest = max(given, key=lambda kind: _size(getattr(config.data, kind).path, config))
    with beside(_load_one, largest, config, strict) as later:
        for kind in given:
            if kind == largest:
                continue
            try:
                loaded[kind] = _load_one(kind, config, strict)
            except AuditError:
                if given.index(largest) < given.index(kind):  # its error first, as when read in order
                    later()
                raise
        loaded[largest] = later()
    for kind in given:
        one = loaded[kind]
        frames[kind], history[kind] = one.current, one.history
        problems += one.problems
        quarantine |= one.quarantine
        sources.append(one.sources[0])
        extra += one.sources[1:]
        sent |= one.sent
        timings[kind] = one.seconds
    customers = None
    if config.data.customers is not None:
        reading = _reading("customers", config.data.customers.path, config)
        customers, found, quarantine["customers"], info = load_kind(
            "customers", config.data.customers, config, strict=strict
        )
        reading.done(info.rows_read)
        problems += found
        for kind_info in sources:
            kind = kind_info.kind
            header = getattr(config.data, kind).columns.get("customer_id") or "customer_id"
            history[kind], unmatched = join_customers(kind, history[kind], customers, kind_info, info, str(header))
            frames[kind], _ = join_customers(kind, frames[kind], customers, kind_info, info, str(header))
            problems += unmatched
        extra.append(replace(info, rows_in_period=len(customers)))
    return AuditData(
        config, frames, history, tuple(problems), quarantine, tuple(sources + extra), timings, sent, customers
    )
