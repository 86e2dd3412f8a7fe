"""The action register in Chinese: written in the audit's language, read back in either, kept in its own next quarter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from audit.cycle.register import read_register
from audit.cycle.register_book import NUMBER_FORMAT
from audit.paths import AuditFolder
from conftest import replace_in
from test_register import Q3_DAY, Q4_DAY, _id_for, _q3, _q4, _run


def _chinese(folder: Path) -> Path:
    replace_in(folder / "audit.yaml", "  site: Main plant\n", "  site: Main plant\n  language: zh-CN\n")
    return folder


def _rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    ws = load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]


def _edit(path: Path, changes: dict[str, dict[str, Any]]) -> None:
    """Edit the Chinese register as a person would in Excel: action id → Chinese header → new value."""
    book = load_workbook(path)
    ws = book["措施"]
    col = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        for header, value in changes.get(ws.cell(r, col["措施编号"]).value, {}).items():
            ws.cell(r, col[header]).value = value
    book.save(path)


def test_a_chinese_register_is_read_back_and_kept_chinese_next_quarter(tmp_path: Path) -> None:
    q3 = _chinese(_q3(tmp_path))
    first = _run(q3, Q3_DAY)
    path = AuditFolder(q3).action_register
    book = load_workbook(path)
    assert book.sheetnames == ["措施", "变更记录", "登记册信息", "_snapshot"]
    sheet = book["措施"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["措施编号", "事项", "提出于", "审核期间", "提出日期"]
    assert {"状态", "完成期限", "负责人", "验证", "基线值"} <= set(header)
    assert "Status" not in header and "Action id" not in header
    drop_downs = [dv.formula1 for dv in sheet.data_validations.dataValidation]
    assert '"未关闭,进行中,已关闭,已取消,已撤回"' in drop_downs
    rows = _rows(path, "措施")
    otif_id = _id_for(first, "TINY-2026-Q3", kpi_id="otif_pct")
    csat_id = _id_for(first, "TINY-2026-Q3", kpi_id="csat_mean")
    otif = next(r for r in rows if r["措施编号"] == otif_id)
    assert (otif["状态"], otif["验证"], otif["目标"], otif["基线值"]) == ("未关闭", "尚未验证", 95, 85)
    assert otif["等级"] in {"一般不符合", "观察项", "改进机会"}  # a grade in words, never its id
    target = sheet.cell(1 + [r["措施编号"] for r in rows].index(otif_id) + 1, header.index("目标") + 1)
    assert target.number_format == NUMBER_FORMAT
    history = _rows(path, "变更记录")
    assert {(h["列"], h["新值"]) for h in history} == {("（整行）", "已提出")}
    about = {r[0]: r[1] for r in book["登记册信息"].iter_rows(values_only=True) if r[0]}
    assert (about["组织"], about["场所"]) == ("Tiny Valves Ltd", "Main plant")

    # people close two actions in Chinese; the register reads them as the statuses the follow-up knows
    _edit(path, {otif_id: {"状态": "已关闭", "关闭日期": dt.datetime(2026, 12, 15)}, csat_id: {"状态": "进行中"}})
    register = read_register(path, organisation="Tiny Valves Ltd", site="Main plant")
    assert register is not None
    by_id = {e.id: e for e in register.entries}
    assert (by_id[otif_id].status, by_id[csat_id].status) == ("closed", "in progress")
    assert by_id[otif_id].verification == "not yet verified" and by_id[otif_id].grade in {"minor", "observation", "ofi"}

    # next quarter an English audit verifies the closed action: the register stays Chinese
    q4 = _q4(tmp_path)
    _run(q4, Q4_DAY)
    book = load_workbook(path)
    assert book.sheetnames == ["措施", "变更记录", "登记册信息", "_snapshot"]
    rows = {r["措施编号"]: r for r in _rows(path, "措施")}
    assert (rows[otif_id]["状态"], rows[otif_id]["验证"], rows[otif_id]["验证于"]) == ("已关闭", "有效", "TINY-2026-Q4")
    assert rows[csat_id]["状态"] == "进行中"  # people's column, kept as they typed it
    edits = {(h["措施编号"], h["列"], h["新值"], h["操作者"]) for h in _rows(path, "变更记录")}
    assert (otif_id, "状态", "已关闭", "在 Excel 中修改") in edits
    assert (otif_id, "验证", "有效", "TINY-2026-Q4") in edits
    verified = read_register(path)
    assert verified is not None
    assert next(e for e in verified.entries if e.id == otif_id).verification == "effective"


def test_an_english_register_from_last_quarter_is_read_by_a_chinese_audit(tmp_path: Path) -> None:
    q3 = _q3(tmp_path)
    first = _run(q3, Q3_DAY)
    path = AuditFolder(q3).action_register
    otif_id = _id_for(first, "TINY-2026-Q3", kpi_id="otif_pct")
    book = load_workbook(path)
    sheet = book["Actions"]
    col = {c.value: c.column for c in sheet[1]}
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, col["Action id"]).value == otif_id)
    sheet.cell(row, col["Status"]).value = "已关闭"  # a Chinese status typed into the English register
    book.save(path)
    _run(_chinese(_q4(tmp_path)), Q4_DAY)
    book = load_workbook(path)
    assert book.sheetnames[:2] == ["Actions", "History"]  # the register keeps its language
    rows = {r["Action id"]: r for r in _rows(path, "Actions")}
    assert rows[otif_id]["Verification"] == "effective"  # read as closed, then verified
    register = read_register(path)
    assert register is not None
    assert next(e for e in register.entries if e.id == otif_id).status == "closed"
