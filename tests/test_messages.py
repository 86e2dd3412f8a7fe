"""The catalogues: every message the code and the report templates write exists in every language.

The messages are extracted here as ``make messages`` extracts them (Babel, the mappings in
pyproject.toml); a message added to the code without a Chinese translation, a translation left
behind by a message the code no longer writes, or a translation that drops a ``{placeholder}``
fails the test.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from audit import format as fmt
from audit.i18n import LANGUAGES, LOCALE_DIR, _, language
from audit.model import grade_label

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "ngettext": (1, 2), "count_of": (2, 3)}
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _mappings() -> list[tuple[str, str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [(m["pattern"], m["method"]) for m in config["tool"]["babel"]["mappings"]]


def _code_messages() -> dict[str | tuple[str, ...], str]:
    """msgid (a tuple for plural messages) → the file it comes from."""
    out: dict[str | tuple[str, ...], str] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=_mappings(), keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else tuple(m for m in message if m)
        if key:
            out.setdefault(key if isinstance(key, str) or len(key) > 1 else key[0], filename)
    return out


@pytest.fixture(scope="module")
def code_messages() -> dict[str | tuple[str, ...], str]:
    return _code_messages()


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_message_is_translated_and_none_is_left_over(
    lang: str, code_messages: dict[str | tuple[str, ...], str]
) -> None:
    path = LOCALE_DIR / lang.replace("-", "_") / "LC_MESSAGES" / "csat_audit.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    translated: dict[str, tuple[str, ...]] = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        strings = tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string,)
        assert not message.fuzzy, f"fuzzy translation of {key!r} in {path.name}"
        translated[key] = strings
    wanted = {key[0] if isinstance(key, tuple) else key: key for key in code_messages}
    untranslated = sorted(k for k in wanted if not all(translated.get(k, ("",))))
    assert not untranslated, (
        f"{len(untranslated)} messages have no {lang} translation (make messages): {untranslated[:10]}"
    )
    leftover = sorted(set(translated) - set(wanted))
    assert not leftover, f"{len(leftover)} {lang} translations no code uses (make messages): {leftover[:10]}"
    for key, original in wanted.items():
        ids = original if isinstance(original, tuple) else (original,)
        needed = set().union(*(set(_PLACEHOLDER.findall(i)) for i in ids)) - {"n"}
        for text in translated[key]:
            assert set(_PLACEHOLDER.findall(text)) - {"n"} == needed, f"placeholders differ: {key!r} → {text!r}"


def test_grades_and_dates_in_chinese_use_the_national_terms() -> None:
    with language("zh-CN"):
        grades = [grade_label(g) for g in ("major", "minor", "observation", "ofi", "good_practice", "conforming")]
        assert grades == ["严重不符合", "一般不符合", "观察项", "改进机会", "良好实践", "符合"]
        assert fmt.date(dt.date(2026, 10, 15)) == "2026年10月15日"
        assert _("Customer satisfaction") == "顾客满意"
        assert _("Nonconformity and corrective action") == "不合格和纠正措施"
        assert _("Analysis and evaluation") == "分析与评价"
    with language("en"):
        assert grade_label("minor") == "Minor nonconformity"
        assert fmt.date(dt.date(2026, 10, 15)) == "15 October 2026"
