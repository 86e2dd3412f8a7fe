"""The customers' own words as evidence: a theme of the free text that grew significantly (see :mod:`audit.kpi.themes`).

The complaint-rate check cites a growing theme of the complaint descriptions, the dimension
check one of the survey comments: what the customers wrote says what the numbers moved on.
"""

from __future__ import annotations

from typing import Any

from audit import format as fmt
from audit.i18n import _
from audit.model import KpiTable

__all__ = ["growing_theme_evidence"]


def growing_theme_evidence(kpis: KpiTable, source: str, limit: int = 2) -> tuple[str, dict[str, Any]]:
    """A sentence naming the largest themes of ``source`` that grew significantly, and the figures behind it.

    Returns:
        ("", {}) when no theme of the source grew; else the sentence (starting with a space, to
        follow the evidence) and ``{"growing_themes": [{"id", "label", "share_pct", "previous_share_pct", "p_value"}]}``.
    """
    growing = kpis.growing_themes(source)[:limit]
    if not growing:
        return "", {}
    listed = "; ".join(
        _(
            "“{label}” ({id}) from {before} to {now} of the texts ({p})",
            label=t.label,
            id=t.id,
            before=fmt.percent(t.previous_share_pct),
            now=fmt.percent(t.share_pct),
            p=fmt.p_text(t.p_value),
        )
        for t in growing
    )
    sentence = " " + _("In the customers' own words, themes that grew significantly: {listed}.", listed=listed)
    figures = [
        {"id": t.id, "label": t.label, "share_pct": t.share_pct, "previous_share_pct": t.previous_share_pct,
         "p_value": t.p_value}
        for t in growing
    ]  # fmt: skip
    return sentence, {"growing_themes": figures}
