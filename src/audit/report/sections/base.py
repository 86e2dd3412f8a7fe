"""What every report section shares: the headings, the input, and sentences used in several sections."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from audit import format as fmt
from audit.cycle.revisions import Revision
from audit.model import Assessment, AuditSnapshot
from audit.report.tables import GRADE_ORDER

__all__ = [
    "DEFAULT_OBJECTIVES",
    "HEADLINE_KPIS",
    "KIND_LABELS",
    "SECTIONS",
    "ReportInput",
    "action_sentence",
    "breakable",
    "clip",
    "criteria_text",
    "dimension_label",
    "findings_by_severity",
    "grade_sentence",
    "join",
]


@dataclass(frozen=True)
class ReportInput:
    """What a report is rendered from: the audit's snapshot and the revision being written.

    Attributes:
        snapshot: the audit's results (results.json).
        revision: the revision number, the issue it replaces and what changed since, and
            whether it is the issued (final) rendering.
    """

    snapshot: AuditSnapshot
    revision: Revision = field(default_factory=lambda: Revision(1))


#: section name → heading, in report order (numbers are part of the heading)
SECTIONS: dict[str, str] = {
    "cover": "Cover",
    "summary": "1 Executive summary",
    "details": "2 Audit details",
    "results": "3 Results",
    "findings": "4 Findings",
    "actions": "5 Improvement action plan",
    "follow_up": "6 Follow-up of previous actions",
    "conclusions": "7 Conclusions",
    "appendix_data_quality": "Appendix A Data quality",
    "appendix_methodology": "Appendix B Methodology and formulas",
    "appendix_evidence": "Appendix C Evidence",
    "appendix_onsite": "Appendix D Auditee questions and verification sample",
}


#: KPIs always shown on the executive scorecard (with every KPI that has a target)
HEADLINE_KPIS = (
    "responses",
    "csat_mean",
    "nps",
    "complaints",
    "complaints_resolved_within_sla_pct",
    "otif_pct",
    "return_rate_pct",
)

#: most problems listed in Appendix A; the rest are in the Excel workbooks
MAX_PROBLEMS_SHOWN = 25
#: most evidence ids quoted under a finding
MAX_EVIDENCE_IDS = 20
#: most rows of an evidence list in Appendix C; all of them are in findings.xlsx
MAX_EVIDENCE_ROWS = 25

#: most changes since the issued revision listed on the cover (the rest are counted)
MAX_CHANGES_SHOWN = 8


KIND_LABELS = {
    "surveys": "Survey responses",
    "complaints": "Complaints",
    "returns": "Returns",
    "orders": "Orders",
    "customers": "Customers",
}

DEFAULT_OBJECTIVES = (
    "Determine whether the organisation monitors customers' perceptions of the degree to "
    "which their needs and expectations have been fulfilled (ISO 9001:2015 9.1.2).",
    "Determine whether the methods for obtaining, monitoring and reviewing this information "
    "are defined, applied and effective, including complaint handling, returns and delivery "
    "performance.",
    "Evaluate whether the results are analysed and used to drive corrective action and "
    "improvement (ISO 9001:2015 9.1.3 and 10.2), and identify opportunities for improvement.",
)


_BREAK_AFTER = re.compile(r"([/_.\\-])")


def breakable(text: object) -> str:
    """Text with a zero-width space after ``/ _ . - \\``, so file names and rule ids wrap there."""
    return _BREAK_AFTER.sub("\\1\u200b", str(text))


def dimension_label(name: str) -> str:
    return str(name).replace("_", " ").strip().capitalize()


def criteria_text(edition: str) -> str:
    if edition == "ISO 9001:2008":
        return "ISO 9001:2008 clause 8.2.1 Customer satisfaction (ISO 9001:2015 clause 9.1.2)"
    return "ISO 9001:2015 clause 9.1.2 Customer satisfaction (ISO 9001:2008 clause 8.2.1)"


def findings_by_severity(assessment: Assessment) -> list[Any]:
    return sorted(assessment.findings, key=lambda f: (GRADE_ORDER.index(f.grade), f.id))


def grade_sentence(assessment: Assessment) -> str:
    counts: Counter[str] = Counter(f.grade for f in assessment.findings)
    if not assessment.findings:
        return "No findings were raised."
    nc = counts["major"] + counts["minor"]
    parts = []
    if nc:
        split = ", ".join(f"{counts[g]} {g}" for g in ("major", "minor") if counts[g])
        parts.append(f"{nc} nonconformit{'y' if nc == 1 else 'ies'} ({split})")
    else:
        parts.append("no nonconformities")
    for grade, singular, plural in (
        ("observation", "observation", "observations"),
        ("ofi", "opportunity for improvement", "opportunities for improvement"),
        ("good_practice", "good practice", "good practices"),
        ("conforming", "conforming check", "conforming checks"),
    ):
        if counts[grade]:
            parts.append(f"{counts[grade]} {singular if counts[grade] == 1 else plural}")
    return join(parts).capitalize() + "."


def join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def action_sentence(assessment: Assessment) -> str:
    actions = assessment.actions
    if not actions:
        return "No improvement actions were raised."
    earliest = min(a.due for a in actions)
    owners = len({a.owner or a.owner_role for a in actions})
    noun = "action was" if len(actions) == 1 else "actions were"
    return (
        f"{len(actions)} improvement {noun} raised, for {owners} owner{'s' if owners != 1 else ''}; "
        f"the first is due on {fmt.date(earliest)}."
    )


def clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
