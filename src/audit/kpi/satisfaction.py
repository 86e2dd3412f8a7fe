"""Survey KPIs: satisfaction, NPS, dimensions, SERVQUAL gaps, CSI, precision and IPA.

Pure functions over the valid survey rows of one period (our column names, see
audit.data.contract). Scores are read on the scale declared per column
(``SurveySource.scale_of``); not-applicable answers arrive as blanks. Formulas:
docs/metrics.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from audit.config import Analysis, Scale, SurveySource
from audit.i18n import _
from audit.kpi.cluster import cluster_labels, clustered
from audit.kpi.stats import Z95, Estimate, Floats, absent, count, mean, nps, nps_parts, proportion
from audit.model import Quadrant

__all__ = [
    "QUADRANTS",
    "Boxes",
    "boxes",
    "csi_scores",
    "importance",
    "importance_problem",
    "ipa",
    "margin_of_error",
    "survey_estimates",
]

#: IPA quadrants by (importance high, performance high) (Martilla & James 1977)
QUADRANTS = {
    (True, False): "concentrate here",
    (True, True): "keep up the good work",
    (False, False): "low priority",
    (False, True): "possible overkill",
}

#: the precision a survey should support, in percentage points (±)
PRECISION_POINTS = 5.0


@dataclass(frozen=True)
class Boxes:
    """Which answers of a scale count as satisfied (top) and dissatisfied (bottom).

    Attributes:
        top: answers at or above it are satisfied.
        bottom: answers at or below it are dissatisfied.
        top_note, bottom_note: how to read the shares when they are not the top-2 and
            bottom-2 boxes ("" when they are).
    """

    top: float
    bottom: float
    top_note: str = ""
    bottom_note: str = ""


def boxes(scale: Scale) -> Boxes:
    """Top and bottom box by the size of the scale (see docs/metrics.md).

    Five points or more: the top two and bottom two points. Three or four points: the top
    and the bottom point only (two of three points would be most of the scale). Two
    points (satisfied / not satisfied): the satisfied and the not-satisfied share.

    Example:
        >>> boxes(Scale(min=1, max=5)).top, boxes(Scale(min=0, max=1)).top_note
        (4, 'a two-point measure: the satisfied share (1 on 0–1)')
    """
    points = scale.max - scale.min + 1
    span = f"{scale.min}–{scale.max}"
    if points >= 5:
        return Boxes(scale.max - 1, scale.min + 1)
    if points >= 3:
        return Boxes(scale.max, scale.min, f"top box: {scale.max} on {span}", f"bottom box: {scale.min} on {span}")
    return Boxes(
        scale.max,
        scale.min,
        f"a two-point measure: the satisfied share ({scale.max} on {span})",
        f"a two-point measure: the not-satisfied share ({scale.min} on {span})",
    )


def _shares(values: Floats, scale: Scale, top_id: str, bottom_id: str | None) -> dict[str, Estimate]:
    """The top-box (and bottom-box) share of the answered values, by the size of the scale."""
    box = boxes(scale)
    n = len(values)
    pairs = [(top_id, values >= box.top, box.top_note)]
    if bottom_id is not None:
        pairs.append((bottom_id, values <= box.bottom, box.bottom_note))
    out = {}
    for kpi_id, hit, note in pairs:
        share = proportion(int(hit.sum()), n)
        out[kpi_id] = share.with_note(note) if note and share.value is not None else share
    return out


def _values(frame: pd.DataFrame, column: str) -> Floats:
    """A score column as floats; all missing when the survey has no such column."""
    if column not in frame:
        return np.full(len(frame), np.nan)
    return frame[column].to_numpy(dtype="float64", na_value=np.nan)


def _correlation(x: Floats, y: Floats) -> float:
    """Pearson's r over the rows where both are present; NaN when either does not vary."""
    both = ~(np.isnan(x) | np.isnan(y))
    if both.sum() < 3:
        return math.nan
    dx, dy = x[both] - x[both].mean(), y[both] - y[both].mean()
    # plain sums, not BLAS dot products: BLAS threads cost more than they save here
    denominator = math.sqrt(float(np.sum(dx * dx)) * float(np.sum(dy * dy)))
    return float(np.sum(dx * dy)) / denominator if denominator > 0 else math.nan


#: a derived importance at or below this is 0: a zero correlation, apart from rounding
_NO_CORRELATION = 1e-9


def importance(frame: pd.DataFrame, source: SurveySource) -> tuple[dict[str, float], str]:
    """Each dimension's importance and how it was obtained.

    Stated: the mean of the importance scores respondents gave (every dimension needs an
    importance column). Derived: Pearson's correlation of the dimension's perception with
    overall satisfaction, negative, undefined or zero (below 1e-9) correlations counted as 0.

    Returns:
        (importance per dimension, ``stated`` or ``derived``).
    """
    names = list(source.dimensions)
    if names and all(n in source.importance for n in names):
        stated = {}
        for name in names:
            scores = _values(frame, f"imp_{name}")
            stated[name] = float(np.nanmean(scores)) if np.isfinite(scores).any() else 0.0
        return stated, "stated"
    overall = _values(frame, "overall")
    derived = {n: _correlation(_values(frame, f"dim_{n}"), overall) for n in names}
    # a correlation of 0 whose sum of products cancels exactly comes out as ±1e-17 or so, by the
    # rows' order: it is 0, not a weight that would count the respondents who answered only it
    return {n: r if r > _NO_CORRELATION else 0.0 for n, r in derived.items()}, "derived"


def importance_problem(weights: dict[str, float], basis: str) -> str:
    """Why importance cannot rank the dimensions, or "" when it can (it varies between them).

    Importance that is the same for every dimension (empty importance columns read as 0,
    or no dimension correlating with overall satisfaction) ranks nothing: an
    importance-weighted index would be a plain mean in disguise and every dimension would
    sit on the IPA's importance line. Such analyses are then not available, with this reason.
    """
    values = [w for w in weights.values() if math.isfinite(w)]
    if len(values) < 2:
        return _("importance needs two or more survey dimensions")
    if max(values) - min(values) > 1e-9:
        return ""
    if basis == "stated":
        return _(
            "the stated importance is the same for every dimension (the importance columns are empty or constant), "
            "so it ranks no dimension above another"
        )
    return _(
        "no dimension's perception correlates with overall satisfaction more than another's, so importance ranks none"
    )


def csi_scores(frame: pd.DataFrame, source: SurveySource, weights: dict[str, float]) -> Floats:
    """Each respondent's importance-weighted index on 0–100 (NaN when no dimension answered).

    Scores are put on 0–1 by their own scale, weighted, and divided by the weights of the
    dimensions the respondent answered.
    """
    names = list(weights)
    w = np.array([weights[n] for n in names], dtype="float64")
    if w.sum() <= 0:
        w = np.ones(len(names))
    columns = []
    for name in names:
        scale = source.scale_of(f"dim_{name}")
        columns.append((_values(frame, f"dim_{name}") - scale.min) / (scale.max - scale.min))
    scaled = np.column_stack(columns) if columns else np.empty((len(frame), 0))
    answered = ~np.isnan(scaled)
    numerator = (np.where(answered, scaled, 0.0) * w).sum(axis=1)
    denominator = (answered * w).sum(axis=1)
    out = np.full(len(frame), np.nan)
    np.divide(100 * numerator, denominator, out=out, where=denominator > 0)
    return out


def margin_of_error(n: int, population: int | None) -> Estimate:
    """Worst-case (p = 50%) 95% margin of error of a percentage from n responses, in points.

    With the customer base N known, the finite-population correction √((N − n)/(N − 1))
    applies (Cochran 1977 §4.4). The note says whether the sample supports ±5 points.
    """
    if n == 0:
        return absent(_("no responses in the period"))
    fpc = 1.0
    if population is not None:
        fpc = math.sqrt(max(population - n, 0) / (population - 1)) if population > 1 else 0.0
    moe = 100 * Z95 * math.sqrt(0.25 / n) * fpc
    n0 = (Z95 / (PRECISION_POINTS / 100)) ** 2 * 0.25
    needed = math.ceil(n0 / (1 + (n0 - 1) / population) if population else n0)
    points = f"{PRECISION_POINTS:g}"
    if moe <= PRECISION_POINTS:
        note = _("supports ±{points} points", points=points)
    else:
        note = _("does not support ±{points} points: {needed} responses needed", points=points, needed=f"{needed:,}")
    if population:
        note += _("; customer base {population}, finite-population corrected", population=f"{population:,}")
    return Estimate(moe, n, note=note)


def survey_estimates(
    frame: pd.DataFrame, source: SurveySource, analysis: Analysis, *, sent: int | None
) -> dict[str, Estimate]:
    """responses, response_rate_pct, csat_mean, csat_top2_pct, dissatisfied_pct, nps, csi,
    margin_of_error_pct, per dimension its mean perception and SERVQUAL gap, and with a
    ``repurchase`` column repurchase_intent_mean and repurchase_intent_pct.

    Each KPI's n is the number of responses that answered its question (item
    non-response leaves a response out of that KPI only). Top and bottom boxes follow
    the size of the scale (:func:`boxes`).

    Args:
        frame: the period's valid survey rows.
        source: the survey's configuration (scales, dimensions, importance).
        analysis: analysis settings (customer base for the finite-population correction).
        sent: questionnaires sent in the period, if known.
    """
    overall = _values(frame, "overall")
    overall = overall[~np.isnan(overall)]
    n = len(overall)
    scale = source.scale_of("overall")
    out = {"responses": count(len(frame))}
    if sent:
        out["response_rate_pct"] = proportion(min(len(frame), sent), sent)
    else:
        out["response_rate_pct"] = absent(_("the number of questionnaires sent is not given (data.surveys.sent)"))
    if "overall" in frame:
        out["csat_mean"] = mean(overall)
        out |= _shares(overall, scale, "csat_top2_pct", "dissatisfied_pct")
    else:
        for kpi_id in ("csat_mean", "csat_top2_pct", "dissatisfied_pct"):
            out[kpi_id] = absent(_("the survey has no overall satisfaction column (data.surveys.columns.overall)"))
    recommend = source.scale_of("recommend")
    if "recommend" not in frame:
        out["nps"] = absent(_("the survey has no recommend (likelihood to recommend) column"))
    elif (recommend.min, recommend.max) != (0, 10):
        out["nps"] = absent(
            _(
                "the NPS needs a 0–10 recommend scale; the declared one is {low}–{high}",
                low=recommend.min,
                high=recommend.max,
            )
        )
    else:
        out["nps"] = nps(_values(frame, "recommend"))
    if "repurchase" in frame:
        again = _values(frame, "repurchase")
        again = again[~np.isnan(again)]
        out["repurchase_intent_mean"] = mean(again)
        out |= _shares(again, source.scale_of("repurchase"), "repurchase_intent_pct", None)
    for name in source.dimensions:
        perceived = _values(frame, f"dim_{name}")
        out[f"dimension_{name}_mean"] = mean(perceived)
        if name in source.expectations:
            gap = mean(perceived - _values(frame, f"exp_{name}"))
            out[f"gap_{name}"] = gap if gap.value is not None else gap.with_note(_("no response with both scores"))
    if source.dimensions:
        weights, basis = importance(frame, source)
        note = (
            _("importance as stated by respondents")
            if basis == "stated"
            else _("importance derived from each dimension's correlation with overall satisfaction")
        )
        problem = importance_problem(weights, basis) if len(frame) else ""
        csi = mean(csi_scores(frame, source, weights))
        out["csi"] = absent(problem) if problem else csi.with_note(note) if csi.value is not None else csi
    else:
        out["csi"] = absent(_("no survey dimensions are declared (data.surveys.dimensions)"))
    answered = n if "overall" in frame else int((~np.isnan(_values(frame, "recommend"))).sum())
    out["margin_of_error_pct"] = margin_of_error(answered, analysis.customer_base)
    return _by_customer(out, frame, source)


def _by_customer(out: dict[str, Estimate], frame: pd.DataFrame, source: SurveySource) -> dict[str, Estimate]:
    """The survey estimates widened for several responses per customer (:mod:`audit.kpi.cluster`).

    Each statistic's per-response values are the ones it was computed from above: the
    overall score, the top- and bottom-box indicators, the NPS coding (+1, 0, −1), each
    dimension's perception, its gap, and the CSI score.
    """
    if "customer_id" not in frame or frame.empty:
        return out
    labels = cluster_labels(frame["customer_id"].to_numpy(dtype=object))  # once for every estimate
    overall = _values(frame, "overall")
    scale = source.scale_of("overall")
    answered = ~np.isnan(overall)
    per: dict[str, Floats] = {
        "csat_mean": overall,
        "csat_top2_pct": np.where(answered, overall >= scale.max - 1, np.nan),
        "dissatisfied_pct": np.where(answered, overall <= scale.min + 1, np.nan),
    }
    recommend = _values(frame, "recommend")
    promoters, detractors = nps_parts(recommend)
    per["nps"] = np.where(np.isnan(recommend), np.nan, promoters.astype(float) - detractors.astype(float))
    for name in source.dimensions:
        perceived = _values(frame, f"dim_{name}")
        per[f"dimension_{name}_mean"] = perceived
        per[f"gap_{name}"] = perceived - _values(frame, f"exp_{name}")
    if source.dimensions and out.get("csi", absent("")).value is not None:
        per["csi"] = csi_scores(frame, source, importance(frame, source)[0])
    return {k: clustered(est, per[k], labels) if k in per else est for k, est in out.items()}


def ipa(frame: pd.DataFrame, source: SurveySource) -> tuple[tuple[Quadrant, ...], str]:
    """Importance–performance analysis: each dimension in its quadrant.

    Importance as in :func:`importance`; performance is the mean perception on 0–100 of
    its scale. The quadrants are split at the means over the dimensions (data-centred,
    Bacon 2003); a dimension on a split line counts as high.

    Returns:
        (one quadrant per dimension with data, the importance basis).
    """
    if not source.dimensions or frame.empty:
        return (), ""
    weights, basis = importance(frame, source)
    if importance_problem(weights, basis):
        return (), basis
    rows = []
    for name in source.dimensions:
        s = source.scale_of(f"dim_{name}")
        values = _values(frame, f"dim_{name}")
        if np.isnan(values).all():
            continue
        rows.append((name, weights[name], 100 * (float(np.nanmean(values)) - s.min) / (s.max - s.min)))
    if not rows:
        return (), basis
    imp_cut = float(np.mean([r[1] for r in rows]))
    perf_cut = float(np.mean([r[2] for r in rows]))
    quadrants = tuple(
        Quadrant(name, imp, perf, QUADRANTS[(imp >= imp_cut - 1e-12, perf >= perf_cut - 1e-12)])
        for name, imp, perf in rows
    )
    return quadrants, basis
