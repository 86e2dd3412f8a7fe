"""findings.xlsx: the audit's findings, actions, KPIs and evidence for people who work in Excel.

Sheets: Summary, KPIs, Findings, Actions, Clauses, Auditee questions, Verification sample, Data
quality, Themes, Evidence. Every sheet has a bold
frozen header, a filter and column widths; findings and actions are coloured by grade.
Text from the data is never stored as a formula (see :mod:`audit.report.xlsx`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from audit.format import EXCEL_COUNT, EXCEL_P, excel_format
from audit.i18n import N_, _, language
from audit.io import save_workbook
from audit.model import GRADES, AuditSnapshot, Kpi
from audit.model.findings import grade_label
from audit.model.register import status_word
from audit.report.themes_xlsx import THEME_FORMATS, THEME_WIDTHS, theme_header, theme_rows
from audit.report.words import (
    action_type,
    column_label,
    kind_label,
    kpi_name,
    readable,
    role_label,
    status_label,
    verdict_label,
)
from audit.report.xlsx import (
    PROBLEM_FORMATS,
    PROBLEM_WIDTHS,
    WRAP,
    Styled,
    code_word,
    problem_header,
    problem_rows,
    write_sheet,
)

__all__ = ["GRADE_COLOURS", "UNITS", "grade_key", "write_findings"]

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
    """The grade id of a grade label in the current language (``Minor nonconformity``, ``一般不符合`` → ``minor``)."""
    return next((grade for grade in GRADES if grade_label(grade) == label), "")


#: a KPI's unit as the KPIs sheet names it in another language than English (English keeps the unit's code)
UNITS = {
    "score": N_("score"),
    "points": N_("points"),
    "days": N_("days"),
    "count": N_("count"),
    "per 1000": N_("per 1000"),
    "index": N_("index"),
    "value": N_("amount"),
}


def _unit(unit: str) -> str:
    return code_word(unit, lambda u: _(UNITS[u]) if u in UNITS else u)


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _kpi_row(k: Kpi, currency: str) -> tuple[Any, ...]:
    """One KPI: every figure a number (4 decimals kept) with its unit's Excel format (45.3 shown 45.3%, 3.46 days 3.5)."""
    shown = excel_format(k.unit, k.id, currency=currency)

    def figure(value: float | None, number_format: str = shown) -> Styled:
        return Styled(_round(value), number_format)

    return (
        k.id, kpi_name(k), figure(k.value), _unit(k.unit), k.n, figure(k.ci_low), figure(k.ci_high), figure(k.target),
        code_word(k.status, status_label), figure(k.previous), figure(k.change, excel_format(k.unit, k.id, signed=True)),
        _round(k.p_value), code_word(k.verdict, verdict_label) if k.verdict else "", figure(k.benchmark),
        code_word(k.source, kind_label), k.note,
    )  # fmt: skip


def write_findings(snapshot: AuditSnapshot, path: Path) -> Path:
    """Write findings.xlsx for one audit, in the audit's language (``audit.language``).

    Sheet names, headers, grades, statuses, verdicts and every fixed word are in the audit's
    language; ids and what the organisation typed stay as they are. Numbers keep their value
    (a percentage as results.json holds it: 45.3) and take an Excel number format that shows
    them as the report does (``45.3%``, ``3.5``, ``1,234``); long texts are wrapped.

    Example:
        >>> write_findings(snapshot, Path("findings.xlsx"))   # doctest: +SKIP
    """
    info = snapshot.config.audit
    with language(info.language):
        return _write_findings(snapshot, path)


def _write_findings(snapshot: AuditSnapshot, path: Path) -> Path:
    from openpyxl import Workbook

    info = snapshot.config.audit
    kpis, assessment = snapshot.kpis, snapshot.assessment
    book = Workbook(write_only=True)
    grade_of = {f.id: f.grade for f in assessment.findings}
    summary: list[tuple[str, Any]] = [
        (_("Audit"), info.id),
        (_("Organisation"), info.organisation),
        (_("Site"), info.site),
        (_("Period"), info.period_label),
        (_("Audit date"), info.audit_date),
        (_("Criteria"), info.criteria),
        (_("Lead auditor"), info.lead_auditor),
        (_("Conclusion"), assessment.conclusion_label),
        (_("Why"), assessment.conclusion_reason),
    ]
    summary += [(_("Findings: {grade}", grade=grade_label(grade)), assessment.count(grade)) for grade in GRADES]
    summary += [
        (_("Actions"), len(assessment.actions)),
        (_("Data-quality problems"), len(snapshot.problems)),
        (_("Rows quarantined"), snapshot.quarantined_rows),
    ]
    write_sheet(book, _("Summary"), (_("Item"), _("Value")), summary, widths=(26, 90), formats=(None, WRAP))
    write_sheet(
        book,
        _("KPIs"),
        ("KPI", _("Label"), _("Value"), _("Unit"), "n", _("CI low"), _("CI high"), _("Target"), _("Status"),
         _("Previous"), _("Change"), _("p-value"), _("Verdict"), _("Benchmark"), _("Source"), _("Note")),
        [_kpi_row(k, info.money) for k in kpis.kpis],
        widths=(28, 32, 11, 9, 8, 10, 10, 10, 12, 10, 10, 9, 22, 11, 12, 60),
        formats=(None, WRAP, None, None, EXCEL_COUNT, None, None, None, None, None, None, EXCEL_P, None, None, None,
                 WRAP),
    )  # fmt: skip
    write_sheet(
        book,
        _("Findings"),
        (_("Finding"), _("Grade"), "ISO 9001:2015", "ISO 9001:2008", _("Title"), _("Requirement"), _("Evidence"),
         _("Gap"), _("Check"), "KPI", _("Evidence ids"), _("Subject")),
        [
            (f.id, f.grade_label, f.clause_2015, f.clause_2008, f.title, f.requirement, readable(f.evidence),
             readable(f.gap), f.check, f.kpi_id or "", len(f.evidence_ids), f.subject_label or f.subject)
            for f in assessment.findings
        ],
        widths=(9, 16, 12, 12, 40, 50, 60, 50, 20, 22, 11, 30),
        fills=[GRADE_COLOURS.get(f.grade) for f in assessment.findings],
        formats=(None, None, None, None, WRAP, WRAP, WRAP, WRAP, None, None, EXCEL_COUNT, WRAP),
    )  # fmt: skip
    write_sheet(
        book,
        _("Actions"),
        (_("Action"), _("Finding"), _("Grade"), _("Type"), _("Description"), _("Owner role"), _("Owner"), _("Due"),
         _("Resources"), _("Success measure"), _("Preventive measure"), _("Verification"), _("Status")),
        [
            (a.id, a.finding_id, grade_label(grade_of.get(a.finding_id, "")) if a.finding_id in grade_of else "",
             code_word(a.type, action_type), readable(a.description), code_word(a.owner_role, role_label), a.owner,
             a.due, a.resources, a.success_measure, a.preventive_measure, readable(a.verification),
             code_word(a.status, status_word))
            for a in assessment.actions
        ],
        widths=(9, 9, 16, 12, 60, 16, 18, 11, 30, 40, 40, 40, 10),
        fills=[GRADE_COLOURS.get(grade_of.get(a.finding_id, "")) for a in assessment.actions],
        formats=(None, None, None, None, WRAP, None, None, None, WRAP, WRAP, WRAP, WRAP, None),
    )  # fmt: skip
    _onsite_sheets(book, snapshot)
    write_sheet(
        book, _("Data quality"), problem_header(), problem_rows(snapshot.problems), widths=PROBLEM_WIDTHS,
        formats=PROBLEM_FORMATS,
    )  # fmt: skip
    write_sheet(book, _("Themes"), theme_header(), theme_rows(snapshot), widths=THEME_WIDTHS, formats=THEME_FORMATS)
    evidence: list[tuple[Any, ...]] = []
    grades: list[str | None] = []
    limit = snapshot.config.outputs.evidence_rows
    for f in assessment.findings:
        records = snapshot.evidence.get(f.id)
        found = {row[0]: row for row in records.rows} if records else {}
        ids = list(dict.fromkeys(f.evidence_ids))
        for ident in ids[:limit]:
            row = found.get(ident)
            if records is not None and row is not None:
                details = "; ".join(
                    f"{code_word(h, column_label)}: {v}" for h, v in zip(records.header[1:-1], row[1:-1], strict=True)
                )
                kind = code_word(records.kind, kind_label)
                evidence.append((f.id, f.grade_label, kind, ident, details, row[-1] if len(row) > 1 else ""))
            else:
                evidence.append((f.id, f.grade_label, "", ident, "", ""))
            grades.append(GRADE_COLOURS.get(f.grade))
        if len(ids) > limit:
            note = _("and {n} more; every id is in results.json (findings[].evidence_ids)", n=f"{len(ids) - limit:,}")
            evidence.append((f.id, f.grade_label, "", "…", note, ""))
            grades.append(GRADE_COLOURS.get(f.grade))
    write_sheet(
        book,
        _("Evidence"),
        (_("Finding"), _("Grade"), _("Kind"), _("Evidence id"), _("Record"), _("Text")),
        evidence,
        widths=(9, 16, 11, 22, 70, 80),
        fills=grades,
        formats=(None, None, None, None, WRAP, WRAP),
    )
    return save_workbook(book, path)


def _onsite_sheets(book: Any, snapshot: AuditSnapshot) -> None:
    """Clauses, Auditee questions and Verification sample: the verdicts, and what the auditor takes on site."""
    assessment = snapshot.assessment
    write_sheet(
        book,
        _("Clauses"),
        ("ISO 9001:2015", "ISO 9001:2008", _("About"), _("Verdict"), _("Findings"), _("Statement")),
        [
            (c.clause, c.clause_2008, c.title, _(c.verdict_label), ", ".join(c.findings), c.sentence)
            for c in assessment.clauses
        ],
        widths=(12, 12, 34, 22, 24, 100),
        formats=(None, None, WRAP, None, None, WRAP),
    )
    write_sheet(
        book,
        _("Auditee questions"),
        (_("No."), _("Finding"), _("Clause"), _("Question"), _("Records to see"), _("Why it is asked")),
        [(q.id, q.finding_id, q.clause, readable(q.question), q.records, q.why) for q in assessment.questions],
        widths=(8, 9, 10, 70, 60, 50),
        formats=(None, None, None, WRAP, WRAP, WRAP),
    )
    rows = [
        (s.finding_id, s.subject, code_word(s.kind, kind_label), s.population, s.size, str(s.seed), i, ident)
        for s in assessment.samples
        for i, ident in enumerate(s.ids, start=1)
    ]
    write_sheet(
        book,
        _("Verification sample"),
        (_("Finding"), _("Subject"), _("Kind"), _("Records"), _("Drawn"), _("Seed"), _("Draw"), _("Record id")),
        rows,
        widths=(9, 28, 12, 10, 8, 22, 7, 22),
        formats=(None, None, None, EXCEL_COUNT, EXCEL_COUNT),
    )
