"""Clause assessment: run the checks, number the findings, raise actions, conclude.

Example:
    >>> assessment = assess(data, kpis)                 # doctest: +SKIP
    >>> assessment.conclusion                           # doctest: +SKIP
    'partially_effective'
"""

from __future__ import annotations

from audit.assessment.actions import action_for
from audit.assessment.checks import CHECKS, CLAUSES
from audit.assessment.followup import followup
from audit.data.dataset import AuditData
from audit.results import Assessment, Conclusion, Finding, KpiTable

__all__ = ["assess", "conclude"]

_ORDER = {"major": 0, "minor": 1, "observation": 2, "ofi": 3, "good_practice": 4, "conforming": 5}


def conclude(findings: tuple[Finding, ...]) -> tuple[Conclusion, str]:
    """The overall conclusion and its reason (rule in docs/assessment.md).

    Any major → not effective; any minor → partially effective; observations or OFIs
    only → effective with opportunities for improvement; otherwise effective.
    """
    grades = {f.grade for f in findings}
    count = {g: sum(f.grade == g for f in findings) for g in grades}
    if "major" in grades:
        return "not_effective", f"{count['major']} major nonconformity(ies): a requirement of the clause is not met."
    if "minor" in grades:
        return "partially_effective", f"{count['minor']} minor nonconformity(ies): the requirements are partly met."
    if grades & {"observation", "ofi"}:
        n = count.get("observation", 0) + count.get("ofi", 0)
        return "effective_with_ofi", f"No nonconformity; {n} observation(s) or opportunity(ies) for improvement."
    return "effective", "No nonconformity, observation or opportunity for improvement was found."


def assess(data: AuditData, kpis: KpiTable) -> Assessment:
    """Run every check and follow up earlier actions, then number findings by grade and raise an action for each that needs one.

    Args:
        data: the loaded audit data.
        kpis: the KPIs of the period.

    Returns:
        Findings (F-01 …, most severe first), actions (A-01 …) and the conclusion.
    """
    drafts = [draft for check in CHECKS for draft in check.run(data, kpis)] + followup(data, kpis)
    drafts.sort(key=lambda d: _ORDER[d.grade])
    findings = tuple(
        Finding(
            id=f"F-{i:02d}",
            check=d.check,
            clause_2015=d.clause,
            clause_2008=CLAUSES[d.clause][0],
            grade=d.grade,
            title=d.title,
            requirement=CLAUSES[d.clause][1],
            evidence=d.evidence,
            gap=d.gap,
            kpi_id=d.kpi_id,
            figures=d.figures,
            evidence_ids=d.evidence_ids,
        )
        for i, d in enumerate(drafts, start=1)
    )
    needing = [f for f in findings if f.needs_action]
    actions = tuple(action_for(f, i, data.config, kpis) for i, f in enumerate(needing, start=1))
    conclusion, reason = conclude(findings)
    return Assessment(findings, actions, conclusion, reason)
