from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from audit import forked
from audit.data import dataset
from audit.data.dataset import load_audit
from audit.exceptions import ConfigError, InputFileError, TooManyInvalidRows
from audit.progress import Event, listening
from conftest import replace_in


def test_tiny_loads_every_kind_with_period_split(tiny: Path) -> None:
    data = load_audit(tiny)
    assert {k: len(f) for k, f in data.frames.items()} == {"surveys": 10, "complaints": 6, "returns": 3, "orders": 20}
    assert len(data.history["surveys"]) == 12  # two responses from 2026-Q2 kept for the trend
    assert data.problems == ()
    surveys = next(s for s in data.sources if s.kind == "surveys")
    assert (surveys.rows_read, surveys.rows_in_period, len(surveys.sha256)) == (12, 10, 64)
    # mapped headers become our names; Excel row numbers start at 2 below the header
    assert list(data.frames["surveys"]["_row"][:2]) == [2, 3]
    assert data.frames["surveys"]["dim_reliability"].iloc[0] == 5


def test_score_off_scale_stops_with_file_row_and_column(tiny: Path) -> None:
    replace_in(tiny / "surveys.csv", "S04,K4,2026-08-01,3,", "S04,K4,2026-08-01,9,")
    with pytest.raises(TooManyInvalidRows) as err:
        load_audit(tiny)
    message = str(err.value)
    assert message.startswith(
        "surveys.csv, row 5, column 'Overall satisfaction': score 9 is outside the declared scale 1–5"
    )
    assert "1 of 12 surveys rows" in message and "\n" not in message


def test_invalid_rows_under_threshold_are_quarantined_not_dropped(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "owners:", "validation: {max_invalid_pct: 20}\nowners:")
    replace_in(tiny / "surveys.csv", "S04,K4,2026-08-01,3,", "S04,K4,2026-08-01,9,")
    replace_in(
        tiny / "complaints.csv", "C3,K3,2026-08-01,2026-08-01,2026-08-08", "C3,K3,2026-08-01,2026-08-01,2026-07-08"
    )
    data = load_audit(tiny)
    assert len(data.frames["surveys"]) == 9 and len(data.frames["complaints"]) == 5
    found = {(p.file, p.row, p.column, p.rule) for p in data.problems}
    assert found == {
        ("surveys.csv", 5, "Overall satisfaction", "out_of_scale"),
        ("complaints.csv", 4, "resolved_on", "date_order"),
    }
    complaints = next(s for s in data.sources if s.kind == "complaints")
    assert complaints.rows_quarantined == 1


def test_unparseable_values_and_duplicates_are_reported(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "owners:", "validation: {max_invalid_pct: 50}\nowners:")
    replace_in(tiny / "orders.csv", "O05,K5,", "O04,K5,")
    replace_in(tiny / "returns.csv", "R2,O05,K5,2026-08-10,1,", "R2,O05,K5,2026-08-10,one,")
    replace_in(tiny / "surveys.csv", "S02,K2,2026-07-05,", "S02,K2,not a date,")
    data = load_audit(tiny)
    rules = sorted((p.kind, p.row, p.rule, p.value) for p in data.problems)
    assert rules == [
        ("orders", 6, "duplicate_id", "O04"),
        ("returns", 3, "not_a_number", "one"),
        ("surveys", 3, "not_a_date", "not a date"),
    ]


def test_missing_file_and_missing_mapped_column(tiny: Path) -> None:
    (tiny / "returns.csv").unlink()
    with pytest.raises(InputFileError, match=r"returns\.csv: file not found"):
        load_audit(tiny)


def test_mapped_column_absent_lists_headers(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "overall: Overall satisfaction", "overall: Satisfaction")
    with pytest.raises(
        InputFileError, match=r"column 'Satisfaction' \(mapped to overall in audit\.yaml\) is not in the header"
    ):
        load_audit(tiny)


def test_unknown_column_in_mapping_is_a_config_error(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "overall: Overall satisfaction", "overal: Overall satisfaction")
    with pytest.raises(ConfigError, match="unknown column \\['overal'\\]"):
        load_audit(tiny)


def test_empty_file(tiny: Path) -> None:
    (tiny / "complaints.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputFileError, match="the file is empty"):
        load_audit(tiny)


def test_excel_source_with_sheet_and_real_dates(tiny: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Returns"
    sheet.append(["return_id", "order_id", "customer_id", "returned_on", "quantity", "reason", "value", "warranty"])
    import datetime as dt

    sheet.append(["R1", "O02", "K2", dt.datetime(2026, 7, 20), 2, "Damaged", 200, "no"])
    sheet.append([1001, "O05", "K5", 46244, 1, "Wrong item", 100, "Y"])  # Excel serial date: 2026-08-10
    book.save(tiny / "returns.xlsx")
    replace_in(tiny / "audit.yaml", "path: returns.csv", "path: returns.xlsx\n    sheet: Returns")
    data = load_audit(tiny)
    returns = data.frames["returns"]
    assert list(returns["return_id"]) == ["R1", "1001"]
    assert [d.date().isoformat() for d in returns["returned_on"]] == ["2026-07-20", "2026-08-10"]
    assert list(returns["warranty"]) == [False, True]

    replace_in(tiny / "audit.yaml", "sheet: Returns", "sheet: RMA")
    with pytest.raises(InputFileError, match="no sheet 'RMA'; the workbook has 'Returns'"):
        load_audit(tiny)


def test_corrupt_xlsx(tiny: Path) -> None:
    (tiny / "returns.xlsx").write_bytes(b"this is not a zip file")
    replace_in(tiny / "audit.yaml", "path: returns.csv", "path: returns.xlsx")
    with pytest.raises(InputFileError, match="cannot be opened as an Excel workbook"):
        load_audit(tiny)


def test_gb18030_csv_with_chinese_headers(tiny: Path) -> None:
    text = "投诉编号,接收日期,类别\nC1,2026-07-01,交付延迟\nC2,2026-08-02,产品缺陷\n"
    (tiny / "complaints.csv").write_bytes(text.encode("gb18030"))
    replace_in(
        tiny / "audit.yaml",
        "path: complaints.csv",
        "path: complaints.csv\n    columns: {complaint_id: 投诉编号, received_on: 接收日期, category: 类别}",
    )
    data = load_audit(tiny)
    assert list(data.frames["complaints"]["category"]) == ["交付延迟", "产品缺陷"]


def test_repeated_header_is_an_error_in_csv_and_excel(tiny: Path) -> None:
    replace_in(
        tiny / "returns.csv", "return_id,order_id,customer_id,returned_on", "return_id,order_id,order_id ,returned_on"
    )
    with pytest.raises(InputFileError, match="the header 'order_id' appears twice in row 1"):
        load_audit(tiny)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Returns export"])
    sheet.append(["return_id", "returned_on", "return_id"])
    sheet.append(["R1", "2026-07-20", "R1"])
    book.save(tiny / "returns.xlsx")
    replace_in(tiny / "audit.yaml", "path: returns.csv", "path: returns.xlsx\n    header_row: 2")
    with pytest.raises(InputFileError, match="the header 'return_id' appears twice in row 2"):
        load_audit(tiny)


def test_recommend_off_its_own_scale_names_its_key(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "owners:", "validation: {max_invalid_pct: 20}\nowners:")
    replace_in(tiny / "surveys.csv", "S05,K5,2026-08-09,5,10,", "S05,K5,2026-08-09,5,11,")
    (problem,) = load_audit(tiny).problems
    assert (problem.row, problem.column, problem.rule) == (6, "Recommend", "out_of_scale")
    assert "outside the declared scale 0–10" in problem.message
    assert "data.surveys.recommend_scale" in problem.message


def test_every_rule_of_every_schema_is_documented() -> None:
    """The rules are declared once, in the schemas; the data contract lists each of them."""
    from audit.data.rules import iter_ids
    from audit.data.schemas import SCHEMAS

    text = (Path(__file__).parents[1] / "docs" / "data-contract.md").read_text(encoding="utf-8")
    ids = iter_ids(SCHEMAS.values())
    assert {"missing_value", "duplicate_row", "excel_error", "out_of_scale", "order_set_aside"} <= set(ids)
    assert [
        i for i in [*ids, "malformed_line", "unknown_customer", "no_lines", "unknown_order"] if f"`{i}`" not in text
    ] == []


def test_each_kind_declares_its_columns_once() -> None:
    from audit.data.contract import COLUMNS, ID_COLUMN, REQUIRED
    from audit.data.schemas import SCHEMAS

    assert set(COLUMNS) == set(SCHEMAS)
    assert REQUIRED["surveys"] == ("response_id", "responded_on") and ID_COLUMN["customers"] == "customer_id"
    assert {name for name, col in SCHEMAS["orders"].columns.items() if col.allowed} == {"status"}


def _forks_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Two cores whatever the machine has; the copies made are counted."""
    monkeypatch.setattr(forked, "cores", lambda: 2)
    copies: list[int] = []
    real = forked.Forked.start

    def counted(fn: Any, args: tuple[Any, ...]) -> forked.Forked:
        work = real(fn, args)
        copies.append(work.pid)
        return work

    monkeypatch.setattr(forked.Forked, "start", counted)
    return copies


def test_the_largest_file_read_on_the_other_core_gives_the_same_data(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replace_in(tiny / "audit.yaml", "owners:", "validation: {max_invalid_pct: 20}\nowners:")
    replace_in(tiny / "surveys.csv", "S04,K4,2026-08-01,3,", "S04,K4,2026-08-01,9,")  # a problem, a quarantined row
    monkeypatch.setattr(forked, "cores", lambda: 1)
    alone = load_audit(tiny)
    copies = _forks_counted(monkeypatch)
    heard: list[Event] = []
    with listening(heard.append):
        beside = load_audit(tiny)
    assert len(copies) == 1  # orders.csv, the largest, was read by a copy
    assert list(beside.frames) == list(beside.history) == ["surveys", "complaints", "returns", "orders"]
    for kind in beside.frames:
        pd.testing.assert_frame_equal(beside.frames[kind], alone.frames[kind])
        pd.testing.assert_frame_equal(beside.history[kind], alone.history[kind])
        pd.testing.assert_frame_equal(beside.quarantine[kind], alone.quarantine[kind])
    assert len(beside.problems) == 1 and beside.problems == alone.problems
    assert beside.sources == alone.sources and beside.surveys_sent == alone.surveys_sent
    read = [(e.label, e.n) for e in heard if e.stage == "read" and e.kind == "done"]
    assert read == [("surveys.csv", 12), ("complaints.csv", 6), ("returns.csv", 3), ("orders.csv", 21)]


@pytest.mark.parametrize("largest", ["surveys.csv", "orders.csv"])
def test_of_two_bad_files_the_first_in_reading_order_stops_the_run(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, largest: str
) -> None:
    copies = _forks_counted(monkeypatch)
    monkeypatch.setattr(dataset, "_size", lambda path, config: 10 if path == largest else 1)
    replace_in(tiny / "surveys.csv", "S04,K4,2026-08-01,3,", "S04,K4,2026-08-01,9,")
    replace_in(tiny / "orders.csv", "O01,K1,2026-07-05,", "O01,K1,2026-17-05,")
    replace_in(tiny / "orders.csv", "O02,K2,2026-07-09,", "O02,K2,2026-19-09,")
    with pytest.raises(TooManyInvalidRows) as err:
        load_audit(tiny)
    assert err.value.kind == "surveys" and "surveys.csv, row 5" in str(err.value)
    replace_in(tiny / "surveys.csv", "S04,K4,2026-08-01,9,", "S04,K4,2026-08-01,3,")
    with pytest.raises(TooManyInvalidRows) as err:
        load_audit(tiny)  # the copy's error, raised here with its attributes
    assert err.value.kind == "orders" and [p.row for p in err.value.problems] == [2, 3]
    assert len(copies) == 2


def test_too_many_invalid_rows_is_told_in_the_audits_language(tiny: Path) -> None:
    replace_in(tiny / "audit.yaml", "  lead_auditor: A. Auditor", "  lead_auditor: A. Auditor\n  language: zh-CN")
    replace_in(tiny / "surveys.csv", "S04,K4,2026-08-01,3,", "S04,K4,2026-08-01,9,")
    with pytest.raises(TooManyInvalidRows) as err:
        load_audit(tiny)
    message = str(err.value)
    assert message.startswith("surveys.csv, 第 5 行, “Overall satisfaction”列：评分 9 超出声明的量表 1–5"), message
    assert "调查答卷的 12 行中有 1 行（8.3%）无效，超过允许的 5%" in message and "\n" not in message
