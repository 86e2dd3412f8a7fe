"""What every report section shares: the headings, the input, and sentences used in several sections."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from audit import format as fmt
from audit.cycle.revisions import Revision
from audit.i18n import N_, _, current, ngettext
from audit.model import Assessment, AuditSnapshot, Finding
from audit.model.data import SourceInfo
from audit.report.tables import GRADE_ORDER

__all__ = [
    "HEADLINE_KPIS",
    "SECTIONS",
    "IssueStamp",
    "ReportInput",
    "action_sentence",
    "breakable",
    "clip",
    "conclusion_reason",
    "criteria_text",
    "findings_by_severity",
    "grade_counts",
    "grade_sentence",
    "inputs_sha256",
    "join",
    "period_dates",
]


@dataclass(frozen=True)
class IssueStamp:
    """The issue of a report, printed on the cover of the issued PDF.

    Attributes:
        issued_on: the date of issue.
        by: who issued it.
        inputs_sha256: the fingerprint of the input files (:func:`inputs_sha256`).
    """

    issued_on: dt.date
    by: str
    inputs_sha256: str


@dataclass(frozen=True)
class ReportInput:
    """What a report is rendered from: the audit's snapshot and the revision being written.

    Attributes:
        snapshot: the audit's results (results.json).
        revision: the revision number, the issue it replaces and what changed since, and
            whether it is the issued (final) rendering.
        stamp: the issue stamp of an issued rendering (``finalize``); None for a draft.
    """

    snapshot: AuditSnapshot
    revision: Revision = field(default_factory=lambda: Revision(1))
    stamp: IssueStamp | None = None


#: section name → heading (an English message id), in report order; numbers are part of the heading.
#: Everything before the first appendix is the report's main body.
SECTIONS: dict[str, str] = {
    "cover": N_("Cover"),
    "summary": N_("1 Management summary"),
    "details": N_("2 Audit details"),
    "results": N_("3 Detailed results"),
    "findings": N_("4 Findings"),
    "actions": N_("5 Improvement action plan"),
    "follow_up": N_("6 Follow-up of previous actions"),
    "conclusions": N_("7 Conclusions"),
    "appendix_kpis": N_("Appendix A All KPIs"),
    "appendix_data_quality": N_("Appendix B Data quality"),
    "appendix_methodology": N_("Appendix C Methodology and formulas"),
    "appendix_evidence": N_("Appendix D Evidence"),
    "appendix_onsite": N_("Appendix E Auditee questions and verification sample"),
}


#: KPIs always shown on the scorecard (with every KPI that has a target)
HEADLINE_KPIS = (
    "responses",
    "csat_mean",
    "nps",
    "complaints",
    "complaints_resolved_within_sla_pct",
    "otif_pct",
    "return_rate_pct",
)

#: most problems listed in Appendix B; the rest are in the Excel workbooks
MAX_PROBLEMS_SHOWN = 25
#: most evidence ids quoted under a finding
MAX_EVIDENCE_IDS = 6
#: most rows of an evidence list in Appendix D; all of them are in findings.xlsx
MAX_EVIDENCE_ROWS = 15

#: most changes since the issued revision listed on the cover (the rest are counted)
MAX_CHANGES_SHOWN = 6


_BREAK_AFTER = re.compile(r"([/_.\\-])")


def breakable(text: object) -> str:
    """Text with a zero-width space after ``/ _ . - \\``, so file names wrap there."""
    return _BREAK_AFTER.sub("\\1\u200b", str(text))


def criteria_text(edition: str) -> str:
    """The audit criteria as the cover names them."""
    if edition == "ISO 9001:2008":
        return _("ISO 9001:2008 clause 8.2.1 Customer satisfaction (ISO 9001:2015 clause 9.1.2)")
    return _("ISO 9001:2015 clause 9.1.2 Customer satisfaction (ISO 9001:2008 clause 8.2.1)")


def period_dates(s: AuditSnapshot) -> str:
    """The audited period's first and last day in words."""
    info = s.config.audit
    return _("{start} to {end}", start=fmt.date(info.period_start), end=fmt.date(info.period_end))


def findings_by_severity(assessment: Assessment) -> list[Finding]:
    return sorted(assessment.findings, key=lambda f: (GRADE_ORDER.index(f.grade), f.id))


def grade_counts(findings: Sequence[Finding]) -> list[tuple[str, int]]:
    """(grade, count) for the grades that occur, most severe first."""
    counts: Counter[str] = Counter(f.grade for f in findings)
    return [(grade, counts[grade]) for grade in GRADE_ORDER if counts[grade]]


def grade_phrase(grade: str, n: int) -> str:
    """``3 observations``, ``1 minor nonconformity`` (``3 项观察项`` in Chinese)."""
    if grade == "major":
        return ngettext("{n} major nonconformity", "{n} major nonconformities", n)
    if grade == "minor":
        return ngettext("{n} minor nonconformity", "{n} minor nonconformities", n)
    if grade == "observation":
        return ngettext("{n} observation", "{n} observations", n)
    if grade == "ofi":
        return ngettext("{n} opportunity for improvement", "{n} opportunities for improvement", n)
    if grade == "good_practice":
        return ngettext("{n} good practice", "{n} good practices", n)
    return ngettext("{n} conforming check", "{n} conforming checks", n)


def conclusion_reason(findings: Sequence[Finding]) -> str:
    """Why the overall conclusion is what it is, in the report's language (the rule of
    :func:`audit.assessment.conclude`, written from the findings rather than read from results.json)."""
    counts = dict(grade_counts(findings))
    if counts.get("major"):
        return _("{majors}: a requirement of the clause is not met.", majors=grade_phrase("major", counts["major"]))
    if counts.get("minor"):
        return _("{minors}: the requirements are partly met.", minors=grade_phrase("minor", counts["minor"]))
    if counts.get("observation") or counts.get("ofi"):
        parts = [grade_phrase(g, counts[g]) for g in ("observation", "ofi") if counts.get(g)]
        return _("No nonconformity; {list}.", list=join(parts))
    return _("No nonconformity, observation or opportunity for improvement was found.")


def grade_sentence(findings: Sequence[Finding]) -> str:
    """The findings counted by grade, in one sentence."""
    if not findings:
        return _("No findings were raised.")
    parts = [grade_phrase(grade, n) for grade, n in grade_counts(findings)]
    return _("Findings: {list}.", list=join(parts))


def join(parts: Sequence[str]) -> str:
    """``a, b and c`` (``a、b和c`` in Chinese)."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    if current() == "zh-CN":
        return "、".join(parts[:-1]) + "和" + parts[-1]
    return ", ".join(parts[:-1]) + _(" and ") + parts[-1]


def action_sentence(assessment: Assessment) -> str:
    actions = assessment.actions
    if not actions:
        return _("No improvement actions were raised.")
    earliest = min(a.due for a in actions)
    owners = len({a.owner or a.owner_role for a in actions})
    raised = ngettext("{n} improvement action was raised", "{n} improvement actions were raised", len(actions))
    people = ngettext("for {n} owner", "for {n} owners", owners)
    return _("{raised}, {owners}; the first is due on {date}.", raised=raised, owners=people, date=fmt.date(earliest))


def clip(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def inputs_sha256(sources: Sequence[SourceInfo]) -> str:
    """One fingerprint of the input files: sha256 over ``kind, path, sha256`` of each, one line each, sorted.

    The same files (by content) under the same names give the same fingerprint; manifest.json and
    results.json hold each file's own sha256 to check it against.
    """
    lines = sorted(f"{s.kind}\t{s.path}\t{s.sha256}\n" for s in sources)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def as_text(value: Any) -> str:
    """A cell from the data as a reader sees it: ``<NA>``, ``nan``, ``None`` and blanks become an en dash."""
    return fmt.cell(value)
