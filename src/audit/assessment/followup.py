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

from audit.assessment.checks import Draft, Evidence, fmt
from audit.config import AuditConfig
from audit.model import Entry, FollowUp, FollowUpRow, KpiTable, Register, Verification

__all__ = ["earlier_actions", "follow_up_table", "followup", "verify"]


def earlier_actions(register: Register | None, config: AuditConfig) -> list[Entry]:
    """The register's actions raised before this audit (not by it, nor by a later one)."""
    if register is None:
        return []
    info = config.audit
    return [
        e for e in register.entries if e.raised_in != info.id and (e.raised_on is None or e.raised_on < info.audit_date)
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
            why = (
                "it has no numeric success measure"
                if not entry.kpi_id or entry.target is None
                else f"{entry.kpi_id} was not computed"
            )
            out[entry.id] = Verification(
                entry.id, "not yet verified", None, f"{entry.id} cannot be verified from the data: {why}."
            )
            continue
        met = kpi.value >= entry.target if kpi.higher_is_better else kpi.value <= entry.target
        sign = "≥" if kpi.higher_is_better else "≤"
        reason = (
            f"{entry.id} (closed{f' on {entry.closed_on:%d %b %Y}' if entry.closed_on else ''}) aimed at "
            f"{kpi.label} {sign} {fmt(entry.target, kpi.unit, kpi.id)}; it is {fmt(kpi.value, kpi.unit, kpi.id)} in {config.audit.period_label}"
            + (f" (baseline {fmt(entry.baseline, kpi.unit, kpi.id)})" if entry.baseline is not None else "")
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
        listed = "; ".join(
            f"{e.id} due {e.due:%d %b %Y}, {e.status}, owner {e.owner or 'not named'}" for e in overdue[:8]
        )
        more = f"; and {len(overdue) - 8} more" if len(overdue) > 8 else ""
        oldest = (day - overdue[0].due).days if overdue[0].due else 0
        drafts.append(
            Draft(
                check="actions_overdue",
                clause="10.2.1",
                grade="minor",
                title=f"{len(overdue)} action{'s' if len(overdue) > 1 else ''} from earlier audits overdue",
                evidence=f"At the audit date, {day:%d %b %Y}, the action register held {len(overdue)} action(s) from "
                f"earlier audits still open past their due date: {listed}{more}. The oldest was {oldest} days overdue.",
                gap="Actions the organisation decided on to deal with nonconformities and risks were not implemented "
                "within the time it set itself.",
                figures={"overdue": len(overdue), "oldest_days": oldest},
                evidence_ids=tuple(e.id for e in overdue),
            )
        )
    failed = [v for v in verify(ev.register, kpis, config).values() if v.verdict == "not effective"]
    if failed:
        drafts.append(
            Draft(
                check="actions_not_effective",
                clause="10.2.1 d",
                grade="minor",
                title=f"{len(failed)} closed action{'s' if len(failed) > 1 else ''} did not achieve the success measure",
                evidence="; ".join(v.reason for v in failed) + ".",
                gap="The actions were closed without their effectiveness being achieved: the success measure set "
                "when they were raised is still not met.",
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
            result, reason = "overdue", f"due {entry.due:%d %b %Y}, still {entry.status}"
        elif entry.status == "closed":
            result, reason = entry.verification, f"verified in {entry.verified_in}" if entry.verified_in else ""
        else:
            result, reason = entry.status, ""
        rows.append(FollowUpRow(entry.id, entry.description, entry.owner, entry.due, entry.status, result, reason))
    # a register holding only this audit's own actions (a re-run) is no earlier register
    earlier = register is not None and any(e.raised_in != config.audit.id for e in register.entries)
    return FollowUp(earlier, tuple(rows), tuple(verdicts.values()))
