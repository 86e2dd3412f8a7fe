"""Real exports written by others load through an audit.yaml mapping alone.

Each case runs on the excerpt in tests/fixtures/real/ (always) and on the whole file in
../shared/real-data/ (skipped when that folder is absent). Expected counts and date ranges
were worked out independently with pandas on the raw files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from audit.data.dataset import AuditData, load_audit
from audit.kpi import compute_kpis

EXCERPTS = Path(__file__).parent / "fixtures" / "real"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "real-data"


@dataclass(frozen=True)
class Case:
    kind: str
    excerpt: str
    shared: str
    period: tuple[str, str]
    source: str  # the data.<kind> entry of audit.yaml, without its path


CASES = {
    "cfpb": Case(
        "complaints", "cfpb_complaints.csv", "cfpb/Consumer_Complaints.csv", ("2016-07-01", "2020-06-30"),
        """columns: {complaint_id: Complaint ID, received_on: Date received, category: Product, channel: Submitted via,
              status: Company response to consumer, description: Consumer complaint narrative}
    values: {status: {Untimely response: open}}""",
    ),
    "case_281": Case(
        "complaints", "case_281.csv", "prepbench/case_281/input_01.csv", ("2023-01-01", "2023-12-31"),
        """columns: {complaint_id: Complaint ID, received_on: Date Received, resolved_on: Date Resolved,
              category: Issue Type, status: Response to Consumer, customer_id: Customer ID, product: Product Category}""",
    ),
    "case_122": Case(
        "surveys", "case_122.csv", "prepbench/case_122/input_01.csv", ("2023-01-01", "2023-12-31"),
        """columns: {response_id: CustomerID, recommend: "How likely are you to recommend this airline?"}
    defaults: {responded_on: 2023-06-30}""",
    ),
    "case_299": Case(
        "returns", "case_299.csv", "prepbench/case_299/input_01.csv", ("2023-01-01", "2023-12-31"),
        """columns: {return_id: Unique Sales ID, returned_on: Date Returned, product: Product, value: Price}
    where: {returned_on: {not_blank: true}}""",
    ),
    "case_150": Case(
        "orders", "case_150.csv", "prepbench/case_150/input_01.csv", ("2021-01-01", "2021-12-31"),
        """grain: line
    columns: {order_id: OrderID, ordered_on: Order Date, customer_id: Customer, quantity_ordered: Quantity,
              unit_price: Unit Price, product: Product Name}""",
    ),
}  # fmt: skip


def load_case(tmp_path: Path, name: str, *, whole: bool) -> AuditData:
    case = CASES[name]
    if whole and not SHARED.is_dir():
        pytest.skip("../shared/real-data is not beside the checkout; the excerpt tests cover these files")
    path = SHARED / case.shared if whole else EXCERPTS / case.excerpt
    start, end = case.period
    (tmp_path / "audit.yaml").write_text(
        f"audit: {{id: REAL, organisation: Real data, start: {start}, end: {end}}}\n"
        f"data:\n  allow_outside: ['{path.parent.as_posix()}']\n"  # the files stay where they are, outside the site
        f"  {case.kind}:\n    path: '{path.as_posix()}'\n    {case.source}\n",
        encoding="utf-8",
    )
    return load_audit(tmp_path)


def days(data: AuditData, kind: str, column: str) -> tuple[str, str]:
    dates = data.frames[kind][column]
    return f"{dates.min():%Y-%m-%d}", f"{dates.max():%Y-%m-%d}"


@pytest.mark.parametrize("whole", [False, True], ids=["excerpt", "whole"])
def test_cfpb_complaints(tmp_path: Path, whole: bool) -> None:
    data = load_case(tmp_path, "cfpb", whole=whole)
    frame = data.frames["complaints"]
    if whole:
        assert len(frame) == 268 and days(data, "complaints", "received_on") == ("2016-07-13", "2020-06-29")
        assert frame["status"].value_counts().to_dict() == {"closed": 265, "open": 3}
    else:
        assert len(frame) == 25 and days(data, "complaints", "received_on") == ("2018-12-14", "2020-04-07")
        assert set(frame["status"]) == {"closed"}
        assert frame["description"].str.contains("\n").sum() == 7  # multi-line narratives kept whole
    assert data.problems == ()


@pytest.mark.parametrize("whole", [False, True], ids=["excerpt", "whole"])
def test_case_281_complaints_bom_day_first_in_progress(tmp_path: Path, whole: bool) -> None:
    data = load_case(tmp_path, "case_281", whole=whole)
    rows, first_last, in_progress = (
        (53, ("2023-01-13", "2023-12-07"), 11) if whole else (25, ("2023-01-17", "2023-09-20"), 9)
    )
    assert len(data.frames["complaints"]) == rows
    assert days(data, "complaints", "received_on") == first_last
    assert "dates in 'Date Received' read day first (inferred from the column)" in data.sources[0].notes
    # "In Progress" complaints carrying a resolved date: reported, counted as open
    conflicts = [p for p in data.problems if p.rule == "open_but_resolved"]
    assert len(conflicts) == len(data.problems) == in_progress and not any(p.quarantined for p in conflicts)
    open_ = data.frames["complaints"]["status"] == "open"
    assert open_.sum() == in_progress and data.frames["complaints"].loc[open_, "resolved_on"].isna().all()


@pytest.mark.parametrize("whole", [False, True], ids=["excerpt", "whole"])
def test_case_122_nps_with_a_question_as_header(tmp_path: Path, whole: bool) -> None:
    data = load_case(tmp_path, "case_122", whole=whole)
    scores = data.frames["surveys"]["recommend"]
    assert len(scores) == (5723 if whole else 30)
    nps = 100 * ((scores >= 9).mean() - (scores <= 6).mean())
    assert round(nps, 2) == (8.93 if whole else 10.0)  # excerpt: 10 promoters, 7 detractors of 30
    assert data.problems == ()
    # an NPS-only survey: the NPS is computed, the CSAT KPIs say why they are absent
    kpis = compute_kpis(data)
    assert round(kpis["nps"].value or 0, 2) == round(nps, 2) and kpis["responses"].value == len(scores)
    assert kpis["csat_mean"].value is None and "no overall satisfaction column" in kpis["csat_mean"].note


@pytest.mark.parametrize("whole", [False, True], ids=["excerpt", "whole"])
def test_case_299_returns_filtered_from_sales_with_trailing_spaces(tmp_path: Path, whole: bool) -> None:
    data = load_case(tmp_path, "case_299", whole=whole)
    returns = data.frames["returns"]
    if whole:
        assert len(returns) == 38 and days(data, "returns", "returned_on") == ("2023-01-09", "2023-12-14")
        assert round(returns["value"].sum(), 2) == 205.43
    else:
        assert len(returns) == 9 and days(data, "returns", "returned_on") == ("2023-02-08", "2023-11-24")
    assert data.sources[0].rows_read == len(returns)  # rows kept by the filter
    assert data.problems == ()


@pytest.mark.parametrize("whole", [False, True], ids=["excerpt", "whole"])
def test_case_150_order_lines_with_pound_prices(tmp_path: Path, whole: bool) -> None:
    data = load_case(tmp_path, "case_150", whole=whole)
    orders = data.frames["orders"]
    if whole:
        assert len(orders) == 976 and days(data, "orders", "ordered_on") == ("2021-01-01", "2021-07-31")
        assert round(orders["value"].sum(), 2) == 1653884.01 and orders["quantity_ordered"].sum() == 13470
    else:
        assert len(orders) == 34 and days(data, "orders", "ordered_on") == ("2021-01-02", "2021-01-30")
        assert round(orders["value"].sum(), 2) == 63663.59
    assert data.problems == ()
