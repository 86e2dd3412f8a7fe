"""The synthetic organisation: files, configuration, determinism and the planted problems."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from audit.config import load_config
from audit.demo import HEADERS, LOST_CUSTOMER_ID, PLANTED, SURVEY_DIMENSIONS, planted, write_demo

SMALL = {
    "orders_per_quarter": 2_000,
    "responses_per_quarter": 400,
    "complaints_per_quarter": 100,
    "returns_per_quarter": 60,
}
LAST = pd.Period("2026Q3", freq="Q")
PREVIOUS = [LAST - k for k in range(1, 8)]
END = pd.Timestamp("2026-09-30")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo"), **SMALL)


@pytest.fixture(scope="module")
def orders(folder: Path) -> pd.DataFrame:
    frame = pd.read_csv(folder / "data" / "orders.csv", dtype=str, keep_default_na=False)
    for column in ("Order Date", "Promised Date", "Delivery Date"):
        frame[column] = pd.to_datetime(frame[column].replace("", None), format="%Y-%m-%d")
    frame["quarter"] = frame["Order Date"].dt.to_period("Q")
    frame["value"] = frame["Net Value (EUR)"].astype(float)
    return frame


@pytest.fixture(scope="module")
def surveys(folder: Path) -> pd.DataFrame:
    frame = pd.read_csv(folder / "data" / "survey_responses.csv", encoding="utf-8-sig")
    frame["quarter"] = pd.to_datetime(frame["Submitted On"], format="%Y-%m-%d").dt.to_period("Q")
    return frame


@pytest.fixture(scope="module")
def complaints(folder: Path) -> pd.DataFrame:
    frame = pd.read_excel(folder / "data" / "complaint_log.xlsx", sheet_name="Complaints", engine="calamine")
    frame["quarter"] = frame["Received"].dt.to_period("Q")
    frame["days"] = (frame["Resolved"] - frame["Received"]).dt.days
    return frame


@pytest.fixture(scope="module")
def returns(folder: Path) -> pd.DataFrame:
    frame = pd.read_excel(folder / "data" / "rma_returns.xlsx", sheet_name="Returns", engine="calamine")
    frame["quarter"] = frame["Return Date"].dt.to_period("Q")
    return frame


def test_writes_the_audit_folder(folder: Path) -> None:
    assert folder.name == "2026-Q3"
    names = sorted(p.name for p in (folder / "data").iterdir() if not p.name.startswith("."))
    assert names == ["complaint_log.xlsx", "orders.csv", "rma_returns.xlsx", "survey_responses.csv"]
    assert (folder / "data" / ".demo-fingerprint.json").is_file()  # what was written, for reuse
    assert (folder / "data" / "survey_responses.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (folder / "audit.yaml").read_text(encoding="utf-8").startswith("# audit.yaml")


def test_audit_yaml_loads_and_maps_every_header(folder: Path) -> None:
    cfg = load_config(folder)
    assert cfg.audit.id == "DEMO-P1-2026-Q3"
    assert (cfg.audit.period_start, cfg.audit.audit_date) == (dt.date(2026, 7, 1), dt.date(2026, 10, 15))
    assert cfg.targets["otif_pct"] == 95 and cfg.sla.complaint_resolve_days == 14
    assert set(cfg.owners) == {"customer_service", "logistics", "quality", "sales"}
    surveys = cfg.data.surveys
    assert surveys is not None and surveys.sent == 1_600
    assert list(surveys.dimensions) == list(SURVEY_DIMENSIONS) == list(surveys.expectations)
    for kind in ("surveys", "complaints", "returns", "orders"):
        source = getattr(cfg.data, kind)
        assert source.columns == HEADERS[kind]
        assert cfg.resolve(source.path).is_file()


def test_same_seed_gives_identical_csv_files(folder: Path, tmp_path: Path) -> None:
    again = write_demo(tmp_path, **SMALL)
    for name in ("orders.csv", "survey_responses.csv"):
        assert (again / "data" / name).read_bytes() == (folder / "data" / name).read_bytes()


def test_eight_quarters_of_history(orders: pd.DataFrame, returns: pd.DataFrame) -> None:
    counts = orders.groupby("quarter").size()
    assert list(counts.index) == [*reversed(PREVIOUS), LAST]
    assert (counts == 2_000).all()
    assert (returns.groupby("quarter").size() == 60).all()
    assert orders["Delivery Date"].max() <= END


def test_revenue_is_concentrated_in_few_customers(orders: pd.DataFrame) -> None:
    revenue = orders.groupby("Customer No")["value"].sum().sort_values(ascending=False)
    top = revenue.iloc[: len(revenue) // 5].sum() / revenue.sum()
    assert 0.65 <= top <= 0.9


def test_largest_account_stops_ordering(orders: pd.DataFrame) -> None:
    history = orders[orders["quarter"] < LAST]
    assert history.groupby("Customer No")["value"].sum().idxmax() == LOST_CUSTOMER_ID
    lost = orders[orders["Customer No"] == LOST_CUSTOMER_ID].groupby("quarter").size()
    assert all(lost.get(q, 0) > 0 for q in PREVIOUS[:4])
    assert lost.get(LAST, 0) == 0
    assert PLANTED["lost_customer_id"] == LOST_CUSTOMER_ID


def test_delivery_mostly_on_time_in_full(orders: pd.DataFrame) -> None:
    done = orders[orders["Delivery Date"].notna()]
    ordered = pd.to_numeric(done["Qty Ordered"], errors="coerce")
    on_time = done["Delivery Date"] <= done["Promised Date"]
    in_full = pd.to_numeric(done["Qty Delivered"]) >= ordered
    assert 0.92 <= (on_time & in_full).mean() <= 0.975


def test_packaging_damage_spikes_in_the_second_month(complaints: pd.DataFrame) -> None:
    packaging = complaints[complaints["Category"] == PLANTED["spike_category"]]
    per_quarter = packaging.groupby("quarter").size()
    assert per_quarter[LAST] >= 2.5 * per_quarter[PREVIOUS].mean()
    by_month = packaging[packaging["quarter"] == LAST]["Received"].dt.strftime("%Y-%m").value_counts()
    assert by_month.idxmax() == PLANTED["spike_month"] == "2026-08"


def test_complaint_resolution_slips_past_the_sla(complaints: pd.DataFrame) -> None:
    resolved = complaints[complaints["days"] >= 0]
    median = resolved.groupby("quarter")["days"].median()
    assert (median[PREVIOUS] <= 9).all() and median[LAST] >= 13
    within = (complaints["days"] <= 14).groupby(complaints["quarter"]).mean()
    assert (within[PREVIOUS] >= 0.85).all() and within[LAST] <= 0.65
    overdue = (complaints["Status"] == "open") & ((END - complaints["Received"]).dt.days > 14)
    assert overdue.sum() >= 3
    assert complaints.loc[complaints["Status"] == "open", "Resolved"].isna().all()


def test_responsiveness_declines_and_the_rest_hold(surveys: pd.DataFrame) -> None:
    means = surveys.groupby("quarter")[[f"{d.title()} - Perception" for d in SURVEY_DIMENSIONS]].mean()
    change = means.loc[LAST] - means.loc[PREVIOUS[0]]
    assert change["Responsiveness - Perception"] <= -0.3
    assert change.drop("Responsiveness - Perception").abs().max() < 0.2
    assert PLANTED["declining_dimension"] == "responsiveness"


def test_surveys_look_like_real_answers(surveys: pd.DataFrame) -> None:
    valid = surveys[surveys["Overall Satisfaction (1-5)"] <= 5]
    overall = valid["Overall Satisfaction (1-5)"]
    assert 3.9 <= overall.mean() <= 4.3
    assert overall.corr(valid["Likelihood to Recommend (0-10)"]) > 0.5
    assert overall.corr(valid["Reliability - Perception"]) > 0.4
    gap = valid["Reliability - Perception"].mean() - valid["Reliability - Expectation"].mean()
    assert gap < -0.2
    comments = valid["Comments"].dropna()
    chinese = comments.str.contains(r"[\u4e00-\u9fff]").mean()
    assert 0.05 <= chinese <= 0.15
    assert set(valid["Channel"]) == {"email", "phone", "web"}
    assert set(valid["Followed Up"]) == {"yes", "no"}


def test_a_few_invalid_rows_in_the_last_quarter(
    orders: pd.DataFrame, surveys: pd.DataFrame, complaints: pd.DataFrame, returns: pd.DataFrame
) -> None:
    def share(bad: pd.Series, rows: int) -> float:
        assert bad.sum() >= 1
        return float(bad.sum() / rows)

    last_orders = orders[orders["quarter"] == LAST]
    quantity = pd.to_numeric(orders["Qty Ordered"], errors="coerce")
    assert share(quantity.isna(), len(last_orders)) < 0.05
    assert share(quantity < 0, len(last_orders)) < 0.05
    assert orders.loc[quantity.isna() | (quantity < 0), "quarter"].eq(LAST).all()
    last_surveys = (surveys["quarter"] == LAST).sum()
    assert share(~surveys["Overall Satisfaction (1-5)"].between(1, 5), last_surveys) < 0.05
    assert share(surveys["Submitted On"].isna(), last_surveys) < 0.05
    last_complaints = (complaints["quarter"] == LAST).sum()
    backwards = complaints["days"] < 0
    assert share(backwards, last_complaints) < 0.05
    assert complaints.loc[backwards, "quarter"].eq(LAST).all()
    duplicated = returns["RMA Number"].duplicated(keep=False)
    assert share(duplicated, (returns["quarter"] == LAST).sum()) < 0.05


def test_planted_follows_the_period() -> None:
    assert planted("2026-Q1")["spike_month"] == "2026-02"
    assert PLANTED["period"] == "2026-Q3"


def test_refuses_sizes_too_small_to_plant_problems(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="complaints_per_quarter"):
        write_demo(tmp_path, complaints_per_quarter=5)
    with pytest.raises(ValueError, match="quarter"):
        write_demo(tmp_path, period="2026-13")


def test_benchmark_generator_splits_totals_over_quarters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("generate", script)
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    argv = [
        str(tmp_path),
        "--orders",
        "4000",
        "--responses",
        "800",
        "--complaints",
        "120",
        "--returns",
        "80",
        "--quarters",
        "4",
        "--period",
        "2025-Q2",
    ]
    assert generate.main(argv) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "2025-Q2") in out and "written in" in out
    orders = pd.read_csv(tmp_path / "2025-Q2" / "data" / "orders.csv", usecols=["Order Date"])
    assert len(orders) == 4000 and orders["Order Date"].min() >= "2024-07-01"
    assert np.isin(orders["Order Date"].str[:7], ["2024-12", "2025-06"]).any()
