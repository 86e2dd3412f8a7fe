"""Themes in free text: crafted complaints with known topics, in English and Chinese."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from audit import forked
from audit.cycle.context import open_audit
from audit.data.dataset import load_audit
from audit.kpi import compute_kpis, nmf, segment, themes
from audit.kpi.segment import chinese_stop_words, language_of, tokens
from audit.kpi.themes import PREPARED_MODULES, ThemeSettings, audit_themes, find_themes, prepare
from audit.model.themes import THEME_VERDICTS, ThemeSet
from conftest import local_listener, replace_in

NOW, BEFORE = "2026-Q3", "2026-Q2"

EN = {
    "delivery": ["late", "delivery", "delayed", "arrived", "days", "promised", "date", "shipment", "waiting"],
    "packaging": ["packaging", "broken", "damaged", "crate", "box", "torn", "scratched", "pallet"],
    "invoice": ["invoice", "wrong", "price", "amount", "billed", "charged", "credit", "tax"],
}
EN_FILLER = ["pump", "order", "site", "customer", "again", "today", "please", "check"]
ZH = {
    "delivery": ["送货", "延迟", "到货", "推迟", "物流", "等待", "交期", "太慢"],
    "packaging": ["包装", "破损", "外箱", "压坏", "划痕", "纸箱", "变形", "损坏"],
    "invoice": ["发票", "错误", "金额", "税号", "开错", "抬头", "价格", "作废"],
}
ZH_FILLER = ["问题", "客户", "设备", "现场", "尽快", "处理"]


def _english(rng: np.random.Generator, topic: str) -> str:
    a, b, c, d = rng.choice(EN[topic], 4, replace=False)
    f, g = rng.choice(EN_FILLER, 2, replace=False)
    return f"The {a} {b} was {c} and {f}, {d} {g}."


def _chinese(rng: np.random.Generator, topic: str) -> str:
    words = rng.choice(ZH[topic], 3, replace=False)
    return "，".join(words) + "，" + str(rng.choice(ZH_FILLER)) + "的"


def crafted(counts: dict[tuple[str, str, str], int], seed: int = 7) -> pd.DataFrame:
    """Complaints with planted topics: ``counts[(period, language, topic)]`` texts each."""
    rng = np.random.default_rng(seed)
    rows = []
    for (period, language, topic), n in counts.items():
        for _ in range(n):
            text = _english(rng, topic) if language == "en" else _chinese(rng, topic)
            rows.append({"period": period, "language": language, "topic": topic, "text": text})
    frame = pd.DataFrame(rows)
    frame["id"] = [f"C-{i:05d}" for i in range(1, len(frame) + 1)]
    return frame


def run(frame: pd.DataFrame, **kwargs: Any) -> ThemeSet:
    kwargs.setdefault("period", NOW)
    kwargs.setdefault("previous", BEFORE)
    kwargs.setdefault("source", "complaint_descriptions")
    return find_themes(frame["text"], frame["id"], frame["period"], **kwargs)


def topic_of(terms: list[str], vocabulary: dict[str, list[str]]) -> str | None:
    """The planted topic whose words a theme's top terms are, or None when they mix topics."""
    found = {topic for term in terms for topic, words in vocabulary.items() if term in words}
    return found.pop() if len(found) == 1 else None


def three_topics(language: str, sizes: tuple[int, int, int] = (60, 35, 25)) -> pd.DataFrame:
    counts = {}
    for period in (BEFORE, NOW):
        for topic, n in zip(("delivery", "packaging", "invoice"), sizes):
            counts[(period, language, topic)] = n
    return crafted(counts)


# --- segmentation -----------------------------------------------------------------------------------
def test_language_is_decided_per_text_by_its_share_of_cjk_letters() -> None:
    texts = pd.Series(["Late delivery", "交货延迟", "CP-80泵漏水", "Contact 王伟 about the late delivery", "", None])
    assert language_of(texts).tolist() == ["en", "zh", "zh", "en", "en", "en"]
    # on the boundary: 1 CJK character in 5 letters is 20%, the threshold
    assert language_of(pd.Series(["abcd泵", "abcde泵"])).tolist() == ["zh", "en"]


def test_english_terms_are_lower_case_words_without_stop_words_or_digits() -> None:
    assert tokens(["The delivery was LATE again, 3 days (CP-80)!"], "en") == [["delivery", "late", "days", "cp"]]


def test_chinese_terms_come_from_jieba_without_stop_words_and_punctuation() -> None:
    assert tokens(["我们的包装破损了，泵体外壳有划痕。"], "zh") == [["包装", "破损", "泵体", "外壳", "划痕"]]
    assert tokens(["CP-80型号的motor坏了"], "zh") == [["cp", "型号", "motor", "坏"]]


def test_a_negation_stays_with_its_word() -> None:
    # so that "very dissatisfied" never reads as "satisfied", nor "not returned" as "returned"
    assert tokens(["Calls are not returned. Not, the end", "No reply from the support team"], "en") == [
        ["calls", "not returned", "end"],
        ["no reply", "support", "team"],
    ]
    assert tokens(["多次延迟交货，很不满意", "没有回复", "不，满意"], "zh") == [
        ["多次", "延迟", "交货", "不满意"],
        ["没有回复"],
        ["满意"],  # the comma ends the negation's reach
    ]


def test_content_words_of_the_stop_word_list_are_kept() -> None:
    assert tokens(["The bill shows the wrong amount for part of the system"], "en") == [
        ["bill", "shows", "wrong", "amount", "part", "system"]
    ]


def test_loading_jieba_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    segment._jieba_cut.cache_clear()
    assert tokens(["交货延迟"], "zh") == [["交货", "延迟"]]
    captured = capfd.readouterr()
    assert (captured.out, captured.err) == ("", "")


def test_the_stored_jieba_dictionary_is_the_one_built_and_a_stale_or_broken_one_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = segment.write_jieba_dictionary(tmp_path)
    assert stored == tmp_path / segment.JIEBA_DICTIONARY and not list(tmp_path.glob("*.partial"))
    jieba = segment._jieba_import()
    tokenizer = jieba.Tokenizer()
    assert segment._stored_dictionary(tmp_path) == segment._built_dictionary(tokenizer)

    monkeypatch.setattr(segment.sys, "prefix", str(tmp_path))  # where a run looks for it
    segment._jieba_cut.cache_clear()
    with monkeypatch.context() as m:  # a run that reads the stored dictionary builds nothing
        m.setattr(segment, "_built_dictionary", lambda tokenizer: pytest.fail("built although stored"))
        assert tokens(["我们的包装破损了，泵体外壳有划痕。"], "zh") == [["包装", "破损", "泵体", "外壳", "划痕"]]
    segment._jieba_cut.cache_clear()

    monkeypatch.setattr(segment, "_jieba_key", lambda: ("another jieba", "3.11.7", 1))
    assert segment._stored_dictionary(tmp_path) is None  # stale: another jieba or Python wrote it
    monkeypatch.undo()
    stored.write_bytes(stored.read_bytes()[:1000])
    assert segment._stored_dictionary(tmp_path) is None  # cut short
    stored.unlink()
    assert segment._stored_dictionary(tmp_path) is None


def test_the_bundled_chinese_stop_words_are_short_function_words() -> None:
    words = chinese_stop_words()
    assert {"的", "了", "是", "在", "我们"} <= words
    assert 50 <= len(words) <= 150
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{1,2}", w) for w in words), sorted(words)
    # the topic words of the crafted complaints are content words, never stop words
    assert not words & {w for topic in ZH.values() for w in topic}


# --- themes -----------------------------------------------------------------------------------------
def test_largest_english_theme_is_late_delivery() -> None:
    result = run(three_topics("en"))
    english = result.of_language("en")
    largest = english[0]
    assert topic_of([t for t, _ in largest.terms[:5]], EN) == "delivery", largest.terms
    assert largest.id == "en-1" and largest.language == "en"
    assert largest.label == ", ".join(t for t, _ in largest.terms[:3])
    assert {topic_of([t for t, _ in th.terms[:5]], EN) for th in english} >= {"delivery", "packaging", "invoice"}
    assert largest.count >= 50 and 0 < largest.share_pct <= 100  # type: ignore[operator]
    assert len(largest.examples) == 3 and len({e.text for e in largest.examples}) == 3
    for example in largest.examples:
        assert example.record_id in largest.record_ids
    assert result.models[0].k >= 3 and result.models[0].language == "en"


def test_largest_chinese_theme_is_damaged_packaging() -> None:
    result = run(three_topics("zh", sizes=(30, 60, 35)))
    chinese = result.of_language("zh")
    largest = chinese[0]
    assert topic_of([t for t, _ in largest.terms[:5]], ZH) == "packaging", largest.terms
    assert largest.label == "、".join(t for t, _ in largest.terms[:3])
    assert {topic_of([t for t, _ in th.terms[:5]], ZH) for th in chinese} >= {"delivery", "packaging", "invoice"}
    assert result.languages == ("zh",)


def test_mixed_corpus_gives_separate_themes_per_language() -> None:
    counts = {}
    for period in (BEFORE, NOW):
        counts |= {(period, "en", "delivery"): 50, (period, "en", "invoice"): 30}
        counts |= {(period, "zh", "delivery"): 30, (period, "zh", "packaging"): 25}
    frame = crafted(counts)
    result = run(frame)
    assert result.languages == ("en", "zh")
    assert dict(result.texts_by_language) == {"en": 80, "zh": 55}
    assert result.texts == 135 and result.previous_texts == 135
    for theme in result.themes:
        script = r"[a-z]+" if theme.language == "en" else r"[\u4e00-\u9fff]+"
        assert all(re.fullmatch(script, t) for t, _ in theme.terms), theme
        assert language_of(pd.Series([e.text for e in theme.examples])).eq(theme.language).all()
    assert topic_of([t for t, _ in result.of_language("en")[0].terms[:5]], EN) == "delivery"
    assert topic_of([t for t, _ in result.of_language("zh")[0].terms[:5]], ZH) == "delivery"
    # themes largest first across languages, ids ranked within each language
    counts_in_order = [t.count for t in result.themes]
    assert counts_in_order == sorted(counts_in_order, reverse=True)
    assert [t.id for t in result.of_language("zh")][:2] == ["zh-1", "zh-2"]
    assert sum(t.count for t in result.themes) + result.unassigned == result.texts


def test_a_growing_topic_is_a_significant_increase() -> None:
    counts = {
        (BEFORE, "en", "delivery"): 50,
        (BEFORE, "en", "packaging"): 10,
        (BEFORE, "en", "invoice"): 30,
        (NOW, "en", "delivery"): 50,
        (NOW, "en", "packaging"): 45,
        (NOW, "en", "invoice"): 30,
    }
    result = run(crafted(counts))
    by_topic = {topic_of([t for t, _ in th.terms[:5]], EN): th for th in result.themes}
    packaging = by_topic["packaging"]
    assert packaging.verdict == "significant increase" and packaging.growing
    assert packaging.p_value is not None and packaging.p_value < 0.05
    assert packaging.previous_count is not None and packaging.count > 3 * packaging.previous_count
    assert packaging.change == pytest.approx(packaging.share_pct - packaging.previous_share_pct, abs=1e-3)  # type: ignore[operator]
    assert packaging in result.growing
    assert by_topic["invoice"].verdict in {"no significant change", "significant decrease"}
    assert all(t.verdict in THEME_VERDICTS for t in result.themes)


def test_without_a_previous_quarter_nothing_is_tested() -> None:
    frame = three_topics("en")
    result = run(frame[frame["period"] == NOW], previous=None)
    assert result.themes and result.previous_texts is None
    for theme in result.themes:
        assert (theme.previous_count, theme.change, theme.p_value, theme.verdict) == (None, None, None, "not tested")


def test_share_of_dissatisfied_per_theme_worked_by_hand() -> None:
    # 12 comments on slow support: 6 dissatisfied, 5 not, 1 without a score -> 6 of 11 = 54.5455%
    # 18 comments on good quality: 1 dissatisfied, 17 not -> 1 of 18 = 5.5556%
    slow = ["Support response is slow", "Slow response from support"]
    good = ["Good quality pumps", "The pumps are good quality"]
    texts = [slow[i % 2] for i in range(12)] + [good[i % 2] for i in range(18)]
    flags: list[bool | None] = [True] * 6 + [False] * 5 + [None] + [True] + [False] * 17
    frame = pd.DataFrame({"text": texts, "id": [f"R-{i:03d}" for i in range(30)], "period": NOW})
    result = run(
        frame, previous=None, source="survey_comments", dissatisfied=pd.Series(flags, dtype="object"),
    )  # fmt: skip
    by_label = {t.label: t for t in result.themes}
    slow_theme, good_theme = by_label["response, slow, support"], by_label["good, pumps, quality"]
    assert (slow_theme.count, slow_theme.dissatisfied_n, slow_theme.dissatisfied_pct) == (12, 11, 54.5455)
    assert (good_theme.count, good_theme.dissatisfied_n, good_theme.dissatisfied_pct) == (18, 18, 5.5556)
    # the baseline: 7 dissatisfied among the 29 commenters with a score
    assert (result.dissatisfied_n, result.dissatisfied_pct) == (29, round(100 * 7 / 29, 4))
    # complaints carry no scores
    assert run(three_topics("en")).themes[0].dissatisfied_pct is None


def test_same_input_same_themes_whatever_the_row_order() -> None:
    counts = {}
    for period in (BEFORE, NOW):
        counts |= {(period, "en", "delivery"): 40, (period, "en", "packaging"): 25, (period, "en", "invoice"): 20}
        counts |= {(period, "zh", "delivery"): 20, (period, "zh", "invoice"): 20}
    frame = crafted(counts)
    frame["dissatisfied"] = np.arange(len(frame)) % 3 == 0
    first = run(frame, source="survey_comments", dissatisfied=frame["dissatisfied"]).to_dict()
    again = run(frame, source="survey_comments", dissatisfied=frame["dissatisfied"]).to_dict()
    shuffled = frame.sample(frac=1.0, random_state=3).reset_index(drop=True)
    reordered = run(shuffled, source="survey_comments", dissatisfied=shuffled["dissatisfied"]).to_dict()
    assert first == again == reordered
    assert first["method"]["seed"] == "0" and first["method"]["init"].startswith("nndsvd")
    assert [m["k"] for m in first["models"]] == [m.k for m in run(frame).models]


def test_too_little_text_gives_a_note_not_an_error() -> None:
    few = crafted({(NOW, "en", "delivery"): 3, (NOW, "zh", "invoice"): 2})
    result = run(few)
    assert result.themes == () and result.texts == 5 and result.unassigned == 5
    assert any("English: 3 texts" in note for note in result.notes), result.notes
    assert any("Chinese: 2 texts" in note for note in result.notes), result.notes
    assert any(BEFORE in note for note in result.notes)  # no texts to compare with

    empty = pd.Series([], dtype=object)
    nothing = find_themes(empty, empty, empty, period=NOW, previous=BEFORE, source="survey_comments")
    assert nothing.themes == () and nothing.texts == 0 and f"no texts in {NOW}" in nothing.notes

    blank = pd.DataFrame({"text": ["", "  ", None], "id": ["a", "b", "c"], "period": NOW})
    result = run(blank)
    assert (result.texts, result.without_text, result.themes) == (0, 3, ())

    # texts made only of stop words have no terms to count
    stop = pd.DataFrame({"text": ["it was the"] * 30, "id": [str(i) for i in range(30)], "period": NOW})
    assert run(stop, previous=None).themes == ()


def test_a_language_needs_min_texts_in_the_quarter() -> None:
    rows = crafted({(NOW, "en", "delivery"): 12, (NOW, "en", "invoice"): 8})
    assert run(rows, previous=None).themes  # 20 texts: analysed
    result = run(rows.iloc[1:], previous=None)  # 19: too few
    assert result.themes == () and result.notes == ("English: 19 texts in the quarter, fewer than the 20 themes need",)


def test_bad_arguments_are_refused() -> None:
    s = pd.Series(["a"])
    with pytest.raises(ValueError, match="unknown theme source"):
        find_themes(s, s, s, period=NOW, previous=None, source="emails")
    with pytest.raises(ValueError, match="same length"):
        find_themes(s, pd.Series(["a", "b"]), s, period=NOW, previous=None, source="survey_comments")


def test_settings_and_results_are_traceable() -> None:
    result = run(three_topics("en"))
    data = result.to_dict()
    assert data["source"] == "complaint_descriptions" and data["period"] == NOW and data["previous"] == BEFORE
    theme = data["themes"][0]
    assert set(theme) >= {"id", "label", "terms", "count", "share_pct", "previous_count", "p_value", "verdict"}
    assert theme["terms"][0].keys() == {"term", "weight"}
    model = data["models"][0]
    assert model["k"] in [c["k"] for c in model["candidates"]]
    assert max(model["candidates"], key=lambda c: c["silhouette"])["k"] == model["k"]
    assert {"k_rule", "seed", "min_df", "scikit-learn"} <= set(data["method"])
    assert result[theme["id"]].label == theme["label"]
    assert json.loads(json.dumps(data)) == data
    with pytest.raises(KeyError):
        result["en-99"]
    # a smaller k range is honoured
    assert run(three_topics("en"), settings=ThemeSettings(k_max=2)).models[0].k == 2


# --- no network ---------------------------------------------------------------------------------------
def test_a_themes_run_opens_no_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError("network blocked by the test")

    counts = {(p, lang, t): 25 for p in (BEFORE, NOW) for lang in ("en", "zh") for t in ("delivery", "invoice")}
    frame = crafted(counts)
    segment._jieba_cut.cache_clear()  # load jieba's dictionary again, inside the blocked section
    with local_listener() as (port, hits):
        # a complaint that names a URL is text, never something to fetch
        frame.loc[0, "text"] = f"Late delivery, see http://127.0.0.1:{port}/tracking.png"
        monkeypatch.setattr(socket.socket, "connect", refuse)
        monkeypatch.setattr(socket.socket, "connect_ex", refuse)
        result = run(frame)
        monkeypatch.setattr(socket.socket, "connect", real_connect)
    assert result.themes and result.languages == ("en", "zh")
    assert attempts == [] and hits == []


# --- the demo ----------------------------------------------------------------------------------------
DEMO_SIZE = {
    "orders_per_quarter": 2_000,
    "responses_per_quarter": 800,
    "complaints_per_quarter": 300,
    "returns_per_quarter": 100,
}
PACKAGING_TERMS = {"packaging", "crate", "crates", "pallet", "casing", "broken", "包装", "破损", "托盘"}


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from audit.data.dataset import load_audit
    from audit.demo import write_demo

    folder: Path = write_demo(tmp_path_factory.mktemp("demo"), **DEMO_SIZE)  # type: ignore[arg-type]
    return load_audit(folder)


@pytest.fixture(scope="module")
def demo_themes(demo_data: Any) -> dict[str, ThemeSet]:
    return audit_themes(demo_data)


def test_demo_packaging_spike_shows_as_a_growing_theme(demo_themes: dict[str, ThemeSet]) -> None:
    assert set(demo_themes) == {"complaint_descriptions", "complaint_root_causes", "survey_comments"}
    for source in ("complaint_descriptions", "complaint_root_causes"):
        growing = [t for t in demo_themes[source].growing if PACKAGING_TERMS & {term for term, _ in t.terms}]
        assert growing, [(t.label, t.verdict) for t in demo_themes[source].themes]
    descriptions = demo_themes["complaint_descriptions"]
    assert descriptions.languages == ("en", "zh") and descriptions.period == "2026-Q3"
    comments = demo_themes["survey_comments"]
    assert comments.dissatisfied_n and all(t.dissatisfied_n is not None for t in comments.themes)


def test_demo_themes_are_its_planted_categories_in_both_languages(
    demo_data: Any, demo_themes: dict[str, ThemeSet]
) -> None:
    """One theme per complaint category and language, each holding that category's complaints only."""
    from audit.demo import PLANTED

    complaints = demo_data.history["complaints"]
    category = dict(zip(complaints["complaint_id"], complaints["category"]))
    quarter = complaints[complaints["_period"] == PLANTED["period"]]
    chinese = language_of(quarter["description"]) == "zh"
    descriptions = demo_themes["complaint_descriptions"]
    for language, rows in (("en", quarter[~chinese]), ("zh", quarter[chinese])):
        themes = descriptions.of_language(language)
        planted = dict(rows["category"].value_counts().items())
        found = {}
        for theme in themes:
            categories = {category[i] for i in theme.record_ids}
            assert len(categories) == 1, (theme.label, categories)  # pure
            found[categories.pop()] = theme.count
        assert found == planted  # every category, all its complaints, one theme each
        spike = next(t for t in themes if category[t.record_ids[0]] == PLANTED["spike_category"])
        assert spike.growing and {"packaging", "包装"} & {term for term, _ in spike.terms}
        assert [t.id for t in descriptions.growing if t.language == language] == [spike.id]
    assert category[descriptions.of_language("en")[0].record_ids[0]] == PLANTED["spike_category"]  # the largest


def test_demo_comment_themes_name_the_slow_replies_and_who_is_unhappy(demo_themes: dict[str, ThemeSet]) -> None:
    comments = demo_themes["survey_comments"]
    slow = [t for t in comments.of_language("en") if "reply" in dict(t.terms)]
    assert len(slow) == 1 and slow[0].growing  # the responsiveness drop, in the customers' words
    baseline = comments.dissatisfied_pct
    assert baseline is not None
    unhappy = [t for t in comments.themes if (t.dissatisfied_pct or 0) > baseline]
    assert slow[0] in unhappy and all("reliable" not in dict(t.terms) for t in unhappy)


# --- the snapshot ----------------------------------------------------------------------------------
def test_themes_round_trip_through_results_json_without_the_record_ids(tmp_path: Path) -> None:
    import dataclasses

    from audit.model import AuditSnapshot
    from conftest import _tiny_results

    frame = three_topics("en")
    frame["dissatisfied"] = [i % 3 == 0 for i in range(len(frame))]
    themes = {"survey_comments": run(frame, source="survey_comments", dissatisfied=frame["dissatisfied"])}
    base = _tiny_results()
    snapshot = dataclasses.replace(base, kpis=dataclasses.replace(base.kpis, themes=themes))
    assert snapshot.themes == themes  # kept in a ThemeSets (a dict that shows itself in JupyterLab)
    written = snapshot.dump(tmp_path / "results.json")
    raw = json.loads(written.read_text(encoding="utf-8"))
    assert raw["themes"]["survey_comments"] == themes["survey_comments"].to_dict()
    assert all("record_ids" not in t for t in raw["themes"]["survey_comments"]["themes"])  # counts and examples only
    back = AuditSnapshot.load(written)
    assert back.themes["survey_comments"].to_dict() == themes["survey_comments"].to_dict()
    theme = back.themes["survey_comments"].themes[0]
    assert theme.record_ids == () and theme.examples == themes["survey_comments"].themes[0].examples
    assert back.kpis.growing_themes() == tuple(
        dataclasses.replace(t, record_ids=()) for t in snapshot.kpis.growing_themes()
    )


def test_themes_found_in_the_copy_made_ahead_are_those_found_here_in_the_audits_language(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replace_in(tiny / "audit.yaml", "  lead_auditor: A. Auditor", "  lead_auditor: A. Auditor\n  language: zh-CN")
    monkeypatch.setattr(forked, "cores", lambda: 1)
    here = compute_kpis(load_audit(tiny)).themes
    monkeypatch.setattr(forked, "cores", lambda: 2)
    run = open_audit(tiny)  # the audit has free text: a copy starts importing what the themes need
    ahead = forked._PREPARED[prepare].pid
    data = load_audit(run.config)
    called: list[int] = []
    real = forked._Prepared.call
    monkeypatch.setattr(forked._Prepared, "call", lambda self, *a: called.append(self.pid) or real(self, *a))
    themes = compute_kpis(data, earlier=run.earlier).themes
    assert called == [ahead] and prepare not in forked._PREPARED
    assert {k: v.to_dict() for k, v in themes.items()} == {k: v.to_dict() for k, v in here.items()}
    assert "2026-Q2 无文本：未检验变化" in themes["survey_comments"].notes  # in the audit's language, not the copy's


def test_preparing_imports_what_the_themes_import_and_loads_jieba() -> None:
    script = (
        "import sys; from audit.kpi import segment; from audit.kpi.themes import PREPARED_MODULES, prepare; "
        "prepare(); assert segment._jieba_cut.cache_info().currsize == 1; "
        "print(all(m in sys.modules for m in PREPARED_MODULES))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split()[-1] == "True"
    # every module the themes import later is one prepared (sklearn.exceptions comes with sklearn itself)
    sources = "".join(Path(m.__file__ or "").read_text(encoding="utf-8") for m in (themes, nmf, segment))
    used = set(re.findall(r"from (sklearn[\w.]*|threadpoolctl) import", sources))
    assert used - {"sklearn.exceptions"} == set(PREPARED_MODULES), used
