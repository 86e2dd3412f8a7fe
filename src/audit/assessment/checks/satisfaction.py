"""Checks on how customer perception is monitored: ISO 9001:2015 9.1.2 (2008: 8.2.1).

Monitoring exists (a requirement: none → major); the methods in use, the adequacy of the
survey sample and closing the loop with dissatisfied respondents rest on ISO 10004
guidance (at most an ofi).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from audit.assessment.checks.base import Draft, Evidence, check, conforming, fmt, plural
from audit.data.dataset import AuditData
from audit.kpi.customers import current_tiers, customer_history

__all__ = [
    "closing_the_loop",
    "key_accounts",
    "methods_determined",
    "methods_in_use",
    "monitoring_exists",
    "sample_adequacy",
]

#: the sources of customer-perception information named in the note to 9.1.2, in its order
METHODS = (
    "customer surveys",
    "customer feedback and complaints",
    "delivered-product data and returns",
    "warranty claims",
    "delivery performance",
    "compliments",
    "lost-business analysis",
    "dealer reports",
)

_COMPLIMENT = r"compliment|praise|thank|表扬|感谢"


@check(
    "monitoring_exists",
    "9.1.2",
    question="Does the organisation obtain customers' views in the period?",
    evidence="survey responses received in the period",
    rule="none → major",
)
def monitoring_exists(ev: Evidence) -> list[Draft]:
    """No survey responses in the period → major: perception is not monitored."""
    data, kpis = ev.data, ev.kpis
    responses = kpis.get("responses")
    if responses is not None and responses.value:
        return [
            conforming("Customers' views were obtained in the period",
                f"{plural(responses.value, 'survey response')} were received in {data.config.audit.period_label}.",
                {"responses": responses.value},
            )
        ]  # fmt: skip
    return [
        Draft(
            grade="major",
            title="Customer perception was not monitored in the period",
            evidence=f"No survey responses were supplied for {data.config.audit.period_label}"
            + ("." if data.config.data.surveys is None else " (the survey file holds none in the period)."),
            gap="Without a method to obtain customers' views, the organisation relies on the absence of "
            "complaints, which does not show that customers are satisfied.",
            figures={"responses": 0},
        )
    ]


def methods_in_use(ev: Evidence) -> dict[str, bool]:
    """Each source named in the note to 9.1.2: whether the data shows it in use."""
    data, kpis = ev.data, ev.kpis
    frames = data.frames
    complaints, returns, orders = (frames.get(k) for k in ("complaints", "returns", "orders"))
    responses = kpis.get("responses")
    lost = kpis.get("lost_customers")
    compliments = False
    if complaints is not None and len(complaints):
        text = complaints["category"].astype("string")
        compliments = bool(text.str.contains(_COMPLIMENT, case=False, regex=True).fillna(False).any())
    return {
        "customer surveys": responses is not None and bool(responses.value),
        "customer feedback and complaints": complaints is not None,
        "delivered-product data and returns": returns is not None,
        "warranty claims": returns is not None and "warranty" in returns,
        "delivery performance": orders is not None and {"promised_on", "delivered_on"} <= set(orders.columns),
        "compliments": compliments,
        "lost-business analysis": lost is not None and lost.value is not None,
        "dealer reports": False,
    }


@check(
    "methods_determined",
    "9.1.2",
    question="Which methods does the organisation use to obtain customer perception?",
    evidence="which of the sources in the note to 9.1.2 the data shows in use",
    rule="fewer than checks.methods_min (3) → ofi",
    guidance="ISO 10004",
)
def methods_determined(ev: Evidence) -> list[Draft]:
    """Fewer than ``checks.methods_min`` of the note's sources in use → ofi (ISO 10004)."""
    data = ev.data
    used = methods_in_use(ev)
    on = [m for m in METHODS if used[m]]
    off = [m for m in METHODS if not used[m]]
    minimum = data.config.checks.methods_min
    evidence = (
        f"The data supplied for {data.config.audit.period_label} shows {len(on)} of the {len(METHODS)} sources named in "
        f"the note to 9.1.2 in use: {', '.join(on) or 'none'}. Not evidenced in the data: {', '.join(off) or 'none'}."
    )
    figures = {"in_use": on, "not_in_use": off, "minimum": minimum}
    if not on:
        return []  # nothing monitored at all: monitoring_exists raises the major
    if len(on) >= minimum:
        return [
            conforming(
                f"{len(on)} methods of monitoring customer perception in use",
                evidence,
                figures,
            )
        ]
    return [
        Draft(
            grade="ofi",
            title=f"Only {plural(len(on), 'method')} of monitoring customer perception in use (at least {minimum} expected)",
            evidence=evidence,
            gap="Relying on few sources gives a narrow view of customer perception; further sources the organisation "
            f"already holds ({', '.join(off[:3])}) could be used.",
            figures=figures,
            guidance="ISO 10004",
        )
    ]


def key_accounts(data: AuditData) -> pd.Index | None:
    """The tier-A customers by revenue over the four quarters to the audited one's end; None without orders by customer."""
    orders = data.history.get("orders")
    if orders is None or "customer_id" not in orders or orders.empty:
        return None
    periods = data.periods
    table = customer_history(orders, periods)
    if table is None:
        return None
    first = orders["ordered_on"].min()
    ends = [pd.Period(p.replace("-Q", "Q"), freq="Q").end_time.normalize() for p in periods] if len(periods) > 1 else []
    covered = [i == len(periods) - 1 or first <= ends[i] for i in range(len(periods))]
    tiers, _ = current_tiers(table, covered)
    key: pd.Index = pd.Index(tiers.index[tiers.to_numpy() == "A"])
    return key


@check(
    "sample_adequacy",
    "9.1.2",
    question="Is the survey sample large and broad enough to act on?",
    evidence="response rate, margin of error (±, 95%), share of tier-A customers who answered",
    rule="response rate < checks.response_rate_min_pct (20%), margin of error > checks.margin_of_error_max_points (5), or key-account coverage < checks.key_account_coverage_min_pct (50%) → ofi",
    guidance="ISO 10004",
)
def sample_adequacy(ev: Evidence) -> list[Draft]:
    """Response rate, margin of error and key-account coverage against ``checks:`` → ofi (ISO 10004)."""
    data, kpis = ev.data, ev.kpis
    responses = kpis.get("responses")
    if responses is None or not responses.value:
        return []
    limits = data.config.checks
    facts: list[str] = []
    shortfalls: list[str] = []
    figures: dict[str, Any] = {}
    ids: tuple[str, ...] = ()
    rate = kpis.get("response_rate_pct")
    if rate is not None and rate.value is not None:
        figures["response_rate_pct"] = rate.value
        facts.append(
            f"response rate {fmt(rate.value, '%')} ({responses.value:,.0f} of {data.config.data.surveys.sent if data.config.data.surveys else 0:,} sent)"
        )
        if rate.value < limits.response_rate_min_pct:
            shortfalls.append(f"the response rate is below {limits.response_rate_min_pct:g}%")
    moe = kpis.get("margin_of_error_pct")
    if moe is not None and moe.value is not None:
        figures["margin_of_error_points"] = moe.value
        facts.append(f"margin of error ±{moe.value:.1f} points at 95% confidence")
        if moe.value > limits.margin_of_error_max_points:
            shortfalls.append(f"the margin of error exceeds ±{limits.margin_of_error_max_points:g} points")
    accounts = key_accounts(data)
    surveys = data.frames.get("surveys")
    if accounts is not None and len(accounts) and surveys is not None and "customer_id" in surveys:
        answered = accounts.isin(surveys["customer_id"].dropna().unique())
        coverage = 100 * float(answered.mean())
        figures |= {
            "key_accounts": len(accounts),
            "key_accounts_answered": int(answered.sum()),
            "key_account_coverage_pct": coverage,
        }
        facts.append(f"{int(answered.sum())} of {len(accounts)} key accounts (tier A) answered ({coverage:.0f}%)")
        if coverage < limits.key_account_coverage_min_pct:
            shortfalls.append(f"fewer than {limits.key_account_coverage_min_pct:g}% of key accounts answered")
            ids = tuple(str(c) for c in sorted(accounts[~answered]))
    if not facts:
        return []
    evidence = f"In {data.config.audit.period_label}: " + "; ".join(facts) + "."
    if not shortfalls:
        return [conforming("The survey sample is adequate", evidence, figures)]
    return [
        Draft(
            grade="ofi",
            title="Survey sample not adequate: " + "; ".join(shortfalls),
            evidence=evidence + (f" Key accounts that did not answer: {', '.join(ids[:5])}." if ids else ""),
            gap="The survey results may not represent the customer base with the precision needed to act on them.",
            kpi_id="response_rate_pct"
            if "response_rate_pct" in figures and shortfalls[0].startswith("the response")
            else None,
            figures=figures | {"shortfalls": shortfalls},
            evidence_ids=ids,
            guidance="ISO 10004",
        )
    ]


@check(
    "closing_the_loop",
    "9.1.2",
    question="Are dissatisfied respondents followed up?",
    evidence="respondents scoring overall in the bottom two boxes, their follow-up flag and complaint records",
    rule="any with neither a follow-up nor a complaint on record → ofi",
    guidance="ISO 10004",
)
def closing_the_loop(ev: Evidence) -> list[Draft]:
    """Dissatisfied respondents with no follow-up recorded and no complaint on record → ofi (ISO 10004)."""
    data, kpis = ev.data, ev.kpis
    surveys = data.frames.get("surveys")
    source = data.config.data.surveys
    if surveys is None or source is None or "overall" not in surveys or surveys.empty:
        return []
    scale = source.scale_of("overall")
    unhappy = surveys.loc[surveys["overall"] <= scale.min + 1]
    if unhappy.empty:
        return [conforming("No dissatisfied respondent in the period",
                           f"No response scored {scale.min + 1} or lower on the {scale.min}–{scale.max} scale.")]  # fmt: skip
    followed = np.zeros(len(unhappy), dtype=bool)
    if "followed_up" in unhappy:
        followed = unhappy["followed_up"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    complained = np.zeros(len(unhappy), dtype=bool)
    complaints = data.history.get("complaints")
    if complaints is not None and "customer_id" in complaints and "customer_id" in unhappy:
        since = pd.Timestamp(data.config.audit.period_start) - pd.Timedelta(
            days=data.config.analysis.repeat_window_days
        )
        recent = complaints.loc[complaints["received_on"] >= since, "customer_id"].dropna().unique()
        complained = unhappy["customer_id"].isin(recent).to_numpy()
    loose = unhappy.loc[~(followed | complained)]
    figures = {"dissatisfied": len(unhappy), "not_followed_up": len(loose)}
    how = (
        "a follow-up recorded"
        if "followed_up" in surveys
        else "a complaint on record (the survey has no follow-up column)"
    )
    if loose.empty:
        return [conforming("Every dissatisfied respondent was followed up",
                           f"All {plural(len(unhappy), 'dissatisfied respondent')} (overall ≤ {scale.min + 1}) have {how}.", figures)]  # fmt: skip
    ids = tuple(str(i) for i in loose["response_id"])
    return [
        Draft(
            grade="ofi",
            title=f"{plural(len(loose), 'dissatisfied respondent')} not followed up",
            evidence=f"{len(unhappy):,} respondents in {data.config.audit.period_label} scored overall satisfaction "
            f"{scale.min + 1} or lower on the {scale.min}–{scale.max} scale; {len(loose):,} of them have neither a follow-up "
            f"recorded nor a complaint on record. Examples: {', '.join(ids[:5])}.",
            gap="Dissatisfied customers who are not contacted are a lost chance to recover the relationship and "
            "to learn the cause; the survey loop is not closed.",
            kpi_id="dissatisfied_pct" if kpis.get("dissatisfied_pct") else None,
            figures=figures,
            evidence_ids=ids,
            guidance="ISO 10004",
        )
    ]
