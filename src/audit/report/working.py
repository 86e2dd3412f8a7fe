"""HTML for the working paper (the notebook) that the PDF does not show."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import pandas as pd

from audit.i18n import _, ngettext
from audit.report.datatable import data_table

if TYPE_CHECKING:
    from audit.data.dataset import AuditData

__all__ = ["sources_html"]


def sources_html(data: AuditData) -> str:
    """Data sources with row counts and hashes, then every data-quality problem as a table to filter."""
    rows = "".join(
        f"<tr><td>{escape(s.kind)}</td><td>{escape(s.path)}</td><td>{escape(s.sheet)}</td>"
        f"<td>{s.rows_read:,}</td><td>{s.rows_valid:,}</td><td>{s.rows_quarantined:,}</td>"
        f"<td>{s.rows_in_period:,}</td><td><code>{s.sha256[:12]}</code></td></tr>"
        for s in data.sources
    )
    html = (
        f"<p><b>{escape(data.config.audit.id)}</b>, period {escape(data.config.audit.period_label)}</p>"
        "<table><thead><tr><th>kind</th><th>file</th><th>sheet</th><th>rows read</th><th>valid</th>"
        f"<th>quarantined</th><th>in period</th><th>sha256</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    if data.problems:
        frame = pd.DataFrame(
            [
                {
                    "Kind": p.kind,
                    "File": p.file,
                    "Sheet": p.sheet,
                    "Excel row": p.row,
                    "Column": p.column,
                    "Value": p.value,
                    "Rule": p.rule,
                    "What to do": p.message,
                }
                for p in data.problems
            ]
        ).astype({"Excel row": "Int64"})
        summary = ngettext(
            "{n} data-quality problem; the row is quarantined.",
            "{n} data-quality problems; the rows are quarantined.",
            len(data.problems),
        )
        html += f"<p>{escape(summary)}</p>" + data_table(frame, _("Data-quality problems"))
    return html
