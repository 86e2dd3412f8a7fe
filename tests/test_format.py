"""audit.format: one way to write every number, p-value, date and amount, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest

from audit import format as fmt
from audit.i18n import language


@pytest.mark.parametrize(
    ("value", "unit", "kpi_id", "shown"),
    [
        (4.123, "score", "", "4.12"),
        (93.44, "%", "", "93.4%"),
        (93.45, "%", "", "93.5%"),
        (-12.0, "points", "nps", "−12"),
        (27.4, "points", "nps", "+27"),
        (-0.834, "points", "gap_reliability", "−0.83"),
        (1234.0, "count", "", "1,234"),
        (3.25, "days", "", "3.2 days"),
        (36.26, "per 1000", "", "36.3"),
        (76.52, "index", "", "76.5"),
        (1500.0, "ppm", "", "1,500 ppm"),
        (None, "%", "", "–"),
        (float("nan"), "score", "", "–"),
        (float("inf"), "score", "", "–"),
    ],
)
def test_value(value: float | None, unit: str, kpi_id: str, shown: str) -> None:
    assert fmt.value(value, unit, kpi_id=kpi_id) == shown


def test_signs_and_changes() -> None:
    assert fmt.signed(-0.004, 2) == "±0.00" and fmt.signed(0.126, 2) == "+0.13" and fmt.signed(-3, 0) == "−3"
    assert fmt.change(-4.24, "%") == "−4.2 pts" and fmt.change(0.2, "score") == "+0.20"
    assert fmt.change(None, "%") == "–"


@pytest.mark.parametrize(
    ("p", "table", "sentence"),
    [
        (0.0312, "0.031", "p = 0.031"),
        (0.001, "0.001", "p = 0.001"),
        (0.00099, "< 0.001", "p < 0.001"),
        (None, "–", "–"),
    ],
)
def test_p_values_never_read_zero(p: float | None, table: str, sentence: str) -> None:
    assert fmt.p_value(p) == table and fmt.p_text(p) == sentence


def test_dates_follow_the_language() -> None:
    day = dt.date(2026, 10, 5)
    assert (fmt.date(day), fmt.short_date(day), fmt.day(day)) == ("5 October 2026", "5 Oct 2026", "2026-10-05")
    with language("zh-CN"):
        assert (fmt.date(day), fmt.short_date(day), fmt.day(day)) == ("2026年10月5日", "2026年10月5日", "2026-10-05")
    assert fmt.date(None) == "–"


def test_money_carries_its_currency() -> None:
    assert fmt.money(42_764_959.4, "GBP") == "£42,764,959"
    assert fmt.money(-560_083, "EUR") == "−€560,083"
    assert fmt.money(1200, "") == "1,200"
    with language("zh-CN"):
        assert fmt.money(560_083, "CNY") == "¥560,083"
