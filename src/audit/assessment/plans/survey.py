"""Actions on survey results and on how perception is monitored: dimensions, overall satisfaction, the sample, follow-up, methods."""

from __future__ import annotations

from audit import format
from audit.assessment.checks.base import count_of, fmt
from audit.assessment.plans.base import Context, Plan, Success, kpi_success, measure
from audit.catalogue import dimension_name
from audit.i18n import _

__all__ = ["dimension", "follow_up", "methods", "monitoring", "overall", "sample"]


def dimension(c: Context) -> Plan:
    dim = c.finding.subject.partition(":")[2]
    name = dimension_name(dim)
    kpi = c.kpis.get(f"dimension_{dim}_mean")
    facts = []
    if kpi is not None and "trend_decline" in c.finding.checks and kpi.previous is not None:
        facts.append(
            _(
                "its mean fell from {before} to {now} ({p})",
                before=fmt(kpi.previous, kpi.unit, kpi.id),
                now=fmt(kpi.value, kpi.unit, kpi.id),
                p=format.p_text(kpi.p_value),
            )
        )
    gap = c.kpis.get(f"gap_{dim}")
    if gap is not None and gap.value is not None and gap.value < 0:
        facts.append(_("perception falls short of expectation by {gap} points", gap=format.number(-gap.value, 2)))
    if dim in (c.fig("concentrate_here") or []):
        facts.append(_("the importance–performance analysis puts it in 'concentrate here'"))
    description = _(
        "Run an improvement project on {name} ({facts}): find from the {responses} scoring it low, and their "
        "comments, what customers miss; agree two or three measures with the process owner, and track the {name} "
        "score quarterly.",
        name=name,
        facts="; ".join(facts) or c.finding.title,
        responses=count_of(c.count, "{n} response", "{n} responses"),
    )
    if kpi is not None and kpi.previous is not None and "trend_decline" in c.finding.checks:
        success: Success = (
            _(
                "{label} back to at least {before} at the next audit",
                label=_(kpi.label),
                before=fmt(kpi.previous, kpi.unit, kpi.id),
            ),
            kpi.id,
            kpi.previous,
        )
    elif gap is not None:
        limit = c.config.checks.gap_max_points
        success = (
            _("{label} ≥ −{limit} at the next audit", label=_(gap.label), limit=format.number(limit, 1)),
            gap.id,
            -limit,
        )
    else:
        success = (_("{name} no longer in IPA 'concentrate here' at the next audit", name=name), "", None)
    return Plan(
        description,
        _(
            "Process owner's and customer service's time; the {responses} and comments on {name}",
            responses=count_of(c.count, "{n} survey response", "{n} survey responses"),
            name=name,
        ),
        _(
            "Add {name} to the monthly survey review, with an alert when its mean falls outside the 95% interval of the "
            "quarter before",
            name=name,
        ),
        success,
    )


def overall(c: Context) -> Plan:
    shown = []
    for kpi_id in c.finding.kpi_ids:
        kpi = c.kpis.get(kpi_id)
        if kpi is not None:
            shown.append(_("{label} to {value}", label=_(kpi.label), value=fmt(kpi.value, kpi.unit, kpi.id)))
    responses = c.kpis.get("responses")
    weakest = sorted((v, n) for n, v in c.kpis.breakdowns.get("dimension_means", ()) if v == v)[:2]
    description = _(
        "Analyse the {n} survey responses of {period} to find what drove {what}: compare the {low} lowest-scoring "
        "responses (starting with {ids}) with the others by dimension{weakest}, product and channel; agree measures "
        "with the process owners and review them monthly.",
        n=format.count(responses.value if responses is not None else 0),
        period=c.period,
        what=", ".join(shown) or c.finding.title,
        low=format.count(c.count),
        ids=c.ids,
        weakest=_(" (lowest: {names})", names=", ".join(dimension_name(n) for _v, n in weakest)) if weakest else "",
    )
    return Plan(
        description,
        _("Customer-service analyst's time; the survey data and comments of {period}", period=c.period),
        _(
            "Review {labels} monthly in the customer-satisfaction meeting, with the dimensions behind them",
            labels=", ".join(_(k.label) for k in map(c.kpis.get, c.finding.kpi_ids) if k is not None)
            or c.finding.subject_label,
        ),
        kpi_success(c),
    )


def sample(c: Context) -> Plan:
    short = c.fig("short") or []
    checks = c.config.checks
    if "response_rate" in short:
        success = measure("response_rate_pct", _("Survey response rate"), checks.response_rate_min_pct)
    elif "margin_of_error" in short:
        success = measure(
            "margin_of_error_pct", _("Survey margin of error (±)"), checks.margin_of_error_max_points, higher=False
        )
    else:
        success = (
            _(
                "At least {limit} of key accounts answering the next survey",
                limit=format.percent(checks.key_account_coverage_min_pct, 0),
            ),
            "",
            None,
        )
    starting = _(", starting with {ids}", ids=c.ids) if c.count else ""
    return Plan(
        _(
            "Improve the survey sample ({shortfalls}): send reminders, shorten the questionnaire, and ask the account "
            "managers to invite each key account{starting}.",
            shortfalls="; ".join(c.fig("shortfalls") or []),
            starting=starting,
        ),
        _("Customer service's time for reminders; the account managers' contacts"),
        _("Track the response rate and the key accounts answering after each survey wave"),
        success,
    )


def follow_up(c: Context) -> Plan:
    n = int(c.fig("not_followed_up", c.count) or 0)
    if c.fig("follow_up_field", True):
        description = _(
            "Contact the {respondents} of {period} not yet followed up (starting with {ids}), record the "
            "outcome, and open a complaint where they report a problem; add a follow-up step for every bottom-two-box "
            "score to the survey procedure.",
            respondents=count_of(n, "{n} dissatisfied respondent", "{n} dissatisfied respondents"),
            period=c.period,
            ids=c.ids,
        )
    else:
        description = _(
            "Add a follow-up field to the survey records, and record for the {respondents} of {period} "
            "without a complaint on record (starting with {ids}) whether and how they were contacted.",
            respondents=count_of(n, "{n} dissatisfied respondent", "{n} dissatisfied respondents"),
            period=c.period,
            ids=c.ids,
        )
    return Plan(
        description,
        _("Customer service's time for {n}", n=count_of(n, "{n} call", "{n} calls")),
        _(
            "Send each bottom-two-box response to customer service the day it arrives, with a follow-up due within a week"
        ),
        (_("Every dissatisfied respondent of the next quarter followed up, on record"), "", None),
        "correction",
    )


def monitoring(c: Context) -> Plan:
    return Plan(
        _(
            "Set up a method to obtain customers' views from {period} on (survey, interviews or feedback forms), with a "
            "sampling plan that covers the key accounts, and report the results to management review.",
            period=c.period,
        ),
        _("Survey tool or interview plan; customer service's time to contact customers"),
        _("Put the method, its frequency and its owner into the monitoring procedure"),
        (_("Survey responses from every key account in the next quarter"), "", None),
    )


def methods(c: Context) -> Plan:
    sources = ", ".join(_(s) for s in c.fig("not_in_use") or [])
    return Plan(
        _(
            "Add to the customer-satisfaction review the sources not evidenced in {period} ({sources}), starting with "
            "the one easiest to obtain, and record in the monitoring procedure which methods are used and how often.",
            period=c.period,
            sources=sources,
        ),
        _("Quality manager's time; the data already held by sales and service"),
        _("Review the list of monitoring methods at each management review"),
        (
            count_of(
                c.config.checks.methods_min,
                "At least {n} method in use at the next audit",
                "At least {n} methods in use at the next audit",
            ),
            "",
            None,
        ),
    )
