"""The complaint rate and its special causes: ISO 9001:2015 9.1.3 (2008: 8.4).

Complaints per 1,000 orders are charted on a u-chart (counts per unit: an order can draw
several complaints); a month of the period above its upper control limit has a special
cause, and whether it was analysed is not in the exports: an auditee question. The rate
against its target and the quarter before is judged in the same finding.
"""

from __future__ import annotations

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
    missed_before,
    significant_decline,
)
from audit.assessment.checks.words import growing_theme_evidence
from audit.i18n import _
from audit.model import Grade

__all__ = ["complaint_rate"]


def _ids(frame: pd.DataFrame, mask: pd.Series) -> tuple[str, ...]:
    return tuple(str(i) for i in frame.loc[mask, "complaint_id"])


def _spike(ev: Evidence, months: list[Any]) -> tuple[str, int, int, tuple[str, ...]]:
    """The category that grew most against the quarter before, its counts, and its complaints in the signal months."""
    data = ev.data
    complaints = data.history.get("complaints")
    if complaints is None:
        return "", 0, 0, ()
    start, end = pd.Timestamp(data.config.audit.period_start), pd.Timestamp(data.config.audit.period_end)
    received = complaints["received_on"]
    now = complaints.loc[received.between(start, end), "category"].value_counts()
    earlier = received.between(start - pd.DateOffset(months=3), start - pd.Timedelta(days=1))
    before = complaints.loc[earlier, "category"].value_counts()
    growth = (
        now.sub(before.reindex(now.index).fillna(0))
        .sort_index(kind="stable")
        .sort_values(ascending=False, kind="stable")
    )
    if not len(growth) or growth.iloc[0] <= 0:
        return "", 0, 0, ()
    category = str(growth.index[0])
    in_months = received.dt.strftime("%Y-%m").isin([p.period for p in months])
    ids = _ids(complaints, in_months & (complaints["category"] == category))
    return category, int(now.get(category, 0)), int(before.get(category, 0)), ids


@check(
    "complaint_rate",
    "9.1.3",
    question="Is the complaint rate under control, and are its special causes detected and analysed?",
    evidence="u-chart of complaints per 1,000 orders by month (docs/metrics.md); the rate against its target and "
    "the quarter before; the category that grew most",
    rule="a month of the period above the u-chart's upper control limit, the rate above its target, or a significant "
    "rise → observation (target missed two quarters running with no action on record → minor)",
    subject="complaint_rate",
    owns=("complaints_per_1000_orders",),
)
def complaint_rate(ev: Evidence) -> list[Draft]:
    """The complaint rate: special causes on the u-chart, its target, its trend (rule in docs/assessment.md)."""
    data, kpis = ev.data, ev.kpis
    chart = kpis.analyses.complaint_chart
    rate = kpis.get("complaints_per_1000_orders")
    if chart is None and (rate is None or rate.value is None):
        return []
    info = data.config.audit
    start, end = f"{info.period_start:%Y-%m}", f"{info.period_end:%Y-%m}"
    months = [p for p in chart.points if start <= p.period <= end] if chart is not None else []
    signals = [p for p in months if p.signal == "above"]
    facts: list[str] = []
    figures: dict[str, Any] = {"months": [p.period for p in signals]}
    if rate is not None and rate.value is not None:
        figures |= {"value": rate.value, "previous": rate.previous, "target": rate.target, "p_value": rate.p_value}
        text = _(
            "Complaints per 1,000 orders were {value} in {period}",
            value=fmt(rate.value, rate.unit),
            period=info.period_label,
        )
        if rate.target is not None:
            text += " " + _("against a target of {target}", target=fmt(rate.target, rate.unit))
        facts.append(text + "." + change_text(rate))
    if chart is not None:
        figures["centre"] = chart.centre
        if signals:
            points = "; ".join(
                _(
                    "{month} {value} against {ucl}",
                    month=p.period,
                    value=format.number(p.value, 1),
                    ucl=format.number(p.ucl, 1),
                )
                for p in signals
            )
            facts.append(
                count_of(
                    len(signals),
                    "On the u-chart of complaints per 1,000 orders (centre line {centre}, {basis}) {n} month lies above "
                    "the upper control limit: {points}.",
                    "On the u-chart of complaints per 1,000 orders (centre line {centre}, {basis}) {n} months lie above "
                    "the upper control limit: {points}.",
                    centre=format.number(chart.centre, 1),
                    basis=chart.basis,
                    points=points,
                )
            )
        elif months:
            facts.append(
                _(
                    "No month of {period} lies above the upper control limit of the u-chart (centre line {centre}, {basis}).",
                    period=info.period_label,
                    centre=format.number(chart.centre, 1),
                    basis=chart.basis,
                )
            )
    category, now, before, ids = _spike(ev, signals) if signals else ("", 0, 0, ())
    if category:
        figures |= {"category": category, "now": now, "before": before, "ucl": signals[0].ucl, "peak": signals[0].value}
        facts.append(
            _(
                "The category that grew most is {category}: {now} complaints in {period} against {before} in the quarter before.",
                category=category,
                now=format.count(now),
                before=format.count(before),
                period=info.period_label,
            )
        )
    evidence = " ".join(facts)
    rising = rate is not None and significant_decline(rate)
    if signals or rising:  # what the customers wrote says what the rate moved on
        words, theme_figures = growing_theme_evidence(kpis, "complaint_descriptions")
        evidence += words
        figures |= theme_figures
    missed = rate is not None and rate.status == "not_met"
    recorded = action_on_record(ev, "complaint_rate", "complaints_per_1000_orders") if missed else ()
    chronic = missed and rate is not None and missed_before(rate) and recorded == ()
    if not (signals or rising or missed):
        return [conforming(_("The complaint rate is under control"), evidence, figures)]
    grade: Grade = "minor" if chronic else "observation"
    questions: tuple[Ask, ...] = ()
    if signals:
        title = _("Complaint rate out of control in {months}", months=", ".join(p.period for p in signals))
        if category:
            title += _(": {category} complaints up", category=category)
        gap = _(
            "A rise beyond the control limits has a special cause; an analysis of it is not evidenced in the records "
            "supplied."
        )
        questions = (
            Ask(
                _(
                    "Was the special cause of the rise in complaints in {months}{led} investigated, and what was done "
                    "about it?",
                    months=", ".join(p.period for p in signals),
                    led=_(" ({category} complaints above all)", category=category) if category else "",
                ),
                _("the investigation or corrective-action record, and the complaint files of those months"),
                _("the complaint log records complaints, not their analysis"),
            ),
        )
    elif missed and rate is not None:
        title = _(
            "Complaint rate above target: {value} against {target}",
            value=fmt(rate.value, rate.unit),
            target=fmt(rate.target, rate.unit),
        )
        gap = _("Customers complain more often than the organisation's own objective allows.")
    else:
        assert rate is not None
        title = _(
            "Complaint rate rising: {before} → {now} per 1,000 orders",
            before=fmt(rate.previous, rate.unit),
            now=fmt(rate.value, rate.unit),
        )
        gap = _(
            "A significant rise in the complaint rate is a risk to customer satisfaction that needs an explanation."
        )
    if chronic:
        gap += " " + _(
            "The target was missed the quarter before too, and no action on it is on record in the action register."
        )
    return [
        Draft(
            grade=grade,
            title=title,
            evidence=evidence,
            gap=gap,
            kpi_id="complaints_per_1000_orders" if rate is not None else None,
            figures=figures,
            evidence_ids=ids,
            clause="9.1.3" if signals or rising or chronic else "9.1.2",
            questions=questions,
        )
    ]
