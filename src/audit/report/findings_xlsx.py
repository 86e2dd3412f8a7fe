"""findings.xlsx: the audit's findings, actions, KPIs and evidence for people who work in Excel.

Sheets: Summary, KPIs, Findings, Actions, Data quality, Themes, Evidence. Every sheet has a bold
frozen header, a filter and column widths; findings and actions are coloured by grade.
Text from the data is never stored as a formula (see :mod:`audit.report.xlsx`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from audit.io import save_workbook
from audit.model import GRADES, AuditSnapshot
from audit.report.themes_xlsx import THEME_HEADER, THEME_WIDTHS, theme_rows
from audit.report.xlsx import PROBLEM_HEADER, PROBLEM_WIDTHS, problem_rows, write_sheet

__all__ = ["GRADE_COLOURS", "write_findings"]

#: light fills that stay distinct when printed in greyscale, most severe darkest
GRADE_COLOURS = {
    "major": "F4B6B0",
    "minor": "F9D3A7",
    "observation": "FBEBB5",
    "ofi": "DCE9F5",
    "good_practice": "D5ECD4",
    "conforming": None,
}


def grade_key(label: str) -> str:
    """The grade id of a grade label (``Minor nonconformity`` → ``minor``)."""
    return next((grade for grade, text in GRADES.items() if text == label), "")


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def write_findings(snapshot: AuditSnapshot, path: Path) -> Path:
    """Write findings.xlsx for one audit.

    Example:
        >>> write_findings(snapshot, Path("findings.xlsx"))   # doctest: +SKIP
    """
    from openpyxl import Workbook

    info = snapshot.config.audit
    kpis, assessment = snapshot.kpis, snapshot.assessment
    book = Workbook(write_only=True)
    grade_of = {f.id: f.grade for f in assessment.findings}
    summary: list[tuple[str, Any]] = [
        ("Audit", info.id),
        ("Organisation", info.organisation),
        ("Site", info.site),
        ("Period", info.period_label),
        ("Audit date", info.audit_date),
        ("Criteria", info.criteria),
        ("Lead auditor", info.lead_auditor),
        ("Conclusion", assessment.conclusion_label),
        ("Why", assessment.conclusion_reason),
    ]
    summary += [(f"Findings: {label}", assessment.count(grade)) for grade, label in GRADES.items()]
    summary += [
        ("Actions", len(assessment.actions)),
        ("Data-quality problems", len(snapshot.problems)),
        ("Rows quarantined", snapshot.quarantined_rows),
    ]
    write_sheet(book, "Summary", ("Item", "Value"), summary, widths=(26, 90))
    write_sheet(
        book,
        "KPIs",
        ("KPI", "Label", "Value", "Unit", "n", "CI low", "CI high", "Target", "Status", "Previous", "Change",
         "p-value", "Verdict", "Benchmark", "Source", "Note"),
        [
            (k.id, k.label, _round(k.value), k.unit, k.n, _round(k.ci_low), _round(k.ci_high), k.target, k.status,
             _round(k.previous), _round(k.change), _round(k.p_value), k.verdict or "", k.benchmark, k.source, k.note)
            for k in kpis.kpis
        ],
    )  # fmt: skip
    write_sheet(
        book,
        "Findings",
        ("Finding", "Grade", "ISO 9001:2015", "ISO 9001:2008", "Title", "Requirement", "Evidence", "Gap", "Check",
         "KPI", "Evidence ids"),
        [
            (f.id, GRADES[f.grade], f.clause_2015, f.clause_2008, f.title, f.requirement, f.evidence, f.gap, f.check,
             f.kpi_id or "", len(f.evidence_ids))
            for f in assessment.findings
        ],
        widths=(9, 16, 12, 12, 40, 50, 60, 50, 20, 22, 11),
        fills=[GRADE_COLOURS.get(f.grade) for f in assessment.findings],
    )  # fmt: skip
    write_sheet(
        book,
        "Actions",
        ("Action", "Finding", "Grade", "Type", "Description", "Owner role", "Owner", "Due", "Resources",
         "Success measure", "Preventive measure", "Verification", "Status"),
        [
            (a.id, a.finding_id, GRADES.get(grade_of.get(a.finding_id, ""), ""), a.type, a.description, a.owner_role,
             a.owner, a.due, a.resources, a.success_measure, a.preventive_measure, a.verification, a.status)
            for a in assessment.actions
        ],
        widths=(9, 9, 16, 12, 60, 16, 18, 11, 30, 40, 40, 40, 10),
        fills=[GRADE_COLOURS.get(grade_of.get(a.finding_id, "")) for a in assessment.actions],
    )  # fmt: skip
    write_sheet(book, "Data quality", PROBLEM_HEADER, problem_rows(snapshot.problems), widths=PROBLEM_WIDTHS)
    write_sheet(book, "Themes", THEME_HEADER, theme_rows(snapshot), widths=THEME_WIDTHS)
    evidence: list[tuple[Any, ...]] = []
    limit = snapshot.config.outputs.evidence_rows
    for f in assessment.findings:
        records = snapshot.evidence.get(f.id)
        found = {row[0]: row for row in records.rows} if records else {}
        ids = list(dict.fromkeys(f.evidence_ids))
        for ident in ids[:limit]:
            row = found.get(ident)
            if records is not None and row is not None:
                details = "; ".join(f"{h}: {v}" for h, v in zip(records.header[1:-1], row[1:-1], strict=True))
                evidence.append((f.id, GRADES[f.grade], records.kind, ident, details, row[-1] if len(row) > 1 else ""))
            else:
                evidence.append((f.id, GRADES[f.grade], "", ident, "", ""))
        if len(ids) > limit:
            note = f"and {len(ids) - limit:,} more; every id is in results.json (findings[].evidence_ids)"
            evidence.append((f.id, GRADES[f.grade], "", "…", note, ""))
    write_sheet(
        book,
        "Evidence",
        ("Finding", "Grade", "Kind", "Evidence id", "Record", "Text"),
        evidence,
        widths=(9, 16, 11, 22, 70, 80),
        fills=[GRADE_COLOURS.get(grade_key(row[1])) for row in evidence],
    )
    return save_workbook(book, path)
