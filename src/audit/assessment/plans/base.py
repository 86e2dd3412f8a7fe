"""What every action writer shares: the plan, the context it writes from, the success-measure helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from audit import format
from audit.assessment.checks.base import fmt, ids_text
from audit.config import AuditConfig
from audit.i18n import _
from audit.model import Finding, Kpi, KpiTable

__all__ = ["ActionType", "Context", "Plan", "Success", "kpi_success", "measure"]

ActionType = Literal["correction", "corrective", "improvement"]
#: success measure: (text, KPI id, target); KPI id "" when it is checked against records
Success = tuple[str, str, "float | None"]


@dataclass(frozen=True)
class Plan:
    """What an action says, before it gets its id, owner and due date."""

    description: str
    resources: str
    preventive: str
    success: Success
    kind: ActionType = "improvement"


@dataclass(frozen=True)
class Context:
    """What a writer may draw on: the finding, its KPIs, the configuration."""

    finding: Finding
    kpis: KpiTable
    config: AuditConfig

    @property
    def period(self) -> str:
        return self.config.audit.period_label

    @property
    def kpi(self) -> Kpi | None:
        return self.kpis.get(self.finding.kpi_id) if self.finding.kpi_id else None

    @property
    def ids(self) -> str:
        return ids_text(self.finding.evidence_ids)

    @property
    def count(self) -> int:
        return len(self.finding.evidence_ids)

    def fig(self, name: str, default: Any = None) -> Any:
        return self.finding.figures.get(name, default)

    def value(self, kpi: Kpi | None = None) -> str:
        kpi = kpi or self.kpi
        return fmt(kpi.value, kpi.unit, kpi.id) if kpi is not None else format.NA

    def target(self, kpi: Kpi | None = None) -> str:
        kpi = kpi or self.kpi
        return fmt(kpi.target, kpi.unit, kpi.id) if kpi is not None and kpi.target is not None else format.NA


def measure(kpi_id: str, label: str, target: float, unit: str = "%", higher: bool = True) -> Success:
    text = _(
        "{label} {sign} {target} at the next audit",
        label=label,
        sign="≥" if higher else "≤",
        target=fmt(target, unit, kpi_id),
    )
    return text, kpi_id, target


def kpi_success(c: Context) -> Success:
    kpi = c.kpi
    if kpi is not None and kpi.target is not None:
        return measure(kpi.id, _(kpi.label), kpi.target, kpi.unit, kpi.higher_is_better)
    if kpi is not None and kpi.previous is not None:
        text = _(
            "{label} back to at least {before} with no significant decline at the next audit",
            label=_(kpi.label),
            before=fmt(kpi.previous, kpi.unit, kpi.id),
        )
        return text, kpi.id, kpi.previous
    return _("The finding on {subject} not raised again at the next audit", subject=c.finding.subject_label), "", None
