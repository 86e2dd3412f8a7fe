"""Clause assessment: run the checks, one finding per subject, a verdict per clause, actions, the on-site plan.

Example:
    >>> assessment = assess(data, kpis)                 # doctest: +SKIP
    >>> assessment.clause("9.1.2").verdict              # doctest: +SKIP
    'met_with_observations'
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from audit import format
from audit.assessment.actions import raise_actions
from audit.assessment.checks import CHECKS, CLAUSES, GUIDANCE, Ask, Draft, Evidence
from audit.assessment.checks.base import count_of
from audit.assessment.clauses import clause_verdicts
from audit.assessment.consolidate import ORDER, Merged, consolidate
from audit.assessment.followup import follow_up_table, followup
from audit.assessment.onsite import auditee_questions, verification_samples
from audit.assessment.subjects import subject_label
from audit.data.dataset import AuditData
from audit.data.records import PeriodRecords
from audit.i18n import _, language
from audit.model import Assessment, Conclusion, Finding, KpiTable, Register
from audit.progress import started

__all__ = ["assess", "conclude", "systemic"]

#: minors against one clause that make a systemic breakdown (a major)
SYSTEMIC_MINORS = 3


def conclude(findings: tuple[Finding, ...]) -> tuple[Conclusion, str]:
    """The overall conclusion and its reason (rule in docs/assessment.md).

    Any major → not effective; any minor → partially effective; observations or OFIs
    only → effective with opportunities for improvement; otherwise effective (good
    practice and conforming findings do not change the conclusion).
    """
    count = Counter(f.grade for f in findings)
    if count["major"]:
        return "not_effective", count_of(
            count["major"],
            "{n} major nonconformity: a requirement of the criteria is not met.",
            "{n} major nonconformities: requirements of the criteria are not met.",
        )
    if count["minor"]:
        return "partially_effective", count_of(
            count["minor"],
            "{n} minor nonconformity: the requirements are partly met.",
            "{n} minor nonconformities: the requirements are partly met.",
        )
    if count["observation"] or count["ofi"]:
        return "effective_with_ofi", count_of(
            count["observation"] + count["ofi"],
            "No nonconformity; {n} observation or opportunity for improvement.",
            "No nonconformity; {n} observations or opportunities for improvement.",
        )
    return "effective", _("No nonconformity, observation or opportunity for improvement was found.")


def _run_checks(ev: Evidence) -> list[Draft]:
    """Every check's drafts; a check resting on guidance grades at most ofi."""
    drafts = []
    for check in CHECKS:
        for draft in check.run(ev):
            if check.guidance:
                if ORDER[draft.grade] < ORDER["ofi"]:
                    draft = dataclasses.replace(draft, grade="ofi")
                draft = dataclasses.replace(draft, guidance=draft.guidance or check.guidance)
            drafts.append(draft)
    return drafts


def systemic(merged: list[Merged]) -> list[Merged]:
    """A major per clause with three or more minors (one per subject) against it: a systemic breakdown."""
    minors = Counter(m.draft.clause for m in merged if m.draft.grade == "minor")
    out = []
    for clause, n in minors.items():
        if n < SYSTEMIC_MINORS:
            continue
        titles = "; ".join(m.draft.title for m in merged if m.draft.grade == "minor" and m.draft.clause == clause)
        draft = Draft(
            check="systemic_breakdown",
            clause=clause,
            subject=f"systemic:{clause}",
            grade="major",
            title=_("Systemic breakdown against {clause}: {n} minor nonconformities", clause=clause, n=format.count(n)),
            evidence=_(
                "{n} minor nonconformities were raised against this clause: {titles}.", n=format.count(n), titles=titles
            ),
            gap=_(
                "Taken together the nonconformities show that the process does not achieve what the clause requires: "
                "a systemic breakdown rather than isolated lapses."
            ),
            figures={"minors": n},
        )
        out.append(Merged(draft, ("systemic_breakdown",), ()))
    return out


def _requirement(draft: Draft) -> str:
    text = _(CLAUSES[draft.clause][1])
    if draft.guidance:
        text += " " + _("Guidance: {guidance}.", guidance=_(GUIDANCE[draft.guidance]))
    return text


def _finding(number: int, merged: Merged) -> Finding:
    d = merged.draft
    return Finding(
        id=f"F-{number:02d}",
        check=d.check,
        clause_2015=d.clause,
        clause_2008=CLAUSES[d.clause][0],
        grade=d.grade,
        title=d.title,
        requirement=_requirement(d),
        evidence=d.evidence,
        gap=d.gap,
        kpi_id=d.kpi_id,
        figures=d.figures,
        evidence_ids=d.evidence_ids,
        subject=d.subject,
        subject_label=subject_label(d.subject),
        checks=merged.checks,
        kpi_ids=merged.kpi_ids,
    )


def assess(data: AuditData, kpis: KpiTable, register: Register | None = None) -> Assessment:
    """Run every check and follow up earlier actions; one finding per subject, a verdict per clause, actions.

    Check results about one subject are consolidated into one finding, graded by the most
    severe of them (:mod:`audit.assessment.consolidate`). Conforming subjects are recorded as
    findings graded ``conforming`` (last, no action), so the report can say what was
    checked and found in order.

    Args:
        data: the loaded audit data.
        kpis: the KPIs of the period.
        register: the site's action register as found before this audit (None for a
            site's first audit): for the follow-up of earlier actions, and to keep each
            subject's action id across re-runs and quarters.

    Returns:
        Findings (F-01 …, most severe first), actions (by their register ids), the
        clause verdicts, the auditee questions, the verification sample and the conclusion,
        written in the audit's language (``audit.language``).
    """
    with language(data.config.audit.language):
        return _assess(data, kpis, register)


def _assess(data: AuditData, kpis: KpiTable, register: Register | None) -> Assessment:
    ev = Evidence(data, kpis, register)
    checking = started("checks")
    drafts = _run_checks(ev)
    checking.done(len(CHECKS))
    grading = started("findings")
    merged = consolidate(drafts + followup(ev))
    merged += systemic(merged)
    merged.sort(key=lambda m: ORDER[m.draft.grade])
    findings = [_finding(i, m) for i, m in enumerate(merged, start=1)]
    # a systemic breakdown lists the minor findings behind it
    for i, f in enumerate(findings):
        if f.check == "systemic_breakdown":
            behind = tuple(m.id for m in findings if m.grade == "minor" and m.clause_2015 == f.clause_2015)
            findings[i] = dataclasses.replace(f, evidence_ids=behind)
    asks: dict[str, tuple[Ask, ...]] = {f.id: m.draft.questions for f, m in zip(findings, merged, strict=True)}
    config = data.config
    conclusion, reason = conclude(tuple(findings))
    assessment = Assessment(
        tuple(findings),
        raise_actions(findings, kpis, config, register),
        conclusion,
        reason,
        follow_up_table(register, kpis, config),
        clause_verdicts(tuple(findings), config.audit.criteria),
        auditee_questions(findings, asks, config.audit.period_label),
        verification_samples(data, findings, config.sampling),
        records=PeriodRecords(data),
    )
    grading.done(len(findings), sum(f.needs_action for f in findings))
    return assessment
