"""findings.xlsx: the sheets people filter in Excel, coloured by grade, with data kept as text."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from audit.report.findings_xlsx import GRADE_COLOURS, write_findings
from conftest import audit_in_process, replace_in

EVIL = '=HYPERLINK("http://x","y")'


def test_findings_workbook_sheets_colours_and_text(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "owners:", "validation: {max_invalid_pct: 50}\nowners:")
    replace_in(tiny / "complaints.csv", "Motor noise", "@SUM(1)")
    replace_in(
        tiny / "returns.csv", "R2,O05,K5,2026-08-10,1,", f'R2,O05,K5,2026-08-10,"{EVIL.replace(chr(34), chr(34) * 2)}",'
    )
    result = audit_in_process(tiny)
    assessment = result.assessment
    path = write_findings(result, tiny / "findings.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "KPIs", "Findings", "Actions", "Data quality", "Themes", "Evidence"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.bold
    findings = book["Findings"]
    ids = [row[0].value for row in findings.iter_rows(min_row=2)]
    assert ids == [f.id for f in assessment.findings] and ids
    for row, finding in zip(findings.iter_rows(min_row=2), assessment.findings):
        colour = GRADE_COLOURS[finding.grade]
        assert (row[1].fill.fgColor.rgb[-6:] if colour else None) == colour
    actions = [row[0].value for row in book["Actions"].iter_rows(min_row=2)]
    assert actions == [a.id for a in assessment.actions]
    kpi_ids = {row[0].value for row in book["KPIs"].iter_rows(min_row=2)}
    assert {"csat_mean", "nps", "otif_pct"} <= kpi_ids
    # the value that looks like a formula is text in the Data quality sheet
    cells = [c for row in book["Data quality"].iter_rows() for c in row if c.value == EVIL]
    assert cells and all(c.data_type == "s" for c in cells)
    evidence = [(r[0].value, r[3].value) for r in book["Evidence"].iter_rows(min_row=2)]
    assert evidence and evidence == [(f.id, i) for f in assessment.findings for i in f.evidence_ids]
    # one row per theme of every source, with its id and top terms
    themes = [(r[0].value, r[2].value) for r in book["Themes"].iter_rows(min_row=2)]
    assert themes == [(source, t.id) for source, s in result.kpis.themes.items() for t in s.themes]
    # the record behind the overdue complaint, with its text kept as text
    c5 = [r for r in book["Evidence"].iter_rows(min_row=2) if r[3].value == "C5"]
    assert c5  # overdue, and behind any other finding that cites it
    for row in c5:
        assert (row[2].value, row[5].value, row[5].data_type) == ("complaints", "@SUM(1)", "s")
        assert "received_on: 2026-09-01" in row[4].value


def test_evidence_rows_are_capped_per_finding_and_the_rest_counted(tiny: Path) -> None:
    replace_in(
        tiny / "audit.yaml", "owners:", "outputs: {evidence_rows: 1}\nvalidation: {max_invalid_pct: 50}\nowners:"
    )
    with (tiny / "complaints.csv").open("a", encoding="utf-8") as out:  # two more open beyond the SLA
        out.write(
            "C7,K2,2026-08-02,2026-08-03,,Late delivery,,Late\nC8,K3,2026-08-03,2026-08-04,,Late delivery,,Late\n"
        )
    result = audit_in_process(tiny)
    many = [f for f in result.assessment.findings if len(set(f.evidence_ids)) > 1]
    assert many, "the tiny audit has a finding with several records"
    assert all(len(r.rows) <= 1 for r in result.evidence.values())
    book = openpyxl.load_workbook(write_findings(result, tiny / "findings.xlsx"))
    rows = [(r[0].value, r[3].value, r[4].value) for r in book["Evidence"].iter_rows(min_row=2)]
    for finding in many:
        mine = [row for row in rows if row[0] == finding.id]
        more = len(set(finding.evidence_ids)) - 1
        assert mine == [
            (finding.id, finding.evidence_ids[0], mine[0][2]),
            (finding.id, "…", f"and {more:,} more; every id is in results.json (findings[].evidence_ids)"),
        ]
