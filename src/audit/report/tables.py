"""KPI cells (through :mod:`audit.format`) and the compact HTML tables shown in JupyterLab.

Shared by the report's sections (``audit.report.sections``) and by the ``_repr_html_`` of
:class:`~audit.model.KpiTable` and :class:`~audit.model.Assessment`. Every value taken from
the data is HTML-escaped.

Example:
    >>> format_kpi(Kpi("csat_mean", "CSAT", 4.123, "score", 10))
    '4.12'
"""

from __future__ import annotations

from html import escape

from audit import format as fmt
from audit.model import GRADES, Analyses, Assessment, AuditSnapshot, Kpi, KpiTable
from audit.report import words

__all__ = [
    "GRADE_ORDER",
    "analyses_html",
    "assessment_html",
    "format_change",
    "format_kpi",
    "is_number",
    "kpi_table_html",
    "snapshot_html",
    "status_label",
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


def kpi_table_html(table: KpiTable) -> str:
    """The KPIs as a compact HTML table: value, 95% CI, n, target, previous, change, p,
    the verdict on the change from the previous quarter and from the same quarter last
    year, the benchmark when any KPI has one, and the status.

    Args:
        table: the KPIs of an audit.

    Returns:
        An HTML ``<table>``; every label and note is escaped.
    """
    benchmarks = any(is_number(k.benchmark) for k in table)
    head = ["KPI", "Value", "95% CI", "n", "Target", "Previous", "Change", "p", "Trend", "Last year"]
    head += ["Benchmark", "Status", "Note"] if benchmarks else ["Status", "Note"]
    rows = []
    for kpi in table:
        ci = (
            f"{format_kpi(kpi, 'ci_low', with_unit=False)}–{format_kpi(kpi, 'ci_high', with_unit=False)}"
            if is_number(kpi.ci_low) and is_number(kpi.ci_high)
            else fmt.NA
        )
        arrow, _ = trend_arrow(kpi)
        cells = [
            _cell(kpi.label),
            _cell(format_kpi(kpi), "num"),
            _cell(ci, "num"),
            _cell(fmt.count(kpi.n), "num"),
            _cell(format_kpi(kpi, "target"), "num"),
            _cell(format_kpi(kpi, "previous"), "num"),
            _cell(f"{arrow} {format_change(kpi)}".strip(), "num"),
            _cell(fmt.p_value(kpi.p_value), "num"),
            _cell(_verdict(kpi, "previous_quarter"), "verdict"),
            _cell(_verdict(kpi, "same_quarter_last_year"), "verdict"),
        ]
        if benchmarks:
            cells.append(_cell(format_kpi(kpi, "benchmark"), "num"))
        cells += [_cell(status_label(kpi), f"status-{kpi.status}"), _cell(kpi.note)]
        rows.append(f'<tr data-kpi="{escape(kpi.id)}">{"".join(cells)}</tr>')
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    return f'<table class="audit-kpis"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def assessment_html(a: Assessment) -> str:
    """An assessment as compact HTML: the conclusion, then findings and actions tables.

    Args:
        a: findings, actions and conclusion of an audit.

    Returns:
        HTML text; every value from the data is escaped.
    """
    parts = [
        '<div class="audit-assessment">',
        f"<p><strong>Conclusion: {escape(a.conclusion_label)}.</strong> {escape(a.conclusion_reason)}</p>",
    ]
    findings = sorted(a.findings, key=lambda f: (GRADE_ORDER.index(f.grade), f.id))
    parts.append(
        "<table><thead><tr><th>Finding</th><th>Grade</th><th>Clause</th><th>Title</th>"
        "<th>Evidence</th></tr></thead><tbody>"
    )
    for f in findings:
        parts.append(
            f'<tr class="grade-{escape(f.grade)}">'
            + _cell(f.id)
            + _cell(f.grade_label)
            + _cell(f.clauses)
            + _cell(f.title)
            + _cell(f.evidence)
            + "</tr>"
        )
    parts.append("</tbody></table>")
    if a.actions:
        parts.append(
            "<table><thead><tr><th>Action</th><th>Finding</th><th>Type</th><th>Owner</th>"
            "<th>Due</th><th>Description</th></tr></thead><tbody>"
        )
        for action in a.actions:
            owner = f"{action.owner} ({action.owner_role})" if action.owner_role else action.owner
            parts.append(
                "<tr>"
                + _cell(action.id)
                + _cell(action.finding_id)
                + _cell(action.type)
                + _cell(owner)
                + _cell(action.due.isoformat())
                + _cell(action.description)
                + "</tr>"
            )
        parts.append("</tbody></table>")
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
        rows = [[c.by, c.segment, c.kpi_id, fmt.number(c.value, 2), fmt.count(c.n),
                 f"{fmt.number(c.ci_low, 2)}–{fmt.number(c.ci_high, 2)}"
                 if is_number(c.ci_low) else fmt.NA, "small n" if c.small_n else ""]
                for c in a.segments]  # fmt: skip
        parts.append(_table("Segments", ["By", "Segment", "KPI", "Value", "n", "95% CI", ""], rows))
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
