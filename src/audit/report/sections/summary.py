"""The management summary: the 9.1.2 verdict, the clause table, the scorecard, the findings and
actions one line each, and what changed since the previous audit (at most four pages).

The clause verdicts come from the snapshot when the assessment records them (``clauses``:
each with ``clause``, ``verdict`` — met / met_with_observations / partly_met / not_met — and a
one-sentence ``sentence``); until it does, each clause's verdict is read off the most severe
grade among its findings, and the sentence is written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from audit import format as fmt
from audit.i18n import N_, _, ngettext
from audit.model import AuditSnapshot, Finding, Kpi
from audit.report.sections.base import (
    HEADLINE_KPIS,
    ReportInput,
    action_sentence,
    clip,
    findings_by_severity,
    grade_counts,
    grade_phrase,
    grade_sentence,
    join,
)
from audit.report.sections.front import objectives_achieved
from audit.report.words import (
    CLAUSE_TITLES,
    CLAUSE_VERDICTS,
    clause_title,
    kpi_name,
    readable,
    result_label,
    role_label,
)

__all__ = ["ClauseRow", "clause_rows", "head_clause", "scorecard", "summary"]

#: the grade that decides a clause's verdict, most severe first
_VERDICT_OF_GRADE = {
    "major": "not_met",
    "minor": "partly_met",
    "observation": "met_with_observations",
    "ofi": "met_with_observations",
    "good_practice": "met",
    "conforming": "met",
}

#: most KPI changes listed under "changes since the previous audit" (the rest are counted)
MAX_CHANGES = 6
#: an action's description in the summary, cut to this many characters
ACTION_CHARS = 110


@dataclass(frozen=True)
class ClauseRow:
    """One clause in the clause table.

    Attributes:
        clause: the ISO 9001:2015 clause (``9.1.2``).
        clause_2008: its ISO 9001:2008 counterpart.
        title: the clause's title, in the report's language.
        verdict: a key of :data:`audit.report.words.CLAUSE_VERDICTS`.
        sentence: the verdict in one sentence.
        findings: the clause's findings, most severe first.
    """

    clause: str
    clause_2008: str
    title: str
    verdict: str
    sentence: str
    findings: tuple[Finding, ...]

    @property
    def verdict_label(self) -> str:
        return _(CLAUSE_VERDICTS.get(self.verdict, self.verdict))

    @property
    def counts(self) -> str:
        return join([grade_phrase(g, n) for g, n in grade_counts(self.findings)]) or fmt.NA


def _belongs(finding: Finding, clause: str) -> bool:
    own = finding.clause_2015.strip()
    return own == clause or own.startswith((clause + ".", clause + " "))


def _derived_sentence(verdict: str, findings: tuple[Finding, ...]) -> str:
    needing = [f for f in findings if f.needs_action]
    counts = join([grade_phrase(g, n) for g, n in grade_counts(needing)])
    if verdict == "not_evaluated":
        return _("No check of this clause could be evaluated from the data supplied.")
    if verdict == "met":
        return _("The checks of this clause found the requirement met.")
    if verdict == "met_with_observations":
        return _("The requirement is met; {counts} call for action.", counts=counts)
    if verdict == "partly_met":
        return _("The requirement is only partly met: {counts}.", counts=counts)
    return _("The requirement is not met: {counts}.", counts=counts)


def _recorded(s: AuditSnapshot) -> dict[str, Any]:
    """The clause verdicts the assessment recorded, by clause (empty until it records them)."""
    found = getattr(s, "clauses", None) or getattr(s.assessment, "clauses", None) or ()
    out: dict[str, Any] = {}
    for item in found:
        clause = getattr(item, "clause", None)
        if clause is not None and getattr(item, "verdict", None) in CLAUSE_VERDICTS:
            out[str(clause)] = item
    return out


def clause_rows(s: AuditSnapshot) -> list[ClauseRow]:
    """The clause table: 9.1.2, 8.2.1 c, 9.1.3 and 10.2, each with its verdict and findings."""
    recorded = _recorded(s)
    rows = []
    ordered = findings_by_severity(s.assessment)
    for clause, (_title, clause_2008) in CLAUSE_TITLES.items():
        findings = tuple(f for f in ordered if _belongs(f, clause))
        item = recorded.get(clause)
        if item is not None:
            verdict = str(item.verdict)
            sentence = str(getattr(item, "reason", "") or getattr(item, "sentence", "")) or _derived_sentence(
                verdict, findings
            )
        else:
            verdict = _VERDICT_OF_GRADE[findings[0].grade] if findings else "not_evaluated"
            sentence = _derived_sentence(verdict, findings)
        rows.append(ClauseRow(clause, clause_2008, clause_title(clause), verdict, readable(sentence), findings))
    return rows


def head_clause(rows: list[ClauseRow]) -> ClauseRow:
    """The row of 9.1.2, the clause the audit is about."""
    return next(r for r in rows if r.clause == "9.1.2")


def verdict_sentence(row: ClauseRow, criteria: str) -> str:
    """The 9.1.2 verdict in one sentence, citing the edition audited against."""
    clause = "8.2.1" if criteria == "ISO 9001:2008" else "9.1.2"
    return _(
        "{criteria} clause {clause} {title}: {verdict}. {sentence}",
        criteria=_("ISO 9001:2015") if criteria == "ISO 9001:2015" else criteria,
        clause=clause,
        title=row.title,
        verdict=row.verdict_label,
        sentence=row.sentence,
    )


def scorecard(s: AuditSnapshot) -> list[Kpi]:
    """The KPIs on the scorecard: the headline ones and every KPI with a target, in report order."""
    return [k for k in s.kpis if k.target is not None or k.id in HEADLINE_KPIS]


def _year_ago(kpi: Kpi) -> float | None:
    found = kpi.comparison("same_quarter_last_year")
    return found.value if found is not None else None


def _changes(s: AuditSnapshot) -> tuple[list[str], int]:
    """What moved since the previous audit: significant KPI changes and targets newly met or missed."""
    lines = []
    for kpi in s.kpis:
        found = kpi.comparison("previous_quarter")
        if found is None or found.value is None or kpi.value is None:
            continue
        before, now = fmt.value(found.value, kpi.unit, kpi_id=kpi.id), fmt.value(kpi.value, kpi.unit, kpi_id=kpi.id)
        if found.verdict in {"significant improvement", "significant decline"}:
            template = (
                N_("{kpi}: {before} → {now}, a significant improvement since {period} ({p})")
                if found.verdict == "significant improvement"
                else N_("{kpi}: {before} → {now}, a significant decline since {period} ({p})")
            )
            lines.append(
                _(template, kpi=kpi_name(kpi), before=before, now=now, period=found.period, p=fmt.p_text(found.p_value))
            )
            continue
        if kpi.target is None or kpi.status not in {"met", "not_met"}:
            continue
        was_met = found.value >= kpi.target if kpi.higher_is_better else found.value <= kpi.target
        if was_met and kpi.status == "not_met":
            lines.append(
                _("{kpi}: {before} → {now}, no longer meets its target", kpi=kpi_name(kpi), before=before, now=now)
            )
        elif not was_met and kpi.status == "met":
            lines.append(_("{kpi}: {before} → {now}, now meets its target", kpi=kpi_name(kpi), before=before, now=now))
    return lines[:MAX_CHANGES], max(len(lines) - MAX_CHANGES, 0)


def _follow_up_sentence(s: AuditSnapshot) -> str:
    follow = s.assessment.follow_up
    if not follow.rows:
        if follow.register:
            return _("The site's action register holds no actions of earlier audits.")
        return _("This is the site's first audit: there are no earlier actions to follow up.")
    counts: dict[str, int] = {}
    for row in follow.rows:
        counts[row.result] = counts.get(row.result, 0) + 1
    parts = [f"{result_label(result)} {fmt.count(n)}" for result, n in sorted(counts.items(), key=lambda i: -i[1])]
    return ngettext(
        "{n} action of an earlier audit was followed up: {results}.",
        "{n} actions of earlier audits were followed up: {results}.",
        len(follow.rows),
        results=join(parts),
    )


def _owner(name: str, role: str) -> str:
    """``Sarah Okafor (Customer service)``; the role alone, or the name alone, when only one is known."""
    if name and role:
        return _("{name} ({role})", name=name, role=role_label(role))
    return name or (role_label(role) if role else fmt.NA)


def summary(r: ReportInput) -> dict[str, Any]:
    """The management summary's context."""
    s = r.snapshot
    info = s.config.audit
    rows = clause_rows(s)
    head = head_clause(rows)
    ordered = findings_by_severity(s.assessment)
    needing = [f for f in ordered if f.needs_action]
    met = [f for f in ordered if not f.needs_action]
    kpis = scorecard(s)
    changes, more = _changes(s)
    return {
        "verdict": verdict_sentence(head, info.criteria),
        "head": head,
        "clauses": rows,
        "grade_sentence": grade_sentence(s.assessment.findings),
        "action_sentence": action_sentence(s.assessment),
        "scorecard": kpis,
        "year_ago": {k.id: _year_ago(k) for k in kpis},
        "show_year_ago": any(_year_ago(k) is not None for k in kpis),
        "show_benchmark": any(k.benchmark is not None for k in kpis),
        "targets_met": sum(k.status == "met" for k in s.kpis),
        "targets_set": sum(k.status in {"met", "not_met"} for k in s.kpis),
        "needing": needing,
        "met_findings": met,
        "actions": [
            {
                "action": a,
                "text": clip(readable(a.description), ACTION_CHARS),
                "owner": _owner(a.owner, a.owner_role),
            }
            for a in s.assessment.actions
        ],
        "achieved": objectives_achieved(s),
        "changes": changes,
        "more_changes": more,
        "follow_up": _follow_up_sentence(s),
        "compared_with": next((c.period for k in s.kpis for c in k.comparisons if c.basis == "previous_quarter"), None),
    }
