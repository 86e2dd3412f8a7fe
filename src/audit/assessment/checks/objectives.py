"""Checks on the KPIs: objectives met, significant trends, and where perception falls shortest.

ISO 9001:2015 9.1.2 (2008: 8.2.1) for survey and complaint KPIs, 9.1.3 (2008: 8.4) for
returns and delivery; the weakest-dimension check rests on ISO 10004 guidance.
"""

from __future__ import annotations

from audit import format
from audit.assessment.checks.base import (
    SIGNIFICANCE,
    Draft,
    Evidence,
    change_text,
    check,
    clause_for,
    conforming,
    fmt,
    plural,
    significant_decline,
)
from audit.assessment.checks.words import growing_theme_evidence
from audit.data.dataset import AuditData
from audit.model import Grade, Kpi, KpiTable

__all__ = ["improvements", "objectives", "trends", "weakest_dimension"]


def _open_action_ids(ev: Evidence, kpi_id: str) -> tuple[str, ...]:
    """Ids of actions from earlier audits, still open, whose success measure is this KPI."""
    if ev.register is None:
        return ()
    info = ev.data.config.audit
    return tuple(
        e.id
        for e in ev.register.entries
        if e.kpi_id == kpi_id
        and e.is_open
        and e.raised_in != info.id
        and (e.raised_on is None or e.raised_on < info.audit_date)
    )


@check(
    "objective_met",
    "9.1.2",
    question="Are the customer-satisfaction objectives met?",
    evidence="each KPI with a target against it, and the previous quarter",
    rule="missed → observation; missed two quarters running with no open action on the KPI → minor",
)
def objectives(ev: Evidence) -> list[Draft]:
    """Each KPI with a target: missed → observation; missed two quarters running → minor, unless an action on it is open."""
    data, kpis = ev.data, ev.kpis
    drafts = []
    judged = [k for k in kpis if k.status in {"met", "not_met"}]
    for kpi in judged:
        if kpi.status != "not_met" or kpi.target is None:
            continue
        before = kpi.previous
        missed_before = before is not None and (before < kpi.target if kpi.higher_is_better else before > kpi.target)
        acting = _open_action_ids(ev, kpi.id) if missed_before else ()
        grade: Grade = "minor" if missed_before and not acting else "observation"
        compare = "below" if kpi.higher_is_better else "above"
        ci = (
            f" (95% CI {fmt(kpi.ci_low, kpi.unit, kpi.id)} to {fmt(kpi.ci_high, kpi.unit, kpi.id)})"
            if kpi.ci_low is not None
            else ""
        )
        evidence = (
            f"{kpi.label} was {fmt(kpi.value, kpi.unit, kpi.id)}{ci} in {data.config.audit.period_label}, "
            f"n = {kpi.n:,}, against a target of {fmt(kpi.target, kpi.unit, kpi.id)}.{change_text(kpi)}"
        )
        gap = f"The objective for {kpi.label.lower()} was not achieved: the result is {compare} target"
        if missed_before and acting:
            gap += f" for the second quarter running; action {', '.join(acting)} on it is still open, so it is followed up there."
        else:
            gap += " for the second quarter running, and no action on it is open." if missed_before else "."
        drafts.append(
            Draft(
                clause=clause_for(kpi),
                grade=grade,
                title=f"{kpi.label} {compare} target: {fmt(kpi.value, kpi.unit, kpi.id)} vs {fmt(kpi.target, kpi.unit, kpi.id)}",
                evidence=evidence,
                gap=gap,
                kpi_id=kpi.id,
                figures={"value": kpi.value, "target": kpi.target, "previous": kpi.previous, "n": kpi.n},
                evidence_ids=acting,
            )
        )
    if judged and not drafts:
        listed = "; ".join(
            f"{k.label} {fmt(k.value, k.unit, k.id)} (target {fmt(k.target, k.unit, k.id)})" for k in judged
        )
        drafts.append(
            conforming(
                f"All {plural(len(judged), 'KPI')} with a target met it",
                f"In {data.config.audit.period_label}: {listed}.",
                {"met": len(judged)},
            )
        )
    return drafts


def _duplicate_gap(kpis: KpiTable, kpi: Kpi, verdict: str) -> bool:
    """A SERVQUAL gap that moved with its dimension: the same change, raised on the dimension."""
    if not kpi.id.startswith("gap_"):
        return False
    dimension = kpis.get(f"dimension_{kpi.id.removeprefix('gap_')}_mean")
    if dimension is None:
        return False
    return significant_decline(dimension) if verdict == "decline" else dimension.verdict == "significant improvement"


def _judged_by_its_own_check(data: AuditData, kpi: Kpi) -> bool:
    """A KPI whose own threshold check already raises a finding (one finding per problem, not two)."""
    checks = data.config.checks
    if kpi.value is None:
        return False
    if kpi.id == "repeat_complaint_pct":
        return kpi.value > checks.repeat_complaint_max_pct
    if kpi.id == "root_cause_recorded_pct":
        return kpi.value < checks.root_cause_min_pct
    return False


@check(
    "trend_decline",
    "9.1.2",
    question="Has any measure of customer perception declined significantly?",
    evidence="each KPI without a target against the previous quarter (p < 0.05)",
    rule="significant decline → observation",
)
def trends(ev: Evidence) -> list[Draft]:
    """A significant decline of a KPI without a target (those are judged by ``objectives``) → observation.

    A KPI whose own check already raises a finding (repeat complaints above their limit,
    root causes below theirs) is left to that check.
    """
    data, kpis = ev.data, ev.kpis
    drafts = []
    tested = 0
    for kpi in kpis:
        if kpi.target is not None or kpi.unit == "count":
            continue
        tested += kpi.p_value is not None
        if not significant_decline(kpi) or _duplicate_gap(kpis, kpi, "decline") or _judged_by_its_own_check(data, kpi):
            continue
        drafts.append(
            Draft(
                clause=clause_for(kpi),
                grade="observation",
                title=f"{kpi.label} worsened significantly: {fmt(kpi.previous, kpi.unit, kpi.id)} → {fmt(kpi.value, kpi.unit, kpi.id)}",
                evidence=f"{kpi.label} moved from {fmt(kpi.previous, kpi.unit, kpi.id)} to {fmt(kpi.value, kpi.unit, kpi.id)} "
                f"(n = {kpi.n:,}, {format.p_text(kpi.p_value)}).",
                gap="A significant deterioration in customer perception is a risk to customer satisfaction "
                "that the monitoring results should trigger action on.",
                kpi_id=kpi.id,
                figures={"value": kpi.value, "previous": kpi.previous, "p_value": kpi.p_value},
            )
        )
    if tested and not drafts:
        drafts.append(
            conforming(
                "No measure without a target declined significantly",
                f"{plural(tested, 'KPI')} without a target were compared with the previous quarter; "
                f"none moved the wrong way with p < {SIGNIFICANCE}.",
                {"tested": tested},
            )
        )
    return drafts


@check(
    "trend_improvement",
    "9.1.2",
    question="Has any measure improved significantly?",
    evidence="each KPI against the previous quarter (p < 0.05)",
    rule="significant improvement, not below target → good_practice",
)
def improvements(ev: Evidence) -> list[Draft]:
    """A sustained improvement → good practice.

    Significant (p < 0.05) against both the previous quarter and the same quarter last
    year, on at least ``analysis.small_n`` observations, of a KPI not below its target.
    """
    data, kpis = ev.data, ev.kpis
    drafts = []
    for kpi in kpis:
        if kpi.verdict != "significant improvement" or kpi.unit in {"count", "value"} or kpi.status == "not_met":
            continue
        last_year = kpi.comparison("same_quarter_last_year")
        if last_year is None or last_year.verdict != "significant improvement":
            continue
        if kpi.n < data.config.analysis.small_n:
            continue  # too few observations to hold up as a practice to spread
        if _duplicate_gap(kpis, kpi, "improvement"):
            continue
        drafts.append(
            Draft(
                clause=clause_for(kpi),
                grade="good_practice",
                title=f"{kpi.label} improved significantly: {fmt(kpi.previous, kpi.unit, kpi.id)} → {fmt(kpi.value, kpi.unit, kpi.id)}",
                evidence=f"{kpi.label} moved from {fmt(kpi.previous, kpi.unit, kpi.id)} to {fmt(kpi.value, kpi.unit, kpi.id)} "
                f"(n = {kpi.n:,}, {format.p_text(kpi.p_value)}); it was {fmt(last_year.value, kpi.unit, kpi.id)} in {last_year.period} "
                f"({format.p_text(last_year.p_value)})"
                + (f", against a target of {fmt(kpi.target, kpi.unit, kpi.id)}." if kpi.target is not None else "."),
                gap="None: the improvement is worth keeping; the practices behind it could be spread to other areas.",
                kpi_id=kpi.id,
                figures={
                    "value": kpi.value,
                    "previous": kpi.previous,
                    "p_value": kpi.p_value,
                    "last_year": last_year.value,
                },
            )
        )
    return drafts


@check(
    "weakest_dimension",
    "9.1.3",
    question="Does the analysis show where to improve first?",
    evidence="lowest dimension mean, largest SERVQUAL gap, IPA 'concentrate here'",
    rule="a dimension in 'concentrate here' or a gap below −checks.gap_max_points (0.5) → ofi",
    guidance="ISO 10004",
)
def weakest_dimension(ev: Evidence) -> list[Draft]:
    """The dimension to improve first: IPA "concentrate here", or a SERVQUAL gap beyond ``checks.gap_max_points`` → ofi."""
    data, kpis = ev.data, ev.kpis
    means = [(n, v) for n, v in kpis.breakdowns.get("dimension_means", ()) if v == v]
    if not means:
        return []
    limit = data.config.checks.gap_max_points
    gaps = sorted(((n, g) for n, g in kpis.breakdowns.get("dimension_gaps", ()) if g == g), key=lambda x: x[1])
    concentrate = sorted(
        (q for q in kpis.analyses.ipa if q.quadrant == "concentrate here"), key=lambda q: q.performance
    )
    weakest, weakest_mean = min(means, key=lambda x: x[1])
    figures = {"weakest": weakest, "weakest_mean": weakest_mean}
    facts = [f"The lowest mean perception is {weakest} ({format.number(weakest_mean, 2)})"]
    if gaps:
        figures |= {"largest_gap": gaps[0][0], "largest_gap_points": gaps[0][1]}
        facts.append(
            f"the largest SERVQUAL gap (perception − expectation) is {gaps[0][0]} ({format.signed(gaps[0][1], 2)})"
        )
    if kpis.analyses.ipa:
        placed = ", ".join(q.dimension for q in concentrate) or "none"
        facts.append(f"in importance–performance analysis ({kpis.analyses.importance_basis} importance) the dimensions "
                     f"in 'concentrate here' are: {placed}")  # fmt: skip
        figures["concentrate_here"] = [q.dimension for q in concentrate]
    short = [(n, g) for n, g in gaps if g < -limit]
    evidence = "; ".join(facts) + "."
    if not short and not concentrate:
        return [conforming("No survey dimension calls for priority action", evidence, figures)]
    focus = concentrate[0].dimension if concentrate else short[0][0]
    words, theme_figures = growing_theme_evidence(kpis, "survey_comments")
    reasons = []
    if concentrate:
        reasons.append("customers rate it important but perform it below the other dimensions")
    if short:
        reasons.append(f"perception falls short of expectation by more than {limit:g} points in "
                       f"{', '.join(n for n, _ in short)}")  # fmt: skip
    return [
        Draft(
            grade="ofi",
            title=f"Improve {focus} first: " + "; ".join(reasons),
            evidence=evidence + words,
            gap="The analysis of the survey shows where improving would raise satisfaction most; no improvement "
            f"targeted at {focus} was presented.",
            kpi_id=f"dimension_{focus}_mean" if kpis.get(f"dimension_{focus}_mean") else None,
            figures=figures | {"focus": focus} | theme_figures,
            guidance="ISO 10004",
        )
    ]
