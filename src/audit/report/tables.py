"""KPI cells (through :mod:`audit.format`) and the compact HTML tables shown in JupyterLab.

Shared by the report's sections (``audit.report.sections``) and by the ``_repr_html_`` of
:class:`~audit.model.KpiTable` and :class:`~audit.model.Assessment`. Every value taken from
the data is HTML-escaped.

Example:
    >>> format_kpi(Kpi("csat_mean", "CSAT", 4.123, "score", 10))
    '4.12'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path

import pandas as pd

from audit import format as fmt
from audit.i18n import _
from audit.model import (
    GRADES,
    THEME_SOURCES,
    Analyses,
    Assessment,
    AuditSnapshot,
    Kpi,
    KpiTable,
    Register,
    SegmentCell,
    Theme,
    ThemeSet,
)
from audit.report import words
from audit.report.datatable import data_table, static_table

__all__ = [
    "GRADE_ORDER",
    "analyses_html",
    "assessment_html",
    "format_change",
    "format_kpi",
    "is_number",
    "kpi_frame",
    "kpi_table_html",
    "register_html",
    "segments_html",
    "snapshot_html",
    "status_label",
    "theme_frame",
    "theme_html",
    "theme_sets_html",
    "themes_html",
    "trend_arrow",
]

#: grades from most to least severe
GRADE_ORDER: tuple[str, ...] = tuple(GRADES)

is_number = fmt.is_number


def format_kpi(kpi: Kpi, field: str = "value", *, with_unit: bool = True) -> str:
    """One number of a KPI (``value``, ``target``, ``previous``, ``ci_low``, ``ci_high``), as :func:`audit.format.value`.

    Example:
        >>> format_kpi(Kpi("nps", "NPS", 22.4, "points", 100, target=30.0), "target")
        '+30'
    """
    return fmt.value(getattr(kpi, field), kpi.unit, kpi_id=kpi.id, with_unit=with_unit)


def format_change(kpi: Kpi) -> str:
    """The change from the previous period, signed, in the KPI's unit (``+0.12``, ``−4.2 pts``)."""
    return fmt.change(kpi.change, kpi.unit, kpi_id=kpi.id)


def status_label(kpi: Kpi) -> str:
    """``Met``, ``Not met``, ``No target`` or ``Not available``."""
    return words.status_label(kpi.status)


def trend_arrow(kpi: Kpi) -> tuple[str, str]:
    """An arrow for the change and whether it is ``better``, ``worse`` or ``same``.

    A change too small to show at the KPI's precision counts as ``same``.

    Returns:
        (arrow, judgement): ``("▲", "better")`` for a rise in a KPI where higher is
        better; ``("", "none")`` when there is no previous value.
    """
    change = kpi.change
    if not is_number(change):
        return "", "none"
    assert change is not None
    if format_change(kpi).startswith("±"):
        return "▶", "same"
    up = change > 0
    better = up == kpi.higher_is_better
    return ("▲" if up else "▼"), ("better" if better else "worse")


def _cell(text: str, css_class: str = "") -> str:
    attr = f' class="{css_class}"' if css_class else ""
    return f"<td{attr}>{escape(text)}</td>"


def _verdict(kpi: Kpi, basis: str) -> str:
    """``significant decline (2025-Q3)``, or an en dash when there is nothing to compare with."""
    found = kpi.comparison(basis)
    if found is None or found.verdict is None:
        return fmt.NA
    return f"{found.verdict} ({found.period})"


def kpi_frame(table: KpiTable) -> tuple[pd.DataFrame, dict[str, list[float | None]]]:
    """The KPIs as the working paper's table (formatted through :mod:`audit.format`) and the values its columns sort by."""
    benchmarks = any(is_number(k.benchmark) for k in table)
    rows = []
    for kpi in table:
        ci = (
            f"{format_kpi(kpi, 'ci_low', with_unit=False)}–{format_kpi(kpi, 'ci_high', with_unit=False)}"
            if is_number(kpi.ci_low) and is_number(kpi.ci_high)
            else fmt.NA
        )
        arrow, _judgement = trend_arrow(kpi)
        row = {
            "KPI": kpi.label,
            "Id": kpi.id,
            "Value": format_kpi(kpi),
            "95% CI": ci,
            "n": fmt.count(kpi.n),
            "Target": format_kpi(kpi, "target"),
            "Previous": format_kpi(kpi, "previous"),
            "Change": f"{arrow} {format_change(kpi)}".strip(),
            "p": fmt.p_value(kpi.p_value),
            "Trend": _verdict(kpi, "previous_quarter"),
            "Last year": _verdict(kpi, "same_quarter_last_year"),
        }
        if benchmarks:
            row["Benchmark"] = format_kpi(kpi, "benchmark")
        row |= {"Status": status_label(kpi), "Note": kpi.note}
        rows.append(row)
    kpis = list(table)
    sort_by: dict[str, list[float | None]] = {
        "Value": [k.value for k in kpis],
        "n": [float(k.n) for k in kpis],
        "Target": [k.target for k in kpis],
        "Previous": [k.previous for k in kpis],
        "Change": [k.change for k in kpis],
        "p": [k.p_value for k in kpis],
    }
    return pd.DataFrame(rows), sort_by


def kpi_table_html(table: KpiTable) -> str:
    """The KPIs as a table to sort, search and filter: value, 95% CI, n, target, previous, change, p,
    the verdict on the change from the previous quarter and from the same quarter last
    year, the benchmark when any KPI has one, and the status.

    Args:
        table: the KPIs of an audit.

    Returns:
        HTML text (interactive with itables, else a static table); every label and note is escaped.
    """
    frame, sort_by = kpi_frame(table)
    return data_table(frame, _("KPIs of the audited period"), sort_by=sort_by, css_class="audit-kpis")


def assessment_html(a: Assessment) -> str:
    """An assessment for the working paper: the conclusion, then the findings and actions as tables.

    Args:
        a: findings, actions and conclusion of an audit.

    Returns:
        HTML text; every value from the data is escaped.
    """
    findings = sorted(a.findings, key=lambda f: (GRADE_ORDER.index(f.grade), f.id))
    conclusion = _("Conclusion: {label}.", label=a.conclusion_label)
    parts = [
        '<div class="audit-assessment">',
        f"<p><strong>{escape(conclusion)}</strong> {escape(a.conclusion_reason)}</p>",
        data_table(
            pd.DataFrame(
                [
                    {
                        "Finding": f.id,
                        "Grade": f.grade_label,
                        "Clause": f.clauses,
                        "Title": f.title,
                        "Evidence": f.evidence,
                        "Records": fmt.count(len(f.evidence_ids)),
                    }
                    for f in findings
                ]
            ),
            _("Findings (drill down with assessment[finding id])"),
            sort_by={
                "Grade": [float(GRADE_ORDER.index(f.grade)) for f in findings],
                "Records": [float(len(f.evidence_ids)) for f in findings],
            },
        ),
    ]
    if a.actions:
        rows = [
            {
                "Action": action.id,
                "Finding": action.finding_id,
                "Type": action.type,
                "Owner": f"{action.owner} ({action.owner_role})" if action.owner_role else action.owner,
                "Due": action.due.isoformat(),
                "Description": action.description,
            }
            for action in a.actions
        ]
        parts.append(data_table(pd.DataFrame(rows), _("Improvement actions")))
    parts.append("</div>")
    return "".join(parts)


def _table(caption: str, head: list[str], rows: list[list[str]]) -> str:
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in rows)
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def analyses_html(a: Analyses) -> str:
    """The analyses behind the KPIs as compact HTML tables, for the auditor's working paper.

    Args:
        a: Paretos, p-chart, IPA, segments, tiers and returns by product.

    Returns:
        HTML text; every value from the data is escaped.
    """
    parts = ['<div class="audit-analyses">']
    chart = a.complaint_chart
    if chart is not None:
        rows = [[p.period, fmt.count(p.events), fmt.count(p.n), fmt.number(p.value, 1), fmt.number(p.lcl, 1), fmt.number(p.ucl, 1), p.signal]
                for p in chart.points]  # fmt: skip
        caption = f"{chart.title}: p-chart, centre {fmt.number(chart.centre, 1)} ({chart.basis}), signals: {len(chart.signals)}"
        parts.append(_table(caption, ["Period", "Complaints", "Orders", "Rate", "LCL", "UCL", "Signal"], rows))
    for caption, items in (
        ("Complaint categories (Pareto)", a.complaint_pareto),
        ("Return reasons (Pareto)", a.return_reasons),
    ):
        if items:
            rows = [[i.label, fmt.count(i.count), fmt.percent(i.share_pct), fmt.percent(i.cumulative_pct), "vital few" if i.vital else ""]
                    for i in items]  # fmt: skip
            parts.append(_table(caption, ["Category", "Count", "Share", "Cumulative", ""], rows))
    if a.ipa:
        rows = [[q.dimension, fmt.number(q.importance, 2), fmt.number(q.performance, 1), q.quadrant] for q in a.ipa]
        caption = f"Importance–performance analysis (importance {a.importance_basis})"
        parts.append(_table(caption, ["Dimension", "Importance", "Performance (0–100)", "Quadrant"], rows))
    if a.segments:
        parts.append(segments_html(a.segments))
    if a.tiers:
        rows = [[t.tier, fmt.count(t.customers), fmt.count(t.revenue), fmt.percent(t.revenue_pct)] for t in a.tiers]
        parts.append(_table("Customers by ABC tier", ["Tier", "Customers", "Revenue", "Share"], rows))
    if a.returns_by_product:
        rows = [[r.product, fmt.count(r.returns), fmt.number(r.units, 0), fmt.number(r.value, 0),
                 fmt.number(r.orders, 0), fmt.percent(r.rate_pct)]
                for r in a.returns_by_product]  # fmt: skip
        parts.append(
            _table("Returns by product", ["Product", "Returns", "Units", "Value", "Orders", "Per 100 orders"], rows)
        )
    if a.notes:
        parts.append("<ul>" + "".join(f"<li>{escape(k)}: {escape(v)}</li>" for k, v in a.notes.items()) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


def segments_html(cells: Sequence[SegmentCell]) -> str:
    """Survey and complaint KPIs per segment, as a table to sort and filter (small samples marked)."""
    rows = [
        {
            "By": c.by,
            "Segment": c.segment,
            "KPI": c.kpi_id,
            "Value": fmt.number(c.value, 2),
            "n": fmt.count(c.n),
            "95% CI": f"{fmt.number(c.ci_low, 2)}–{fmt.number(c.ci_high, 2)}" if is_number(c.ci_low) else fmt.NA,
            "": _("small n") if c.small_n else "",
        }
        for c in cells
    ]
    sort_by: dict[str, list[float | None]] = {"Value": [c.value for c in cells], "n": [float(c.n) for c in cells]}
    return data_table(pd.DataFrame(rows), _("Segments"), sort_by=sort_by)


def snapshot_html(s: AuditSnapshot) -> str:
    """An audit's results in a few lines, for the working paper's last cell."""
    counts = ", ".join(
        f"{s.assessment.count(g)} {label.lower()}" for g, label in GRADES.items() if s.assessment.count(g)
    )
    judged = [k for k in s.kpis if k.status in {"met", "not_met"}]
    met = sum(k.status == "met" for k in judged)
    rows = [
        ("Audit", f"{s.config.audit.id}, {s.period}"),
        ("Conclusion", f"{s.assessment.conclusion_label}. {s.assessment.conclusion_reason}"),
        ("Findings", counts or "none"),
        ("Actions", fmt.count(len(s.assessment.actions))),
        ("KPIs with a target met", f"{met} of {len(judged)}"),
        ("Rows quarantined", fmt.count(s.quarantined_rows)),
    ]
    body = "".join(f"<tr><th>{escape(k)}</th>{_cell(v)}</tr>" for k, v in rows)
    return f'<table class="audit-snapshot"><tbody>{body}</tbody></table>'


def theme_frame(themes: ThemeSet) -> tuple[pd.DataFrame, dict[str, list[float | None]]]:
    """One source's themes as the working paper's table, and the values its columns sort by."""
    scored = themes.dissatisfied_n is not None
    rows = []
    for t in themes.themes:
        row = {
            "Theme": t.id,
            "Top terms": ", ".join(term for term, _w in t.terms),
            "Texts": fmt.count(t.count),
            "Share": fmt.percent(t.share_pct),
            "Previous": fmt.percent(t.previous_share_pct),
            "Change": fmt.change(t.change, "%"),
            "p": fmt.p_value(t.p_value),
            "Verdict": t.verdict,
        }
        if scored:
            row["Dissatisfied"] = fmt.percent(t.dissatisfied_pct)
        row["Example"] = f"{t.examples[0].record_id}: {t.examples[0].text}" if t.examples else ""
        rows.append(row)
    sort_by: dict[str, list[float | None]] = {
        "Texts": [float(t.count) for t in themes.themes],
        "Share": [t.share_pct for t in themes.themes],
        "Previous": [t.previous_share_pct for t in themes.themes],
        "Change": [t.change for t in themes.themes],
        "p": [t.p_value for t in themes.themes],
        "Dissatisfied": [t.dissatisfied_pct for t in themes.themes],
    }
    return pd.DataFrame(rows), sort_by


def themes_html(themes: ThemeSet) -> str:
    """One source's themes: how many texts, the themes with their trend (and the dissatisfied share), the notes."""
    source = THEME_SOURCES.get(themes.source, themes.source)
    counts = ", ".join(f"{lang}: {fmt.count(n)}" for lang, n in themes.texts_by_language) or fmt.NA
    intro = _(
        "{source}, {period}: {texts} texts ({counts}), {unassigned} in no theme, {blank} records without text.",
        source=source,
        period=themes.period,
        texts=fmt.count(themes.texts),
        counts=counts,
        unassigned=fmt.count(themes.unassigned),
        blank=fmt.count(themes.without_text),
    )
    if themes.dissatisfied_pct is not None:
        intro += " " + _(
            "{pct} of the commenters with a score are dissatisfied (bottom two boxes).",
            pct=fmt.percent(themes.dissatisfied_pct),
        )
    parts = [f'<div class="audit-themes"><p>{escape(intro)}</p>']
    if themes.themes:
        frame, sort_by = theme_frame(themes)
        caption = _("Themes of {source} (drill down with kpis.themes[source][theme id])", source=themes.source)
        parts.append(data_table(frame, caption, sort_by=sort_by))
    if themes.notes:
        parts.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in themes.notes) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


def theme_html(t: Theme) -> str:
    """One theme: its terms with their weights, counts and trend, and its example texts with their record ids."""
    head = _(
        "{id} “{label}”: {count} texts ({share}), previously {before}; {verdict}.",
        id=t.id,
        label=t.label,
        count=fmt.count(t.count),
        share=fmt.percent(t.share_pct),
        before=fmt.percent(t.previous_share_pct),
        verdict=t.verdict,
    )
    if t.dissatisfied_pct is not None:
        head += " " + _("{pct} of its respondents are dissatisfied.", pct=fmt.percent(t.dissatisfied_pct))
    terms = pd.DataFrame({_("Term"): [w for w, _x in t.terms], _("Weight"): [fmt.number(x, 3) for _w, x in t.terms]})
    examples = pd.DataFrame({_("Record"): [e.record_id for e in t.examples], _("Text"): [e.text for e in t.examples]})
    records = _('Its {n} records: kpis.themes.records(source, "{id}").', n=fmt.count(len(t.record_ids)), id=t.id)
    return (
        f'<div class="audit-theme"><p><strong>{escape(head)}</strong></p>'
        + static_table(terms, _("Top terms"))
        + static_table(examples, _("Examples"))
        + f"<p>{escape(records)}</p></div>"
    )


def theme_sets_html(sets: Mapping[str, ThemeSet]) -> str:
    """Every source's themes (``kpis.themes``), or a sentence when the audit has no free text."""
    if not sets:
        return (
            f"<p>{escape(_('No free text (complaint descriptions, root causes, survey comments) was supplied.'))}</p>"
        )
    return "".join(themes_html(t) for t in sets.values())


def register_html(register: Register) -> str:
    """The site's action register as found before the audit, as a table to filter by status, owner, due date."""
    if not register.entries:
        return f"<p>{escape(_('The register {path} holds no actions yet.', path=Path(register.path).name))}</p>"
    rows = [
        {
            "Action": e.id,
            "Raised in": e.raised_in,
            "Finding": e.finding_id,
            "Grade": e.grade,
            "Description": e.description,
            "Owner": e.owner or e.owner_role,
            "Due": e.due.isoformat() if e.due else fmt.NA,
            "Status": e.status,
            "Verification": e.verification,
            "KPI": e.kpi_id,
        }
        for e in register.entries
    ]
    return data_table(pd.DataFrame(rows), _("Action register {path}", path=Path(register.path).name))
