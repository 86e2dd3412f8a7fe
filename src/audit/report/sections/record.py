"""Findings, the action plan, the follow-up of earlier actions, and the appendices."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from audit import format as fmt
from audit.catalogue import label as catalogue_label
from audit.catalogue import spec_for
from audit.i18n import _
from audit.model import Action, AuditSnapshot, Finding
from audit.report.sections.base import (
    MAX_EVIDENCE_IDS,
    MAX_EVIDENCE_ROWS,
    MAX_PROBLEMS_SHOWN,
    ReportInput,
    action_sentence,
    findings_by_severity,
    grade_sentence,
)
from audit.report.words import clause_title, kpi_name, readable, result_label, words

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
    ordered = findings_by_severity(assessment)
    return {
        "findings": ordered,
        "by_clause": by_clause(ordered),
        "grade_sentence": grade_sentence(assessment.findings),
        "max_ids": MAX_EVIDENCE_IDS,
        "quotes_requirement": quotes_requirement,
    }


def by_clause(findings: list[Finding]) -> list[dict[str, Any]]:
    """The findings grouped by their ISO 9001:2015 clause (in clause order), each clause with the
    requirement text printed once above them (see :func:`quotes_requirement`)."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.clause_2015, []).append(f)

    def key(clause: str) -> tuple[tuple[int, str], ...]:
        return tuple((int(p), "") if p.isdigit() else (0, p) for p in re.split(r"[.\s]+", clause) if p)

    out = []
    for clause in sorted(groups, key=key):
        out.append(
            {
                "clause": clause,
                "title": clause_title(clause),
                "requirement": _requirement(groups[clause]),
                "findings": groups[clause],
            }
        )
    return out


def _requirement(findings: Sequence[Finding]) -> str:
    """The requirement text a clause's findings quote: the text that contains most of theirs (a finding
    may quote the requirement alone, another the requirement and its guidance); the longest on a tie."""
    texts = {f.requirement for f in findings if f.requirement}
    return max(texts, key=lambda t: (sum(quotes_requirement(f, t) for f in findings), len(t)), default="")


def quotes_requirement(f: Finding, requirement: str) -> bool:
    """Whether the finding's requirement is the clause's (or its beginning): then it is not printed again."""
    return not f.requirement or requirement.startswith(f.requirement)


def actions(r: ReportInput) -> dict[str, Any]:
    """Section 5: the improvement action plan."""
    assessment = r.snapshot.assessment
    return {
        "actions": list(assessment.actions),
        "action_sentence": action_sentence(assessment),
        "verification": _verification(assessment.actions),
    }


def _verification(actions: Sequence[Action]) -> list[tuple[str, list[str]]]:
    """How each action is verified: each distinct text once, with the actions it is for (the same
    sentence is not repeated for every action; resources and preventive measures are in the action's row)."""
    texts: dict[str, list[str]] = {}
    for a in actions:
        text = readable(str(a.verification or "").strip())
        if text:
            texts.setdefault(text, []).append(a.id)
    return list(texts.items())


def follow_up(r: ReportInput) -> dict[str, Any]:
    """Section 6: earlier audits' actions from the site's register, and this audit's verdict on each."""
    follow = r.snapshot.assessment.follow_up
    counts = Counter(row.result for row in follow.rows)
    return {
        "rows": follow.rows,
        "register": follow.register,
        "counts": [(result_label(k), n) for k, n in sorted(counts.items(), key=lambda item: -item[1])],
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
            rows = [[fmt.cell(cell) for cell in row] for row in records.rows[:MAX_EVIDENCE_ROWS]]
            table = {"header": records.header, "rows": rows}
        lists.append(
            {
                "finding": finding,
                "table": table,
                "ids": wanted[:MAX_EVIDENCE_ROWS],
                "more": max(len(wanted) - MAX_EVIDENCE_ROWS, 0),
            }
        )
    return {"lists": lists, "max_rows": MAX_EVIDENCE_ROWS}


def appendix_methodology(r: ReportInput) -> dict[str, Any]:
    """Appendix B: the scales, the SLA and the targets the figures were judged against."""
    s = r.snapshot
    config = s.config
    scale = config.data.surveys.scale_of("overall") if config.data.surveys is not None else None
    if scale is not None:
        top2 = _("{a} or {b}", a=scale.max - 1, b=scale.max)
        bottom2 = _("{a} or {b}", a=scale.min, b=scale.min + 1)
    else:
        top2, bottom2 = _("the two highest scale points"), _("the two lowest scale points")
    return {
        "scale": f"{scale.min}–{scale.max}" if scale is not None else _("as declared in audit.yaml"),
        "top2": top2,
        "bottom2": bottom2,
        "sla": config.sla,
        "targets": [_target(s, kpi_id, target) for kpi_id, target in sorted(config.targets.items())],
        "clustered": [k for k in s.kpis if k.design_effect is not None and k.value is not None],
        "chart_kind": s.kpis.analyses.complaint_chart.kind if s.kpis.analyses.complaint_chart else "",
    }


def _target(s: AuditSnapshot, kpi_id: str, target: float) -> tuple[str, str]:
    """A target as the methodology's table shows it: the KPI's name and the target in the KPI's unit."""
    kpi = s.kpis.get(kpi_id)
    if kpi is not None:
        return kpi_name(kpi), fmt.value(target, kpi.unit, kpi_id=kpi_id)
    try:
        spec = spec_for(kpi_id)
    except KeyError:
        return words(kpi_id), fmt.number(target, 2)
    return catalogue_label(kpi_id), fmt.value(target, spec.unit, kpi_id=kpi_id)
