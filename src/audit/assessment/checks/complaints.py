"""Checks on complaint handling: ISO 9001:2015 8.2.1 c (2008: 7.2.3 c), and the complaint rate (9.1.3).

Records and acknowledgement rest on ISO 10002 guidance (at most an ofi). Timeliness is one
subject: the share resolved within the organisation's own SLA, the median and 90th
percentile, and the complaints left open past it are judged together, as one finding.
The complaint rate and its special causes (the u-chart) are in :mod:`.rate`; root causes
and repeat complaints (10.2) in :mod:`.corrective`.
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
from audit.kpi.complaints import acknowledgement_flags, overdue_complaints, resolution_flags
from audit.model import Grade

__all__ = ["RECORD_FIELDS", "complaint_records", "complaint_timeliness", "complaints_acknowledged"]

#: what every complaint record should hold besides the required id, date and category (ISO 10002 7.3)
RECORD_FIELDS = ("customer_id", "description")
TIMELINESS = (
    "complaints_resolved_within_sla_pct",
    "complaint_resolution_days_median",
    "complaint_resolution_days_p90",
    "complaints_open_overdue",
)


def _ids(frame: pd.DataFrame, mask: pd.Series) -> tuple[str, ...]:
    return tuple(str(i) for i in frame.loc[mask, "complaint_id"])


@check(
    "complaint_records",
    "8.2.1 c",
    question="Are complaint records complete?",
    evidence="share of complaints naming the customer and describing the complaint",
    rule="< checks.records_complete_min_pct (95%) → ofi",
    guidance="ISO 10002",
    subject="complaint_records",
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
    evidence = _(
        "{complete} of {n} complaint records of {period} ({share}) name the customer and describe the complaint.",
        complete=format.count(int((~missing).sum())),
        n=format.count(len(frame)),
        period=data.config.audit.period_label,
        share=format.percent(complete),
    )
    if absent:
        evidence += " " + _("The log has no {columns} column.", columns=" / ".join(absent))
    if complete >= limit:
        return [conforming(_("Complaint records are complete"), evidence, figures)]
    ids = () if absent else _ids(frame, missing)
    if ids:
        evidence += " " + _("Examples: {ids}.", ids=listed(ids))
    return [
        Draft(
            grade="ofi",
            title=_(
                "Complaint records incomplete: {share} complete (at least {limit} expected)",
                share=format.percent(complete, 0),
                limit=format.percent(limit, 0),
            ),
            evidence=evidence,
            gap=_(
                "Without the customer and a description on each record, complaints cannot be followed up with the "
                "complainant nor analysed for causes."
            ),
            figures=figures,
            evidence_ids=ids,
        )
    ]


@check(
    "complaints_acknowledged",
    "8.2.1 c",
    question="Are complaints acknowledged promptly?",
    evidence="complaints acknowledged within sla.complaint_acknowledge_days, judged as of the data's end",
    rule="< checks.acknowledged_within_sla_min_pct (90%) → ofi",
    guidance="ISO 10002",
    subject="complaint_acknowledgement",
    owns=("complaints_acknowledged_within_sla_pct", "complaint_ack_days_median", "complaint_ack_days_p90"),
)
def complaints_acknowledged(ev: Evidence) -> list[Draft]:
    """Complaints acknowledged within ``sla.complaint_acknowledge_days`` below ``checks.acknowledged_within_sla_min_pct`` → ofi."""
    data, kpis = ev.data, ev.kpis
    kpi = kpis.get("complaints_acknowledged_within_sla_pct")
    frame = data.frames.get("complaints")
    if kpi is None or kpi.value is None or frame is None:
        return []
    sla = data.config.sla.complaint_acknowledge_days
    limit = data.config.checks.acknowledged_within_sla_min_pct
    evidence = _(
        "{share} of the {n} complaints of {period} that could be judged were acknowledged within {sla} days.",
        share=fmt(kpi.value, "%"),
        n=format.count(kpi.n),
        period=data.config.audit.period_label,
        sla=format.number(sla, 0),
    )
    figures = {"value": kpi.value, "n": kpi.n, "sla_days": sla, "minimum": limit}
    if kpi.value >= limit:
        return [conforming(_("Complaints are acknowledged promptly"), evidence, figures)]
    _days, within, judged = acknowledgement_flags(frame, data.config.sla, ev.as_of("complaints"))
    ids = _ids(frame, judged & ~within)
    return [
        Draft(
            grade="ofi",
            title=_(
                "Complaints acknowledged late: {share} within {sla} days",
                share=fmt(kpi.value, "%"),
                sla=format.number(sla, 0),
            ),
            evidence=evidence + " " + _("Acknowledged late or not at all: {ids}.", ids=listed(ids)),
            gap=_(
                "Complainants should be told promptly that their complaint was received; fewer than {limit} were.",
                limit=format.percent(limit, 0),
            ),
            kpi_id=kpi.id,
            figures=figures,
            evidence_ids=ids,
        )
    ]


def _late(ev: Evidence) -> tuple[tuple[str, ...], tuple[str, ...], list[tuple[str, int]]]:
    """Complaints open past the SLA (oldest first), the period's complaints resolved late, and both by category."""
    data = ev.data
    frame, history = data.frames["complaints"], data.history.get("complaints", data.frames["complaints"])
    as_of = ev.as_of("complaints")
    overdue = tuple(label for label, _ in ev.kpis.breakdowns.get("overdue_complaints", ()))
    late_ids: tuple[str, ...] = ()
    if "resolved_on" in frame:
        days, within, judged = resolution_flags(frame, data.config.sla, as_of)
        late_ids = _ids(frame, judged & days.notna() & ~within.fillna(False).astype(bool))
    stalled = overdue_complaints(history, data.config.sla, as_of)
    categories = Counter(str(c) for c in stalled["category"])
    categories.update(str(c) for c in frame.loc[frame["complaint_id"].astype(str).isin(late_ids), "category"])
    ranked = sorted(categories.items(), key=lambda item: (-item[1], item[0]))
    return overdue, late_ids, ranked


@check(
    "complaint_timeliness",
    "8.2.1 c",
    question="Are complaints resolved within the organisation's own time limit?",
    evidence="share resolved within sla.complaint_resolve_days against its target (targets:, else "
    "checks.resolved_within_sla_min_pct), median and 90th-percentile days, complaints still open past the SLA "
    "at the data's end, their categories",
    rule="more than checks.sla_wide_margin_points (20) below target, or a significant fall, with complaints open "
    "past the SLA → minor (8.2.1 c); below target two quarters running with no action on record → minor (9.1.3); "
    "below target, open past the SLA, or median or 90th percentile worse → observation",
    subject="complaint_timeliness",
    owns=TIMELINESS,
)
def complaint_timeliness(ev: Evidence) -> list[Draft]:
    """Complaint resolution against the organisation's own SLA, as one finding (rule in docs/assessment.md)."""
    data, kpis = ev.data, ev.kpis
    share, open_kpi = kpis.get("complaints_resolved_within_sla_pct"), kpis.get("complaints_open_overdue")
    if "complaints" not in data.frames or (
        (share is None or share.value is None) and (open_kpi is None or open_kpi.value is None)
    ):
        return []
    config = data.config
    sla = config.sla.complaint_resolve_days
    as_of = ev.as_of("complaints")
    period = config.audit.period_label
    figures: dict[str, Any] = {"sla_days": sla, "as_of": as_of.date().isoformat()}
    facts: list[str] = []
    below = fell = wide = chronic = False
    target = config.checks.resolved_within_sla_min_pct
    if share is not None and share.value is not None:
        target = share.target if share.target is not None else target
        below = share.value < target
        fell = below and significant_decline(share)
        wide = below and (target - share.value > config.checks.sla_wide_margin_points or fell)
        chronic = below and share.target is not None and missed_before(share)
        figures |= {"value": share.value, "target": target, "previous": share.previous, "n": share.n}
        figures |= {"short_by_points": max(target - share.value, 0.0), "fell_significantly": fell}
        facts.append(
            _(
                "{share} of the {n} complaints of {period} that could be judged were resolved within the {sla}-day "
                "SLA, against a target of {target}.",
                share=fmt(share.value, "%"),
                n=format.count(share.n),
                period=period,
                sla=format.number(sla, 0),
                target=fmt(target, "%"),
            )
            + change_text(share)
        )
    slower = []
    for kpi_id in ("complaint_resolution_days_median", "complaint_resolution_days_p90"):
        kpi = kpis.get(kpi_id)
        if kpi is None or kpi.value is None:
            continue
        figures[kpi_id] = {"value": kpi.value, "previous": kpi.previous, "p_value": kpi.p_value, "target": kpi.target}
        if significant_decline(kpi) or kpi.status == "not_met":
            slower.append(kpi)
        facts.append(
            _("{label}: {value}.", label=_(kpi.label), value=fmt(kpi.value, kpi.unit, kpi.id)) + change_text(kpi)
        )
    overdue, late_ids, categories = _late(ev)
    open_past = int(open_kpi.value or 0) if open_kpi is not None else 0
    oldest = kpis.breakdowns.get("overdue_complaints", (("", 0.0),))[0][1] if open_past else 0.0
    figures |= {"open_overdue": open_past, "oldest_days": oldest, "late_resolved": len(late_ids)}
    figures["late_categories"] = [[c, n] for c, n in categories[:5]]
    day = format.short_date(as_of.date())
    if open_past:
        facts.append(
            _(
                "At {day}, {count} still open more than {sla} days after receipt; the oldest had been open {oldest} "
                "days: {ids}.",
                day=day,
                count=count_of(open_past, "{n} complaint was", "{n} complaints were"),
                sla=format.number(sla, 0),
                oldest=format.count(oldest),
                ids=listed(overdue),
            )
        )
    else:
        facts.append(_("At {day} no complaint was open past the SLA.", day=day))
    if categories and (open_past or late_ids):
        facts.append(
            _(
                "The late and overdue complaints are mostly {categories}.",
                categories=", ".join(f"{c} ({format.count(n)})" for c, n in categories[:3]),
            )
        )
    if as_of.date() < config.audit.period_end:
        facts.append(_("The complaint log ends on {day}; open complaints are judged as of that day.", day=day))
    evidence = " ".join(facts)
    ids = tuple(dict.fromkeys((*overdue, *late_ids)))
    questions: tuple[Ask, ...] = ()
    recorded = action_on_record(ev, "complaint_timeliness", "complaints_resolved_within_sla_pct")
    grade: Grade
    clause = ""
    if wide and open_past:
        grade = "minor"
        gap = _(
            "The organisation's own time limit for resolving complaints is missed by a wide margin ({short} points "
            "below its target{fell}) and complaints are left open past it: complaints are not acted on as the "
            "organisation itself requires (ISO 10002:2018 guidance on complaint handling, 8.2.1 c).",
            short=format.number(target - (share.value if share and share.value is not None else target), 1),
            fell=_(", and falling significantly") if fell else "",
        )
    elif chronic and recorded == ():
        grade, clause = "minor", "9.1.3"
        gap = _(
            "Complaint resolution has missed its target for two quarters running and no action on it is on record "
            "in the action register: the results of monitoring are not used to act (9.1.3, 10.2)."
        )
    elif below or open_past or slower:
        grade = "observation"
        gap = _(
            "Complaint handling falls short of the organisation's own time limit; a risk that complaints are not "
            "acted on in time."
        )
    else:
        return [conforming(_("Complaints are resolved within the SLA"), evidence, figures)]
    if chronic and recorded is None:
        gap += " " + _(
            "Whether action was taken on the shortfall of the quarter before is not evidenced in the records supplied."
        )
        questions = (
            Ask(
                _(
                    "What action was taken when complaint resolution missed its target in the quarter before {period}?",
                    period=period,
                ),
                _("corrective-action records and meeting minutes on complaint handling"),
                _("the site has no action register from an earlier audit"),
            ),
        )
    if grade == "minor" and clause == "":
        title = _(
            "Complaint resolution slipping past the {sla}-day SLA: {share} within it against {target}; {open} open past it",
            sla=format.number(sla, 0),
            share=fmt(share.value if share else None, "%"),
            target=fmt(target, "%"),
            open=format.count(open_past),
        )
    elif below and share is not None:
        title = _(
            "Complaints resolved within the SLA below target: {share} against {target}",
            share=fmt(share.value, "%"),
            target=fmt(target, "%"),
        )
    elif open_past:
        title = count_of(
            open_past, "{n} complaint open past the resolution SLA", "{n} complaints open past the resolution SLA"
        )
    else:
        title = _(
            "Complaint resolution taking longer: {label} {value}",
            label=_(slower[0].label),
            value=fmt(slower[0].value, slower[0].unit, slower[0].id),
        )
    return [
        Draft(
            grade=grade,
            title=title,
            evidence=evidence,
            gap=gap,
            kpi_id="complaints_resolved_within_sla_pct" if share is not None else "complaints_open_overdue",
            figures=figures,
            evidence_ids=ids,
            clause=clause,
            questions=questions,
        )
    ]
