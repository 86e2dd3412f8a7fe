"""The records behind a finding, looked up by id in the period's data.

Used by the report's evidence appendix (first rows) and by findings.xlsx (every row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from audit.data.contract import ID_COLUMN

if TYPE_CHECKING:
    from audit.data.dataset import AuditData

__all__ = ["EVIDENCE_COLUMNS", "Records", "evidence_records"]

#: the columns shown per kind, after the id; the last is free text when present
EVIDENCE_COLUMNS = {
    "complaints": ("received_on", "category", "status", "resolved_on", "description"),
    "surveys": ("responded_on", "customer_id", "overall", "recommend", "comment"),
    "returns": ("returned_on", "customer_id", "product", "reason", "quantity"),
    "orders": ("ordered_on", "customer_id", "promised_on", "delivered_on", "value"),
}


@dataclass(frozen=True)
class Records:
    """Rows of one kind behind a finding, in the order of its evidence ids."""

    kind: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def evidence_records(data: AuditData, ids: Sequence[str]) -> Records | None:
    """The period's rows whose id is among ``ids`` (the first kind that has any), or None.

    Ids that are not rows (customer or action ids) give None: show the ids themselves.
    """
    wanted = list(dict.fromkeys(ids))
    for kind, columns in EVIDENCE_COLUMNS.items():
        frame = data.frames.get(kind)
        key = ID_COLUMN[kind]
        if frame is None or key not in frame:
            continue
        rows = frame.loc[frame[key].isin(wanted)].drop_duplicates(key).set_index(key)
        if rows.empty:
            continue
        shown = tuple(c for c in columns if c in rows)
        order = [i for i in wanted if i in rows.index]
        body = rows.loc[order, list(shown)]
        return Records(kind, (key, *shown), tuple((ident, *values) for ident, *values in body.itertuples()))
    return None
