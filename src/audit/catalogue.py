"""What each KPI is: its label, unit, direction and source kind (ids are fixed in DESIGN.md).

A spec's ``label`` is the English message id; :func:`label` gives it in the current language
(:mod:`audit.i18n`), the survey dimensions' names included.

Example:
    >>> spec_for("gap_responsiveness").label
    'Responsiveness gap (perception − expectation)'
    >>> label("gap_responsiveness")
    'Responsiveness gap (perception − expectation)'
"""

from __future__ import annotations

from dataclasses import dataclass

from audit.i18n import N_, _

__all__ = [
    "CATALOGUE",
    "DIMENSION_NAMES",
    "TARGETABLE",
    "KpiSpec",
    "dimension_name",
    "kind_word",
    "label",
    "ordered",
    "spec_for",
]


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
    "responses": KpiSpec(N_("Survey responses"), "count", True, "surveys", targetable=False),
    "response_rate_pct": KpiSpec(N_("Survey response rate"), "%", True, "surveys"),
    "csat_mean": KpiSpec(N_("Overall satisfaction (mean)"), "score", True, "surveys"),
    "csat_top2_pct": KpiSpec(N_("Satisfied customers (top-2-box)"), "%", True, "surveys"),
    "dissatisfied_pct": KpiSpec(N_("Dissatisfied customers (bottom-2-box)"), "%", False, "surveys"),
    "nps": KpiSpec(N_("Net Promoter Score"), "points", True, "surveys"),
    "repurchase_intent_mean": KpiSpec(N_("Repurchase intention (mean)"), "score", True, "surveys"),
    "repurchase_intent_pct": KpiSpec(N_("Customers likely to buy again (top-2-box)"), "%", True, "surveys"),
    "csi": KpiSpec(
        N_("Customer satisfaction index (importance-weighted, 0–100)"), "index", True, "surveys", targetable=False
    ),
    "margin_of_error_pct": KpiSpec(
        N_("Survey margin of error (±, 95%, worst case)"), "%", False, "surveys", targetable=False
    ),
    "complaints": KpiSpec(N_("Complaints received"), "count", False, "complaints", targetable=False),
    "complaints_per_1000_orders": KpiSpec(N_("Complaints per 1,000 orders"), "per 1000", False, "complaints"),
    "complaint_ack_days_median": KpiSpec(N_("Days to acknowledge a complaint (median)"), "days", False, "complaints"),
    "complaint_ack_days_p90": KpiSpec(
        N_("Days to acknowledge a complaint (90th percentile)"), "days", False, "complaints", targetable=False
    ),
    "complaints_acknowledged_within_sla_pct": KpiSpec(
        N_("Complaints acknowledged within SLA"), "%", True, "complaints", targetable=False
    ),
    "complaint_resolution_days_median": KpiSpec(
        N_("Days to resolve a complaint (median)"), "days", False, "complaints"
    ),
    "complaint_resolution_days_p90": KpiSpec(
        N_("Days to resolve a complaint (90th percentile)"), "days", False, "complaints"
    ),
    "complaints_resolved_within_sla_pct": KpiSpec(N_("Complaints resolved within SLA"), "%", True, "complaints"),
    "complaints_open_overdue": KpiSpec(N_("Open complaints past their SLA"), "count", False, "complaints"),
    "repeat_complaint_pct": KpiSpec(N_("Repeat complaints (same customer and category)"), "%", False, "complaints"),
    "root_cause_recorded_pct": KpiSpec(N_("Closed complaints with a root cause"), "%", True, "complaints"),
    "silent_dissatisfied_est": KpiSpec(
        N_("Dissatisfied customers who did not complain (estimate)"), "count", False, "complaints", targetable=False
    ),
    "returns": KpiSpec(N_("Returns"), "count", False, "returns", targetable=False),
    "return_rate_pct": KpiSpec(N_("Return rate (returns per 100 orders)"), "%", False, "returns"),
    "returns_ppm": KpiSpec(N_("Returned units per million delivered"), "ppm", False, "returns"),
    "warranty_claims": KpiSpec(N_("Warranty claims"), "count", False, "returns", targetable=False),
    "returns_value": KpiSpec(N_("Value of returns"), "value", False, "returns", targetable=False),
    "orders": KpiSpec(N_("Orders"), "count", True, "orders", targetable=False),
    "orders_cancelled": KpiSpec(N_("Orders cancelled"), "count", False, "orders"),
    "on_time_pct": KpiSpec(N_("Delivered on time"), "%", True, "orders"),
    "in_full_pct": KpiSpec(N_("Delivered in full"), "%", True, "orders"),
    "otif_pct": KpiSpec(N_("On time in full (OTIF)"), "%", True, "orders"),
    "late_days_mean": KpiSpec(N_("Days late, late deliveries (mean)"), "days", False, "orders", targetable=False),
    "active_customers": KpiSpec(N_("Active customers"), "count", True, "orders", targetable=False),
    "lost_customers": KpiSpec(N_("Lost customers"), "count", False, "orders"),
    "key_accounts_lost": KpiSpec(N_("Key accounts lost"), "count", False, "orders"),
    "revenue_at_risk": KpiSpec(
        N_("Revenue of lost customers (previous four quarters)"), "value", False, "orders", targetable=False
    ),
    "repeat_purchase_pct": KpiSpec(N_("Customers ordering more than once"), "%", True, "orders"),
}


def spec_for(kpi_id: str) -> KpiSpec:
    """The spec of a KPI, including the per-dimension ones (``dimension_<name>_mean``, ``gap_<name>``).

    Raises:
        KeyError: no such KPI.
    """
    if kpi_id in CATALOGUE:
        return CATALOGUE[kpi_id]
    if kpi_id.startswith("dimension_") and kpi_id.endswith("_mean"):
        name = kpi_id.removeprefix("dimension_").removesuffix("_mean")
        return KpiSpec(f"{_words(name).capitalize()} (mean perception)", "score", True, "surveys")
    if kpi_id.startswith("gap_"):
        name = kpi_id.removeprefix("gap_")
        return KpiSpec(f"{_words(name).capitalize()} gap (perception − expectation)", "points", True, "surveys")
    raise KeyError(kpi_id)


#: the survey dimensions this tool knows by name (SERVQUAL's five and a manufacturing set),
#: translated in reports; any other dimension is shown as audit.yaml names it
DIMENSION_NAMES: dict[str, str] = {
    "tangibles": N_("Tangibles"),
    "reliability": N_("Reliability"),
    "responsiveness": N_("Responsiveness"),
    "assurance": N_("Assurance"),
    "empathy": N_("Empathy"),
    "quality": N_("Quality"),
    "delivery": N_("Delivery"),
    "service": N_("Service"),
    "cooperation": N_("Cooperation"),
}


def _words(name: str) -> str:
    return str(name).replace("_", " ").strip()


#: a kind of data as a sentence names it (English keeps the kinds' own words)
KIND_WORDS = {
    "surveys": N_("surveys"),
    "complaints": N_("complaints"),
    "returns": N_("returns"),
    "orders": N_("orders"),
    "order_lines": N_("order lines"),
    "customers": N_("customers"),
}


def kind_word(kind: str) -> str:
    """A kind of data inside a sentence, in the current language: ``surveys``, ``调查答卷``.

    Example:
        >>> kind_word("order_lines")
        'order lines'
    """
    known = KIND_WORDS.get(kind)
    return _(known) if known else _words(kind)


def dimension_name(name: str) -> str:
    """A survey dimension as a reader sees it, in the current language: ``Responsiveness``, ``响应性``.

    Example:
        >>> dimension_name("on_site_support")
        'On site support'
    """
    known = DIMENSION_NAMES.get(str(name).strip().lower())
    return _(known) if known else _words(name).capitalize()


def label(kpi_id: str) -> str:
    """The KPI's name in the current language (the per-dimension ones with the dimension's name).

    Raises:
        KeyError: no such KPI.
    """
    if kpi_id.startswith("dimension_") and kpi_id.endswith("_mean"):
        name = kpi_id.removeprefix("dimension_").removesuffix("_mean")
        return _("{dimension} (mean perception)", dimension=dimension_name(name))
    if kpi_id.startswith("gap_"):
        return _("{dimension} gap (perception − expectation)", dimension=dimension_name(kpi_id.removeprefix("gap_")))
    return _(spec_for(kpi_id).label)


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
