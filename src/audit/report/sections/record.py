"""Findings, the action plan, the follow-up of earlier actions, and the appendices."""

from __future__ import annotations

from collections import Counter
from typing import Any

from audit import format as fmt
from audit.report.sections.base import (
    MAX_EVIDENCE_IDS,
    MAX_EVIDENCE_ROWS,
    MAX_PROBLEMS_SHOWN,
    ReportInput,
    action_sentence,
    grade_sentence,
)

__all__ = [
    "actions",
    "appendix_data_quality",
    "appendix_evidence",
    "appendix_methodology",
    "findings",
    "follow_up",
]


def findings(r: ReportInput) -> dict[str, Any]:
    """Section 4: every finding with its requirement, evidence and grade."""
    assessment = r.snapshot.assessment
    return {
        "findings": list(assessment.findings),
        "grade_sentence": grade_sentence(assessment.findings),
        "max_ids": MAX_EVIDENCE_IDS,
    }


def actions(r: ReportInput) -> dict[str, Any]:
    """Section 5: the improvement action plan."""
    assessment = r.snapshot.assessment
    return {"actions": list(assessment.actions), "action_sentence": action_sentence(assessment)}


def follow_up(r: ReportInput) -> dict[str, Any]:
    """Section 6: earlier audits' actions from the site's register, and this audit's verdict on each."""
    follow = r.snapshot.assessment.follow_up
    counts = Counter(row.result for row in follow.rows)
    return {
        "rows": follow.rows,
        "register": follow.register,
        "counts": sorted(counts.items(), key=lambda item: -item[1]),
    }


def appendix_data_quality(r: ReportInput) -> dict[str, Any]:
    """Appendix A: the data-quality problems, by rule, and the first of them in full."""
    s = r.snapshot
    problems = list(s.problems)
    by_rule = Counter(p.rule for p in problems)
    files = {p.file for p in problems}
    quarantined_rows = len({(p.file, p.sheet, p.row) for p in problems if p.quarantined and p.row is not None})
    kept = {p.rule for p in problems if not p.quarantined}
    return {
        "problems": problems[:MAX_PROBLEMS_SHOWN],
        "more": max(len(problems) - MAX_PROBLEMS_SHOWN, 0),
        "total": len(problems),
        "files": len(files),
        "by_rule": [(rule, n, rule not in kept) for rule, n in by_rule.most_common()],
        "quarantined_rows": quarantined_rows,
        "checked": [(source.path, source.rows_read) for source in s.sources],
        "notes": [(source.path, note) for source in s.sources for note in source.notes],
    }


def appendix_evidence(r: ReportInput) -> dict[str, Any]:
    """Appendix C: per finding, the first rows behind it (all of them are in findings.xlsx)."""
    s = r.snapshot
    lists = []
    for finding in s.assessment.findings:
        if not finding.evidence_ids:
            continue
        wanted = list(dict.fromkeys(finding.evidence_ids))
        records = s.evidence.get(finding.id)
        table = None
        if records is not None:
            rows = [[cell or fmt.NA for cell in row] for row in records.rows[:MAX_EVIDENCE_ROWS]]
            table = {"header": records.header, "rows": rows}
        lists.append(
            {
                "finding": finding,
                "table": table,
                "ids": wanted[:MAX_EVIDENCE_ROWS],
                "more": max(len(wanted) - MAX_EVIDENCE_ROWS, 0),
            }
        )
    return {"lists": lists}


def appendix_methodology(r: ReportInput) -> dict[str, Any]:
    """Appendix B: the scales, the SLA and the targets the figures were judged against."""
    s = r.snapshot
    config = s.config
    scale = config.data.surveys.scale_of("overall") if config.data.surveys is not None else None
    top2 = f"{scale.max - 1} or {scale.max}" if scale is not None else "the two highest scale points"
    bottom2 = f"{scale.min} or {scale.min + 1}" if scale is not None else "the two lowest scale points"
    return {
        "scale": f"{scale.min}–{scale.max}" if scale is not None else "as declared in audit.yaml",
        "top2": top2,
        "bottom2": bottom2,
        "sla": config.sla,
        "targets": sorted(config.targets.items()),
        "target_labels": {k.id: k.label for k in s.kpis},
    }
