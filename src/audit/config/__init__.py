"""audit.yaml as typed, checked configuration.

The file is read once, at the door, into pydantic models with ``extra="forbid"``: a
misspelt key is an error that names the key and the file. See docs/configuration.md
for every key.

Example:
    >>> cfg = load_config(Path("audits/demo/2026-Q3"))   # doctest: +SKIP
    >>> cfg.audit.period_start, cfg.audit.period_end     # doctest: +SKIP
    (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from audit.catalogue import TARGETABLE
from audit.config.base import Model as _Model
from audit.config.loader import MAX_ALIASED_VALUES, MAX_CONFIG_BYTES, MAX_DEPTH, decode_yaml, describe_error, parse_yaml
from audit.config.sources import DataSources, FilterOp, LineFile, LineSource, OrderSource, Scale, Source, SurveySource
from audit.exceptions import ConfigError

__all__ = [
    "CONFIG_FILE",
    "DEFAULT_CURRENCY",
    "KPI_TARGET_KEYS",
    "MAX_ALIASED_VALUES",
    "MAX_CONFIG_BYTES",
    "MAX_DEPTH",
    "MAX_DUE_DAYS",
    "YEARS",
    "Analysis",
    "AuditConfig",
    "AuditInfo",
    "Checks",
    "DataSources",
    "FilterOp",
    "LineFile",
    "LineSource",
    "OrderSource",
    "Outputs",
    "Sampling",
    "Scale",
    "Source",
    "SurveySource",
    "load_config",
    "parse_period",
]

CONFIG_FILE = "audit.yaml"


#: KPI ids that may carry a target in ``targets:`` (from the KPI catalogue); see docs/metrics.md.
KPI_TARGET_KEYS = TARGETABLE

#: days from the audit date to a due date at most (ten years)
MAX_DUE_DAYS = 3650
#: the years a period or date may fall in: pandas' timestamps end in 2262, history and due dates reach beyond
YEARS = (1900, 2200)

#: the currency of amounts when audit.yaml names none, by language
DEFAULT_CURRENCY = {"en": "GBP", "zh-CN": "CNY"}

_PERIOD = re.compile(r"^(\d{4})-Q([1-4])$")


class AuditInfo(_Model):
    """Who and what is audited, and when (the ``audit:`` block)."""

    id: str
    organisation: str
    site: str = ""
    period: str | None = Field(None, description="calendar quarter such as 2026-Q3")
    start: dt.date | None = None
    end: dt.date | None = None
    date: dt.date | None = Field(None, description="date of the audit; defaults to today")
    criteria: Literal["ISO 9001:2015", "ISO 9001:2008"] = "ISO 9001:2015"
    language: Literal["en", "zh-CN"] = Field(
        "en", description="the language of everything a person reads: report, workbooks, portfolio"
    )
    currency: str | None = Field(
        None,
        pattern=r"^[A-Z]{3}$",
        description="ISO 4217 code written with every amount (CNY, GBP, EUR …); default from the language",
    )
    client: str = ""
    lead_auditor: str = ""
    team: list[str] = Field(default_factory=list)
    auditee: str = ""
    auditee_representative: str = Field("", description="who signs the report for the auditee")
    approved_by: str = Field("", description="who approves the report for issue (the audit programme manager)")
    distribution: list[str] = Field(default_factory=list)
    confidentiality: str = ""
    objectives: list[str] = Field(default_factory=list)
    objectives_achieved: str = Field(
        "", description="the lead auditor's statement on whether the objectives were achieved (default: from the data)"
    )
    scope: str = ""
    locations: list[str] = Field(
        default_factory=list, description="sites and departments audited (default: the site and the auditee)"
    )
    mode: Literal["records", "on_site", "remote", "blended"] = Field(
        "records", description="how the audit was conducted: from records, on site, remotely, or on site and remotely"
    )

    @field_validator("period", mode="before")
    @classmethod
    def _strip_period(cls, period: Any) -> Any:
        """``"2026-Q3 "`` or ``"2026-Q3\\n"`` is ``2026-Q3``: every later use sees the clean text."""
        return period.strip() if isinstance(period, str) else period

    @field_validator("period")
    @classmethod
    def _plausible_period(cls, period: str | None) -> str | None:
        match = _PERIOD.match(period or "")
        if match and not YEARS[0] <= int(match[1]) <= YEARS[1]:
            raise ValueError(f"{period} is not a plausible period (years {YEARS[0]} to {YEARS[1]})")
        return period

    @field_validator("start", "end", "date")
    @classmethod
    def _plausible_date(cls, day: dt.date | None) -> dt.date | None:
        if day is not None and not YEARS[0] <= day.year <= YEARS[1]:
            raise ValueError(f"{day} is not a plausible date (years {YEARS[0]} to {YEARS[1]})")
        return day

    @model_validator(mode="after")
    def _period_or_dates(self) -> AuditInfo:
        if self.period is None and (self.start is None or self.end is None):
            raise ValueError("give either 'period' (such as 2026-Q3) or both 'start' and 'end'")
        if self.period is not None:
            parse_period(self.period)
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"'end' ({self.end}) is before 'start' ({self.start})")
        return self

    @property
    def period_start(self) -> dt.date:
        """First day of the audited period."""
        return self.start or parse_period(self.period or "")[0]

    @property
    def period_end(self) -> dt.date:
        """Last day of the audited period (inclusive)."""
        return self.end or parse_period(self.period or "")[1]

    @property
    def period_label(self) -> str:
        """The period as people say it: ``2026-Q3`` or ``2026-07-01 to 2026-09-30``."""
        return self.period or f"{self.period_start} to {self.period_end}"

    @property
    def audit_date(self) -> dt.date:
        """The date of the audit: ``date`` if given, else today."""
        return self.date or dt.date.today()

    @property
    def money(self) -> str:
        """The currency of every amount: ``currency``, else the language's (CNY in Chinese, GBP in English)."""
        return self.currency or DEFAULT_CURRENCY[self.language]


class Sla(_Model):
    """Service levels for complaint handling, in calendar days."""

    complaint_acknowledge_days: float = Field(2, gt=0)
    complaint_resolve_days: float = Field(14, gt=0)


class Validation(_Model):
    """How much bad data a run tolerates."""

    max_invalid_pct: float = Field(5.0, ge=0, le=100)


class Analysis(_Model):
    """Settings of the analytics (see docs/metrics.md)."""

    complainer_share: float = Field(
        0.04,
        gt=0,
        le=1,
        description="share of dissatisfied customers who complain, for the silent-dissatisfied estimate",
    )
    customer_base: int | None = Field(
        None,
        gt=0,
        le=10**12,
        description="customers who could have answered the survey, for the finite-population correction",
    )
    small_n: int = Field(30, ge=1, description="segment cells with fewer observations are marked")
    repeat_window_days: int = Field(
        90, gt=0, description="a complaint within this many days of an earlier one is a repeat"
    )
    coverage_gap_min_days: int = Field(
        7, ge=1, le=366, description="an export ending this many days or more before the period's end may end early"
    )


class DueDays(_Model):
    """Days from the audit date to an action's due date, by grade."""

    major: int = Field(30, ge=0, le=MAX_DUE_DAYS)
    minor: int = Field(60, ge=0, le=MAX_DUE_DAYS)
    observation: int = Field(90, ge=0, le=MAX_DUE_DAYS)
    ofi: int = Field(90, ge=0, le=MAX_DUE_DAYS)


class Checks(_Model):
    """Thresholds of the clause checks (the ``checks:`` block; rules in docs/assessment.md)."""

    response_rate_min_pct: float = Field(20.0, ge=0, le=100, description="survey response rate below this → ofi")
    margin_of_error_max_points: float = Field(5.0, gt=0, description="survey margin of error (±, 95%) above this → ofi")
    key_account_coverage_min_pct: float = Field(
        50.0, ge=0, le=100, description="share of tier-A customers who answered the survey below this → ofi"
    )
    methods_min: int = Field(
        3, ge=1, description="fewer monitoring methods (sources in the clause's note) in use → ofi"
    )
    gap_max_points: float = Field(
        0.5, ge=0, description="a dimension whose perception falls short of expectation by more than this → ofi"
    )
    records_complete_min_pct: float = Field(
        95.0, ge=0, le=100, description="share of complaint records with every field filled in below this → ofi"
    )
    acknowledged_within_sla_min_pct: float = Field(
        90.0, ge=0, le=100, description="complaints acknowledged within the SLA below this → ofi"
    )
    resolved_within_sla_min_pct: float = Field(
        90.0,
        ge=0,
        le=100,
        description="complaints resolved within the SLA below this (when no target is set) → observation",
    )
    root_cause_min_pct: float = Field(
        90.0, ge=0, le=100, description="closed complaints with a root cause below this → minor (10.2.1 b)"
    )
    repeat_complaint_max_pct: float = Field(
        10.0,
        ge=0,
        le=100,
        description="repeat complaints above this → observation, only without a target and without earlier quarters",
    )
    sla_wide_margin_points: float = Field(
        20.0,
        ge=0,
        le=100,
        description="complaints within the SLA this far below target (or falling significantly), with some open past "
        "it → minor",
    )
    baseline_quarters: int = Field(
        4, ge=1, le=7, description="earlier quarters whose mean is a KPI's own baseline (repeat complaints)"
    )
    return_reason_min_pct: float = Field(90.0, ge=0, le=100, description="returns with a reason below this → ofi")
    otif_min_pct: float = Field(
        90.0, ge=0, le=100, description="on time in full below this (when no otif_pct target is set) → observation"
    )
    quarantined_max_pct: float = Field(
        2.0, ge=0, le=100, description="rows of a kind set aside as invalid above this share → observation"
    )


class Sampling(_Model):
    """The verification sample of records per finding (ISO 19011:2018 A.6; docs/assessment.md)."""

    confidence_pct: float = Field(
        95.0, gt=0, lt=100, description="confidence of seeing at least one record that does not trace"
    )
    tolerable_pct: float = Field(
        20.0, gt=0, le=100, description="share of records not tracing that the sample must be able to reveal"
    )


class Outputs(_Model):
    """What the outputs keep (the ``outputs:`` block)."""

    evidence_rows: int = Field(
        1000,
        ge=1,
        le=1_000_000,
        description="records kept per finding in findings.xlsx and results.json; the rest are counted, every id is kept",
    )


class AuditConfig(_Model):
    """The whole of audit.yaml.

    Attributes:
        folder: the audit folder; relative data paths are resolved against it.
    """

    audit: AuditInfo
    previous: str | None = None
    data: DataSources
    targets: dict[str, float] = Field(default_factory=dict)
    sla: Sla = Sla()
    owners: dict[str, str] = Field(default_factory=dict)
    validation: Validation = Validation()
    due_days: DueDays = DueDays()
    checks: Checks = Checks()
    analysis: Analysis = Analysis()
    sampling: Sampling = Sampling()
    outputs: Outputs = Outputs()
    benchmarks: dict[str, float] = Field(
        default_factory=dict, description="competitor or industry value per KPI id, for the gap to benchmark"
    )
    folder: Path = Field(default_factory=Path.cwd, exclude=True, repr=False)  # no machine path in the working paper

    @field_validator("targets", "benchmarks")
    @classmethod
    def _known_targets(cls, targets: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(targets) - KPI_TARGET_KEYS)
        if unknown:
            raise ValueError(f"unknown KPI {unknown}; targets can be set for: {', '.join(sorted(KPI_TARGET_KEYS))}")
        return targets

    @property
    def site_folder(self) -> Path:
        """The folder that holds this site's audits (``audits/<site>/``): data paths stay inside it."""
        return self.folder.parent

    def resolve(self, relative: str, key: str = "data.<kind>.path") -> Path:
        """A data path from audit.yaml, resolved against the audit folder and confined to the site folder.

        Links are followed: the file actually read must lie inside the site folder (the audit
        folder's parent, so that a quarter may read a shared export of its site) or inside a
        folder listed under ``data.allow_outside``. Nothing is opened here (a pipe would block).

        Args:
            relative: the path as written in audit.yaml (relative to the audit folder, or absolute).
            key: the key it was given under, for the message.

        Returns:
            The path with links followed.

        Raises:
            ConfigError: the path leads outside the site folder and every allowed folder, is a folder
                or a pipe, or cannot be resolved (a loop of links, a NUL character).

        Example:
            >>> cfg.resolve("data/surveys.xlsx", key="data.surveys.path")   # doctest: +SKIP
            PosixPath('/audits/plant-1/2026-Q3/data/surveys.xlsx')
        """
        config = self.folder / CONFIG_FILE
        try:
            written = Path(relative).expanduser()
            joined = written if written.is_absolute() else self.folder / written
            real = joined.resolve()
            allowed = [self.site_folder, *(self._allowed_folder(d) for d in self.data.allow_outside)]
        except (OSError, RuntimeError, ValueError) as exc:
            raise ConfigError(
                f"{config}: '{key}': {relative!r} is not a usable path ({_path_problem(exc)}); "
                "give a file inside the site folder",
                config,
            ) from None
        if not any(real.is_relative_to(folder) for folder in allowed):
            via = f" (a link to {real})" if Path(os.path.normpath(joined.absolute())) != real else ""
            raise ConfigError(
                f"{config}: '{key}': {relative}{via} lies outside the site folder {self.site_folder}; data files "
                "must lie inside it (a shared export of the site may sit beside the quarters), or list its folder "
                "under data.allow_outside in audit.yaml",
                config,
            )
        try:
            shape = "" if not real.exists() or real.is_file() else "folder" if real.is_dir() else "other"
        except OSError:
            shape = ""  # cannot be looked at: the reader says why
        if shape == "folder":
            raise ConfigError(f"{config}: '{key}': {relative} is a folder, not a file; give the file's name", config)
        if shape == "other":
            raise ConfigError(
                f"{config}: '{key}': {relative} is not a regular file (a pipe, socket or device); give an exported "
                "file",
                config,
            )
        return real

    def _allowed_folder(self, folder: str) -> Path:
        written = Path(folder).expanduser()
        return (written if written.is_absolute() else self.folder / written).resolve()

    def parameters(self) -> dict[str, Any]:
        """The configuration as plain data, for manifest.json."""
        return self.model_dump(mode="json")


def parse_period(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar quarter written ``YYYY-Qn``.

    Raises:
        ValueError: the text is not a quarter.

    Example:
        >>> parse_period("2026-Q3")
        (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    """
    match = _PERIOD.match(period.strip())
    if not match:
        raise ValueError(f"period '{period}' is not a calendar quarter such as 2026-Q3")
    year, quarter = int(match[1]), int(match[2])
    start = dt.date(year, 3 * quarter - 2, 1)
    end_next = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return start, end_next - dt.timedelta(days=1)


def _path_problem(exc: BaseException) -> str:
    """Why a path cannot be resolved, in words."""
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
        return "links that lead in a loop"
    if isinstance(exc, ValueError) and "null" in str(exc):
        return "it holds a NUL character"
    return str(getattr(exc, "strerror", None) or exc.__class__.__name__).lower()


def load_config(folder: Path | str) -> AuditConfig:
    """Read and check ``audit.yaml`` in an audit folder.

    The file is bounded before it is parsed (:data:`MAX_CONFIG_BYTES`) and parsed by a loader
    that refuses alias bombs, deep nesting and duplicate keys (see docs/security.md).

    Args:
        folder: the audit folder, or the audit.yaml file itself.

    Returns:
        The checked configuration, with ``folder`` set.

    Raises:
        ConfigError: the file is missing, unreadable, too large, not UTF-8, not YAML, breaks a
            bound, or a key is unknown, given twice or invalid.
    """
    path = Path(folder)
    if path.is_dir() or path.suffix not in {".yaml", ".yml"}:
        path = path / CONFIG_FILE
    if not path.is_file():
        raise ConfigError(
            f"{path}: no audit configuration found; create one with 'csat-audit init {path.parent}'",
            path,
        )
    try:
        with path.open("rb") as file:
            data = file.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ConfigError(f"{path}: cannot be read ({reason.lower()}); check that you may read it", path) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"{path}: the file is larger than {MAX_CONFIG_BYTES // (1024 * 1024)} MB; an audit configuration is a "
            "few kilobytes: is this the right file?",
            path,
        )
    raw, lines = parse_yaml(decode_yaml(data, path), path)
    if raw is None:
        raise ConfigError(
            f"{path}: the file is empty; write the keys 'audit:' and 'data:' (see 'csat-audit init')", path
        )
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected keys such as 'audit:' and 'data:' at the top level", path)
    if "folder" in raw:  # set by this function, never by the file
        raise ConfigError(f"{path}: unknown key 'folder' (line {lines[('folder',)]}) (check its spelling)", path)
    try:
        return AuditConfig.model_validate({**raw, "folder": path.parent.resolve()})
    except ValidationError as exc:
        problems = "; ".join(describe_error(e, lines) for e in exc.errors())
        raise ConfigError(f"{path}: {problems}", path) from None
