"""Improvement actions raised from findings, tailored with the finding's evidence."""

from __future__ import annotations

import datetime as dt

from audit.assessment.checks import fmt
from audit.assessment.register import Entry
from audit.config import AuditConfig
from audit.results import Action, Assessment, Finding, KpiTable

__all__ = ["action_for", "register_entries", "OWNER_ROLES"]

#: data kind (or check) → the role that owns the action; names come from audit.yaml ``owners:``
OWNER_ROLES = {
    "surveys": "customer_service",
    "complaints": "customer_service",
    "complaints_overdue": "customer_service",
    "returns": "quality",
    "orders": "logistics",
    "lost_key_accounts": "sales",
    "monitoring_exists": "quality",
    "actions_overdue": "quality",
    "actions_not_effective": "quality",
}

_DESCRIPTIONS = {
    "surveys": "Analyse the {n:,} survey responses of {period} by dimension, product and channel to find what "
    "drove {label} to {value}; agree measures with the process owners and review them monthly.",
    "complaints": "Review complaint handling for {period} ({label} {value}): clear the backlog, find where "
    "cases wait, and set weekly follow-up of open complaints against the SLA.",
    "returns": "Analyse the returns of {period} by reason and product ({label} {value}); raise corrective "
    "actions on the top reasons with the responsible processes.",
    "orders": "Analyse late and short deliveries of {period} ({label} {value}) by cause, carrier and product; "
    "agree corrective measures with planning and logistics.",
    "complaints_overdue": "Close or escalate the {count} complaints open beyond the SLA (starting with {ids}); "
    "then find why they stalled and add an ageing review to the weekly complaint meeting.",
    "lost_key_accounts": "Contact the lost key account(s) {ids} to learn why they stopped ordering; record the "
    "analysis and feed the causes into the customer-satisfaction review.",
    "monitoring_exists": "Set up a method to obtain customers' views (survey, interviews or feedback forms), "
    "with a sampling plan that covers key accounts, and report the results to management review.",
    "actions_overdue": "Complete or re-plan the {count} overdue action(s) from earlier audits (starting with {ids}) "
    "with their owners, record the new dates in actions.xlsx, and review open actions monthly.",
    "actions_not_effective": "Re-open the {count} action(s) closed without reaching their success measure ({ids}); "
    "find why the measure did not move, revise the action, and close it only when the measure is met.",
}

_SUCCESS = {
    "complaints_overdue": "No complaint open beyond the SLA at the next audit",
    "lost_key_accounts": "Loss analysis on record for every lost key account",
    "monitoring_exists": "Survey responses from every key account in the next quarter",
    "actions_overdue": "No action in the register past its due date at the next audit",
    "actions_not_effective": "The success measure of each re-opened action met at the next audit",
}


def _kind(finding: Finding, kpis: KpiTable) -> str:
    if finding.check in _DESCRIPTIONS:
        return finding.check
    kpi = kpis.get(finding.kpi_id) if finding.kpi_id else None
    return kpi.source if kpi is not None else "surveys"


def action_for(finding: Finding, number: int, config: AuditConfig, kpis: KpiTable) -> Action:
    """The improvement action for one finding.

    Args:
        finding: a finding that needs action (major, minor, observation or ofi).
        number: the action's sequence number (A-01, A-02, …).
        config: owners and due days.
        kpis: for the success measure's KPI.
    """
    kind = _kind(finding, kpis)
    role = OWNER_ROLES.get(kind, "quality")
    kpi = kpis.get(finding.kpi_id) if finding.kpi_id else None
    ids = ", ".join(finding.evidence_ids[:3]) or "—"
    description = _DESCRIPTIONS[kind].format(
        n=kpi.n if kpi else 0,
        period=config.audit.period_label,
        label=kpi.label if kpi else "",
        value=fmt(kpi.value, kpi.unit) if kpi else "",
        count=len(finding.evidence_ids),
        ids=ids,
    )
    if kind in _SUCCESS:
        success = _SUCCESS[kind]
    elif kpi is not None and kpi.target is not None:
        success = f"{kpi.label} {'≥' if kpi.higher_is_better else '≤'} {fmt(kpi.target, kpi.unit)} in the next quarter"
    elif kpi is not None:
        success = f"{kpi.label} back to at least {fmt(kpi.previous, kpi.unit)} with no significant decline"
    else:
        success = "Finding not repeated at the next audit"
    corrective = finding.grade in {"major", "minor"}
    days = getattr(config.due_days, finding.grade)
    return Action(
        id=f"A-{number:02d}",
        finding_id=finding.id,
        description=description,
        type="corrective" if corrective else "improvement",
        owner_role=role.replace("_", " "),
        owner=config.owners.get(role, "to be named"),
        due=config.audit.audit_date + dt.timedelta(days=days),
        resources="Process owner's team time; data from the systems named in this report",
        success_measure=success,
        preventive_measure="Review the measure monthly in the customer-satisfaction meeting and act on adverse trends"
        if not corrective
        else "Find the root cause, correct it, and check other processes for the same cause (ISO 9001 10.2)",
        verification="At the next audit: recompute the measure and check the records",
    )


#: checks whose success measure is "none left": the KPI's target is 0 when audit.yaml sets none
_ZERO_TARGET = {"complaints_overdue"}


def register_entries(assessment: Assessment, kpis: KpiTable, config: AuditConfig, today: dt.date) -> tuple[Entry, ...]:
    """The register rows for an audit's actions, with stable ids such as ``ACME-P1-2026-Q3/A-01``."""
    info = config.audit
    findings = {f.id: f for f in assessment.findings}
    entries = []
    for action in assessment.actions:
        finding = findings[action.finding_id]
        kpi = kpis.get(finding.kpi_id) if finding.kpi_id else None
        target = kpi.target if kpi is not None else None
        if kpi is not None and target is None:
            target = 0.0 if finding.check in _ZERO_TARGET else kpi.previous if finding.check == "trend_decline" else None
        entries.append(
            Entry(
                id=f"{info.id}/{action.id}",
                raised_in=info.id,
                period=info.period_label,
                raised_on=info.audit_date,
                finding_id=finding.id,
                check=finding.check,
                clause=finding.clauses,
                grade=finding.grade,
                description=action.description,
                type=action.type,
                owner_role=action.owner_role,
                owner=action.owner,
                due=action.due,
                success_measure=action.success_measure,
                kpi_id=kpi.id if kpi is not None and target is not None else "",
                target=target,
                baseline=kpi.value if kpi is not None else None,
                status=action.status,
                last_changed=today,
            )
        )
    return tuple(entries)
