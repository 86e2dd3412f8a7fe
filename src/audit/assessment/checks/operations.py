"""Checks on delivered-product data, delivery and lost business: ISO 9001:2015 9.1.3 and 9.1.2.

Returns and warranty claims analysed, delivery performance, key accounts lost, and the
integrity of the data the monitoring rests on.
"""

from __future__ import annotations

from audit.assessment.checks.base import Draft, Evidence, check, conforming, fmt, plural
from audit.model import Grade

__all__ = ["data_integrity", "delivery_performance", "lost_key_accounts", "returns_analysed"]


@check(
    "returns_analysed",
    "9.1.3",
    question="Are returns and warranty claims analysed?",
    evidence="returns with a reason, the reason Pareto, warranty claims marked",
    rule="< checks.return_reason_min_pct (90%) with a reason, or warranty not marked → ofi",
)
def returns_analysed(ev: Evidence) -> list[Draft]:
    """Returns with a reason below ``checks.return_reason_min_pct``, or warranty claims not told apart → ofi."""
    data, kpis = ev.data, ev.kpis
    frame = data.frames.get("returns")
    if frame is None or frame.empty:
        return []
    limit = data.config.checks.return_reason_min_pct
    if "reason" in frame:
        with_reason = frame["reason"].astype("string").str.strip().ne("").fillna(False).astype(bool)
    else:
        with_reason = frame["return_id"].isna()  # all False: no reason column
    share = 100 * float(with_reason.mean())
    warranty = "warranty" in frame
    claims = int(frame["warranty"].astype("boolean").fillna(False).sum()) if warranty else None
    top = ", ".join(f"{p.label} ({p.share_pct:.0f}%)" for p in kpis.analyses.return_reasons[:3])
    evidence = (
        f"{with_reason.sum():,} of {plural(len(frame), 'return')} of {data.config.audit.period_label} ({share:.1f}%) record a reason"
        + (f"; the leading reasons are {top}" if top else "")
        + (
            f"; {plural(claims or 0, 'warranty claim')} are marked."
            if warranty
            else "; warranty claims are not marked."
        )
    )
    figures = {"returns": len(frame), "with_reason_pct": share, "warranty_claims": claims}
    if share >= limit and warranty:
        return [conforming("Returns and warranty claims are analysed by reason", evidence, figures)]
    shortfalls = []
    if share < limit:
        shortfalls.append(f"{share:.0f}% of returns give a reason (at least {limit:g}% expected)")
    if not warranty:
        shortfalls.append("warranty claims are not told apart from other returns")
    ids = tuple(str(i) for i in frame.loc[~with_reason, "return_id"]) if "reason" in frame else ()
    return [
        Draft(
            grade="ofi",
            title="Returns not fully analysed: " + "; ".join(shortfalls),
            evidence=evidence + (f" Without a reason: {', '.join(ids[:5])}." if ids else ""),
            gap="Returns and warranty claims are data on delivered product that show where customers' needs were "
            "not met; without a reason on each, they cannot be analysed for causes.",
            kpi_id="return_rate_pct" if kpis.get("return_rate_pct") else None,
            figures=figures | {"shortfalls": shortfalls},
            evidence_ids=ids,
        )
    ]


@check(
    "delivery_performance",
    "9.1.3",
    question="Is delivery performance measured and acceptable?",
    evidence="on time in full (OTIF)",
    rule="below checks.otif_min_pct (90%) with no otif_pct target → observation",
)
def delivery_performance(ev: Evidence) -> list[Draft]:
    """Delivery performance measured; OTIF below ``checks.otif_min_pct`` without a target → observation."""
    data, kpis = ev.data, ev.kpis
    otif = kpis.get("otif_pct")
    if otif is None or otif.value is None or not data.has("orders"):
        return []
    on_time = kpis.get("on_time_pct")
    limit = data.config.checks.otif_min_pct
    evidence = (
        f"On time in full was {fmt(otif.value, '%')} of {otif.n:,} orders in {data.config.audit.period_label}"
        + (f" (on time {fmt(on_time.value, '%')})." if on_time is not None and on_time.value is not None else ".")
    )
    figures = {"value": otif.value, "n": otif.n, "minimum": limit, "target": otif.target}
    if otif.target is not None:
        return [conforming("Delivery performance is measured against a target",
                           evidence + f" The target is {fmt(otif.target, '%')}; objective_met judges it.", figures)]  # fmt: skip
    if otif.value >= limit:
        return [conforming("Delivery performance is measured and adequate", evidence, figures)]
    return [
        Draft(
            grade="observation",
            title=f"Delivery performance low and without a target: OTIF {fmt(otif.value, '%')}",
            evidence=evidence,
            gap=f"Fewer than {limit:g}% of orders arrive on time and in full, and no objective for delivery "
            "performance is set; a risk to customer satisfaction.",
            kpi_id=otif.id,
            figures=figures,
        )
    ]


@check(
    "lost_key_accounts",
    "9.1.2",
    question="Is lost business analysed?",
    evidence="tier-A customers of the four quarters before that placed no order in the period",
    rule="any → observation",
)
def lost_key_accounts(ev: Evidence) -> list[Draft]:
    """Key accounts (tier A by revenue) that stopped ordering → observation (lost-business analysis)."""
    data, kpis = ev.data, ev.kpis
    kpi = kpis.get("key_accounts_lost")
    if kpi is None or kpi.value is None:
        return []
    lost = kpis.breakdowns.get("key_accounts_lost", ())
    if not lost:
        return [conforming("No key account lost",
                           f"Every key account of the four quarters before {data.config.audit.period_label} ordered in it.")]  # fmt: skip
    revenue = sum(v for _, v in lost)
    return [
        Draft(
            grade="observation",
            title=f"{len(lost)} key account{'s' if len(lost) > 1 else ''} lost in {data.config.audit.period_label}",
            evidence=f"{', '.join(c for c, _ in lost[:5])} ordered in the four quarters before "
            f"{data.config.audit.period_label} (revenue {revenue:,.0f}) and placed no order in it.",
            gap="Lost business is a source of information on customer perception; no analysis of why "
            "these customers stopped ordering was presented.",
            kpi_id="key_accounts_lost",
            figures={"lost": len(lost), "revenue": revenue},
            evidence_ids=tuple(c for c, _ in lost),
        )
    ]


@check(
    "data_integrity",
    "9.1.3",
    question="Can the monitoring data be relied on?",
    evidence="share of rows set aside per kind, duplicate ids",
    rule="> checks.quarantined_max_pct (2%) of a kind → observation; duplicate ids only → ofi",
)
def data_integrity(ev: Evidence) -> list[Draft]:
    """Rows set aside above ``checks.quarantined_max_pct`` of a kind → observation; duplicate ids only → ofi."""
    data = ev.data
    if not data.sources:
        return []
    limit = data.config.checks.quarantined_max_pct
    shares = {s.kind: (s.rows_quarantined, s.rows_read) for s in data.sources}
    over = {k: 100 * q / n for k, (q, n) in shares.items() if n and 100 * q / n > limit}
    duplicates = [p for p in data.problems if p.rule in ("duplicate_id", "duplicate_row")]  # reused id or copy
    listed = "; ".join(f"{k} {q:,} of {n:,} rows ({100 * q / n:.1f}%)" for k, (q, n) in shares.items() if n)
    evidence = f"Rows set aside as invalid: {listed}. Duplicate ids: {len(duplicates):,}."
    figures = {"quarantined_pct": {k: 100 * q / n for k, (q, n) in shares.items() if n}, "duplicates": len(duplicates)}
    if not over and not duplicates:
        return [conforming("The monitoring data is sound", evidence, figures)]
    grade: Grade = "observation" if over else "ofi"
    parts = [f"{k} {v:.1f}% of rows invalid" for k, v in over.items()]
    if duplicates:
        parts.append(plural(len(duplicates), "duplicate id"))
    ids = tuple(dict.fromkeys(p.value for p in duplicates))
    return [
        Draft(
            grade=grade,
            title="Monitoring data not fully reliable: " + ", ".join(parts),
            evidence=evidence + (f" Duplicated: {', '.join(ids[:5])}." if ids else ""),
            gap=(
                f"More than {limit:g}% of the rows of a kind could not be used, so the results may be biased. "
                if over
                else ""
            )
            + ("Records entered twice inflate the counts the analysis rests on." if duplicates else ""),
            figures=figures,
            evidence_ids=ids,
        )
    ]
