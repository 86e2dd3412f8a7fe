"""Checks on delivered-product data, delivery and lost business: ISO 9001:2015 9.1.3 and 9.1.2.

Returns and warranty claims analysed, delivery performance, key accounts lost, and the
integrity of the data the monitoring rests on. Whether a lost account's loss was analysed
is never in the exports: it is not evidenced in the records supplied, and an auditee question.
"""

from __future__ import annotations

from audit import format
from audit.assessment.checks.base import Ask, Draft, Evidence, check, conforming, count_of, fmt, listed
from audit.catalogue import kind_word
from audit.i18n import _
from audit.model import Grade

__all__ = ["data_integrity", "delivery_performance", "lost_key_accounts", "returns_analysed"]


@check(
    "returns_analysed",
    "9.1.3",
    question="Are returns and warranty claims analysed?",
    evidence="returns with a reason, the reason Pareto, warranty claims marked",
    rule="< checks.return_reason_min_pct (90%) with a reason, or warranty not marked → ofi",
    subject="returns",
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
    evidence = _(
        "{with_reason} of {returns} of {period} ({share}) record a reason.",
        with_reason=format.count(int(with_reason.sum())),
        returns=count_of(len(frame), "{n} return", "{n} returns"),
        period=data.config.audit.period_label,
        share=format.percent(share),
    )
    top = ", ".join(f"{p.label} ({format.percent(p.share_pct, 0)})" for p in kpis.analyses.return_reasons[:3])
    if top:
        evidence += " " + _("The leading reasons are {top}.", top=top)
    if warranty:
        evidence += " " + count_of(claims or 0, "{n} warranty claim is marked.", "{n} warranty claims are marked.")
    else:
        evidence += " " + _("Warranty claims are not marked.")
    figures = {"returns": len(frame), "with_reason_pct": share, "warranty_claims": claims}
    if share >= limit and warranty:
        return [conforming(_("Returns and warranty claims are analysed by reason"), evidence, figures)]
    shortfalls = []
    if share < limit:
        shortfalls.append(
            _(
                "{share} of returns give a reason (at least {limit} expected)",
                share=format.percent(share, 0),
                limit=format.percent(limit, 0),
            )
        )
    if not warranty:
        shortfalls.append(_("warranty claims are not told apart from other returns"))
    ids = tuple(str(i) for i in frame.loc[~with_reason, "return_id"]) if "reason" in frame else ()
    if ids:
        evidence += " " + _("Without a reason: {ids}.", ids=listed(ids))
    return [
        Draft(
            grade="ofi",
            title=_("Returns not fully analysed: {shortfalls}", shortfalls="; ".join(shortfalls)),
            evidence=evidence,
            gap=_(
                "Returns and warranty claims are data on delivered product that show where customers' needs were not "
                "met; without a reason on each, they cannot be analysed for causes."
            ),
            kpi_id="return_rate_pct" if kpis.get("return_rate_pct") else None,
            figures=figures | {"shortfalls": shortfalls, "reason_short": share < limit, "warranty_marked": warranty},
            evidence_ids=ids,
        )
    ]


@check(
    "delivery_performance",
    "9.1.3",
    question="Is delivery performance measured and acceptable?",
    evidence="on time in full (OTIF), orders judged as of the data's end",
    rule="below checks.otif_min_pct (90%) with no otif_pct target → observation",
    subject="delivery",
)
def delivery_performance(ev: Evidence) -> list[Draft]:
    """Delivery performance measured; OTIF below ``checks.otif_min_pct`` without a target → observation."""
    data, kpis = ev.data, ev.kpis
    otif = kpis.get("otif_pct")
    if otif is None or otif.value is None or not data.has("orders"):
        return []
    on_time = kpis.get("on_time_pct")
    limit = data.config.checks.otif_min_pct
    evidence = _(
        "On time in full was {otif} of {n} orders in {period}.",
        otif=fmt(otif.value, "%"),
        n=format.count(otif.n),
        period=data.config.audit.period_label,
    )
    if on_time is not None and on_time.value is not None:
        evidence += " " + _("On time alone: {value}.", value=fmt(on_time.value, "%"))
    figures = {"value": otif.value, "n": otif.n, "minimum": limit, "target": otif.target}
    if otif.target is not None:
        return [
            conforming(
                _("Delivery performance is measured against a target"),
                evidence + " " + _("The target is {target}; objective_met judges it.", target=fmt(otif.target, "%")),
                figures,
            )
        ]
    if otif.value >= limit:
        return [conforming(_("Delivery performance is measured and adequate"), evidence, figures)]
    return [
        Draft(
            grade="observation",
            title=_("Delivery performance low and without a target: OTIF {otif}", otif=fmt(otif.value, "%")),
            evidence=evidence,
            gap=_(
                "Fewer than {limit} of orders arrive on time and in full, and no objective for delivery performance is "
                "set; a risk to customer satisfaction.",
                limit=format.percent(limit, 0),
            ),
            kpi_id=otif.id,
            figures=figures,
        )
    ]


@check(
    "lost_key_accounts",
    "9.1.2",
    question="Is lost business analysed?",
    evidence="tier-A customers (by order value, or declared tiers) who ordered repeatedly in the four quarters "
    "before and placed no order in the period",
    rule="any → observation, the analysis of the loss not evidenced in the records supplied and put to the auditee",
    subject="lost_business",
    owns=("key_accounts_lost",),
)
def lost_key_accounts(ev: Evidence) -> list[Draft]:
    """Key accounts (tier A by revenue, repeat buyers) that stopped ordering → observation and an auditee question."""
    data, kpis = ev.data, ev.kpis
    kpi = kpis.get("key_accounts_lost")
    period = data.config.audit.period_label
    if kpi is None or kpi.value is None:
        return []
    lost = kpis.breakdowns.get("key_accounts_lost", ())
    if not lost:
        return [
            conforming(
                _("No key account lost"),
                _("Every key account of the four quarters before {period} ordered in it.", period=period),
            )
        ]
    revenue = sum(v for _c, v in lost)
    names = tuple(c for c, _v in lost)
    return [
        Draft(
            grade="observation",
            title=count_of(
                len(lost), "{n} key account lost in {period}", "{n} key accounts lost in {period}", period=period
            ),
            evidence=_(
                "{accounts} ordered repeatedly in the four quarters before {period} (revenue {revenue}) and placed no "
                "order in it.",
                accounts=listed(names),
                period=period,
                revenue=format.count(revenue),
            ),
            gap=_(
                "Lost business is a source of information on customer perception; an analysis of why these customers "
                "stopped ordering is not evidenced in the records supplied."
            ),
            kpi_id="key_accounts_lost",
            figures={"lost": len(lost), "revenue": revenue, "accounts": list(names)},
            evidence_ids=names,
            questions=(
                Ask(
                    _("Why did {accounts} stop ordering, and was the loss analysed?", accounts=listed(names, 3)),
                    _("the lost-business analysis, account reviews or visit reports on these customers"),
                    _("the order export shows that they stopped ordering, not whether anyone asked why"),
                ),
            ),
        )
    ]


@check(
    "data_integrity",
    "9.1.3",
    question="Can the monitoring data be relied on?",
    evidence="share of rows set aside per kind, duplicate ids",
    rule="> checks.quarantined_max_pct (2%) of a kind → observation; duplicate ids only → ofi",
    subject="data_integrity",
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
    rows = "; ".join(
        _(
            "{kind} {bad} of {rows} rows ({share})",
            kind=kind_word(k),
            bad=format.count(q),
            rows=format.count(n),
            share=format.percent(100 * q / n),
        )
        for k, (q, n) in shares.items()
        if n
    )
    evidence = _(
        "Rows set aside as invalid: {rows}. Duplicate ids: {duplicates}.",
        rows=rows,
        duplicates=format.count(len(duplicates)),
    )
    figures = {"quarantined_pct": {k: 100 * q / n for k, (q, n) in shares.items() if n}, "duplicates": len(duplicates)}
    if not over and not duplicates:
        return [conforming(_("The monitoring data is sound"), evidence, figures)]
    grade: Grade = "observation" if over else "ofi"
    parts = [_("{kind} {share} of rows invalid", kind=kind_word(k), share=format.percent(v)) for k, v in over.items()]
    if duplicates:
        parts.append(count_of(len(duplicates), "{n} duplicate id", "{n} duplicate ids"))
    ids = tuple(dict.fromkeys(p.value for p in duplicates))
    if ids:
        evidence += " " + _("Duplicated: {ids}.", ids=listed(ids))
    gaps = []
    if over:
        gaps.append(
            _(
                "More than {limit} of the rows of a kind could not be used, so the results may be biased.",
                limit=format.percent(limit, 0),
            )
        )
    if duplicates:
        gaps.append(_("Records entered twice inflate the counts the analysis rests on."))
    return [
        Draft(
            grade=grade,
            title=_("Monitoring data not fully reliable: {parts}", parts=", ".join(parts)),
            evidence=evidence,
            gap=" ".join(gaps),
            figures=figures | {"over": sorted(over)},
            evidence_ids=ids,
        )
    ]
