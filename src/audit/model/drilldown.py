"""The records behind a finding or a KPI, for the working paper's drill-down.

``assessment["F-03"]`` (or ``assessment.finding("F-03")``) is a :class:`FindingRecords`: the
finding, its clause, its evidence figures and every record behind it, each with the file and
the row a person finds it at in Excel. ``kpis["otif_pct"].records`` is the audited period's
records of the KPI's data kind. The rows are looked up in the data the audit was computed from
through a :class:`RecordSource` (:class:`audit.data.records.PeriodRecords`); a snapshot read
back from results.json has none, and its drill-downs say so.

Example:
    >>> view = assessment["F-01"]                      # doctest: +SKIP
    >>> view.records[["complaint_id", "file", "Excel row"]].head()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from audit import format as fmt

if TYPE_CHECKING:
    import pandas as pd

    from audit.model.findings import Finding

__all__ = ["FILE_COLUMN", "ROW_COLUMN", "FindingRecords", "RecordSource", "Shared", "finding_records"]

#: the column of a drill-down frame naming the input file a record was read from
FILE_COLUMN = "file"
#: the column of a drill-down frame giving the record's row as seen in Excel (header row included)
ROW_COLUMN = "Excel row"


class RecordSource(Protocol):
    """Where the drill-downs find their rows (the audit's data, in the kernel only)."""

    def rows(self, ids: Sequence[str]) -> tuple[str, pd.DataFrame] | None:
        """The kind and the audited period's rows with these ids, in their order (None: the ids are no rows)."""
        ...

    def period_rows(self, kind: str) -> pd.DataFrame | None:
        """Every valid row of one kind in the audited period (None: the kind was not supplied)."""
        ...

    def kpi_rows(self, kpi_id: str, kind: str) -> pd.DataFrame | None:
        """The rows one KPI is computed over (None: its kind was not supplied)."""
        ...


class Shared:
    """A reference that dataclasses.asdict and copy.deepcopy pass on instead of copying (the data is large)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Shared:
        return self


@dataclass(frozen=True)
class FindingRecords:
    """One finding with the records behind it, as the working paper shows it.

    Attributes:
        finding: the finding (grade, clause, evidence, gap, figures, evidence ids).
        kind: the data kind of the records (``complaints``, ``surveys``…), or "" when the
            finding's ids are not rows (customers, actions, other findings).
        records: every record behind the finding, in the order of its evidence ids, every column
            of the data with ``file`` and ``Excel row`` first after the id; empty when there are none.
        note: why there are no records, when there are none.
    """

    finding: Finding
    kind: str
    records: pd.DataFrame
    note: str = ""

    @property
    def clause(self) -> str:
        """The clause of ISO 9001:2015 and of 2008 the finding is graded against."""
        return self.finding.clauses

    @property
    def figures(self) -> dict[str, Any]:
        """The evidence figures the check computed."""
        return dict(self.finding.figures)

    def __repr__(self) -> str:
        """A line, not the records (a notebook keeps the text beside the table)."""
        return (
            f"<FindingRecords {self.finding.id} ({self.kind or 'no records'}): {fmt.count(len(self.records))} records>"
        )

    def _repr_html_(self) -> str:
        from audit.report.drilldown import finding_records_html

        return finding_records_html(self)


def finding_records(finding: Finding, source: RecordSource | None) -> FindingRecords:
    """The finding with every record behind it (its evidence ids looked up in ``source``)."""
    import pandas as pd

    if source is None:
        note = "The records are not at hand: this assessment was read back from results.json, not computed here."
        return FindingRecords(finding, "", pd.DataFrame(), note)
    if not finding.evidence_ids:
        see = f' The records behind its KPI: kpis["{finding.kpi_id}"].records.' if finding.kpi_id else ""
        return FindingRecords(finding, "", pd.DataFrame(), "The finding names no records." + see)
    found = source.rows(finding.evidence_ids)
    if found is None:
        ids = ", ".join(finding.evidence_ids[:10])
        return FindingRecords(finding, "", pd.DataFrame(), f"Its evidence ids are not records of the data: {ids}.")
    kind, frame = found
    return FindingRecords(finding, kind, frame)
