"""CSV bodies through pyarrow.csv read exactly as through pandas' parser, or go through pandas (issue 15).

Each file of the catalogue is read twice: as the loader reads it (Arrow where it can) and
with the Arrow path switched off (pandas' parser, and record by record when that refuses the
file: the reader as it was before). The two tables must be the same: cells, dtypes, Excel row
numbers, the records set aside, the header row and the encoding. Each case also says which
way it must go, so that a guard that stops taking Arrow (or takes it for a file it would read
otherwise) fails here too.
"""

from __future__ import annotations

import codecs
import io
import random
from pathlib import Path

import pandas as pd
import pytest

from audit.data import convert, csv_reader
from audit.data.table import RawTable
from audit.exceptions import InputFileError

WANTED = {"h1", "h2", "h3"}

#: (name, file text, encoding, read by Arrow?)
CASES = [
    ("plain", "h1,h2,h3\na,b,c\nd,e,f\n", "utf-8", True),
    ("no-line-break-at-the-end", "h1,h2,h3\na,b,c\nd,e,f", "utf-8", True),
    ("crlf", "h1,h2,h3\r\na,b,c\r\nd,e,f\r\n", "utf-8", True),
    ("bom", "h1,h2,h3\na,b,c\n", "utf-8-sig", True),
    ("gb18030", "h1,h2,h3\n客户,满意,是\n", "gb18030", True),
    ("utf-16", "h1,h2,h3\na,b,c\n", "utf-16", True),
    ("quoted-headers", '"h1","h2","h3"\n"a","b,c","d""e"\n', "utf-8", True),
    ("line-breaks-inside-quotes", 'h1,h2,h3\na,"two\nlines",c\nd,"three\r\nmore\nlines",f\n', "utf-8", True),
    ("title-rows-above-the-header", "Export 2026-Q3\n\nh1,h2,h3\na,b,c\n", "utf-8", True),
    ("a-quote-in-a-title-row", 'Pump 12" flange\nh1,h2,h3\na,b,c\n', "utf-8", True),
    ("text-after-a-closing-quote", 'h1,h2,h3\na,"b"c,d\n', "utf-8", True),
    ("a-quote-inside-a-cell", 'h1,h2,h3\na,12" pipe,c\n', "utf-8", True),
    ("blank-line-inside", "h1,h2,h3\na,b,c\n\nd,e,f\n", "utf-8", True),
    ("blank-line-at-the-end", "h1,h2,h3\na,b,c\n\n", "utf-8", True),
    ("empty-cells", 'h1,h2,h3\n,,\n"","",""\n', "utf-8", True),
    ("spaces-kept", "h1,h2,h3\n a , b ,c \n", "utf-8", True),
    ("semicolons", "h1;h2;h3\n1,5;2,5;x\n", "utf-8", True),
    ("tabs", "h1\th2\th3\na\tb\tc\n", "utf-8", True),
    # to pandas' parser (or record by record), as before
    ("a-short-row", "h1,h2,h3\na,b,c\nd,e\n", "utf-8", False),
    ("a-long-row", "h1,h2,h3\na,b,c\nd,e,f,g\n", "utf-8", False),
    ("unclosed-quote-in-the-last-line", 'h1,h2,h3\na,b,c\nd,"e,f\n', "utf-8", False),
    ("unclosed-quote-swallowing-lines", 'h1,h2,h3\na,"b,c\nd,e,f\ng,h,i\n', "utf-8", False),
    ("unclosed-quote-without-a-line-break", 'h1,h2,h3\na,b,c\nd,e,"f', "utf-8", False),
    ("a-space-before-a-quote", 'h1,h2,h3\na, "b,c",d\n', "utf-8", False),
    ("blank-first-record", "h1,h2,h3\n\na,b,c\n", "utf-8", False),
    ("header-only", "h1,h2,h3\n", "utf-8", False),
    ("header-cell-over-two-lines", '"h1\nnote",h2,h3\na,b,c\nd,e,f\n', "utf-8", False),
    ("one-column", "h1\na\nb\n", "utf-8", False),
]


def _read(path: Path, *, arrow: bool, monkeypatch: pytest.MonkeyPatch) -> RawTable | str:
    with monkeypatch.context() as patch:
        if not arrow:
            patch.setattr(csv_reader, "_arrow_body", lambda *args: None)
        try:
            return csv_reader.read_csv(path, None, None, WANTED)
        except InputFileError as exc:
            return str(exc)


def _assert_same(new: RawTable | str, old: RawTable | str) -> None:
    if isinstance(new, str) or isinstance(old, str):
        assert new == old
        return
    pd.testing.assert_frame_equal(new.frame, old.frame)
    assert (new.bad_records, new.header_row, new.encoding, new.delimiter, new.letters, new.notes) == (
        old.bad_records,
        old.header_row,
        old.encoding,
        old.delimiter,
        old.letters,
        old.notes,
    )


def _arrow_taken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether Arrow read the body, once per file read from now on."""
    taken: list[bool] = []
    arrow_body = csv_reader._arrow_body

    def spy(*args: object) -> pd.DataFrame | None:
        body = arrow_body(*args)  # type: ignore[arg-type]
        taken.append(body is not None)
        return body

    monkeypatch.setattr(csv_reader, "_arrow_body", spy)
    return taken


@pytest.mark.parametrize(("text", "encoding", "by_arrow"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_arrow_reads_what_pandas_reads(
    text: str, encoding: str, by_arrow: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode(encoding))
    taken = _arrow_taken(monkeypatch)
    new = _read(path, arrow=True, monkeypatch=monkeypatch)
    assert taken == [by_arrow]
    _assert_same(new, _read(path, arrow=False, monkeypatch=monkeypatch))


def test_arrow_keeps_excel_row_numbers_and_cells_as_text(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(codecs.BOM_UTF8 + b'Export\n\nh1,h2,h3\n001,"a\nb",\n\n2026-07-01,1e3, x \n')
    table = csv_reader.read_csv(path, None, None, WANTED)
    assert table.header_row == 3
    assert table.frame.to_dict("list") == {
        "h1": ["001", "", "2026-07-01"],
        "h2": ["a\nb", "", "1e3"],
        "h3": ["", "", " x "],
        "_row": [4, 5, 6],  # the quoted line break keeps one row; the blank line counts
    }
    assert all(pd.api.types.is_string_dtype(table.frame[c]) for c in ("h1", "h2", "h3"))


def test_random_files_read_the_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows built of quoted, multi-line, empty and stray-quote cells, with ragged and blank lines among them."""
    rng = random.Random(20261202)
    cells = ["a", '"b,c"', '"d""e"', '"f\ng"', "", " ", '12"', "中文", '"x"y', '"', '""']
    noise = ["a", ",", '"', "\n", "\r\n", "\r", " ", "中"]
    heads = ["h1,h2,h3\n", '"h1","h2","h3"\r\n', "title\n\nh1,h2,h3\n", 'x "y\nh1,h2,h3\n', '"h1\nx",h2,h3\n']
    taken = _arrow_taken(monkeypatch)
    for i in range(300):
        rows = [
            ",".join(rng.choice(cells) for _ in range(3)) + rng.choice(["\n", "\r\n"])
            if rng.random() < 0.8
            else "".join(rng.choice(noise) for _ in range(rng.randint(0, 8)))
            for _ in range(rng.randint(1, 6))
        ]
        path = tmp_path / f"f{i}.csv"
        path.write_bytes((rng.choice(heads) + "".join(rows)).encode(rng.choice(["utf-8", "utf-8-sig", "gb18030"])))
        _assert_same(
            _read(path, arrow=True, monkeypatch=monkeypatch), _read(path, arrow=False, monkeypatch=monkeypatch)
        )
    assert taken.count(True) > 30  # not only the fallback compared with itself
    assert taken.count(False) > 30  # nor only well-formed files


def test_top_lines_split_as_a_text_stream_splits_them() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(["a", "\n", "\r", "\r\n", ",", '"', "中"]) for _ in range(rng.randint(0, 12)))
        assert list(csv_reader._lines(text)) == list(io.StringIO(text))


#: spellings of numbers (and of no numbers) that Arrow's parser and pandas' must treat alike
NUMBER_TEXTS = ["", "1", "-2.5", ".5", "5.", "+5", "1e3", "inf", "-inf", "nan", "twenty", "1_0", "0x1", "１２", "1,5",
                "1e400", "99999999999999999999", "-0", "Infinity", "abc1", None]  # fmt: skip


@pytest.mark.parametrize("dtype", ["string", "str", object])
def test_numbers_read_per_distinct_text_as_pandas_reads_each_cell(dtype: object) -> None:
    """A column with blanks or unreadable text is parsed once per distinct text, with pandas' per-cell result."""
    rng = random.Random(15)
    for _ in range(200):
        texts = [rng.choice(NUMBER_TEXTS) for _ in range(rng.randint(0, 9))]
        column = pd.Series(texts, dtype=dtype, index=range(100, 100 + len(texts)))  # type: ignore[call-overload]
        expected = pd.to_numeric(column, errors="coerce").astype("float64")
        pd.testing.assert_series_equal(convert._to_float(column), expected)
