"""The records behind each finding, looked up by id in the period's data, as text for every output.

The report's evidence appendix shows the first rows, findings.xlsx up to
``outputs.evidence_rows`` per finding (audit.yaml) and the notebook all of them (see
:func:`evidence_frame`); every id stays on the finding itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.arrays import ArrowStringArray

from audit.data.contract import ID_COLUMN
from audit.data.dataset import AuditData
from audit.data.quality import text_cell
from audit.data.readers import ROW
from audit.model import Assessment, Records

__all__ = ["EVIDENCE_COLUMNS", "evidence_frame", "evidence_of", "records_behind"]

#: the columns shown per kind, after the id; the last is free text when present
EVIDENCE_COLUMNS = {
    "complaints": ("received_on", "category", "status", "resolved_on", "description"),
    "surveys": ("responded_on", "customer_id", "overall", "recommend", "comment"),
    "returns": ("returned_on", "customer_id", "product", "reason", "quantity"),
    "orders": ("ordered_on", "customer_id", "promised_on", "delivered_on", "value"),
}


def _ids(frame: pd.DataFrame, key: str, mask: pd.Series) -> tuple[str, ...]:
    return tuple(str(i) for i in frame.loc[mask.fillna(False).astype(bool), key])


def records_behind(data: AuditData, kpi_id: str) -> tuple[str, ...]:
    """The period's records that pull a KPI the wrong way: what an auditor traces for a finding on it.

    Survey KPIs: the responses not in the top two boxes (CSAT), in the bottom two
    (dissatisfied), the detractors (NPS, 0–6), or scoring a dimension in its bottom two.
    Returns: every return of the period. Delivery: the orders delivered late, or not in
    full. Other KPIs have no records of their own (empty).
    """
    surveys = data.frames.get("surveys")
    source = data.config.data.surveys
    if surveys is not None and source is not None and not surveys.empty:
        column, cut = "", 0.0
        scale = source.scale_of("overall")
        if kpi_id in {"csat_mean", "csat_top2_pct"}:
            column, cut = "overall", scale.max - 2
        elif kpi_id == "dissatisfied_pct":
            column, cut = "overall", scale.min + 1
        elif kpi_id == "nps":
            column, cut = "recommend", 6.0
        elif kpi_id.startswith(("dimension_", "gap_")):
            name = kpi_id.removeprefix("gap_").removeprefix("dimension_").removesuffix("_mean")
            column, cut = f"dim_{name}", source.scale_of(f"dim_{name}").min + 1
        if column and column in surveys:
            return _ids(surveys, "response_id", surveys[column].astype("Float64") <= cut)
    returns = data.frames.get("returns")
    if returns is not None and kpi_id in {"return_rate_pct", "returns_ppm", "returns_value", "warranty_claims"}:
        return tuple(str(i) for i in returns["return_id"])
    orders = data.frames.get("orders")
    if orders is not None and {"promised_on", "delivered_on"} <= set(orders.columns):
        end = pd.Timestamp(data.config.audit.period_end)
        late = (orders["delivered_on"] > orders["promised_on"]) | (
            orders["delivered_on"].isna() & (orders["promised_on"] <= end)
        )
        if kpi_id in {"on_time_pct", "otif_pct", "late_days_mean"}:
            short = pd.Series(False, index=orders.index)
            if kpi_id == "otif_pct" and {"quantity_ordered", "quantity_delivered"} <= set(orders.columns):
                short = orders["quantity_delivered"] < orders["quantity_ordered"]
            return _ids(orders, "order_id", late | short)
        if kpi_id == "in_full_pct" and {"quantity_ordered", "quantity_delivered"} <= set(orders.columns):
            return _ids(orders, "order_id", orders["quantity_delivered"] < orders["quantity_ordered"])
    return ()


def _among(column: pd.Series, values: list[str]) -> npt.NDArray[np.bool_]:
    """``column.isin(values)``; for Arrow strings in one pyarrow call (pandas converts the values one by one)."""
    if not isinstance(column.array, ArrowStringArray):
        return column.isin(values).to_numpy(dtype=bool)
    strings = pa.array(column.array)
    found = pc.is_in(strings, value_set=pa.array(list(map(str, values)), type=pa.string()).cast(strings.type))
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def evidence_frame(data: AuditData, ids: Sequence[str]) -> tuple[str, pd.DataFrame] | None:
    """The kind and the period's rows whose id is among ``ids`` (every column), in the order of ``ids``.

    Ids that are not rows (customer or action ids) give None: the ids themselves are the evidence.
    """
    wanted = list(dict.fromkeys(ids))
    for kind in EVIDENCE_COLUMNS:
        frame = data.frames.get(kind)
        key = ID_COLUMN[kind]
        if frame is None or key not in frame:
            continue
        rows = frame.loc[_among(frame[key], wanted)].drop_duplicates(key).set_index(key)
        if rows.empty:
            continue
        order = [i for i in wanted if i in rows.index]
        return kind, rows.loc[order].reset_index()
    return None


def _records(data: AuditData, ids: Sequence[str], limit: int) -> Records | None:
    found = evidence_frame(data, ids)
    if found is None:
        return None
    kind, frame = found
    key = ID_COLUMN[kind]
    shown = [c for c in EVIDENCE_COLUMNS[kind] if c in frame]
    head = frame.head(limit)
    cells = head[[key, *shown]].map(text_cell)  # at most `limit` rows: small
    file = next((s.path for s in data.sources if s.kind == kind), "")
    return Records(
        kind,
        file,
        (key, *shown),
        tuple(tuple(row) for row in cells.itertuples(index=False, name=None)),
        tuple(int(r) for r in head[ROW]) if ROW in head else (),
        len(dict.fromkeys(ids)),
    )


def evidence_of(data: AuditData, assessment: Assessment, limit: int) -> dict[str, Records]:
    """Per finding id, the first ``limit`` records behind it (findings whose ids are not rows are left out)."""
    out = {}
    for finding in assessment.findings:
        if finding.evidence_ids:
            records = _records(data, finding.evidence_ids, limit)
            if records is not None:
                out[finding.id] = records
    return out
