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
import re
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from typing_extensions import TypeAliasType

from audit.exceptions import ConfigError

__all__ = [
    "CONFIG_FILE",
    "KPI_TARGET_KEYS",
    "Analysis",
    "AuditConfig",
    "AuditInfo",
    "Checks",
    "LineFile",
    "LineSource",
    "OrderSource",
    "Scale",
    "Source",
    "SurveySource",
    "load_config",
    "parse_period",
]

CONFIG_FILE = "audit.yaml"

#: KPI ids that may carry a target in ``targets:``; see docs/metrics.md.
KPI_TARGET_KEYS = frozenset(
    {
        "response_rate_pct",
        "csat_mean",
        "csat_top2_pct",
        "dissatisfied_pct",
        "nps",
        "complaints_per_1000_orders",
        "complaint_ack_days_median",
        "complaint_resolution_days_median",
        "complaint_resolution_days_p90",
        "complaints_resolved_within_sla_pct",
        "complaints_open_overdue",
        "repeat_complaint_pct",
        "root_cause_recorded_pct",
        "return_rate_pct",
        "returns_ppm",
        "on_time_pct",
        "in_full_pct",
        "otif_pct",
        "lost_customers",
        "key_accounts_lost",
        "repeat_purchase_pct",
        "orders_cancelled",
        "repurchase_intent_mean",
        "repurchase_intent_pct",
    }
)

_PERIOD = re.compile(r"^(\d{4})-Q([1-4])$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    language: Literal["en"] = "en"
    client: str = ""
    lead_auditor: str = ""
    team: list[str] = Field(default_factory=list)
    auditee: str = ""
    distribution: list[str] = Field(default_factory=list)
    confidentiality: str = "Confidential: for the audit client and the distribution list only"
    objectives: list[str] = Field(default_factory=list)
    scope: str = ""

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


class Scale(_Model):
    """A rating scale such as 1–5 or 0–10, with an optional not-applicable code.

    A cell holding ``na`` (such as 0 on a 1–5 scale) means "not applicable": it is left
    blank, never averaged and never reported as off the scale.
    """

    min: int
    max: int
    na: int | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"scale max ({self.max}) must be above min ({self.min})")
        if self.na is not None and self.min <= self.na <= self.max:
            raise ValueError(f"the not-applicable code {self.na} is on the scale {self.min}–{self.max}")
        return self


#: an operator of a row filter (``where:``) and the value it compares with
FilterOp = Literal[
    "equals", "not_equals", "in", "not_in", "starts_with", "not_starts_with", "contains", "not_contains",
    "blank", "not_blank", "gt", "ge", "lt", "le",
]  # fmt: skip
#: a value a filter compares with
Scalar = str | int | float | bool | dt.date
#: the conditions on one column: every one must hold
Condition = dict[FilterOp, Scalar | list[Scalar]]
#: ``where:``: per column (our name or the file's header) its conditions; ``any:`` and
#: ``all:`` hold lists of such blocks, of which one (all) must hold
Where = TypeAliasType("Where", "dict[str, Condition | list[Where]]")

_COMPARISONS = ("gt", "ge", "lt", "le")


def _check_where(where: dict[str, Any], at: str = "where") -> None:
    """Each operator with the value it needs; ``any``/``all`` with a list of blocks."""
    for column, conditions in where.items():
        if column in ("any", "all"):
            if not isinstance(conditions, list) or not conditions:
                raise ValueError(f"{at}.{column} needs a list of conditions, such as [{{Type: {{equals: RMA}}}}]")
            for i, block in enumerate(conditions):
                if not isinstance(block, dict):
                    raise ValueError(
                        f"{at}.{column}[{i}] needs conditions per column, such as {{Type: {{equals: RMA}}}}"
                    )
                _check_where(block, f"{at}.{column}[{i}]")
            continue
        if not isinstance(conditions, dict):
            raise ValueError(f"{at}.{column} needs conditions, such as {{equals: X}}; any/all hold lists")
        for op, value in conditions.items():
            if op not in get_args(FilterOp):
                raise ValueError(f"{at}.{column}: unknown operator '{op}'; use one of {', '.join(get_args(FilterOp))}")
            if op in ("in", "not_in") and not isinstance(value, list):
                raise ValueError(f"{at}.{column}.{op} needs a list, such as [A, B]")
            if op not in ("in", "not_in") and isinstance(value, list):
                raise ValueError(f"{at}.{column}.{op} needs one value, not a list")
            if op in ("blank", "not_blank") and value is not True:
                raise ValueError(f"write {at}.{column}.{op}: true")
            if op in _COMPARISONS and (isinstance(value, bool) or not isinstance(value, (int, float, dt.date))):
                raise ValueError(f"{at}.{column}.{op} compares with a number or a date, not {value!r}")


class Source(_Model):
    """Where one kind of data comes from and how its headers map to ours.

    ``columns`` maps our column name to the header in the file; a column that is not
    mapped is looked up under its own name (case and surrounding spaces ignored).
    """

    path: str
    sheet: str | int | None = None
    header_row: int | None = Field(
        None, ge=1, description="row of the header as numbered in Excel; found automatically when None"
    )
    columns: dict[str, str | int | None] = Field(
        default_factory=dict,
        description="our column → the file's header (a survey question also by its number); null: not in the file",
    )
    values: dict[str, dict[str, str | int | float | bool]] = Field(
        default_factory=dict, description="per column: the file's value → ours (case and spaces ignored)"
    )
    where: Where = Field(default_factory=dict, description="keep only the rows that pass every condition")
    defaults: dict[str, str | int | float | bool | dt.date] = Field(
        default_factory=dict, description="per column the file lacks: the value every row gets"
    )
    dayfirst: bool | None = Field(None, description="None: inferred from the column's values")
    encoding: str | None = Field(None, description="CSV encoding; None: detected (UTF-8, GB18030, Windows-1252)")
    na_values: list[str] | None = Field(
        None, description="cell texts that mean 'no value' (replaces the built-in list; [] for none)"
    )
    decimal: Literal[".", ","] | None = Field(None, description="decimal separator of numbers; None: per column")
    sign: Literal["positive", "negative"] = Field(
        "positive", description="negative: quantities and values are written negative (credit notes)"
    )

    @field_validator("where", mode="before")
    @classmethod
    def _filter_values(cls, where: Any) -> Any:
        if isinstance(where, dict):
            _check_where(where)
        return where


class LineFile(Source):
    """Order lines kept apart from the order headers: one row per line, joined to the orders on order_id.

    The lines' quantities and values are summed per order (as with ``grain: line``) and
    fill the order columns the header file does not have.
    """


class LineSource(Source):
    """Orders or returns; ``grain: line`` when the file has one row per order line."""

    grain: Literal["order", "line"] = "order"


class OrderSource(LineSource):
    """Orders: which orders delivery is judged over, and order lines kept in a file of their own."""

    basis: Literal["due", "ordered"] = Field(
        "due", description="judge delivery over the orders due in the period, or those placed in it"
    )
    lines: LineFile | None = Field(None, description="order lines in a second file, joined on order_id")


class SurveySource(Source):
    """Survey responses: scales, dimensions and the number of questionnaires sent."""

    scale: Scale = Scale(min=1, max=5)
    recommend_scale: Scale = Scale(min=0, max=10)
    scales: dict[str, Scale] = Field(
        default_factory=dict, description="per column (overall or a dimension name): its own scale"
    )
    dimensions: dict[str, str | int] = Field(
        default_factory=dict, description="dimension name → its header (a survey question also by its number)"
    )
    expectations: dict[str, str | int] = Field(default_factory=dict)
    importance: dict[str, str | int] = Field(default_factory=dict)
    sent: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _known_dimensions(self) -> SurveySource:
        for block in ("expectations", "importance"):
            extra = set(getattr(self, block)) - set(self.dimensions)
            if extra:
                raise ValueError(f"{block} names {sorted(extra)}, which are not under 'dimensions'")
        unknown = set(self.scales) - set(self.dimensions) - {"overall", "recommend", "repurchase"}
        if unknown:
            raise ValueError(
                f"scales names {sorted(unknown)}; use overall, recommend, repurchase or a name under 'dimensions'"
            )
        return self

    def scale_of(self, column: str) -> Scale:
        """The declared scale of a score column, by our internal name.

        ``overall``, ``recommend``, and ``dim_<name>`` / ``exp_<name>`` / ``imp_<name>`` for
        a dimension's perception, expectation and importance.

        Example:
            >>> SurveySource(path="s.csv", scales={"overall": {"min": 1, "max": 7}}).scale_of("overall").max
            7
        """
        name = column.split("_", 1)[1] if column.startswith(("dim_", "exp_", "imp_")) else column
        if name in self.scales:
            return self.scales[name]
        return self.recommend_scale if column == "recommend" else self.scale


class DataSources(_Model):
    """The ``data:`` block: one entry per kind of input."""

    surveys: SurveySource | None = None
    complaints: Source | None = None
    returns: LineSource | None = None
    orders: OrderSource | None = None
    customers: Source | None = Field(None, description="one row per customer id: tier, region, segment")


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
        None, gt=0, description="customers who could have answered the survey, for the finite-population correction"
    )
    small_n: int = Field(30, ge=1, description="segment cells with fewer observations are marked")
    repeat_window_days: int = Field(
        90, gt=0, description="a complaint within this many days of an earlier one is a repeat"
    )


class DueDays(_Model):
    """Days from the audit date to an action's due date, by grade."""

    major: int = 30
    minor: int = 60
    observation: int = 90
    ofi: int = 90


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
        10.0, ge=0, le=100, description="repeat complaints above this → observation (10.2)"
    )
    return_reason_min_pct: float = Field(90.0, ge=0, le=100, description="returns with a reason below this → ofi")
    otif_min_pct: float = Field(
        90.0, ge=0, le=100, description="on time in full below this (when no otif_pct target is set) → observation"
    )
    quarantined_max_pct: float = Field(
        2.0, ge=0, le=100, description="rows of a kind set aside as invalid above this share → observation"
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
    benchmarks: dict[str, float] = Field(
        default_factory=dict, description="competitor or industry value per KPI id, for the gap to benchmark"
    )
    folder: Path = Field(default_factory=Path.cwd, exclude=True)

    @field_validator("targets", "benchmarks")
    @classmethod
    def _known_targets(cls, targets: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(targets) - KPI_TARGET_KEYS)
        if unknown:
            raise ValueError(f"unknown KPI {unknown}; targets can be set for: {', '.join(sorted(KPI_TARGET_KEYS))}")
        return targets

    def resolve(self, relative: str) -> Path:
        """A path from audit.yaml, resolved against the audit folder."""
        path = Path(relative).expanduser()
        return path if path.is_absolute() else self.folder / path

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


def _describe(error: Any) -> str:
    location = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"unknown key '{location}' (check its spelling)"
    if error["type"] == "missing":
        return f"missing key '{location}'"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"'{location}': {message}" if location else message


def load_config(folder: Path | str) -> AuditConfig:
    """Read and check ``audit.yaml`` in an audit folder.

    Args:
        folder: the audit folder, or the audit.yaml file itself.

    Returns:
        The checked configuration, with ``folder`` set.

    Raises:
        ConfigError: the file is missing, is not YAML, or a key is unknown or invalid.
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
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}" if where is not None else ""
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        raise ConfigError(
            f"{path}{line}: not valid YAML ({problem}); fix the file (put text holding : ? # {{ }} [ ] in quotes)",
            path,
        ) from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected keys such as 'audit:' and 'data:' at the top level", path)
    try:
        return AuditConfig.model_validate({**raw, "folder": path.parent.resolve()})
    except ValidationError as exc:
        problems = "; ".join(_describe(e) for e in exc.errors())
        raise ConfigError(f"{path}: {problems}", path) from None
