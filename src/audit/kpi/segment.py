"""Text to terms for the themes: each text's language, and the words a theme model counts.

English: a word regex, lower-casing and scikit-learn's English stop words; Chinese: jieba's
precise mode on its bundled dictionary and a short bundled stop-word list
(``stopwords_zh.txt``). No download, no file written: the only files read are the packages'
own. Used by :mod:`audit.kpi.themes`; the method is in docs/metrics.md ("Themes in free text").

Example:
    >>> language_of(pd.Series(["Late delivery", "交货延迟"])).tolist()
    ['en', 'zh']
    >>> tokens(["Calls not returned, very disappointing."], "en")
    [['calls', 'not returned', 'disappointing']]
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from typing import cast

import numpy as np
import pandas as pd

from audit.i18n import N_

__all__ = ["ENGLISH_KEPT", "LANGUAGES", "ZH_SHARE", "chinese_stop_words", "english_stop_words", "language_of", "tokens"]

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


@functools.cache
def _jieba_cut() -> Callable[[str], list[str]]:
    """jieba's precise mode on its default dictionary, loaded once, silently, without a cache file.

    ``Tokenizer.initialize`` would log "Building prefix dict…" on stderr and write a 9 MB
    ``jieba.cache`` to the temp folder; reading that cache back is no faster than building the
    prefix dictionary from the bundled ``dict.txt`` (measured: about 1.6 s of CPU either way), so
    the dictionary is built here directly and nothing is written. Importing jieba may warn that
    ``pkg_resources`` is deprecated (jieba 0.42 uses it when setuptools is installed): not ours.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*pkg_resources is deprecated")
        warnings.filterwarnings("ignore", message="invalid escape sequence")
        import jieba

    tokenizer = jieba.Tokenizer()  # our own, untouched by a notebook's jieba.load_userdict
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*pkg_resources is deprecated")
        tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())  # closes the file
    tokenizer.initialized = True

    def cut(text: str) -> list[str]:
        return cast(list[str], tokenizer.lcut(text, cut_all=False, HMM=True))

    return cut


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
