"""write_sheet colours rows through one named style per colour, keeping each cell's value, type and format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook, load_workbook

from audit.report.xlsx import write_sheet


def test_one_named_style_per_colour_keeps_values_types_and_date_formats(tmp_path: Path) -> None:
    book = Workbook(write_only=True)
    rows = [["=1+1", dt.date(2026, 7, 1), 3.5, None], ["x", dt.date(2026, 7, 2), 1, "y"], ["z", 2, 3, 4]]
    write_sheet(book, "S", ["a", "b", "c", "d"], rows, fills=["F8D7DA", None, "FFF3CD"])
    write_sheet(book, "T", ["a"], [["q"]], fills=["F8D7DA"])
    book.save(tmp_path / "out.xlsx")
    read = load_workbook(tmp_path / "out.xlsx")
    assert read.named_styles == ["Normal", "csat-audit fill F8D7DA", "csat-audit fill FFF3CD"]
    sheet = read["S"]
    coloured, plain, other = (sheet[r] for r in (2, 3, 4))
    assert [c.fill.fgColor.rgb[-6:] for c in coloured] == ["F8D7DA"] * 4
    assert [c.fill.fill_type for c in plain] == [None] * 4
    assert [c.fill.fgColor.rgb[-6:] for c in other] == ["FFF3CD"] * 4
    assert (coloured[0].value, coloured[0].data_type) == ("=1+1", "s")  # text that looks like a formula stays text
    assert coloured[1].value == dt.datetime(2026, 7, 1) and coloured[1].number_format == plain[1].number_format
    assert coloured[1].is_date and coloured[2].value == 3.5
    assert read["T"]["A2"].fill.fgColor.rgb[-6:] == "F8D7DA"
