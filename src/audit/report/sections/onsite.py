"""What the report adds from the on-site plan and the period's coverage: the auditee questions and
verification sample, and the coverage statement.

The builders only read the snapshot: the verdicts, questions and samples are made by
:mod:`audit.assessment` (clauses, onsite), the coverage by :mod:`audit.kpi.coverage`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from audit import format as fmt
from audit.assessment.checks.base import count_of
from audit.assessment.onsite import subject_name
from audit.i18n import _
from audit.model import AuditSnapshot
from audit.report.sections.base import ReportInput
from audit.report.words import KIND_LABELS

__all__ = ["appendix_onsite", "coverage_lines"]


def coverage_lines(s: AuditSnapshot) -> list[str]:
    """The coverage statement: the period not ended at the audit date, exports that stop before its end.

    Empty when the period has ended and every export reaches its end.
    """
    reach = s.kpis.coverage
    if reach is None or reach.complete:
        return []
    lines = []
    if reach.unfinished:
        lines.append(
            _(
                "The audited period runs to {end}, but the audit is dated {day}: the period had not ended, so its "
                "figures cover only part of it.",
                end=fmt.date(reach.period_end),
                day=fmt.date(reach.audit_date),
            )
        )
    for kind in reach.kinds:
        if kind.last is None or not (kind.ends_early or reach.unfinished):
            continue
        lines.append(
            _(
                "{kind}: the export ends on {last}, {days} days before the period's end; open complaints and orders "
                "due are judged as of {as_of}.",
                kind=_(KIND_LABELS.get(kind.kind, kind.kind)),
                last=fmt.date(kind.last),
                days=fmt.count((reach.period_end - kind.last).days),
                as_of=fmt.date(kind.as_of),
            )
            if kind.kind in {"complaints", "orders"}
            else _(
                "{kind}: the export ends on {last}, {days} days before the period's end.",
                kind=_(KIND_LABELS.get(kind.kind, kind.kind)),
                last=fmt.date(kind.last),
                days=fmt.count((reach.period_end - kind.last).days),
            )
        )
    return lines


#: a sample's records in words, per kind: ``343 complaints``, ``343 起投诉``
_RECORDS: dict[str, Callable[[int], str]] = {
    "complaints": lambda n: count_of(n, "{n} complaint", "{n} complaints"),
    "surveys": lambda n: count_of(n, "{n} survey response", "{n} survey responses"),
    "returns": lambda n: count_of(n, "{n} return", "{n} returns"),
    "orders": lambda n: count_of(n, "{n} order", "{n} orders"),
    "customers": lambda n: count_of(n, "{n} customer", "{n} customers"),
    "actions": lambda n: count_of(n, "{n} action", "{n} actions"),
}


def records_of(kind: str, n: int) -> str:
    """How many records of a kind a sample is drawn from, in words, in the current language."""
    words = _RECORDS.get(kind)
    return words(n) if words else f"{fmt.count(n)} {kind}"


def appendix_onsite(r: ReportInput) -> dict[str, Any]:
    """Appendix E: what to ask the auditee on site, and the records of each finding to trace there."""
    assessment = r.snapshot.assessment
    findings = {f.id: f for f in assessment.findings}
    questions = [
        {"q": q, "subject": subject_name(q.subject), "finding": findings.get(q.finding_id)}
        for q in assessment.questions
    ]
    samples = [
        {
            "s": s,
            "subject": subject_name(s.subject),
            "finding": findings.get(s.finding_id),
            "records": records_of(s.kind, s.population),
        }
        for s in assessment.samples
    ]
    config = r.snapshot.config.sampling
    return {
        "questions": questions,
        "samples": samples,
        "confidence": fmt.percent(config.confidence_pct, 0),
        "tolerable": fmt.percent(config.tolerable_pct, 0),
    }
