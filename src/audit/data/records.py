"""The audited period's records, looked up by id or by kind, each with its file and Excel row.

:class:`PeriodRecords` is the :class:`audit.model.drilldown.RecordSource` of an audit computed
in the kernel: the KPIs and the assessment keep it, so that ``assessment["F-01"]`` and
``kpis["otif_pct"].records`` show the rows behind them. It holds a reference to the loaded
data, never a copy; the frames it returns are new.

Example:
    >>> PeriodRecords(data).rows(["C-1001", "C-1007"])     # doctest: +SKIP
    ('complaints', <DataFrame with complaint_id, file, Excel row, received_on, …>)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from audit.data.contract import ID_COLUMN
from audit.data.table import ROW
from audit.model.drilldown import FILE_COLUMN, ROW_COLUMN, Shared

if TYPE_CHECKING:
    from audit.data.dataset import AuditData

__all__ = ["RECORD_KINDS", "PeriodRecords"]

#: the kinds a record id is looked up in, in this order
RECORD_KINDS = ("complaints", "surveys", "returns", "orders")


class PeriodRecords(Shared):
    """The records of an audit's period (see the module docstring)."""

    def __init__(self, data: AuditData) -> None:
        self._data = data

    def _shown(self, kind: str, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows with the id first, then the file and the Excel row, then every other column."""
        key = ID_COLUMN[kind]
        file = next((s.path for s in self._data.sources if s.kind == kind), "")
        out = frame.rename(columns={ROW: ROW_COLUMN}).reset_index(drop=True)
        out.insert(0, FILE_COLUMN, file)
        if ROW_COLUMN not in out:
            out[ROW_COLUMN] = pd.NA
        out[ROW_COLUMN] = out[ROW_COLUMN].astype("Int64")
        first = [key, FILE_COLUMN, ROW_COLUMN]
        return out[[*first, *(c for c in out.columns if c not in first)]]

    def rows(self, ids: Sequence[str]) -> tuple[str, pd.DataFrame] | None:
        """The kind and the period's rows whose id is among ``ids``, in the order of ``ids`` (None: no such rows)."""
        wanted = list(dict.fromkeys(str(i) for i in ids))
        for kind in RECORD_KINDS:
            frame = self._data.frames.get(kind)
            key = ID_COLUMN[kind]
            if frame is None or key not in frame or not wanted:
                continue
            found = frame.loc[frame[key].astype(str).isin(wanted)]
            if found.empty:
                continue
            found = found.drop_duplicates(key)
            order = pd.Series(range(len(wanted)), index=wanted)
            found = found.iloc[order.loc[found[key].astype(str)].argsort(kind="stable").to_numpy()]
            return kind, self._shown(kind, found)
        return None

    def kpi_rows(self, kpi_id: str, kind: str) -> pd.DataFrame | None:
        """The rows behind one KPI: here the period's rows of its kind (the KPI layer knows better for some)."""
        return self.period_rows(kind)

    def period_rows(self, kind: str) -> pd.DataFrame | None:
        """Every valid row of ``kind`` in the audited period, in file order (None: the kind was not supplied)."""
        frame = self._data.frames.get(kind)
        if frame is None or kind not in ID_COLUMN:
            return None
        return self._shown(kind, frame)
