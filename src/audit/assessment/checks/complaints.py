"""Checks on complaint handling: ISO 9001:2015 8.2.1 c (2008: 7.2.3 c) and 10.2 (2008: 8.5.2).

Records and acknowledgement rest on ISO 10002 guidance (at most an ofi); complaints left
open past the organisation's own limit, and closed without a root cause, are
nonconformities; repeat complaints are a sign that corrective action did not work.
"""

from __future__ import annotations

import pandas as pd

from audit import format
from audit.assessment.checks.base import Draft, Evidence, check, conforming, fmt, plural
from audit.assessment.checks.words import growing_theme_evidence
from audit.data.dataset import AuditData
from audit.kpi.complaints import acknowledgement_flags, closed_by, repeat_flags, resolution_flags

__all__ = [
    "RECORD_FIELDS",
    "complaint_records",
    "complaint_spike",
    "complaints_acknowledged",
    "complaints_resolved",
    "overdue_complaints",
    "repeat_complaints",
    "root_cause_recorded",
]

#: what every complaint record should hold besides the required id, date and category (ISO 10002 7.3)
RECORD_FIELDS = ("customer_id", "description")


def _ids(frame: pd.DataFrame, mask: pd.Series) -> tuple[str, ...]:
    return tuple(str(i) for i in frame.loc[mask, "complaint_id"])


def _period_end(data: AuditData) -> pd.Timestamp:
    return pd.Timestamp(data.config.audit.period_end)


@check(
    "complaint_records",
    "8.2.1 c",
    question="Are complaint records complete?",
    evidence="share of complaints naming the customer and describing the complaint",
    rule="< checks.records_complete_min_pct (95%) → ofi",
    guidance="ISO 10002",
)
def complaint_records(ev: Evidence) -> list[Draft]:
    """Share of complaint records with the customer and a description below ``checks.records_complete_min_pct`` → ofi."""
    data = ev.data
    frame = data.frames.get("complaints")
    if frame is None or frame.empty:
        return []
    missing = pd.Series(False, index=frame.index)
    absent = [f for f in RECORD_FIELDS if f not in frame]
    for name in RECORD_FIELDS:
        if name in frame:
            missing |= frame[name].astype("string").str.strip().fillna("").eq("")
    if absent:
        missing[:] = True
    complete = 100 * float((~missing).mean())
    limit = data.config.checks.records_complete_min_pct
    figures = {"complaints": len(frame), "complete_pct": complete, "missing_columns": absent}
    evidence = (
        f"{int((~missing).sum()):,} of {len(frame):,} complaint records of {data.config.audit.period_label} ({complete:.1f}%) "
        f"name the customer and describe the complaint"
        + (f"; the log has no {' or '.join(absent)} column." if absent else ".")
    )
    if complete >= limit:
        return [conforming("Complaint records are complete", evidence, figures)]
    ids = () if absent else _ids(frame, missing)
    return [
        Draft(
            grade="ofi",
            title=f"Complaint records incomplete: {complete:.0f}% complete (at least {limit:g}% expected)",
            evidence=evidence + (f" Examples: {', '.join(ids[:5])}." if ids else ""),
            gap="Without the customer and a description on each record, complaints cannot be followed up with the "
            "complainant nor analysed for causes.",
            figures=figures,
            evidence_ids=ids,
            guidance="ISO 10002",
        )
    ]


@check(
    "complaints_acknowledged",
    "8.2.1 c",
    question="Are complaints acknowledged promptly?",
    evidence="complaints acknowledged within sla.complaint_acknowledge_days",
    rule="< checks.acknowledged_within_sla_min_pct (90%) → ofi",
    guidance="ISO 10002",
)
def complaints_acknowledged(ev: Evidence) -> list[Draft]:
    """Complaints acknowledged within ``sla.complaint_acknowledge_days`` below ``checks.acknowledged_within_sla_min_pct`` → ofi."""
    data, kpis = ev.data, ev.kpis
    kpi = kpis.get("complaints_acknowledged_within_sla_pct")
    frame = data.frames.get("complaints")
    if kpi is None or kpi.value is None or frame is None or kpi.target is not None:
        return []
    sla = data.config.sla.complaint_acknowledge_days
    limit = data.config.checks.acknowledged_within_sla_min_pct
    evidence = f"{fmt(kpi.value, '%')} of the {kpi.n:,} complaints of {data.config.audit.period_label} that could be judged were acknowledged within {sla:g} days."
    figures = {"value": kpi.value, "n": kpi.n, "sla_days": sla, "minimum": limit}
    if kpi.value >= limit:
        return [conforming("Complaints are acknowledged promptly", evidence, figures)]
    _, within, judged = acknowledgement_flags(frame, data.config.sla, _period_end(data))
    ids = _ids(frame, judged & ~within)
    return [
        Draft(
            grade="ofi",
            title=f"Complaints acknowledged late: {fmt(kpi.value, '%')} within {sla:g} days",
            evidence=evidence + f" Acknowledged late or not at all: {', '.join(ids[:5])}.",
            gap=f"Complainants should be told promptly that their complaint was received; fewer than {limit:g}% were.",
            kpi_id=kpi.id,
            figures=figures,
            evidence_ids=ids,
            guidance="ISO 10002",
        )
    ]


@check(
    "complaints_resolved",
    "8.2.1 c",
    question="Are complaints resolved within the organisation's time limit?",
    evidence="complaints resolved within sla.complaint_resolve_days (when targets: sets none for it)",
    rule="< checks.resolved_within_sla_min_pct (90%) → observation",
)
def complaints_resolved(ev: Evidence) -> list[Draft]:
    """Without a target for it: complaints resolved within the SLA below ``checks.resolved_within_sla_min_pct`` → observation."""
    data, kpis = ev.data, ev.kpis
    kpi = kpis.get("complaints_resolved_within_sla_pct")
    frame = data.frames.get("complaints")
    if kpi is None or kpi.value is None or frame is None or kpi.target is not None:
        return []  # with a target, objective_met judges it
    sla = data.config.sla.complaint_resolve_days
    limit = data.config.checks.resolved_within_sla_min_pct
    evidence = f"{fmt(kpi.value, '%')} of the {kpi.n:,} complaints of {data.config.audit.period_label} that could be judged were resolved within {sla:g} days."
    figures = {"value": kpi.value, "n": kpi.n, "sla_days": sla, "minimum": limit}
    if kpi.value >= limit:
        return [conforming("Complaints are resolved within the SLA", evidence, figures)]
    _, within, judged = resolution_flags(frame, data.config.sla, _period_end(data))
    ids = _ids(frame, judged & ~within.fillna(False).astype(bool))
    return [
        Draft(
            grade="observation",
            title=f"Complaints resolved late: {fmt(kpi.value, '%')} within {sla:g} days",
            evidence=evidence + f" Resolved late or still open past the limit: {', '.join(ids[:5])}.",
            gap=f"Fewer than {limit:g}% of complaints meet the organisation's own resolution time; a risk that "
            "complaints are not acted on.",
            kpi_id=kpi.id,
            figures=figures,
            evidence_ids=ids,
        )
    ]


@check(
    "complaints_overdue",
    "8.2.1 c",
    question="Are complaints left open beyond the organisation's time limit?",
    evidence="complaints open at the period's end and older than sla.complaint_resolve_days",
    rule="any → minor",
)
def overdue_complaints(ev: Evidence) -> list[Draft]:
    """Complaints open past their SLA at the period's end → minor (2015 8.2.1 c)."""
    data, kpis = ev.data, ev.kpis
    kpi = kpis.get("complaints_open_overdue")
    sla = data.config.sla.complaint_resolve_days
    if kpi is None or kpi.value is None:
        return []
    if not kpi.value:
        return [
            conforming("No complaint open beyond the resolution SLA",
                f"At {data.config.audit.period_end:%d %b %Y} no complaint had been open more than {sla:g} days.",
            )
        ]  # fmt: skip
    ids = tuple(label for label, _ in kpis.breakdowns.get("overdue_complaints", ()))
    oldest = kpis.breakdowns.get("overdue_complaints", (("", 0.0),))[0][1]
    return [
        Draft(
            grade="minor",
            title=f"{plural(kpi.value, 'complaint')} open beyond the {sla:g}-day resolution SLA",
            evidence=f"At {data.config.audit.period_end:%d %b %Y}, {plural(kpi.value, 'complaint')} {'was' if kpi.value == 1 else 'were'} still open more "
            f"than {sla:g} days after receipt; the oldest had been open {oldest:,.0f} days. "
            f"Examples: {', '.join(ids[:5])}.",
            gap="Customer complaints are not being acted on within the organisation's own time limit.",
            kpi_id=kpi.id,
            figures={"open_overdue": kpi.value, "sla_days": sla, "oldest_days": oldest},
            evidence_ids=ids,
        )
    ]


@check(
    "root_cause_recorded",
    "10.2.1 b",
    question="Are the causes of complaints determined?",
    evidence="closed complaints with a root cause recorded",
    rule="< checks.root_cause_min_pct (90%) → minor; no root-cause column → observation",
)
def root_cause_recorded(ev: Evidence) -> list[Draft]:
    """Closed complaints with a root cause below ``checks.root_cause_min_pct`` → minor (10.2.1 b); no root-cause column → observation."""
    data, kpis = ev.data, ev.kpis
    frame = data.frames.get("complaints")
    if frame is None or frame.empty or ("resolved_on" not in frame and "status" not in frame):
        return []
    closed, _ = closed_by(frame, _period_end(data))
    if not closed.any():
        return []
    limit = data.config.checks.root_cause_min_pct
    if "root_cause" not in frame:
        return [
            Draft(
                grade="observation",
                title="The complaint log does not record root causes",
                evidence=f"{plural(int(closed.sum()), 'complaint')} of {data.config.audit.period_label} were closed; "
                "the complaint log has no root-cause column.",
                gap="No evidence in the data that the causes of complaints are determined; the auditor should "
                "sample the complaint files.",
                figures={"closed": int(closed.sum())},
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
    evidence = f"{figures['with_root_cause']:,} of the {figures['closed']:,} complaints closed in {data.config.audit.period_label} ({share:.1f}%) record a root cause."
    if share >= limit:
        return [conforming("Root causes are recorded for closed complaints", evidence, figures)]
    ids = _ids(frame, closed & ~recorded)
    return [
        Draft(
            grade="minor",
            title=f"Complaints closed without a root cause: {share:.0f}% recorded (at least {limit:g}% expected)",
            evidence=evidence + f" Closed without one: {', '.join(ids[:5])}.",
            gap="Complaints were closed without the cause being determined, so the need for action to eliminate "
            "the cause cannot have been evaluated.",
            kpi_id="root_cause_recorded_pct" if kpis.get("root_cause_recorded_pct") else None,
            figures=figures,
            evidence_ids=ids,
        )
    ]


@check(
    "repeat_complaints",
    "10.2.1 d",
    question="Did the action on earlier complaints work?",
    evidence="complaints repeating one by the same customer and category within analysis.repeat_window_days",
    rule="> checks.repeat_complaint_max_pct (10%) → observation",
)
def repeat_complaints(ev: Evidence) -> list[Draft]:
    """Repeat complaints (same customer and category within the window) above ``checks.repeat_complaint_max_pct`` → observation (10.2)."""
    data, kpis = ev.data, ev.kpis
    kpi = kpis.get("repeat_complaint_pct")
    history = data.history.get("complaints")
    if kpi is None or kpi.value is None or history is None:
        return []
    limit = data.config.checks.repeat_complaint_max_pct
    window = data.config.analysis.repeat_window_days
    figures = {"value": kpi.value, "n": kpi.n, "maximum": limit, "window_days": window}
    evidence = (
        f"{fmt(kpi.value, '%')} of the {kpi.n:,} complaints of {data.config.audit.period_label} repeat a complaint by the "
        f"same customer in the same category within {window} days."
    )
    if kpi.value <= limit:
        return [conforming("Few complaints repeat", evidence, figures)]
    flags = repeat_flags(history, window).fillna(False).astype(bool)
    start, end = pd.Timestamp(data.config.audit.period_start), _period_end(data)
    in_period = history["received_on"].between(start, end)
    ids = _ids(history, flags & in_period)
    if (
        kpi.previous is not None
        and kpi.p_value is not None
        and kpi.verdict in ("significant improvement", "significant decline")
    ):
        moved = "rose" if kpi.value > kpi.previous else "fell"
        evidence += (
            f" The share {moved} from {fmt(kpi.previous, '%')} the quarter before ({format.p_text(kpi.p_value)})."
        )
    return [
        Draft(
            grade="observation",
            title=f"Repeat complaints: {fmt(kpi.value, '%')} (at most {limit:g}% expected)",
            evidence=evidence + f" Repeats: {', '.join(ids[:5])}.",
            gap="Customers complaining again about the same thing suggests the actions taken on the first "
            "complaint did not remove its cause.",
            kpi_id=kpi.id,
            figures=figures,
            evidence_ids=ids,
        )
    ]


@check(
    "complaint_spike",
    "9.1.3",
    question="Are special causes in the complaint rate detected and analysed?",
    evidence="p-chart of complaints per 1,000 orders by month; the category that grew most",
    rule="a month of the period above the upper control limit → observation",
)
def complaint_spike(ev: Evidence) -> list[Draft]:
    """A month of the period above the p-chart's upper control limit → observation, naming the category that grew most."""
    data, kpis = ev.data, ev.kpis
    chart = kpis.analyses.complaint_chart
    complaints = data.history.get("complaints")
    if chart is None or complaints is None:
        return []
    start, end = pd.Timestamp(data.config.audit.period_start), _period_end(data)
    months = [p for p in chart.points if f"{start:%Y-%m}" <= p.period <= f"{end:%Y-%m}"]
    signals = [p for p in months if p.signal == "above"]
    if not months:
        return []
    if not signals:
        return [
            conforming("The complaint rate stayed within its control limits",
                f"No month of {data.config.audit.period_label} was above the upper control limit of the p-chart of complaints "
                f"per 1,000 orders (centre line {chart.centre:.1f}, {chart.basis}).",
            )
        ]  # fmt: skip
    received = complaints["received_on"]
    now = complaints.loc[received.between(start, end), "category"].value_counts()
    earlier = received.between(start - pd.DateOffset(months=3), start - pd.Timedelta(days=1))
    before = complaints.loc[earlier, "category"].value_counts()
    growth = (
        now.sub(before.reindex(now.index).fillna(0))
        .sort_index(kind="stable")
        .sort_values(ascending=False, kind="stable")
    )
    category = str(growth.index[0]) if len(growth) and growth.iloc[0] > 0 else ""
    listed = "; ".join(
        f"{p.period}: {p.value:.1f} per 1,000 orders against an upper limit of {p.ucl:.1f}" for p in signals
    )
    grew = (
        f" The category that grew most is {category}: {int(now.get(category, 0)):,} complaints in "
        f"{data.config.audit.period_label} against {int(before.get(category, 0)):,} in the quarter before."
        if category
        else ""
    )
    words, theme_figures = growing_theme_evidence(kpis, "complaint_descriptions")
    months_in = complaints["received_on"].dt.strftime("%Y-%m").isin([p.period for p in signals])
    ids = _ids(complaints, months_in & (complaints["category"] == category)) if category else ()
    return [
        Draft(
            grade="observation",
            title=f"Complaint rate out of control in {', '.join(p.period for p in signals)}"
            + (f": {category} complaints up" if category else ""),
            evidence=f"The p-chart of complaints per 1,000 orders ({chart.basis}) signals {listed}.{grew}{words}",
            gap="A rise beyond the control limits has a special cause; no analysis of it was presented.",
            kpi_id="complaints_per_1000_orders" if kpis.get("complaints_per_1000_orders") else None,
            figures={
                "months": [p.period for p in signals],
                "category": category,
                "now": int(now.get(category, 0)) if category else None,
                "before": int(before.get(category, 0)) if category else None,
            }
            | theme_figures,
            evidence_ids=ids,
        )
    ]
