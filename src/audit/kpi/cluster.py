"""Intervals and tests that allow for several survey responses from one customer.

Responses from the same customer are not independent: a customer who is unhappy answers
unhappily every time. Treating 2,984 responses from 388 customers as 2,984 independent
answers makes every interval too narrow and every change look more significant than it
is. When the survey names the customer (``customer_id``), each estimate is widened by its
**design effect** (Kish 1965 §8.2), the ratio of the cluster-robust variance of the mean
(customers as clusters; Cameron & Miller 2015, with the small-sample factor C/(C − 1)) to
the variance of independent responses:

    deff = [C/(C − 1) · Σ_c (Σ_{i∈c} (y_i − ȳ))² / n²] ÷ [Σ_i (y_i − ȳ)² / ((n − 1) · n)]

A response without a customer id is its own cluster, so a survey in which every customer
answers once has deff = 1 and its intervals are those of independent responses. The
design effect is never taken below 1 (the interval is never made narrower than for
independent responses). Formulas: docs/metrics.md, "Several responses per customer".

Example:
    >>> deff, clusters = design_effect(np.array([5.0, 5.0, 1.0, 3.0]), np.array(["A", "A", "B", "C"]))
    >>> round(deff, 4), clusters
    (1.5852, 3)
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from audit.kpi.stats import Z95, Estimate, Floats, wilson

__all__ = ["cluster_labels", "clustered", "design_effect"]


def cluster_labels(ids: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Integer cluster codes for customer ids; a missing or blank id is a cluster of its own."""
    text = pd.Series(np.asarray(ids, dtype=object)).astype("string").str.strip()
    codes, _ = pd.factorize(text.mask(text.eq("")), use_na_sentinel=True)
    codes = codes.astype(np.int64)
    missing = codes < 0
    codes[missing] = -1 - np.flatnonzero(missing)  # unique: never shared with another response
    return codes


def design_effect(values: Floats, clusters: npt.ArrayLike) -> tuple[float, int]:
    """The design effect of the mean of ``values`` with responses clustered as ``clusters``, and the cluster count.

    Values that are NaN are left out (with their cluster label). The design effect is 1
    when there are fewer than two clusters or no variation, and never below 1.

    Args:
        values: one value per response (a score, or 1/0 for a proportion, or +1/0/−1 for the NPS).
        clusters: one label per response (customer ids; see :func:`cluster_labels`).

    Returns:
        (design effect ≥ 1, number of clusters among the values present).
    """
    return _design_effect(np.asarray(values, dtype="float64"), cluster_labels(clusters))


def _design_effect(y: Floats, codes: npt.NDArray[np.int64]) -> tuple[float, int]:
    """:func:`design_effect` with the clusters already coded by :func:`cluster_labels`."""
    keep = ~np.isnan(y)
    y, codes = y[keep], codes[keep]
    n = len(y)
    if n < 2:
        return 1.0, len(np.unique(codes))
    groups, c = _dense_ranks(codes)
    residual = y - y.mean()
    srs = float(np.sum(residual * residual)) / ((n - 1) * n)
    if c < 2 or srs <= 0:
        return 1.0, c
    sums = np.bincount(groups, weights=residual, minlength=c)
    robust = c / (c - 1) * float(np.sum(sums * sums)) / (n * n)
    return max(1.0, robust / srs), c


def _dense_ranks(codes: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.intp], int]:
    """Each code's rank among the distinct codes, in increasing order, and their number.

    What ``np.unique(codes, return_inverse=True)`` gives, counted instead of sorted (the codes
    of :func:`cluster_labels` span at most twice the responses).
    """
    shifted = codes - codes.min()
    seen = np.zeros(int(shifted.max()) + 1, dtype=bool)
    seen[shifted] = True
    ranks = np.cumsum(seen, dtype=np.intp) - 1
    return ranks[shifted], int(ranks[-1]) + 1


def clustered(est: Estimate, values: Floats, labels: npt.NDArray[np.int64] | None) -> Estimate:
    """``est`` with its interval widened for responses clustered by customer (no clusters: unchanged).

    A mean's standard error is multiplied by √deff and its interval uses Student t with
    C − 1 degrees of freedom; a proportion's Wilson interval is computed on the effective
    sample size n / deff (Korn & Graubard 1998); the NPS's standard error is multiplied by
    √deff. The estimate keeps ``deff`` and ``clusters`` for the test of change
    (:func:`audit.kpi.stats.change_p_value`).

    Args:
        est: the estimate as if responses were independent.
        values: the per-response values the estimate was computed from (see :func:`design_effect`).
        labels: the customer of each response coded by :func:`cluster_labels` (coded once for
            all the estimates of a period), or None when the survey has no customer ids.
    """
    if labels is None or est.value is None:
        return est
    deff, c = _design_effect(np.asarray(values, dtype="float64"), labels)
    out = replace(est, deff=deff, clusters=c)
    if deff <= 1.0:
        return out
    if est.test == "mean" and est.se is not None and c >= 2:
        from scipy.special import stdtrit

        se = est.se * math.sqrt(deff)
        half = float(stdtrit(c - 1, 0.975)) * se
        return replace(out, se=se, ci_low=min(est.value - half, est.value), ci_high=max(est.value + half, est.value))
    if est.test == "proportion" and est.n > 0:
        n_eff = est.n / deff
        low, high = wilson(est.k / deff, n_eff)
        p = est.k / est.n
        return replace(
            out,
            se=100 * math.sqrt(p * (1 - p) / n_eff),
            ci_low=min(100 * float(low), est.value),
            ci_high=max(100 * float(high), est.value),
        )
    if est.test == "se" and est.se is not None:
        se = est.se * math.sqrt(deff)
        return replace(
            out,
            se=se,
            ci_low=min(max(-100.0, est.value - Z95 * se), est.value),
            ci_high=max(min(100.0, est.value + Z95 * se), est.value),
        )
    return out
