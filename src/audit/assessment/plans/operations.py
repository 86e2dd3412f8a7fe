"""Actions on lost business, returns, delivery, the data, earlier actions, systemic breakdowns and other objectives."""

from __future__ import annotations

from audit import format
from audit.assessment.checks.base import count_of, fmt, ids_text
from audit.assessment.plans.base import Context, Plan, kpi_success, measure
from audit.i18n import _

__all__ = ["delivery", "ineffective", "integrity", "lost", "objective", "overdue", "returns", "systemic"]


def lost(c: Context) -> Plan:
    accounts = ids_text(c.fig("accounts") or list(c.finding.evidence_ids), 5)
    return Plan(
        _(
            "Contact {accounts} (revenue {revenue} over the four quarters before) to learn why they stopped ordering; "
            "record the analysis and feed the causes into the customer-satisfaction review.",
            accounts=accounts,
            revenue=format.count(c.fig("revenue", 0)),
        ),
        _(
            "Sales director's and the account managers' time for {n}",
            n=count_of(c.count, "{n} visit or call", "{n} visits or calls"),
        ),
        _(
            "Review in the monthly sales meeting every key account that has not ordered for a quarter, before it is lost"
        ),
        (_("Loss analysis on record for {accounts}", accounts=accounts), "", None),
    )


def returns(c: Context) -> Plan:
    if c.finding.check == "returns_analysed":
        return Plan(
            _(
                "Record a reason on every return ({shortfalls}; starting with {ids}), mark warranty claims, and review "
                "the reason Pareto monthly with production and purchasing.",
                shortfalls="; ".join(c.fig("shortfalls") or []),
                ids=c.ids,
            ),
            _("Returns desk's time; a mandatory reason and warranty field in the RMA form"),
            _("Do not close an RMA without a reason and a warranty flag"),
            (
                _(
                    "At least {limit} of returns with a reason, warranty claims marked",
                    limit=format.percent(c.config.checks.return_reason_min_pct, 0),
                ),
                "",
                None,
            ),
        )
    reasons = ", ".join(p.label for p in c.kpis.analyses.return_reasons[:3]) or _("the leading reasons")
    return Plan(
        _(
            "Analyse the {returns} of {period} by reason and product ({label} {value}, target {target}); raise "
            "corrective actions on {reasons} with the processes responsible.",
            returns=count_of(c.count, "{n} return", "{n} returns"),
            period=c.period,
            label=_(c.kpi.label) if c.kpi else c.finding.subject_label,
            value=c.value(),
            target=c.target(),
            reasons=reasons,
        ),
        _("Quality engineer's time with production and purchasing; the RMA records of {period}", period=c.period),
        _("Review the return-reason Pareto monthly and act on the top reason"),
        kpi_success(c),
    )


def delivery(c: Context) -> Plan:
    kpi = c.kpi
    target = kpi.target if kpi is not None and kpi.target is not None else c.config.checks.otif_min_pct
    return Plan(
        _(
            "Analyse the {orders} of {period} (starting with {ids}) by cause, carrier and product "
            "({label} {value} against {target}); agree corrective measures with planning and logistics.",
            orders=count_of(c.count, "{n} late or short order", "{n} late or short orders"),
            period=c.period,
            ids=c.ids,
            label=_(kpi.label) if kpi else c.finding.subject_label,
            value=c.value(),
            target=fmt(target, "%"),
        ),
        _("Logistics planner's time; the carriers' delivery records for the late orders"),
        _("Review OTIF weekly by carrier and product, with an alert below {target}", target=fmt(target, "%")),
        measure(kpi.id if kpi else "otif_pct", _(kpi.label) if kpi else _("On time in full (OTIF)"), target),
    )


def integrity(c: Context) -> Plan:
    over = ", ".join(c.fig("over") or [])
    return Plan(
        _(
            "Correct the invalid and duplicated rows at their source ({what}; starting with {ids}), find which entry "
            "step lets them through, and add a check there.",
            what=over or count_of(int(c.fig("duplicates", 0) or 0), "{n} duplicate id", "{n} duplicate ids"),
            ids=c.ids,
        ),
        _("The system owners' time for the corrections; a validation rule at entry"),
        _("Run the data-quality check of this tool on each month's exports before the monthly review"),
        (
            _(
                "No more than {limit} of rows invalid and no duplicate ids at the next audit",
                limit=format.percent(c.config.checks.quarantined_max_pct, 0),
            ),
            "",
            None,
        ),
        "correction",
    )


def overdue(c: Context) -> Plan:
    owners = ", ".join(c.fig("owners") or []) or _("the owners named in the register")
    return Plan(
        _(
            "Complete or re-plan the {actions} from earlier audits (starting with {ids}) with {owners}, record the "
            "new dates in actions.xlsx, and review open actions monthly.",
            actions=count_of(c.count, "{n} overdue action", "{n} overdue actions"),
            ids=c.ids,
            owners=owners,
        ),
        _("The action owners' time; a monthly review of the register by the quality manager"),
        _("Agree a due date with each owner when an action is raised, and escalate any action a month past due"),
        (_("No action in the register past its due date at the next audit"), "", None),
    )


def ineffective(c: Context) -> Plan:
    return Plan(
        _(
            "Re-open the {actions} closed without reaching their success measure ({ids}); find why the measure did "
            "not move, revise each action, and close it only when the measure is met.",
            actions=count_of(c.count, "{n} action", "{n} actions"),
            ids=c.ids,
        ),
        _("The action owners' and the quality manager's time"),
        _("Close an action only after its success measure has been recomputed and met"),
        (_("The success measure of each re-opened action met at the next audit"), "", None),
    )


def systemic(c: Context) -> Plan:
    clause = c.finding.clause_2015
    return Plan(
        _(
            "Review the process behind ISO 9001:2015 {clause} as a whole: the {n} minor nonconformities against it ({ids}) "
            "point to a common cause; determine it, correct it, and present the plan to management review.",
            clause=clause,
            n=format.count(c.count),
            ids=c.ids,
        ),
        _("Management review; the quality manager and the process owners"),
        _("Audit the process behind {clause} again within six months", clause=clause),
        (_("No nonconformity against {clause} at the next audit", clause=clause), "", None),
    )


def objective(c: Context) -> Plan:
    kpi = c.kpi
    label = _(kpi.label) if kpi is not None else c.finding.subject_label
    return Plan(
        _(
            "Find with the process owner what kept {label} at {value} in {period} against a target of {target}; agree "
            "measures and review the KPI monthly.",
            label=label,
            value=c.value(),
            period=c.period,
            target=c.target(),
        ),
        _("The process owner's time; the records behind {label}", label=label),
        _("Review {label} monthly against its target", label=label),
        kpi_success(c),
    )
