"""How each subject's finding becomes an action: description, resources, preventive measure, success measure.

Every text is written from the finding's own evidence (the records, counts, categories,
dimensions and accounts involved), so that no two actions of an audit read alike and the
resources and preventive measure fit the problem. One writer per subject family
(:data:`WRITERS`, in :mod:`.complaints`, :mod:`.survey` and :mod:`.operations`); a subject
without one (``objective:<kpi>``) gets the objective writer.

Example:
    >>> plan, role = plan_for(finding, kpis, config)     # doctest: +SKIP
    >>> role                                               # doctest: +SKIP
    'customer_service'
"""

from __future__ import annotations

from collections.abc import Callable

from audit.assessment.plans import complaints, operations, survey
from audit.assessment.plans.base import Context, Plan
from audit.assessment.subjects import family
from audit.config import AuditConfig
from audit.model import Finding, KpiTable

__all__ = ["ROLES", "WRITERS", "Context", "Plan", "plan_for"]

#: subject family → its writer
WRITERS: dict[str, Callable[[Context], Plan]] = {
    "complaint_timeliness": complaints.timeliness,
    "complaint_rate": complaints.rate,
    "dimension": survey.dimension,
    "overall_satisfaction": survey.overall,
    "lost_business": operations.lost,
    "repeat_complaints": complaints.repeats,
    "root_causes": complaints.root_causes,
    "complaint_records": complaints.records,
    "complaint_acknowledgement": complaints.acknowledgement,
    "returns": operations.returns,
    "delivery": operations.delivery,
    "survey_sample": survey.sample,
    "survey_follow_up": survey.follow_up,
    "monitoring": survey.monitoring,
    "monitoring_methods": survey.methods,
    "data_integrity": operations.integrity,
    "earlier_actions_overdue": operations.overdue,
    "earlier_actions_effectiveness": operations.ineffective,
    "systemic": operations.systemic,
    "objective": operations.objective,
}

#: subject family → the role that owns its action; names come from audit.yaml ``owners:``
ROLES = {
    "monitoring": "quality",
    "monitoring_methods": "quality",
    "survey_sample": "customer_service",
    "survey_follow_up": "customer_service",
    "overall_satisfaction": "customer_service",
    "dimension": "quality",
    "lost_business": "sales",
    "complaint_records": "customer_service",
    "complaint_acknowledgement": "customer_service",
    "complaint_timeliness": "customer_service",
    "complaint_rate": "quality",
    "root_causes": "quality",
    "repeat_complaints": "quality",
    "returns": "quality",
    "delivery": "logistics",
    "data_integrity": "quality",
    "earlier_actions_overdue": "quality",
    "earlier_actions_effectiveness": "quality",
    "systemic": "quality",
}


def plan_for(finding: Finding, kpis: KpiTable, config: AuditConfig) -> tuple[Plan, str]:
    """The action a finding calls for, and the role that owns it."""
    head = family(finding.subject)
    context = Context(finding, kpis, config)
    writer = WRITERS.get(head, operations.objective)
    role = ROLES.get(head)
    if role is None:
        kpi = context.kpi
        role = {"orders": "logistics", "returns": "quality"}.get(
            kpi.source if kpi is not None else "", "customer_service"
        )
    return writer(context), role
