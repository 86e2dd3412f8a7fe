"""The records behind a KPI, for ``kpis["otif_pct"].records``: the rows its value is computed over.

For the delivery KPIs (on time, in full, OTIF, lateness) these are the orders judged in the
period (by default those due in it, see :mod:`audit.kpi.delivery`) with each order's verdicts;
for every other KPI, the audited period's valid rows of its data kind. Each row carries its file
and Excel row (:class:`audit.data.records.PeriodRecords`).

Example:
    >>> kpis["otif_pct"].records[["order_id", "file", "Excel row", "on_time", "otif"]]   # doctest: +SKIP
"""

from __future__ import annotations

import pandas as pd

from audit.data.records import PeriodRecords
from audit.kpi.delivery import DELIVERY_KPIS, judged_orders

__all__ = ["KpiRecords"]


class KpiRecords(PeriodRecords):
    """The audit's records, and for each KPI the rows it is computed over."""

    def kpi_rows(self, kpi_id: str, kind: str) -> pd.DataFrame | None:
        """The rows behind one KPI (None: its kind was not supplied)."""
        data = self._data
        orders = data.frames.get("orders")
        if kpi_id in DELIVERY_KPIS and orders is not None and {"promised_on", "delivered_on"} <= set(orders):
            config = data.config
            basis = config.data.orders.basis if config.data.orders is not None else "due"
            start, end = pd.Timestamp(config.audit.period_start), pd.Timestamp(config.audit.period_end)
            judged = judged_orders(orders, end, history=data.history.get("orders"), period_start=start, basis=basis)
            return self._shown("orders", judged.drop(columns="_period", errors="ignore"))
        return super().kpi_rows(kpi_id, kind)
