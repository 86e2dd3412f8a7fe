"""Convert raw cells to typed columns, vectorised, remembering which cells failed.

A cell that holds something but cannot be converted becomes missing and is reported;
it is never guessed. Dates use one order for the whole column (day-first only when
declared), never decided row by row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit.data.rules import ColumnType
from audit.data.table import brief, excel_value, header_key

__all__ = [
    "BOOLEANS",
    "MAX_NUMBER",
    "NA_VALUES",
    "AmbiguousDates",
    "Converted",
    "blank_markers",
    "brief",
    "convert_column",
    "excel_value",
    "infer_dayfirst",
    "map_values",
    "value_keys",
]

#: accepted spellings of yes/no, compared case-insensitively
BOOLEANS = {
    "yes": True, "y": True, "true": True, "1": True, "是": True, "x": True,
    "no": False, "n": False, "false": False, "0": False, "否": False,
}  # fmt: skip

#: cell texts that mean "no value" unless ``na_values:`` says otherwise (compared with
#: case and surrounding spaces ignored): the usual markers of spreadsheets, databases and
#: Chinese survey platforms ((空) empty, (跳过) skipped, 空 empty, 无 none)
NA_VALUES = ("NA", "N/A", "n/a", "#N/A", "-", "–", "—", "?", "null", "None", "(空)", "(跳过)", "空", "无")
#: numbers beyond this size (or infinite) are not values anyone recorded; they are refused
MAX_NUMBER = 1e15

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_SERIAL_ZERO = "Excel's date serial 0 (shown as 00:00:00 or 1900-01-00) is no date; enter the date"
#: Excel serial numbers of the plausible dates (1900-01-01 to 2199-12-31)
_SERIAL_RANGE = (1, 109_573)
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
    if pd.api.types.is_float_dtype(raw):
        whole = raw.notna() & (raw % 1 == 0) & (raw.abs() < 1e15)
        if whole.any():
            raw = raw.astype(object)
            raw[whole] = raw[whole].astype("float64").astype("int64").astype(str)
    elif raw.dtype == object:
        numeric = pd.to_numeric(raw.where(raw.map(type).isin((float, int))), errors="coerce")
        whole = numeric.notna() & (numeric % 1 == 0) & (numeric.abs() < 1e15)
        if whole.any():
            raw = raw.copy()
            raw[whole] = numeric[whole].astype("int64").astype(str)
    text = raw.astype("string")
    stripped = text.str.strip()
    empty = (stripped == "").to_numpy(dtype=bool, na_value=False)
    if empty.any():
        return stripped.mask(empty)
    # nothing to strip (an id, a product name): the cells as read, not a copy of them
    return text if not (stripped != text).any() else stripped


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
    text = raw[_is_str(raw)] if raw.dtype == object else raw
    codes, distinct = pd.factorize(text)  # each distinct text once (a date column repeats its days)
    parts = pd.Series(distinct, dtype=object).str.extract(_NUMERIC_DATE).dropna()
    if parts.empty:
        return None
    rows = np.bincount(codes[codes >= 0], minlength=len(distinct))[parts.index]  # the rows per text
    first, second = parts[0].astype(int).to_numpy(), parts[1].astype(int).to_numpy()
    day_first, month_first = int(rows[first > 12].sum()), int(rows[second > 12].sum())
    if day_first == month_first == 0:
        raise AmbiguousDates(str(distinct[parts.index[0]]).strip())  # factorize keeps the order of the rows
    return day_first >= month_first


@dataclass(frozen=True)
class Converted:
    """A converted column: values (missing where blank or unreadable), the unreadable cells, and why.

    ``why`` holds, for some unreadable cells, a reason more precise than "not understood"
    (a time of day in a date column, an ambiguous decimal separator …), under their index;
    the other cells are not in it (a column of a million rows carries no million blanks).
    """

    values: pd.Series
    failed: pd.Series
    why: pd.Series


def _no_reason() -> pd.Series:
    """No cell has a reason (yet)."""
    return pd.Series([], dtype=object)


def _with_reason(why: pd.Series, mask: pd.Series, reason: str) -> pd.Series:
    """The reasons ``why`` with ``reason`` for the cells of ``mask`` (replacing an earlier reason)."""
    cells = mask.index[mask.to_numpy(dtype=bool)]
    if cells.empty:
        return why
    new = pd.Series(reason, index=cells, dtype=object)
    return pd.concat([why[~why.index.isin(cells)], new]) if len(why) else new


def _dates_from_serials(numbers: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Excel serial numbers (and whole numbers written yyyymmdd) as days, and the reasons others fail."""
    days = pd.to_numeric(numbers, errors="coerce").astype("float64")
    serial = days.between(*_SERIAL_RANGE)
    out = pd.Series(pd.NaT, index=numbers.index, dtype="datetime64[ns]")
    if serial.any():
        out[serial] = (_EXCEL_EPOCH + pd.to_timedelta(days[serial].round(), unit="D")).astype("datetime64[ns]")
    ymd = ~serial & days.between(19_000_101, 21_991_231) & (days % 1 == 0)
    if ymd.any():
        parsed = pd.to_datetime(days[ymd].astype("int64").astype(str), format="%Y%m%d", errors="coerce")
        out[ymd] = parsed.astype("datetime64[ns]")
    zero = days == 0
    why = _with_reason(_no_reason(), zero, _SERIAL_ZERO)
    other = out.isna() & days.notna() & ~zero
    why = _with_reason(
        why, other, "a number that is not a date (nor an Excel date serial); enter the date, such as 2026-07-31"
    )
    return out, why


def _plain(value: dt.date) -> bool:
    """A date (or a date and time to the second, without a time zone) between 1900 and 2199."""
    clock = not isinstance(value, dt.datetime) or (value.tzinfo is None and value.microsecond == 0)
    return clock and 1900 <= value.year < 2200


def _native_days(values: pd.Series, kinds: pd.Series) -> pd.Series:
    """Dates and times Excel stored as such, as ``datetime64[ns]`` (unreadable ones missing).

    They are read as their text (``str``) reads; a column of one kind (all dates, or all
    times to the second) within 1900–2199 writes every value in one form that reads back
    as the value itself, and is converted without being written out.
    """
    if kinds.nunique() == 1 and kinds.iloc[0] in (dt.date, dt.datetime) and all(map(_plain, values)):
        return pd.to_datetime(values).astype("datetime64[ns]")
    return pd.to_datetime(values.astype(str), errors="coerce").astype("datetime64[ns]")


def _as_date(raw: pd.Series, dayfirst: bool) -> tuple[pd.Series, pd.Series]:
    """Dates compared by day: a time of day is dropped, whatever the cell held."""
    why = _no_reason()
    if pd.api.types.is_datetime64_any_dtype(raw):
        values = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) is not None else raw
        return pd.Series(values.astype("datetime64[ns]").dt.normalize()), why
    if pd.api.types.is_numeric_dtype(raw) and raw.dtype != bool:
        out, why = _dates_from_serials(raw)
        return pd.Series(out.dt.normalize()), why
    if raw.dtype != object:  # text from a CSV file: one parse for the whole column
        return _parse_dates(raw, dayfirst), why
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    kinds = raw.map(type)
    native = kinds.isin((dt.datetime, dt.date, pd.Timestamp))
    if native.any():
        out[native] = _native_days(raw[native], kinds[native])
    serial = kinds.isin((float, int))
    if serial.any():
        out[serial], why = _dates_from_serials(raw[serial])
    clock = kinds.isin((dt.time, dt.timedelta, pd.Timedelta))
    if clock.any():
        zero = raw[clock].map(lambda v: v in (dt.time(0, 0), dt.timedelta(0)))
        why = _with_reason(why, clock, "holds a time of day or a duration, not a date; enter the date")
        why = _with_reason(why, clock & zero.reindex(raw.index, fill_value=False), _SERIAL_ZERO)
    text = ~(native | serial | clock)
    if text.any():
        out[text] = _parse_dates(raw[text], dayfirst)
    return pd.Series(out.dt.normalize()), why


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
    codes, distinct = pd.factorize(raw.astype("string"))  # each distinct text parsed once
    strings = pd.Series(distinct, dtype="string").str.strip().str.replace(_TIME_OF_DAY, "", regex=True)
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
    days = _to_dates(strings, best).dt.normalize().to_numpy()
    picked = np.where(codes >= 0, days[np.maximum(codes, 0)], np.datetime64("NaT"))  # code -1: a missing cell
    return pd.Series(picked.astype("datetime64[ns]"), index=raw.index)


#: a number written with ',' as the decimal separator (998,00 · 2.125,26 · 1,5 · 1.250.000)
_COMMA_DECIMAL = r"[-+]?(?:\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|\d{1,3}(?:\.\d{3})+,\d+|\d+,\d{1,2}|\d+,\d{4,})"
#: a number written with '.' as the decimal separator (1,250.00 · 12.5 · 1,250,000)
_DOT_DECIMAL = r"[-+]?(?:\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d{1,2}|\d+\.\d{4,})"
#: one separator followed by exactly three digits: 1,250 or 1.250 reads both ways
_EITHER = r"[-+]?\d{1,3}[.,]\d{3}"
_CURRENCY = r"[\s'£$€¥￥₹]|RMB|CNY|USD|GBP|EUR|元"


def decimal_separator(text: pd.Series) -> str | None:
    """The decimal separator a text column is written with, from the values that tell (None: none tells).

    Example:
        >>> decimal_separator(pd.Series(["998,00", "1.250,50", "12"]))
        ','
    """
    cleaned = text.str.replace(_CURRENCY, "", regex=True)
    comma = int(cleaned.str.fullmatch(_COMMA_DECIMAL).fillna(False).sum())
    dot = int(cleaned.str.fullmatch(_DOT_DECIMAL).fillna(False).sum())
    if comma > dot:
        return ","
    return "." if dot else None


def _to_float(text: pd.Series) -> pd.Series:
    """Text as float64, blank and unreadable text missing: Arrow's parser when every value reads, else pandas'.

    Both read the same spellings (``12``, ``-1.5``, ``.5``, ``1e3``, ``inf``); Arrow refuses the
    whole column at the first value it cannot read, and pandas then marks each such value,
    reading each distinct text once (a column of quantities repeats a few dozen texts).
    """
    try:
        array = pa.array(text.array)
        parsed = pc.cast(pc.if_else(pc.equal(array, ""), pa.scalar(None, array.type), array), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError):
        codes, distinct = pd.factorize(text)
        numbers = pd.to_numeric(pd.Series(distinct, dtype=text.dtype), errors="coerce").astype("float64").to_numpy()
        picked = np.where(codes >= 0, numbers[np.maximum(codes, 0)] if len(numbers) else np.nan, np.nan)
        return pd.Series(picked, index=text.index, dtype="float64")
    return pd.Series(parsed.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")


def _as_number(raw: pd.Series, decimal: str | None, ambiguous_refused: bool) -> tuple[pd.Series, pd.Series]:
    """Numbers; the decimal separator is declared, else the column's values decide (never cell by cell)."""
    why = _no_reason()
    if pd.api.types.is_numeric_dtype(raw) and raw.dtype != bool:
        out = raw.astype("float64")
    else:
        text = raw.astype("string").str.strip()
        out = _to_float(text)
        unread = (out.isna() & text.notna()).to_numpy(dtype=bool)
        # a value with a ',' never reads plainly, so a column that reads whole has no separator to tell
        ambiguous = ambiguous_refused and decimal is None and bool(text.str.fullmatch(_EITHER).fillna(False).any())
        commas = unread.any() and bool(text[unread].str.contains(",", regex=False).fillna(False).any())
        if not (decimal == "," or commas or ambiguous):
            if unread.any():  # currency signs and spaces: £1250.00, ¥ 1 250, 1250元
                again = pd.to_numeric(text[unread].str.replace(_CURRENCY, "", regex=True), errors="coerce")
                out[unread] = again.astype("float64").to_numpy()
        else:
            cleaned = text.str.replace(_CURRENCY, "", regex=True)
            told = decimal or decimal_separator(cleaned)
            used = told or "."
            other = "." if used == "," else ","
            if used == ",":
                standard = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
            else:
                standard = cleaned.str.replace(",", "", regex=False)
            out = _to_float(standard)
            either = cleaned.str.fullmatch(_EITHER).fillna(False).astype(bool)
            if told is None and ambiguous_refused and either.any():
                out = out.mask(either)
                why = _with_reason(
                    why,
                    either,
                    "reads both as thousands and as decimals (1,250 or 1.250); set decimal: ',' or '.' "
                    "under this kind in audit.yaml",
                )
            wrong = cleaned.str.fullmatch(_DOT_DECIMAL if used == "," else _COMMA_DECIMAL).fillna(False).astype(bool)
            wrong &= ~either
            if wrong.any():
                out = out.mask(wrong)
                why = _with_reason(
                    why,
                    wrong,
                    f"written with '{other}' as the decimal separator while the column uses '{used}'; "
                    f"correct the value, or set decimal: '{other}' under this kind in audit.yaml",
                )
    huge = out.notna() & ~out.abs().le(MAX_NUMBER)
    if huge.any():
        out = out.mask(huge)
        why = _with_reason(why, huge, f"is infinite or beyond ±{MAX_NUMBER:.0e}; enter the real value")
    return out, why


def _as_bool(raw: pd.Series) -> pd.Series:
    if raw.dtype == bool:
        return raw.astype("boolean")
    key = raw.astype("string").str.strip().str.lower()
    key = key.where(~key.isin(("1.0", "0.0")), key.str[0])
    return key.map(BOOLEANS).astype("boolean")


def _canonical(value: object) -> object:
    """A cell or a mapping key as compared: a number by its value (-1.0 and "-1" alike), text folded."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return str(value).casefold()
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = header_key(value)
        try:
            number = float(text)
        except ValueError:
            return text or None
        if text in ("nan", "inf", "-inf", "infinity"):
            return text
    if number != number or number in (float("inf"), float("-inf")):
        return str(number)
    return str(int(number)) if number.is_integer() else repr(number)


def value_keys(raw: pd.Series) -> pd.Series:
    """Each cell as :func:`_canonical` compares it, computed once per distinct value."""
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=True)
    keys = np.array([_canonical(u) for u in uniques] + [None], dtype=object)
    return pd.Series(keys[codes], index=raw.index, dtype=object)


def map_values(raw: pd.Series, mapping: dict[str, object]) -> pd.Series:
    """Replace the file's values by ours, matching the cell as the user sees it.

    Text is compared case- and space-insensitively, numbers by their value (a key "-1"
    matches an Excel number -1.0). Cells without a mapping keep their value.

    Example:
        >>> map_values(pd.Series(["高", " Low", -1.0]), {"高": "high", "low": "low", "-1": "n/a"}).tolist()
        ['high', 'low', 'n/a']
    """
    if not mapping:
        return raw
    folded = {_canonical(k): v for k, v in mapping.items()}
    mapped = value_keys(raw).map(folded)
    hit = mapped.notna().to_numpy(dtype=bool)
    if not hit.any():
        return raw
    out = raw.astype(object).copy()
    out[hit] = mapped[hit].to_numpy()
    return out


def blank_markers(raw: pd.Series, markers: tuple[str, ...] | list[str]) -> pd.Series:
    """Text cells holding a missing-value marker (NA, N/A, (空) …) become blank.

    Compared as written in any of the usual cases (NA, na, Na), with or without one space
    around it; full-width brackets (（空）) count as the half-width ones.

    Example:
        >>> blank_markers(pd.Series(["4", " n/a ", "(跳过)"], dtype=object), NA_VALUES).tolist()
        ['4', None, None]
    """
    if not markers or not (raw.dtype == object or pd.api.types.is_string_dtype(raw)):
        return raw
    spellings = {s for m in markers for s in (m.strip(), m.strip().lower(), m.strip().upper(), m.strip().title())}
    spellings |= {s.replace("(", "（").replace(")", "）") for s in spellings}
    spellings |= {f" {s}" for s in spellings} | {f"{s} " for s in spellings} | {f" {s} " for s in spellings}
    hit = raw.isin(list(spellings)).to_numpy(dtype=bool)  # one hash lookup per cell, no string pass
    if not hit.any():
        return raw
    if raw.dtype != object:  # text from a CSV file stays Arrow text, the markers missing
        return raw.mask(hit)
    out = raw.astype(object).copy()
    out[hit] = None
    return out


def convert_column(
    raw: pd.Series,
    kind: ColumnType,
    *,
    dayfirst: bool = False,
    decimal: str | None = None,
    ambiguous_refused: bool = False,
) -> Converted:
    """Convert one column.

    Args:
        raw: cells as read (missing-value markers already blank).
        kind: the column's type from the data contract.
        dayfirst: read ambiguous text dates such as 03/04/2026 as 3 April.
        decimal: the decimal separator of numbers; None: the column's values decide.
        ambiguous_refused: refuse numbers such as 1,250 that no value of the column
            resolves (for ';'-separated files, where ',' is often the decimal separator).

    Returns:
        The converted column, the cells that held something that could not be
        converted, and a reason for some of them (under their index; see :class:`Converted`).
    """
    why = _no_reason()
    if kind == "date":
        out, why = _as_date(raw, dayfirst)
    elif kind == "number":
        out, why = _as_number(raw, decimal, ambiguous_refused)
    elif kind == "bool":
        out = _as_bool(raw)
    else:
        return Converted(_as_text(raw), pd.Series(False, index=raw.index), why)
    missing = out.isna().to_numpy(dtype=bool)
    failed = np.zeros(len(raw), dtype=bool)
    if missing.any():  # only the cells left missing are looked at: blank in the file, or unreadable
        failed[missing] = ~_blank(raw[missing]).to_numpy(dtype=bool)
    return Converted(out, pd.Series(failed, index=raw.index), why)
