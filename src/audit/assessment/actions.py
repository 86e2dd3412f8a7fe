"""Improvement actions raised from findings, each written from its check's template with the finding's evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from audit.assessment.checks import fmt
from audit.assessment.checks.base import plural
from audit.config import AuditConfig
from audit.model import Action, Assessment, Entry, Finding, Kpi, KpiTable

__all__ = ["OWNER_ROLES", "TEMPLATES", "action_for", "register_entries"]

#: data kind (or check) → the role that owns the action; names come from audit.yaml ``owners:``
OWNER_ROLES = {
    "surveys": "customer_service",
    "complaints": "customer_service",
    "returns": "quality",
    "orders": "logistics",
    "monitoring_exists": "quality",
    "methods_determined": "quality",
    "sample_adequacy": "customer_service",
    "closing_the_loop": "customer_service",
    "weakest_dimension": "quality",
    "lost_key_accounts": "sales",
    "complaint_records": "customer_service",
    "complaints_acknowledged": "customer_service",
    "complaints_resolved": "customer_service",
    "complaints_overdue": "customer_service",
    "root_cause_recorded": "quality",
    "repeat_complaints": "quality",
    "returns_analysed": "quality",
    "delivery_performance": "logistics",
    "data_integrity": "quality",
    "complaint_spike": "quality",
    "actions_overdue": "quality",
    "actions_not_effective": "quality",
    "systemic_breakdown": "quality",
}


@dataclass(frozen=True)
class Context:
    """What a template may draw on: the finding, its KPI, the configuration."""

    finding: Finding
    kpi: Kpi | None
    config: AuditConfig

    @property
    def period(self) -> str:
        return self.config.audit.period_label

    @property
    def ids(self) -> str:
        shown = ", ".join(self.finding.evidence_ids[:3]) or "—"
        more = len(self.finding.evidence_ids) - 3
        return shown + (f" and {more} more" if more > 0 else "")

    @property
    def count(self) -> int:
        return len(self.finding.evidence_ids)

    def fig(self, name: str, default: Any = "") -> Any:
        """One of the finding's evidence figures."""
        return self.finding.figures.get(name, default)

    def items(self, name: str) -> str:
        """A list among the evidence figures, joined: ``a; b``."""
        return "; ".join(str(v) for v in self.finding.figures.get(name) or ())

    def value(self) -> str:
        return f"{self.kpi.label} {fmt(self.kpi.value, self.kpi.unit, self.kpi.id)}" if self.kpi else ""


#: a success measure: (text, KPI id, target); KPI id "" when it is checked against records
Success = tuple[str, str, "float | None"]
ActionType = Literal["correction", "corrective", "improvement"]


@dataclass(frozen=True)
class Template:
    """How a check's finding becomes an action.

    Attributes:
        describe: the description, from the evidence.
        success: the success measure.
        kind: the action type when the finding is not a nonconformity (nonconformities
            always get ``corrective``).
        preventive: how to stop it happening elsewhere or again.
        resources: what it needs.
    """

    describe: Callable[[Context], str]
    success: Callable[[Context], Success] | None = None
    kind: ActionType = "improvement"
    preventive: str = ""
    resources: str = ""


def _kpi_success(c: Context) -> Success:
    kpi = c.kpi
    if kpi is not None and kpi.target is not None:
        return (
            f"{kpi.label} {'≥' if kpi.higher_is_better else '≤'} {fmt(kpi.target, kpi.unit, kpi.id)} in the next quarter",
            "",
            None,
        )
    if kpi is not None:
        return (
            f"{kpi.label} back to at least {fmt(kpi.previous, kpi.unit, kpi.id)} with no significant decline",
            "",
            None,
        )
    return "Finding not repeated at the next audit", "", None


def _at_least(kpi_id: str, label: str, target: float, unit: str = "%", higher: bool = True) -> Success:
    return f"{label} {'≥' if higher else '≤'} {fmt(target, unit, kpi_id)} at the next audit", kpi_id, target


def _by_source(c: Context) -> str:
    kpi = c.kpi
    source = kpi.source if kpi is not None else "surveys"
    n = kpi.n if kpi is not None else 0
    if source == "complaints":
        return (f"Review complaint handling for {c.period} ({c.value()}): clear the backlog, find where cases wait, "
                "and set weekly follow-up of open complaints against the SLA.")  # fmt: skip
    if source == "returns":
        return (f"Analyse the returns of {c.period} by reason and product ({c.value()}); raise corrective actions on "
                "the top reasons with the responsible processes.")  # fmt: skip
    if source == "orders":
        return (f"Analyse late and short deliveries of {c.period} ({c.value()}) by cause, carrier and product; agree "
                "corrective measures with planning and logistics.")  # fmt: skip
    label = kpi.label if kpi is not None else "satisfaction"
    value = fmt(kpi.value, kpi.unit, kpi.id) if kpi is not None else ""
    return (f"Analyse the {n:,} survey responses of {c.period} by dimension, product and channel to find what drove "
            f"{label} to {value}; agree measures with the process owners and review them monthly.")  # fmt: skip


def _sample_success(c: Context) -> Success:
    checks = c.config.checks
    shortfalls = c.items("shortfalls")
    if "response rate" in shortfalls:
        return _at_least("response_rate_pct", "Survey response rate", checks.response_rate_min_pct)
    if "margin of error" in shortfalls:
        return _at_least(
            "margin_of_error_pct", "Survey margin of error (±)", checks.margin_of_error_max_points, "%", False
        )
    return f"At least {checks.key_account_coverage_min_pct:g}% of key accounts answering the next survey", "", None


def _weakest_success(c: Context) -> Success:
    focus = str(c.fig("focus"))
    limit = c.config.checks.gap_max_points
    if c.fig("largest_gap") is not None:
        return (
            f"{focus.capitalize()} gap (perception − expectation) ≥ −{limit:g} at the next audit",
            f"gap_{focus}",
            -limit,
        )
    return f"{focus.capitalize()} no longer in IPA 'concentrate here' at the next audit", "", None


TEMPLATES: dict[str, Template] = {
    "objective_met": Template(_by_source, _kpi_success),
    "trend_decline": Template(_by_source, _kpi_success),
    "monitoring_exists": Template(
        lambda c: (
            "Set up a method to obtain customers' views (survey, interviews or feedback forms), with a sampling "
            "plan that covers key accounts, and report the results to management review."
        ),
        lambda c: ("Survey responses from every key account in the next quarter", "", None),
        resources="Survey tool or interview plan; customer-service time to contact customers",
    ),
    "methods_determined": Template(
        lambda c: (
            f"Add to the customer-satisfaction review the sources already held but not used in {c.period} "
            f"({c.items('not_in_use').replace(';', ',')}), starting with the one whose data is easiest to "
            "obtain for, and record in the monitoring procedure which methods are used and how often."
        ),
        lambda c: (f"At least {c.config.checks.methods_min} methods in use at the next audit", "", None),
    ),
    "sample_adequacy": Template(
        lambda c: (
            f"Improve the survey sample ({c.items('shortfalls')}): "
            "send reminders, shorten the questionnaire, and ask account managers to invite each key account"
            + (f", starting with {c.ids}" if c.count else "")
            + "."
        ),
        _sample_success,
        resources="Customer-service time for reminders; account managers' contacts",
    ),
    "closing_the_loop": Template(
        lambda c: (
            f"Contact the {c.fig('not_followed_up')} dissatisfied respondent(s) of {c.period} not yet followed up "
            f"(starting with {c.ids}), record the outcome, and open a complaint where they report a problem; add a "
            "follow-up step for every score in the bottom two boxes to the survey procedure."
        ),
        lambda c: (
            "Every dissatisfied respondent of the next quarter followed up or on record as a complaint",
            "",
            None,
        ),
        kind="correction",
    ),
    "weakest_dimension": Template(
        lambda c: (
            f"Run an improvement project on {c.fig('focus')} ({c.finding.title.split(': ', 1)[-1]}): find from the "
            "survey comments and interviews with customers what they expect of it, agree two or three measures with the "
            "process owner, and track the dimension's score quarterly."
        ),
        _weakest_success,
    ),
    "lost_key_accounts": Template(
        lambda c: (
            f"Contact the lost key account(s) {c.ids} to learn why they stopped ordering; record the analysis and "
            "feed the causes into the customer-satisfaction review."
        ),
        lambda c: ("Loss analysis on record for every lost key account", "", None),
        resources="Sales director's and account managers' time",
    ),
    "complaint_records": Template(
        lambda c: (
            f"Complete the {c.count or 'incomplete'} complaint record(s) of {c.period} that lack the customer or a "
            f"description ({c.ids}); make both fields mandatory in the complaint log."
        ),
        lambda c: (
            f"At least {c.config.checks.records_complete_min_pct:g}% of complaint records complete at the next audit",
            "",
            None,
        ),
        kind="correction",
    ),
    "complaints_acknowledged": Template(
        lambda c: (
            f"Acknowledge every complaint within {c.config.sla.complaint_acknowledge_days:g} days ({c.value()} in "
            f"{c.period}; late: {c.ids}): send an automatic receipt and check unacknowledged cases daily."
        ),
        lambda c: _at_least(
            "complaints_acknowledged_within_sla_pct",
            "Complaints acknowledged within SLA",
            c.config.checks.acknowledged_within_sla_min_pct,
        ),
    ),
    "complaints_resolved": Template(
        lambda c: (
            f"Find why {plural(c.count, 'complaint')} of {c.period} took longer than {c.config.sla.complaint_resolve_days:g} "
            f"days ({c.ids}); set an ageing review of open complaints in the weekly complaint meeting and a target for it."
        ),
        lambda c: _at_least(
            "complaints_resolved_within_sla_pct",
            "Complaints resolved within SLA",
            c.config.checks.resolved_within_sla_min_pct,
        ),
    ),
    "complaints_overdue": Template(
        lambda c: (
            f"Close or escalate the {plural(c.count, 'complaint')} open beyond the SLA (starting with {c.ids}); then find "
            "why they stalled and add an ageing review to the weekly complaint meeting."
        ),
        lambda c: ("No complaint open beyond the SLA at the next audit", "complaints_open_overdue", 0.0),
    ),
    "root_cause_recorded": Template(
        lambda c: (
            f"Determine and record the root cause of the {plural(c.count, 'complaint')} closed without one ({c.ids}); "
            "make the root cause a required field before a complaint can be closed, and train the handlers in 5-why analysis."
        ),
        lambda c: _at_least(
            "root_cause_recorded_pct", "Closed complaints with a root cause", c.config.checks.root_cause_min_pct
        ),
        resources="Quality engineer's time; complaint-log change",
    ),
    "repeat_complaints": Template(
        lambda c: (
            f"Review the {plural(c.count, 'repeat complaint')} of {c.period} ({c.ids}) with the corrective actions taken on "
            "the first complaint; find why they did not remove the cause and revise them."
        ),
        lambda c: _at_least(
            "repeat_complaint_pct", "Repeat complaints", c.config.checks.repeat_complaint_max_pct, "%", False
        ),
    ),
    "returns_analysed": Template(
        lambda c: (
            f"Record a reason on every return ({c.items('shortfalls')}); "
            "mark warranty claims, and review the reason Pareto monthly with production and purchasing."
        ),
        lambda c: (
            f"At least {c.config.checks.return_reason_min_pct:g}% of returns with a reason, warranty claims marked",
            "",
            None,
        ),
    ),
    "delivery_performance": Template(
        lambda c: (
            f"Analyse the late and short deliveries of {c.period} ({c.value()}) by cause and carrier, set an OTIF "
            "objective and review it monthly with planning and logistics."
        ),
        lambda c: _at_least("otif_pct", "On time in full (OTIF)", c.config.checks.otif_min_pct),
    ),
    "complaint_spike": Template(
        lambda c: (
            f"Investigate the complaint spike of {c.items('months').replace(';', ',')}"
            + (
                f", led by {c.fig('category')} ({c.fig('before')} → {c.fig('now')} complaints a quarter; starting with {c.ids})"
                if c.fig("category")
                else ""
            )
            + ": find the special cause with the process owners, correct it, and review the p-chart monthly."
        ),
        lambda c: ("No month above the p-chart's upper control limit in the next quarter", "", None),
    ),
    "data_integrity": Template(
        lambda c: (
            "Correct the invalid and duplicated rows at their source"
            + (f" (starting with {c.ids})" if c.count else "")
            + ", find which entry step lets them through, and add a check there."
        ),
        lambda c: (
            f"No more than {c.config.checks.quarantined_max_pct:g}% of rows invalid and no duplicate ids at the next audit",
            "",
            None,
        ),
        kind="correction",
    ),
    "actions_overdue": Template(
        lambda c: (
            f"Complete or re-plan the {c.count} overdue action(s) from earlier audits (starting with {c.ids}) with "
            "their owners, record the new dates in actions.xlsx, and review open actions monthly."
        ),
        lambda c: ("No action in the register past its due date at the next audit", "", None),
    ),
    "actions_not_effective": Template(
        lambda c: (
            f"Re-open the {c.count} action(s) closed without reaching their success measure ({c.ids}); find why the "
            "measure did not move, revise the action, and close it only when the measure is met."
        ),
        lambda c: ("The success measure of each re-opened action met at the next audit", "", None),
    ),
    "systemic_breakdown": Template(
        lambda c: (
            f"Review the process behind ISO 9001:2015 {c.finding.clause_2015} as a whole: the {c.count} minor "
            f"nonconformities against it ({c.ids}) point to a common cause; determine it, correct it, and present the plan "
            "to management review."
        ),
        lambda c: (f"No nonconformity against {c.finding.clause_2015} at the next audit", "", None),
        resources="Management review; quality manager and process owners",
    ),
}

_PREVENTIVE = {
    True: "Find the root cause, correct it, and check other processes for the same cause (ISO 9001 10.2)",
    False: "Review the measure monthly in the customer-satisfaction meeting and act on adverse trends",
}


def action_for(finding: Finding, number: int, config: AuditConfig, kpis: KpiTable) -> Action:
    """The improvement action for one finding, from its check's template.

    Args:
        finding: a finding that needs action (major, minor, observation or ofi).
        number: the action's sequence number (A-01, A-02, …).
        config: owners, due days and the check thresholds.
        kpis: for the success measure's KPI.
    """
    kpi = kpis.get(finding.kpi_id) if finding.kpi_id else None
    template = TEMPLATES.get(finding.check, TEMPLATES["objective_met"])
    context = Context(finding, kpi, config)
    role = OWNER_ROLES.get(finding.check) or OWNER_ROLES.get(kpi.source if kpi is not None else "", "quality")
    success, success_kpi, target = (template.success or _kpi_success)(context)
    corrective = finding.grade in {"major", "minor"}
    days = getattr(config.due_days, finding.grade)
    return Action(
        id=f"A-{number:02d}",
        finding_id=finding.id,
        description=template.describe(context),
        type="corrective" if corrective else template.kind,
        owner_role=role.replace("_", " "),
        owner=config.owners.get(role, "to be named"),
        due=config.audit.audit_date + dt.timedelta(days=days),
        resources=template.resources or "Process owner's team time; data from the systems named in this report",
        success_measure=success,
        preventive_measure=template.preventive or _PREVENTIVE[corrective],
        verification=f"At the next audit: recompute {success_kpi} and compare it with the target"
        if success_kpi
        else "At the next audit: check the records against the success measure",
        success_kpi=success_kpi,
        success_target=target,
    )


def register_entries(assessment: Assessment, kpis: KpiTable, config: AuditConfig, today: dt.date) -> tuple[Entry, ...]:
    """The register rows for an audit's actions, with stable ids such as ``ACME-P1-2026-Q3/A-01``.

    The success KPI and target are the action's own when its template sets them; else the
    finding's KPI and its audit.yaml target (the previous quarter's value for a decline).
    """
    info = config.audit
    findings = {f.id: f for f in assessment.findings}
    entries = []
    for action in assessment.actions:
        finding = findings[action.finding_id]
        kpi = kpis.get(action.success_kpi or finding.kpi_id or "")
        target = action.success_target
        if not action.success_kpi and kpi is not None:
            target = (
                kpi.target if kpi.target is not None else kpi.previous if finding.check == "trend_decline" else None
            )
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
