"""Checks on the KPIs: objectives met, significant trends, and where perception falls shortest.

ISO 9001:2015 9.1.2 (2008: 8.2.1) for survey and complaint KPIs, 9.1.3 (2008: 8.4) for
returns and delivery; the weakest-dimension check rests on ISO 10004 guidance. A KPI that
a check judges in full (complaint timeliness, the complaint rate, repeats, root causes) is
left to it. Each result names the KPI's subject (:func:`audit.assessment.subjects.subject_of_kpi`):
a dimension's decline and its place in the importance–performance analysis are one subject,
and so is a decline of the CSI with the dimension that drove it.
"""

from __future__ import annotations

from typing import Any

from audit import format
from audit.assessment.checks.base import (
    OWNED,
    SIGNIFICANCE,
    Ask,
    Draft,
    Evidence,
    action_on_record,
    change_text,
    check,
    clause_for,
    conforming,
    count_of,
    fmt,
    missed_before,
    significant_decline,
)
from audit.assessment.checks.words import growing_theme_evidence
from audit.assessment.evidence import records_behind
from audit.assessment.subjects import subject_of_kpi
from audit.catalogue import dimension_name
from audit.i18n import N_, _
from audit.model import Grade, Kpi, KpiTable

__all__ = ["improvements", "objectives", "subject_of", "trends", "weakest_dimension"]

#: how importance was obtained, as a sentence names it
_BASIS = {"stated": N_("stated by respondents"), "derived": N_("derived from overall satisfaction")}


def _declines(kpis: KpiTable) -> list[Kpi]:
    """Dimensions that declined significantly, most first."""
    found = [k for k in kpis if k.id.startswith("dimension_") and significant_decline(k)]
    return sorted(found, key=lambda k: (k.change or 0.0, k.id))


def subject_of(kpis: KpiTable, kpi: Kpi) -> str:
    """The KPI's subject; a CSI decline belongs to the dimension that declined most (the index is their weighted mean)."""
    if kpi.id == "csi" and significant_decline(kpi):
        declined = _declines(kpis)
        if declined:
            return subject_of_kpi(declined[0].id)
    return subject_of_kpi(kpi.id)


def _interval(kpi: Kpi) -> str:
    if kpi.ci_low is None or kpi.ci_high is None:
        return ""
    return " " + _(
        "(95% CI {low} to {high})", low=fmt(kpi.ci_low, kpi.unit, kpi.id), high=fmt(kpi.ci_high, kpi.unit, kpi.id)
    )


@check(
    "objective_met",
    "9.1.2",
    question="Are the customer-satisfaction objectives met?",
    evidence="each KPI with a target against it, and the previous quarter",
    rule="missed → observation; missed two quarters running with no action on it on record in the register → "
    "minor (9.1.3); with no register from an earlier audit → observation and an auditee question",
)
def objectives(ev: Evidence) -> list[Draft]:
    """Each KPI with a target (not judged by its own check): missed → observation; chronic with no action → minor."""
    data, kpis = ev.data, ev.kpis
    drafts = []
    period = data.config.audit.period_label
    judged = [k for k in kpis if k.status in {"met", "not_met"} and k.id not in OWNED]
    for kpi in judged:
        if kpi.status != "not_met" or kpi.target is None:
            continue
        subject = subject_of(kpis, kpi)
        chronic = missed_before(kpi)
        recorded = action_on_record(ev, subject, kpi.id) if chronic else ()
        grade: Grade = "minor" if chronic and recorded == () else "observation"
        value, target = fmt(kpi.value, kpi.unit, kpi.id), fmt(kpi.target, kpi.unit, kpi.id)
        evidence = _(
            "{label} was {value}{ci} in {period}, n = {n}, against a target of {target}.",
            label=_(kpi.label),
            value=value,
            ci=_interval(kpi),
            period=period,
            n=format.count(kpi.n),
            target=target,
        ) + change_text(kpi)
        if kpi.higher_is_better:
            title = _("{label} below target: {value} vs {target}", label=_(kpi.label), value=value, target=target)
            gap = _(
                "The objective for {label} was not achieved: the result is below target.", label=_(kpi.label).lower()
            )
        else:
            title = _("{label} above target: {value} vs {target}", label=_(kpi.label), value=value, target=target)
            gap = _(
                "The objective for {label} was not achieved: the result is above target.", label=_(kpi.label).lower()
            )
        questions: tuple[Ask, ...] = ()
        figures: dict[str, Any] = {"value": kpi.value, "target": kpi.target, "previous": kpi.previous, "n": kpi.n}
        if chronic and recorded:
            gap += " " + _(
                "It was missed the quarter before too; action {ids} on it is on record, so it is followed up there.",
                ids=", ".join(recorded),
            )
            figures["actions_on_record"] = list(recorded)
        elif chronic and recorded == ():
            gap += " " + _(
                "It was missed the quarter before too, and no action on it is on record in the action register: the "
                "results of monitoring are not used to act (9.1.3, 10.2)."
            )
        elif chronic:
            gap += " " + _(
                "It was missed the quarter before too; whether action was taken is not evidenced in the records supplied."
            )
            questions = (
                Ask(
                    _(
                        "What action was taken when {label} missed its target in the quarter before {period}?",
                        label=_(kpi.label).lower(),
                        period=period,
                    ),
                    _("corrective-action or improvement records, and the management review minutes that discussed it"),
                    _("the site has no action register from an earlier audit"),
                ),
            )
        drafts.append(
            Draft(
                clause="9.1.3" if grade == "minor" else clause_for(kpi),
                subject=subject,
                grade=grade,
                title=title,
                evidence=evidence,
                gap=gap,
                kpi_id=kpi.id,
                figures=figures,
                evidence_ids=records_behind(data, kpi.id),
                questions=questions,
            )
        )
    if judged and not drafts:
        shown = "; ".join(
            _(
                "{label} {value} (target {target})",
                label=_(k.label),
                value=fmt(k.value, k.unit, k.id),
                target=fmt(k.target, k.unit, k.id),
            )
            for k in judged
        )
        drafts.append(
            conforming(
                count_of(len(judged), "The {n} KPI with a target met it", "All {n} KPIs with a target met them"),
                _("In {period}: {kpis}.", period=period, kpis=shown),
                {"met": len(judged)},
                subject="objectives",
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


@check(
    "trend_decline",
    "9.1.2",
    question="Has any measure of customer perception declined significantly?",
    evidence="each KPI without a target against the previous quarter (p < 0.05)",
    rule="significant decline → observation",
)
def trends(ev: Evidence) -> list[Draft]:
    """A significant decline of a KPI without a target (those are judged by ``objectives``) → observation.

    A KPI judged in full by its own check is left to it; a gap that moved with its
    dimension is raised once, on the dimension; a CSI decline is raised with the dimension
    that drove it.
    """
    data, kpis = ev.data, ev.kpis
    drafts = []
    tested = 0
    for kpi in kpis:
        if kpi.target is not None or kpi.unit == "count" or kpi.id in OWNED:
            continue
        tested += kpi.p_value is not None
        if not significant_decline(kpi) or _duplicate_gap(kpis, kpi, "decline"):
            continue
        before, now = fmt(kpi.previous, kpi.unit, kpi.id), fmt(kpi.value, kpi.unit, kpi.id)
        drafts.append(
            Draft(
                clause=clause_for(kpi),
                subject=subject_of(kpis, kpi),
                grade="observation",
                title=_("{label} worsened significantly: {before} → {now}", label=_(kpi.label), before=before, now=now),
                evidence=_(
                    "{label} moved from {before} to {now} (n = {n}, {p}).",
                    label=_(kpi.label),
                    before=before,
                    now=now,
                    n=format.count(kpi.n),
                    p=format.p_text(kpi.p_value),
                ),
                gap=_(
                    "A significant deterioration in customer perception is a risk to customer satisfaction that the "
                    "monitoring results should trigger action on."
                ),
                kpi_id=kpi.id,
                figures={"value": kpi.value, "previous": kpi.previous, "p_value": kpi.p_value},
                evidence_ids=records_behind(data, kpi.id),
            )
        )
    if tested and not drafts:
        drafts.append(
            conforming(
                _("No measure without a target declined significantly"),
                _(
                    "{tested} without a target were compared with the previous quarter; none moved the wrong way with "
                    "p < {alpha}.",
                    tested=count_of(tested, "{n} KPI", "{n} KPIs"),
                    alpha=format.number(SIGNIFICANCE, 2),
                ),
                {"tested": tested},
                subject="trends",
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
        if kpi.n < data.config.analysis.small_n or _duplicate_gap(kpis, kpi, "improvement"):
            continue
        before, now = fmt(kpi.previous, kpi.unit, kpi.id), fmt(kpi.value, kpi.unit, kpi.id)
        evidence = _(
            "{label} moved from {before} to {now} (n = {n}, {p}); it was {then} in {year} ({p_year}).",
            label=_(kpi.label),
            before=before,
            now=now,
            n=format.count(kpi.n),
            p=format.p_text(kpi.p_value),
            then=fmt(last_year.value, kpi.unit, kpi.id),
            year=last_year.period,
            p_year=format.p_text(last_year.p_value),
        )
        if kpi.target is not None:
            evidence += " " + _("The target is {target}.", target=fmt(kpi.target, kpi.unit, kpi.id))
        drafts.append(
            Draft(
                clause=clause_for(kpi),
                subject=subject_of_kpi(kpi.id),
                grade="good_practice",
                title=_("{label} improved significantly: {before} → {now}", label=_(kpi.label), before=before, now=now),
                evidence=evidence,
                gap=_(
                    "None: the improvement is worth keeping; the practices behind it could be spread to other areas."
                ),
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
    evidence="lowest dimension mean, largest SERVQUAL gap, IPA 'concentrate here' (only when importance varies)",
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
    facts = [
        _(
            "The lowest mean perception is {name} ({mean})",
            name=dimension_name(weakest),
            mean=format.number(weakest_mean, 2),
        )
    ]
    if gaps:
        figures |= {"largest_gap": gaps[0][0], "largest_gap_points": gaps[0][1]}
        facts.append(
            _(
                "the largest SERVQUAL gap (perception − expectation) is {name} ({gap})",
                name=dimension_name(gaps[0][0]),
                gap=format.signed(gaps[0][1], 2),
            )
        )
    if kpis.analyses.ipa:
        facts.append(
            _(
                "in importance–performance analysis ({basis} importance) the dimensions in 'concentrate here' are: {names}",
                basis=_(_BASIS.get(kpis.analyses.importance_basis, kpis.analyses.importance_basis)),
                names=", ".join(dimension_name(q.dimension) for q in concentrate) or _("none"),
            )
        )
        figures["concentrate_here"] = [q.dimension for q in concentrate]
    elif "ipa" in kpis.analyses.notes:
        facts.append(_("no importance–performance analysis: {reason}", reason=kpis.analyses.notes["ipa"]))
    short = [(n, g) for n, g in gaps if g < -limit]
    evidence = "; ".join(facts) + "."
    if not short and not concentrate:
        return [conforming(_("No survey dimension calls for priority action"), evidence, figures, subject="dimensions")]
    focus = concentrate[0].dimension if concentrate else short[0][0]
    words, theme_figures = growing_theme_evidence(kpis, "survey_comments")
    reasons = []
    if concentrate:
        reasons.append(_("customers rate it important but perform it below the other dimensions"))
    if short:
        reasons.append(
            _(
                "perception falls short of expectation by more than {limit} points in {names}",
                limit=format.number(limit, 1),
                names=", ".join(dimension_name(n) for n, _g in short),
            )
        )
    kpi_id, name = f"dimension_{focus}_mean", dimension_name(focus)
    return [
        Draft(
            subject=f"dimension:{focus}",
            grade="ofi",
            title=_("Improve {name} first: {reasons}", name=name, reasons="; ".join(reasons)),
            evidence=evidence + words,
            gap=_(
                "The analysis of the survey shows where improving would raise satisfaction most; an improvement "
                "targeted at {name} is not evidenced in the records supplied.",
                name=name,
            ),
            kpi_id=kpi_id if kpis.get(kpi_id) else None,
            figures=figures | {"focus": focus, "short": [n for n, _g in short]} | theme_figures,
            evidence_ids=records_behind(data, kpi_id),
            guidance="ISO 10004",
            questions=(
                Ask(
                    _("What is being done to improve {name}?", name=name),
                    _("improvement plans or project records on {name}, and how their effect is measured", name=name),
                    _("improvement activity is not in the exports"),
                ),
            ),
        )
    ]
