"""Estimates with their uncertainty, and tests of change between two periods.

Every estimator returns an :class:`Estimate` that carries what a test of change needs
(successes, standard deviation, the sample for quantiles). Formulas and their sources
are listed in docs/metrics.md.

Example:
    >>> est = proportion(7, 10)
    >>> round(est.value, 1), round(est.ci_low, 1), round(est.ci_high, 1)
    (70.0, 39.7, 89.2)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "SIGNIFICANCE",
    "VERDICTS",
    "Z95",
    "Estimate",
    "absent",
    "binomial_two_sided",
    "change_p_value",
    "compound_rate",
    "count",
    "mean",
    "median",
    "nps",
    "proportion",
    "quantile",
    "rate",
    "verdict",
    "wilson",
]

Z95 = 1.959963984540054
#: a change is called significant below this two-sided p-value
SIGNIFICANCE = 0.05

Floats = npt.NDArray[np.floating[Any]]


@dataclass(frozen=True)
class Estimate:
    """A KPI value with what is needed to judge it and to test its change.

    Attributes:
        value: the estimate (percentages on 0–100), or None when it cannot be computed.
        n: observations behind the value.
        ci_low, ci_high: 95% confidence interval, when the value is a statistic.
        se: standard error of the value, on the value's own scale.
        test: how a change is tested: ``proportion`` (two-proportion z), ``rate``
            (two Poisson rates, conditional binomial), ``count`` (two Poisson counts over
            equal periods), ``mean`` (Welch t), ``se`` (z from standard errors, NPS),
            ``quantile`` (share above the pooled quantile, Mood's median test) or ``none``.
        k: successes (proportions) or events (rates, counts).
        sd: sample standard deviation, for means.
        q: the quantile level, for quantiles.
        sample: the observations, for quantile tests (not compared, not serialised).
        note: how to read the value, or why it is absent.
        deff: design effect of responses clustered by customer (1: independent observations;
            see :mod:`audit.kpi.cluster`); tests of change use the effective sample size n / deff.
        clusters: customers the responses came from (0 when not clustered).
    """

    value: float | None
    n: int
    ci_low: float | None = None
    ci_high: float | None = None
    se: float | None = None
    test: str = "none"
    k: int = 0
    sd: float | None = None
    q: float = 0.5
    sample: Floats | None = field(default=None, compare=False, repr=False)
    note: str = ""
    deff: float = 1.0
    clusters: int = 0

    def with_note(self, note: str) -> Estimate:
        """The same estimate with a note on how to read it."""
        return replace(self, note=note)


def _bracketed(est: Estimate) -> Estimate:
    """The estimate with its interval widened, if rounding left it outside, to contain the value."""
    if est.value is None or est.ci_low is None or est.ci_high is None:
        return est
    return replace(est, ci_low=min(est.ci_low, est.value), ci_high=max(est.ci_high, est.value))


def absent(reason: str) -> Estimate:
    """A KPI that cannot be computed, with the reason (never a silent 0)."""
    return Estimate(None, 0, note=reason)


def count(n: int) -> Estimate:
    """A count of events in the period; changes are tested as two Poisson counts."""
    return Estimate(float(n), int(n), test="count", k=int(n))


def wilson(k: npt.ArrayLike, n: npt.ArrayLike) -> tuple[Floats, Floats]:
    """Wilson score 95% interval of k/n, as fractions; vectorised (Wilson 1927).

    Returns NaN bounds where n is 0.
    """
    k_arr = np.asarray(k, dtype="float64")
    n_arr = np.asarray(n, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k_arr / n_arr
        z2 = Z95 * Z95
        centre = (p + z2 / (2 * n_arr)) / (1 + z2 / n_arr)
        half = Z95 * np.sqrt(p * (1 - p) / n_arr + z2 / (4 * n_arr * n_arr)) / (1 + z2 / n_arr)
        low = np.clip(centre - half, 0.0, None)
        high = np.clip(centre + half, None, 1.0)
    # the interval always contains p; rounding must not push a bound past it
    return np.minimum(low, p), np.maximum(high, p)


def proportion(k: int, n: int) -> Estimate:
    """A percentage k/n × 100 with its Wilson score 95% interval (Wilson 1927)."""
    if n <= 0:
        return Estimate(None, 0)
    p = k / n
    low, high = wilson(k, n)
    return _bracketed(
        Estimate(
            100 * p, n, 100 * float(low), 100 * float(high),
            se=100 * math.sqrt(p * (1 - p) / n), test="proportion", k=int(k),
        )
    )  # fmt: skip


def rate(k: int, n: float, per: float) -> Estimate:
    """Events per ``per`` units of exposure (complaints per 1000 orders, units per million).

    The interval is the exact Poisson interval of k (Garwood 1936) over the exposure n.
    """
    if n <= 0:
        return Estimate(None, 0)
    from scipy.special import gammaincinv

    low = 0.0 if k == 0 else float(gammaincinv(k, 0.025))
    high = float(gammaincinv(k + 1, 0.975))
    scale = per / n
    return _bracketed(
        Estimate(k * scale, int(n), low * scale, high * scale, se=math.sqrt(k) * scale, test="rate", k=int(k))
    )


def compound_rate(sizes: Floats, n: float, per: float) -> Estimate:
    """Units per ``per`` units of exposure when the units come in events of several (returned units).

    The events are Poisson and each brings ``size`` units (a compound Poisson total), so
    Var(Σ size) is estimated by Σ size²; the 95% interval is the normal one, floored at 0.
    Changes are tested with the two standard errors.
    """
    sizes = sizes[~np.isnan(sizes)]
    if n <= 0:
        return Estimate(None, 0)
    value = per * float(sizes.sum()) / n
    se = per * math.sqrt(float(np.sum(sizes * sizes))) / n
    return _bracketed(
        Estimate(value, int(n), max(0.0, value - Z95 * se), value + Z95 * se, se=se, test="se", k=len(sizes))
    )


def mean(values: Floats) -> Estimate:
    """The mean with a Student t 95% interval (no interval when n < 2)."""
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return Estimate(None, 0)
    m = float(values.mean())
    if n < 2:
        return Estimate(m, n, test="mean")
    from scipy.special import stdtrit

    sd = float(values.std(ddof=1))
    se = sd / math.sqrt(n)
    half = float(stdtrit(n - 1, 0.975)) * se
    return _bracketed(Estimate(m, n, m - half, m + half, se=se, test="mean", sd=sd))


#: the NPS convention (Reichheld 2003): promoters answer 9–10, detractors 0–6, passives between
PROMOTER_MIN = 9
DETRACTOR_MAX = 6


def nps_parts(recommend: Floats) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Which answers are promoters and which detractors (see :data:`PROMOTER_MIN`)."""
    return recommend >= PROMOTER_MIN, recommend <= DETRACTOR_MAX


def nps(recommend: Floats) -> Estimate:
    """Net Promoter Score on 0–10 answers: % promoters (9–10) − % detractors (0–6).

    The standard error comes from coding promoters +1, passives 0, detractors −1:
    SE = 100·sqrt((p + d − (p − d)²) / n), the standard deviation of that coding over √n.
    """
    recommend = recommend[~np.isnan(recommend)]
    n = len(recommend)
    if n == 0:
        return Estimate(None, 0)
    promoters, detractors = nps_parts(recommend)
    p, d = float(np.mean(promoters)), float(np.mean(detractors))
    score = 100 * (p - d)
    se = 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    return _bracketed(Estimate(score, n, max(-100.0, score - Z95 * se), min(100.0, score + Z95 * se), se=se, test="se"))


def quantile(values: Floats, q: float) -> Estimate:
    """The q-quantile (linear interpolation) with a distribution-free 95% interval.

    The interval runs between the order statistics whose ranks are n·q ∓ 1.96·√(n·q·(1−q))
    (the binomial method, Conover 1999 §3.2); none when n < 2.
    """
    values = np.sort(values[~np.isnan(values)])
    n = len(values)
    if n == 0:
        return Estimate(None, 0)
    value = float(np.quantile(values, q))
    if n < 2:
        return Estimate(value, n, test="quantile", q=q, sample=values)
    spread = Z95 * math.sqrt(n * q * (1 - q))
    lower = max(math.floor(n * q - spread), 1)
    upper = min(math.ceil(n * q + spread) + 1, n)
    return _bracketed(
        Estimate(value, n, float(values[lower - 1]), float(values[upper - 1]), test="quantile", q=q, sample=values)
    )


def median(values: Floats) -> Estimate:
    """The median with its distribution-free 95% interval; see :func:`quantile`."""
    return quantile(values, 0.5)


def _normal_two_sided(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def _two_proportions(k1: float, n1: float, k2: float, n2: float) -> float | None:
    """Pooled two-proportion z test; None when there is no variation."""
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return None
    return _normal_two_sided((k1 / n1 - k2 / n2) / se)


def _conditional_poisson(k1: int, k2: int, share: float) -> float | None:
    """Two Poisson counts: k1 given k1 + k2 is binomial with the first exposure's ``share``.

    Exact two-sided binomial test (Przyborowski & Wilenski 1940).
    """
    if k1 + k2 == 0:
        return None
    return binomial_two_sided(k1, k1 + k2, share)


def binomial_two_sided(k: int, n: int, p: float) -> float:
    """Exact two-sided binomial test: the probability of the outcomes no likelier than ``k``.

    The method of ``scipy.stats.binomtest(k, n, p).pvalue`` (outcomes within a relative 1e-7
    of ``k``'s probability count as no likelier; the other side's bound found by bisection),
    from ``scipy.special``: importing ``scipy.stats`` costs 0.8 s, more than all the KPIs of the
    demo. It agrees with ``binomtest`` to 1e-9 (tests/test_kpi_units.py).

    Example:
        >>> round(binomial_two_sided(2, 10, 0.5), 6)   # P(X <= 2) + P(X >= 8)
        0.109375
    """
    from scipy.special import bdtr, bdtrc, gammaln, xlog1py, xlogy

    def pmf(x: int) -> float:
        return math.exp(gammaln(n + 1) - gammaln(x + 1) - gammaln(n - x + 1) + xlogy(x, p) + xlog1py(n - x, -p))

    def last_at_most(f: Callable[[int], float], d: float, lo: int, hi: int) -> int:
        """The last x of lo..hi with f(x) <= d, f ascending over them (lo - 1: none)."""
        while lo < hi:
            mid = lo + (hi - lo) // 2
            value = f(mid)
            if value < d:
                lo = mid + 1
            elif value > d:
                hi = mid - 1
            else:
                return mid
        return lo if f(lo) <= d else lo - 1

    bound = pmf(k) * (1 + 1e-7)
    if k == p * n:
        return 1.0
    if k < p * n:  # k's tail and the outcomes above the mode no likelier than k
        ix = last_at_most(lambda x: -pmf(x), -bound, math.ceil(p * n), n)
        above = n - ix + int(bound == pmf(ix))
        return min(1.0, float(bdtr(k, n, p) + bdtrc(n - above, n, p)))
    ix = last_at_most(pmf, bound, 0, math.floor(p * n))
    return min(1.0, float((bdtr(ix, n, p) if ix >= 0 else 0.0) + bdtrc(k - 1, n, p)))


def change_p_value(now: Estimate, before: Estimate) -> float | None:
    """Two-sided p-value of the change from ``before`` to ``now``.

    Proportions: pooled two-proportion z test. Rates and counts: conditional binomial test
    of two Poisson counts. Means: Welch's t test. NPS: z from the two standard errors.
    Quantiles: share above the pooled quantile compared as two proportions (Mood's median
    test). None when either side has too little data, or a standard error is 0. Responses
    clustered by customer count with their effective sample size n / deff (proportions,
    means) or their widened standard error (NPS).
    """
    if now.value is None or before.value is None or now.test != before.test:
        return None
    if now.test == "proportion":
        return _two_proportions(now.k / now.deff, now.n / now.deff, before.k / before.deff, before.n / before.deff)
    if now.test == "rate":
        return _conditional_poisson(now.k, before.k, now.n / (now.n + before.n))
    if now.test == "count":
        return _conditional_poisson(now.k, before.k, 0.5)
    if now.test == "mean":
        if now.sd is None or before.sd is None or now.n < 2 or before.n < 2:
            return None
        n1, n2 = now.n / now.deff, before.n / before.deff  # effective sample sizes
        a, b = now.sd**2 / n1, before.sd**2 / n2
        if a + b == 0 or n1 <= 1 or n2 <= 1:
            return None
        t = (now.value - before.value) / math.sqrt(a + b)
        df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
        from scipy.special import stdtr

        return float(2 * stdtr(df, -abs(t)))
    if now.test == "se":
        if not now.se or not before.se:
            return None
        return _normal_two_sided((now.value - before.value) / math.sqrt(now.se**2 + before.se**2))
    if now.test == "quantile":
        if now.sample is None or before.sample is None or now.n < 2 or before.n < 2 or now.q != before.q:
            return None
        cut = float(np.quantile(np.concatenate([now.sample, before.sample]), now.q))
        above_now = int(np.count_nonzero(now.sample > cut))
        above_before = int(np.count_nonzero(before.sample > cut))
        return _two_proportions(above_now, now.n, above_before, before.n)
    return None


#: the plain verdicts on a change, in the words a report uses
VERDICTS = ("significant improvement", "significant decline", "no significant change", "not tested")


def verdict(change: float | None, p_value: float | None, higher_is_better: bool) -> str | None:
    """A plain verdict on a change: significant improvement or decline at p < 0.05, or neither.

    Returns None when there is nothing to compare with, ``not tested`` when there is a
    change but no test applies (too few observations, no variation, or a derived figure).
    """
    if change is None:
        return None
    if p_value is None:
        return "not tested"
    if p_value >= SIGNIFICANCE or change == 0:
        return "no significant change"
    better = change > 0 if higher_is_better else change < 0
    return "significant improvement" if better else "significant decline"
