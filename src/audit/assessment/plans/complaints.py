"""Actions on complaint handling: timeliness, the complaint rate, repeats, root causes, records, acknowledgement."""

from __future__ import annotations

from audit import format
from audit.assessment.checks.base import count_of, fmt, ids_text
from audit.assessment.plans.base import Context, Plan, Success, kpi_success, measure
from audit.i18n import _

__all__ = ["acknowledgement", "rate", "records", "repeats", "root_causes", "timeliness"]


def timeliness(c: Context) -> Plan:
    sla = c.config.sla.complaint_resolve_days
    opened = int(c.fig("open_overdue", 0) or 0)
    median = c.fig("complaint_resolution_days_median") or {}
    p90 = c.fig("complaint_resolution_days_p90") or {}
    categories = ", ".join(f"{cat} ({format.count(n)})" for cat, n in (c.fig("late_categories") or [])[:3]) or _(
        "all categories"
    )
    target = float(c.fig("target") or c.config.checks.resolved_within_sla_min_pct)
    look = _(
        "find with the complaint handlers why only {share} were resolved within the SLA (median {median}, 90th "
        "percentile {p90}), starting with {categories}, and add an ageing review of open complaints to the weekly "
        "complaint meeting",
        share=fmt(c.fig("value"), "%"),
        median=fmt(median.get("value"), "days"),
        p90=fmt(p90.get("value"), "days"),
        categories=categories,
    )
    if opened:
        description = _(
            "Close or escalate the {open} open past the {sla}-day SLA (the oldest open {oldest} days; starting with "
            "{ids}); then {look}.",
            open=count_of(opened, "{n} complaint", "{n} complaints"),
            sla=format.number(sla, 0),
            oldest=format.count(c.fig("oldest_days", 0)),
            ids=ids_text(c.finding.evidence_ids[:opened]),
            look=look,
        )
    else:
        description = _("Complaints of {period}: {look}.", period=c.period, look=look)
    return Plan(
        description,
        _(
            "Customer-service team leader's time for {cases}; a weekly ageing report from the complaint log",
            cases=count_of(
                opened + int(c.fig("late_resolved", 0) or 0), "{n} late or open case", "{n} late or open cases"
            ),
        ),
        _(
            "Escalate every complaint still open after {half} days, half the {sla}-day SLA, to the customer-service "
            "manager; review the share resolved within the SLA monthly against its {target} target",
            half=format.number(sla / 2, 0),
            sla=format.number(sla, 0),
            target=fmt(target, "%"),
        ),
        measure("complaints_resolved_within_sla_pct", _("Complaints resolved within SLA"), target),
    )


def rate(c: Context) -> Plan:
    category, months = c.fig("category"), ", ".join(c.fig("months") or [])
    if category:
        description = _(
            "Investigate the special cause of the complaint rate in {months} ({peak} per 1,000 orders against an "
            "upper limit of {ucl}), led by {category} ({before} → {now} complaints a quarter; starting with {ids}): "
            "find the cause with the process owner, correct it, and review the u-chart monthly.",
            months=months,
            peak=format.number(c.fig("peak"), 1),
            ucl=format.number(c.fig("ucl"), 1),
            category=category,
            before=format.count(c.fig("before", 0)),
            now=format.count(c.fig("now", 0)),
            ids=c.ids,
        )
        resources = _(
            "Quality engineer's time with the owner of the process behind {category}; the {complaints} of {months}",
            category=category,
            complaints=count_of(c.count, "{n} {category} complaint", "{n} {category} complaints", category=category),
            months=months,
        )
        success: Success = (
            _(
                "No month above the u-chart's upper control limit in the next quarter, and {category} complaints back to "
                "about {before} a quarter",
                category=category,
                before=format.count(c.fig("before", 0)),
            ),
            "",
            None,
        )
    else:
        top = ", ".join(p.label for p in c.kpis.analyses.complaint_pareto[:3]) or _("the largest categories")
        description = _(
            "Analyse the complaints of {period} by category, product and customer to find what raised the complaint "
            "rate to {value} per 1,000 orders (target {target}); agree measures with the owners of {top}.",
            period=c.period,
            value=c.value(),
            target=c.target(),
            top=top,
        )
        resources = _("Quality engineer's time; the complaint log of {period}", period=c.period)
        success = kpi_success(c)
    preventive = _(
        "Review the u-chart of complaints per 1,000 orders every month and open an investigation on any month above "
        "its upper control limit"
    )
    return Plan(description, resources, preventive, success)


def repeats(c: Context) -> Plan:
    top = c.fig("top_customers") or []
    first = _(", beginning with the {n} of {customer}", n=format.count(top[0][1]), customer=top[0][0]) if top else ""
    limit = float(c.fig("limit") or c.config.checks.repeat_complaint_max_pct)
    return Plan(
        _(
            "Review the {repeats} of {period} (starting with {ids}){first} against the corrective actions taken on "
            "the first complaint; find why they did not remove the cause and revise them.",
            repeats=count_of(c.count, "{n} repeat complaint", "{n} repeat complaints"),
            period=c.period,
            ids=c.ids,
            first=first,
        ),
        _(
            "Quality engineer's time with the account managers of {customers}",
            customers=", ".join(t[0] for t in top) or _("the customers concerned"),
        ),
        _(
            "Link every complaint to the action taken on it in the complaint log, so that a repeat shows which action did not work"
        ),
        measure("repeat_complaint_pct", _("Repeat complaints"), limit, higher=False),
    )


def root_causes(c: Context) -> Plan:
    if "with_root_cause" not in c.finding.figures:
        description = _(
            "Add a root-cause field to the complaint log and record the cause of each closed complaint, the {n} of "
            "{period} first (starting with {ids}).",
            n=format.count(c.fig("closed", 0)),
            period=c.period,
            ids=c.ids,
        )
    else:
        description = _(
            "Determine and record the root cause of the {complaints} closed without one (starting with {ids}); make "
            "the root cause a required field before a complaint can be closed, and train the handlers in 5-why analysis.",
            complaints=count_of(c.count, "{n} complaint", "{n} complaints"),
            ids=c.ids,
        )
    return Plan(
        description,
        _(
            "Quality engineer's time for {analyses}; a complaint-log change",
            analyses=count_of(c.count, "{n} cause analysis", "{n} cause analyses"),
        ),
        _("Sample ten closed complaints a month for a recorded, plausible cause"),
        measure(
            "root_cause_recorded_pct", _("Closed complaints with a root cause"), c.config.checks.root_cause_min_pct
        ),
    )


def records(c: Context) -> Plan:
    return Plan(
        _(
            "Complete the {records} of {period} that lack the customer or a description (starting with {ids}); make "
            "both fields mandatory in the complaint log.",
            records=count_of(
                c.count or int(c.fig("complaints", 0) or 0), "{n} complaint record", "{n} complaint records"
            ),
            period=c.period,
            ids=c.ids,
        ),
        _("Complaint handlers' time; a complaint-log change"),
        _("Check new complaint records for both fields weekly until the log enforces them"),
        (
            _(
                "At least {limit} of complaint records complete at the next audit",
                limit=format.percent(c.config.checks.records_complete_min_pct, 0),
            ),
            "",
            None,
        ),
        "correction",
    )


def acknowledgement(c: Context) -> Plan:
    sla = c.config.sla.complaint_acknowledge_days
    return Plan(
        _(
            "Acknowledge every complaint within {sla} days ({share} did in {period}; late: {ids}): send an automatic "
            "receipt and check unacknowledged cases daily.",
            sla=format.number(sla, 0),
            share=fmt(c.fig("value"), "%"),
            period=c.period,
            ids=c.ids,
        ),
        _("An automatic receipt in the complaint system; the complaint desk's daily check"),
        _(
            "Report the share acknowledged within {sla} days weekly to the customer-service manager",
            sla=format.number(sla, 0),
        ),
        measure(
            "complaints_acknowledged_within_sla_pct",
            _("Complaints acknowledged within SLA"),
            c.config.checks.acknowledged_within_sla_min_pct,
        ),
    )
