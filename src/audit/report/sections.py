"""The report's sections, each rendered from the audit's objects through a Jinja partial.

The audit notebook shows one section per cell tagged ``report``; the HTML exporter
(``audit.report.html``) keeps only those outputs, so the notebook's outputs *are* the
report. Templates live in ``templates/report/sections/``, one per section, with Jinja
autoescaping on: every value from the data is text, never markup.

Example (in the notebook):
    >>> from audit.report import section                        # doctest: +SKIP
    >>> section("summary", data, kpis, assessment)               # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd
from markupsafe import Markup

from audit.model import CONCLUSIONS, GRADES, Assessment, Kpi, KpiTable
from audit.paths import REPORT_TEMPLATE_DIR
from audit.report import charts, results_charts
from audit.report.fonts import CJK_FONT_HINT, cjk_font_available
from audit.report.tables import (
    GRADE_ORDER,
    format_change,
    format_kpi,
    format_p,
    format_value,
    is_number,
    kpi_decimals,
    status_label,
    trend_arrow,
)

if TYPE_CHECKING:
    from IPython.display import HTML

    from audit.data.dataset import AuditData

__all__ = ["SECTIONS", "render_section", "render_sections", "section"]

#: section name → heading, in report order (numbers are part of the heading)
SECTIONS: dict[str, str] = {
    "cover": "Cover",
    "summary": "1 Executive summary",
    "details": "2 Audit details",
    "results": "3 Results",
    "findings": "4 Findings",
    "actions": "5 Improvement action plan",
    "follow_up": "6 Follow-up of previous actions",
    "conclusions": "7 Conclusions",
    "appendix_data_quality": "Appendix A Data quality",
    "appendix_methodology": "Appendix B Methodology and formulas",
    "appendix_evidence": "Appendix C Evidence",
}


#: KPIs always shown on the executive scorecard (with every KPI that has a target)
HEADLINE_KPIS = (
    "responses",
    "csat_mean",
    "nps",
    "complaints",
    "complaints_resolved_within_sla_pct",
    "otif_pct",
    "return_rate_pct",
)

#: most problems listed in Appendix A; the rest are in the Excel workbooks
MAX_PROBLEMS_SHOWN = 25
#: most evidence ids quoted under a finding
MAX_EVIDENCE_IDS = 20
#: most rows of an evidence list in Appendix C; all of them are in findings.xlsx
MAX_EVIDENCE_ROWS = 25

_KIND_LABELS = {
    "surveys": "Survey responses",
    "complaints": "Complaints",
    "returns": "Returns",
    "orders": "Orders",
    "customers": "Customers",
}

_DEFAULT_OBJECTIVES = (
    "Determine whether the organisation monitors customers' perceptions of the degree to "
    "which their needs and expectations have been fulfilled (ISO 9001:2015 9.1.2).",
    "Determine whether the methods for obtaining, monitoring and reviewing this information "
    "are defined, applied and effective, including complaint handling, returns and delivery "
    "performance.",
    "Evaluate whether the results are analysed and used to drive corrective action and "
    "improvement (ISO 9001:2015 9.1.3 and 10.2), and identify opportunities for improvement.",
)


# --------------------------------------------------------------------------- environment


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(REPORT_TEMPLATE_DIR / "sections"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        value=format_value,
        kpi=format_kpi,
        breakable=_breakable,
        change=format_change,
        pvalue=format_p,
        status=status_label,
        arrow=trend_arrow,
        dimension=_dimension_label,
        thousands=lambda n: f"{n:,}",
    )
    env.globals.update(GRADES=GRADES, CONCLUSIONS=CONCLUSIONS)
    return env


_BREAK_AFTER = re.compile(r"([/_.\\-])")


def _breakable(text: object) -> str:
    """Text with a zero-width space after ``/ _ . - \\``, so file names and rule ids wrap there."""
    return _BREAK_AFTER.sub("\\1\u200b", str(text))


def _dimension_label(name: str) -> str:
    return str(name).replace("_", " ").strip().capitalize()


# --------------------------------------------------------------------------- public API


def render_section(name: str, data: AuditData, kpis: KpiTable, assessment: Assessment) -> str:
    """One report section as HTML text.

    Args:
        name: one of :data:`SECTIONS`.
        data: the loaded audit data (its configuration names the audit).
        kpis: the audit's KPIs.
        assessment: findings, actions and conclusion.

    Returns:
        A ``<section>`` element whose heading carries ``data-section``.

    Raises:
        ValueError: ``name`` is not a known section.
    """
    if name not in SECTIONS:
        raise ValueError(f"unknown report section '{name}'; use one of: {', '.join(SECTIONS)}")
    context = _base_context(name, data, kpis, assessment)
    context.update(_BUILDERS[name](data, kpis, assessment))
    return _environment().get_template(f"{name}.html.j2").render(context)


def section(name: str, data: AuditData, kpis: KpiTable, assessment: Assessment) -> HTML:
    """One report section, for display in a notebook cell tagged ``report``.

    Args and Raises: as :func:`render_section`.

    Returns:
        An :class:`IPython.display.HTML` object.
    """
    from IPython.display import HTML

    return HTML(render_section(name, data, kpis, assessment))


def render_sections(
    data: AuditData, kpis: KpiTable, assessment: Assessment, names: Sequence[str] = tuple(SECTIONS)
) -> str:
    """Several sections (by default the whole report, in order) as one HTML fragment."""
    return "\n".join(render_section(name, data, kpis, assessment) for name in names)


# --------------------------------------------------------------------------- shared context


def _base_context(name: str, data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    from audit.cycle import revision_of

    info = data.config.audit
    revision = revision_of(data.config.folder)
    return {
        "revision": revision.number,
        "is_final": revision.is_final,
        "name": name,
        "heading": SECTIONS[name],
        "title": SECTIONS[name].lstrip("0123456789 ") if name != "cover" else "Cover",
        "running": f"{info.organisation} · {info.id}",
        "info": info,
        "criteria": _criteria(info.criteria),
        "kpis": kpis,
        "assessment": assessment,
    }


def _criteria(edition: str) -> str:
    if edition == "ISO 9001:2008":
        return "ISO 9001:2008 clause 8.2.1 Customer satisfaction (ISO 9001:2015 clause 9.1.2)"
    return "ISO 9001:2015 clause 9.1.2 Customer satisfaction (ISO 9001:2008 clause 8.2.1)"


def _findings_by_severity(assessment: Assessment) -> list[Any]:
    return sorted(assessment.findings, key=lambda f: (GRADE_ORDER.index(f.grade), f.id))


def _grade_sentence(assessment: Assessment) -> str:
    counts: Counter[str] = Counter(f.grade for f in assessment.findings)
    if not assessment.findings:
        return "No findings were raised."
    nc = counts["major"] + counts["minor"]
    parts = []
    if nc:
        split = ", ".join(f"{counts[g]} {g}" for g in ("major", "minor") if counts[g])
        parts.append(f"{nc} nonconformit{'y' if nc == 1 else 'ies'} ({split})")
    else:
        parts.append("no nonconformities")
    for grade, singular, plural in (
        ("observation", "observation", "observations"),
        ("ofi", "opportunity for improvement", "opportunities for improvement"),
        ("good_practice", "good practice", "good practices"),
        ("conforming", "conforming check", "conforming checks"),
    ):
        if counts[grade]:
            parts.append(f"{counts[grade]} {singular if counts[grade] == 1 else plural}")
    return _join(parts).capitalize() + "."


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _action_sentence(assessment: Assessment) -> str:
    actions = assessment.actions
    if not actions:
        return "No improvement actions were raised."
    earliest = min(a.due for a in actions)
    owners = len({a.owner or a.owner_role for a in actions})
    noun = "action was" if len(actions) == 1 else "actions were"
    return (
        f"{len(actions)} improvement {noun} raised, for {owners} owner{'s' if owners != 1 else ''}; "
        f"the first is due on {earliest:%d %B %Y}."
    )


# --------------------------------------------------------------------------- sections


def _cover(data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    info = data.config.audit
    return {
        "period_dates": f"{info.period_start:%d %B %Y} to {info.period_end:%d %B %Y}",
        "audit_date": f"{info.audit_date:%d %B %Y}",
        **_revision_changes(data, kpis, assessment),
    }


#: most changes since the issued revision listed on the cover (the rest are counted)
MAX_CHANGES_SHOWN = 8


def _revision_changes(data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    """The issued revision this one replaces, and what changed since (see audit.audits)."""
    from audit.cycle import changes_since_issue, revision_of

    issued = revision_of(data.config.folder).issued
    if issued is None:
        return {"issued": None, "changes": None, "more_changes": 0}
    findings = [f.to_dict() for f in assessment.findings]
    changes = changes_since_issue(data.config.folder, kpis.to_dict(), findings, assessment.conclusion) or []
    return {
        "issued": issued,
        "changes": changes[:MAX_CHANGES_SHOWN],
        "more_changes": max(len(changes) - MAX_CHANGES_SHOWN, 0),
    }


def _summary(data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    scorecard = [k for k in kpis if k.target is not None or k.id in HEADLINE_KPIS]
    needing = [f for f in _findings_by_severity(assessment) if f.needs_action]
    top = needing[:5] or _findings_by_severity(assessment)[:3]
    return {
        "scorecard": scorecard,
        "targets_met": sum(k.status == "met" for k in kpis),
        "targets_set": sum(k.status in {"met", "not_met"} for k in kpis),
        "top_findings": top,
        "more_findings": max(len(needing) - len(top), 0),
        "grade_sentence": _grade_sentence(assessment),
        "action_sentence": _action_sentence(assessment),
    }


def _details(data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    info = data.config.audit
    config = data.config
    supplied = [kind for kind in _KIND_LABELS if data.has(kind)]
    counts = [(kind, _KIND_LABELS[kind], len(data.frames[kind])) for kind in supplied]
    not_supplied = [_KIND_LABELS[kind] for kind in ("surveys", "complaints", "returns", "orders") if not data.has(kind)]
    quarantined = sum(s.rows_quarantined for s in data.sources)
    limitations = []
    if quarantined:
        limitations.append(
            f"{quarantined:,} row{'s' if quarantined != 1 else ''} failed validation and "
            f"{'were' if quarantined != 1 else 'was'} set aside (quarantined); they are not "
            "in any figure. Appendix A lists the problems."
        )
    if not_supplied:
        limitations.append(
            f"No data was supplied for: {_join([s.lower() for s in not_supplied])}; "
            "the related KPIs and checks could not be evaluated."
        )
    if not any(is_number(k.previous) for k in kpis):
        limitations.append(
            "No figures for an earlier period were available, so no change from the previous period is shown."
        )
    surveys = config.data.surveys
    if surveys is not None and surveys.sent is None and data.has("surveys"):
        limitations.append(
            "The number of questionnaires sent was not given, so the response rate and the "
            "risk of non-response bias could not be judged."
        )
    limitations.append(
        "Figures are computed from the organisation's exports as supplied; the audit did not "
        "verify them against the source systems beyond the checks in Appendix A."
    )
    if not cjk_font_available():
        limitations.append(CJK_FONT_HINT)
    return {
        "objectives": info.objectives or list(_DEFAULT_OBJECTIVES),
        "scope": info.scope or _default_scope(data),
        "period_dates": f"{info.period_start:%d %B %Y} to {info.period_end:%d %B %Y}",
        "audit_date": f"{info.audit_date:%d %B %Y}",
        "counts": counts,
        "compared": [label for label in kpis.period_labels if label != info.period_label],
        "sources": [
            {
                "kind": _KIND_LABELS.get(s.kind, s.kind),
                "file": s.path,
                "sheet": s.sheet,
                "rows_read": s.rows_read,
                "rows_valid": s.rows_valid,
                "rows_quarantined": s.rows_quarantined,
                "rows_in_period": s.rows_in_period,
                "sha": (s.sha256 or "")[:12],
            }
            for s in data.sources
        ],
        "limitations": limitations,
        "sla": config.sla,
    }


def _default_scope(data: AuditData) -> str:
    info = data.config.audit
    where = f"{info.organisation}, {info.site}" if info.site else info.organisation
    kinds = [_KIND_LABELS[k].lower() for k in ("surveys", "complaints", "returns", "orders") if data.has(k)]
    evidence = f" Evidence: {_join(kinds)} records." if kinds else ""
    return (
        f"Monitoring of customer satisfaction at {where}, for the period {info.period_label} "
        f"({info.period_start:%d %b %Y} to {info.period_end:%d %b %Y}).{evidence}"
    )


def _results(data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    period = data.config.audit.period_label
    blocks: list[dict[str, Any]] = []

    def trend(kpi_id: str, heading: str, name: str, draw: Callable[[Kpi, list[tuple[str, float | None]]], str]) -> None:
        kpi = kpis.get(kpi_id)
        series = _series(kpi, period) if kpi is not None else []
        if kpi is None or not any(is_number(v) for _, v in series):
            why = f" ({kpi.note})" if kpi is not None and kpi.note else ""
            blocks.append(_block(heading, None, f"No {name} figures are available for {period}{why}."))
            return
        blocks.append(_block(heading, draw(kpi, series), _trend_reading(kpi, name, period)))

    def add(heading: str, built: tuple[str | None, str] | None) -> None:
        if built is not None:
            blocks.append(_block(heading, *built))

    trend(
        "csat_mean",
        "Customer satisfaction",
        "CSAT",
        lambda k, s: charts.csat_trend_svg(s, k.target, results_charts.csat_band(data, k, s)),
    )
    if kpis.get("nps") is not None:
        trend("nps", "Net Promoter Score", "NPS", lambda k, s: charts.kpi_trend_svg(s, k.target, "NPS", k.unit))
        add("NPS composition", results_charts.nps_composition_block(data, kpis))
    add("Satisfaction by dimension", results_charts.radar_block(data, kpis))

    gaps = kpis.breakdowns.get("dimension_gaps", ())
    means = dict(kpis.breakdowns.get("dimension_means", ()))
    if gaps and any(is_number(g) for _, g in gaps):
        block = _block("Service quality gaps (SERVQUAL)", charts.gap_bars_svg(gaps), _gap_reading(gaps))
        block["dimensions"] = [(d, means.get(d), g) for d, g in gaps]
        blocks.append(block)
    elif means:
        blocks.append(
            _block(
                "Service quality gaps (SERVQUAL)",
                None,
                "No expectation scores were supplied, so the gap between perception and expectation "
                "could not be computed; the mean perception per dimension is in the KPI table.",
            )
        )
    elif data.has("surveys"):
        blocks.append(
            _block(
                "Service quality gaps (SERVQUAL)",
                None,
                "The survey has no dimension or expectation scores, so no SERVQUAL gap could be computed.",
            )
        )

    add("Importance and performance (IPA)", results_charts.ipa_block(data, kpis))
    add("Satisfaction and complaints by segment", results_charts.segments_block(data, kpis))

    complaints = kpis.breakdowns.get("complaints_by_category", ())
    if _positive(complaints):
        blocks.append(
            _block(
                "Complaints by category",
                charts.pareto_svg(complaints, "Complaints by category (Pareto)"),
                _pareto_reading(complaints, "complaints"),
            )
        )
    else:
        blocks.append(
            _block(
                "Complaints by category",
                None,
                f"No complaints are recorded for {period}."
                if data.has("complaints")
                else "No complaint log was supplied.",
            )
        )

    add("Complaint rate (control chart)", results_charts.p_chart_block(data, kpis))
    add("Complaint resolution time", results_charts.resolution_block(data, kpis))

    returns = kpis.breakdowns.get("returns_by_reason", ())
    if _positive(returns):
        blocks.append(
            _block(
                "Returns by reason",
                charts.pareto_svg(returns, "Returns by reason (Pareto)"),
                _pareto_reading(returns, "returns"),
            )
        )

    trend(
        "otif_pct",
        "Delivery performance (OTIF)",
        "OTIF",
        lambda k, s: charts.kpi_trend_svg(s, k.target, "On time in full", "%"),
    )

    groups: dict[str, list[Kpi]] = {}
    for kpi in kpis:
        groups.setdefault(_KIND_LABELS.get(kpi.source, kpi.source.capitalize() or "Other"), []).append(kpi)
    return {"blocks": blocks, "kpi_groups": list(groups.items()), "period": period}


def _block(heading: str, svg: str | None, reading: str) -> dict[str, Any]:
    return {"heading": heading, "svg": Markup(charts.inline_svg(svg)) if svg else None, "reading": reading}


def _positive(pairs: Sequence[tuple[str, float]]) -> bool:
    return any(is_number(v) and v > 0 for _, v in pairs)


def _series(kpi: Kpi, period: str) -> list[tuple[str, float | None]]:
    """The KPI's history with the audited period added as the last point."""
    points: list[tuple[str, float | None]] = [(str(p), v if is_number(v) else None) for p, v in kpi.history]
    if not points and is_number(kpi.previous):
        points.append(("Previous", kpi.previous))
    if not points or points[-1][0] != period:
        points.append((period, kpi.value if is_number(kpi.value) else None))
    return points


def _trend_reading(kpi: Kpi, name: str, period: str) -> str:
    """One sentence on a KPI: its move from the previous period and its target."""
    unit = kpi.unit

    def fmt(x: float | None) -> str:
        return format_value(x, unit, decimals=kpi_decimals(kpi))

    if not is_number(kpi.value):
        note = f": {kpi.note}" if kpi.note else ""
        return f"{name} could not be computed for {period}{note}."
    value = float(kpi.value or 0.0)
    previous = kpi.previous if is_number(kpi.previous) else None
    if previous is None:
        earlier = [v for p, v in kpi.history if p != period and is_number(v)]
        previous = earlier[-1] if earlier else None
    if previous is None:
        move = f"was {fmt(value)} in {period}"
    elif fmt(value) == fmt(previous):
        move = f"was unchanged at {fmt(value)}"
    else:
        move = f"{'rose' if value > previous else 'fell'} from {fmt(previous)} to {fmt(value)}"
    if is_number(kpi.target):
        target = float(kpi.target or 0.0)
        if kpi.status == "met":
            against = f"meeting the {fmt(target)} target"
        else:
            side = "below" if kpi.higher_is_better else "above"
            against = f"{side} the {fmt(target)} target"
    else:
        against = "with no target set"
    significance = ""
    p_value = kpi.p_value
    if previous is not None and p_value is not None and is_number(p_value) and fmt(value) != fmt(previous):
        if p_value >= 0.05:
            significance = f" (the change is not statistically significant, {format_p(p_value)})"
        else:
            significance = f" (a statistically significant change, {format_p(p_value)})"
    return f"{name} {move}, {against}{significance}."


def _pareto_reading(pairs: Sequence[tuple[str, float]], noun: str) -> str:
    """One sentence on a Pareto: how few categories make up 80% of the total."""
    items = sorted(((str(c), float(v)) for c, v in pairs if is_number(v) and v > 0), key=lambda i: -i[1])
    total = sum(v for _, v in items)
    count = f"{total:,.0f}"
    if len(items) == 1:
        return f"All {count} {noun} fall in one category: {items[0][0]}."
    running, k = 0.0, 0
    for k, (_, v) in enumerate(items, start=1):  # noqa: B007 - k is read after the loop
        running += v
        if running >= 0.8 * total - 1e-9:
            break
    share = 100 * running / total
    names = [_clip(c) for c, _ in items[:k]]
    if k == 1:
        return f"One of {len(items)} categories, {names[0]}, accounts for {share:.0f}% of the {count} {noun}."
    listed = _join(names) if k <= 4 else ", ".join(names[:3]) + f" and {k - 3} more"
    return f"{k} of {len(items)} categories ({listed}) account for {share:.0f}% of the {count} {noun}."


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _gap_reading(gaps: Sequence[tuple[str, float]]) -> str:
    """One sentence on SERVQUAL gaps: how many dimensions fall short, and the worst."""
    items = [(_dimension_label(d), float(g)) for d, g in gaps if is_number(g)]
    short = [(d, g) for d, g in items if g < 0]
    if not short:
        d, g = min(items, key=lambda i: i[1])
        return (
            f"Perception meets or exceeds expectation on all {len(items)} dimensions; "
            f"the smallest margin is {d.lower()} ({g:+.2f})."
        ).replace("-", "−")
    d, g = min(short, key=lambda i: i[1])
    of = f"{len(short)} of {len(items)} dimensions fall" if len(short) > 1 else f"1 of {len(items)} dimensions falls"
    return f"{of} short of expectation; the largest shortfall is in {d.lower()} ({g:+.2f}).".replace("-", "−")


def _findings(data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    return {
        "findings": list(assessment.findings),
        "grade_sentence": _grade_sentence(assessment),
        "max_ids": MAX_EVIDENCE_IDS,
    }


def _actions(data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    return {"actions": list(assessment.actions), "action_sentence": _action_sentence(assessment)}


def _follow_up(data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    """Earlier audits' actions from the site's register: status, and the verdict of this audit."""
    follow = assessment.follow_up
    counts = Counter(r.result for r in follow.rows)
    return {
        "rows": follow.rows,
        "register": follow.register,
        "counts": sorted(counts.items(), key=lambda item: -item[1]),
    }


def _conclusions(data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    findings = assessment.findings
    nc = [f for f in findings if f.grade in {"major", "minor"}]
    fulfilled = [f for f in findings if f.grade not in {"major", "minor"}]
    with_target = [k for k in kpis if k.status in {"met", "not_met"}]
    met = [k for k in with_target if k.status == "met"]
    fulfilment = []
    if findings:
        fulfilment.append(
            f"{len(fulfilled)} of the {len(findings)} findings ({100 * len(fulfilled) / len(findings):.0f}%) "
            f"record the requirement as met, some with observations or opportunities for improvement; "
            f"{len(nc)} {'is a nonconformity' if len(nc) == 1 else 'are nonconformities'}."
        )
    if with_target:
        fulfilment.append(f"{len(met)} of {len(with_target)} KPIs with a target met it.")
    if not fulfilment:
        fulfilment.append("No checks were graded and no KPI has a target.")
    return {
        "fulfilment": fulfilment,
        "grade_sentence": _grade_sentence(assessment),
        "action_sentence": _action_sentence(assessment),
        "audit_date": f"{data.config.audit.audit_date:%d %B %Y}",
    }


def _appendix_data_quality(data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    problems = list(data.problems)
    by_rule = Counter(p.rule for p in problems)
    files = {p.file for p in problems}
    quarantined_rows = len({(p.file, p.sheet, p.row) for p in problems if p.quarantined and p.row is not None})
    kept = {p.rule for p in problems if not p.quarantined}
    return {
        "problems": problems[:MAX_PROBLEMS_SHOWN],
        "more": max(len(problems) - MAX_PROBLEMS_SHOWN, 0),
        "total": len(problems),
        "files": len(files),
        "by_rule": [(rule, n, rule not in kept) for rule, n in by_rule.most_common()],
        "quarantined_rows": quarantined_rows,
        "checked": [(s.path, s.rows_read) for s in data.sources],
        "notes": [(s.path, note) for s in data.sources for note in s.notes],
    }


def _evidence_cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return "–"
    if hasattr(value, "strftime"):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _appendix_evidence(data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    """Per finding, the rows behind it (first 25), found by id in the period's data."""
    from audit.report.evidence import evidence_records

    lists = []
    for finding in assessment.findings:
        if not finding.evidence_ids:
            continue
        wanted = list(dict.fromkeys(finding.evidence_ids))
        records = evidence_records(data, wanted)
        table = None
        if records is not None:
            rows = [[_evidence_cell(v) for v in row] for row in records.rows[:MAX_EVIDENCE_ROWS]]
            table = {"header": records.header, "rows": rows}
        lists.append({
            "finding": finding,
            "table": table,
            "ids": wanted[:MAX_EVIDENCE_ROWS],
            "more": max(len(wanted) - MAX_EVIDENCE_ROWS, 0),
        })  # fmt: skip
    return {"lists": lists}


def _appendix_methodology(data: AuditData, kpis: KpiTable, assessment: Assessment) -> dict[str, Any]:
    config = data.config
    scale = config.data.surveys.scale_of("overall") if config.data.surveys is not None else None
    top2 = f"{scale.max - 1} or {scale.max}" if scale is not None else "the two highest scale points"
    bottom2 = f"{scale.min} or {scale.min + 1}" if scale is not None else "the two lowest scale points"
    return {
        "scale": f"{scale.min}–{scale.max}" if scale is not None else "as declared in audit.yaml",
        "top2": top2,
        "bottom2": bottom2,
        "sla": config.sla,
        "targets": sorted(config.targets.items()),
        "target_labels": {k.id: k.label for k in kpis},
    }


_BUILDERS: dict[str, Callable[[Any, KpiTable, Assessment], dict[str, Any]]] = {
    "cover": _cover,
    "summary": _summary,
    "details": _details,
    "results": _results,
    "findings": _findings,
    "actions": _actions,
    "follow_up": _follow_up,
    "conclusions": _conclusions,
    "appendix_data_quality": _appendix_data_quality,
    "appendix_methodology": _appendix_methodology,
    "appendix_evidence": _appendix_evidence,
}
