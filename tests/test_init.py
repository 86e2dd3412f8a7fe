"""The Excel input templates (audit.input_templates) and their committed copies in templates/inputs/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit.data.contract import KINDS, REQUIRED
from audit.input_templates import NOT_APPLICABLE, WORKBOOKS, input_columns, outline, write_templates
from audit.paths import INPUT_TEMPLATES_DIR


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
    assert tuple(required) == REQUIRED[kind]


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
