"""Themes in free text: what complaints and survey comments talk about, and what grows.

Each text is given a language and its terms (:mod:`audit.kpi.segment`); each language is
analysed on its own: TF-IDF vectors factorised with NMF (:mod:`audit.kpi.nmf`: NNDSVD start,
coordinate descent, deterministic) on the audited and the previous quarter together, for
k = 2…12 themes, keeping the k whose themes part the texts best (mean silhouette). Each text
belongs to its dominant theme; a theme's share in the two quarters is compared with a
two-proportion z test. The method, the rule for the number of themes and the determinism
guarantees are in docs/metrics.md ("Themes in free text").

Pure functions over pandas objects: nothing here reads data files, writes anything or opens a
connection; the only files read are the packages' own (jieba's dictionary, our stop words).

Example:
    >>> data = audit.load_audit("audits/demo/2026-Q3")                    # doctest: +SKIP
    >>> themes = audit_themes(data)["complaint_descriptions"]             # doctest: +SKIP
    >>> [(t.label, t.count, t.verdict) for t in themes.of_language("zh")][:1]  # doctest: +SKIP
    [('划伤、包装、外壳', 37, 'significant increase')]
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from audit.i18n import _, ngettext
from audit.kpi.nmf import Factoriser, Factors
from audit.kpi.segment import (
    ENGLISH_KEPT,
    LANGUAGES,
    ZH_SHARE,
    chinese_stop_words,
    english_stop_words,
    language_of,
    tokens,
)
from audit.kpi.segment import load as load_segmenters
from audit.kpi.stats import SIGNIFICANCE, change_p_value, proportion
from audit.model.themes import THEME_SOURCES, Theme, ThemeExample, ThemeModel, ThemeSet

if TYPE_CHECKING:
    from audit.data.dataset import AuditData

__all__ = ["ThemeSettings", "audit_themes", "find_themes"]

_LABEL_SEP = {"en": ", ", "zh": "、"}
_ROUND = 4  # decimals of term weights and percentages in the result

Rows = npt.NDArray[np.intp]


@dataclass(frozen=True)
class ThemeSettings:
    """The settings of a themes run; the defaults are the documented method.

    Attributes:
        seed: ``random_state`` of the randomized SVD that starts NMF on large corpora (small ones
            use an exact SVD; NNDSVD and coordinate descent draw no random numbers).
        k_min, k_max: bounds on the number of themes per language.
        texts_per_theme: at most one theme per this many texts fitted (the corpus-size bound on k).
        min_texts: a language needs this many texts in the audited quarter to be analysed.
        min_df: a term is kept when it occurs in at least this many texts.
        top_terms: at most this many terms listed per theme (those of at least a tenth of its strongest weight).
        min_weight: a text whose strongest theme weight is below this is in no theme.
        max_iter: NMF's iteration limit.
        zh_share: a text is Chinese when at least this share of its letters are CJK characters.
    """

    seed: int = 0
    k_min: int = 2
    k_max: int = 12
    texts_per_theme: int = 10
    min_texts: int = 20
    min_df: int = 2
    top_terms: int = 10
    min_weight: float = 0.1
    max_iter: int = 1000
    zh_share: float = ZH_SHARE


DEFAULT_SETTINGS = ThemeSettings()


# --- one language ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Draft:
    """A theme before it is ranked: its terms, and its texts in each quarter (row positions)."""

    language: str
    terms: tuple[tuple[str, float], ...]
    now: Rows
    before: Rows
    weight: npt.NDArray[np.float64]  # theme weight of each row of ``now``

    @property
    def label(self) -> str:
        return _LABEL_SEP[self.language].join(t for t, _ in self.terms[:3])


@dataclass(frozen=True)
class _Corpus:
    """One language's texts as TF-IDF vectors, each distinct text once.

    Attributes:
        x: distinct texts × terms, TF-IDF with l2-normalised rows (sparse).
        copies: how many texts each distinct text stands for.
        codes: for each text, the row of its distinct text.
        terms: the vocabulary, sorted.
    """

    x: Any
    copies: npt.NDArray[np.float64]
    codes: Rows
    terms: npt.NDArray[np.str_]


def _identity(terms: list[str]) -> list[str]:
    return terms


def _corpus(texts: Sequence[str], language: str, min_df: int) -> _Corpus | None:
    """TF-IDF vectors of the texts, or None when no term occurs in ``min_df`` texts.

    Each distinct text is segmented and vectorised once. The weights are scikit-learn's
    ``TfidfVectorizer(sublinear_tf=True)``: tf = 1 + ln(count), idf = ln((1 + n)/(1 + df)) + 1,
    rows scaled to unit length, with n and df counted over all the texts, repeats included.
    """
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    codes, distinct = pd.factorize(pd.Series(texts, dtype=object))
    copies = np.bincount(codes, minlength=len(distinct)).astype(float)
    vectoriser = CountVectorizer(analyzer=_identity, lowercase=False)
    try:
        counts = vectoriser.fit_transform(tokens([str(t) for t in distinct], language)).tocsc()
    except ValueError:  # no text has a term
        return None
    present = counts.copy()
    present.data[:] = 1.0
    df = present.T @ copies
    keep = np.flatnonzero(df >= min_df)
    if len(keep) == 0:
        return None
    counts = counts[:, keep].tocsr().astype(float)
    idf = np.log((1 + len(codes)) / (1 + df[keep])) + 1
    counts.data = 1 + np.log(counts.data)
    x = normalize(counts.multiply(idf[None, :]).tocsr(), norm="l2")
    terms = np.asarray(vectoriser.get_feature_names_out(), dtype=str)[keep]
    return _Corpus(x, copies, np.asarray(codes, dtype=np.intp), terms)


def _top(h: npt.NDArray[np.float64], count: int) -> Rows:
    """A theme's top terms: up to ``count`` terms of at least a tenth of its strongest term's weight.

    Ties are listed in alphabetical order of the terms (the vocabulary is sorted).
    """
    order = np.argsort(-np.round(h, 12), kind="stable")[:count]
    return order[h[order] >= 0.1 * h[order[0]]] if h[order[0]] > 0 else order[:0]


def _assign(w: npt.NDArray[np.float64], min_weight: float) -> tuple[Rows, npt.NDArray[np.float64]]:
    """Each row's dominant theme (−1 when its weight is below ``min_weight``) and that weight."""
    strongest = w.argmax(axis=1)
    weight = w[np.arange(len(w)), strongest]
    return np.where(weight >= min_weight, strongest, -1), weight


def _score(corpus: _Corpus, theme: Rows, k: int) -> float:
    """How well k themes part the texts: the mean silhouette, in its simplified (centroid) form.

    For a text in theme j, a = its cosine distance to theme j's centroid and b = the distance
    to the nearest other theme's centroid; it scores (b − a) / max(a, b), from −1 to 1. A text
    in no theme scores 0, so the score rewards themes whose texts are alike (cohesion), unlike
    the other themes' (separation), and that cover the texts (coverage). Silhouette: Rousseeuw
    (1987); the centroid form: Vendramin, Campello & Hruschka (2010).
    """
    from scipy.sparse import csr_matrix
    from sklearn.preprocessing import normalize

    rows = np.flatnonzero(theme >= 0)
    if len(rows) == 0:
        return 0.0
    indicator = csr_matrix((corpus.copies[rows], (rows, theme[rows])), shape=(len(theme), k))  # texts × themes
    centroids = normalize(indicator.T @ corpus.x, norm="l2")  # themes × terms
    similarity = np.asarray((corpus.x[rows] @ centroids.T).todense(), dtype=float)  # members × themes
    own = similarity[np.arange(len(rows)), theme[rows]]
    similarity[np.arange(len(rows)), theme[rows]] = -np.inf
    a, b = 1 - own, 1 - similarity.max(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(np.maximum(a, b) > 0, (b - a) / np.maximum(a, b), 0.0)
    return float((s * corpus.copies[rows]).sum() / corpus.copies.sum())


def _language(
    texts: Sequence[str], now: npt.NDArray[np.bool_], language: str, settings: ThemeSettings
) -> tuple[list[_Draft], ThemeModel | None, list[str]]:
    """Themes of one language's texts of the two quarters (``now`` marks the audited quarter)."""
    name = LANGUAGES[language]
    n_now = int(now.sum())
    if n_now < settings.min_texts:
        few = ngettext(
            "{name}: {n} text in the quarter, fewer than the {min} themes need",
            "{name}: {n} texts in the quarter, fewer than the {min} themes need",
            n_now,
            name=_(name),
            min=settings.min_texts,
        )
        return [], None, [few]
    corpus = _corpus(texts, language, settings.min_df)
    n_terms = 0 if corpus is None else len(corpus.terms)
    if corpus is None or n_terms < 2:
        note = _(
            "{name}: too few terms occur in {min_df} or more texts ({terms}) to find themes",
            name=_(name),
            min_df=settings.min_df,
            terms=n_terms,
        )
        return [], None, [note]
    k_high = min(settings.k_max, len(texts) // settings.texts_per_theme, n_terms, corpus.x.shape[0])
    if k_high < settings.k_min:
        return (
            [],
            None,
            [_("{name}: {n} texts are too few for {k} themes", name=_(name), n=len(texts), k=settings.k_min)],
        )
    factoriser = Factoriser(corpus.x, corpus.copies, k_high, settings.seed)
    tried: list[tuple[int, float]] = []
    best: tuple[float, int, Factors] | None = None
    for k in range(settings.k_min, k_high + 1):
        factors = factoriser.fit(k, settings.max_iter)
        score = round(_score(corpus, _assign(factors.w, settings.min_weight)[0], k), _ROUND)
        tried.append((k, score))
        if best is None or score > best[0]:
            best = (score, k, factors)
    assert best is not None
    _best_score, k, factors = best
    w, h = factors.w, factors.h
    notes = []
    if factors.iterations >= settings.max_iter:
        notes.append(
            _("{name}: NMF stopped at its {n}-iteration limit before converging", name=_(name), n=settings.max_iter)
        )
    theme, weight = _assign(w, settings.min_weight)
    theme, weight = theme[corpus.codes], weight[corpus.codes]
    drafts = []
    for j in range(k):
        top = _top(h[j], settings.top_terms)
        mine = theme == j
        if not mine.any() or len(top) == 0:
            continue
        rows_now = np.flatnonzero(mine & now)
        drafts.append(
            _Draft(
                language=language,
                terms=tuple((str(corpus.terms[t]), round(float(h[j, t]), _ROUND)) for t in top),
                now=rows_now,
                before=np.flatnonzero(mine & ~now),
                weight=weight[rows_now],
            )
        )
    fitted = ThemeModel(
        language=language,
        texts_fitted=len(texts),
        vocabulary=n_terms,
        k=k,
        candidates=tuple(tried),
        iterations=factors.iterations,
        reconstruction_error=round(factors.error, _ROUND),
    )
    return drafts, fitted, notes


# --- the theme set --------------------------------------------------------------------------------
def _verdict(change: float | None, p_value: float | None) -> str:
    if change is None or p_value is None:
        return "not tested"
    if p_value >= SIGNIFICANCE or change == 0:
        return "no significant change"
    return "significant increase" if change > 0 else "significant decrease"


def _pct(k: int, n: int | None) -> float | None:
    return round(100 * k / n, _ROUND) if n else None


def _examples(frame: pd.DataFrame, rows: Rows, weight: npt.NDArray[np.float64]) -> tuple[ThemeExample, ...]:
    """Three texts weighing most on the theme (ties by record id), distinct texts first."""
    picked = frame.iloc[rows][["id", "text"]].assign(_w=-np.round(weight, 9))
    picked = picked.sort_values(["_w", "id", "text"], kind="stable")
    first = picked.drop_duplicates("text")
    chosen = pd.concat([first, picked.drop(first.index)]).head(3)
    return tuple(ThemeExample(str(i), str(t)) for i, t in zip(chosen["id"], chosen["text"]))


def _theme(draft: _Draft, theme_id: str, frame: pd.DataFrame, n_now: int, n_before: int | None, scored: bool) -> Theme:
    count = len(draft.now)
    share = _pct(count, n_now)
    before_count = None if n_before is None else len(draft.before)
    before_share = None if before_count is None else _pct(before_count, n_before)
    change = None if share is None or before_share is None else round(share - before_share, _ROUND)
    p_value = None
    if before_count is not None and n_before:
        p = change_p_value(proportion(count, n_now), proportion(before_count, n_before))
        p_value = None if p is None else float(p)
    dissatisfied_n = dissatisfied_pct = None
    if scored:
        flags = frame["dissatisfied"].iloc[draft.now].dropna().astype(bool)
        dissatisfied_n = len(flags)
        dissatisfied_pct = _pct(int(flags.sum()), dissatisfied_n)
    return Theme(
        id=theme_id,
        language=draft.language,
        label=draft.label,
        terms=draft.terms,
        count=count,
        share_pct=share,
        previous_count=before_count,
        previous_share_pct=before_share,
        change=change,
        p_value=p_value,
        verdict=_verdict(change, p_value),
        examples=_examples(frame, draft.now, draft.weight),
        record_ids=tuple(sorted(str(i) for i in frame["id"].iloc[draft.now])),
        dissatisfied_n=dissatisfied_n,
        dissatisfied_pct=dissatisfied_pct,
    )


def _method(settings: ThemeSettings, languages: Sequence[str]) -> tuple[tuple[str, str], ...]:
    versions = [("scikit-learn", metadata.version("scikit-learn"))]
    if "zh" in languages:
        versions.append(("jieba", metadata.version("jieba")))
    return (
        ("model", "TF-IDF (sublinear tf, smooth idf, l2 rows) + NMF (coordinate descent, Frobenius loss)"),
        ("init", "nndsvd (from one SVD of the corpus: exact, or randomized with the seed above 4 million cells)"),
        ("seed", str(settings.seed)),
        ("fitted_on", "the audited and the previous quarter, each language on its own"),
        (
            "k_rule",
            f"k from {settings.k_min} to min({settings.k_max}, texts/{settings.texts_per_theme}, terms, distinct texts); "
            "the k with the highest mean simplified silhouette of the texts (0 for a text in no theme), the smaller on ties",
        ),
        ("min_df", str(settings.min_df)),
        ("min_weight", str(settings.min_weight)),
        ("min_texts", str(settings.min_texts)),
        ("language", f"zh when at least {settings.zh_share:.0%} of a text's letters are CJK characters, else en"),
        (
            "english_terms",
            f"words of 2+ letters, lower-cased, scikit-learn ENGLISH_STOP_WORDS less {len(ENGLISH_KEPT)} content "
            f"words ({len(english_stop_words())}); a negation joined to the next word",
        ),
        (
            "chinese_terms",
            f"jieba precise mode with HMM, bundled stopwords_zh.txt ({len(chinese_stop_words())}); "
            "a negation joined to the next word",
        ),
        ("trend_test", f"pooled two-proportion z test of the theme's share, significant at p < {SIGNIFICANCE}"),
        *versions,
    )


def find_themes(
    texts: pd.Series,
    ids: pd.Series,
    periods: pd.Series,
    *,
    period: str,
    previous: str | None,
    source: str,
    dissatisfied: pd.Series | None = None,
    settings: ThemeSettings = DEFAULT_SETTINGS,
) -> ThemeSet:
    """The themes of one source's texts in the audited quarter, with their trend and examples.

    Args:
        texts: the free text of each record (blank or missing: counted in ``without_text``).
        ids: each record's id (``complaint_id``, ``response_id``), aligned with ``texts`` by position.
        periods: each record's quarter label (``_period`` of a history frame); rows of other
            quarters than ``period`` and ``previous`` are left out.
        period: the audited quarter, such as ``2026-Q3``.
        previous: the quarter to compare with, or None (no trend is tested).
        source: a key of :data:`audit.model.themes.THEME_SOURCES`.
        dissatisfied: survey comments: whether each respondent is in the bottom box (missing
            when there is no score); gives each theme's share of dissatisfied respondents.
        settings: the method's settings; the defaults are the documented method.

    Returns:
        The themes, largest first. Too little text gives a note and no themes, never an error.

    Raises:
        ValueError: ``source`` is unknown, or the series differ in length.

    Example:
        >>> s = find_themes(frame.description, frame.complaint_id, frame._period,   # doctest: +SKIP
        ...                 period="2026-Q3", previous="2026-Q2", source="complaint_descriptions")
    """
    if source not in THEME_SOURCES:
        raise ValueError(f"unknown theme source {source!r}: one of {', '.join(THEME_SOURCES)}")
    if not len(texts) == len(ids) == len(periods) or (dissatisfied is not None and len(dissatisfied) != len(texts)):
        raise ValueError("texts, ids, periods and dissatisfied must have the same length")
    columns: dict[str, Any] = {
        "text": texts.to_numpy(dtype=object),
        "id": ids.astype(str).to_numpy(dtype=object),
        "period": periods.astype(str).to_numpy(dtype=object),
    }
    scored = dissatisfied is not None
    if dissatisfied is not None:
        columns["dissatisfied"] = pd.array(dissatisfied.to_numpy(dtype=object), dtype="boolean")
    frame = pd.DataFrame(columns)
    frame = frame[frame["period"].isin([period, previous])]
    frame["text"] = frame["text"].where(frame["text"].notna(), "").astype(str).str.strip()
    blank = frame["text"] == ""
    without_text = int((blank & (frame["period"] == period)).sum())
    frame = frame[~blank]
    # one order whatever the input's: the result cannot depend on how rows arrive
    frame = frame.sort_values(["period", "id", "text", *(["dissatisfied"] if scored else [])], kind="stable")
    frame = frame.reset_index(drop=True)
    frame["language"] = language_of(frame["text"], settings.zh_share).to_numpy()
    is_now = (frame["period"] == period).to_numpy()
    n_now = int(is_now.sum())
    n_before = None if previous is None else int((~is_now).sum())
    notes: list[str] = []
    if n_now == 0:
        notes.append(_("no texts in {period}", period=period))
    if previous is not None and n_before == 0:
        notes.append(_("no texts in {period}: changes are not tested", period=previous))
    drafts: list[_Draft] = []
    models: list[ThemeModel] = []
    languages = [lang for lang in LANGUAGES if (frame["language"] == lang).any()]
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    for lang in languages:
        rows = np.flatnonzero(frame["language"].to_numpy() == lang)
        # one BLAS thread: the same sums in the same order every run, and measured 2× faster
        # than OpenBLAS's threads on a shared 2-core machine
        with threadpool_limits(limits=1):
            found, model, said = _language(frame["text"].iloc[rows].tolist(), is_now[rows], lang, settings)
        drafts += [
            _Draft(d.language, d.terms, rows[d.now], rows[d.before], d.weight) for d in found
        ]  # positions within the language → positions in the frame
        models += [model] if model is not None else []
        notes += said
    order = sorted(drafts, key=lambda d: (-len(d.now), d.label, d.language))
    rank = dict.fromkeys(LANGUAGES, 0)
    themes = []
    for draft in order:
        rank[draft.language] += 1
        themes.append(_theme(draft, f"{draft.language}-{rank[draft.language]}", frame, n_now, n_before, scored))
    baseline_n = baseline_pct = None
    if scored:
        flags = frame.loc[is_now, "dissatisfied"].dropna().astype(bool)
        baseline_n, baseline_pct = len(flags), _pct(int(flags.sum()), len(flags))
    by_language = frame.loc[is_now, "language"].value_counts()
    return ThemeSet(
        source=source,
        period=period,
        previous=previous,
        languages=tuple(languages),
        themes=tuple(themes),
        texts=n_now,
        previous_texts=n_before,
        texts_by_language=tuple((lang, int(by_language.get(lang, 0))) for lang in languages),
        without_text=without_text,
        unassigned=n_now - sum(t.count for t in themes),
        models=tuple(models),
        method=_method(settings, languages),
        notes=tuple(notes),
        dissatisfied_n=baseline_n,
        dissatisfied_pct=baseline_pct,
    )


#: what :func:`audit_themes` imports, imported ahead by :func:`prepare`
PREPARED_MODULES = (
    "sklearn.decomposition",
    "sklearn.feature_extraction.text",
    "sklearn.preprocessing",
    "sklearn.utils.extmath",
    "threadpoolctl",
)


def prepare() -> None:
    """The slow start of :func:`audit_themes`, made ahead on the other core by :func:`audit.cycle.open_audit`.

    Importing scikit-learn's parts (0.6–0.8 s, most of it scipy.stats, which scikit-learn
    imports) and loading jieba's dictionary (0.4 s): see :func:`audit.forked.prepare`.
    """
    for module in PREPARED_MODULES:
        importlib.import_module(module)
    load_segmenters()


def audit_themes(data: AuditData, settings: ThemeSettings = DEFAULT_SETTINGS) -> dict[str, ThemeSet]:
    """The themes of every source the audit has: complaint descriptions and root causes, survey comments.

    Survey respondents are dissatisfied when ``overall`` is in the bottom two points of its
    scale, as for the ``dissatisfied_pct`` KPI.

    Example:
        >>> sets = audit_themes(audit.load_audit("audits/demo/2026-Q3"))      # doctest: +SKIP
        >>> sorted(sets)                                                       # doctest: +SKIP
        ['complaint_descriptions', 'complaint_root_causes', 'survey_comments']
    """
    periods = data.periods
    period = periods[-1]
    previous = periods[-2] if len(periods) > 1 else None
    out: dict[str, ThemeSet] = {}
    complaints = data.history.get("complaints")
    if complaints is not None:
        for source, column in (("complaint_descriptions", "description"), ("complaint_root_causes", "root_cause")):
            if column in complaints:
                out[source] = find_themes(
                    complaints[column], complaints["complaint_id"], complaints["_period"],
                    period=period, previous=previous, source=source, settings=settings,
                )  # fmt: skip
    surveys = data.history.get("surveys")
    if surveys is not None and "comment" in surveys:
        dissatisfied = None
        if "overall" in surveys and data.config.data.surveys is not None:
            overall = pd.to_numeric(surveys["overall"], errors="coerce")
            low = data.config.data.surveys.scale_of("overall").min + 1
            dissatisfied = (overall <= low).astype("boolean").mask(overall.isna())
        out["survey_comments"] = find_themes(
            surveys["comment"], surveys["response_id"], surveys["_period"],
            period=period, previous=previous, source="survey_comments", dissatisfied=dissatisfied, settings=settings,
        )  # fmt: skip
    return out
