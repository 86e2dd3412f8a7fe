"""Graded findings, improvement actions and the conclusion, as made by :mod:`audit.assessment`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from audit.i18n import N_, _
from audit.model._plain import plain_dict, plain_fields
from audit.model.drilldown import FindingRecords, RecordSource, finding_records
from audit.model.register import Verification

__all__ = [
    "CONCLUSIONS",
    "GRADES",
    "VERDICTS",
    "Action",
    "Assessment",
    "ClauseVerdict",
    "Conclusion",
    "Finding",
    "FollowUp",
    "FollowUpRow",
    "Grade",
    "Question",
    "Sample",
    "Verdict",
    "conclusion_label",
    "grade_label",
]


Grade = Literal["major", "minor", "observation", "ofi", "good_practice", "conforming"]
#: grades from most to least severe, with the label a report shows (English message ids:
#: :func:`grade_label` gives them in the current language)
GRADES: dict[str, str] = {
    "major": N_("Major nonconformity"),
    "minor": N_("Minor nonconformity"),
    "observation": N_("Observation"),
    "ofi": N_("Opportunity for improvement"),
    "good_practice": N_("Good practice"),
    "conforming": N_("Conforming"),
}
Conclusion = Literal["effective", "effective_with_ofi", "partially_effective", "not_effective"]
CONCLUSIONS: dict[str, str] = {
    "effective": N_("Effective"),
    "effective_with_ofi": N_("Effective, with opportunities for improvement"),
    "partially_effective": N_("Partially effective"),
    "not_effective": N_("Not effective"),
}
Verdict = Literal["met", "met_with_observations", "partly_met", "not_met", "not_assessed"]
#: a clause's verdict, with the label a report shows
VERDICTS: dict[str, str] = {
    "met": N_("Met"),
    "met_with_observations": N_("Met, with observations"),
    "partly_met": N_("Partly met"),
    "not_met": N_("Not met"),
    "not_assessed": N_("Not assessed"),
}


def grade_label(grade: str) -> str:
    """A grade as the report names it, in the current language (``Minor nonconformity``, ``一般不符合``)."""
    return _(GRADES[grade]) if grade in GRADES else grade


def conclusion_label(conclusion: str) -> str:
    """An overall conclusion as the report names it, in the current language."""
    return _(CONCLUSIONS[conclusion]) if conclusion in CONCLUSIONS else conclusion


@dataclass(frozen=True)
class Finding:
    """A graded audit finding.

    Attributes:
        id: ``F-01`` … in report order.
        check: id of the check that raised it.
        clause_2015: ISO 9001:2015 clause, such as ``9.1.2``.
        clause_2008: the ISO 9001:2008 equivalent, such as ``8.2.1``.
        grade: one of :data:`GRADES`.
        title: one line.
        requirement: what the clause asks.
        evidence: what the data shows, with figures.
        gap: the difference between the two.
        kpi_id: the KPI the finding rests on, if any (the lead one).
        figures: evidence figures by name (those of the results merged into it under their KPI or check id).
        evidence_ids: ids of the rows behind the finding (complaint ids, …).
        subject: what the finding is about (:mod:`audit.assessment.subjects`); one finding per subject.
        subject_label: the subject as a report names it.
        checks: every check whose result was consolidated into it, the lead one first.
        kpi_ids: every KPI it rests on.
    """

    id: str
    check: str
    clause_2015: str
    clause_2008: str
    grade: Grade
    title: str
    requirement: str
    evidence: str
    gap: str
    kpi_id: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    evidence_ids: tuple[str, ...] = ()
    subject: str = ""
    subject_label: str = ""
    checks: tuple[str, ...] = ()
    kpi_ids: tuple[str, ...] = ()

    @property
    def grade_label(self) -> str:
        return grade_label(self.grade)

    @property
    def clauses(self) -> str:
        """Both editions, as cited in the report."""
        return _(
            "ISO 9001:2015 {clause} (ISO 9001:2008 {clause_2008})",
            clause=self.clause_2015,
            clause_2008=self.clause_2008,
        )

    @property
    def needs_action(self) -> bool:
        return self.grade in {"major", "minor", "observation", "ofi"}

    @property
    def statement(self) -> str:
        """The finding as an auditor writes it: requirement — evidence — gap."""
        return _(
            "Requirement: {requirement} Evidence: {evidence} Gap: {gap}",
            requirement=self.requirement,
            evidence=self.evidence,
            gap=self.gap,
        )

    def to_dict(self) -> dict[str, Any]:
        data = plain_fields(self)
        data["evidence_ids"] = list(self.evidence_ids)
        data["checks"] = list(self.checks)
        data["kpi_ids"] = list(self.kpi_ids)
        data["grade_label"] = self.grade_label
        data["clauses"] = self.clauses
        data["statement"] = self.statement
        return plain_dict(data)


@dataclass(frozen=True)
class Action:
    """An improvement action raised from a finding.

    ``success_kpi`` and ``success_target`` make the success measure checkable: the next
    audit recomputes the KPI and compares it with the target in the KPI's direction
    (empty and None when the measure is a record to look at, not a KPI). ``id`` is the
    action's id in the site's register, kept by ``subject`` across re-runs, revisions and
    quarters; ``carried_from`` names the earlier audit that raised it when this one raises
    it again.
    """

    id: str
    finding_id: str
    description: str
    type: Literal["correction", "corrective", "improvement"]
    owner_role: str
    owner: str
    due: dt.date
    resources: str
    success_measure: str
    preventive_measure: str
    verification: str
    status: str = "open"
    success_kpi: str = ""
    success_target: float | None = None
    subject: str = ""
    carried_from: str = ""

    def to_dict(self) -> dict[str, Any]:
        return plain_fields(self)


@dataclass(frozen=True)
class ClauseVerdict:
    """One clause of the criteria, judged on its findings.

    Attributes:
        clause: the ISO 9001:2015 clause (``9.1.2``, ``9.1.3``, ``8.2.1 c``, ``10.2``).
        clause_2008: its ISO 9001:2008 equivalent.
        title: what the clause is about, in a few words.
        verdict: met, met with observations, partly met, not met, or not assessed (no evidence to judge it).
        sentence: the verdict in one sentence, naming the findings behind it.
        findings: the ids of the findings against the clause, most severe first.
        reason: what the verdict rests on (the part of the sentence after the verdict).
    """

    clause: str
    clause_2008: str
    title: str
    verdict: Verdict
    sentence: str
    findings: tuple[str, ...] = ()
    reason: str = ""

    @property
    def verdict_label(self) -> str:
        return _(VERDICTS[self.verdict])

    def to_dict(self) -> dict[str, Any]:
        data = plain_fields(self)
        data["verdict_label"] = self.verdict_label
        return data


@dataclass(frozen=True)
class Question:
    """Something to ask the auditee on site, because the exports cannot show it.

    Attributes:
        id: ``Q-01`` … in finding order.
        subject: what it is about.
        finding_id: the finding it belongs to ("" for a question every audit asks).
        clause: the ISO 9001:2015 clause it bears on.
        question: what to ask.
        records: the records to ask to see.
        why: why the data supplied cannot answer it.
    """

    id: str
    subject: str
    finding_id: str
    clause: str
    question: str
    records: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        return plain_fields(self)


@dataclass(frozen=True)
class Sample:
    """The records of one finding drawn for the auditor to trace on site (ISO 19011:2018 A.6).

    Attributes:
        finding_id: the finding.
        subject: its subject (the sample's seed comes from the audit id and the subject).
        kind: complaints, surveys, returns, orders, customers or actions.
        population: the records behind the finding.
        size: how many were drawn (the rule is in docs/assessment.md).
        seed: the seed of the draw, so that anyone can draw it again.
        ids: the records drawn, in the order drawn.
        rule: the sample-size rule, in one sentence.
    """

    finding_id: str
    subject: str
    kind: str
    population: int
    size: int
    seed: int
    ids: tuple[str, ...]
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return plain_fields(self)


@dataclass(frozen=True)
class FollowUpRow:
    """One action of an earlier audit as this audit found it (report section 6).

    Attributes:
        result: ``effective``, ``not effective``, ``not yet verified``, ``overdue``, or the
            register status when there is nothing to judge yet.
        reason: why, in one sentence (empty when the status says it all).
    """

    action_id: str
    description: str
    owner: str
    due: dt.date | None
    status: str
    result: str
    reason: str = ""


@dataclass(frozen=True)
class FollowUp:
    """The follow-up of earlier audits' actions from the site's register.

    Attributes:
        register: whether the site's register held actions of earlier audits (a first audit,
            or a re-run of it, finds none).
        rows: the earlier actions, in register order.
        verifications: the verdict on each closed action this audit judged (written to the register).
    """

    register: bool = False
    rows: tuple[FollowUpRow, ...] = ()
    verifications: tuple[Verification, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """Findings, actions, the follow-up of earlier actions, the verdict per clause and the overall conclusion.

    Attributes:
        clauses: the verdict on each clause of the criteria, 9.1.2 first.
        questions: what to ask the auditee on site (what the exports cannot show).
        samples: per finding, the records drawn for the auditor to trace on site.
    """

    findings: tuple[Finding, ...]
    actions: tuple[Action, ...]
    conclusion: Conclusion
    conclusion_reason: str
    follow_up: FollowUp = FollowUp()
    clauses: tuple[ClauseVerdict, ...] = ()
    questions: tuple[Question, ...] = ()
    samples: tuple[Sample, ...] = ()
    #: where ``assessment["F-01"]`` finds the records behind a finding (the kernel's data only)
    records: RecordSource | None = field(default=None, compare=False, repr=False)

    @property
    def conclusion_label(self) -> str:
        return conclusion_label(self.conclusion)

    def finding(self, finding_id: str) -> FindingRecords:
        """A finding with its clause, evidence figures and every record behind it (file and Excel row of each).

        Raises:
            KeyError: no finding has this id.
        """
        found = next((f for f in self.findings if f.id == finding_id), None)
        if found is None:
            raise KeyError(finding_id)
        return finding_records(found, self.records)

    def __getitem__(self, finding_id: str) -> FindingRecords:
        return self.finding(finding_id)

    def count(self, grade: str) -> int:
        """Number of findings of one grade."""
        return sum(f.grade == grade for f in self.findings)

    def clause(self, clause: str) -> ClauseVerdict | None:
        """The verdict on one clause (``9.1.2`` …), if judged."""
        return next((c for c in self.clauses if c.clause == clause), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "conclusion": self.conclusion,
            "conclusion_label": self.conclusion_label,
            "conclusion_reason": self.conclusion_reason,
            "clauses": [c.to_dict() for c in self.clauses],
            "findings": [f.to_dict() for f in self.findings],
            "actions": [a.to_dict() for a in self.actions],
            "auditee_questions": [q.to_dict() for q in self.questions],
            "verification_sample": [s.to_dict() for s in self.samples],
        }

    def __repr__(self) -> str:
        """A line, not every finding's evidence ids (a notebook keeps the text beside the table)."""
        return f"<Assessment: {len(self.findings)} findings, {len(self.actions)} actions, {self.conclusion}>"

    def _repr_html_(self) -> str:
        from audit.report.tables import assessment_html

        return assessment_html(self)
