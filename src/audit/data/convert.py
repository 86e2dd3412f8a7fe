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

__all__ = ["BOOLEANS", "AmbiguousDates", "brief", "convert_column", "excel_value", "infer_dayfirst", "map_values"]

#: accepted spellings of yes/no, compared case-insensitively
BOOLEANS = {
    "yes": True, "y": True, "true": True, "1": True, "是": True, "x": True,
    "no": False, "n": False, "false": False, "0": False, "否": False,
}  # fmt: skip

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: currency signs and codes, spaces and thousands separators around a number
_NUMBER_NOISE = r"[\s,'£$€¥￥₹]|RMB|CNY|USD|GBP|EUR|元"
#: a date written with its day and month as numbers: 31/07/2026, 7-31-26, 31.07.2026
_NUMERIC_DATE = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2,4}\b"


class AmbiguousDates(ValueError):
    """A column's dates read equally well day-first and month-first (such as 03/04/2026)."""

    def __init__(self, example: str) -> None:
        super().__init__(example)
        self.example = example


def _is_str(raw: pd.Series) -> pd.Series:
    """Which cells of an object column hold Python text."""
    return raw.map(type).isin((str,))


def _blank(raw: pd.Series) -> pd.Series:
    """Empty cells: missing, or text that is only spaces (only text cells are looked at)."""
    if raw.dtype != object and not pd.api.types.is_string_dtype(raw):
        return raw.isna()
    text = raw.where(_is_str(raw)) if raw.dtype == object else raw
    return raw.isna() | (text.str.strip() == "").fillna(False).astype(bool)


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


def infer_dayfirst(raw: pd.Series) -> bool | None:
    """Whether a column's text dates are written day first, judged from the whole column.

    One order is chosen for the whole column, never row by row: day first when some
    first number is above 12, month first when some second number is; the order with
    more such rows wins (the other rows then fail to parse and are reported).

    Returns:
        True or False, or None when the column has no dates like 03/04/2026.

    Raises:
        AmbiguousDates: every such date reads both ways (no day above 12).

    Example:
        >>> infer_dayfirst(pd.Series(["03/04/2026", "25/04/2026"]))
        True
    """
    if raw.dtype != object and not pd.api.types.is_string_dtype(raw):
        return None
    parts = raw[_is_str(raw)].str.extract(_NUMERIC_DATE) if raw.dtype == object else raw.str.extract(_NUMERIC_DATE)
    parts = parts.dropna()
    if parts.empty:
        return None
    first, second = parts[0].astype(int), parts[1].astype(int)
    day_first, month_first = int((first > 12).sum()), int((second > 12).sum())
    if day_first == month_first == 0:
        example = raw.loc[parts.index[0]]
        raise AmbiguousDates(str(example).strip())
    return day_first >= month_first


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
    return pd.Series(out.dt.normalize())


#: date formats tried for a text column (after any time of day is cut off); the one that
#: reads most of a sample of the column is used for all of it
_ANY_ORDER = (
    "ISO8601",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y年%m月%d日",
    "%Y%m%d",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
)
_DAY_FIRST = ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y")
_MONTH_FIRST = ("%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y", "%m/%d/%y")
_TIME_OF_DAY = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)$"
_SAMPLE = 2000
_EARLIEST, _LATEST = pd.Timestamp("1900-01-01"), pd.Timestamp("2200-01-01")


def _to_dates(strings: pd.Series, fmt: str) -> pd.Series:
    """Parse with one format; unreadable cells and years outside 1900–2199 (such as 0000) become NaT."""
    parsed = pd.to_datetime(strings, format=fmt, errors="coerce")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    plausible = (parsed >= _EARLIEST) & (parsed < _LATEST)
    return parsed.where(plausible).astype("datetime64[ns]")


def _parse_dates(raw: pd.Series, dayfirst: bool) -> pd.Series:
    """Text dates with one format for the whole column, never guessed cell by cell.

    The format is the one (of ISO, year-first, day-first or month-first as declared,
    and written-out months) that reads most of a sample of the column; cells it cannot
    read are left missing and reported by the caller.
    """
    strings = raw.astype("string").str.strip().str.replace(_TIME_OF_DAY, "", regex=True)
    strings = strings.mask(strings == "")
    filled = strings.dropna()
    if filled.empty:
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    sample = filled.drop_duplicates().head(_SAMPLE)
    formats = _ANY_ORDER + (_DAY_FIRST if dayfirst else _MONTH_FIRST)
    best, best_read = formats[0], -1
    for fmt in formats:
        read = int(_to_dates(sample, fmt).notna().sum())
        if read > best_read:
            best, best_read = fmt, read
        if read == len(sample):
            break
    return pd.Series(_to_dates(strings, best).dt.normalize())


def _as_number(raw: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(raw) and raw.dtype != bool:
        return raw.astype("float64")
    text = raw.astype("string").str.strip()
    out = pd.to_numeric(text, errors="coerce").astype("float64")
    retry = (out.isna() & text.notna()).to_numpy(dtype=bool)
    if retry.any():  # currency and thousands separators: £1,250.00, ¥ 1 250, 1250元
        again = pd.to_numeric(text[retry].str.replace(_NUMBER_NOISE, "", regex=True), errors="coerce")
        out[retry] = again.astype("float64").to_numpy()
    return out


def _as_bool(raw: pd.Series) -> pd.Series:
    if raw.dtype == bool:
        return raw.astype("boolean")
    key = raw.astype("string").str.strip().str.lower()
    key = key.where(~key.isin(("1.0", "0.0")), key.str[0])
    return key.map(BOOLEANS).astype("boolean")


def _key(raw: pd.Series) -> pd.Series:
    """Cells as comparison keys: text, surrounding spaces removed, case folded."""
    return _as_text(raw).str.casefold()


def map_values(raw: pd.Series, mapping: dict[str, object]) -> pd.Series:
    """Replace the file's values by ours, matching case- and space-insensitively.

    Cells without a mapping keep their value.

    Example:
        >>> map_values(pd.Series(["高", " Low"]), {"高": "high", "low": "low"}).tolist()
        ['high', 'low']
    """
    if not mapping:
        return raw
    folded = {str(k).strip().casefold(): v for k, v in mapping.items()}
    mapped = _key(raw).map(folded)
    hit = mapped.notna().to_numpy(dtype=bool)
    if not hit.any():
        return raw
    out = raw.astype(object).copy()
    out[hit] = mapped[hit].to_numpy()
    return out


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


def brief(text: str, limit: int = 60) -> str:
    """A value as quoted in a one-line message: whitespace runs (newlines too) become one space, long text is cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def excel_value(value: object) -> str:
    """A raw cell as text for a problem report."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
