"""Clause checks: each asks an auditor's question of the KPIs and grades the answer.

A check returns draft findings (no id yet); :func:`audit.assessment.assess` numbers
them and raises actions. Grades and their rules are described in docs/assessment.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from audit.data.dataset import AuditData
from audit.results import Grade, Kpi, KpiTable

__all__ = ["Draft", "Check", "CHECKS", "CLAUSES", "fmt"]

#: clause → (ISO 9001:2008 equivalent, what the requirement asks, in our words)
CLAUSES: dict[str, tuple[str, str]] = {
    "9.1.2": (
        "8.2.1",
        "The organization shall monitor customers' perceptions of the degree to which their needs and "
        "expectations have been fulfilled, and determine the methods for obtaining, monitoring and "
        "reviewing this information.",
    ),
    "9.1.3": (
        "8.4",
        "The organization shall analyse and evaluate the data from monitoring and measurement, and use the "
        "results to evaluate customer satisfaction, the conformity of products and services and the "
        "performance of external providers such as carriers.",
    ),
    "8.2.1 c": (
        "7.2.3 c",
        "Communication with customers shall include obtaining customer feedback relating to products and "
        "services, including customer complaints, and the organization shall act on it.",
    ),
    "10.2.1": (
        "8.5.2",
        "When a nonconformity occurs, including any arising from complaints, the organization shall react to it, "
        "evaluate the need for action to eliminate its causes, and implement any action needed.",
    ),
    "10.2.1 d": (
        "8.5.2 f",
        "The organization shall review the effectiveness of any corrective action taken.",
    ),
}

SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class Draft:
    """A finding before it is numbered."""

    check: str
    clause: str
    grade: Grade
    title: str
    evidence: str
    gap: str
    kpi_id: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    evidence_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    """One auditor's question, its clause, and the rule that grades the answer."""

    id: str
    clause: str
    question: str
    run: Callable[[AuditData, KpiTable], list[Draft]]


def fmt(value: float | None, unit: str) -> str:
    """A KPI value as a report writes it: ``4.12``, ``87.5%``, ``+12``, ``3 days``."""
    if value is None:
        return "n/a"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "score":
        return f"{value:.2f}"
    if unit == "points":
        return f"{value:+.1f}" if abs(value) < 10 else f"{value:+.0f}"
    if unit == "days":
        return f"{value:.1f} days"
    if unit in {"count", "per 1000", "ppm"}:
        return f"{value:,.0f}" if unit != "per 1000" else f"{value:.1f}"
    return f"{value:.2f}"


def _clause_for(kpi: Kpi) -> str:
    return "9.1.2" if kpi.source in {"surveys", "complaints"} else "9.1.3"


def _significant_decline(kpi: Kpi) -> bool:
    change = kpi.change
    if change is None or kpi.p_value is None or kpi.p_value >= SIGNIFICANCE:
        return False
    return change < 0 if kpi.higher_is_better else change > 0


def _change_text(kpi: Kpi) -> str:
    if kpi.previous is None:
        return ""
    text = f" It was {fmt(kpi.previous, kpi.unit)} in the previous quarter"
    if kpi.p_value is not None:
        text += f" (change p = {kpi.p_value:.3f}{', significant' if kpi.p_value < SIGNIFICANCE else ', not significant'})"
    return text + "."


def objectives(data: AuditData, kpis: KpiTable) -> list[Draft]:
    """Each KPI with a target: missed → observation; missed two quarters running → minor."""
    drafts = []
    for kpi in kpis:
        if kpi.status != "not_met" or kpi.target is None:
            continue
        before = kpi.previous
        missed_before = before is not None and (before < kpi.target if kpi.higher_is_better else before > kpi.target)
        grade: Grade = "minor" if missed_before else "observation"
        compare = "below" if kpi.higher_is_better else "above"
        ci = f" (95% CI {fmt(kpi.ci_low, kpi.unit)} to {fmt(kpi.ci_high, kpi.unit)})" if kpi.ci_low is not None else ""
        evidence = (
            f"{kpi.label} was {fmt(kpi.value, kpi.unit)}{ci} in {data.config.audit.period_label}, "
            f"n = {kpi.n:,}, against a target of {fmt(kpi.target, kpi.unit)}.{_change_text(kpi)}"
        )
        gap = f"The objective for {kpi.label.lower()} was not achieved: the result is {compare} target"
        gap += " for the second quarter running." if missed_before else "."
        drafts.append(
            Draft(
                check="objective_met",
                clause=_clause_for(kpi),
                grade=grade,
                title=f"{kpi.label} {compare} target: {fmt(kpi.value, kpi.unit)} vs {fmt(kpi.target, kpi.unit)}",
                evidence=evidence,
                gap=gap,
                kpi_id=kpi.id,
                figures={"value": kpi.value, "target": kpi.target, "previous": kpi.previous, "n": kpi.n},
            )
        )
    return drafts


def trends(data: AuditData, kpis: KpiTable) -> list[Draft]:
    """A significant decline of a KPI without a target (those are judged by ``objectives``) → observation."""
    drafts = []
    for kpi in kpis:
        if kpi.target is not None or kpi.unit == "count" or not _significant_decline(kpi):
            continue
        dimension = kpis.get(f"dimension_{kpi.id.removeprefix('gap_')}_mean") if kpi.id.startswith("gap_") else None
        if dimension is not None and _significant_decline(dimension):
            continue  # the same shortfall, already raised on the dimension itself
        drafts.append(
            Draft(
                check="trend_decline",
                clause=_clause_for(kpi),
                grade="observation",
                title=f"{kpi.label} worsened significantly: {fmt(kpi.previous, kpi.unit)} → {fmt(kpi.value, kpi.unit)}",
                evidence=f"{kpi.label} moved from {fmt(kpi.previous, kpi.unit)} to {fmt(kpi.value, kpi.unit)} "
                f"(n = {kpi.n:,}, p = {kpi.p_value:.3f}).",
                gap="A significant deterioration in customer perception is a risk to customer satisfaction "
                "that the monitoring results should trigger action on.",
                kpi_id=kpi.id,
                figures={"value": kpi.value, "previous": kpi.previous, "p_value": kpi.p_value},
            )
        )
    return drafts


def overdue_complaints(data: AuditData, kpis: KpiTable) -> list[Draft]:
    """Complaints open past their SLA at the period's end → minor (2015 8.2.1 c)."""
    kpi = kpis.get("complaints_open_overdue")
    if kpi is None or not kpi.value:
        return []
    ids = tuple(label for label, _ in kpis.breakdowns.get("overdue_complaints", ()))
    oldest = kpis.breakdowns.get("overdue_complaints", (("", 0.0),))[0][1]
    sla = data.config.sla.complaint_resolve_days
    return [
        Draft(
            check="complaints_overdue",
            clause="8.2.1 c",
            grade="minor",
            title=f"{kpi.value:,.0f} complaints open beyond the {sla:g}-day resolution SLA",
            evidence=f"At {data.config.audit.period_end:%d %b %Y}, {kpi.value:,.0f} complaints were still open more "
            f"than {sla:g} days after receipt; the oldest had been open {oldest:,.0f} days. "
            f"Examples: {', '.join(ids[:5])}.",
            gap="Customer complaints are not being acted on within the organisation's own time limit.",
            kpi_id=kpi.id,
            figures={"open_overdue": kpi.value, "sla_days": sla, "oldest_days": oldest},
            evidence_ids=ids,
        )
    ]


def lost_key_accounts(data: AuditData, kpis: KpiTable) -> list[Draft]:
    """Key accounts (tier A by revenue) that stopped ordering → observation (lost-business analysis)."""
    lost = kpis.breakdowns.get("key_accounts_lost", ())
    if not lost:
        return []
    revenue = sum(v for _, v in lost)
    return [
        Draft(
            check="lost_key_accounts",
            clause="9.1.2",
            grade="observation",
            title=f"{len(lost)} key account{'s' if len(lost) > 1 else ''} lost in {data.config.audit.period_label}",
            evidence=f"{', '.join(c for c, _ in lost[:5])} ordered in the four quarters before "
            f"{data.config.audit.period_label} (revenue {revenue:,.0f}) and placed no order in it.",
            gap="Lost business is a source of information on customer perception; no analysis of why "
            "these customers stopped ordering was presented.",
            kpi_id="key_accounts_lost",
            figures={"lost": len(lost), "revenue": revenue},
            evidence_ids=tuple(c for c, _ in lost),
        )
    ]


def monitoring_exists(data: AuditData, kpis: KpiTable) -> list[Draft]:
    """No survey responses in the period → major: perception is not monitored."""
    responses = kpis.get("responses")
    if responses is not None and responses.value:
        return []
    return [
        Draft(
            check="monitoring_exists",
            clause="9.1.2",
            grade="major",
            title="Customer perception was not monitored in the period",
            evidence=f"No survey responses were supplied for {data.config.audit.period_label}"
            + ("." if data.config.data.surveys is None else " (the survey file holds none in the period)."),
            gap="Without a method to obtain customers' views, the organisation relies on the absence of "
            "complaints, which does not show that customers are satisfied.",
        )
    ]


CHECKS: tuple[Check, ...] = (
    Check("monitoring_exists", "9.1.2", "Does the organisation obtain customers' views in the period?", monitoring_exists),
    Check("objective_met", "9.1.2", "Are the customer-satisfaction objectives met?", objectives),
    Check("trend_decline", "9.1.2", "Has any measure of customer perception declined significantly?", trends),
    Check("complaints_overdue", "8.2.1 c", "Are complaints resolved within the organisation's time limit?", overdue_complaints),
    Check("lost_key_accounts", "9.1.2", "Is lost business analysed?", lost_key_accounts),
)

