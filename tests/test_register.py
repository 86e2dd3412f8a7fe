"""The action register across two quarters: people's edits kept, overdue and ineffective actions found."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from audit import AuditError
from audit.cycle.context import open_audit
from audit.cycle.register import COLUMNS, read_register, update_register
from audit.i18n import language
from audit.model import Assessment, Entry, status_word
from audit.paths import AuditFolder
from audit.runner import update_site_register
from conftest import TINY, audit_in_process, replace_in

Q3_DAY, Q4_DAY = dt.date(2026, 10, 10), dt.date(2027, 1, 10)
HEADERS = {c.key: c.header for c in COLUMNS}
# months shifted by one quarter, latest first so that no date is shifted twice
SHIFT = (
    ("2026-09-", "2026-12-"),
    ("2026-08-", "2026-11-"),
    ("2026-07-", "2026-10-"),
    ("2026-06-", "2026-09-"),
    ("2026-05-", "2026-08-"),
)


def _q3(root: Path) -> Path:
    folder = root / "site" / "2026-Q3"
    shutil.copytree(TINY, folder)
    return folder


def _q4(root: Path) -> Path:
    """The tiny audit a quarter later: same data, dates moved by three months, OTIF fixed."""
    folder = root / "site" / "2026-Q4"
    shutil.copytree(TINY, folder)
    for csv in folder.glob("*.csv"):
        text = csv.read_text(encoding="utf-8")
        for old, new in SHIFT:
            text = text.replace(old, new)
        csv.write_text(text, encoding="utf-8")
    yaml = folder / "audit.yaml"
    replace_in(yaml, "id: TINY-2026-Q3", "id: TINY-2026-Q4")
    replace_in(yaml, "period: 2026-Q3", "period: 2026-Q4")
    replace_in(yaml, "date: 2026-10-10", "date: 2027-01-10")
    # every order on time and in full in Q4: OTIF 100% against its 95% target
    replace_in(
        folder / "orders.csv", "O03,K3,2026-10-13,2026-10-20,2026-10-23", "O03,K3,2026-10-13,2026-10-20,2026-10-19"
    )
    replace_in(
        folder / "orders.csv", "O07,K7,2026-10-29,2026-11-05,2026-11-08", "O07,K7,2026-10-29,2026-11-05,2026-11-04"
    )
    replace_in(
        folder / "orders.csv",
        "O12,K2,2026-11-18,2026-11-25,2026-11-24,10,8",
        "O12,K2,2026-11-18,2026-11-25,2026-11-24,10,10",
    )
    return folder


def _run(folder: Path, today: dt.date) -> Assessment:
    """An audit of ``folder`` in process, its actions merged into the site register as a run does."""
    result = audit_in_process(folder)
    update_site_register(result, today)
    return result.assessment


def _rows(path: Path, sheet: str = "Actions") -> list[dict[str, Any]]:
    ws = load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]


def _edit(path: Path, changes: dict[str, dict[str, Any]]) -> None:
    """Edit the register as a person would in Excel: action id → header → new value."""
    book = load_workbook(path)
    ws = book["Actions"]
    col = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        for header, value in changes.get(ws.cell(r, col["Action id"]).value, {}).items():
            ws.cell(r, col[header]).value = value
    book.save(path)


def _id_for(assessment: Assessment, audit_id: str, **match: str) -> str:
    finding = next(f for f in assessment.findings if all(getattr(f, k) == v for k, v in match.items()))
    action = next(a for a in assessment.actions if a.finding_id == finding.id)
    return action.id


@pytest.fixture
def quarters(tmp_path: Path) -> tuple[Path, Path, Assessment]:
    """Q3 run (creating the register), and Q4's folder ready to run."""
    q3 = _q3(tmp_path)
    return q3, _q4(tmp_path), _run(q3, Q3_DAY)


def test_first_audit_creates_the_register_beside_the_audit_folder(quarters: tuple[Path, Path, Assessment]) -> None:
    q3, _, assessment = quarters
    path = AuditFolder(q3).action_register
    assert path == q3.parent / "actions.xlsx"
    rows = _rows(path)
    assert [r["Action id"] for r in rows] == [a.id for a in assessment.actions]
    otif = next(r for r in rows if r["Success KPI"] == "otif_pct")
    assert (otif["Status"], otif["Owner"], otif["Target"], otif["Baseline"]) == ("open", "Chen Jie", 95, 85)
    assert otif["Due"].date() == dt.date(2027, 1, 8)
    assert otif["Verification"] == "not yet verified"
    history = _rows(path, "History")
    assert {(h["Column"], h["New value"], h["By"]) for h in history} == {("(row)", "raised", "TINY-2026-Q3")}
    book = load_workbook(path)
    ws = book["Actions"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref and ws["A1"].font.b
    assert book["_snapshot"].sheet_state == "hidden"
    assert '"open,in progress,closed,cancelled,withdrawn"' in [dv.formula1 for dv in ws.data_validations.dataValidation]


def test_second_quarter_keeps_edits_follows_up_and_verifies(quarters: tuple[Path, Path, Assessment]) -> None:
    q3, q4, first = quarters
    path = AuditFolder(q3).action_register
    overdue_id = _id_for(first, "TINY-2026-Q3", check="complaint_timeliness")  # due 2026-12-09, left open
    otif_id = _id_for(first, "TINY-2026-Q3", kpi_id="otif_pct")
    csat_id = _id_for(first, "TINY-2026-Q3", kpi_id="csat_mean")
    later = {
        a: {"Status": "in progress", "Due": dt.datetime(2027, 6, 30)} for a in (r["Action id"] for r in _rows(path))
    }
    later.pop(overdue_id)
    later[otif_id] = {
        "Status": "closed",
        "Notes": "Carrier changed in November",
        "Closed on": dt.datetime(2026, 12, 15),
    }
    later[csat_id] = {"Status": "closed", "Notes": "Training held"}
    _edit(path, later)

    second = _run(q4, Q4_DAY)

    by_check = {f.check: f for f in second.findings}
    overdue = by_check["actions_overdue"]
    assert (overdue.grade, overdue.clause_2015, overdue.clause_2008, overdue.evidence_ids) == (
        "minor",
        "10.2.1",
        "8.5.2",
        (overdue_id,),
    )
    assert "9 Dec 2026" in overdue.evidence and overdue.requirement and overdue.gap
    failed = by_check["actions_not_effective"]
    assert (failed.grade, failed.clauses, failed.evidence_ids) == (
        "minor",
        "ISO 9001:2015 10.2.1 d (ISO 9001:2008 8.5.2 f)",
        (csat_id,),
    )
    assert "3.70" in failed.evidence and "4.00" in failed.evidence
    # each follow-up finding raises its own action, owned by quality
    assert {a.owner for a in second.actions if a.finding_id in {overdue.id, failed.id}} == {"Liu Yang"}

    rows = {r["Action id"]: r for r in _rows(path)}
    otif = rows[otif_id]
    assert (otif["Status"], otif["Notes"], otif["Closed on"].date()) == (
        "closed",
        "Carrier changed in November",
        dt.date(2026, 12, 15),
    )
    assert (otif["Verification"], otif["KPI at verification"], otif["Verified in"]) == (
        "effective",
        100,
        "TINY-2026-Q4",
    )
    assert (rows[csat_id]["Verification"], rows[csat_id]["Notes"]) == ("not effective", "Training held")
    assert rows[overdue_id]["Status"] == "open" and rows[overdue_id]["Verification"] == "not yet verified"
    assert rows[otif_id]["Last changed"].date() == Q4_DAY
    # Q4's actions on a subject Q3 raised an open action on keep its id; the new ones follow Q3's rows
    q3_ids = [a.id for a in first.actions]
    assert {a.id for a in second.actions} <= set(rows)
    assert [i for i in rows if i not in q3_ids] == [a.id for a in second.actions if a.id not in q3_ids]
    assert overdue_id in {a.id for a in second.actions if a.subject == "complaint_timeliness"}

    history = _rows(path, "History")
    edits = {
        (h["Action id"], h["Column"], h["Old value"], h["New value"]) for h in history if h["By"] == "edited in Excel"
    }
    assert (otif_id, "Status", "open", "closed") in edits
    assert (otif_id, "Notes", None, "Carrier changed in November") in edits
    assert (csat_id, "Notes", None, "Training held") in edits
    tool = {(h["Action id"], h["Column"], h["New value"]) for h in history if h["By"] == "TINY-2026-Q4"}
    assert (otif_id, "Verification", "effective") in tool and (csat_id, "Verification", "not effective") in tool
    assert all(h["Date"].date() == Q4_DAY for h in history if h["By"] != "TINY-2026-Q3")

    # the same quarter run again: no duplicate rows, no edits to log, nothing changed
    _run(q4, Q4_DAY)
    again = _rows(path)
    assert [r["Action id"] for r in again] == list(rows)
    assert len(_rows(path, "History")) == len(history)


def test_quiet_when_earlier_actions_are_on_time(quarters: tuple[Path, Path, Assessment]) -> None:
    q3, q4, _ = quarters
    path = AuditFolder(q3).action_register
    _edit(path, {r["Action id"]: {"Status": "in progress", "Due": dt.datetime(2027, 3, 31)} for r in _rows(path)})
    second = _run(q4, Q4_DAY)
    assert not {"actions_overdue", "actions_not_effective"} & {f.check for f in second.findings}


def test_first_audit_of_a_site_has_no_register(tiny: Path) -> None:
    assert open_audit(tiny).register is None


def test_formula_like_text_is_stored_as_text(tmp_path: Path) -> None:
    path = tmp_path / "actions.xlsx"
    entry = Entry("X/A-01", description='=HYPERLINK("http://x")', owner="+1", notes="@SUM(A1)", success_measure="-2")
    update_register(path, "X", [entry], {}, Q3_DAY)
    ws = load_workbook(path)["Actions"]
    col = {c.value: c.column for c in ws[1]}
    for header, text in (
        ("Description", '=HYPERLINK("http://x")'),
        ("Owner", "+1"),
        ("Notes", "@SUM(A1)"),
        ("Success measure", "-2"),
    ):
        cell = ws.cell(2, col[header])
        assert (cell.value, cell.data_type) == (text, "s"), header
    # a person's text edit logged on History stays text there too
    _edit(path, {"X/A-01": {"Notes": "=1+1"}})
    book = load_workbook(path)
    book["Actions"].cell(2, col["Notes"]).data_type = "s"  # typed as text in Excel ('=1+1)
    book.save(path)
    update_register(path, "X", [], {}, Q3_DAY)
    logged = [row for row in load_workbook(path)["History"].iter_rows(min_row=2) if row[2].value == "Notes"]
    assert [(c.value, c.data_type) for c in logged[0][3:5]] == [("@SUM(A1)", "s"), ("=1+1", "s")]
    assert read_register(path).entries[0].notes == "=1+1"  # type: ignore[union-attr]


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04broken zip"])
def test_corrupt_register_is_one_line_audit_error(tiny: Path, content: bytes) -> None:
    (tiny.parent / "actions.xlsx").write_bytes(content)
    with pytest.raises(AuditError) as caught:
        open_audit(tiny)
    assert "actions.xlsx" in str(caught.value) and "\n" not in str(caught.value)
    assert caught.value.exit_code == 2


def test_unreadable_cell_names_row_and_column(quarters: tuple[Path, Path, Assessment]) -> None:
    q3, q4, _ = quarters
    path = AuditFolder(q3).action_register
    first = _rows(path)[0]["Action id"]
    _edit(path, {first: {"Status": "done-ish", "Due": "next week"}})
    with pytest.raises(AuditError, match=r"row 2, column 'Due': 'next week' is not a date"):
        open_audit(q4)  # the register is read with the audit folder, not by the data layer


def test_deleted_rows_stay_deleted_and_added_rows_are_kept(quarters: tuple[Path, Path, Assessment]) -> None:
    q3, _, first = quarters
    path = AuditFolder(q3).action_register
    book = load_workbook(path)
    ws = book["Actions"]
    col = {c.value: c.column for c in ws[1]}
    gone = ws.cell(2, col["Action id"]).value
    ws.delete_rows(2)
    mine = ws.max_row + 1
    ws.cell(mine, col["Action id"]).value = "MANUAL-01"
    ws.cell(mine, col["Description"]).value = "Call K9 about the motor noise"
    book.save(path)
    _run(q3, Q3_DAY)  # the same audit again
    ids = [r["Action id"] for r in _rows(path)]
    assert gone not in ids and "MANUAL-01" in ids
    assert len(ids) == len(first.actions), repr((ids, [a.id for a in first.actions]))
    logged = {(h["Action id"], h["New value"], h["By"]) for h in _rows(path, "History") if h["Column"] == "(row)"}
    assert {(gone, "deleted", "edited in Excel"), ("MANUAL-01", "added", "edited in Excel")} <= logged


def test_action_found_not_effective_is_judged_again_while_closed(quarters: tuple[Path, Path, Assessment]) -> None:
    q3, q4, first = quarters
    path = AuditFolder(q3).action_register
    csat_id = _id_for(first, "TINY-2026-Q3", kpi_id="csat_mean")
    otif_id = _id_for(first, "TINY-2026-Q3", kpi_id="otif_pct")
    _edit(
        path,
        {
            csat_id: {"Status": "closed"},
            otif_id: {"Status": "closed", "Verification": "effective", "Verified in": "OLDER-AUDIT"},
        },
    )
    second = _run(q4, Q4_DAY)
    failed = next(f for f in second.findings if f.check == "actions_not_effective")
    # csat judged (not effective); otif was found effective by an earlier audit and is not judged again
    assert failed.evidence_ids == (csat_id,)
    rows = {r["Action id"]: r for r in _rows(path)}
    assert rows[otif_id]["Verified in"] == "OLDER-AUDIT"
    _edit(path, {otif_id: {"Verification": "not effective"}})  # an earlier "not effective" is judged again
    _run(q4, Q4_DAY)
    assert {r["Action id"]: r for r in _rows(path)}[otif_id]["Verified in"] == "TINY-2026-Q4"


def test_a_read_only_register_is_refused_not_re_permissioned(quarters: tuple[Path, Path, Assessment]) -> None:
    import stat

    from audit.exceptions import OutputError

    q3, q4, _ = quarters
    path = AuditFolder(q3).action_register
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        with pytest.raises(OutputError, match=r"actions\.xlsx is read-only, so it was not replaced"):
            _run(q4, Q4_DAY)
        assert stat.S_IMODE(path.stat().st_mode) == 0o444 and path.read_bytes() == before
    finally:
        path.chmod(0o644)


# --------------------------------------------------------------------------- stable action identity (issue 12)


def _subjects(path: Path) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(path):
        out.setdefault(row["Subject"], []).append(row)
    return out


def test_an_action_keeps_its_id_across_re_runs_revisions_and_quarters(
    quarters: tuple[Path, Path, Assessment],
) -> None:
    q3, q4, first = quarters
    path = AuditFolder(q3).action_register
    ids = {a.subject: a.id for a in first.actions}
    # the same draft run again, then a revision with a changed description cell kept by people
    again = _run(q3, Q3_DAY)
    assert {a.subject: a.id for a in again.actions} == ids
    revised = _run(q3, Q3_DAY + dt.timedelta(days=3))
    assert {a.subject: a.id for a in revised.actions} == ids
    # the next quarter: a subject still needing action updates the open action, same id
    later = _run(q4, Q4_DAY)
    for action in later.actions:
        if action.subject in ids:
            assert action.id == ids[action.subject]
            assert action.carried_from == "TINY-2026-Q3"
    by_subject = _subjects(path)
    assert all(len(rows) == 1 for rows in by_subject.values()), {s: len(r) for s, r in by_subject.items()}
    timeliness = by_subject["complaint_timeliness"][0]
    assert (timeliness["Action id"], timeliness["Raised in"]) == (ids["complaint_timeliness"], "TINY-2026-Q3")


def test_an_action_whose_finding_is_gone_is_withdrawn_not_deleted(quarters: tuple[Path, Path, Assessment]) -> None:
    q3, _, first = quarters
    path = AuditFolder(q3).action_register
    dimension = next(a for a in first.actions if a.subject == "dimension:responsiveness")
    # a later draft of the same audit: the responsiveness gap no longer counts (1.5 points allowed)
    with (q3 / "audit.yaml").open("a", encoding="utf-8") as f:
        f.write("checks: {gap_max_points: 1.5}\n")
    second = _run(q3, Q3_DAY + dt.timedelta(days=1))
    assert dimension.subject not in {a.subject for a in second.actions}
    rows = {r["Action id"]: r for r in _rows(path)}
    assert rows[dimension.id]["Status"] == "withdrawn"
    assert "raises no finding needing action on this subject" in rows[dimension.id]["Withdrawn because"]
    assert len(rows) == len(first.actions)
    withdrawn = {(h["Action id"], h["New value"]) for h in _rows(path, "History") if h["Column"] == "Status"}
    assert (dimension.id, "withdrawn") in withdrawn
    # the finding back in a third draft: the same action again, not a new one
    replace_in(q3 / "audit.yaml", "checks: {gap_max_points: 1.5}\n", "")
    third = _run(q3, Q3_DAY + dt.timedelta(days=2))
    assert next(a.id for a in third.actions if a.subject == dimension.subject) == dimension.id


def test_the_register_of_another_organisation_is_refused(quarters: tuple[Path, Path, Assessment]) -> None:
    q3, _, _ = quarters
    other = q3.parent / "2026-Q3-other"
    shutil.copytree(TINY, other)
    replace_in(other / "audit.yaml", "organisation: Tiny Valves Ltd", "organisation: Another Valves plc")
    with pytest.raises(AuditError) as caught:
        open_audit(other)
    message = str(caught.value)
    assert caught.value.exit_code == 2 and "\n" not in message
    assert "Tiny Valves Ltd" in message and "Another Valves plc" in message


def test_a_status_inside_a_sentence_is_in_the_audit_language() -> None:
    assert [status_word(s) for s in ("open", "in progress", "withdrawn")] == ["open", "in progress", "withdrawn"]
    with language("zh-CN"):
        assert [status_word(s) for s in ("open", "in progress", "withdrawn")] == ["未关闭", "进行中", "已撤回"]
        assert status_word("on hold") == "on hold"  # a status someone typed is shown as typed
