"""The report's front matter and close: cover, executive summary, audit details, conclusions."""

from __future__ import annotations

from typing import Any

from audit import format as fmt
from audit.model import AuditSnapshot
from audit.report.fonts import CJK_FONT_HINT, cjk_font_available
from audit.report.sections.base import (
    DEFAULT_OBJECTIVES,
    HEADLINE_KPIS,
    KIND_LABELS,
    MAX_CHANGES_SHOWN,
    ReportInput,
    action_sentence,
    findings_by_severity,
    grade_sentence,
    join,
)
from audit.report.sections.onsite import clause_table, coverage_lines

__all__ = ["conclusions", "cover", "details", "summary"]


def _period_dates(s: AuditSnapshot) -> str:
    info = s.config.audit
    return f"{fmt.date(info.period_start)} to {fmt.date(info.period_end)}"


def cover(r: ReportInput) -> dict[str, Any]:
    """The cover: who, what, when, the revision and what changed since the issued one."""
    s, revision = r.snapshot, r.revision
    changes = list(revision.changes)
    return {
        "period_dates": _period_dates(s),
        "audit_date": fmt.date(s.config.audit.audit_date),
        "issued": revision.issued,
        "changes": changes[:MAX_CHANGES_SHOWN] if revision.issued is not None else None,
        "more_changes": max(len(changes) - MAX_CHANGES_SHOWN, 0),
        "coverage": coverage_lines(s),
    }


def summary(r: ReportInput) -> dict[str, Any]:
    """The executive summary: conclusion, scorecard, top findings, actions."""
    kpis, assessment = r.snapshot.kpis, r.snapshot.assessment
    scorecard = [k for k in kpis if k.target is not None or k.id in HEADLINE_KPIS]
    needing = [f for f in findings_by_severity(assessment) if f.needs_action]
    top = needing[:5] or findings_by_severity(assessment)[:3]
    return {
        "scorecard": scorecard,
        "targets_met": sum(k.status == "met" for k in kpis),
        "targets_set": sum(k.status in {"met", "not_met"} for k in kpis),
        "top_findings": top,
        "more_findings": max(len(needing) - len(top), 0),
        "grade_sentence": grade_sentence(assessment),
        "action_sentence": action_sentence(assessment),
    } | clause_table(r)


def details(r: ReportInput) -> dict[str, Any]:
    """Audit details: objectives, scope, criteria, sources, method and limitations."""
    s, kpis = r.snapshot, r.snapshot.kpis
    info = s.config.audit
    config = s.config
    supplied = [kind for kind in KIND_LABELS if s.has(kind)]
    counts = [(kind, KIND_LABELS[kind], s.rows_in_period(kind)) for kind in supplied]
    not_supplied = [KIND_LABELS[kind] for kind in ("surveys", "complaints", "returns", "orders") if not s.has(kind)]
    quarantined = s.quarantined_rows
    limitations = coverage_lines(s)
    if quarantined:
        limitations.append(
            f"{quarantined:,} row{'s' if quarantined != 1 else ''} failed validation and "
            f"{'were' if quarantined != 1 else 'was'} set aside (quarantined); they are not "
            "in any figure. Appendix A lists the problems."
        )
    if not_supplied:
        limitations.append(
            f"No data was supplied for: {join([label.lower() for label in not_supplied])}; "
            "the related KPIs and checks could not be evaluated."
        )
    if not any(fmt.is_number(k.previous) for k in kpis):
        limitations.append(
            "No figures for an earlier period were available, so no change from the previous period is shown."
        )
    surveys = config.data.surveys
    if surveys is not None and surveys.sent is None and s.has("surveys"):
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
        "objectives": info.objectives or list(DEFAULT_OBJECTIVES),
        "scope": info.scope or _default_scope(s),
        "period_dates": _period_dates(s),
        "audit_date": fmt.date(info.audit_date),
        "counts": counts,
        "compared": [label for label in kpis.period_labels if label != info.period_label],
        "sources": [
            {
                "kind": KIND_LABELS.get(source.kind, source.kind),
                "file": source.path,
                "sheet": source.sheet,
                "rows_read": source.rows_read,
                "rows_valid": source.rows_valid,
                "rows_quarantined": source.rows_quarantined,
                "rows_in_period": source.rows_in_period,
                "sha": (source.sha256 or "")[:12],
            }
            for source in s.sources
        ],
        "limitations": limitations,
        "sla": config.sla,
    }


def _default_scope(s: AuditSnapshot) -> str:
    info = s.config.audit
    where = f"{info.organisation}, {info.site}" if info.site else info.organisation
    kinds = [KIND_LABELS[k].lower() for k in ("surveys", "complaints", "returns", "orders") if s.has(k)]
    evidence = f" Evidence: {join(kinds)} records." if kinds else ""
    return (
        f"Monitoring of customer satisfaction at {where}, for the period {info.period_label} "
        f"({fmt.short_date(info.period_start)} to {fmt.short_date(info.period_end)}).{evidence}"
    )


def conclusions(r: ReportInput) -> dict[str, Any]:
    """Conclusions: degree of fulfilment, the grade and action sentences, sign-off date."""
    s, kpis, assessment = r.snapshot, r.snapshot.kpis, r.snapshot.assessment
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
        "grade_sentence": grade_sentence(assessment),
        "action_sentence": action_sentence(assessment),
        "audit_date": fmt.date(s.config.audit.audit_date),
    }
