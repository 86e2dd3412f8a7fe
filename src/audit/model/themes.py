"""Themes in free text (complaint descriptions, root causes, survey comments), as found by :mod:`audit.kpi.themes`.

A :class:`ThemeSet` is one source's themes for the audited quarter, each language analysed on
its own; a :class:`Theme` is one group of texts that share their words, with its trend against
the previous quarter. How they are found is in docs/metrics.md ("Themes in free text").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from audit import format as fmt
from audit.model._plain import from_plain, plain_dict, plain_fields

if TYPE_CHECKING:
    import pandas as pd

    from audit.model.drilldown import RecordSource

__all__ = ["THEME_SOURCES", "THEME_VERDICTS", "Theme", "ThemeExample", "ThemeModel", "ThemeSet", "ThemeSets"]

#: the texts themes are found in: source id → the column it is read from
THEME_SOURCES: dict[str, str] = {
    "complaint_descriptions": "complaints.description",
    "complaint_root_causes": "complaints.root_cause",
    "survey_comments": "surveys.comment",
}
#: verdicts on a theme's change of share from the previous quarter
THEME_VERDICTS = ("significant increase", "significant decrease", "no significant change", "not tested")


@dataclass(frozen=True)
class ThemeExample:
    """One text of a theme, with the record it comes from (``complaint_id`` or ``response_id``)."""

    record_id: str
    text: str


@dataclass(frozen=True)
class Theme:
    """A theme: texts of one language whose words go together, in the audited quarter.

    Attributes:
        id: ``en-1``, ``zh-1`` … (language, then rank within the language), stable within a run.
        language: ``en`` or ``zh``.
        label: the theme's three strongest terms, in the texts' language.
        terms: up to ten (term, weight) pairs, strongest first; weights on the theme's unit-length
            term vector, rounded to 4 decimals.
        count: texts of the audited quarter whose dominant theme this is.
        share_pct: ``count`` as a share of all the quarter's texts with text (every language).
        previous_count, previous_share_pct: the same for the previous quarter (None when there is none).
        change: ``share_pct`` − ``previous_share_pct`` in percentage points.
        p_value: two-sided p-value of the change (pooled two-proportion z test).
        verdict: one of :data:`THEME_VERDICTS` (significant at p < 0.05).
        examples: up to three texts of the quarter that weigh most on the theme, distinct texts first.
        record_ids: every record of the audited quarter in the theme, sorted (kept in the kernel
            for the drill-down, not in results.json, which has ``count`` and ``examples``).
        dissatisfied_n: survey comments only: respondents in the theme with an overall score.
        dissatisfied_pct: survey comments only: share of them in the bottom box (dissatisfied).
    """

    id: str
    language: str
    label: str
    terms: tuple[tuple[str, float], ...]
    count: int
    share_pct: float | None
    previous_count: int | None
    previous_share_pct: float | None
    change: float | None
    p_value: float | None
    verdict: str
    examples: tuple[ThemeExample, ...]
    record_ids: tuple[str, ...] = ()
    dissatisfied_n: int | None = None
    dissatisfied_pct: float | None = None

    @property
    def growing(self) -> bool:
        """Whether the theme's share rose significantly since the previous quarter."""
        return self.verdict == "significant increase"

    def __repr__(self) -> str:
        """A line, not its record ids (a notebook keeps the text beside the table)."""
        return f"<Theme {self.id} {self.label!r}: {fmt.count(self.count)} texts, {self.verdict}>"

    def _repr_html_(self) -> str:
        from audit.report.tables import theme_html

        return theme_html(self)

    def to_dict(self) -> dict[str, Any]:
        """The theme as written to results.json (without ``record_ids``: counts and examples suffice)."""
        data = plain_fields(self, leave_out=("record_ids",))
        data["terms"] = [{"term": t, "weight": w} for t, w in self.terms]
        data["growing"] = self.growing
        return plain_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Theme:
        """The theme from :meth:`to_dict` data (its ``record_ids`` are not kept there)."""
        plain = {k: v for k, v in data.items() if k not in {"growing", "record_ids"}}
        plain["terms"] = [[t["term"], t["weight"]] for t in data.get("terms", ())]
        return from_plain(cls, plain)


@dataclass(frozen=True)
class ThemeModel:
    """How one language's themes were found, so that the result can be traced and repeated.

    Attributes:
        language: ``en`` or ``zh``.
        texts_fitted: texts the model was fitted on (the audited and the previous quarter).
        vocabulary: terms kept (in at least ``min_df`` texts).
        k: themes chosen.
        candidates: (k, mean simplified silhouette of the texts) for every k tried; the best was chosen.
        iterations: NMF iterations run for the chosen k.
        reconstruction_error: NMF's Frobenius reconstruction error for the chosen k.
    """

    language: str
    texts_fitted: int
    vocabulary: int
    k: int
    candidates: tuple[tuple[int, float], ...]
    iterations: int
    reconstruction_error: float

    def to_dict(self) -> dict[str, Any]:
        data = plain_fields(self)
        data["candidates"] = [{"k": k, "silhouette": c} for k, c in self.candidates]
        return plain_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ThemeModel:
        candidates = [[c["k"], c["silhouette"]] for c in data.get("candidates", ())]
        return from_plain(cls, {**data, "candidates": candidates})


@dataclass(frozen=True)
class ThemeSet:
    """One source's themes in the audited quarter, largest first.

    Attributes:
        source: a key of :data:`THEME_SOURCES`.
        period, previous: the audited quarter and the one compared with (None when there is none).
        languages: languages that had texts in the two quarters, ``en`` before ``zh``.
        themes: largest first (count in the audited quarter, ties by label).
        texts: texts with text in the audited quarter (the denominator of ``share_pct``).
        previous_texts: the same for the previous quarter (None when there is none).
        texts_by_language: the audited quarter's texts per language.
        without_text: records of the audited quarter with a blank text.
        unassigned: texts of the audited quarter in no theme (no term of the vocabulary, a weight
            below the threshold, or a language with too little text).
        dissatisfied_n, dissatisfied_pct: survey comments only: bottom-box share among all the
            quarter's commenters with a score, the baseline for each theme's share.
        models: one per language analysed.
        method: the settings every model used (seed, vectoriser, thresholds, package versions).
        notes: what a reader should know (too little text, a model that did not converge…).
    """

    source: str
    period: str
    previous: str | None
    languages: tuple[str, ...]
    themes: tuple[Theme, ...]
    texts: int
    previous_texts: int | None
    texts_by_language: tuple[tuple[str, int], ...]
    without_text: int
    unassigned: int
    models: tuple[ThemeModel, ...]
    method: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    dissatisfied_n: int | None = None
    dissatisfied_pct: float | None = None

    def __getitem__(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    def of_language(self, language: str) -> tuple[Theme, ...]:
        """The themes of one language, largest first."""
        return tuple(t for t in self.themes if t.language == language)

    @property
    def growing(self) -> tuple[Theme, ...]:
        """Themes whose share rose significantly since the previous quarter."""
        return tuple(t for t in self.themes if t.growing)

    def __repr__(self) -> str:
        """A line, not every theme's record ids (a notebook keeps the text beside the table)."""
        return f"<ThemeSet {self.source} {self.period}: {len(self.themes)} themes over {fmt.count(self.texts)} texts>"

    def _repr_html_(self) -> str:
        from audit.report.tables import themes_html

        return themes_html(self)

    def to_dict(self) -> dict[str, Any]:
        """The theme set as written to results.json."""
        return plain_dict(
            {
                "source": self.source,
                "period": self.period,
                "previous": self.previous,
                "languages": list(self.languages),
                "themes": [t.to_dict() for t in self.themes],
                "texts": self.texts,
                "previous_texts": self.previous_texts,
                "texts_by_language": dict(self.texts_by_language),
                "without_text": self.without_text,
                "unassigned": self.unassigned,
                "dissatisfied_n": self.dissatisfied_n,
                "dissatisfied_pct": self.dissatisfied_pct,
                "models": [m.to_dict() for m in self.models],
                "method": dict(self.method),
                "notes": list(self.notes),
            }
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ThemeSet:
        """The theme set from :meth:`to_dict` data (results.json).

        Raises:
            KeyError, TypeError, ValueError: the data is not a theme set.
        """
        return cls(
            source=str(data["source"]),
            period=str(data["period"]),
            previous=None if data.get("previous") is None else str(data["previous"]),
            languages=tuple(str(x) for x in data.get("languages", ())),
            themes=tuple(Theme.from_dict(t) for t in data.get("themes", ())),
            texts=int(data["texts"]),
            previous_texts=None if data.get("previous_texts") is None else int(data["previous_texts"]),
            texts_by_language=tuple((str(k), int(v)) for k, v in (data.get("texts_by_language") or {}).items()),
            without_text=int(data.get("without_text", 0)),
            unassigned=int(data.get("unassigned", 0)),
            models=tuple(ThemeModel.from_dict(m) for m in data.get("models", ())),
            method=tuple((str(k), str(v)) for k, v in (data.get("method") or {}).items()),
            notes=tuple(str(x) for x in data.get("notes", ())),
            dissatisfied_n=None if data.get("dissatisfied_n") is None else int(data["dissatisfied_n"]),
            dissatisfied_pct=None if data.get("dissatisfied_pct") is None else float(data["dissatisfied_pct"]),
        )


class ThemeSets(dict[str, ThemeSet]):
    """The theme sets of an audit by source (``kpis.themes``); shows every source's themes in JupyterLab.

    In the kernel it knows where the records are: ``kpis.themes.records("survey_comments", "en-1")``
    is every record of a theme, with its file and Excel row.
    """

    source: RecordSource | None = None

    def records(self, source: str, theme_id: str) -> pd.DataFrame:
        """Every record of one theme in the audited quarter (empty when the data is not at hand).

        Raises:
            KeyError: no such source or theme.
        """
        import pandas as pd

        theme = self[source][theme_id]
        found = self.source.rows(theme.record_ids) if self.source is not None and theme.record_ids else None
        return found[1] if found is not None else pd.DataFrame()

    def __repr__(self) -> str:
        """A line, not every theme's record ids (a notebook keeps the text beside the table)."""
        return "<ThemeSets: " + (", ".join(f"{k} {len(s.themes)} themes" for k, s in self.items()) or "none") + ">"

    def _repr_html_(self) -> str:
        from audit.report.tables import theme_sets_html

        return theme_sets_html(self)
