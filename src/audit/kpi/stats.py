"""Estimates with their uncertainty, and tests of change between two periods.

Formulas and their sources are listed in docs/metrics.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Estimate", "proportion", "mean", "nps", "median", "change_p_value", "Z95"]

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Estimate:
    """A KPI value with what is needed to judge it and to test its change.

    Attributes:
        value: the estimate (percentages on 0–100).
        n: observations.
        ci_low, ci_high: 95% confidence interval, when the value is a statistic.
        se: standard error of the value, on the value's own scale.
        test: how a change is tested: ``proportion`` (two-proportion z), ``mean``
            (Welch t), ``se`` (z from standard errors, used for NPS) or ``none``.
        k: successes, for proportions.
        sd: sample standard deviation, for means.
    """

    value: float | None
    n: int
    ci_low: float | None = None
    ci_high: float | None = None
    se: float | None = None
    test: str = "none"
    k: int = 0
    sd: float | None = None


def proportion(k: int, n: int) -> Estimate:
    """A percentage k/n × 100 with its Wilson score 95% interval (Wilson 1927)."""
    if n == 0:
        return Estimate(None, 0)
    p = k / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Estimate(
        100 * p, n, 100 * max(0.0, centre - half), 100 * min(1.0, centre + half),
        se=100 * math.sqrt(p * (1 - p) / n), test="proportion", k=k,
    )  # fmt: skip


def mean(values: np.ndarray) -> Estimate:
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
    return Estimate(m, n, m - half, m + half, se=se, test="mean", sd=sd)


def nps(recommend: np.ndarray) -> Estimate:
    """Net Promoter Score on 0–10 answers: % promoters (9–10) − % detractors (0–6).

    The standard error comes from coding promoters +1, passives 0, detractors −1:
    SE = 100·sqrt((p + d − (p − d)²) / n), the standard deviation of that coding over √n.
    """
    recommend = recommend[~np.isnan(recommend)]
    n = len(recommend)
    if n == 0:
        return Estimate(None, 0)
    p = float(np.mean(recommend >= 9))
    d = float(np.mean(recommend <= 6))
    score = 100 * (p - d)
    se = 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    return Estimate(score, n, max(-100.0, score - Z95 * se), min(100.0, score + Z95 * se), se=se, test="se")


def median(values: np.ndarray) -> Estimate:
    """The median (no interval; changes are not tested)."""
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return Estimate(None, 0)
    return Estimate(float(np.median(values)), len(values))


def _normal_two_sided(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def change_p_value(now: Estimate, before: Estimate) -> float | None:
    """Two-sided p-value of the change from ``before`` to ``now``.

    Proportions: pooled two-proportion z test. Means: Welch's t test. NPS: z from the
    two standard errors. None when either side has too little data.
    """
    if now.value is None or before.value is None or now.test != before.test:
        return None
    if now.test == "proportion":
        pooled = (now.k + before.k) / (now.n + before.n)
        se = math.sqrt(pooled * (1 - pooled) * (1 / now.n + 1 / before.n))
        if se == 0:
            return None
        return _normal_two_sided((now.value - before.value) / 100 / se)
    if now.test == "mean":
        if now.sd is None or before.sd is None or now.n < 2 or before.n < 2:
            return None
        a, b = now.sd**2 / now.n, before.sd**2 / before.n
        if a + b == 0:
            return None
        t = (now.value - before.value) / math.sqrt(a + b)
        df = (a + b) ** 2 / (a * a / (now.n - 1) + b * b / (before.n - 1))
        from scipy.special import stdtr

        return float(2 * stdtr(df, -abs(t)))
    if now.test == "se":
        if not now.se or not before.se:
            return None
        return _normal_two_sided((now.value - before.value) / math.sqrt(now.se**2 + before.se**2))
    return None
