"""Survey platforms' downloads (问卷星) through audit.yaml alone (issue 13, item 18).

The excerpts in tests/fixtures/wjx/ (the first 30 responses of each download, saved as
.xls) always run; the whole downloads in ../shared/real-data/wjx/ run when that folder is
beside the checkout. The questionnaire has no satisfaction question: question 7 (share of
income spent on hobbies, seven answers) stands in for a 1–7 score to exercise the reader.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from audit.data.dataset import AuditData, load_audit
from audit.kpi import compute_kpis

EXCERPTS = Path(__file__).parent / "fixtures" / "wjx"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "real-data" / "wjx"

#: the text download's answers to question 7 and their codes in the code download
ANSWERS = {"没有投入": 1, "10%左右": 2, "20%左右": 3, "30%左右": 4, "40%左右": 5, "50%左右": 6, "超过50%": 7}


def load(tmp_path: Path, source: Path, *, text: bool) -> AuditData:
    target = tmp_path / source.name
    shutil.copyfile(source, target)
    values = "\n    values: {overall: {" + ", ".join(f"'{k}': {v}" for k, v in ANSWERS.items()) + "}}" if text else ""
    (tmp_path / "audit.yaml").write_text(
        "audit: {id: WJX, organisation: Survey platform, period: 2026-Q3}\n"
        "data:\n"
        "  surveys:\n"
        f"    path: {source.name}\n"
        "    columns: {overall: 7, channel: 6, region: 性别}\n"
        "    scale: {min: 1, max: 7}\n"
        "    defaults: {responded_on: 2026-08-15}" + values + "\n",
        encoding="utf-8",
    )
    return load_audit(tmp_path)


def files(whole: bool) -> tuple[Path, Path]:
    if whole:
        if not SHARED.is_dir():
            pytest.skip("../shared/real-data/wjx is not beside the checkout; the excerpts cover these files")
        return SHARED / "survey_800_text.xls", SHARED / "survey_800_codes.xls"
    return EXCERPTS / "survey_30_text.xls", EXCERPTS / "survey_30_codes.xls"


@pytest.mark.parametrize("whole", [False, True], ids=["excerpt", "whole"])
def test_both_downloads_load_and_agree(tmp_path: Path, whole: bool) -> None:
    text_file, codes_file = files(whole)
    text = load(tmp_path / "text", text_file, text=True) if (tmp_path / "text").mkdir() is None else None
    codes = load(tmp_path / "codes", codes_file, text=False) if (tmp_path / "codes").mkdir() is None else None
    assert text is not None and codes is not None
    n = 800 if whole else 30
    for data in (text, codes):
        assert data.problems == ()
        assert len(data.frames["surveys"]) == n
        source = data.sources[0]
        assert source.sheet == "Sheet1" and source.rows_read == source.rows_valid == n
    a, b = text.frames["surveys"], codes.frames["surveys"]
    # 序号 is the response id without a mapping; the two downloads hold the same answers
    assert a["response_id"].tolist() == b["response_id"].tolist() == [str(i) for i in range(1, n + 1)]
    assert a["overall"].tolist() == b["overall"].tolist()
    # a multi-select question reads as the chosen options, alike from ┋-joined text and 0/1 columns
    plain = ~a["channel"].str.contains("其他", na=False)
    assert a.loc[plain, "channel"].tolist() == b.loc[plain, "channel"].tolist()
    assert a["region"].isin(["男", "女"]).all() and b["region"].isin(["1", "2"]).all()
    if not whole:
        assert a["channel"].iloc[0] == "运动, 影视, 购物"
        # question 7 of the first 30: worked out from the file by hand
        assert a["overall"].iloc[:5].tolist() == [4, 3, 2, 3, 4]  # 30%, 20%, 10%, 20%, 30% 左右 in the file
    kpis = compute_kpis(text)
    assert kpis["csat_mean"].n == n and kpis["nps"].value is None


def test_a_question_by_its_text_or_number_and_skipped_answers(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", "提交答卷时间", "所用时间", "1、总体满意度 ", "2、推荐意愿", "第3题(价格)", "第3题(服务)"])
    sheet.append([1, "2026/7/3 10:22:13", "120秒", 5, 9, 1, 0])
    sheet.append([2, "2026/7/4 09:01:00", "95秒", "(跳过)", 10, 0, 1])
    sheet.append([3, "2026/7/5 18:30:45", "60秒", 3, "(空)", "(跳过)", "(跳过)"])
    book.save(tmp_path / "wjx.xlsx")
    (tmp_path / "audit.yaml").write_text(
        "audit: {id: WJX, organisation: Survey platform, period: 2026-Q3}\n"
        "data:\n  surveys: {path: wjx.xlsx, columns: {overall: 总体满意度, recommend: Q2, product: 第3题}}\n",
        encoding="utf-8",
    )
    data = load_audit(tmp_path)
    assert data.problems == ()
    frame = data.frames["surveys"]
    assert [d.date().isoformat() for d in frame["responded_on"]] == ["2026-07-03", "2026-07-04", "2026-07-05"]
    assert frame["overall"].tolist()[0] == 5 and frame["overall"].isna().tolist() == [False, True, False]
    assert frame["product"].tolist()[:2] == ["价格", "服务"] and frame["product"].isna().tolist() == [
        False,
        False,
        True,
    ]
    kpis = compute_kpis(data)
    assert (kpis["csat_mean"].n, kpis["nps"].n) == (2, 2)
