"""The records behind each finding, looked up by id in the period's data, as text for every output.

The report's evidence appendix shows the first rows, findings.xlsx up to
``outputs.evidence_rows`` per finding (audit.yaml) and the notebook all of them (see
:func:`evidence_frame`); every id stays on the finding itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from audit.data.contract import ID_COLUMN
from audit.data.dataset import AuditData
from audit.data.quality import text_cell
from audit.data.readers import ROW
from audit.model import Assessment, Records

__all__ = ["EVIDENCE_COLUMNS", "evidence_frame", "evidence_of"]

#: the columns shown per kind, after the id; the last is free text when present
EVIDENCE_COLUMNS = {
    "complaints": ("received_on", "category", "status", "resolved_on", "description"),
    "surveys": ("responded_on", "customer_id", "overall", "recommend", "comment"),
    "returns": ("returned_on", "customer_id", "product", "reason", "quantity"),
    "orders": ("ordered_on", "customer_id", "promised_on", "delivered_on", "value"),
}


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
        rows = frame.loc[frame[key].isin(wanted)].drop_duplicates(key).set_index(key)
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
