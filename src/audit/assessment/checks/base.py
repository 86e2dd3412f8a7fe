"""What every check shares: the clauses, draft findings, the check record, number formatting.

A check returns draft findings (no id yet), a ``conforming`` one when the requirement is
met; :func:`audit.assessment.assess` numbers them and raises actions. Grades and their
rules are described in docs/assessment.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from audit.data.dataset import AuditData
from audit.model import Grade, Kpi, KpiTable, Register

__all__ = [
    "CLAUSES",
    "GUIDANCE",
    "SIGNIFICANCE",
    "Check",
    "Draft",
    "Evidence",
    "change_text",
    "clause_for",
    "conforming",
    "fmt",
    "plural",
    "significant_decline",
]

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
    "10.2.1 b": (
        "8.5.2 b",
        "When a nonconformity occurs, including any arising from complaints, the organization shall evaluate "
        "the need for action to eliminate its causes by determining the causes of the nonconformity.",
    ),
    "10.2.1 d": (
        "8.5.2 f",
        "The organization shall review the effectiveness of any corrective action taken.",
    ),
}

#: guidance documents a check may rest on: a shortfall against them is at most an ofi
GUIDANCE: dict[str, str] = {
    "ISO 10004": "ISO 10004:2018 (guidance on monitoring and measuring customer satisfaction)",
    "ISO 10002": "ISO 10002:2018 (guidance on complaints handling)",
}

SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class Evidence:
    """What a check may look at: the audit's data, its KPIs, and the site's action register as found.

    Attributes:
        data: the loaded audit data (its ``config`` is audit.yaml).
        kpis: the KPIs of the period.
        register: the action register before this audit, None for a site's first audit.
    """

    data: AuditData
    kpis: KpiTable
    register: Register | None = None


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
    guidance: str = ""


@dataclass(frozen=True)
class Check:
    """One auditor's question, its clause, the evidence it computes, and the rule that grades the answer.

    Attributes:
        id: stable id, such as ``sample_adequacy``.
        clause: ISO 9001:2015 clause (a key of :data:`CLAUSES`; the 2008 number comes from there).
        question: what the auditor asks.
        evidence: what the check computes from the data.
        rule: how the answer is graded, naming the audit.yaml thresholds.
        run: the check itself.
        guidance: a key of :data:`GUIDANCE` when the check rests on guidance: its findings
            are at most ``ofi``.
    """

    id: str
    clause: str
    question: str
    evidence: str
    rule: str
    run: Callable[[Evidence], list[Draft]]
    guidance: str = ""


def conforming(check: str, clause: str, title: str, evidence: str, figures: dict[str, Any] | None = None) -> Draft:
    """A draft recording that a check found the requirement met (no action is raised)."""
    return Draft(check, clause, "conforming", title, evidence, "None: the requirement is met.", figures=figures or {})


def plural(n: int | float, word: str, many: str | None = None) -> str:
    """``1 complaint``, ``3 complaints``."""
    return f"{n:,.0f} {word if n == 1 else many or word + 's'}"


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


def clause_for(kpi: Kpi) -> str:
    """9.1.2 for survey and complaint KPIs, 9.1.3 (analysis) for returns and delivery."""
    return "9.1.2" if kpi.source in {"surveys", "complaints"} else "9.1.3"


def significant_decline(kpi: Kpi) -> bool:
    """The KPI moved the wrong way since the previous quarter with p < 0.05."""
    change = kpi.change
    if change is None or kpi.p_value is None or kpi.p_value >= SIGNIFICANCE:
        return False
    return change < 0 if kpi.higher_is_better else change > 0


def change_text(kpi: Kpi) -> str:
    """`` It was … in the previous quarter (change p = …).`` or nothing."""
    if kpi.previous is None:
        return ""
    text = f" It was {fmt(kpi.previous, kpi.unit)} in the previous quarter"
    if kpi.p_value is not None:
        text += (
            f" (change p = {kpi.p_value:.3f}{', significant' if kpi.p_value < SIGNIFICANCE else ', not significant'})"
        )
    return text + "."
