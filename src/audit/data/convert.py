"""Convert raw cells to typed columns, vectorised, remembering which cells failed.

A cell that holds something but cannot be converted becomes missing and is reported;
it is never guessed. Dates use one order for the whole column (day-first only when
declared), never decided row by row.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from audit.data.contract import ColumnType

__all__ = ["convert_column", "BOOLEANS"]

#: accepted spellings of yes/no, compared case-insensitively
BOOLEANS = {
    "yes": True, "y": True, "true": True, "1": True, "是": True, "x": True,
    "no": False, "n": False, "false": False, "0": False, "否": False,
}  # fmt: skip

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def _blank(raw: pd.Series) -> pd.Series:
    text = raw.astype("string").str.strip()
    return raw.isna() | text.isna() | (text == "")


def _as_text(raw: pd.Series) -> pd.Series:
    """Text; whole numbers read from Excel as floats (1001.0) keep their integer form."""
    if raw.dtype == object:
        numeric = pd.to_numeric(raw.where(raw.map(type).isin((float, int))), errors="coerce")
        whole = numeric.notna() & (numeric % 1 == 0)
        if whole.any():
            raw = raw.copy()
            raw[whole] = numeric[whole].astype("int64").astype(str)
    text = raw.astype("string").str.strip()
    return text.mask(text == "")


def _as_date(raw: pd.Series, dayfirst: bool) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(raw):
        return raw.astype("datetime64[ns]")
    if raw.dtype != object:  # text from a CSV file: one parse for the whole column
        return _parse_dates(raw, dayfirst)
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    kinds = raw.map(type)
    native = kinds.isin((dt.datetime, dt.date, pd.Timestamp))
    if native.any():
        out[native] = pd.to_datetime(raw[native].astype(str), errors="coerce").astype("datetime64[ns]")
    serial = kinds.isin((float, int))
    if serial.any():
        days = pd.to_numeric(raw[serial], errors="coerce")
        out[serial] = (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).astype("datetime64[ns]")
    text = ~(native | serial)
    if text.any():
        out[text] = _parse_dates(raw[text], dayfirst)
    return out.dt.normalize()


def _parse_dates(raw: pd.Series, dayfirst: bool) -> pd.Series:
    strings = raw.astype("string").str.strip()
    strings = strings.mask(strings == "")
    if strings.isna().all():
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    parsed = pd.to_datetime(strings, errors="coerce", dayfirst=dayfirst)
    if parsed.dt.tz is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.astype("datetime64[ns]").dt.normalize()


def _as_number(raw: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(raw) and raw.dtype != bool:
        return raw.astype("float64")
    text = raw.astype("string").str.strip()
    out = pd.to_numeric(text, errors="coerce").astype("float64")
    retry = (out.isna() & text.notna()).to_numpy(dtype=bool)
    if retry.any():  # thousands separators: 1,250 or 1 250
        again = pd.to_numeric(text[retry].str.replace(r"[\s,]", "", regex=True), errors="coerce")
        out[retry] = again.astype("float64").to_numpy()
    return out


def _as_bool(raw: pd.Series) -> pd.Series:
    if raw.dtype == bool:
        return raw.astype("boolean")
    key = raw.astype("string").str.strip().str.lower()
    key = key.where(~key.isin(("1.0", "0.0")), key.str[0])
    return key.map(BOOLEANS).astype("boolean")


def convert_column(raw: pd.Series, kind: ColumnType, *, dayfirst: bool = False) -> tuple[pd.Series, pd.Series]:
    """Convert one column.

    Args:
        raw: cells as read.
        kind: the column's type from the data contract.
        dayfirst: read ambiguous text dates such as 03/04/2026 as 3 April.

    Returns:
        The converted column (missing where blank or not convertible) and a boolean mask
        of cells that held something that could not be converted.
    """
    if kind == "date":
        out = _as_date(raw, dayfirst)
    elif kind == "number":
        out = _as_number(raw)
    elif kind == "bool":
        out = _as_bool(raw)
    else:
        return _as_text(raw), pd.Series(False, index=raw.index)
    failed = out.isna() & ~_blank(raw)
    return out, failed.astype(bool)


def excel_value(value: object) -> str:
    """A raw cell as text for a problem report."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
