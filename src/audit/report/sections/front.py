"""The report's front matter and close: cover, audit details, conclusions (the summary is :mod:`.summary`)."""

from __future__ import annotations

from typing import Any

from audit import format as fmt
from audit.i18n import N_, _, ngettext
from audit.model import AuditSnapshot
from audit.report.fonts import CJK_FONT_HINT, cjk_font_available
from audit.report.sections.base import (
    MAX_CHANGES_SHOWN,
    ReportInput,
    action_sentence,
    conclusion_reason,
    grade_sentence,
    join,
    period_dates,
)
from audit.report.sections.onsite import coverage_lines
from audit.report.words import KIND_LABELS, MODES, kind_label

__all__ = ["DEFAULT_OBJECTIVES", "conclusions", "cover", "details", "objectives_achieved"]

#: the audit objectives when audit.yaml gives none (English message ids)
DEFAULT_OBJECTIVES = (
    N_(
        "Determine whether the organisation monitors customers' perceptions of the degree to "
        "which their needs and expectations have been fulfilled (ISO 9001:2015 9.1.2)."
    ),
    N_(
        "Determine whether the methods for obtaining, monitoring and reviewing this information "
        "are defined, applied and effective, including complaint handling, returns and delivery "
        "performance."
    ),
    N_(
        "Evaluate whether the results are analysed and used to drive corrective action and "
        "improvement (ISO 9001:2015 9.1.3 and 10.2), and identify opportunities for improvement."
    ),
)


def cover(r: ReportInput) -> dict[str, Any]:
    """The cover: who, what, when, the revision, what changed since the issued one, the issue stamp."""
    s, revision = r.snapshot, r.revision
    changes = list(revision.changes)
    return {
        "period_dates": period_dates(s),
        "audit_date": fmt.date(s.config.audit.audit_date),
        "issued": revision.issued,
        "changes": changes[:MAX_CHANGES_SHOWN] if revision.issued is not None else None,
        "more_changes": max(len(changes) - MAX_CHANGES_SHOWN, 0),
        "coverage": coverage_lines(s),
        "stamp": r.stamp,
        "stamp_date": fmt.date(r.stamp.issued_on) if r.stamp is not None else "",
    }


def locations(s: AuditSnapshot) -> str:
    """The location(s) audited and the audit mode (ISO 19011 6.5.1), in one sentence."""
    info = s.config.audit
    places = list(info.locations) or [p for p in (info.site, info.auditee) if p] or [info.organisation]
    mode = _(MODES[info.mode])
    where = join(list(dict.fromkeys(places)))
    return _("Locations audited: {places}; the audit was conducted {mode}.", places=where, mode=mode)


def objectives_achieved(s: AuditSnapshot) -> str:
    """Whether the audit objectives were achieved (ISO 19011 6.5.1), in one sentence: the lead
    auditor's (``audit.objectives_achieved``) when given, else read off the data supplied."""
    if s.config.audit.objectives_achieved:
        return s.config.audit.objectives_achieved
    missing = [kind_label(k) for k in ("surveys", "complaints", "returns", "orders") if not s.has(k)]
    if not s.has("surveys") and not s.has("complaints"):
        return _(
            "The audit objectives were not achieved: neither survey responses nor complaints were supplied, "
            "so customers' perceptions could not be evaluated."
        )
    if missing:
        return _(
            "The audit objectives were achieved in part: no data was supplied for {kinds}, so the related "
            "checks could not be evaluated.",
            kinds=join(missing),
        )
    return _(
        "The audit objectives were achieved: every check of the criteria could be evaluated on the records supplied."
    )


def details(r: ReportInput) -> dict[str, Any]:
    """Audit details: objectives, scope, locations, criteria, sources, method and limitations."""
    s, kpis = r.snapshot, r.snapshot.kpis
    info = s.config.audit
    config = s.config
    supplied = [kind for kind in KIND_LABELS if s.has(kind)]
    counts = [(kind, kind_label(kind), s.rows_in_period(kind)) for kind in supplied]
    not_supplied = [kind_label(kind) for kind in ("surveys", "complaints", "returns", "orders") if not s.has(kind)]
    quarantined = s.quarantined_rows
    limitations = coverage_lines(s)
    if quarantined:
        limitations.append(
            ngettext(
                "{n} row failed validation and was set aside (quarantined); it is not in any figure. "
                "Appendix B lists the problems.",
                "{n} rows failed validation and were set aside (quarantined); they are not in any figure. "
                "Appendix B lists the problems.",
                quarantined,
            )
        )
    if not_supplied:
        limitations.append(
            _(
                "No data was supplied for: {kinds}; the related KPIs and checks could not be evaluated.",
                kinds=join(not_supplied),
            )
        )
    if not any(fmt.is_number(k.previous) for k in kpis):
        limitations.append(
            _("No figures for an earlier period were available, so no change from the previous period is shown.")
        )
    surveys = config.data.surveys
    if surveys is not None and surveys.sent is None and s.has("surveys"):
        limitations.append(
            _(
                "The number of questionnaires sent was not given, so the response rate and the "
                "risk of non-response bias could not be judged."
            )
        )
    limitations.append(
        _(
            "Figures are computed from the organisation's exports as supplied; the audit did not "
            "verify them against the source systems beyond the checks in Appendix B."
        )
    )
    if not cjk_font_available():
        limitations.append(CJK_FONT_HINT)
    return {
        "objectives": list(info.objectives) or [_(o) for o in DEFAULT_OBJECTIVES],
        "scope": info.scope or _default_scope(s),
        "locations": locations(s),
        "achieved": objectives_achieved(s),
        "period_dates": period_dates(s),
        "audit_date": fmt.date(info.audit_date),
        "counts": counts,
        "compared": [label for label in kpis.period_labels if label != info.period_label],
        "sources": [
            {
                "kind": kind_label(source.kind),
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
    kinds = [kind_label(k) for k in ("surveys", "complaints", "returns", "orders") if s.has(k)]
    scope = _(
        "Monitoring of customer satisfaction at {where}, for the period {period} ({start} to {end}).",
        where=where,
        period=info.period_label,
        start=fmt.date(info.period_start),
        end=fmt.date(info.period_end),
    )
    if kinds:
        scope += " " + _("Evidence: records of {kinds}.", kinds=join(kinds))
    return scope


def conclusions(r: ReportInput) -> dict[str, Any]:
    """Conclusions: degree of fulfilment, the grade and action sentences, objectives, sign-off."""
    s, kpis, assessment = r.snapshot, r.snapshot.kpis, r.snapshot.assessment
    findings = assessment.findings
    nc = [f for f in findings if f.grade in {"major", "minor"}]
    fulfilled = [f for f in findings if f.grade not in {"major", "minor"}]
    with_target = [k for k in kpis if k.status in {"met", "not_met"}]
    met = [k for k in with_target if k.status == "met"]
    fulfilment = []
    if findings:
        fulfilment.append(
            _(
                "{fulfilled} of the {total} findings ({share}) record the requirement as met, some with "
                "observations or opportunities for improvement; nonconformities: {nc}.",
                fulfilled=fmt.count(len(fulfilled)),
                total=fmt.count(len(findings)),
                share=fmt.percent(100 * len(fulfilled) / len(findings), 0),
                nc=fmt.count(len(nc)),
            )
        )
    if with_target:
        fulfilment.append(
            _("{met} of {total} KPIs with a target met it.", met=fmt.count(len(met)), total=fmt.count(len(with_target)))
        )
    if not fulfilment:
        fulfilment.append(_("No checks were graded and no KPI has a target."))
    return {
        "fulfilment": fulfilment,
        "achieved": objectives_achieved(s),
        "conclusion_reason": conclusion_reason(findings),
        "grade_sentence": grade_sentence(findings),
        "action_sentence": action_sentence(assessment),
        "audit_date": fmt.date(s.config.audit.audit_date),
        "stamp": r.stamp,
    }
