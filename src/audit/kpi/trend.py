"""Each KPI against the previous quarter and the same quarter last year, with its history.

The change is tested as the KPI's estimate says (audit.kpi.stats.change_p_value) and
given a plain verdict: significant improvement, significant decline, no significant
change, or not tested.
"""

from __future__ import annotations

from audit.catalogue import label as kpi_label
from audit.catalogue import spec_for
from audit.config import AuditConfig
from audit.i18n import _
from audit.kpi.stats import Estimate, change_p_value, verdict
from audit.model import Comparison, Kpi

__all__ = ["BASES", "build_kpi", "compare"]

#: comparison basis → quarters back
BASES = {"previous_quarter": 1, "same_quarter_last_year": 4}


def compare(
    basis: str, period: str, now: Estimate, before: Estimate | None, higher_is_better: bool
) -> Comparison | None:
    """The KPI now against one earlier period; None when the earlier value is unknown."""
    if before is None or before.value is None:
        return None
    change = now.value - before.value if now.value is not None else None
    p_value = change_p_value(now, before) if change is not None else None
    return Comparison(basis, period, before.value, change, p_value, verdict(change, p_value, higher_is_better))


def build_kpi(
    kpi_id: str, estimates: dict[str, dict[str, Estimate]], periods: tuple[str, ...], config: AuditConfig
) -> Kpi:
    """The KPI of the audited (last) period, with its history, comparisons, target and benchmark.

    Args:
        kpi_id: the KPI's id.
        estimates: per period label, the estimates by KPI id (the audited period holds this KPI).
        periods: the period labels, oldest first, the audited one last.
        config: for the target and the benchmark.
    """
    spec = spec_for(kpi_id)
    now = estimates[periods[-1]][kpi_id]
    comparisons = []
    for basis, back in BASES.items():
        if len(periods) > back:
            label = periods[-1 - back]
            found = compare(basis, label, now, estimates.get(label, {}).get(kpi_id), spec.higher_is_better)
            if found is not None:
                comparisons.append(found)
    previous = next((c for c in comparisons if c.basis == "previous_quarter"), None)
    note = now.note or ("" if now.value is not None else _("no data in the period"))
    return Kpi(
        id=kpi_id,
        label=kpi_label(kpi_id),
        value=now.value,
        unit=spec.unit,
        n=now.n,
        higher_is_better=spec.higher_is_better,
        ci_low=now.ci_low,
        ci_high=now.ci_high,
        target=config.targets.get(kpi_id),
        previous=previous.value if previous is not None else None,
        p_value=previous.p_value if previous is not None else None,
        history=tuple((p, estimates[p][kpi_id].value if kpi_id in estimates.get(p, {}) else None) for p in periods),
        note=note,
        source=spec.source,
        comparisons=tuple(comparisons),
        benchmark=config.benchmarks.get(kpi_id),
        design_effect=now.deff if now.clusters else None,
        clusters=now.clusters or None,
    )
