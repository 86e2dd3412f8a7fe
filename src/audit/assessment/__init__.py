"""Clause assessment: run the checks, number the findings, raise actions, conclude.

Example:
    >>> assessment = assess(data, kpis)                 # doctest: +SKIP
    >>> assessment.conclusion                           # doctest: +SKIP
    'partially_effective'
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from audit.assessment.actions import action_for
from audit.assessment.checks import CHECKS, CLAUSES, GUIDANCE, Draft, Evidence
from audit.assessment.followup import follow_up_table, followup
from audit.data.dataset import AuditData
from audit.data.records import PeriodRecords
from audit.model import Assessment, Conclusion, Finding, KpiTable, Register

__all__ = ["assess", "conclude", "systemic"]

_ORDER = {"major": 0, "minor": 1, "observation": 2, "ofi": 3, "good_practice": 4, "conforming": 5}
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
        return "not_effective", f"{count['major']} major nonconformity(ies): a requirement of the clause is not met."
    if count["minor"]:
        return "partially_effective", f"{count['minor']} minor nonconformity(ies): the requirements are partly met."
    if count["observation"] or count["ofi"]:
        n = count["observation"] + count["ofi"]
        return "effective_with_ofi", f"No nonconformity; {n} observation(s) or opportunity(ies) for improvement."
    return "effective", "No nonconformity, observation or opportunity for improvement was found."


def _run_checks(ev: Evidence) -> list[Draft]:
    """Every check's drafts; a check resting on guidance grades at most ofi."""
    drafts = []
    for check in CHECKS:
        for draft in check.run(ev):
            if check.guidance:
                if _ORDER[draft.grade] < _ORDER["ofi"]:
                    draft = dataclasses.replace(draft, grade="ofi")
                draft = dataclasses.replace(draft, guidance=draft.guidance or check.guidance)
            drafts.append(draft)
    return drafts


def systemic(drafts: list[Draft]) -> list[Draft]:
    """A major per clause with three or more minors against it: a systemic breakdown."""
    minors = Counter(d.clause for d in drafts if d.grade == "minor")
    out = []
    for clause, n in minors.items():
        if n < SYSTEMIC_MINORS:
            continue
        titles = "; ".join(d.title for d in drafts if d.grade == "minor" and d.clause == clause)
        out.append(
            Draft(
                check="systemic_breakdown",
                clause=clause,
                grade="major",
                title=f"Systemic breakdown against {clause}: {n} minor nonconformities",
                evidence=f"{n} minor nonconformities were raised against this clause: {titles}.",
                gap="Taken together the nonconformities show that the process does not achieve what the clause "
                "requires: a systemic breakdown rather than isolated lapses.",
                figures={"minors": n},
            )
        )
    return out


def _requirement(draft: Draft) -> str:
    text = CLAUSES[draft.clause][1]
    return text + (f" Guidance: {GUIDANCE[draft.guidance]}." if draft.guidance else "")


def assess(data: AuditData, kpis: KpiTable, register: Register | None = None) -> Assessment:
    """Run every check and follow up earlier actions, then number findings by grade and raise an action for each that needs one.

    Conforming checks are recorded as findings graded ``conforming`` (last, no action),
    so the report can say what was checked and found in order.

    Args:
        data: the loaded audit data.
        kpis: the KPIs of the period.
        register: the site's action register as found before this audit (None for a
            site's first audit), for the follow-up of earlier actions.

    Returns:
        Findings (F-01 …, most severe first), actions (A-01 …) and the conclusion.
    """
    ev = Evidence(data, kpis, register)
    drafts = _run_checks(ev) + followup(ev)
    drafts += systemic(drafts)
    drafts.sort(key=lambda d: _ORDER[d.grade])
    findings = [
        Finding(
            id=f"F-{i:02d}",
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
        )
        for i, d in enumerate(drafts, start=1)
    ]
    # a systemic breakdown lists the minor findings behind it
    for i, f in enumerate(findings):
        if f.check == "systemic_breakdown":
            behind = tuple(m.id for m in findings if m.grade == "minor" and m.clause_2015 == f.clause_2015)
            findings[i] = dataclasses.replace(f, evidence_ids=behind)
    needing = [f for f in findings if f.needs_action]
    actions = tuple(action_for(f, i, data.config, kpis) for i, f in enumerate(needing, start=1))
    conclusion, reason = conclude(tuple(findings))
    follow_up = follow_up_table(register, kpis, data.config)
    return Assessment(tuple(findings), actions, conclusion, reason, follow_up, records=PeriodRecords(data))
