"""Frozen result objects passed from computation to rendering.

Computation (``audit.data``, ``audit.kpi``, ``audit.assessment``) produces these;
rendering (``audit.report``) only reads them. Each has ``to_dict()`` giving the
shape written to results.json.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from collections.abc import Iterator
from typing import Any, Literal

__all__ = [
    "Kpi",
    "KpiTable",
    "Problem",
    "SourceInfo",
    "Finding",
    "Action",
    "Assessment",
    "Grade",
    "GRADES",
    "Conclusion",
    "CONCLUSIONS",
]

Grade = Literal["major", "minor", "observation", "ofi", "good_practice", "conforming"]
#: grades from most to least severe, with the label a report shows
GRADES: dict[str, str] = {
    "major": "Major nonconformity",
    "minor": "Minor nonconformity",
    "observation": "Observation",
    "ofi": "Opportunity for improvement",
    "good_practice": "Good practice",
    "conforming": "Conforming",
}
Conclusion = Literal["effective", "effective_with_ofi", "partially_effective", "not_effective"]
CONCLUSIONS: dict[str, str] = {
    "effective": "Effective",
    "effective_with_ofi": "Effective, with opportunities for improvement",
    "partially_effective": "Partially effective",
    "not_effective": "Not effective",
}


def _plain(value: Any) -> Any:
    """A value as JSON can hold it: NaN becomes None, dates become ISO text."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Kpi:
    """One key performance indicator for the audited period.

    Attributes:
        id: stable id from DESIGN.md, such as ``csat_mean``.
        label: the name a manager reads.
        value: the estimate, or None when it cannot be computed (see ``note``).
        unit: ``score``, ``%``, ``points``, ``days``, ``count``, ``per 1000``, ``ppm``.
        n: observations behind the value.
        higher_is_better: direction used to judge the target.
        ci_low, ci_high: 95% confidence interval where the KPI is a statistic.
        target: the target from audit.yaml, if any.
        previous: the value for the previous period, if known.
        p_value: of the change from ``previous``.
        history: earlier periods' values as (period label, value), oldest first.
        note: why the value is absent, or how to read it.
        source: data kind the KPI comes from.
    """

    id: str
    label: str
    value: float | None
    unit: str
    n: int
    higher_is_better: bool = True
    ci_low: float | None = None
    ci_high: float | None = None
    target: float | None = None
    previous: float | None = None
    p_value: float | None = None
    history: tuple[tuple[str, float | None], ...] = ()
    note: str = ""
    source: str = ""

    @property
    def status(self) -> str:
        """``met``, ``not_met``, ``no_target`` or ``not_available``."""
        if self.value is None:
            return "not_available"
        if self.target is None:
            return "no_target"
        ok = self.value >= self.target if self.higher_is_better else self.value <= self.target
        return "met" if ok else "not_met"

    @property
    def change(self) -> float | None:
        """Value minus the previous period's value."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    def to_dict(self) -> dict[str, Any]:
        """The KPI as written to results.json."""
        data = dataclasses.asdict(self)
        data["history"] = [{"period": p, "value": v} for p, v in self.history]
        data.update(status=self.status, change=self.change)
        return _plain(data)


@dataclass(frozen=True)
class KpiTable:
    """All KPIs of an audit, in report order; shows as a table in JupyterLab.

    Attributes:
        kpis: the KPIs, in report order.
        breakdowns: named series behind the charts, each a tuple of (label, value):
            ``complaints_by_category`` (count, largest first), ``dimension_means``
            (mean perception per survey dimension), ``dimension_gaps`` (mean P − E per
            dimension), ``returns_by_reason`` (count, largest first).
        period_labels: the periods covered by ``Kpi.history``, oldest first.
    """

    kpis: tuple[Kpi, ...]
    breakdowns: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    period_labels: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Kpi]:
        return iter(self.kpis)

    def __len__(self) -> int:
        return len(self.kpis)

    def __getitem__(self, kpi_id: str) -> Kpi:
        for kpi in self.kpis:
            if kpi.id == kpi_id:
                return kpi
        raise KeyError(kpi_id)

    def get(self, kpi_id: str) -> Kpi | None:
        """The KPI with this id, or None."""
        return next((k for k in self.kpis if k.id == kpi_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {k.id: k.to_dict() for k in self.kpis}

    def _repr_html_(self) -> str:
        from audit.report.tables import kpi_table_html

        return kpi_table_html(self)


@dataclass(frozen=True)
class Problem:
    """One data-quality problem, located as the user sees the file in Excel.

    Attributes:
        kind: surveys, complaints, returns or orders.
        file: file name as given in audit.yaml.
        sheet: sheet name for Excel files, else "".
        row: row number as shown in Excel (header row counted), or None for the whole file.
        column: the file's own header for the column.
        value: the offending value, as text.
        rule: short id of the failed rule, such as ``out_of_scale``.
        message: what is wrong and what to do.
        quarantined: whether the row was set aside (not used in KPIs).
    """

    kind: str
    file: str
    sheet: str
    row: int | None
    column: str
    value: str
    rule: str
    message: str
    quarantined: bool = True

    def location(self) -> str:
        """``file, sheet 'S', row R, column 'C'`` as a user would look it up."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class SourceInfo:
    """One input file: where it is, its fingerprint and what was read from it."""

    kind: str
    path: str
    sheet: str
    sha256: str
    rows_read: int
    rows_valid: int
    rows_quarantined: int
    rows_in_period: int
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Finding:
    """A graded audit finding.

    Attributes:
        id: ``F-01`` … in report order.
        check: id of the check that raised it.
        clause_2015: ISO 9001:2015 clause, such as ``9.1.2``.
        clause_2008: the ISO 9001:2008 equivalent, such as ``8.2.1``.
        grade: one of :data:`GRADES`.
        title: one line.
        requirement: what the clause asks.
        evidence: what the data shows, with figures.
        gap: the difference between the two.
        kpi_id: the KPI the finding rests on, if any.
        figures: evidence figures by name.
        evidence_ids: ids of the rows behind the finding (complaint ids, …).
    """

    id: str
    check: str
    clause_2015: str
    clause_2008: str
    grade: Grade
    title: str
    requirement: str
    evidence: str
    gap: str
    kpi_id: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    evidence_ids: tuple[str, ...] = ()

    @property
    def grade_label(self) -> str:
        return GRADES[self.grade]

    @property
    def clauses(self) -> str:
        """Both editions, as cited in the report."""
        return f"ISO 9001:2015 {self.clause_2015} (ISO 9001:2008 {self.clause_2008})"

    @property
    def needs_action(self) -> bool:
        return self.grade in {"major", "minor", "observation", "ofi"}

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["evidence_ids"] = list(self.evidence_ids)
        data["grade_label"] = self.grade_label
        return _plain(data)


@dataclass(frozen=True)
class Action:
    """An improvement action raised from a finding."""

    id: str
    finding_id: str
    description: str
    type: Literal["correction", "corrective", "improvement"]
    owner_role: str
    owner: str
    due: dt.date
    resources: str
    success_measure: str
    preventive_measure: str
    verification: str
    status: str = "open"

    def to_dict(self) -> dict[str, Any]:
        return _plain(dataclasses.asdict(self))


@dataclass(frozen=True)
class Assessment:
    """Findings, actions and the overall conclusion of an audit."""

    findings: tuple[Finding, ...]
    actions: tuple[Action, ...]
    conclusion: Conclusion
    conclusion_reason: str

    @property
    def conclusion_label(self) -> str:
        return CONCLUSIONS[self.conclusion]

    def count(self, grade: str) -> int:
        """Number of findings of one grade."""
        return sum(f.grade == grade for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "conclusion": self.conclusion,
            "conclusion_label": self.conclusion_label,
            "conclusion_reason": self.conclusion_reason,
            "findings": [f.to_dict() for f in self.findings],
            "actions": [a.to_dict() for a in self.actions],
        }

    def _repr_html_(self) -> str:
        from audit.report.tables import assessment_html

        return assessment_html(self)
