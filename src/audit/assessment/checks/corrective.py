"""Checks on acting on complaints: ISO 9001:2015 10.2 (2008: 8.5.2).

Complaints closed without a root cause are a nonconformity against 10.2.1 b. Repeat
complaints (the same customer and category again within the window) are a sign that
corrective action did not work (10.2.1 d); they are judged against the organisation's own
target, else its own baseline (the mean of its earlier quarters), and only when it has
neither against the configured fallback limit.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from audit import format
from audit.assessment.checks.base import (
    Ask,
    Draft,
    Evidence,
    action_on_record,
    change_text,
    check,
    conforming,
    count_of,
    fmt,
    listed,
    missed_before,
    significant_decline,
)
from audit.i18n import _
from audit.kpi.complaints import closed_by, repeat_flags
from audit.model import Grade, Kpi

__all__ = ["baseline", "repeat_complaints", "root_cause_recorded"]


def _ids(frame: pd.DataFrame, mask: pd.Series) -> tuple[str, ...]:
    return tuple(str(i) for i in frame.loc[mask, "complaint_id"])


@check(
    "root_cause_recorded",
    "10.2.1 b",
    question="Are the causes of complaints determined?",
    evidence="closed complaints with a root cause recorded",
    rule="< checks.root_cause_min_pct (90%) → minor; no root-cause column → observation, and an auditee question",
    subject="root_causes",
    owns=("root_cause_recorded_pct",),
)
def root_cause_recorded(ev: Evidence) -> list[Draft]:
    """Closed complaints with a root cause below ``checks.root_cause_min_pct`` → minor (10.2.1 b); no column → observation."""
    data, kpis = ev.data, ev.kpis
    frame = data.frames.get("complaints")
    if frame is None or frame.empty or ("resolved_on" not in frame and "status" not in frame):
        return []
    closed, _resolved = closed_by(frame, ev.as_of("complaints"))
    if not closed.any():
        return []
    limit = data.config.checks.root_cause_min_pct
    period = data.config.audit.period_label
    if "root_cause" not in frame:
        return [
            Draft(
                grade="observation",
                title=_("Root causes of complaints not evidenced in the records supplied"),
                evidence=_(
                    "{closed} of {period} were closed; the complaint log supplied has no root-cause column.",
                    closed=count_of(int(closed.sum()), "{n} complaint", "{n} complaints"),
                    period=period,
                ),
                gap=_(
                    "Whether the causes of complaints are determined is not evidenced in the records supplied; the "
                    "complaint files are to be sampled on site."
                ),
                figures={"closed": int(closed.sum())},
                evidence_ids=_ids(frame, closed),
                questions=(
                    Ask(
                        _("How are the causes of complaints determined and recorded?"),
                        _("the complaint files of the verification sample, with their cause analysis"),
                        _("the complaint log supplied has no root-cause column"),
                    ),
                ),
            )
        ]
    recorded = frame["root_cause"].astype("string").str.strip().ne("").fillna(False).astype(bool)
    share = 100 * float((recorded & closed).sum()) / float(closed.sum())
    figures = {
        "closed": int(closed.sum()),
        "with_root_cause": int((recorded & closed).sum()),
        "value": share,
        "minimum": limit,
    }
    evidence = _(
        "{recorded} of the {closed} complaints closed in {period} ({share}) record a root cause.",
        recorded=format.count(figures["with_root_cause"]),
        closed=format.count(figures["closed"]),
        period=period,
        share=format.percent(share),
    )
    if share >= limit:
        return [conforming(_("Root causes are recorded for closed complaints"), evidence, figures)]
    ids = _ids(frame, closed & ~recorded)
    return [
        Draft(
            grade="minor",
            title=_(
                "Complaints closed without a root cause: {share} recorded (at least {limit} expected)",
                share=format.percent(share, 0),
                limit=format.percent(limit, 0),
            ),
            evidence=evidence + " " + _("Closed without one: {ids}.", ids=listed(ids)),
            gap=_(
                "Complaints were closed without the cause being determined, so the need for action to eliminate the "
                "cause cannot have been evaluated."
            ),
            kpi_id="root_cause_recorded_pct" if kpis.get("root_cause_recorded_pct") else None,
            figures=figures,
            evidence_ids=ids,
        )
    ]


def baseline(kpi: Kpi, quarters: int) -> tuple[float | None, tuple[str, ...]]:
    """The KPI's own baseline: the mean of up to ``quarters`` earlier quarters with a value (two at least).

    Returns:
        (the baseline or None, the quarters it comes from).
    """
    earlier = [(p, v) for p, v in kpi.history[:-1] if v is not None][-quarters:]
    if len(earlier) < 2:
        return None, ()
    return sum(v for _p, v in earlier) / len(earlier), tuple(p for p, _v in earlier)


@check(
    "repeat_complaints",
    "10.2.1 d",
    question="Did the action on earlier complaints work?",
    evidence="complaints repeating one by the same customer and category within analysis.repeat_window_days, "
    "against the target, else the organisation's own baseline (mean of checks.baseline_quarters earlier quarters)",
    rule="above its target → observation (missed two quarters running with no action on record → minor); without a "
    "target: above its baseline and up significantly on the quarter before → observation; with neither target nor "
    "baseline: above checks.repeat_complaint_max_pct (10%) → observation",
    subject="repeat_complaints",
    owns=("repeat_complaint_pct",),
)
def repeat_complaints(ev: Evidence) -> list[Draft]:
    """Repeat complaints against the organisation's own target or baseline (rule in docs/assessment.md)."""
    data, kpis = ev.data, ev.kpis
    kpi = kpis.get("repeat_complaint_pct")
    history = data.history.get("complaints")
    if kpi is None or kpi.value is None or history is None:
        return []
    checks, window = data.config.checks, data.config.analysis.repeat_window_days
    period = data.config.audit.period_label
    base, quarters = baseline(kpi, checks.baseline_quarters)
    figures: dict[str, Any] = {"value": kpi.value, "n": kpi.n, "window_days": window, "target": kpi.target}
    facts = [
        _(
            "{share} of the {n} complaints of {period} repeat a complaint by the same customer in the same category "
            "within {window} days.",
            share=fmt(kpi.value, "%"),
            n=format.count(kpi.n),
            period=period,
            window=format.count(window),
        )
        + change_text(kpi)
    ]
    if kpi.target is not None:
        over, limit, against = kpi.value > kpi.target, kpi.target, "target"
        facts.append(_("The organisation's target is at most {target}.", target=fmt(kpi.target, "%")))
    elif base is not None:
        over = kpi.value > base and significant_decline(kpi)
        limit, against = base, "baseline"
        figures |= {"baseline": base, "baseline_quarters": list(quarters)}
        facts.append(
            _(
                "Its own baseline, the mean of {quarters}, is {base}.",
                quarters=", ".join(quarters),
                base=fmt(base, "%"),
            )
        )
    else:
        limit, against = checks.repeat_complaint_max_pct, "limit"
        over = kpi.value > limit
        facts.append(
            _(
                "With neither a target nor earlier quarters to compare with, it is judged against the configured limit "
                "of {limit}.",
                limit=fmt(limit, "%"),
            )
        )
    figures |= {"against": against, "limit": limit}
    flags = repeat_flags(history, window).fillna(False).astype(bool)
    start, end = pd.Timestamp(data.config.audit.period_start), pd.Timestamp(data.config.audit.period_end)
    repeats = history.loc[flags & history["received_on"].between(start, end)]
    by_customer = Counter(str(c) for c in repeats["customer_id"])
    top = sorted(by_customer.items(), key=lambda item: (-item[1], item[0]))[:3]
    figures["top_customers"] = [[c, n] for c, n in top]
    if top and len(repeats):
        names = [
            _(
                "{customer} ({n}, {share} of the repeats)",
                customer=c,
                n=format.count(n),
                share=format.percent(100 * n / len(repeats), 0),
            )
            for c, n in top
        ]
        facts.append(
            _(
                "The most repeats come from {customers}.",
                customers=", ".join(names),
            )
        )
    evidence = " ".join(facts)
    if not over:
        return [conforming(_("Repeat complaints are within the organisation's own level"), evidence, figures)]
    ids = tuple(str(i) for i in repeats["complaint_id"])
    recorded = action_on_record(ev, "repeat_complaints", kpi.id) if against == "target" else ()
    chronic = against == "target" and missed_before(kpi) and recorded == ()
    grade: Grade = "minor" if chronic else "observation"
    titles = {
        "target": _(
            "Repeat complaints above target: {share} against at most {limit}",
            share=fmt(kpi.value, "%"),
            limit=fmt(limit, "%"),
        ),
        "baseline": _(
            "Repeat complaints up on their own baseline: {share} against {limit}",
            share=fmt(kpi.value, "%"),
            limit=fmt(limit, "%"),
        ),
        "limit": _(
            "Repeat complaints: {share} (at most {limit} expected)", share=fmt(kpi.value, "%"), limit=fmt(limit, "%")
        ),
    }
    gap = _(
        "Customers complaining again about the same thing suggests the actions taken on the first complaint did not "
        "remove its cause."
    )
    if chronic:
        gap += " " + _(
            "The target was missed the quarter before too, and no action on it is on record in the action register."
        )
    questions: tuple[Ask, ...] = ()
    if top:
        questions = (
            Ask(
                _("What was done about the repeated complaints of {customer}?", customer=top[0][0]),
                _("the corrective actions recorded on that customer's first complaints"),
                _("the complaint log does not link a complaint to the action taken on it"),
            ),
        )
    return [
        Draft(
            grade=grade,
            title=titles[against],
            evidence=evidence + " " + _("Repeats: {ids}.", ids=listed(ids)),
            gap=gap,
            kpi_id=kpi.id,
            figures=figures,
            evidence_ids=ids,
            questions=questions,
        )
    ]
