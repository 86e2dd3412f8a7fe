"""Checks on how customer perception is monitored: ISO 9001:2015 9.1.2 (2008: 8.2.1).

Monitoring exists (a requirement: none → major); the methods in use, the adequacy of the
survey sample and closing the loop with dissatisfied respondents rest on ISO 10004
guidance (at most an ofi). What the exports cannot show (a follow-up the survey export has
no field for, dealer reports) is not evidenced in the records supplied and goes to the
auditee questions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from audit import format
from audit.assessment.checks.base import Ask, Draft, Evidence, check, conforming, count_of, fmt, listed
from audit.data.dataset import AuditData
from audit.i18n import N_, _
from audit.kpi.customers import current_tiers, customer_history

__all__ = [
    "METHODS",
    "closing_the_loop",
    "key_accounts",
    "methods_determined",
    "methods_in_use",
    "monitoring_exists",
    "sample_adequacy",
]

#: the sources of customer-perception information named in the note to 9.1.2, in its order
METHODS = (
    N_("customer surveys"),
    N_("customer feedback and complaints"),
    N_("delivered-product data and returns"),
    N_("warranty claims"),
    N_("delivery performance"),
    N_("compliments"),
    N_("lost-business analysis"),
    N_("dealer reports"),
)

_COMPLIMENT = r"compliment|praise|thank|表扬|感谢"


@check(
    "monitoring_exists",
    "9.1.2",
    question="Does the organisation obtain customers' views in the period?",
    evidence="survey responses received in the period",
    rule="none → major",
    subject="monitoring",
)
def monitoring_exists(ev: Evidence) -> list[Draft]:
    """No survey responses in the period → major: perception is not monitored."""
    data, kpis = ev.data, ev.kpis
    responses = kpis.get("responses")
    period = data.config.audit.period_label
    if responses is not None and responses.value:
        n = int(responses.value)
        return [
            conforming(
                _("Customers' views were obtained in the period"),
                _(
                    "{responses} received in {period}.",
                    responses=count_of(n, "{n} survey response was", "{n} survey responses were"),
                    period=period,
                ),
                {"responses": responses.value},
            )
        ]
    evidence = _("No survey responses were supplied for {period}.", period=period)
    if data.config.data.surveys is not None:
        evidence = _("The survey file supplied holds no response in {period}.", period=period)
    return [
        Draft(
            grade="major",
            title=_("Customer perception was not monitored in the period"),
            evidence=evidence,
            gap=_(
                "Without a method to obtain customers' views, the organisation relies on the absence of complaints, "
                "which does not show that customers are satisfied."
            ),
            figures={"responses": 0},
            questions=(
                Ask(
                    _("How were customers' views obtained in {period}, other than complaints?", period=period),
                    _("survey results, customer meeting notes or visit reports of the period"),
                    _("no survey responses were supplied"),
                ),
            ),
        )
    ]


def methods_in_use(ev: Evidence) -> dict[str, bool]:
    """Each source named in the note to 9.1.2 (a key of :data:`METHODS`): whether the data shows it in use."""
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
        METHODS[0]: responses is not None and bool(responses.value),
        METHODS[1]: complaints is not None,
        METHODS[2]: returns is not None,
        METHODS[3]: returns is not None and "warranty" in returns,
        METHODS[4]: orders is not None and {"promised_on", "delivered_on"} <= set(orders.columns),
        METHODS[5]: compliments,
        METHODS[6]: lost is not None and lost.value is not None,
        METHODS[7]: False,
    }


@check(
    "methods_determined",
    "9.1.2",
    question="Which methods does the organisation use to obtain customer perception?",
    evidence="which of the sources in the note to 9.1.2 the data shows in use",
    rule="fewer than checks.methods_min (3) → ofi; sources the data cannot show → auditee questions",
    guidance="ISO 10004",
    subject="monitoring_methods",
)
def methods_determined(ev: Evidence) -> list[Draft]:
    """Fewer than ``checks.methods_min`` of the note's sources in use → ofi (ISO 10004)."""
    data = ev.data
    used = methods_in_use(ev)
    on = [m for m in METHODS if used[m]]
    off = [m for m in METHODS if not used[m]]
    minimum = data.config.checks.methods_min
    evidence = _(
        "The data supplied for {period} shows {on} of the {all} sources named in the note to 9.1.2 in use: {used}. "
        "Not evidenced in the records supplied: {unused}.",
        period=data.config.audit.period_label,
        on=format.count(len(on)),
        all=format.count(len(METHODS)),
        used=", ".join(_(m) for m in on) or _("none"),
        unused=", ".join(_(m) for m in off) or _("none"),
    )
    figures = {"in_use": on, "not_in_use": off, "minimum": minimum}
    questions = tuple(
        Ask(
            _("Does the organisation use {source} to learn how customers perceive it?", source=_(m)),
            _("the {source} of the period, if any, and how they were reviewed", source=_(m)),
            _("the exports supplied do not show this source"),
        )
        for m in off
    )
    if not on:
        return []  # nothing monitored at all: monitoring_exists raises the major
    if len(on) >= minimum:
        title = count_of(
            len(on),
            "{n} method of monitoring customer perception in use",
            "{n} methods of monitoring customer perception in use",
        )
        return [conforming(title, evidence, figures, questions=questions)]
    return [
        Draft(
            grade="ofi",
            title=_(
                "Only {methods} of monitoring customer perception in use (at least {minimum} expected)",
                methods=count_of(len(on), "{n} method", "{n} methods"),
                minimum=format.count(minimum),
            ),
            evidence=evidence,
            gap=_(
                "Relying on few sources gives a narrow view of customer perception; further sources the organisation "
                "may hold ({sources}) could be used.",
                sources=", ".join(_(m) for m in off[:3]),
            ),
            figures=figures,
            guidance="ISO 10004",
            questions=questions,
        )
    ]


def key_accounts(data: AuditData) -> pd.Index | None:
    """The tier-A customers by revenue over the four quarters to the audited one's end.

    None without orders by customer, or without values to rank them by (see :mod:`audit.kpi.customers`).
    """
    orders = data.history.get("orders")
    if orders is None or "customer_id" not in orders or orders.empty:
        return None
    periods = data.periods
    table = customer_history(orders, periods)
    if table is None or not table.tiered:
        return None
    first = orders["ordered_on"].min()
    ends = [pd.Period(p.replace("-Q", "Q"), freq="Q").end_time.normalize() for p in periods] if len(periods) > 1 else []
    covered = [i == len(periods) - 1 or first <= ends[i] for i in range(len(periods))]
    tiers, _rows = current_tiers(table, covered)
    key: pd.Index = pd.Index(tiers.index[tiers.to_numpy() == "A"])
    return key


@check(
    "sample_adequacy",
    "9.1.2",
    question="Is the survey sample large and broad enough to act on?",
    evidence="response rate, margin of error (±, 95%), share of tier-A customers who answered",
    rule="response rate < checks.response_rate_min_pct (20%), margin of error > checks.margin_of_error_max_points (5), or key-account coverage < checks.key_account_coverage_min_pct (50%) → ofi",
    guidance="ISO 10004",
    subject="survey_sample",
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
        sent = data.config.data.surveys.sent if data.config.data.surveys else 0
        facts.append(
            _(
                "response rate {rate} ({n} of {sent} sent)",
                rate=fmt(rate.value, "%"),
                n=format.count(responses.value),
                sent=format.count(sent or 0),
            )
        )
        if rate.value < limits.response_rate_min_pct:
            figures.setdefault("short", []).append("response_rate")
            shortfalls.append(
                _("the response rate is below {limit}", limit=format.percent(limits.response_rate_min_pct, 0))
            )
    moe = kpis.get("margin_of_error_pct")
    if moe is not None and moe.value is not None:
        figures["margin_of_error_points"] = moe.value
        facts.append(_("margin of error ±{moe} points at 95% confidence", moe=format.number(moe.value, 1)))
        if moe.value > limits.margin_of_error_max_points:
            figures.setdefault("short", []).append("margin_of_error")
            shortfalls.append(
                _(
                    "the margin of error exceeds ±{limit} points",
                    limit=format.number(limits.margin_of_error_max_points, 0),
                )
            )
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
        facts.append(
            _(
                "{answered} of {accounts} key accounts (tier A) answered ({share})",
                answered=format.count(int(answered.sum())),
                accounts=format.count(len(accounts)),
                share=format.percent(coverage, 0),
            )
        )
        if coverage < limits.key_account_coverage_min_pct:
            figures.setdefault("short", []).append("key_accounts")
            shortfalls.append(
                _(
                    "fewer than {limit} of key accounts answered",
                    limit=format.percent(limits.key_account_coverage_min_pct, 0),
                )
            )
            ids = tuple(str(c) for c in sorted(accounts[~answered]))
    if not facts:
        return []
    evidence = _("In {period}: {facts}.", period=data.config.audit.period_label, facts="; ".join(facts))
    if not shortfalls:
        return [conforming(_("The survey sample is adequate"), evidence, figures)]
    if ids:
        evidence += " " + _("Key accounts that did not answer: {ids}.", ids=listed(ids))
    first = figures["short"][0]
    return [
        Draft(
            grade="ofi",
            title=_("Survey sample not adequate: {shortfalls}", shortfalls="; ".join(shortfalls)),
            evidence=evidence,
            gap=_("The survey results may not represent the customer base with the precision needed to act on them."),
            kpi_id={"response_rate": "response_rate_pct", "margin_of_error": "margin_of_error_pct"}.get(first),
            figures=figures | {"shortfalls": shortfalls},
            evidence_ids=ids,
            guidance="ISO 10004",
        )
    ]


@check(
    "closing_the_loop",
    "9.1.2",
    question="Are dissatisfied respondents followed up?",
    evidence="respondents scoring overall in the bottom two boxes, the survey's follow-up field and complaint records",
    rule="with a follow-up field: any with neither a follow-up nor a complaint on record → ofi; without one: the "
    "follow-up is not evidenced in the records supplied → ofi and an auditee question",
    guidance="ISO 10004",
    subject="survey_follow_up",
)
def closing_the_loop(ev: Evidence) -> list[Draft]:
    """Dissatisfied respondents: followed up on record, not followed up, or not evidenced (no follow-up field)."""
    data, kpis = ev.data, ev.kpis
    surveys = data.frames.get("surveys")
    source = data.config.data.surveys
    if surveys is None or source is None or "overall" not in surveys or surveys.empty:
        return []
    scale = source.scale_of("overall")
    period = data.config.audit.period_label
    unhappy = surveys.loc[surveys["overall"] <= scale.min + 1]
    low, span = format.number(scale.min + 1, 0), f"{scale.min}–{scale.max}"
    if unhappy.empty:
        return [
            conforming(
                _("No dissatisfied respondent in the period"),
                _("No response scored {low} or lower on the {span} scale.", low=low, span=span),
            )
        ]
    has_field = "followed_up" in unhappy
    followed = np.zeros(len(unhappy), dtype=bool)
    if has_field:
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
    figures = {"dissatisfied": len(unhappy), "not_followed_up": len(loose), "follow_up_field": has_field}
    figures["with_complaint"] = int(complained.sum())
    respondents = count_of(len(unhappy), "{n} respondent", "{n} respondents")
    if loose.empty:
        return [
            conforming(
                _("Every dissatisfied respondent was followed up"),
                _(
                    "All {respondents} of {period} who scored {low} or lower on the {span} scale have a follow-up or a "
                    "complaint on record.",
                    respondents=respondents,
                    period=period,
                    low=low,
                    span=span,
                ),
                figures,
            )
        ]
    ids = tuple(str(i) for i in loose["response_id"])
    evidence = _(
        "{respondents} of {period} scored overall satisfaction {low} or lower on the {span} scale; {with_complaint} of "
        "them have a complaint on record.",
        respondents=respondents,
        period=period,
        low=low,
        span=span,
        with_complaint=format.count(int(complained.sum())),
    )
    if has_field:
        return [
            Draft(
                grade="ofi",
                title=count_of(
                    len(loose),
                    "{n} dissatisfied respondent not followed up",
                    "{n} dissatisfied respondents not followed up",
                ),
                evidence=evidence
                + " "
                + _(
                    "{n} have neither a follow-up recorded nor a complaint on record: {ids}.",
                    n=format.count(len(loose)),
                    ids=listed(ids),
                ),
                gap=_(
                    "Dissatisfied customers who are not contacted are a lost chance to recover the relationship and to "
                    "learn the cause; the survey loop is not closed."
                ),
                kpi_id="dissatisfied_pct" if kpis.get("dissatisfied_pct") else None,
                figures=figures,
                evidence_ids=ids,
                guidance="ISO 10004",
            )
        ]
    return [
        Draft(
            grade="ofi",
            title=_(
                "Follow-up of {n} dissatisfied respondents not evidenced in the records supplied",
                n=format.count(len(loose)),
            ),
            evidence=evidence
            + " "
            + _(
                "The survey export has no follow-up field, so whether the other {n} were contacted is not evidenced in "
                "the records supplied: {ids}.",
                n=format.count(len(loose)),
                ids=listed(ids),
            ),
            gap=_(
                "Following up dissatisfied customers closes the survey loop; the follow-up is not evidenced in the "
                "records supplied (the survey data has no record of it), so it is put to the auditee."
            ),
            kpi_id="dissatisfied_pct" if kpis.get("dissatisfied_pct") else None,
            figures=figures,
            evidence_ids=ids,
            guidance="ISO 10004",
            questions=(
                Ask(
                    _("Were the dissatisfied respondents of {period} contacted, and what came of it?", period=period),
                    _(
                        "follow-up records (call notes, e-mails, CRM activities) for the responses in the verification sample"
                    ),
                    _("the survey export has no follow-up field"),
                ),
            ),
        )
    ]
