"""Loading real-world exports through audit.yaml alone: mappings, header rows, grain, filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from audit.data.dataset import load_audit
from audit.data.intake import _without
from audit.exceptions import AuditError, ConfigError, InputFileError
from audit.kpi import compute_kpis
from conftest import folder_with


def test_chinese_xlsx_with_title_rows_loads_through_mapping(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "投诉"
    sheet.append(["2026年第三季度客户投诉登记表"])
    sheet.append([])
    sheet.append(["投诉编号", "接收日期", "投诉类别", "严重程度", "处理状态", "解决日期"])
    sheet.append(["TS-001", dt.datetime(2026, 7, 3), "交付延迟", "高", "已关闭", dt.datetime(2026, 7, 9)])
    sheet.append(["TS-002", "2026-08-15", "产品缺陷", " 中 ", "处理中", None])
    sheet.append(["TS-003", 46266, "包装破损", "低", "结案", 46270])  # Excel serial dates
    book.save(tmp_path / "投诉记录.xlsx")
    folder = folder_with(
        tmp_path,
        """  complaints:
    path: 投诉记录.xlsx
    sheet: 投诉
    columns: {complaint_id: 投诉编号, received_on: 接收日期, category: 投诉类别, severity: 严重程度, status: 处理状态, resolved_on: 解决日期}
""",
    )
    data = load_audit(folder)
    frame = data.frames["complaints"]
    assert list(frame["complaint_id"]) == ["TS-001", "TS-002", "TS-003"]
    assert list(frame["severity"]) == ["high", "medium", "low"]  # built-in spellings 高/中/低
    assert list(frame["status"]) == ["closed", "open", "closed"]
    assert [d.date().isoformat() for d in frame["received_on"]] == ["2026-07-03", "2026-08-15", "2026-09-01"]
    assert list(frame["_row"]) == [4, 5, 6]  # header found in row 3, below the title
    assert data.problems == ()
    assert "headers found in row 3" in data.sources[0].notes


def test_value_mappings_from_audit_yaml_and_unknown_values(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(
        "Ticket,Opened,Type,Prio,State,Accepted\n"
        "1,2026-07-01,Delivery,P1,Closed with explanation,Ja\n"
        "2,2026-07-02,Quality,P3,In Progress,Nein\n"
        "3,2026-07-03,Quality,P9,Escalated to CEO,Y\n",
        encoding="utf-8",
    )
    folder = folder_with(
        tmp_path,
        """  complaints:
    path: c.csv
    columns: {complaint_id: Ticket, received_on: Opened, category: Type, severity: Prio, status: State, resolution_accepted: Accepted}
    values:
      severity: {p1: high, P2: medium, " p3 ": low}
      resolution_accepted: {ja: yes, nein: no}
""",
    )
    data = load_audit(folder)
    problems = sorted((p.row, p.column, p.rule, p.value) for p in data.problems)
    assert problems == [(4, "Prio", "unknown_value", "P9"), (4, "State", "unknown_value", "Escalated to CEO")]
    assert "map it to one of low, medium, high under data.complaints.values.severity" in data.problems[0].message
    frame = data.frames["complaints"]
    assert list(frame["severity"]) == ["high", "low"]
    assert list(frame["status"]) == ["closed", "open"]
    assert list(frame["resolution_accepted"]) == [True, False]


def test_scales_per_column_and_not_applicable_code(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text(
        "id,date,overall,quality,delivery\n1,2026-07-01,7,5,0\n2,2026-07-02,6,0,4\n3,2026-07-03,1,3,6\n",
        encoding="utf-8",
    )
    folder = folder_with(
        tmp_path,
        """  surveys:
    path: s.csv
    columns: {response_id: id, responded_on: date}
    scale: {min: 1, max: 5, na: 0}
    scales: {overall: {min: 1, max: 7}}
    dimensions: {quality: quality, delivery: delivery}
""",
    )
    data = load_audit(folder)
    # 0 is "not applicable" on the 1–5 dimension scale: blank, not averaged, not an error;
    # 7 is on overall's own 1–7 scale; 6 is off the 1–5 delivery scale.
    assert [(p.row, p.column, p.rule) for p in data.problems] == [(4, "delivery", "out_of_scale")]
    frame = data.frames["surveys"]
    assert list(frame["overall"]) == [7, 6]
    assert frame["dim_quality"].tolist()[0] == 5 and frame["dim_quality"].isna().tolist() == [False, True]
    assert frame["dim_delivery"].isna().tolist() == [True, False]
    assert frame["dim_delivery"].mean() == 4  # the not-applicable 0 is not averaged


def test_line_grain_orders_summed_per_order(tmp_path: Path) -> None:
    (tmp_path / "lines.csv").write_text(
        "Order,Line,Date,Customer,Promised,Delivered,Qty,Shipped,Unit price\n"
        'A1,1,2026-07-01,K1,2026-07-10,2026-07-08,2,2,"£1,000.00"\n'
        "A1,2,2026-07-01,K1,2026-07-12,2026-07-11,3,3,£10.50\n"
        "A2,1,2026-07-05,K2,2026-07-15,2026-07-14,1,1,£5\n"
        "A2,2,2026-07-05,K2,2026-07-15,,4,0,£5\n"
        "A3,1,2026-07-06,K3,2026-07-16,2026-07-16,1,1,£7\n"
        "A3,2,2026-07-07,K3,2026-07-16,2026-07-16,1,1,£7\n"
        "A4,1,2026-07-08,K4,2026-07-18,2026-07-18,0,0,£7\n"
        "A4,2,2026-07-08,K4,2026-07-18,2026-07-18,5,5,£7\n",
        encoding="utf-8",
    )
    folder = folder_with(
        tmp_path,
        """  orders:
    path: lines.csv
    grain: line
    columns: {order_id: Order, ordered_on: Date, customer_id: Customer, promised_on: Promised, delivered_on: Delivered,
              quantity_ordered: Qty, quantity_delivered: Shipped, unit_price: Unit price}
""",
    )
    data = load_audit(folder)
    orders = data.frames["orders"].set_index("order_id")
    assert list(orders.index) == ["A1", "A2"]
    # A1: 2 × 1000.00 + 3 × 10.50 = 2031.50; promised by the latest line, delivered with the last
    assert orders.loc["A1", ["quantity_ordered", "quantity_delivered", "value"]].tolist() == [5, 5, 2031.5]
    assert (orders.loc["A1", "promised_on"], orders.loc["A1", "delivered_on"]) == (
        pd.Timestamp("2026-07-12"),
        pd.Timestamp("2026-07-11"),
    )
    # A2: one line not delivered yet, so the order is neither delivered nor in full
    assert orders.loc["A2", "value"] == 25 and orders.loc["A2", "delivered_on"] is pd.NaT
    assert orders["_in_full"].tolist() == [True, False]
    problems = sorted((p.row, p.column, p.rule) for p in data.problems)
    assert problems == [
        (6, "Date", "inconsistent_lines"),
        (7, "Date", "inconsistent_lines"),
        (8, "Qty", "impossible_quantity"),
        (9, "Order", "order_set_aside"),  # A4's good line goes with its bad one
    ]
    source = data.sources[0]
    assert (source.rows_read, source.rows_valid, source.rows_quarantined) == (8, 4, 4)
    assert "4 valid lines make 2 orders" in source.notes


def test_returns_from_the_invoice_file_through_a_row_filter(tmp_path: Path) -> None:
    (tmp_path / "invoices.csv").write_text(
        "Invoice,Date,Customer,Amount\n"
        "I-100,2026-07-01,K1,500\n"
        "C-101,2026-07-09,K1,-120\n"
        "I-102,2026-07-10,K2,80\n"
        "c-103,2026-08-01,K2,-80\n",
        encoding="utf-8",
    )
    folder = folder_with(
        tmp_path,
        """  orders:
    path: invoices.csv
    columns: {order_id: Invoice, ordered_on: Date, customer_id: Customer, value: Amount}
    where: {Invoice: {not_in: [C-101, c-103]}}
  returns:
    path: invoices.csv
    columns: {return_id: Invoice, returned_on: Date, customer_id: Customer}
    where: {return_id: {starts_with: C}}
""",
    )
    data = load_audit(folder)
    assert list(data.frames["orders"]["order_id"]) == ["I-100", "I-102"]
    assert list(data.frames["returns"]["return_id"]) == ["C-101", "c-103"]
    assert list(data.frames["returns"]["_row"]) == [3, 5]  # rows as in the file
    assert "2 of 4 rows kept by 'where'" in data.sources[1].notes


def test_day_first_inferred_for_the_whole_column_or_asked_for(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("id,when\nR1,03/08/2026\nR2,25/07/2026\nR3,07/25/2026\n", encoding="utf-8")
    folder = folder_with(tmp_path, "  returns: {path: r.csv, columns: {return_id: id, returned_on: when}}\n")
    data = load_audit(folder)
    # 25/07 shows the column is day first, so 03/08 is 3 August, and 07/25 is not a date
    assert [d.date().isoformat() for d in data.frames["returns"]["returned_on"]] == ["2026-08-03", "2026-07-25"]
    assert [(p.row, p.rule, p.value) for p in data.problems] == [(4, "not_a_date", "07/25/2026")]

    (tmp_path / "r.csv").write_text("id,when\nR1,03/08/2026\nR2,04/08/2026\n", encoding="utf-8")
    with pytest.raises(
        InputFileError, match="dates such as 03/08/2026 read both day first and month first; set 'dayfirst"
    ):
        load_audit(folder)
    folder_with(tmp_path, "  returns: {path: r.csv, dayfirst: false, columns: {return_id: id, returned_on: when}}\n")
    assert [d.month for d in load_audit(folder).history["returns"]["returned_on"]] == [3, 4]


def test_defaults_outside_period_and_nps_only_survey(tmp_path: Path) -> None:
    (tmp_path / "nps.csv").write_text("Customer,How likely are you to recommend us?\nK1,10\nK2,6\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text(
        "complaint_id,received_on,category\nC1,2026-09-30,Late\nC2,2024-06-30,Late\nC3,2026-10-01,Late\nC4,2024-10-01,Late\n",
        encoding="utf-8",
    )
    folder = folder_with(
        tmp_path,
        """  surveys:
    path: nps.csv
    columns: {response_id: Customer, recommend: "How likely are you to recommend us?"}
    defaults: {responded_on: 2026-09-15}
  complaints: {path: c.csv}
""",
    )
    data = load_audit(folder)
    assert list(data.frames["surveys"]["recommend"]) == [10, 6]
    assert "overall" not in data.frames["surveys"]
    # the history window is 2024-Q4 … 2026-Q3: C2 is before it, C3 after the period
    outside = [(p.row, p.rule, p.quarantined) for p in data.problems]
    assert outside == [(3, "outside_period", False), (4, "outside_period", False)]
    assert list(data.frames["complaints"]["complaint_id"]) == ["C1"]
    assert list(data.history["complaints"]["complaint_id"]) == ["C1", "C4"]
    complaints = next(s for s in data.sources if s.kind == "complaints")
    assert (complaints.rows_valid, complaints.rows_quarantined, complaints.rows_in_period) == (4, 0, 1)


def test_survey_without_any_score_column_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text("response_id,responded_on,comment\n1,2026-07-01,ok\n", encoding="utf-8")
    folder = folder_with(tmp_path, "  surveys: {path: s.csv}\n")
    with pytest.raises(InputFileError, match="no score column; map 'overall'"):
        load_audit(folder)


def test_a_filter_on_an_absent_column_names_the_headers(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("return_id,returned_on\nR1,2026-07-01\n", encoding="utf-8")
    folder = folder_with(tmp_path, "  returns: {path: r.csv, where: {Type: {equals: RMA}}}\n")
    with pytest.raises(
        InputFileError,
        match=r"column 'Type' \(in data\.returns\.where\) is not in the header; the headers are: return_id, returned_on",
    ):
        load_audit(folder)


def test_csv_title_rows_and_unnamed_columns_are_skipped(tmp_path: Path) -> None:
    # like an Excel report saved as CSV (prepbench case 172): a title, blank rows, "Unnamed" columns
    (tmp_path / "c.csv").write_text(
        "Key Metrics,Unnamed: 1,Unnamed: 2,Unnamed: 3\n"
        ",,,\n"
        ",,,\n"
        "Complaint,Received,Type,Comments\n"
        'K-1,2026-07-01,Late,"two\nlines"\n'
        "K-2,2026-07-02,Damaged,\n",
        encoding="utf-8-sig",
    )
    folder = folder_with(
        tmp_path,
        "  complaints: {path: c.csv, columns: {complaint_id: Complaint, received_on: Received, category: Type}}\n",
    )
    data = load_audit(folder)
    assert list(data.frames["complaints"]["complaint_id"]) == ["K-1", "K-2"]
    assert list(data.frames["complaints"]["_row"]) == [5, 6]  # a quoted cell over two lines is one Excel row
    assert data.sources[0].notes[0] == "headers found in row 4"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12), st.text(max_size=12)), max_size=8))
@example(cells=[("0", "0\n", "0")])  # a line break in a quoted value must not split the one-line error
@example(cells=[("", "0000", "")])  # a year pandas cannot hold
def test_any_cells_load_or_fail_with_an_audit_error(tmp_path: Path, cells: list[tuple[str, str, str]]) -> None:
    """Whatever the cells hold, loading either works or stops with one AuditError, never a crash."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["complaint_id", "received_on", "category"])
    writer.writerows(cells)
    (tmp_path / "c.csv").write_text(buffer.getvalue(), encoding="utf-8")
    folder = folder_with(tmp_path, "  complaints: {path: c.csv, values: {category: {x: y}}}\n")
    try:
        data = load_audit(folder)
    except AuditError as exc:
        assert "\n" not in str(exc)
    else:
        assert sum(s.rows_valid for s in data.sources) <= len(cells)


def test_a_responded_column_gives_the_questionnaires_sent_per_quarter(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text(
        "id,sent,answered,date,overall\n"
        "1,2026-07-01,yes,2026-07-03,5\n"
        "2,2026-07-01,no,,\n"
        "3,2026-07-02,no,,\n"
        "4,2026-07-02,yes,2026-07-09,4\n"
        "5,2026-04-01,yes,2026-04-04,3\n"  # 2026-Q2: one sent, one answered
        "6,2026-08-01,NO,,\n",
        encoding="utf-8",
    )
    folder = folder_with(
        tmp_path,
        "  surveys: {path: s.csv, columns: {response_id: id, sent_on: sent, responded: answered, responded_on: date}}\n",
    )
    data = load_audit(folder)
    assert data.problems == ()  # unanswered rows have no date or score, and need none
    assert data.surveys_sent == {"2026-Q3": 5, "2026-Q2": 1}
    assert list(data.frames["surveys"]["response_id"]) == ["1", "4"]
    kpis = compute_kpis(data)
    # 2 answered of 5 sent = 40%; in 2026-Q2 1 of 1
    assert kpis["response_rate_pct"].value == 40.0 and kpis["responses"].value == 2
    assert kpis["response_rate_pct"].previous == 100.0

    folder_with(
        tmp_path, "  surveys: {path: s.csv, columns: {response_id: id, responded: answered, responded_on: date}}\n"
    )
    with pytest.raises(InputFileError, match="a 'responded' column needs a 'sent_on' column too"):
        load_audit(folder)


def test_a_default_outside_the_vocabulary_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("complaint_id,received_on,category\nC1,2026-07-01,Late\n", encoding="utf-8")
    folder = folder_with(tmp_path, "  complaints: {path: c.csv, defaults: {severity: urgent}}\n")
    with pytest.raises(ConfigError, match=r"^data\.complaints\.defaults\.severity: 'urgent' is not a known severity"):
        load_audit(folder, strict=False)


def test_rows_left_out_column_by_column_as_loc_would() -> None:
    def frame() -> pd.DataFrame:
        return pd.DataFrame(
            {
                "_row": [2, 3, 4, 5],
                "order_id": pd.array(["A", "B", None, "D"], dtype="str"),
                "ordered_on": pd.to_datetime(["2026-07-01", None, "2026-07-03", "2026-07-04"]),
                "value": [1.5, 2.0, float("nan"), 4.0],
                "warranty": pd.array([True, None, False, True], dtype="boolean"),
            },
            index=[10, 11, 12, 13],
        )

    for rows in ({11, 13}, set(), {10, 11, 12, 13}):
        given = frame()
        kept = _without(given, rows)
        pd.testing.assert_frame_equal(kept, frame().loc[~frame().index.isin(list(rows))])
        if rows:  # moved out, one column at a time: the index stays, for its length
            assert list(given.columns) == [] and len(given) == 4
