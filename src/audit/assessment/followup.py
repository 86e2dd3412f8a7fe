"""Follow-up of earlier audits' actions from the action register (ISO 9001:2015 10.2.1).

Two checks: actions still open or in progress past their due date at the audit date
(``actions_overdue``, minor, 10.2.1 / 2008 8.5.2), and closed actions whose success
measure is not met in this audit's KPIs (``actions_not_effective``, minor, 10.2.1 d /
2008 8.5.2 f). :func:`verify` gives the verdict on each closed action; the register
records it.

Example:
    >>> verify(register, kpis, data.config)["ACME-P1-2026-Q3/A-02"].verdict   # doctest: +SKIP
    'effective'
"""

from __future__ import annotations

from audit import format
from audit.assessment.checks import Draft, Evidence, fmt
from audit.assessment.checks.base import count_of
from audit.config import AuditConfig
from audit.i18n import _
from audit.model import Entry, FollowUp, FollowUpRow, KpiTable, Register, Verification, status_word

__all__ = ["earlier_actions", "follow_up_table", "followup", "verify"]


def earlier_actions(register: Register | None, config: AuditConfig) -> list[Entry]:
    """The register's actions raised before this audit (not by it, nor by a later one), withdrawn ones left out."""
    if register is None:
        return []
    info = config.audit
    return [
        e
        for e in register.entries
        if e.raised_in != info.id
        and (e.raised_on is None or e.raised_on < info.audit_date)
        and e.status != "withdrawn"  # withdrawn by its own audit's later run: never an action to follow up
    ]


def _needs_verdict(entry: Entry, audit_id: str) -> bool:
    """Closed, and not already found effective by another audit (not effective is judged again)."""
    return entry.status == "closed" and not (
        entry.verification == "effective" and entry.verified_in not in {"", audit_id}
    )


def verify(register: Register | None, kpis: KpiTable, config: AuditConfig) -> dict[str, Verification]:
    """The verdict on each closed earlier action, by recomputing its success measure.

    The action's KPI in this audit against the target recorded when it was raised: met →
    effective; missed → not effective; KPI not computed or no numeric target → not yet
    verified. An action an earlier audit found effective keeps that verdict; one found not
    effective is judged again at each audit while it stays closed.

    Returns:
        Verification by action id, for the closed actions this audit judged.
    """
    out = {}
    for entry in earlier_actions(register, config):
        if not _needs_verdict(entry, config.audit.id):
            continue
        kpi = kpis.get(entry.kpi_id) if entry.kpi_id else None
        if kpi is None or kpi.value is None or entry.target is None:
            if not entry.kpi_id or entry.target is None:
                why = _("{id} cannot be verified from the data: it has no numeric success measure.", id=entry.id)
            else:
                why = _("{id} cannot be verified from the data: {kpi} was not computed.", id=entry.id, kpi=entry.kpi_id)
            out[entry.id] = Verification(entry.id, "not yet verified", None, why)
            continue
        met = kpi.value >= entry.target if kpi.higher_is_better else kpi.value <= entry.target
        reason = _(
            "{id} (closed{on}) aimed at {label} {sign} {target}; it is {value} in {period}{baseline}",
            id=entry.id,
            on=_(" on {day}", day=format.short_date(entry.closed_on)) if entry.closed_on else "",
            label=_(kpi.label),
            sign="≥" if kpi.higher_is_better else "≤",
            target=fmt(entry.target, kpi.unit, kpi.id),
            value=fmt(kpi.value, kpi.unit, kpi.id),
            period=config.audit.period_label,
            baseline=_(" (baseline {value})", value=fmt(entry.baseline, kpi.unit, kpi.id))
            if entry.baseline is not None
            else "",
        )
        out[entry.id] = Verification(entry.id, "effective" if met else "not effective", kpi.value, reason)
    return out


def followup(ev: Evidence) -> list[Draft]:
    """Findings on earlier actions: overdue ones, and closed ones that did not work."""
    config, kpis = ev.data.config, ev.kpis
    earlier = earlier_actions(ev.register, config)
    day = config.audit.audit_date
    drafts = []
    overdue = sorted((e for e in earlier if e.overdue_on(day)), key=lambda e: (e.due or day, e.id))
    if overdue:
        shown = "; ".join(
            _(
                "{id} due {due}, {status}, owner {owner}",
                id=e.id,
                due=format.short_date(e.due),
                status=status_word(e.status),
                owner=e.owner or _("not named"),
            )
            for e in overdue[:8]
        )
        if len(overdue) > 8:
            shown += "; " + _("and {n} more", n=format.count(len(overdue) - 8))
        oldest = (day - overdue[0].due).days if overdue[0].due else 0
        drafts.append(
            Draft(
                check="actions_overdue",
                clause="10.2.1",
                subject="earlier_actions_overdue",
                grade="minor",
                title=count_of(
                    len(overdue), "{n} action from earlier audits overdue", "{n} actions from earlier audits overdue"
                ),
                evidence=_(
                    "At the audit date, {day}, the action register held {count} from earlier audits still open past "
                    "their due date: {shown}. The oldest was {oldest} days overdue.",
                    day=format.short_date(day),
                    count=count_of(len(overdue), "{n} action", "{n} actions"),
                    shown=shown,
                    oldest=format.count(oldest),
                ),
                gap=_(
                    "Actions the organisation decided on to deal with nonconformities and risks were not implemented "
                    "within the time it set itself."
                ),
                figures={
                    "overdue": len(overdue),
                    "oldest_days": oldest,
                    "owners": sorted({e.owner for e in overdue if e.owner}),
                },
                evidence_ids=tuple(e.id for e in overdue),
            )
        )
    failed = [v for v in verify(ev.register, kpis, config).values() if v.verdict == "not effective"]
    if failed:
        drafts.append(
            Draft(
                check="actions_not_effective",
                clause="10.2.1 d",
                subject="earlier_actions_effectiveness",
                grade="minor",
                title=count_of(
                    len(failed),
                    "{n} closed action did not achieve the success measure",
                    "{n} closed actions did not achieve the success measure",
                ),
                evidence="; ".join(v.reason for v in failed) + ".",
                gap=_(
                    "The actions were closed without their effectiveness being achieved: the success measure set when "
                    "they were raised is still not met."
                ),
                figures={"not_effective": len(failed)},
                evidence_ids=tuple(v.action_id for v in failed),
            )
        )
    return drafts


def follow_up_table(register: Register | None, kpis: KpiTable, config: AuditConfig) -> FollowUp:
    """Earlier audits' actions: their status and this audit's verdict on each (report section 6)."""
    day = config.audit.audit_date
    verdicts = verify(register, kpis, config)
    rows = []
    for entry in earlier_actions(register, config):
        judged = verdicts.get(entry.id)
        overdue = entry.overdue_on(day)
        result: str
        if judged is not None:
            result, reason = judged.verdict, judged.reason
        elif overdue and entry.due is not None:
            result = "overdue"
            reason = _("due {due}, still {status}", due=format.short_date(entry.due), status=status_word(entry.status))
        elif entry.status == "closed":
            result = entry.verification
            reason = _("verified in {audit}", audit=entry.verified_in) if entry.verified_in else ""
        elif entry.status == "withdrawn":
            result, reason = entry.status, entry.withdrawn_reason
        else:
            result, reason = entry.status, ""
        rows.append(FollowUpRow(entry.id, entry.description, entry.owner, entry.due, entry.status, result, reason))
    # a register holding only this audit's own actions (a re-run) is no earlier register
    earlier = register is not None and any(e.raised_in != config.audit.id for e in register.entries)
    return FollowUp(earlier, tuple(rows), tuple(verdicts.values()))
