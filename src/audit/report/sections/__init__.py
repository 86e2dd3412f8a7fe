"""The report's sections, each rendered from the audit's snapshot through a Jinja partial.

A section is a builder (``(ReportInput) -> dict``, in :mod:`.front`, :mod:`.results` and
:mod:`.record`) and a template ``templates/report/sections/<name>.html.j2`` rendered with
Jinja autoescaping on: every value from the data is text, never markup. The builders
only read the snapshot and the revision they are given: no files, no recomputation.

Example:
    >>> html = render_sections(ReportInput(AuditSnapshot.load(path)))     # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import jinja2

from audit import format as fmt
from audit.catalogue import dimension_name
from audit.i18n import _, language, ngettext
from audit.model import conclusion_label, grade_label
from audit.paths import REPORT_TEMPLATE_DIR
from audit.report.sections.base import SECTIONS, IssueStamp, ReportInput, breakable, criteria_text
from audit.report.sections.front import conclusions, cover, details
from audit.report.sections.onsite import appendix_onsite
from audit.report.sections.record import (
    actions,
    appendix_data_quality,
    appendix_evidence,
    appendix_methodology,
    findings,
    follow_up,
)
from audit.report.sections.results import appendix_kpis, results
from audit.report.sections.summary import summary
from audit.report.tables import format_kpi, status_label, trend_arrow
from audit.report.words import action_type, column_label, kpi_name, readable, result_label, role_label, rule_label

__all__ = ["SECTIONS", "IssueStamp", "ReportInput", "render_section", "render_sections"]

#: section name → the builder of its template's context
BUILDERS: dict[str, Callable[[ReportInput], dict[str, Any]]] = {
    "cover": cover,
    "summary": summary,
    "details": details,
    "results": results,
    "findings": findings,
    "actions": actions,
    "follow_up": follow_up,
    "conclusions": conclusions,
    "appendix_kpis": appendix_kpis,
    "appendix_data_quality": appendix_data_quality,
    "appendix_methodology": appendix_methodology,
    "appendix_evidence": appendix_evidence,
    "appendix_onsite": appendix_onsite,
}


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
        value=lambda x, unit, **kw: fmt.value(x, unit, **kw),
        kpi=format_kpi,
        breakable=breakable,
        change=lambda kpi: fmt.change(kpi.change, kpi.unit, kpi_id=kpi.id),
        pvalue=fmt.p_value,
        status=status_label,
        arrow=trend_arrow,
        dimension=dimension_name,
        cell=fmt.cell,
        column=column_label,
        readable=readable,
        kpi_name=kpi_name,
        rule=rule_label,
        role=role_label,
        result=result_label,
        action_type=action_type,
        thousands=fmt.count,
        number=fmt.number,
        day=fmt.day,
        date=fmt.date,
    )
    env.globals.update(grade_label=grade_label, conclusion_label=conclusion_label, _=_, ngettext=ngettext)
    return env


def _base_context(name: str, r: ReportInput) -> dict[str, Any]:
    info = r.snapshot.config.audit
    return {
        "revision": r.revision.number,
        "is_final": r.revision.is_final,
        "name": name,
        "heading": _(SECTIONS[name]),
        "title": _(SECTIONS[name]).lstrip("0123456789 ") if name != "cover" else _("Cover"),
        "running": f"{info.organisation} · {info.id}",
        "info": info,
        "criteria": criteria_text(info.criteria),
        "kpis": r.snapshot.kpis,
        "assessment": r.snapshot.assessment,
    }


def render_section(name: str, r: ReportInput) -> str:
    """One report section as HTML text.

    Args:
        name: one of :data:`SECTIONS`.
        r: the snapshot and the revision being rendered.

    Returns:
        A ``<section>`` element whose heading carries ``data-section``.

    Raises:
        ValueError: ``name`` is not a known section.
    """
    if name not in SECTIONS:
        raise ValueError(f"unknown report section '{name}'; use one of: {', '.join(SECTIONS)}")
    with language(r.snapshot.config.audit.language), fmt.amounts_in(r.snapshot.config.audit.money):
        context = _base_context(name, r)
        context.update(BUILDERS[name](r))
        return _environment().get_template(f"{name}.html.j2").render(context)


def render_sections(r: ReportInput, names: Sequence[str] = tuple(SECTIONS)) -> str:
    """Several sections (by default the whole report, in order) as one HTML fragment."""
    return "\n".join(render_section(name, r) for name in names)
