"""NMF for the themes: deterministic starts from one SVD, each distinct text factorised once.

Used by :mod:`audit.kpi.themes` to try several numbers of themes on the same texts: the SVD is
computed once, and NNDSVD (Boutsidis & Gallopoulos 2008) takes its first k triplets for each k.

Example:
    >>> import numpy as np, scipy.sparse as sp
    >>> x = sp.csr_matrix(np.array([[1.0, 1, 0, 0], [0, 0, 1, 1]]))  # two distinct texts
    >>> factors = Factoriser(x, copies=np.array([2.0, 1.0]), k_max=2, seed=0).fit(2, max_iter=200)
    >>> factors.w.argmax(axis=1).tolist(), factors.h.round(3).tolist()
    ([0, 1], [[0.707, 0.707, 0.0, 0.0], [0.0, 0.0, 0.707, 0.707]])
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["DENSE_CELLS", "Factoriser", "Factors", "nndsvd"]

#: below this many cells the matrix is made dense (faster) and its SVD exact (LAPACK)
DENSE_CELLS = 4_000_000
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Factors:
    """X ≈ WH with k themes.

    Attributes:
        w: texts × themes (per distinct text, not multiplied by its copies).
        h: themes × terms, each row of unit length (``w`` scaled to match).
        iterations: coordinate-descent iterations run.
        error: Frobenius reconstruction error over all the texts, copies included.
    """

    w: Floats
    h: Floats
    iterations: int
    error: float


def nndsvd(u: Floats, s: Floats, vt: Floats) -> tuple[Floats, Floats]:
    """NNDSVD start for NMF from singular triplets, as scikit-learn's ``init="nndsvd"``.

    Each triplet gives the larger of its positive and negative parts, so the start does not
    depend on the signs the SVD returns; nothing is random (Boutsidis & Gallopoulos 2008).
    """
    k = len(s)
    w, h = np.zeros((u.shape[0], k)), np.zeros((k, vt.shape[1]))
    w[:, 0], h[0] = np.sqrt(s[0]) * np.abs(u[:, 0]), np.sqrt(s[0]) * np.abs(vt[0])
    for j in range(1, k):
        x, y = u[:, j], vt[j]
        xp, xn, yp, yn = np.maximum(x, 0), np.maximum(-x, 0), np.maximum(y, 0), np.maximum(-y, 0)
        pos = np.linalg.norm(xp) * np.linalg.norm(yp)
        neg = np.linalg.norm(xn) * np.linalg.norm(yn)
        a, b, sigma = (xp, yp, pos) if pos > neg else (xn, yn, neg)
        if sigma > 0:
            scale = np.sqrt(s[j] * sigma)
            w[:, j], h[j] = scale * a / np.linalg.norm(a), scale * b / np.linalg.norm(b)
    w[w < 1e-6], h[h < 1e-6] = 0, 0
    return w, h


class Factoriser:
    """NMF of one corpus for any k up to ``k_max``, from one SVD.

    A distinct text standing for c texts enters as its vector × √c: the Frobenius loss is then
    the loss over all the texts, so the factorisation is that of the full matrix, found faster.

    Args:
        x: distinct texts × terms (sparse), one row per distinct text.
        copies: how many texts each row stands for.
        k_max: the largest k that :meth:`fit` will be asked for.
        seed: ``random_state`` of the randomized SVD used above :data:`DENSE_CELLS` cells.
    """

    def __init__(self, x: Any, copies: Floats, k_max: int, seed: int) -> None:
        self._root = np.sqrt(np.asarray(copies, dtype=float))[:, None]
        weighted = x.multiply(self._root).tocsr()
        self._seed = seed
        if weighted.shape[0] * weighted.shape[1] <= DENSE_CELLS:
            from scipy.linalg import svd

            self._x: Any = weighted.toarray()
            u, s, vt = svd(self._x, full_matrices=False)
        else:
            from sklearn.utils.extmath import randomized_svd

            self._x = weighted
            u, s, vt = randomized_svd(weighted, k_max, random_state=seed)
        self._u, self._s, self._vt = np.asarray(u)[:, :k_max], np.asarray(s)[:k_max], np.asarray(vt)[:k_max]

    def fit(self, k: int, max_iter: int) -> Factors:
        """NMF with k themes (Frobenius loss, coordinate descent) from the NNDSVD start."""
        from sklearn.decomposition import NMF
        from sklearn.exceptions import ConvergenceWarning

        w0, h0 = nndsvd(self._u[:, :k], self._s[:k], self._vt[:k])
        model = NMF(n_components=k, init="custom", solver="cd", random_state=self._seed, max_iter=max_iter)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # the caller sees ``iterations``
            w = np.asarray(model.fit_transform(self._x, W=w0, H=h0), dtype=float) / self._root
        h = np.asarray(model.components_, dtype=float)
        norm = np.linalg.norm(h, axis=1)
        norm[norm == 0] = 1.0
        return Factors(w * norm, h / norm[:, None], int(model.n_iter_), float(model.reconstruction_err_))
