"""Improvement actions raised from findings: one per finding, written from its evidence, identified by its subject.

The text comes from the subject's writer (:mod:`audit.assessment.plans`); the id from the
register (:mod:`audit.assessment.identity`), so that a re-run, a revision or the next
quarter updates the action it raised before. An action continued from the register keeps
the owner and due date people gave it there.

Example:
    >>> actions = raise_actions(findings, kpis, config, register)    # doctest: +SKIP
    >>> actions[0].id, actions[0].subject                             # doctest: +SKIP
    ('A-01', 'complaint_timeliness')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence

from audit.assessment.identity import action_ids
from audit.assessment.plans import plan_for
from audit.catalogue import label as kpi_label
from audit.config import AuditConfig
from audit.i18n import _
from audit.model import Action, Assessment, Entry, Finding, KpiTable, Register

__all__ = ["raise_actions", "register_entries"]


def _verification(kpi_id: str) -> str:
    if kpi_id:
        try:
            name = kpi_label(kpi_id)
        except KeyError:  # a KPI of the organisation's own, named as it is
            name = kpi_id
        return _("At the next audit: recompute {kpi} and compare it with the target", kpi=name)
    return _("At the next audit: check the records against the success measure")


def raise_actions(
    findings: Sequence[Finding], kpis: KpiTable, config: AuditConfig, register: Register | None
) -> tuple[Action, ...]:
    """One action for each finding that needs one, in finding order.

    Args:
        findings: the audit's findings, numbered and consolidated (one per subject).
        kpis: for the success measures.
        config: owners, due days and the thresholds.
        register: the site's register as found, for the actions' ids, owners and due dates.
    """
    needing = [f for f in findings if f.needs_action]
    ids = action_ids([f.subject for f in needing], register, config.audit.id)
    actions = []
    for finding in needing:
        plan, role = plan_for(finding, kpis, config)
        identity = ids[finding.subject]
        entry = identity.entry
        corrective = finding.grade in {"major", "minor"}
        due = config.audit.audit_date + dt.timedelta(days=getattr(config.due_days, finding.grade))
        owner = config.owners.get(role, _("to be named"))
        if entry is not None:  # continued from the register: people's owner and due date stand
            due, owner = entry.due or due, entry.owner or owner
        text, success_kpi, target = plan.success
        actions.append(
            Action(
                id=identity.id,
                finding_id=finding.id,
                description=plan.description,
                type="corrective" if corrective else plan.kind,
                owner_role=role.replace("_", " "),
                owner=owner,
                due=due,
                resources=plan.resources,
                success_measure=text,
                preventive_measure=plan.preventive,
                verification=_verification(success_kpi),
                success_kpi=success_kpi,
                success_target=target,
                subject=finding.subject,
                carried_from=identity.carried_from,
            )
        )
    return _distinct(actions, findings)


def _distinct(actions: list[Action], findings: Sequence[Finding]) -> tuple[Action, ...]:
    """Actions whose descriptions are all different (a repeated one names its subject, which is unique)."""
    labels = {f.id: f.subject_label for f in findings}
    seen = Counter(a.description for a in actions)
    out = []
    for action in actions:
        if seen[action.description] > 1:
            subject = labels.get(action.finding_id, action.subject)
            text = _("{subject}: {description}", subject=subject, description=action.description)
            action = dataclasses.replace(action, description=text)
        out.append(action)
    return tuple(out)


def register_entries(assessment: Assessment, kpis: KpiTable, config: AuditConfig, today: dt.date) -> tuple[Entry, ...]:
    """The register rows for an audit's actions, by their stable ids, each with its subject.

    The success KPI and target are the action's own when its writer sets them; else the
    finding's KPI and its audit.yaml target.
    """
    info = config.audit
    findings = {f.id: f for f in assessment.findings}
    entries = []
    for action in assessment.actions:
        finding = findings[action.finding_id]
        kpi = kpis.get(action.success_kpi or finding.kpi_id or "")
        target = action.success_target
        if not action.success_kpi and kpi is not None:
            target = kpi.target
        entries.append(
            Entry(
                id=action.id,
                subject=action.subject or finding.subject,
                raised_in=action.carried_from or info.id,
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
                last_raised_in=info.id,
                last_changed=today,
            )
        )
    return tuple(entries)
