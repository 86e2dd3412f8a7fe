"""What a finding is about: its subject, named once, so that one problem makes one finding.

Every check result names a subject (complaint handling timeliness, the complaint rate, a
survey dimension, lost business …). Results about the same subject are consolidated into
one finding per audit (:mod:`audit.assessment.consolidate`), and the improvement action is
keyed by the subject across re-runs, revisions and quarters (:mod:`audit.assessment.identity`).
A KPI belongs to one subject (:func:`subject_of_kpi`); a subject with a parameter is written
``family:parameter`` (``dimension:responsiveness``, ``objective:nps``, ``systemic:8.2.1 c``).

Example:
    >>> subject_of_kpi("complaints_open_overdue"), subject_of_kpi("gap_reliability")
    ('complaint_timeliness', 'dimension:reliability')
"""

from __future__ import annotations

import contextlib

from audit.catalogue import CATALOGUE, dimension_name, spec_for
from audit.i18n import N_, _

__all__ = ["SUBJECTS", "family", "subject_label", "subject_of_kpi"]

#: subject (or family, before the colon) → its name in a report; translated when shown
SUBJECTS: dict[str, str] = {
    "monitoring": N_("Monitoring of customer perception"),
    "monitoring_methods": N_("Methods of monitoring customer perception"),
    "survey_sample": N_("Survey sample"),
    "survey_follow_up": N_("Follow-up of dissatisfied respondents"),
    "overall_satisfaction": N_("Overall customer satisfaction"),
    "dimension": N_("Survey dimension: {name}"),
    "complaint_records": N_("Complaint records"),
    "complaint_acknowledgement": N_("Complaint acknowledgement"),
    "complaint_timeliness": N_("Complaint handling timeliness"),
    "complaint_rate": N_("Complaint rate"),
    "root_causes": N_("Root causes of complaints"),
    "repeat_complaints": N_("Repeat complaints"),
    "returns": N_("Returns and warranty claims"),
    "delivery": N_("Delivery performance"),
    "lost_business": N_("Lost business"),
    "data_integrity": N_("Reliability of the monitoring data"),
    "earlier_actions_overdue": N_("Timeliness of earlier actions"),
    "earlier_actions_effectiveness": N_("Effectiveness of earlier actions"),
    "systemic": N_("The process behind clause {name}"),
    "objective": N_("Objective: {name}"),
    "objectives": N_("KPI objectives"),
    "trends": N_("Trends of customer perception"),
    "dimensions": N_("Survey dimensions"),
}

#: KPIs that belong to a subject other than their data kind's (see :func:`subject_of_kpi`)
_BY_KPI = {
    "responses": "survey_sample",
    "response_rate_pct": "survey_sample",
    "margin_of_error_pct": "survey_sample",
    "complaints": "complaint_rate",
    "complaints_per_1000_orders": "complaint_rate",
    "complaint_ack_days_median": "complaint_acknowledgement",
    "complaint_ack_days_p90": "complaint_acknowledgement",
    "complaints_acknowledged_within_sla_pct": "complaint_acknowledgement",
    "complaint_resolution_days_median": "complaint_timeliness",
    "complaint_resolution_days_p90": "complaint_timeliness",
    "complaints_resolved_within_sla_pct": "complaint_timeliness",
    "complaints_open_overdue": "complaint_timeliness",
    "repeat_complaint_pct": "repeat_complaints",
    "root_cause_recorded_pct": "root_causes",
    "silent_dissatisfied_est": "overall_satisfaction",
}
#: the subject of the other KPIs, by their data kind
_BY_SOURCE = {"returns": "returns", "surveys": "overall_satisfaction"}
_CUSTOMERS = {"active_customers", "lost_customers", "key_accounts_lost", "revenue_at_risk", "repeat_purchase_pct"}


def subject_of_kpi(kpi_id: str) -> str:
    """The subject a KPI's findings are about."""
    if kpi_id in _BY_KPI:
        return _BY_KPI[kpi_id]
    if kpi_id.startswith("dimension_") and kpi_id.endswith("_mean"):
        return f"dimension:{kpi_id.removeprefix('dimension_').removesuffix('_mean')}"
    if kpi_id.startswith("gap_"):
        return f"dimension:{kpi_id.removeprefix('gap_')}"
    if kpi_id in _CUSTOMERS:
        return "lost_business"
    source = CATALOGUE[kpi_id].source if kpi_id in CATALOGUE else ""
    if source == "orders":
        return "delivery"
    return _BY_SOURCE.get(source, f"objective:{kpi_id}")


def family(subject: str) -> str:
    """``dimension`` for ``dimension:responsiveness``; the subject itself when it has no parameter."""
    return subject.split(":", 1)[0]


def subject_label(subject: str) -> str:
    """The subject's name in the current language (``Survey dimension: Responsiveness``)."""
    head, _sep, name = subject.partition(":")
    template = SUBJECTS.get(head)
    if template is None:
        return subject
    if head == "dimension":
        name = dimension_name(name)
    elif head == "objective":
        with contextlib.suppress(KeyError):
            name = _(spec_for(name).label)
    return _(template, name=name) if name else _(template)
