"""The quarantined rows of an audit's data as text tables, for data_quality.xlsx and the snapshot."""

from __future__ import annotations

from typing import Any

import pandas as pd

from audit.data.dataset import AuditData
from audit.data.readers import ROW
from audit.model import Table

__all__ = ["quarantine_tables", "text_cell"]


def text_cell(value: Any) -> str:
    """A cell as text: dates as yyyy-mm-dd, whole floats without ``.0``, blanks empty."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if hasattr(value, "strftime"):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _table(frame: pd.DataFrame) -> Table:
    columns = [c for c in frame.columns if c != ROW]
    cells = frame[columns].map(text_cell)
    return Table(
        tuple(str(c) for c in columns),
        tuple(tuple(row) for row in cells.itertuples(index=False, name=None)),
        tuple(int(r) for r in frame[ROW]) if ROW in frame else (),
    )


def quarantine_tables(data: AuditData) -> dict[str, Table]:
    """Per kind with quarantined rows, those rows exactly as read from the file (as text)."""
    return {kind: _table(rows) for kind, rows in data.quarantine.items() if len(rows)}
