"""The check catalogue: each check asks an auditor's question of the data and KPIs and grades the answer.

Grouped by clause: monitoring (9.1.2, :mod:`.satisfaction`), the KPIs (:mod:`.objectives`),
complaint handling (8.2.1 c, :mod:`.complaints`), the complaint rate (9.1.3, :mod:`.rate`), acting on
complaints (10.2, :mod:`.corrective`), delivered product, delivery, lost business and data
integrity (9.1.3, :mod:`.operations`). The follow-up of earlier actions is in
:mod:`audit.assessment.followup`. Each check names the subject of its findings; each rule
is written out in docs/assessment.md; thresholds come from ``checks:`` in audit.yaml.

Example:
    >>> [c.id for c in CHECKS][:3]
    ['monitoring_exists', 'methods_determined', 'sample_adequacy']
"""

from __future__ import annotations

# importing the modules registers their checks
from audit.assessment.checks import complaints, corrective, objectives, operations, rate, satisfaction  # noqa: F401
from audit.assessment.checks.base import (
    CLAUSES,
    GUIDANCE,
    OWNED,
    REGISTRY,
    SIGNIFICANCE,
    Ask,
    Check,
    Draft,
    Evidence,
    fmt,
)

__all__ = [
    "CHECKS",
    "CLAUSES",
    "FOLLOWUP",
    "GUIDANCE",
    "OWNED",
    "SIGNIFICANCE",
    "Ask",
    "Check",
    "Draft",
    "Evidence",
    "check_for",
    "fmt",
]

#: the order clauses are checked and reported in
CLAUSE_ORDER = ("9.1.2", "8.2.1 c", "10.2.1", "10.2.1 b", "10.2.1 d", "9.1.3")
#: every registered check, grouped by clause (in :data:`CLAUSE_ORDER`), then as registered
CHECKS: tuple[Check, ...] = tuple(sorted(REGISTRY, key=lambda c: CLAUSE_ORDER.index(c.clause)))


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
