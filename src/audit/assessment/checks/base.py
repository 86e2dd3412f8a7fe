"""What every check shares: the clauses, draft findings, auditee questions, the check record, wording helpers.

A check returns draft findings (no id yet), each naming its **subject**, a ``conforming``
one when the requirement is met; :func:`audit.assessment.assess` consolidates them per
subject, numbers them and raises actions. What the exports cannot show is never stated as
absent: the draft says it is not evidenced in the records supplied and carries an
:class:`Ask` for the auditor to put on site. Grades and their rules are in
docs/assessment.md. Every sentence goes through :func:`audit.i18n._` with values already
formatted by :mod:`audit.format`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from audit import format
from audit.data.dataset import AuditData
from audit.i18n import N_, _, ngettext
from audit.model import Grade, Kpi, KpiTable, Register

__all__ = [
    "CLAUSES",
    "GUIDANCE",
    "OWNED",
    "REGISTRY",
    "SIGNIFICANCE",
    "Ask",
    "Check",
    "Draft",
    "Evidence",
    "action_on_record",
    "change_text",
    "check",
    "clause_for",
    "conforming",
    "count_of",
    "earlier_entries",
    "fmt",
    "ids_text",
    "listed",
    "missed_before",
    "significant_decline",
]

#: clause → (ISO 9001:2008 equivalent, what the requirement asks, in our words; translated when shown)
CLAUSES: dict[str, tuple[str, str]] = {
    "9.1.2": (
        "8.2.1",
        N_(
            "The organization shall monitor customers' perceptions of the degree to which their needs and "
            "expectations have been fulfilled, and determine the methods for obtaining, monitoring and "
            "reviewing this information."
        ),
    ),
    "9.1.3": (
        "8.4",
        N_(
            "The organization shall analyse and evaluate the data from monitoring and measurement, and use the "
            "results to evaluate customer satisfaction, the conformity of products and services and the "
            "performance of external providers such as carriers."
        ),
    ),
    "8.2.1 c": (
        "7.2.3 c",
        N_(
            "Communication with customers shall include obtaining customer feedback relating to products and "
            "services, including customer complaints, and the organization shall act on it."
        ),
    ),
    "10.2.1": (
        "8.5.2",
        N_(
            "When a nonconformity occurs, including any arising from complaints, the organization shall react to "
            "it, evaluate the need for action to eliminate its causes, and implement any action needed."
        ),
    ),
    "10.2.1 b": (
        "8.5.2 b",
        N_(
            "When a nonconformity occurs, including any arising from complaints, the organization shall evaluate "
            "the need for action to eliminate its causes by determining the causes of the nonconformity."
        ),
    ),
    "10.2.1 d": (
        "8.5.2 f",
        N_("The organization shall review the effectiveness of any corrective action taken."),
    ),
}

#: guidance documents a check may rest on: a shortfall against them is at most an ofi
GUIDANCE: dict[str, str] = {
    "ISO 10004": N_("ISO 10004:2018 (guidance on monitoring and measuring customer satisfaction)"),
    "ISO 10002": N_("ISO 10002:2018 (guidance on complaints handling)"),
}

SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class Evidence:
    """What a check may look at: the audit's data, its KPIs, and the site's action register as found.

    Attributes:
        data: the loaded audit data (its ``config`` is audit.yaml).
        kpis: the KPIs of the period (with the period's coverage).
        register: the action register before this audit, None for a site's first audit.
    """

    data: AuditData
    kpis: KpiTable
    register: Register | None = None

    def as_of(self, kind: str) -> pd.Timestamp:
        """The day time-since-event figures of ``kind`` are judged at, as a pandas timestamp.

        The period's end, or the export's last date when it stops early or the period has
        not ended (:mod:`audit.kpi.coverage`).
        """
        reach = self.kpis.coverage
        return pd.Timestamp(reach.as_of(kind) if reach is not None else self.data.config.audit.period_end)


@dataclass(frozen=True)
class Ask:
    """A question for the auditee about something the exports cannot show.

    Attributes:
        question: what to ask, in one sentence.
        records: the records to ask to see.
        why: why the data supplied cannot answer it.
    """

    question: str
    records: str
    why: str


@dataclass(frozen=True)
class Draft:
    """A finding before it is consolidated and numbered.

    ``check``, ``clause`` and ``subject`` are filled in from the check's registration (see
    :func:`check`); a check sets them itself only when they vary (an objective's clause and
    subject follow its KPI).
    """

    grade: Grade
    title: str
    evidence: str
    gap: str
    kpi_id: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    evidence_ids: tuple[str, ...] = ()
    guidance: str = ""
    check: str = ""
    clause: str = ""
    subject: str = ""
    questions: tuple[Ask, ...] = ()


@dataclass(frozen=True)
class Check:
    """One auditor's question, its clause, the evidence it computes, and the rule that grades the answer.

    Attributes:
        id: stable id, such as ``sample_adequacy``.
        clause: ISO 9001:2015 clause (a key of :data:`CLAUSES`; the 2008 number comes from there).
        question: what the auditor asks.
        evidence: what the check computes from the data.
        rule: how the answer is graded, naming the audit.yaml thresholds.
        run: the check itself.
        guidance: a key of :data:`GUIDANCE` when the check rests on guidance: its findings
            are at most ``ofi``.
        subject: the subject its findings are about ("" when it varies per finding).
        owns: KPIs this check judges in full; the objective and trend checks leave them to it.
    """

    id: str
    clause: str
    question: str
    evidence: str
    rule: str
    run: Callable[[Evidence], list[Draft]]
    guidance: str = ""
    subject: str = ""
    owns: tuple[str, ...] = ()


def conforming(title: str, evidence: str, figures: dict[str, Any] | None = None, **extra: Any) -> Draft:
    """A draft recording that a check found the requirement met (no action is raised)."""
    return Draft("conforming", title, evidence, _("None: the requirement is met."), figures=figures or {}, **extra)


#: every check, in the order registered (module by module); the catalogue is what is here
REGISTRY: list[Check] = []
#: KPIs judged in full by their own check (see :attr:`Check.owns`)
OWNED: set[str] = set()
CheckFn = Callable[[Evidence], list[Draft]]


def check(
    check_id: str,
    clause: str,
    *,
    question: str,
    evidence: str,
    rule: str,
    guidance: str = "",
    subject: str = "",
    owns: Sequence[str] = (),
) -> Callable[[CheckFn], CheckFn]:
    """Register a check: its id, clause, subject, the auditor's question, its evidence and rule, stated once.

    Args:
        check_id: stable id, such as ``sample_adequacy``; the check's findings carry it.
        clause: the ISO 9001:2015 clause its findings cite (a key of :data:`CLAUSES`).
        question: what the auditor asks.
        evidence: what the check computes from the data.
        rule: how the answer is graded, naming the audit.yaml thresholds.
        guidance: a key of :data:`GUIDANCE` when the check rests on guidance (findings at most ofi).
        subject: the subject of its findings (see :mod:`audit.assessment.subjects`), when fixed.
        owns: KPIs it judges in full, so that no other check raises them again.

    Example:
        >>> @check("x_recorded", "9.1.3", question="…", evidence="…", rule="…", subject="returns")  # doctest: +SKIP
        ... def x_recorded(ev: Evidence) -> list[Draft]: ...
    """
    if clause not in CLAUSES:
        raise ValueError(f"check {check_id}: unknown clause {clause!r}")

    def register(fn: CheckFn) -> CheckFn:
        if any(c.id == check_id for c in REGISTRY):
            raise ValueError(f"check {check_id} is registered twice")

        @functools.wraps(fn)
        def run(ev: Evidence) -> list[Draft]:
            return [
                replace(d, check=d.check or check_id, clause=d.clause or clause, subject=d.subject or subject)
                for d in fn(ev)
            ]

        REGISTRY.append(Check(check_id, clause, question, evidence, rule, run, guidance, subject, tuple(owns)))
        OWNED.update(owns)
        return run

    return register


def fmt(value: float | None, unit: str, kpi_id: str = "") -> str:
    """A KPI value as a finding writes it: :func:`audit.format.value` (``4.12``, ``87.5%``, ``+12``, ``3.0 days``)."""
    return format.value(value, unit, kpi_id=kpi_id)


def listed(items: Sequence[str], limit: int = 5) -> str:
    """Up to ``limit`` items joined with commas, and how many more (``C1, C2 and 3 more``)."""
    shown = ", ".join(items[:limit])
    more = len(items) - limit
    return _("{shown} and {more} more", shown=shown, more=format.count(more)) if more > 0 else shown


def ids_text(ids: Sequence[str], limit: int = 3) -> str:
    """The first ids of a finding's records as an action quotes them (``C1, C2, C3 and 22 more``)."""
    return listed(list(ids), limit) if ids else _("none listed")


def clause_for(kpi: Kpi) -> str:
    """9.1.2 for survey and complaint KPIs, 9.1.3 (analysis) for returns and delivery."""
    return "9.1.2" if kpi.source in {"surveys", "complaints"} else "9.1.3"


def significant_decline(kpi: Kpi) -> bool:
    """The KPI moved the wrong way since the previous quarter with p < 0.05."""
    change = kpi.change
    if change is None or kpi.p_value is None or kpi.p_value >= SIGNIFICANCE:
        return False
    return change < 0 if kpi.higher_is_better else change > 0


def change_text(kpi: Kpi) -> str:
    """`` It was … in the previous quarter (change p = …, significant).`` or nothing."""
    if kpi.previous is None:
        return ""
    before = fmt(kpi.previous, kpi.unit, kpi.id)
    if kpi.p_value is None:
        return " " + _("It was {before} in the previous quarter.", before=before)
    if kpi.p_value < SIGNIFICANCE:
        return " " + _(
            "It was {before} in the previous quarter (change {p}, significant).",
            before=before,
            p=format.p_text(kpi.p_value),
        )
    return " " + _(
        "It was {before} in the previous quarter (change {p}, not significant).",
        before=before,
        p=format.p_text(kpi.p_value),
    )


def earlier_entries(ev: Evidence) -> list[Any]:
    """The register's rows raised by audits before this one (none on a site's first audit or its re-runs)."""
    if ev.register is None:
        return []
    info = ev.data.config.audit
    return [
        e
        for e in ev.register.entries
        if e.raised_in != info.id and (e.raised_on is None or e.raised_on < info.audit_date)
    ]


def action_on_record(ev: Evidence, subject: str, kpi_id: str = "") -> tuple[str, ...] | None:
    """Ids of earlier audits' actions on ``subject`` (or on ``kpi_id``) in the register; None when it cannot tell.

    The register can tell only when it holds rows of an earlier audit: on a site's first
    audit (and its re-runs) an action may exist outside the tool, so the answer is
    "not evidenced", never "none". Cancelled and withdrawn actions do not count.
    """
    earlier = earlier_entries(ev)
    if not earlier:
        return None
    return tuple(
        e.id
        for e in earlier
        if (e.subject == subject or (kpi_id and e.kpi_id == kpi_id)) and e.status not in {"cancelled", "withdrawn"}
    )


def missed_before(kpi: Kpi) -> bool:
    """The KPI missed its target in the previous quarter too (two quarters running)."""
    if kpi.target is None or kpi.previous is None:
        return False
    return kpi.previous < kpi.target if kpi.higher_is_better else kpi.previous > kpi.target


def count_of(n: int, singular: str, plural: str, **values: object) -> str:
    """``1 complaint`` / ``3 complaints`` through :func:`audit.i18n.ngettext` (``{n}`` is the count, formatted)."""
    return ngettext(singular, plural, n, n=format.count(n), **values)
