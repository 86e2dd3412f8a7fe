"""What the auditor takes on site: the auditee questions and a verification sample per finding.

**Auditee questions.** Whatever the exports cannot show (a follow-up the survey has no field
for, an analysis of a lost account, a management review) is never asserted absent: the
check says it is not evidenced in the records supplied and asks (:class:`~audit.assessment.checks.Ask`).
The questions are numbered Q-01 … in finding order; one every audit asks, on the
management review of the results, comes last.

**Verification sample** (ISO 19011:2018 A.6). For each finding that needs action and rests
on records, the auditor traces a random sample of them to the source on site. The size is
the smallest n for which, if at least ``sampling.tolerable_pct`` (20%) of the N records
behind the finding did not trace (a wrong date, a complaint closed in the system but open
in the export), the sample would hold at least one of them with ``sampling.confidence_pct``
(95%) confidence: the hypergeometric discovery-sampling rule

    P(none in the sample) = C(N − D, n) / C(N, n) ≤ 1 − confidence,  D = ⌈tolerable · N⌉

(14 of a large population at 95% / 20%; all of them when N is small). The draw is seeded by
the audit id and the finding's subject, over the records sorted by id: the same audit gives
the same sample on every run, whatever the order of the rows or the number of the finding.

Example:
    >>> sample_size(25, 0.95, 0.20)
    11
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

import numpy as np

from audit import format
from audit.assessment.checks import Ask
from audit.assessment.evidence import evidence_frame
from audit.assessment.subjects import subject_label
from audit.config import Sampling
from audit.data.dataset import AuditData
from audit.i18n import _
from audit.model import Finding, Question, Sample

__all__ = ["auditee_questions", "sample_seed", "sample_size", "subject_name", "verification_samples"]


def sample_size(population: int, confidence: float, tolerable: float) -> int:
    """The discovery-sampling size for ``population`` records (see the module docstring).

    Args:
        population: N, the records behind the finding.
        confidence: the confidence of catching one that does not trace, as a fraction (0.95).
        tolerable: the share not tracing the sample must be able to reveal, as a fraction (0.20).
    """
    if population <= 0:
        return 0
    bad = math.ceil(tolerable * population - 1e-9)
    good = population - bad
    risk = 1.0 - confidence
    chance = 1.0
    for n in range(1, population + 1):
        chance *= max(good - (n - 1), 0) / (population - (n - 1))
        if chance <= risk + 1e-12:
            return n
    return population


def sample_seed(audit_id: str, subject: str) -> int:
    """The seed of a finding's draw: from the audit id and the subject (stable across runs and renumbering)."""
    return int.from_bytes(hashlib.sha256(f"{audit_id}|{subject}".encode()).digest()[:8], "big")


def _kind(data: AuditData, finding: Finding, ids: Sequence[str]) -> str:
    found = evidence_frame(data, ids)
    if found is not None:
        return found[0]
    if finding.check.startswith("actions_"):
        return "actions"
    customers: set[str] = set()
    for frame in data.frames.values():
        if "customer_id" in frame:
            customers.update(str(c) for c in frame["customer_id"].dropna().unique())
    return "customers" if set(ids) & customers or finding.subject == "lost_business" else "records"


def verification_samples(data: AuditData, findings: Sequence[Finding], sampling: Sampling) -> tuple[Sample, ...]:
    """Per finding that needs action and rests on records, the records drawn for tracing on site."""
    out = []
    audit_id = data.config.audit.id
    confidence, tolerable = sampling.confidence_pct / 100, sampling.tolerable_pct / 100
    for finding in findings:
        if not finding.needs_action or not finding.evidence_ids:
            continue
        population = sorted(dict.fromkeys(finding.evidence_ids))
        size = sample_size(len(population), confidence, tolerable)
        seed = sample_seed(audit_id, finding.subject or finding.check)
        drawn = np.random.default_rng(seed).choice(len(population), size=size, replace=False)
        ids = tuple(population[i] for i in drawn)
        rule = _(
            "Discovery sampling (ISO 19011:2018 A.6): the smallest sample that holds, with {confidence} confidence, at "
            "least one record that does not trace if {tolerable} or more of the {population} do not; {size} of "
            "{population}, seed {seed}.",
            confidence=format.percent(sampling.confidence_pct, 0),
            tolerable=format.percent(sampling.tolerable_pct, 0),
            population=format.count(len(population)),
            size=format.count(size),
            seed=seed,
        )
        out.append(
            Sample(
                finding.id, finding.subject, _kind(data, finding, population), len(population), size, seed, ids, rule
            )
        )
    return tuple(out)


def auditee_questions(
    findings: Sequence[Finding], asks: dict[str, tuple[Ask, ...]], period: str
) -> tuple[Question, ...]:
    """The questions for the auditee: each finding's, in finding order, then the management review.

    Args:
        findings: the audit's findings, numbered.
        asks: per finding id, its :class:`~audit.assessment.checks.Ask` items.
        period: the audited period's label.
    """
    out: list[Question] = []
    for finding in findings:
        for ask in asks.get(finding.id, ()):
            number = f"Q-{len(out) + 1:02d}"
            out.append(
                Question(number, finding.subject, finding.id, finding.clause_2015, ask.question, ask.records, ask.why)
            )
    out.append(
        Question(
            f"Q-{len(out) + 1:02d}",
            "management_review",
            "",
            "9.1.3",
            _(
                "In which management review were the customer-satisfaction results of {period} reviewed, and what "
                "was decided on them?",
                period=period,
            ),
            _("the management review minutes and their inputs (ISO 9001:2015 9.3.2 c 1)"),
            _("management review records are not among the exports"),
        )
    )
    return tuple(out)


def subject_name(subject: str) -> str:
    """The subject of a question as the report names it (``management_review`` included)."""
    return _("Management review") if subject == "management_review" else subject_label(subject)
