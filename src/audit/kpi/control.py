"""Pareto analysis and control charts: the u-chart of complaints per order, the p-chart of proportions.

Complaints per order are counts of events per unit of exposure: an order can draw more
than one complaint, so the count may exceed the orders and the binomial p-chart does not
apply; the Poisson u-chart does (Montgomery 2019 §7.3.3). The p-chart stays for true
proportions (a share of units, each counted once).

Example:
    >>> items = pareto(pd.Series({"Late": 6, "Defect": 3, "Invoice": 1}))
    >>> [(i.label, i.vital) for i in items]
    [('Late', True), ('Defect', True), ('Invoice', False)]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from audit.i18n import N_, _
from audit.model import ControlChart, ControlPoint, ParetoItem

__all__ = ["MIN_BASELINE", "SIGMAS", "VITAL_SHARE", "p_chart", "pareto", "u_chart"]

#: the vital few make up this share of the total (Juran's 80/20)
VITAL_SHARE = 80.0
#: control limits at this many standard deviations (Shewhart)
SIGMAS = 3.0
#: fewest subgroups before the audited period for the centre line to come from them alone
MIN_BASELINE = 3


def pareto(counts: pd.Series) -> tuple[ParetoItem, ...]:
    """Categories largest first with their share and cumulative share, in %.

    The vital few are the categories up to and including the one that takes the
    cumulative share to 80%. Ties are ordered by label, so row order never matters.

    Args:
        counts: count (or value) per category; zero and negative entries are left out.
    """
    counts = counts[counts > 0]
    if counts.empty:
        return ()
    counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    total = float(counts.sum())
    cumulative = 100 * counts.cumsum() / total
    before = cumulative.shift(fill_value=0.0)
    return tuple(
        ParetoItem(str(label), float(v), 100 * float(v) / total, float(c), bool(b < VITAL_SHARE - 1e-9))
        for label, v, c, b in zip(counts.index, counts.to_numpy(), cumulative.to_numpy(), before.to_numpy())
    )


def _subgroup_counts(dates: pd.Series, freq: str) -> pd.Series:
    """How many dates fall in each month (``2026-08``) or ISO week (``2026-W33``), by sortable label."""
    if freq == "M":
        months = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[M]").astype(np.int64)
        counts = pd.Series(months).value_counts()  # counted on integers; only the labels become text
        labels = np.datetime_as_string(counts.index.to_numpy().astype("datetime64[M]"), unit="M")
        return pd.Series(counts.to_numpy(), index=labels)
    iso = dates.dt.isocalendar()
    labels = iso["year"].astype("string") + "-W" + iso["week"].astype("string").str.zfill(2)
    return pd.Series(labels.value_counts())


def p_chart(
    events: pd.Series, exposure: pd.Series, period_start: pd.Timestamp, *, freq: str = "M", title: str = ""
) -> ControlChart | None:
    """A p-chart of a proportion (units with the attribute among the units) by month or week.

    Each subgroup's proportion is k/n; the centre line p̄ is the pooled proportion Σk/Σn of
    the subgroups before ``period_start`` (all subgroups when fewer than three precede it),
    and the limits p̄ ± 3·√(p̄(1 − p̄)/n) vary with each subgroup's n (Montgomery 2019 §7.2).
    Only for proportions: each event must be a distinct unit of the exposure (use
    :func:`u_chart` for events per unit). Reported per 1000 units.

    Args:
        events: the date of each unit with the attribute, one per unit.
        exposure: the date of each unit, one per unit.
        period_start: first day of the audited period.
        freq: ``M`` (months) or ``W`` (ISO weeks).
        title: what is charted.

    Returns:
        The chart over the subgroups both series cover, or None when none has exposure.
    """
    return _chart("p", events, exposure, period_start, freq, title)


def u_chart(
    events: pd.Series, exposure: pd.Series, period_start: pd.Timestamp, *, freq: str = "M", title: str = ""
) -> ControlChart | None:
    """A u-chart of events per unit of exposure (complaints per order) by month or week.

    Each subgroup's rate is u = c/n (c events over n units); the centre line ū is the pooled
    rate Σc/Σn of the subgroups before ``period_start`` (all subgroups when fewer than three
    precede it), and the limits ū ± 3·√(ū/n) vary with each subgroup's n, the lower one
    floored at 0 (Poisson counts; Montgomery 2019 §7.3.3). Rates and limits are reported
    per 1000 units of exposure.

    Args:
        events: the date of each event (complaint received), one per event.
        exposure: the date of each unit of exposure (order placed), one per unit.
        period_start: first day of the audited period.
        freq: ``M`` (months) or ``W`` (ISO weeks).
        title: what is charted.

    Returns:
        The chart over the subgroups both series cover, or None when none has exposure.

    Example:
        >>> chart = u_chart(complaints["received_on"], orders["ordered_on"], start)   # doctest: +SKIP
        >>> chart.kind                                                                # doctest: +SKIP
        'u'
    """
    return _chart("u", events, exposure, period_start, freq, title)


def _chart(
    kind: str, events: pd.Series, exposure: pd.Series, period_start: pd.Timestamp, freq: str, title: str
) -> ControlChart | None:
    if freq not in ("M", "W"):
        raise ValueError(f"freq must be 'M' or 'W', not {freq!r}")
    events, exposure = events.dropna(), exposure.dropna()
    if events.empty or exposure.empty:
        return None
    first = max(events.min(), exposure.min())  # before it, one of the files does not cover the time
    k = _subgroup_counts(events.loc[events >= first], freq)
    n = _subgroup_counts(exposure.loc[exposure >= first], freq)
    table = pd.DataFrame({"k": k, "n": n}).fillna(0).sort_index()
    table = table.loc[table["n"] > 0]
    if table.empty:
        return None
    start_label = str(_subgroup_counts(pd.Series([period_start]), freq).index[0])
    baseline = table.loc[table.index < start_label]
    before = len(baseline) >= MIN_BASELINE
    if not before:
        baseline = table
    centre = float(baseline["k"].sum() / baseline["n"].sum())
    spread = centre if kind == "u" else centre * (1 - centre)
    sigma = np.sqrt(max(spread, 0.0) / table["n"].to_numpy())
    rate = table["k"].to_numpy() / table["n"].to_numpy()
    ucl = centre + SIGMAS * sigma
    lcl = np.clip(centre - SIGMAS * sigma, 0.0, None)
    signal = np.where(rate > ucl, "above", np.where(rate < lcl, "below", ""))
    points = tuple(
        ControlPoint(str(label), int(kk), int(nn), 1000 * float(r), 1000 * float(lo), 1000 * float(hi), str(s))
        for label, kk, nn, r, lo, hi, s in zip(
            table.index, table["k"].to_numpy(), table["n"].to_numpy(), rate, lcl, ucl, signal
        )
    )
    return ControlChart(title, "per 1000", 1000 * centre, _(_BASIS[(kind == "u", before)]), points, kind)


#: the centre line's basis in words, by (a u-chart, from the subgroups before the period)
_BASIS = {
    (True, True): N_("pooled rate of the subgroups before the audited period"),
    (True, False): N_("pooled rate of all subgroups shown"),
    (False, True): N_("pooled proportion of the subgroups before the audited period"),
    (False, False): N_("pooled proportion of all subgroups shown"),
}
