"""What each KPI is: its label, unit, direction and source kind (ids are fixed in DESIGN.md).

Example:
    >>> spec_for("gap_responsiveness").label
    'Responsiveness gap (perception − expectation)'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATALOGUE", "TARGETABLE", "KpiSpec", "ordered", "spec_for"]


@dataclass(frozen=True)
class KpiSpec:
    """What a KPI is: its label, unit, direction and source kind, and whether audit.yaml may set a target for it."""

    label: str
    unit: str
    higher_is_better: bool
    source: str
    targetable: bool = True


#: every KPI but the per-dimension ones, in report order
CATALOGUE: dict[str, KpiSpec] = {
    "responses": KpiSpec("Survey responses", "count", True, "surveys", targetable=False),
    "response_rate_pct": KpiSpec("Survey response rate", "%", True, "surveys"),
    "csat_mean": KpiSpec("Overall satisfaction (mean)", "score", True, "surveys"),
    "csat_top2_pct": KpiSpec("Satisfied customers (top-2-box)", "%", True, "surveys"),
    "dissatisfied_pct": KpiSpec("Dissatisfied customers (bottom-2-box)", "%", False, "surveys"),
    "nps": KpiSpec("Net Promoter Score", "points", True, "surveys"),
    "repurchase_intent_mean": KpiSpec("Repurchase intention (mean)", "score", True, "surveys"),
    "repurchase_intent_pct": KpiSpec("Customers likely to buy again (top-2-box)", "%", True, "surveys"),
    "csi": KpiSpec(
        "Customer satisfaction index (importance-weighted, 0–100)", "index", True, "surveys", targetable=False
    ),
    "margin_of_error_pct": KpiSpec(
        "Survey margin of error (±, 95%, worst case)", "%", False, "surveys", targetable=False
    ),
    "complaints": KpiSpec("Complaints received", "count", False, "complaints", targetable=False),
    "complaints_per_1000_orders": KpiSpec("Complaints per 1,000 orders", "per 1000", False, "complaints"),
    "complaint_ack_days_median": KpiSpec("Days to acknowledge a complaint (median)", "days", False, "complaints"),
    "complaint_ack_days_p90": KpiSpec(
        "Days to acknowledge a complaint (90th percentile)", "days", False, "complaints", targetable=False
    ),
    "complaints_acknowledged_within_sla_pct": KpiSpec(
        "Complaints acknowledged within SLA", "%", True, "complaints", targetable=False
    ),
    "complaint_resolution_days_median": KpiSpec("Days to resolve a complaint (median)", "days", False, "complaints"),
    "complaint_resolution_days_p90": KpiSpec(
        "Days to resolve a complaint (90th percentile)", "days", False, "complaints"
    ),
    "complaints_resolved_within_sla_pct": KpiSpec("Complaints resolved within SLA", "%", True, "complaints"),
    "complaints_open_overdue": KpiSpec("Open complaints past their SLA", "count", False, "complaints"),
    "repeat_complaint_pct": KpiSpec("Repeat complaints (same customer and category)", "%", False, "complaints"),
    "root_cause_recorded_pct": KpiSpec("Closed complaints with a root cause", "%", True, "complaints"),
    "silent_dissatisfied_est": KpiSpec(
        "Dissatisfied customers who did not complain (estimate)", "count", False, "complaints", targetable=False
    ),
    "returns": KpiSpec("Returns", "count", False, "returns", targetable=False),
    "return_rate_pct": KpiSpec("Return rate (returns per 100 orders)", "%", False, "returns"),
    "returns_ppm": KpiSpec("Returned units per million delivered", "ppm", False, "returns"),
    "warranty_claims": KpiSpec("Warranty claims", "count", False, "returns", targetable=False),
    "returns_value": KpiSpec("Value of returns", "value", False, "returns", targetable=False),
    "orders": KpiSpec("Orders", "count", True, "orders", targetable=False),
    "orders_cancelled": KpiSpec("Orders cancelled", "count", False, "orders"),
    "on_time_pct": KpiSpec("Delivered on time", "%", True, "orders"),
    "in_full_pct": KpiSpec("Delivered in full", "%", True, "orders"),
    "otif_pct": KpiSpec("On time in full (OTIF)", "%", True, "orders"),
    "late_days_mean": KpiSpec("Days late, late deliveries (mean)", "days", False, "orders", targetable=False),
    "active_customers": KpiSpec("Active customers", "count", True, "orders", targetable=False),
    "lost_customers": KpiSpec("Lost customers", "count", False, "orders"),
    "key_accounts_lost": KpiSpec("Key accounts lost", "count", False, "orders"),
    "revenue_at_risk": KpiSpec(
        "Revenue of lost customers (previous four quarters)", "value", False, "orders", targetable=False
    ),
    "repeat_purchase_pct": KpiSpec("Customers ordering more than once", "%", True, "orders"),
}


def spec_for(kpi_id: str) -> KpiSpec:
    """The spec of a KPI, including the per-dimension ones (``dimension_<name>_mean``, ``gap_<name>``).

    Raises:
        KeyError: no such KPI.
    """
    if kpi_id in CATALOGUE:
        return CATALOGUE[kpi_id]
    if kpi_id.startswith("dimension_") and kpi_id.endswith("_mean"):
        name = kpi_id.removeprefix("dimension_").removesuffix("_mean").replace("_", " ")
        return KpiSpec(f"{name.capitalize()} (mean perception)", "score", True, "surveys")
    if kpi_id.startswith("gap_"):
        name = kpi_id.removeprefix("gap_").replace("_", " ")
        return KpiSpec(f"{name.capitalize()} gap (perception − expectation)", "points", True, "surveys")
    raise KeyError(kpi_id)


def ordered(ids: set[str]) -> list[str]:
    """KPI ids in report order: the catalogue's, with dimensions and gaps after the NPS."""
    fixed = [i for i in CATALOGUE if i in ids]
    dims = sorted(i for i in ids if i.startswith("dimension_"))
    gaps = sorted(i for i in ids if i.startswith("gap_"))
    surveys = [i for i in fixed if CATALOGUE[i].source == "surveys"]
    rest = [i for i in fixed if CATALOGUE[i].source != "surveys"]
    return surveys + dims + gaps + rest


#: KPI ids that may carry a target (or a benchmark) in audit.yaml; see docs/metrics.md
TARGETABLE = frozenset(kpi_id for kpi_id, spec in CATALOGUE.items() if spec.targetable)
