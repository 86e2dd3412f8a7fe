"""Text to terms for the themes: each text's language, and the words a theme model counts.

English: a word regex, lower-casing and scikit-learn's English stop words; Chinese: jieba's
precise mode on its bundled dictionary and a short bundled stop-word list
(``stopwords_zh.txt``). No download, no file written: the only files read are the packages'
own, and jieba's prefix dictionary as ``make`` stored it in the environment
(:func:`write_jieba_dictionary`). Used by :mod:`audit.kpi.themes`; the method is in
docs/metrics.md ("Themes in free text").

Example:
    >>> language_of(pd.Series(["Late delivery", "交货延迟"])).tolist()
    ['en', 'zh']
    >>> tokens(["Calls not returned, very disappointing."], "en")
    [['calls', 'not returned', 'disappointing']]
"""

from __future__ import annotations

import functools
import marshal
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from audit.i18n import N_

__all__ = [
    "ENGLISH_KEPT",
    "LANGUAGES",
    "ZH_SHARE",
    "chinese_stop_words",
    "english_stop_words",
    "language_of",
    "tokens",
    "write_jieba_dictionary",
]

#: the languages told apart, in the order their themes are listed when of equal size
LANGUAGES = {"en": N_("English"), "zh": N_("Chinese")}
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = f"[{_CJK}]"
_LATIN_CHAR = r"[A-Za-z\u00c0-\u024f]"
#: a word: two or more letters (no digits, no underscore); CJK runs in an English text count as one word
_WORD = re.compile(r"[^\W\d_]{2,}")
_HAS_CJK = re.compile(_CJK_CHAR)
#: English words and the punctuation that ends a negation's reach
_EN_TOKEN = re.compile(r"[^\W\d_]{2,}|[.,;:!?()]")
_BREAKS = frozenset(".,;:!?()")
#: negations joined to the next content word (all of them are stop words on their own)
_NEGATORS = {
    "en": frozenset({"not", "no", "never", "without", "cannot", "nor"}),
    "zh": frozenset({"不", "没", "没有", "未", "无"}),
}
#: a text is Chinese when at least this share of its letters are CJK characters
ZH_SHARE = 0.2


@functools.cache
def chinese_stop_words() -> frozenset[str]:
    """The bundled Chinese stop words (``stopwords_zh.txt``, function words only)."""
    text = resources.files("audit.kpi").joinpath("stopwords_zh.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


#: words of scikit-learn's English stop-word list that are content words in complaints
#: (its own documentation warns that the list has such words): kept as terms
ENGLISH_KEPT = frozenset(
    {
        "amount",
        "bill",
        "bottom",
        "call",
        "detail",
        "empty",
        "fire",
        "front",
        "full",
        "part",
        "serious",
        "side",
        "system",
        "top",
    }
)


@functools.cache
def english_stop_words() -> frozenset[str]:
    """scikit-learn's ``ENGLISH_STOP_WORDS`` less :data:`ENGLISH_KEPT`."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) - ENGLISH_KEPT


#: jieba's prefix dictionary as built from its bundled ``dict.txt``, written into the environment's
#: folder (``sys.prefix``) when ``make`` installs it (:func:`write_jieba_dictionary`)
JIEBA_DICTIONARY = "csat-audit-jieba.marshal"


def _jieba_key() -> tuple[str, str, int]:
    """What the stored prefix dictionary was built from: jieba's version, Python's, dict.txt's size."""
    jieba = _jieba_import()
    bundled = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    return jieba.__version__, sys.version.split()[0], bundled.stat().st_size


def _jieba_import() -> Any:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*pkg_resources is deprecated")
        warnings.filterwarnings("ignore", message="invalid escape sequence")
        import jieba
    return jieba


def _built_dictionary(tokenizer: Any) -> tuple[dict[str, int], int]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*pkg_resources is deprecated")
        return cast(tuple[dict[str, int], int], tokenizer.gen_pfdict(tokenizer.get_dict_file()))  # closes the file


def write_jieba_dictionary(prefix: Path | None = None) -> Path:
    """Build jieba's prefix dictionary and store it in the environment's folder, for every later run.

    Building it from ``dict.txt`` takes about 1.5 s of CPU per process; reading it back from
    this file (marshal) about 0.4 s. ``make`` calls this once when it installs the venv;
    a run never writes it.
    """
    tokenizer = _jieba_import().Tokenizer()
    target = Path(sys.prefix if prefix is None else prefix) / JIEBA_DICTIONARY
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(marshal.dumps((_jieba_key(), *_built_dictionary(tokenizer))))
    os.replace(partial, target)
    return target


def _stored_dictionary(prefix: Path | None = None) -> tuple[dict[str, int], int] | None:
    """The prefix dictionary :func:`write_jieba_dictionary` stored, or None (absent, unreadable, or stale)."""
    try:
        key, freq, total = marshal.loads(
            (Path(sys.prefix if prefix is None else prefix) / JIEBA_DICTIONARY).read_bytes()
        )
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if key != _jieba_key() or not isinstance(freq, dict) or not isinstance(total, int):
        return None
    return freq, total


@functools.cache
def _jieba_cut() -> Callable[[str], list[str]]:
    """jieba's precise mode on its default dictionary, loaded once per process, silently.

    The prefix dictionary is read from the environment's folder when ``make`` stored it there
    (:func:`write_jieba_dictionary`) for this jieba and this Python, else built from the bundled
    ``dict.txt``. jieba's own ``Tokenizer.initialize`` is not used: it logs "Building prefix
    dict…" on stderr and writes a ``jieba.cache`` into the temp folder. Importing jieba may warn
    that ``pkg_resources`` is deprecated (jieba 0.42 uses it when setuptools is installed): not ours.
    """
    tokenizer = _jieba_import().Tokenizer()  # our own, untouched by a notebook's jieba.load_userdict
    tokenizer.FREQ, tokenizer.total = _stored_dictionary() or _built_dictionary(tokenizer)
    tokenizer.initialized = True

    def cut(text: str) -> list[str]:
        return cast(list[str], tokenizer.lcut(text, cut_all=False, HMM=True))

    return cut


def load() -> None:
    """Load now what :func:`tokens` loads on first use: jieba's dictionary and the stop words."""
    _jieba_cut()
    english_stop_words()
    chinese_stop_words()


def language_of(texts: pd.Series, zh_share: float = ZH_SHARE) -> pd.Series:
    """Each text's language: ``zh`` when at least ``zh_share`` of its letters are CJK characters, else ``en``.

    Example:
        >>> language_of(pd.Series(["Late delivery", "交货延迟", "CP-80泵漏水"])).tolist()
        ['en', 'zh', 'zh']
    """
    text = texts.fillna("").astype(str)
    cjk = text.str.count(_CJK_CHAR).to_numpy(dtype=float)
    latin = text.str.count(_LATIN_CHAR).to_numpy(dtype=float)
    letters = cjk + latin
    share = np.divide(cjk, letters, out=np.zeros_like(cjk), where=letters > 0)
    return pd.Series(np.where(share >= zh_share, "zh", "en"), index=texts.index, dtype=object)


def _terms(words: Iterable[str | None], stop: Callable[[str], bool], negators: frozenset[str], sep: str) -> list[str]:
    """Content words without stop words; a negation joins the next content word (``None`` = a break).

    "not returned" and 不满意 stay one term, so that a negated word never reads as its opposite;
    punctuation ends a negation's reach.
    """
    out: list[str] = []
    pending = ""
    for word in words:
        if word is None:
            pending = ""
        elif word in negators:
            pending = word
        elif not stop(word):
            out.append(pending + sep + word if pending else word)
            pending = ""
    return out


def _english(text: str, stop: frozenset[str]) -> list[str]:
    words = (None if w in _BREAKS else w for w in _EN_TOKEN.findall(text.lower()))
    return _terms(words, stop.__contains__, _NEGATORS["en"], " ")


def _chinese(text: str, cut: Callable[[str], list[str]], stop: frozenset[str], stop_en: frozenset[str]) -> list[str]:
    def kind(word: str) -> str | None:  # a CJK word, a Latin word, or a break
        return word if _HAS_CJK.search(word) or _WORD.fullmatch(word) else None

    words = (kind(w) for w in (w.strip().lower() for w in cut(text)) if w)
    return _terms(words, lambda w: w in stop or w in stop_en, _NEGATORS["zh"], "")


def tokens(texts: Sequence[str], language: str) -> list[list[str]]:
    """The terms of each text: what the theme model counts.

    English: words of two or more letters, lower-cased, without scikit-learn's English stop
    words (less a few content words such as bill, amount, part, full). Chinese: jieba's precise mode, without the bundled stop words (:func:`chinese_stop_words`),
    punctuation and digits; Latin words inside Chinese text are kept as in English. A negation
    (not, no, never, without, cannot, nor; 不, 没, 没有, 未, 无) is joined to the next content
    word of its clause: "not returned", 不满意.

    Example:
        >>> tokens(["The crate was broken on arrival, calls not returned."], "en")
        [['crate', 'broken', 'arrival', 'calls', 'not returned']]
    """
    stop_en = english_stop_words()
    if language == "en":
        return [_english(t, stop_en) for t in texts]
    cut, stop = _jieba_cut(), chinese_stop_words()
    return [_chinese(t, cut, stop, stop_en) for t in texts]
