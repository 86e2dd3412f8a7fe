"""The workbooks of an audit in its language (zh-CN: Chinese sheet names, headers and fixed words) and their number formats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from audit.format import EXCEL_COUNT, EXCEL_DAYS, EXCEL_P, EXCEL_PERCENT
from audit.report.findings_xlsx import write_findings
from audit.report.xlsx import write_data_quality
from conftest import audit_in_process, replace_in


def _row(sheet: Any, first: str) -> dict[str, Any]:
    """The row whose first cell is ``first``, as header → cell."""
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == first)
    return dict(zip(header, row))


def _texts(sheet: Any) -> set[str]:
    return {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}


@pytest.fixture(scope="module")
def books(demo_zh: tuple[Path, str]) -> dict[str, Any]:
    folder, _text = demo_zh
    return {
        "findings": openpyxl.load_workbook(folder / "findings.xlsx"),
        "data_quality": openpyxl.load_workbook(folder / "data_quality.xlsx"),
        "actions": openpyxl.load_workbook(folder.parent / "actions.xlsx"),
    }


def test_findings_xlsx_of_a_chinese_audit_is_chinese(books: dict[str, Any]) -> None:
    book = books["findings"]
    assert book.sheetnames == [
        "概要", "关键绩效指标", "审核发现", "措施", "条款", "受审核方问题", "验证抽样", "数据质量", "主题", "证据",
    ]  # fmt: skip
    summary = {r[0]: r[1] for r in book["概要"].iter_rows(min_row=2, values_only=True)}
    assert {"审核", "组织", "审核结论", "审核发现：一般不符合", "已隔离行数"} <= set(summary)
    assert summary["审核发现：一般不符合"] == 1
    findings = book["审核发现"]
    assert [c.value for c in findings[1]][:2] == ["审核发现", "等级"]
    assert {r[1] for r in findings.iter_rows(min_row=2, values_only=True)} <= {
        "严重不符合", "一般不符合", "观察项", "改进机会", "良好实践", "符合",
    }  # fmt: skip
    actions = book["措施"]
    assert [c.value for c in actions[1]][:4] == ["措施", "审核发现", "等级", "类型"]
    assert {r[3] for r in actions.iter_rows(min_row=2, values_only=True)} <= {"纠正", "纠正措施", "改进"}
    assert {r[12] for r in actions.iter_rows(min_row=2, values_only=True)} == {"未关闭"}
    kpis = book["关键绩效指标"]
    assert _row(kpis, "csat_mean")["状态"].value == "满足" and _row(kpis, "nps")["状态"].value == "未满足"
    themes = book["主题"]
    assert [c.value for c in themes[1]][:3] == ["来源", "列", "主题"]
    assert "投诉描述" in {r[0] for r in themes.iter_rows(min_row=2, values_only=True)}
    # no English fixed word is left: the codes and words the English workbook writes
    words = set().union(*(_texts(book[name]) for name in book.sheetnames))
    for english in ("Minor nonconformity", "Observation", "corrective", "improvement", "open", "met", "not_met",
                    "no_target", "yes", "no", "Summary", "Findings", "Grade", "significant increase",
                    "Met, with observations", "customer service"):  # fmt: skip
        assert english not in words, english
    kinds = {r[2] for r in book["证据"].iter_rows(min_row=2, values_only=True)} | {
        r[14] for r in book["关键绩效指标"].iter_rows(min_row=2, values_only=True)
    }
    assert (
        {"投诉", "订单"} <= kinds <= {"调查答卷", "投诉", "退货", "订单", "顾客", "", None}
    )  # not surveys, complaints …


def test_data_quality_and_register_of_a_chinese_audit_are_chinese(books: dict[str, Any]) -> None:
    book = books["data_quality"]
    assert book.sheetnames[:2] == ["概要", "问题"] and "已隔离-投诉" in book.sheetnames
    problems = book["问题"]
    assert [c.value for c in problems[1]] == [
        "类型",
        "文件",
        "工作表",
        "行",
        "列",
        "数值",
        "规则",
        "该行已隔离",
        "处理方法",
    ]
    rows = list(problems.iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} <= {"调查答卷", "投诉", "退货", "订单"} and {r[7] for r in rows} <= {"是", "否"}
    assert "缺少必填值" in {r[6] for r in rows} and "missing_value" not in {r[6] for r in rows}
    summary = _row(book["概要"], "投诉")
    assert summary["读取行数"].number_format == EXCEL_COUNT and summary["读取行数"].value > 1000
    register = books["actions"]
    assert register.sheetnames[:3] == ["措施", "变更记录", "登记册信息"]
    header = [c.value for c in register["措施"][1]]
    assert header[0] == "措施编号" and "状态" in header and "Status" not in header
    statuses = {r[header.index("状态")] for r in register["措施"].iter_rows(min_row=2, values_only=True)}
    assert statuses == {"未关闭"}
    roles = {r[header.index("负责岗位")] for r in register["措施"].iter_rows(min_row=2, values_only=True)}
    assert "客户服务部" in roles and "customer service" not in roles


def test_numbers_carry_excel_formats_and_long_text_wraps(books: dict[str, Any]) -> None:
    kpis = books["findings"]["关键绩效指标"]
    otif = _row(kpis, "otif_pct")
    assert otif["数值"].number_format == EXCEL_PERCENT == '#,##0.0"%"'  # 96.27 shown 96.3%: the value is kept
    assert 90 < otif["数值"].value < 100 and otif["目标"].number_format == EXCEL_PERCENT
    days = _row(kpis, "complaint_resolution_days_median")
    assert (
        days["数值"].number_format == EXCEL_DAYS == "#,##0.0"
        and days["变化"].number_format == "+#,##0.0;-#,##0.0;#,##0.0"
    )
    nps = _row(kpis, "nps")
    assert nps["数值"].number_format == "#,##0" and nps["n"].number_format == EXCEL_COUNT
    assert nps["p 值"].number_format == EXCEL_P
    money = _row(kpis, "returns_value")
    assert money["数值"].number_format == '"¥"#,##0'  # the demo's CNY, with thousands separators
    finding = books["findings"]["审核发现"]["G2"]  # the evidence of F-01
    assert finding.alignment.wrap_text and finding.fill.fgColor.rgb[-6:] == "F9D3A7"  # wrapped, and its grade's colour
    share = books["findings"]["主题"][2][6]
    assert share.number_format == EXCEL_PERCENT and share.value < 100


def test_an_english_audit_keeps_english_workbooks_with_the_same_formats(tiny: Path) -> None:
    result = audit_in_process(tiny)
    book = openpyxl.load_workbook(write_findings(result, tiny / "findings.xlsx"))
    assert book.sheetnames[:3] == ["Summary", "KPIs", "Findings"]
    otif = _row(book["KPIs"], "otif_pct")
    assert (otif["Status"].value, otif["Value"].number_format, otif["Value"].value) == (
        "not_met",
        EXCEL_PERCENT,
        85,  # OTIF 17 of 20 orders (tests/test_kpi.py), shown 85.0%
    )
    returns = _row(book["KPIs"], "returns_ppm")  # 4 units over 198 delivered: 20,202.0202… ppm, shown 20,202
    assert (returns["Value"].value, returns["Value"].number_format) == (20202.0202, EXCEL_COUNT)
    write_data_quality(result.sources, result.problems, result.quarantine, tiny / "dq.xlsx", lang="zh-CN")
    assert openpyxl.load_workbook(tiny / "dq.xlsx").sheetnames[0] == "概要"  # lang= decides, not the caller's


def test_an_english_audit_in_chinese_writes_chinese_workbooks(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "  site: Main plant\n", "  site: Main plant\n  language: zh-CN\n")
    book = openpyxl.load_workbook(write_findings(audit_in_process(tiny), tiny / "findings.xlsx"))
    assert book.sheetnames[:3] == ["概要", "关键绩效指标", "审核发现"]
