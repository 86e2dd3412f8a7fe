"""The check catalogue: each check asks an auditor's question of the data and KPIs and grades the answer.

Grouped by clause: monitoring (9.1.2, :mod:`.satisfaction`), the KPIs (:mod:`.objectives`),
complaint handling (8.2.1 c and 10.2, :mod:`.complaints`), delivered product, delivery,
lost business and data integrity (9.1.3, :mod:`.operations`). The follow-up of earlier
actions is in :mod:`audit.assessment.followup`. Each rule is written out in
docs/assessment.md; thresholds come from ``checks:`` in audit.yaml.

Example:
    >>> [c.id for c in CHECKS][:3]
    ['monitoring_exists', 'methods_determined', 'sample_adequacy']
"""

from __future__ import annotations

from audit.assessment.checks.base import CLAUSES, GUIDANCE, SIGNIFICANCE, Check, Draft, Evidence, fmt
from audit.assessment.checks.complaints import (
    complaint_records,
    complaint_spike,
    complaints_acknowledged,
    complaints_resolved,
    overdue_complaints,
    repeat_complaints,
    root_cause_recorded,
)
from audit.assessment.checks.objectives import improvements, objectives, trends, weakest_dimension
from audit.assessment.checks.operations import data_integrity, delivery_performance, lost_key_accounts, returns_analysed
from audit.assessment.checks.satisfaction import (
    closing_the_loop,
    methods_determined,
    monitoring_exists,
    sample_adequacy,
)

__all__ = [
    "CHECKS",
    "CLAUSES",
    "FOLLOWUP",
    "GUIDANCE",
    "SIGNIFICANCE",
    "Check",
    "Draft",
    "Evidence",
    "check_for",
    "fmt",
]

CHECKS: tuple[Check, ...] = (
    # 9.1.2 monitoring customer perception
    Check(
        "monitoring_exists",
        "9.1.2",
        "Does the organisation obtain customers' views in the period?",
        "survey responses received in the period",
        "none → major",
        monitoring_exists,
    ),
    Check(
        "methods_determined",
        "9.1.2",
        "Which methods does the organisation use to obtain customer perception?",
        "which of the sources in the note to 9.1.2 the data shows in use",
        "fewer than checks.methods_min (3) → ofi",
        methods_determined,
        "ISO 10004",
    ),
    Check(
        "sample_adequacy",
        "9.1.2",
        "Is the survey sample large and broad enough to act on?",
        "response rate, margin of error (±, 95%), share of tier-A customers who answered",
        "response rate < checks.response_rate_min_pct (20%), margin of error > checks.margin_of_error_max_points (5), "
        "or key-account coverage < checks.key_account_coverage_min_pct (50%) → ofi",
        sample_adequacy,
        "ISO 10004",
    ),
    Check(
        "objective_met",
        "9.1.2",
        "Are the customer-satisfaction objectives met?",
        "each KPI with a target against it, and the previous quarter",
        "missed → observation; missed two quarters running with no open action on the KPI → minor",
        objectives,
    ),
    Check(
        "trend_decline",
        "9.1.2",
        "Has any measure of customer perception declined significantly?",
        "each KPI without a target against the previous quarter (p < 0.05)",
        "significant decline → observation",
        trends,
    ),
    Check(
        "trend_improvement",
        "9.1.2",
        "Has any measure improved significantly?",
        "each KPI against the previous quarter (p < 0.05)",
        "significant improvement, not below target → good_practice",
        improvements,
    ),
    Check(
        "closing_the_loop",
        "9.1.2",
        "Are dissatisfied respondents followed up?",
        "respondents scoring overall in the bottom two boxes, their follow-up flag and complaint records",
        "any with neither a follow-up nor a complaint on record → ofi",
        closing_the_loop,
        "ISO 10004",
    ),
    Check(
        "lost_key_accounts",
        "9.1.2",
        "Is lost business analysed?",
        "tier-A customers of the four quarters before that placed no order in the period",
        "any → observation",
        lost_key_accounts,
    ),
    # 8.2.1 c customer feedback and complaints; 10.2 corrective action
    Check(
        "complaint_records",
        "8.2.1 c",
        "Are complaint records complete?",
        "share of complaints naming the customer and describing the complaint",
        "< checks.records_complete_min_pct (95%) → ofi",
        complaint_records,
        "ISO 10002",
    ),
    Check(
        "complaints_acknowledged",
        "8.2.1 c",
        "Are complaints acknowledged promptly?",
        "complaints acknowledged within sla.complaint_acknowledge_days",
        "< checks.acknowledged_within_sla_min_pct (90%) → ofi",
        complaints_acknowledged,
        "ISO 10002",
    ),
    Check(
        "complaints_resolved",
        "8.2.1 c",
        "Are complaints resolved within the organisation's time limit?",
        "complaints resolved within sla.complaint_resolve_days (when targets: sets none for it)",
        "< checks.resolved_within_sla_min_pct (90%) → observation",
        complaints_resolved,
    ),
    Check(
        "complaints_overdue",
        "8.2.1 c",
        "Are complaints left open beyond the organisation's time limit?",
        "complaints open at the period's end and older than sla.complaint_resolve_days",
        "any → minor",
        overdue_complaints,
    ),
    Check(
        "root_cause_recorded",
        "10.2.1 b",
        "Are the causes of complaints determined?",
        "closed complaints with a root cause recorded",
        "< checks.root_cause_min_pct (90%) → minor; no root-cause column → observation",
        root_cause_recorded,
    ),
    Check(
        "repeat_complaints",
        "10.2.1 d",
        "Did the action on earlier complaints work?",
        "complaints repeating one by the same customer and category within analysis.repeat_window_days",
        "> checks.repeat_complaint_max_pct (10%) → observation",
        repeat_complaints,
    ),
    # 9.1.3 analysis and evaluation
    Check(
        "complaint_spike",
        "9.1.3",
        "Are special causes in the complaint rate detected and analysed?",
        "p-chart of complaints per 1,000 orders by month; the category that grew most",
        "a month of the period above the upper control limit → observation",
        complaint_spike,
    ),
    Check(
        "weakest_dimension",
        "9.1.3",
        "Does the analysis show where to improve first?",
        "lowest dimension mean, largest SERVQUAL gap, IPA 'concentrate here'",
        "a dimension in 'concentrate here' or a gap below −checks.gap_max_points (0.5) → ofi",
        weakest_dimension,
        "ISO 10004",
    ),
    Check(
        "returns_analysed",
        "9.1.3",
        "Are returns and warranty claims analysed?",
        "returns with a reason, the reason Pareto, warranty claims marked",
        "< checks.return_reason_min_pct (90%) with a reason, or warranty not marked → ofi",
        returns_analysed,
    ),
    Check(
        "delivery_performance",
        "9.1.3",
        "Is delivery performance measured and acceptable?",
        "on time in full (OTIF)",
        "below checks.otif_min_pct (90%) with no otif_pct target → observation",
        delivery_performance,
    ),
    Check(
        "data_integrity",
        "9.1.3",
        "Can the monitoring data be relied on?",
        "share of rows set aside per kind, duplicate ids",
        "> checks.quarantined_max_pct (2%) of a kind → observation; duplicate ids only → ofi",
        data_integrity,
    ),
)

#: the follow-up checks of :mod:`audit.assessment.followup` and the systemic-breakdown rule, for the catalogue
FOLLOWUP: tuple[tuple[str, str, str, str], ...] = (
    ("actions_overdue", "10.2.1", "Are the actions of earlier audits done on time?", "open past due → minor"),
    ("actions_not_effective", "10.2.1 d", "Did the closed actions work?", "success measure missed → minor"),
    (
        "systemic_breakdown",
        "any",
        "Has the system broken down against a clause?",
        "three or more minors against one clause → major",
    ),
)


def check_for(check_id: str) -> Check | None:
    """The catalogue entry of a check, or None (follow-up checks are not in :data:`CHECKS`)."""
    return next((c for c in CHECKS if c.id == check_id), None)
