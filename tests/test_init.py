"""`csat-audit init`: the commented audit.yaml (audit.scaffold) and the Excel input templates (audit.input_templates)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import types
import typing
from itertools import cycle
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from pydantic import BaseModel
from typer.testing import CliRunner

from audit.cli import app
from audit.config import KPI_TARGET_KEYS, AuditConfig, FilterOp, Source, SurveySource, load_config, parse_period
from audit.data.contract import COLUMNS, KINDS, REQUIRED_VALUES
from audit.data.dataset import load_audit
from audit.exceptions import OverwriteRefused, TooManyInvalidRows
from audit.i18n import Language, language
from audit.input_templates import (
    DIMENSIONS,
    NOT_APPLICABLE,
    SEVERITIES,
    STATUSES,
    WORKBOOKS,
    input_columns,
    outline,
    write_templates,
)
from audit.paths import CONFIG_TEMPLATE, INPUT_TEMPLATES_DIR
from audit.scaffold import current_quarter, init_audit

PERIOD = "2026-Q4"
ROWS = 6  # rows filled in per kind


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A new audit folder written by init."""
    target = tmp_path / "plant-1" / PERIOD
    init_audit(target, organisation="ACME Pumps Ltd", period=PERIOD)
    return target


def _header(path: Path, sheet: str) -> list[Any]:
    return [cell.value for cell in load_workbook(path)[sheet][1]]


# --- what init writes ------------------------------------------------------------------------
def test_init_writes_config_and_one_workbook_per_kind(tmp_path: Path) -> None:
    target = tmp_path / "audits" / "plant-1" / PERIOD
    written = init_audit(target, organisation="ACME Pumps Ltd", period=PERIOD)
    assert written == [target / "audit.yaml", *(target / "data" / WORKBOOKS[kind] for kind in KINDS)]
    for kind in KINDS:
        book = load_workbook(target / "data" / WORKBOOKS[kind])
        assert book.sheetnames == ["Instructions", kind]
        assert book[kind].max_row == 1  # only the header: nothing to delete before filling in
        assert _header(target / "data" / WORKBOOKS[kind], kind) == [c.name for c in input_columns(kind)]


def test_config_loads_as_is_and_points_at_the_templates(folder: Path) -> None:
    config = load_config(folder)
    assert (config.audit.id, config.audit.organisation, config.audit.period) == (
        "APL-2026-Q4",
        "ACME Pumps Ltd",
        PERIOD,
    )
    for kind in KINDS:
        source = getattr(config.data, kind)
        assert source.sheet == kind
        assert source.columns == {} and source.values == {}  # the templates use our names and values
        assert config.resolve(source.path) == folder / "data" / WORKBOOKS[kind]
    surveys = config.data.surveys
    assert surveys is not None
    assert surveys.dimensions == {name: name for name in DIMENSIONS}
    assert surveys.expectations == {name: f"{name}_expectation" for name in DIMENSIONS}
    assert surveys.importance == {name: f"{name}_importance" for name in DIMENSIONS}


def _score_choices(source: SurveySource, internal: str) -> set[str]:
    scale = source.scale_of(internal)
    codes = set(range(scale.min, scale.max + 1)) | ({scale.na} if scale.na is not None else set())
    return {str(code) for code in codes}


def test_survey_drop_downs_match_the_scales_in_audit_yaml(folder: Path) -> None:
    surveys = load_config(folder).data.surveys
    assert surveys is not None
    internal = {"overall": "overall", "recommend": "recommend"}
    for name in DIMENSIONS:
        internal |= {name: f"dim_{name}", f"{name}_expectation": f"exp_{name}", f"{name}_importance": f"imp_{name}"}
    columns = {c.name: c for c in input_columns("surveys")}
    assert set(internal) <= set(columns)
    for header, name in internal.items():
        assert set(columns[header].choices) == _score_choices(surveys, name), header
    assert surveys.scale_of("dim_quality").na == NOT_APPLICABLE
    assert surveys.scale_of("overall").na is None  # overall is required: no not-applicable code


def test_organisation_with_yaml_characters_round_trips(tmp_path: Path) -> None:
    name = 'Müller & Söhne: "Pumpen" GmbH # Werk 2'
    init_audit(tmp_path / "a", organisation=name, period="2027-Q1")
    config = load_config(tmp_path / "a")
    assert config.audit.organisation == name
    assert config.audit.id == "MSPGW2-2027-Q1"


def test_without_options_the_period_is_the_current_quarter(tmp_path: Path) -> None:
    init_audit(tmp_path / "a", today=dt.date(2026, 11, 5))
    config = load_config(tmp_path / "a")
    assert config.audit.period == "2026-Q4"
    assert config.audit.id == "AUDIT-2026-Q4"
    assert "to be completed" in config.audit.organisation


@pytest.mark.parametrize(
    ("today", "quarter"),
    [(dt.date(2026, 1, 1), "2026-Q1"), (dt.date(2026, 3, 31), "2026-Q1"), (dt.date(2026, 4, 1), "2026-Q2"),
     (dt.date(2026, 12, 31), "2026-Q4")],
)  # fmt: skip
def test_current_quarter(today: dt.date, quarter: str) -> None:
    assert current_quarter(today) == quarter


# --- filled in, the templates validate cleanly ----------------------------------------------------
_DAYS_AFTER = {"acknowledged_on": 1, "promised_on": 10, "delivered_on": 9, "resolved_on": 6}


def fill(path: Path, kind: str, rows: int, first_day: dt.date, lang: Language = "en") -> None:
    """Write ``rows`` valid rows below the header, the way a user picks from the drop-downs (their
    words in ``lang``: Chinese in a ``init --language zh-CN`` template)."""
    book = load_workbook(path)
    sheet = book[kind]
    headers = [cell.value for cell in sheet[1]]
    with language(lang):
        columns = {c.name: c for c in input_columns(kind)}
    picks = {}
    for name, column in columns.items():
        picks[name] = cycle([int(c) if column.type == "number" else c for c in column.choices])
    for i in range(rows):
        day = first_day + dt.timedelta(days=7 * i)
        values: dict[str, Any] = {}
        for name in headers:
            column = columns[name]
            if column.choices:
                values[name] = next(picks[name])
            elif column.type == "date":
                values[name] = day + dt.timedelta(days=_DAYS_AFTER.get(name, 0))
            elif column.type == "id":
                values[name] = f"{name.split('_')[0].upper()}-{1001 + i}"
            elif column.type == "number":
                values[name] = 3 + i
            else:
                values[name] = f"{name} {i + 1}"
        if values.get("status") in ("open", "未关闭"):  # an open complaint has no resolved date yet
            values["resolved_on"] = None
        for index, name in enumerate(headers, start=1):
            sheet.cell(row=2 + i, column=index, value=values[name])
    book.save(path)


def test_filled_in_templates_validate_cleanly(folder: Path) -> None:
    start, _ = parse_period(PERIOD)
    for kind in KINDS:
        fill(folder / "data" / WORKBOOKS[kind], kind, ROWS, start)
    data = load_audit(folder)
    assert data.problems == ()
    assert {s.kind: (s.rows_read, s.rows_valid, s.rows_in_period) for s in data.sources} == dict.fromkeys(
        KINDS, (ROWS, ROWS, ROWS)
    )
    complaints, surveys = data.frames["complaints"], data.frames["surveys"]
    assert set(complaints["severity"]) == set(SEVERITIES) and set(complaints["status"]) == set(STATUSES)
    assert set(complaints["resolution_accepted"]) == {True, False}
    # the drop-downs offer 0 = not applicable: left blank, never averaged, never off the scale
    assert surveys["dim_cooperation"].dropna().between(1, 5).all() and surveys["dim_cooperation"].isna().any()
    assert set(surveys["recommend"]) == set(range(ROWS))


def test_a_mistake_in_a_filled_in_template_is_reported_at_its_excel_row(folder: Path) -> None:
    start, _ = parse_period(PERIOD)
    for kind in KINDS:
        fill(folder / "data" / WORKBOOKS[kind], kind, ROWS, start)
    path = folder / "data" / WORKBOOKS["orders"]
    book = load_workbook(path)
    book["orders"]["B4"] = "31 Febtember"  # ordered_on of the third order
    book.save(path)
    # one bad row in six is over the 5% the template's validation.max_invalid_pct allows
    with pytest.raises(TooManyInvalidRows, match=r"data/orders\.xlsx, sheet 'orders', row 4, column 'ordered_on'"):
        load_audit(folder)


# --- the commented audit.yaml documents every key -------------------------------------------------
def _models(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models inside a field's annotation (X | None, dict[str, X], …)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, dict, list):
        return [m for arg in typing.get_args(annotation) for m in _models(arg)]
    return []


def _keys(model: type[BaseModel]) -> set[str]:
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        if field.exclude:  # AuditConfig.folder is set by load_config, not written in the file
            continue
        keys.add(name)
        for inner in _models(field.annotation):
            keys |= _keys(inner)
    return keys


def test_template_explains_every_configuration_key() -> None:
    text = CONFIG_TEMPLATE.read_text(encoding="utf-8")
    keys = _keys(AuditConfig)
    assert {"na", "grain", "recommend_scale", "header_row", "max_invalid_pct", "repeat_window_days", "ofi"} <= keys
    missing = sorted(k for k in keys if not re.search(rf"(?<![\w.]){re.escape(k)}:", text))
    assert missing == []
    unlisted_kpis = sorted(k for k in KPI_TARGET_KEYS if not re.search(rf"#\s+{k}: ", text))
    assert unlisted_kpis == []
    unlisted_ops = sorted(op for op in typing.get_args(FilterOp) if not re.search(rf"\b{op}\b", text))
    assert unlisted_ops == []
    for kind in KINDS:  # our column names, for mapping an export's headers
        assert [c for c in COLUMNS[kind] if not re.search(rf"(?<![\w.]){c}\b", text)] == [], kind


def test_commented_chinese_mapping_example_is_valid() -> None:
    text = CONFIG_TEMPLATE.read_text(encoding="utf-8")
    block = re.search(r"^ *# path: data/投诉记录\.xlsx\n(^ *# \w+: .*\n)+", text, re.MULTILINE)
    assert block is not None
    example = yaml.safe_load("\n".join(line.strip().removeprefix("# ") for line in block[0].splitlines()))
    source = Source.model_validate(example)
    assert source.columns == {
        "complaint_id": "投诉编号",
        "received_on": "接收日期",
        "category": "投诉类别",
        "severity": "严重程度",
    }
    assert set(source.columns) <= set(COLUMNS["complaints"])
    assert source.values == {"severity": {"高": "high", "中": "medium", "低": "low"}}


# --- the workbooks as a user sees them in Excel -------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_workbook_notes_drop_downs_formats_and_frozen_header(kind: str) -> None:
    book = load_workbook(INPUT_TEMPLATES_DIR / WORKBOOKS[kind])
    sheet = book[kind]
    assert sheet.freeze_panes == "A2"
    assert book.active.title == "Instructions"
    rules = {str(v.sqref).split(":")[0][:-1]: v for v in sheet.data_validations.dataValidation}
    fills = set()
    for cell, column in zip(sheet[1], input_columns(kind)):
        assert cell.comment is not None
        assert cell.comment.text.startswith(f"{column.name}: {'Required' if column.required else 'Optional'}.")
        fills.add((column.required, cell.fill.fgColor.rgb))
        letter = cell.column_letter
        if column.type == "date":
            assert sheet.column_dimensions[letter].number_format == "yyyy-mm-dd"
            assert rules[letter].type == "date"
        if column.choices:
            rule = rules[letter]
            assert (rule.type, rule.formula1, rule.showErrorMessage) == ("list", f'"{",".join(column.choices)}"', True)
            assert str(rule.sqref) == f"{letter}2:{letter}1048576"
        assert (sheet.column_dimensions[letter].width or 0) >= len(column.name)
    assert len(fills) == 2 and len({rgb for _, rgb in fills}) == 2  # required and optional headers differ
    required = [c.name for c in input_columns(kind) if c.required]
    assert tuple(required) == REQUIRED_VALUES[kind]


def test_drop_downs_of_severity_status_yes_no_and_scores() -> None:
    choices = {(kind, c.name): c.choices for kind in KINDS for c in input_columns(kind) if c.choices}
    assert choices[("complaints", "severity")] == ("low", "medium", "high")
    assert choices[("complaints", "status")] == ("open", "closed")
    for kind, name in [("surveys", "followed_up"), ("complaints", "resolution_accepted"), ("returns", "warranty")]:
        assert choices[(kind, name)] == ("yes", "no")
    assert choices[("surveys", "overall")] == ("1", "2", "3", "4", "5")
    assert choices[("surveys", "recommend")] == tuple(str(v) for v in range(11))
    assert choices[("surveys", "quality")] == ("1", "2", "3", "4", "5", "0")


@pytest.mark.parametrize("kind", KINDS)
def test_instructions_sheet_explains_dates_and_every_column(kind: str) -> None:
    sheet = load_workbook(INPUT_TEMPLATES_DIR / WORKBOOKS[kind])["Instructions"]
    text = "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    assert "yyyy-mm-dd" in text and f"sheet '{kind}'" in text
    rows = [row[:2] for row in sheet.iter_rows(values_only=True)]
    table = rows[rows.index(("column", "required")) + 1 :]
    assert table == [(c.name, "required" if c.required else "optional") for c in input_columns(kind)]
    if kind == "surveys":
        assert f"Not applicable: {NOT_APPLICABLE}" in text and "declared in audit.yaml" in text


# --- never overwrite ----------------------------------------------------------------------------
def test_init_refuses_an_existing_audit_yaml_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "audit.yaml").write_text("audit: {id: EARLIER}\n", encoding="utf-8")
    with pytest.raises(OverwriteRefused, match="never overwrites") as refused:
        init_audit(tmp_path, period=PERIOD)
    assert refused.value.paths == (tmp_path / "audit.yaml",)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.yaml"]


def test_cli_init_refuses_to_overwrite_an_earlier_audit(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / PERIOD
    first = runner.invoke(app, ["init", str(target), "--organisation", "ACME Pumps Ltd", "--period", PERIOD])
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[0] == str(target / "audit.yaml")
    (target / "audit.yaml").write_text("# edited by the auditor\n", encoding="utf-8")
    again = runner.invoke(app, ["init", str(target), "--period", PERIOD])
    assert again.exit_code == 2
    assert len(again.stderr.splitlines()) == 1
    assert "already exist" in again.stderr and "never overwrites" in again.stderr
    assert (target / "audit.yaml").read_text(encoding="utf-8") == "# edited by the auditor\n"


def test_an_existing_workbook_alone_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    target = tmp_path / PERIOD
    (target / "data").mkdir(parents=True)
    (target / "data" / WORKBOOKS["orders"]).write_bytes(b"the organisation's own file")
    result = CliRunner().invoke(app, ["init", str(target)])
    assert result.exit_code == 2
    assert "data/orders.xlsx already exists" in result.stderr
    assert sorted(p.name for p in target.rglob("*")) == ["data", "orders.xlsx"]


def test_cli_init_rejects_a_period_that_is_not_a_quarter(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["init", str(tmp_path / "x"), "--period", "2026-Q5"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: period '2026-Q5' is not a calendar quarter such as 2026-Q3"
    assert not (tmp_path / "x").exists()


# --- the committed templates are those the generator writes ---------------------------------------
def test_committed_input_templates_are_up_to_date() -> None:
    assert write_templates(INPUT_TEMPLATES_DIR, check=True) == [], "run: python -m audit.scaffold"


def test_a_stale_template_is_found_and_regenerated(tmp_path: Path) -> None:
    shutil.copytree(INPUT_TEMPLATES_DIR, tmp_path / "inputs")
    path = tmp_path / "inputs" / WORKBOOKS["complaints"]
    before = outline(path)
    book = load_workbook(path)
    book["complaints"]["G1"].comment.text = "severity: an old note"
    (severity,) = [v for v in book["complaints"].data_validations.dataValidation if v.formula1 == '"low,medium,high"']
    severity.formula1 = '"minor,major"'
    book.save(path)
    assert outline(path) != before
    assert write_templates(tmp_path / "inputs", check=True) == [path]
    assert write_templates(tmp_path / "inputs") == [path]
    assert outline(path) == before
    assert write_templates(tmp_path / "inputs", check=True) == []
