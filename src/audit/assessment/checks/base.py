"""What every check shares: the clauses, draft findings, the check record, number formatting.

A check returns draft findings (no id yet), a ``conforming`` one when the requirement is
met; :func:`audit.assessment.assess` numbers them and raises actions. Grades and their
rules are described in docs/assessment.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from audit import format
from audit.data.dataset import AuditData
from audit.model import Grade, Kpi, KpiTable, Register

__all__ = [
    "CLAUSES",
    "GUIDANCE",
    "REGISTRY",
    "SIGNIFICANCE",
    "Check",
    "Draft",
    "Evidence",
    "change_text",
    "check",
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
    """A finding before it is numbered.

    ``check`` and ``clause`` are filled in from the check's registration (see :func:`check`);
    a check sets ``clause`` itself only when it varies (an objective's clause follows its KPI).
    """

    grade: Grade
    title: str
    evidence: str
    gap: str
    kpi_id: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    evidence_ids: tuple[str, ...] = ()
    guidance: str = ""
    check: str = ""
    clause: str = ""


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


def conforming(title: str, evidence: str, figures: dict[str, Any] | None = None) -> Draft:
    """A draft recording that a check found the requirement met (no action is raised)."""
    return Draft("conforming", title, evidence, "None: the requirement is met.", figures=figures or {})


#: every check, in the order registered (module by module); the catalogue is what is here
REGISTRY: list[Check] = []
CheckFn = Callable[[Evidence], list[Draft]]


def check(
    check_id: str, clause: str, *, question: str, evidence: str, rule: str, guidance: str = ""
) -> Callable[[CheckFn], CheckFn]:
    """Register a check: its id, clause, the auditor's question, its evidence and rule, stated once.

    Args:
        check_id: stable id, such as ``sample_adequacy``; the check's findings carry it.
        clause: the ISO 9001:2015 clause its findings cite (a key of :data:`CLAUSES`).
        question: what the auditor asks.
        evidence: what the check computes from the data.
        rule: how the answer is graded, naming the audit.yaml thresholds.
        guidance: a key of :data:`GUIDANCE` when the check rests on guidance (findings at most ofi).

    Example:
        >>> @check("x_recorded", "9.1.3", question="…", evidence="…", rule="…")   # doctest: +SKIP
        ... def x_recorded(ev: Evidence) -> list[Draft]: ...
    """
    if clause not in CLAUSES:
        raise ValueError(f"check {check_id}: unknown clause {clause!r}")

    def register(fn: CheckFn) -> CheckFn:
        if any(c.id == check_id for c in REGISTRY):
            raise ValueError(f"check {check_id} is registered twice")

        @functools.wraps(fn)
        def run(ev: Evidence) -> list[Draft]:
            return [replace(d, check=d.check or check_id, clause=d.clause or clause) for d in fn(ev)]

        REGISTRY.append(Check(check_id, clause, question, evidence, rule, run, guidance))
        return run

    return register


def plural(n: int | float, word: str, many: str | None = None) -> str:
    """``1 complaint``, ``3 complaints``."""
    return f"{n:,.0f} {word if n == 1 else many or word + 's'}"


def fmt(value: float | None, unit: str, kpi_id: str = "") -> str:
    """A KPI value as a finding writes it: :func:`audit.format.value` (``4.12``, ``87.5%``, ``+12``, ``3.0 days``)."""
    return format.value(value, unit, kpi_id=kpi_id)


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
    text = f" It was {fmt(kpi.previous, kpi.unit, kpi.id)} in the previous quarter"
    if kpi.p_value is not None:
        text += f" (change {format.p_text(kpi.p_value)}{', significant' if kpi.p_value < SIGNIFICANCE else ', not significant'})"
    return text + "."
