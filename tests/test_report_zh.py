"""The Chinese demo report says nothing in English but what the data itself says (issue 16)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from audit.assessment.subjects import subject_label
from audit.catalogue import kind_word
from audit.i18n import language
from audit.report.sections.onsite import records_of

#: an English word of the report's text: two letters or more, or ``a``/``I``
_WORD = r"(?:[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[aAI])"
#: four or more English words in a row, joined by spaces and light punctuation
_RUN = re.compile(rf"{_WORD}(?:[ ,;:()]+{_WORD}){{3,}}")


def _norm(text: object) -> str:
    return " ".join(str(text).split()).lower()


def _strings(value: Any) -> list[str]:
    """Every text of a parsed YAML/JSON value: keys, scalars, and each list joined as the report lists it."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *_strings(v)]]
    if isinstance(value, list):
        return [", ".join(map(str, value)), *(s for v in value for s in _strings(v))]
    return [] if value is None else [str(value)]


def _data_text(folder: Path) -> str:
    """The demo's own words, one normalised text per line: headers and text cells of its data files,
    the values of its audit.yaml, and the theme labels and terms found in its texts."""
    parts: list[str] = []
    for path in sorted((folder / "data").iterdir()):
        if path.suffix == ".csv":
            sheets = {"": pd.read_csv(path, dtype=str, keep_default_na=False)}
        elif path.suffix == ".xlsx":
            sheets = pd.read_excel(path, sheet_name=None, dtype=str, engine="calamine")
        else:
            continue
        for frame in sheets.values():
            parts += [str(c) for c in frame.columns]
            for column in frame.columns:
                parts += [str(v) for v in frame[column].dropna().unique()]
    parts += _strings(yaml.safe_load((folder / "audit.yaml").read_text(encoding="utf-8")))
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    for source in results["themes"].values():
        for theme in source["themes"]:
            parts += [theme["label"], ", ".join(t["term"] for t in theme["terms"])]
    return "\n".join(_norm(p) for p in parts)


def english_runs(text: str, data_text: str) -> list[str]:
    """Runs of four or more English words in ``text`` that are not part of a text in ``data_text``.

    A run counts only when at least three of its words have three letters or more and its words
    average three letters or more: the letters of a rotated chart label come out of pdftotext as
    fragments (``ro te gi on``, ``ns rro rri low tr a ne na``).
    """
    flat = " ".join(text.split())
    runs = {m.group() for m in _RUN.finditer(flat)}
    real = [r for r in runs if _sentence_like(re.findall(_WORD, r))]
    return sorted(r for r in real if not _covered(r, data_text))


def _sentence_like(words: list[str]) -> bool:
    return sum(len(w) >= 3 for w in words) >= 3 and sum(map(len, words)) >= 3 * len(words)


def _covered(run: str, data_text: str) -> bool:
    """The run is a piece of one of the data's texts, or cells of them side by side (a table's row).

    Side by side, each piece is a whole cell or four words or more of a data text; the first
    piece may be a cell's end and the last a cell's start (the table's cells around the run).
    """
    if _norm(run) in data_text:
        return True
    lines = f"\n{data_text}\n"
    words = run.split()
    ends = {0}
    for end in range(1, len(words) + 1):
        for start in sorted(ends):
            piece = _norm(" ".join(words[start:end])).strip(",;:() ")
            whole = f"\n{piece}\n" in lines or (end - start >= 4 and piece in data_text)
            tail = start == 0 and re.search(rf"[ \n]{re.escape(piece)}\n", lines) is not None
            head = end == len(words) and re.search(rf"\n{re.escape(piece)}[ \n]", lines) is not None
            if whole or tail or head:
                ends.add(end)
                break
    return len(words) in ends


def test_the_leak_finder_finds_english_and_passes_the_data() -> None:
    data = "\n".join(_norm(t) for t in ("Centrifugal Pump", "Leaking seal", "The crate was broken in transit."))
    text = (
        "控制图 Centrifugal Pump Leaking seal 显示 The crate was\nbroken in 运输 fell beyond the control limits 中心线"
    )
    assert english_runs(text, data) == ["fell beyond the control limits"]
    assert english_runs("图 ns rro rri low tr a ne na 图", data) == []  # a rotated label's letters
    # a table's row: the end of one cell, then the start of the next
    assert english_runs("CP-50 Centrifugal Pump Leaking seal 73", data) == []
    assert english_runs("Pump Leaking seal is empty but required", data) == ["Pump Leaking seal is empty but required"]
    assert english_runs("ro te gi on 区域 Region Count", data) == []


@pytest.fixture(scope="module")
def plain_text(demo_zh: tuple[Path, str]) -> str:
    """The Chinese report's text in reading order (no -layout: a table's cells do not run into each other)."""
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None  # demo_zh skips without it
    folder, _ = demo_zh
    return subprocess.run(
        [pdftotext, str(folder / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_no_english_sentence_in_the_chinese_report_outside_the_data(demo_zh: tuple[Path, str], plain_text: str) -> None:
    folder, _ = demo_zh
    leaks = english_runs(plain_text, _data_text(folder))
    assert leaks == [], "English written by the code in the Chinese report:\n" + "\n".join(leaks)


def test_segments_without_a_value_are_named_in_chinese(plain_text: str) -> None:
    # the demo has customers without a tier: their segment is the code's words, not the data's
    assert "(not recorded)" not in plain_text
    assert "等级：（未记录）" in plain_text


def test_a_dimensions_subject_is_named_in_the_reports_language() -> None:
    assert subject_label("dimension:on_site_support") == "Survey dimension: On site support"
    with language("zh-CN"):
        assert subject_label("dimension:responsiveness") == "调查维度：响应性"


def test_a_samples_records_are_counted_in_the_reports_language(plain_text: str) -> None:
    assert (records_of("complaints", 343), records_of("surveys", 1)) == ("343 complaints", "1 survey response")
    with language("zh-CN"):
        assert (records_of("complaints", 343), records_of("orders", 1200)) == ("343 起投诉", "1,200 份订单")
    assert not re.search(r"\d (complaints|surveys|returns|orders)\b", plain_text)  # appendix E's samples


def test_a_kind_of_data_is_named_in_the_reports_language_inside_a_sentence(plain_text: str) -> None:
    assert (kind_word("surveys"), kind_word("order_lines")) == ("surveys", "order lines")
    with language("zh-CN"):
        assert (kind_word("surveys"), kind_word("complaints")) == ("调查答卷", "投诉")
    # the data-integrity finding's evidence: "调查答卷 24,000 行中有 16 行", not "surveys 24,000 行中有 16 行"
    assert not re.search(r"\b(surveys|complaints|returns|orders) [\d,]+ 行", plain_text)
    assert re.search(r"调查答卷 [\d,]+ 行中有", plain_text)
