"""KPIs and the analyses behind them, as computed by :mod:`audit.kpi`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from audit.model._plain import from_plain, plain_dict, plain_fields
from audit.model.drilldown import RecordSource
from audit.model.themes import Theme, ThemeSet, ThemeSets

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Analyses",
    "Comparison",
    "ControlChart",
    "ControlPoint",
    "Coverage",
    "EarlierKpis",
    "Interval",
    "KindCoverage",
    "Kpi",
    "KpiTable",
    "NpsSplit",
    "ParetoItem",
    "ProductReturns",
    "Quadrant",
    "ResolutionTimes",
    "SegmentCell",
    "TierRow",
]


@dataclass(frozen=True)
class Comparison:
    """The KPI against one earlier period.

    Attributes:
        basis: ``previous_quarter`` or ``same_quarter_last_year``.
        period: the earlier period's label, such as ``2025-Q3``.
        value: the KPI's value then.
        change: value now minus value then.
        p_value: two-sided p-value of the change (test per KPI in docs/metrics.md).
        verdict: ``significant improvement``, ``significant decline``,
            ``no significant change`` or ``not tested``.
    """

    basis: str
    period: str
    value: float | None
    change: float | None
    p_value: float | None
    verdict: str | None

    def to_dict(self) -> dict[str, Any]:
        return plain_fields(self)


@dataclass(frozen=True)
class Kpi:
    """One key performance indicator for the audited period.

    Attributes:
        id: stable id from DESIGN.md, such as ``csat_mean``.
        label: the name a manager reads.
        value: the estimate, or None when it cannot be computed (see ``note``).
        unit: ``score``, ``%``, ``points``, ``days``, ``count``, ``per 1000``, ``ppm``.
        n: observations behind the value.
        higher_is_better: direction used to judge the target.
        ci_low, ci_high: 95% confidence interval where the KPI is a statistic.
        target: the target from audit.yaml, if any.
        previous: the value for the previous period, if known.
        p_value: of the change from ``previous``.
        history: earlier periods' values as (period label, value), oldest first.
        note: why the value is absent, or how to read it.
        source: data kind the KPI comes from.
        comparisons: against the previous quarter and the same quarter last year, where known.
        benchmark: a competitor or industry value from audit.yaml (``benchmarks:``), if any.
        design_effect: for survey KPIs with responses clustered by customer, the design effect
            its interval and test allow for (1: independent responses; None: not clustered).
        clusters: the customers the responses came from (None: not clustered).
    """

    id: str
    label: str
    value: float | None
    unit: str
    n: int
    higher_is_better: bool = True
    ci_low: float | None = None
    ci_high: float | None = None
    target: float | None = None
    previous: float | None = None
    p_value: float | None = None
    history: tuple[tuple[str, float | None], ...] = ()
    note: str = ""
    source: str = ""
    comparisons: tuple[Comparison, ...] = ()
    benchmark: float | None = None
    design_effect: float | None = None
    clusters: int | None = None
    #: the data ``records`` is read from (set on the KPI a :class:`KpiTable` hands out in the kernel)
    source_records: RecordSource | None = field(default=None, compare=False, repr=False)

    @property
    def records(self) -> pd.DataFrame:
        """The rows the KPI is computed over, each with its file and Excel row.

        For the delivery KPIs the orders judged in the period with their verdicts (``due``,
        ``on_time``, ``late_days``, ``in_full_judged``, ``otif``); for the others the audited
        period's records of the KPI's data kind.

        Empty when the KPI was read back from results.json or has no data kind.

        Example:
            >>> kpis["otif_pct"].records.head()   # doctest: +SKIP
        """
        import pandas as pd

        found = self.source_records.kpi_rows(self.id, self.source) if self.source_records and self.source else None
        return found if found is not None else pd.DataFrame()

    @property
    def status(self) -> str:
        """``met``, ``not_met``, ``no_target`` or ``not_available``."""
        if self.value is None:
            return "not_available"
        if self.target is None:
            return "no_target"
        ok = self.value >= self.target if self.higher_is_better else self.value <= self.target
        return "met" if ok else "not_met"

    @property
    def change(self) -> float | None:
        """Value minus the previous period's value."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def verdict(self) -> str | None:
        """The verdict on the change from the previous quarter (see :class:`Comparison`)."""
        return next((c.verdict for c in self.comparisons if c.basis == "previous_quarter"), None)

    def comparison(self, basis: str) -> Comparison | None:
        """The comparison on one basis (``previous_quarter``, ``same_quarter_last_year``), if known."""
        return next((c for c in self.comparisons if c.basis == basis), None)

    @property
    def benchmark_gap(self) -> float | None:
        """Value minus the benchmark (positive = above it; judge with ``higher_is_better``)."""
        if self.value is None or self.benchmark is None:
            return None
        return self.value - self.benchmark

    def to_dict(self) -> dict[str, Any]:
        """The KPI as written to results.json."""
        data = plain_fields(self, leave_out=("source_records",))
        data["history"] = [{"period": p, "value": v} for p, v in self.history]
        data["comparisons"] = [c.to_dict() for c in self.comparisons]
        data.update(status=self.status, change=self.change, verdict=self.verdict, benchmark_gap=self.benchmark_gap)
        return plain_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Kpi:
        """The KPI from :meth:`to_dict` data (derived values such as ``status`` are recomputed)."""
        history = [(str(h["period"]), h.get("value")) for h in data.get("history", ())]
        return from_plain(cls, {**data, "history": history})


@dataclass(frozen=True)
class ParetoItem:
    """One category of a Pareto analysis; ``vital`` for the few that make up the first 80%."""

    label: str
    count: float
    share_pct: float
    cumulative_pct: float
    vital: bool


@dataclass(frozen=True)
class ControlPoint:
    """One subgroup (month or week) of a control chart; ``signal`` is ``above``, ``below`` or ``""``."""

    period: str
    events: int
    n: int
    value: float
    lcl: float
    ucl: float
    signal: str = ""


@dataclass(frozen=True)
class ControlChart:
    """A control chart: subgroup rates with 3-sigma limits that vary with each subgroup's n.

    Attributes:
        title: what is charted.
        unit: unit of ``value``, ``centre`` and the limits (``per 1000``).
        centre: the centre line, the pooled rate of the baseline subgroups.
        basis: which subgroups the centre line comes from, in words.
        points: the subgroups, oldest first.
        kind: ``u`` (events per unit, Poisson limits) or ``p`` (a proportion, binomial limits).
    """

    title: str
    unit: str
    centre: float
    basis: str
    points: tuple[ControlPoint, ...]
    kind: str = "p"

    @property
    def signals(self) -> tuple[ControlPoint, ...]:
        """Points beyond a control limit."""
        return tuple(p for p in self.points if p.signal)


@dataclass(frozen=True)
class SegmentCell:
    """One KPI in one segment (a tier, region, product or channel); ``small_n`` below the configured n."""

    by: str
    segment: str
    kpi_id: str
    value: float | None
    n: int
    ci_low: float | None = None
    ci_high: float | None = None
    small_n: bool = False


@dataclass(frozen=True)
class Quadrant:
    """A survey dimension in importance–performance analysis (Martilla & James 1977)."""

    dimension: str
    importance: float
    performance: float
    quadrant: str


@dataclass(frozen=True)
class TierRow:
    """One ABC tier: customers and their revenue over the four quarters to the audited one's end."""

    tier: str
    customers: int
    revenue: float
    revenue_pct: float


@dataclass(frozen=True)
class ProductReturns:
    """Returns of one product; ``rate_pct`` per 100 orders of the product when orders name products."""

    product: str
    returns: int
    units: float | None
    value: float | None
    orders: int | None
    rate_pct: float | None


@dataclass(frozen=True)
class NpsSplit:
    """Promoters (9–10), passives (7–8) and detractors (0–6) of one period, in % of its ``n`` answers."""

    period: str
    promoters_pct: float
    passives_pct: float
    detractors_pct: float
    n: int


@dataclass(frozen=True)
class Interval:
    """A KPI's value in one period with its 95% confidence interval (None where not known)."""

    period: str
    value: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class ResolutionTimes:
    """How long the period's complaints took to resolve, on the basis of the SLA KPI.

    Attributes:
        sla_days: the resolution SLA.
        days: (whole days to resolve, complaints) for the complaints resolved by the period's end.
        judged: complaints whose outcome is known (resolved, or open past the SLA): the KPI's n.
        within: of them, resolved within the SLA.
        open_past_sla: still open at the period's end and older than the SLA.
        open_within_sla: still open, not yet past the SLA (not judged).
    """

    sla_days: float
    days: tuple[tuple[int, int], ...] = ()
    judged: int = 0
    within: int = 0
    open_past_sla: int = 0
    open_within_sla: int = 0

    @property
    def resolved(self) -> int:
        return sum(n for _, n in self.days)


@dataclass(frozen=True)
class Analyses:
    """The analyses behind the KPIs: Paretos, the complaint u-chart, IPA, segments, tiers.

    Attributes:
        complaint_pareto: complaint categories, largest first.
        return_reasons: return reasons, largest first.
        complaint_chart: the u-chart of complaints per order, by month.
        ipa: each survey dimension's importance–performance quadrant.
        importance_basis: ``stated`` or ``derived`` (correlation with overall satisfaction).
        segments: survey and complaint KPIs per tier, region, product and channel.
        tiers: the ABC tiers of customers by revenue.
        returns_by_product: returns per product, most first.
        nps_split: promoters, passives and detractors per period of the history, oldest first.
        csat_band: the CSAT mean and its 95% interval per period of the history, oldest first.
        resolution: resolution times of the period's complaints, on the SLA KPI's basis.
        notes: why an analysis is absent, by the attribute's name.
    """

    complaint_pareto: tuple[ParetoItem, ...] = ()
    return_reasons: tuple[ParetoItem, ...] = ()
    complaint_chart: ControlChart | None = None
    ipa: tuple[Quadrant, ...] = ()
    importance_basis: str = ""
    segments: tuple[SegmentCell, ...] = ()
    tiers: tuple[TierRow, ...] = ()
    returns_by_product: tuple[ProductReturns, ...] = ()
    nps_split: tuple[NpsSplit, ...] = ()
    csat_band: tuple[Interval, ...] = ()
    resolution: ResolutionTimes | None = None
    notes: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The analyses as plain data, for results.json."""
        return plain_fields(self)

    def __repr__(self) -> str:
        """A line, not every point and cell (a notebook keeps the text beside the table)."""
        points = len(self.complaint_chart.points) if self.complaint_chart else 0
        return f"<Analyses: u-chart of {points} points, {len(self.segments)} segment cells, {len(self.tiers)} tiers>"

    def _repr_html_(self) -> str:
        from audit.report.tables import analyses_html

        return analyses_html(self)


@dataclass(frozen=True)
class KpiTable:
    """All KPIs of an audit, in report order; shows as a table in JupyterLab.

    Attributes:
        kpis: the KPIs, in report order.
        breakdowns: named series behind the charts, each a tuple of (label, value):
            ``complaints_by_category`` (count, largest first), ``dimension_means``
            (mean perception per survey dimension), ``dimension_gaps`` (mean P − E per
            dimension), ``returns_by_reason`` (count, largest first).
        period_labels: the periods covered by ``Kpi.history``, oldest first.
        analyses: Paretos, the complaint u-chart, IPA, segments and tiers.
        coverage: how far each export reaches into the period (None when not computed).
        themes: the themes of the free text by source (``complaint_descriptions``,
            ``complaint_root_causes``, ``survey_comments``; see :mod:`audit.kpi.themes`).
            A check cites a theme that grew significantly through :meth:`growing_themes`.
    """

    kpis: tuple[Kpi, ...]
    breakdowns: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    period_labels: tuple[str, ...] = ()
    analyses: Analyses = field(default_factory=Analyses)
    coverage: Coverage | None = None
    themes: dict[str, ThemeSet] = field(default_factory=dict)
    #: where ``kpis[id].records`` finds its rows (the kernel's data only; not in results.json)
    records: RecordSource | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        themes = ThemeSets(self.themes)
        themes.source = self.records
        object.__setattr__(self, "themes", themes)

    def __iter__(self) -> Iterator[Kpi]:
        return iter(self.kpis)

    def __len__(self) -> int:
        return len(self.kpis)

    def __getitem__(self, kpi_id: str) -> Kpi:
        """The KPI with this id; in the kernel its ``records`` are the period's rows behind it."""
        for kpi in self.kpis:
            if kpi.id == kpi_id:
                return kpi if self.records is None else dataclasses.replace(kpi, source_records=self.records)
        raise KeyError(kpi_id)

    def get(self, kpi_id: str) -> Kpi | None:
        """The KPI with this id, or None."""
        return next((k for k in self.kpis if k.id == kpi_id), None)

    def growing_themes(self, *sources: str) -> tuple[Theme, ...]:
        """Themes of these sources (all when none is named) whose share rose significantly, largest first.

        Example (a complaint-rate check citing what grew):
            >>> [t.label for t in kpis.growing_themes("complaint_descriptions")]   # doctest: +SKIP
            ['packaging, damaged, crate']
        """
        found = [t for name, s in self.themes.items() if not sources or name in sources for t in s.growing]
        return tuple(sorted(found, key=lambda t: (-t.count, t.id)))

    def to_dict(self) -> dict[str, Any]:
        return {k.id: k.to_dict() for k in self.kpis}

    def __repr__(self) -> str:
        """A line, not every KPI's history and estimates (a notebook keeps the text beside the table)."""
        periods = f"{self.period_labels[0]}–{self.period_labels[-1]}" if self.period_labels else "no periods"
        return f"<KpiTable: {len(self.kpis)} KPIs, {periods}, themes of {len(self.themes)} sources>"

    def _repr_html_(self) -> str:
        from audit.report.tables import kpi_table_html

        return kpi_table_html(self)


@dataclass(frozen=True)
class KindCoverage:
    """How far one kind of export reaches into the audited period.

    Attributes:
        kind: surveys, complaints, returns or orders.
        last: the last date in the export up to the period's end (any of its date columns that
            record something that happened: received, acknowledged, resolved, ordered, delivered …).
        rows: its records dated in the period.
        ends_early: the export stops so long before the period's end that, at the period's own
            rate, a gap that long would happen by chance less than once in a hundred periods.
        as_of: the day time-since-event KPIs of this kind are judged at (open complaints past
            their SLA, orders due): the period's end, or the export's last date when it ends early
            or the period has not ended.
    """

    kind: str
    last: dt.date | None
    rows: int
    ends_early: bool
    as_of: dt.date


@dataclass(frozen=True)
class Coverage:
    """Whether the data covers the whole audited period.

    Attributes:
        period_end: the period's last day.
        audit_date: the audit's date.
        unfinished: the period had not ended at the audit date.
        kinds: each supplied kind's reach.
    """

    period_end: dt.date
    audit_date: dt.date
    unfinished: bool = False
    kinds: tuple[KindCoverage, ...] = ()

    @property
    def complete(self) -> bool:
        """The period has ended and no export stops early."""
        return not self.unfinished and not any(k.ends_early for k in self.kinds)

    @property
    def short(self) -> tuple[KindCoverage, ...]:
        """The kinds whose export stops early."""
        return tuple(k for k in self.kinds if k.ends_early)

    def as_of(self, kind: str) -> dt.date:
        """The day time-since-event KPIs of ``kind`` are judged at (the period's end by default)."""
        return next((k.as_of for k in self.kinds if k.kind == kind), self.period_end)


#: KPIs recorded by the site's earlier audits: period label → KPI id → the KPI as results.json holds it
EarlierKpis = dict[str, dict[str, dict[str, Any]]]
