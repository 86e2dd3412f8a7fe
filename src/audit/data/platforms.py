"""Survey platforms' downloads: numbered question headers, multi-select answers, meta columns.

Chinese online-survey platforms (问卷星 and the like) write one column per question
headed ``3、性别`` (number, 、, the question's text), expand a multi-select question into
one 0/1 column per option headed ``第6题(运动)`` (or, in the text download, join the
chosen options with ┋ in one cell), and start with meta columns: 序号 (the response's
number), 提交答卷时间 (when it was submitted), 所用时间, 来源, 来源详情, 来自IP.

Here a question is found by its number (``7``, ``Q7``, ``第7题``) or its text, an
expanded multi-select question becomes one readable column (the chosen options joined
by ", "), as do ┋-joined answers, and 序号 / 提交答卷时间 stand for response_id /
responded_on unless audit.yaml says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from audit.data.table import ROW, RawTable, header_key

__all__ = ["MULTI_SEPARATORS", "PLATFORM_HEADERS", "expand_questions", "question_aliases", "readable_choices"]

#: our column → the platform's meta column that holds it, when audit.yaml maps neither
PLATFORM_HEADERS = {"response_id": "序号", "responded_on": "提交答卷时间"}
#: separators of a multi-select answer in one cell (问卷星's ┋)
MULTI_SEPARATORS = ("┋",)
#: how the chosen options of a multi-select answer are shown
JOINED = ", "

_NUMBERED = re.compile(r"^\s*(?:Q\s*)?(\d+)\s*[、.．:：)）]\s*(.*?)\s*$", re.IGNORECASE)
_EXPANDED = re.compile(r"^\s*第\s*(\d+)\s*题\s*[(（](.*)[)）]\s*$")


def _aliases(number: str, text: str) -> list[str]:
    return [number, f"q{number}", f"第{number}题", *([text] if text else [])]


def expand_questions(raw: RawTable) -> RawTable:
    """Add one column per expanded multi-select question (``第6题``), holding the chosen options.

    A cell counts as chosen when it is a number other than 0 or text other than "0"; a
    row that answered none of the options (all blank or skipped) is blank.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for column in raw.frame.columns:
        match = _EXPANDED.match(str(raw.originals.get(column, column)))
        if match:
            groups.setdefault(match[1], []).append((str(column), match[2].strip()))
    if not groups:
        return raw
    frame = raw.frame.copy()
    for number, options in groups.items():
        joined = pd.Series("", index=frame.index, dtype=object)
        for column, option in options:
            cells = frame[column]
            numbers = pd.to_numeric(cells, errors="coerce")
            text = cells.astype("string").str.strip()
            chosen = (numbers.fillna(0) != 0) | (numbers.isna() & text.notna() & ~text.isin(["", "0"]))
            chosen &= ~text.isin(["(跳过)", "(空)"]).fillna(False)
            picked = chosen.fillna(False).to_numpy(dtype=bool)
            joined = joined + np.where(picked, JOINED + option, "")
        frame[f"第{number}题"] = joined.str.removeprefix(JOINED).replace("", None)
    return replace(raw, frame=frame)


def question_aliases(raw: RawTable) -> dict[str, str]:
    """Each question's number and text (compared with :func:`header_key`) → its column."""
    aliases: dict[str, str] = {}
    for column in raw.frame.columns:
        if column == ROW:
            continue
        header = str(raw.originals.get(column, column))
        numbered = _NUMBERED.match(header)
        if numbered:
            for alias in _aliases(numbered[1], numbered[2]):
                aliases.setdefault(header_key(alias), str(column))
        elif re.fullmatch(r"第\d+题", header):
            aliases.setdefault(header_key(header.removeprefix("第").removesuffix("题")), str(column))
            aliases.setdefault(header_key(f"q{header[1:-1]}"), str(column))
    return aliases


def readable_choices(cells: pd.Series) -> pd.Series:
    """Multi-select answers joined by ┋ shown with ", " (text cells only)."""
    if cells.dtype != object and not pd.api.types.is_string_dtype(cells):
        return cells
    text = cells.astype("string")
    joined = text.str.contains("|".join(MULTI_SEPARATORS), regex=True).fillna(False).to_numpy(dtype=bool)
    if not joined.any():
        return cells
    out = cells.astype(object).copy()
    spaced = text[joined].str.replace(r"\s*(?:" + "|".join(MULTI_SEPARATORS) + r")\s*", JOINED, regex=True)
    out[joined] = spaced.to_numpy()
    return out
