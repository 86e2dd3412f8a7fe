"""`csat-audit init --language zh-CN`: Chinese templates and audit.yaml that load, validate and run like the English ones."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from audit.cli import app
from audit.config import load_config, parse_period
from audit.data.contract import KINDS
from audit.data.dataset import load_audit
from audit.i18n import language
from audit.input_templates import SEVERITIES, STATUSES, WORKBOOKS, input_columns
from audit.paths import CONFIG_TEMPLATE
from audit.scaffold import config_template, init_audit, render_config
from test_init import fill

PERIOD = "2026-Q4"
ROWS = 6


def _filled(root: Path, lang: str) -> Path:
    folder = root / lang / "plant-1" / PERIOD
    init_audit(folder, organisation="ACME Pumps Ltd", period=PERIOD, language=lang)
    start, _ = parse_period(PERIOD)
    for kind in KINDS:
        fill(folder / "data" / WORKBOOKS[kind], kind, ROWS, start, lang)
    return folder


def test_chinese_templates_filled_in_validate_exactly_like_the_english_ones(tmp_path: Path) -> None:
    english, chinese = load_audit(_filled(tmp_path, "en")), load_audit(_filled(tmp_path, "zh-CN"))
    assert chinese.config.audit.language == "zh-CN" and english.config.audit.language == "en"
    assert chinese.problems == english.problems == ()
    counts = {s.kind: (s.rows_read, s.rows_valid, s.rows_in_period) for s in chinese.sources}
    assert counts == {s.kind: (s.rows_read, s.rows_valid, s.rows_in_period) for s in english.sources}
    assert counts == dict.fromkeys(KINDS, (ROWS, ROWS, ROWS))
    for kind in KINDS:  # the same rows, read as the same values: 低 is low, 是 is yes, 未关闭 is open
        assert chinese.frames[kind].equals(english.frames[kind]), kind
    complaints = chinese.frames["complaints"]
    assert set(complaints["severity"]) == set(SEVERITIES) and set(complaints["status"]) == set(STATUSES)
    assert set(complaints["resolution_accepted"]) == {True, False}


def test_chinese_templates_say_everything_in_chinese_and_keep_our_headers(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    init_audit(folder, organisation="ACME", period=PERIOD, language="zh-CN")
    book = load_workbook(folder / "data" / "complaints.xlsx")
    assert book.sheetnames == ["填写说明", "complaints"]
    sheet = book["complaints"]
    with language("en"):
        assert [c.value for c in sheet[1]] == [c.name for c in input_columns("complaints")]  # what the loader matches
    assert sheet["G1"].value == "severity"
    assert (
        sheet["G1"].comment.text == "severity（严重程度）: 选填。\n投诉的严重程度：低、中或高。\n允许值：低, 中, 高。"
    )
    drop_downs = {str(v.sqref): (v.formula1, v.error) for v in sheet.data_validations.dataValidation}
    assert drop_downs["G2:G1048576"] == ('"低,中,高"', "请从列表中选择：低, 中, 高。")
    assert drop_downs["K2:K1048576"][0] == '"未关闭,已关闭"' and drop_downs["O2:O1048576"][0] == '"是,否"'
    lines = [c.value for c in book["填写说明"]["A"] if c.value]
    assert lines[0] == "顾客投诉：顾客满意审核的输入数据" and "如何填写" in lines and "各列说明" in lines
    # no line of the instructions is left in English (ids and commands aside)
    english = [
        t for t in lines if re.search(r"[a-z]{4,} [a-z]{4,} [a-z]{4,}", re.sub(r"csat-audit \w+|audit\.yaml", "", t))
    ]
    assert english == []


def test_the_chinese_audit_yaml_is_the_english_one_with_chinese_comments() -> None:
    """The two templates hold the same keys and values, line for line; only comments differ (and the language)."""
    assert config_template("en") == CONFIG_TEMPLATE and config_template("zh-CN").name == "audit.zh-CN.yaml"
    english, chinese = (render_config("ACME", PERIOD, language=lang) for lang in ("en", "zh-CN"))

    def content(text: str) -> list[str]:
        return [re.sub(r"\s+#.*$", "", line).rstrip() for line in text.splitlines() if line.split("#")[0].strip()]

    pairs = [(e, c) for e, c in zip(content(english), content(chinese), strict=True) if e != c]
    assert pairs == [("  language: en", "  language: zh-CN")]
    loaded = yaml.safe_load(chinese)
    assert loaded["audit"].pop("language") == "zh-CN"
    expected = yaml.safe_load(english)
    expected["audit"].pop("language")
    assert loaded == expected
    # every comment is Chinese: English prose is left only inside the examples' values (an export's own words)
    prose = [line for line in chinese.splitlines() if re.search(r"#.*\b[A-Za-z]{2,} [a-z]{2,} [a-z]{3,}\b", line)]
    assert [line for line in prose if "{" not in line] == []
    assert "# 审核日期；措施的完成期限从该日起算" in chinese
    assert len(re.findall(r"#.*\b[A-Za-z]{2,} [a-z]{2,} [a-z]{3,}\b", english)) > 100  # the check above would notice


def test_cli_init_in_chinese_loads_as_is(tmp_path: Path) -> None:
    folder = tmp_path / "plant-1" / PERIOD
    done = CliRunner().invoke(app, ["init", str(folder), "--organisation", "ACME", "--language", "zh-CN"])
    assert done.exit_code == 0, done.output
    config = load_config(folder)
    assert (config.audit.language, config.audit.period, config.audit.organisation) == ("zh-CN", PERIOD, "ACME")
    assert "组织名称（待填写）" in render_config(None, PERIOD, language="zh-CN")
