"""Key performance indicators: every KPI of the audited period, with its history.

Example:
    >>> data = audit.load_audit("audits/demo/2026-Q3")     # doctest: +SKIP
    >>> kpis = compute_kpis(data)                            # doctest: +SKIP
    >>> kpis["nps"].value, kpis["nps"].status                # doctest: +SKIP
    (31.4, 'met')
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from audit.config import AuditConfig, parse_period
from audit.data.contract import DATE_COLUMN
from audit.data.dataset import AuditData
from audit.kpi.measures import (
    complaint_estimates,
    customer_estimates,
    order_estimates,
    overdue_complaints,
    return_estimates,
    survey_estimates,
)
from audit.kpi.stats import Estimate, change_p_value
from audit.results import Kpi, KpiTable

__all__ = ["compute_kpis", "KpiSpec", "CATALOGUE", "spec_for"]


@dataclass(frozen=True)
class KpiSpec:
    """What a KPI is: its label, unit, direction and source kind."""

    label: str
    unit: str
    higher_is_better: bool
    source: str


CATALOGUE: dict[str, KpiSpec] = {
    "responses": KpiSpec("Survey responses", "count", True, "surveys"),
    "response_rate_pct": KpiSpec("Survey response rate", "%", True, "surveys"),
    "csat_mean": KpiSpec("Overall satisfaction (mean)", "score", True, "surveys"),
    "csat_top2_pct": KpiSpec("Satisfied customers (top-2-box)", "%", True, "surveys"),
    "dissatisfied_pct": KpiSpec("Dissatisfied customers (bottom-2-box)", "%", False, "surveys"),
    "nps": KpiSpec("Net Promoter Score", "points", True, "surveys"),
    "complaints": KpiSpec("Complaints received", "count", False, "complaints"),
    "complaints_per_1000_orders": KpiSpec("Complaints per 1,000 orders", "per 1000", False, "complaints"),
    "complaint_ack_days_median": KpiSpec("Days to acknowledge a complaint (median)", "days", False, "complaints"),
    "complaint_resolution_days_median": KpiSpec("Days to resolve a complaint (median)", "days", False, "complaints"),
    "complaint_resolution_days_p90": KpiSpec("Days to resolve a complaint (90th percentile)", "days", False, "complaints"),
    "complaints_resolved_within_sla_pct": KpiSpec("Complaints resolved within SLA", "%", True, "complaints"),
    "complaints_open_overdue": KpiSpec("Open complaints past their SLA", "count", False, "complaints"),
    "root_cause_recorded_pct": KpiSpec("Closed complaints with a root cause", "%", True, "complaints"),
    "returns": KpiSpec("Returns", "count", False, "returns"),
    "return_rate_pct": KpiSpec("Return rate (returns per 100 orders)", "%", False, "returns"),
    "returns_ppm": KpiSpec("Returned units per million delivered", "ppm", False, "returns"),
    "warranty_claims": KpiSpec("Warranty claims", "count", False, "returns"),
    "orders": KpiSpec("Orders", "count", True, "orders"),
    "on_time_pct": KpiSpec("Delivered on time", "%", True, "orders"),
    "in_full_pct": KpiSpec("Delivered in full", "%", True, "orders"),
    "otif_pct": KpiSpec("On time in full (OTIF)", "%", True, "orders"),
    "active_customers": KpiSpec("Active customers", "count", True, "orders"),
    "lost_customers": KpiSpec("Lost customers", "count", False, "orders"),
    "key_accounts_lost": KpiSpec("Key accounts lost", "count", False, "orders"),
}


def spec_for(kpi_id: str) -> KpiSpec:
    """The spec of a KPI, including the per-dimension ones (``dimension_<name>_mean``, ``gap_<name>``)."""
    if kpi_id in CATALOGUE:
        return CATALOGUE[kpi_id]
    if kpi_id.startswith("dimension_") and kpi_id.endswith("_mean"):
        name = kpi_id.removeprefix("dimension_").removesuffix("_mean").replace("_", " ")
        return KpiSpec(f"{name.capitalize()} (mean perception)", "score", True, "surveys")
    if kpi_id.startswith("gap_"):
        name = kpi_id.removeprefix("gap_").replace("_", " ")
        return KpiSpec(f"{name.capitalize()} gap (perception − expectation)", "points", True, "surveys")
    raise KeyError(kpi_id)


def _period_estimates(
    config: AuditConfig,
    frames: dict[str, pd.DataFrame],
    history: dict[str, pd.DataFrame],
    period_end: pd.Timestamp,
    current: bool,
) -> dict[str, Estimate]:
    """Every estimate for one period; the number of surveys sent is known for the audited one only."""
    out: dict[str, Estimate] = {}
    orders = frames.get("orders")
    surveys = config.data.surveys
    if surveys is not None and "surveys" in frames:
        out |= survey_estimates(frames["surveys"], surveys if current else surveys.model_copy(update={"sent": None}))
    if "complaints" in frames:
        out |= complaint_estimates(
            frames["complaints"], history["complaints"], config.sla, period_end, len(orders) if orders is not None else None
        )
    if "returns" in frames:
        out |= return_estimates(frames["returns"], orders)
    if orders is not None:
        out |= order_estimates(orders, period_end)
    return out


def _ordered(ids: set[str]) -> list[str]:
    fixed = [i for i in CATALOGUE if i in ids]
    dims = sorted(i for i in ids if i.startswith("dimension_"))
    gaps = sorted(i for i in ids if i.startswith("gap_"))
    survey_end = fixed.index("nps") + 1 if "nps" in fixed else len([i for i in fixed if CATALOGUE[i].source == "surveys"])
    return fixed[:survey_end] + dims + gaps + fixed[survey_end:]


def _pairs(series: pd.Series) -> tuple[tuple[str, float], ...]:
    return tuple((str(k), float(v)) for k, v in series.items())


def _breakdowns(data: AuditData, period_end: pd.Timestamp) -> dict[str, tuple[tuple[str, float], ...]]:
    """Series behind the charts and the evidence lists of findings."""
    out: dict[str, tuple[tuple[str, float], ...]] = {}
    complaints = data.frames.get("complaints")
    if complaints is not None:
        out["complaints_by_category"] = _pairs(complaints["category"].value_counts())
        if "resolved_on" in complaints:
            overdue = overdue_complaints(data.history["complaints"], data.config.sla, period_end)
            age = (period_end - overdue["received_on"]).dt.days
            out["overdue_complaints"] = _pairs(age.set_axis(overdue["complaint_id"]).sort_values(ascending=False))
    surveys, source = data.frames.get("surveys"), data.config.data.surveys
    if surveys is not None and source is not None and source.dimensions:
        out["dimension_means"] = tuple((n, float(surveys[f"dim_{n}"].astype("float64").mean())) for n in source.dimensions)
        out["dimension_gaps"] = tuple(
            (n, float((surveys[f"dim_{n}"].astype("float64") - surveys[f"exp_{n}"].astype("float64")).mean()))
            for n in source.dimensions
            if n in source.expectations
        )
    returns = data.frames.get("returns")
    if returns is not None and "reason" in returns:
        out["returns_by_reason"] = _pairs(returns["reason"].value_counts())
    return out


def compute_kpis(data: AuditData) -> KpiTable:
    """Compute every KPI for the audited period, with targets, history and change.

    The audited period and up to seven quarters before it are computed alike from the
    history in the data; ``previous`` and ``p_value`` compare with the quarter before.

    Args:
        data: the loaded audit data.

    Returns:
        The KPI table; a KPI whose inputs are absent is not in it.
    """
    config = data.config
    periods = data.periods
    groups = {kind: dict(tuple(frame.groupby("_period", sort=False))) for kind, frame in data.history.items()}
    estimates: dict[str, dict[str, Estimate]] = {}
    first = {kind: h[DATE_COLUMN[kind]].min() for kind, h in data.history.items()}
    for label in periods:
        end = pd.Timestamp(parse_period(label)[1]) if len(periods) > 1 else pd.Timestamp(config.audit.period_end)
        # a file that starts after this period does not cover it: its KPIs are unknown, not zero
        covered = [kind for kind in groups if label == periods[-1] or first[kind] <= end]
        frames = {kind: groups[kind].get(label, data.history[kind].iloc[0:0]) for kind in covered}
        estimates[label] = _period_estimates(config, frames, data.history, end, current=label == periods[-1])
    current = estimates[periods[-1]]
    previous = estimates[periods[-2]] if len(periods) > 1 else {}
    period_end = pd.Timestamp(config.audit.period_end)
    if "orders" in data.history:
        customers, lost = customer_estimates(data.history["orders"], periods)
        current |= customers
    else:
        lost = None
    kpis = []
    for kpi_id in _ordered(set(current)):
        spec, now = spec_for(kpi_id), current[kpi_id]
        before = previous.get(kpi_id)
        has_history = before is not None and before.n > 0
        kpis.append(
            Kpi(
                id=kpi_id,
                label=spec.label,
                value=now.value,
                unit=spec.unit,
                n=now.n,
                higher_is_better=spec.higher_is_better,
                ci_low=now.ci_low,
                ci_high=now.ci_high,
                target=config.targets.get(kpi_id),
                previous=before.value if has_history and before is not None else None,
                p_value=change_p_value(now, before) if has_history and before is not None else None,
                history=tuple((p, estimates[p][kpi_id].value if kpi_id in estimates[p] else None) for p in periods),
                note="" if now.value is not None else "no data in the period",
                source=spec.source,
            )
        )
    breakdowns = _breakdowns(data, period_end)
    if lost is not None and len(lost):
        out = lost.loc[lost["tier"] == "A"]
        breakdowns["key_accounts_lost"] = _pairs(out.set_index("customer_id")["revenue"])
    return KpiTable(tuple(kpis), breakdowns, periods)

