"""Every number, percentage, p-value, date and amount a person reads, written one way.

The report, the finding texts, the workbooks, the portfolio and the notebook's tables all
format through here, so that one value reads the same everywhere in one audit: ``4.12``,
``45.3%``, ``+27``, ``−0.83``, ``15.0 days``, ``p < 0.001``, ``15 October 2026``. A value
that is absent is an en dash (:data:`NA`), never ``nan``, ``None`` or ``n/a``; negative
numbers take the minus sign (U+2212), not a hyphen. Dates and unit words follow the
language set with :func:`audit.i18n.language`.

Example:
    >>> value(4.123, "score"), value(45.28, "%"), value(-0.834, "points", decimals=2), value(None, "%")
    ('4.12', '45.3%', '−0.83', '–')
    >>> p_value(0.0004), p_text(0.0312)
    ('< 0.001', 'p = 0.031')
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from audit.i18n import _, current

__all__ = [
    "DECIMALS",
    "EXCEL_COUNT",
    "EXCEL_DAYS",
    "EXCEL_P",
    "EXCEL_PERCENT",
    "NA",
    "amounts_in",
    "cell",
    "change",
    "count",
    "date",
    "day",
    "decimals_for",
    "excel_format",
    "is_number",
    "money",
    "number",
    "p_text",
    "p_value",
    "percent",
    "short_date",
    "signed",
    "value",
]

#: what an absent value reads as
NA = "–"
MINUS = "−"
#: digits after the point, by KPI unit (see :func:`decimals_for` for the exceptions)
DECIMALS: dict[str, int] = {
    "score": 2,
    "%": 1,
    "points": 0,
    "days": 1,
    "count": 0,
    "per 1000": 1,
    "ppm": 0,
    "index": 1,
    "value": 0,
}


def is_number(x: Any) -> bool:
    """Whether ``x`` is a finite int or float (not bool, None or NaN)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


#: what pandas and Python write for a missing value when a cell is turned into text
_MISSING_TEXT = frozenset({"", "<NA>", "nan", "NaN", "None", "NaT", "null"})


def cell(value: Any) -> str:
    """A value from the data as text for a table: missing values (``<NA>``, ``nan``, ``None``) are the en dash.

    Example:
        >>> cell("<NA>"), cell(None), cell(" CMP-1 ")
        ('–', '–', 'CMP-1')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return NA
    text = str(value).strip()
    return NA if text in _MISSING_TEXT else text


def decimals_for(unit: str, kpi_id: str = "") -> int:
    """Digits a KPI is shown with: by unit; point scores other than the NPS (gaps) with two."""
    if unit == "points" and kpi_id and kpi_id != "nps":
        return 2
    return DECIMALS.get(unit, 2)


def number(x: float | None, decimals: int = 0) -> str:
    """``1,234.5``; ``−3``; the en dash when absent."""
    if not is_number(x):
        return NA
    assert x is not None
    return f"{x:,.{decimals}f}".replace("-", MINUS)


def signed(x: float | None, decimals: int = 0) -> str:
    """``+12``, ``−0.62``, ``±0``: a difference, always with its sign."""
    if not is_number(x):
        return NA
    assert x is not None
    if round(x, decimals) == 0:
        return f"±{0:.{decimals}f}"
    return f"{x:+,.{decimals}f}".replace("-", MINUS)


def count(n: float | None) -> str:
    """A count with thousands separators: ``1,234``."""
    return number(n, 0)


def percent(x: float | None, decimals: int = 1) -> str:
    """``45.3%``."""
    text = number(x, decimals)
    return text if text == NA else f"{text}%"


def value(x: float | None, unit: str, *, kpi_id: str = "", decimals: int | None = None, with_unit: bool = True) -> str:
    """A KPI's value as a manager reads it: ``4.12``, ``93.4%``, ``+27``, ``3.5 days``.

    Args:
        x: the number, or None/NaN when not available.
        unit: a KPI unit (``score``, ``%``, ``points``, ``days``, ``count``, ``per 1000``,
            ``ppm``, ``index``, ``value``).
        kpi_id: the KPI, where its digits differ from its unit's (gaps: two).
        decimals: digits after the point instead of the unit's.
        with_unit: append the unit word (``days``, ``ppm``); ``%`` always sticks to the number.
    """
    places = decimals_for(unit, kpi_id) if decimals is None else decimals
    if not is_number(x):
        return NA
    if unit == "points":
        return signed(x, places)
    if unit == "%":
        return percent(x, places)
    if unit == "value" and _currency.get():
        return money(x, _currency.get(), places)
    text = number(x, places)
    if with_unit and unit == "days":
        return _("{value} days", value=text)
    if with_unit and unit == "ppm":
        return _("{value} ppm", value=text)
    return text


def change(x: float | None, unit: str, *, kpi_id: str = "") -> str:
    """A change in a KPI, signed, in its unit: ``+0.12``, ``−4.2 pts`` (percentage points), ``±0``."""
    text = signed(x, decimals_for(unit, kpi_id))
    if text != NA and unit in {"%", "points"}:
        return _("{value} pts", value=text)
    return text


def p_value(p: float | None) -> str:
    """A p-value for a table: ``0.031`` or ``< 0.001``."""
    if not is_number(p):
        return NA
    assert p is not None
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def p_text(p: float | None) -> str:
    """A p-value in a sentence: ``p = 0.031`` or ``p < 0.001``."""
    text = p_value(p)
    return text if text == NA else ("p < 0.001" if text.startswith("<") else f"p = {text}")


def _locale() -> str:
    return "zh_CN" if current() == "zh-CN" else "en_GB"


def date(d: dt.date | None) -> str:
    """A date in words: ``15 October 2026``; ``2026年10月15日`` in Chinese."""
    if d is None:
        return NA
    if current() == "zh-CN":
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {d:%B %Y}"


def short_date(d: dt.date | None) -> str:
    """A date in a sentence or a narrow column: ``15 Oct 2026``; ``2026年10月15日`` in Chinese."""
    if d is None:
        return NA
    if current() == "zh-CN":
        return date(d)
    return f"{d.day} {d:%b %Y}"


def day(d: dt.date | None) -> str:
    """A date in a table: ``2026-10-15`` (ISO 8601, the same in every language)."""
    return NA if d is None else d.isoformat()


_currency: ContextVar[str] = ContextVar("currency", default="")


@contextmanager
def amounts_in(currency: str) -> Iterator[None]:
    """Show amounts (KPIs in the unit ``value``) with ``currency`` inside the block (``audit.currency``).

    Example:
        >>> with amounts_in("GBP"):
        ...     value(42764959.0, "value")
        '£42,764,959'
    """
    token = _currency.set(currency)
    try:
        yield
    finally:
        _currency.reset(token)


def money(x: float | None, currency: str, decimals: int = 0) -> str:
    """An amount with its currency: ``£42,764,959``, ``¥560,083``, ``CHF 1,200``.

    Args:
        x: the amount.
        currency: an ISO 4217 code (``GBP``, ``CNY``, ``EUR``); empty for a bare number.
        decimals: digits after the point.
    """
    if not is_number(x):
        return NA
    assert x is not None
    if not currency:
        return number(x, decimals)
    from babel.numbers import get_currency_symbol

    symbol = get_currency_symbol(currency, locale=_locale())
    text = f"{abs(x):,.{decimals}f}"
    sign = MINUS if x < 0 else ""
    joiner = " " if symbol.isalpha() else ""
    return f"{sign}{symbol}{joiner}{text}"


#: Excel number formats of the workbooks (a cell keeps the number; the format only shows it)
EXCEL_COUNT = "#,##0"
EXCEL_DAYS = "#,##0.0"
EXCEL_P = "0.000"
#: a percentage as results.json holds it (45.3 for 45.3%): the ``%`` is a literal, not Excel's ×100
EXCEL_PERCENT = '#,##0.0"%"'


def excel_format(unit: str, kpi_id: str = "", *, signed: bool = False, currency: str = "") -> str:
    """The Excel number format of a KPI's cells, with the digits the report shows.

    Percentages keep the value of results.json (``45.3``) and show it as ``45.3%``; amounts
    (unit ``value``) take thousands separators and ``currency``'s symbol; a change is ``signed``.

    Example:
        >>> excel_format("%"), excel_format("days"), excel_format("count"), excel_format("points", "nps", signed=True)
        ('#,##0.0"%"', '#,##0.0', '#,##0', '+#,##0;-#,##0;#,##0')
    """
    places = decimals_for(unit, kpi_id)
    body = "#,##0" + ("." + "0" * places if places else "")
    if unit == "%" and not signed:
        body += '"%"'
    elif unit == "value" and currency and not signed:
        from babel.numbers import get_currency_symbol

        symbol = get_currency_symbol(currency, locale=_locale())
        body = f'"{symbol}{" " if symbol.isalpha() else ""}"{body}'
    return f"+{body};-{body};{body}" if signed else body
