"""HTML for the working paper (the notebook) that the PDF does not show."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audit.data.dataset import AuditData

__all__ = ["sources_html"]

SHOWN_PROBLEMS = 25


def sources_html(data: AuditData) -> str:
    """Data sources with row counts and hashes, then the first data-quality problems."""
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
        problems = "".join(
            f"<tr><td>{escape(p.location())}</td><td>{escape(p.value)}</td><td>{escape(p.rule)}</td>"
            f"<td>{escape(p.message)}</td></tr>"
            for p in data.problems[:SHOWN_PROBLEMS]
        )
        more = len(data.problems) - SHOWN_PROBLEMS
        html += (
            f"<p>{len(data.problems):,} data-quality problem(s); the rows are quarantined.</p>"
            "<table><thead><tr><th>where</th><th>value</th><th>rule</th><th>what to do</th></tr></thead>"
            f"<tbody>{problems}</tbody></table>" + (f"<p>… and {more:,} more.</p>" if more > 0 else "")
        )
    return html
